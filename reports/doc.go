// Package reports turns metric rows into the three reports people act on:
// the weekly funnel report (operations managers), the early-warning report
// (merchandisers) and the GMV-contribution dashboard (executives). Build*
// reads rows through a Source (metrics.Show in production) into plain view
// models; Render* writes one self-contained HTML page per view model, with
// Apache ECharts embedded so the file opens offline.
//
// It formats numbers for zh-CN and en and escapes all user-supplied text
// (messages, product and shop ids), including inside chart data. It must
// not query ClickHouse itself or know about HTTP serving.
package reports
