package reports

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"
)

// Chart is one ECharts chart of a page: its element id and the option
// object go-echarts built. The page script passes Option to setOption
// after replacing "fmt:<name>" formatter strings with the page's locale
// formatters (so no JavaScript travels inside data).
type Chart struct {
	ID     string
	Title  string
	Height int // pixels
	Option map[string]any
}

// The fmt: formatters the page script knows (reports/page.js).
const (
	fmtPct    = "fmt:pct"    // ratio → 44.0 %
	fmtPct0   = "fmt:pct0"   // ratio → 44 %
	fmtPct2   = "fmt:pct2"   // ratio → 0.35 %
	fmtMoney  = "fmt:money"  // yuan → ¥1.2万 / ¥12.3k
	fmtMoney2 = "fmt:money2" // yuan → ¥1,234.56
	fmtCount  = "fmt:count"  // 12,345 / 1.2万
	// fmtNamedCount is a label of an item's name and its count in full:
	// "Consulted: 3,565".
	fmtNamedCount = "fmt:named_count"
	// fmtStackTotal is an axis tooltip that lists the day's series, each
	// with the tooltip's valueFormatter, and then their sum under the
	// tooltip's "totalLabel" (withStackTotal).
	fmtStackTotal = "fmt:stack_total"
)

var palette = opts.Colors{"#3b6fd8", "#35a46b", "#f2a93b", "#d9534f", "#7f8fa6", "#8e5cc4", "#1fa2b8"}

func baseOpts(valueFmt string, legend bool) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithColorsOpts(palette),
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Trigger: "axis", ValueFormatter: valueFmtFunc(valueFmt)}),
		// A plain legend wraps onto as many lines as the chart's width
		// needs, and the page script starts the plot below its last line
		// (fitLegend in page.js). A scrolling one paged the daily
		// conversion's three series on a phone ("◀ 1/3 ▶") and cut the
		// second's name ("Consult → same-day").
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(legend), Top: "0", Type: "plain"}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "16", Top: gridTop(legend), Bottom: "8", ContainLabel: opts.Bool(true)}),
	}
}

// gridTop is the room above a chart's plot: a line for the legend where
// there is one, else the half line its highest axis label reaches above
// the plot. A chart of one series shows no legend (its title names the
// series): the bot share of GMV, the alerts' baseline bars and the top
// agents kept the legend's 36 px, a blank band between the title and
// the plot.
func gridTop(legend bool) string {
	if legend {
		return "36"
	}
	return "12"
}

func valueFmtFunc(f string) types.FuncStr { return types.FuncStr(f) }

// option validates c and returns its option object.
func option(c interface {
	Validate()
	JSON() map[string]any
}) map[string]any {
	c.Validate()
	return c.JSON()
}

// labelEnds is the interval of a line chart's days (page.js replaces it):
// every day when the labels fit, else labels counted back from the last
// day, so the last day and the first are always named. ECharts' own
// interval counts from the first: the demo's 28-day GMV chart named every
// other day and left its last, 10-04, without a label.
const labelEnds = "ends"

type lineSeries struct {
	Name   string
	Values []float64
	Area   bool
	Stack  string
	// ShadeFrom..ShadeTo (x categories) are shaded and labelled
	// ShadeLabel: the days whose figures are not final yet. Each shaded
	// day is shaded over its whole width (see shadeCarrier).
	ShadeFrom, ShadeTo, ShadeLabel string
	// Bands are more shaded days, each with its label and colour (a
	// promotion day on the GMV charts).
	Bands []band
}

// band is a shaded run of x categories with its label; Color "" is the
// grey of the days not final.
type band struct{ From, To, Label, Color string }

// shadeCarrier is a bar series without data that carries the shaded band
// of s. ECharts places a line series' markArea at the centres of its
// categories, so a band of one day (the one day not final yet) ran from
// that day's centre to itself: no width, an invisible band under a label
// saying "* not final". A bar series' markArea on a category axis spans
// its categories' whole bands, from the first one's left edge to the last
// one's right edge (ECharts ≥ 5.4, getMarkerPosition), so one day is a
// day wide and a band of several days covers the same days as before, to
// their edges.
func shadeCarrier(s band) *charts.Bar {
	color := s.Color
	if color == "" {
		color = "rgba(127,143,166,0.15)"
	}
	b := charts.NewBar()
	b.AddSeries("", []opts.BarData{},
		charts.WithMarkAreaData([]opts.MarkAreaData{{Name: s.Label, XAxis: s.From}, {XAxis: s.To}}),
		charts.WithMarkAreaStyleOpts(opts.MarkAreaStyle{
			ItemStyle: &opts.ItemStyle{Color: color},
			Label:     &opts.Label{Show: opts.Bool(true), Position: "insideTop", Color: "#5f6b7a", FontSize: 11},
		}))
	return b
}

// lineChart draws series over categories; valueFmt formats the y axis and
// the tooltip.
func lineChart(id, title string, x []string, series []lineSeries, valueFmt, axisFmt string) Chart {
	c := charts.NewLine()
	c.SetGlobalOptions(baseOpts(valueFmt, len(series) > 1)...)
	c.SetGlobalOptions(
		// A tick on every day's edge, also where labels are left out: the
		// shaded bands are placed on the ticks (shadeCarrier).
		charts.WithXAxisOpts(opts.XAxis{AxisLabel: &opts.AxisLabel{Interval: labelEnds}, AxisTick: &opts.AxisTick{Interval: "0"}}),
		charts.WithYAxisOpts(opts.YAxis{AxisLabel: &opts.AxisLabel{Formatter: axisFmtFunc(axisFmt)}}),
	)
	c.SetXAxis(x)
	var names []string
	for _, s := range series {
		names = append(names, s.Name)
		data := make([]opts.LineData, len(s.Values))
		for i, v := range s.Values {
			data[i] = opts.LineData{Value: finite(v)}
		}
		so := []charts.SeriesOpts{charts.WithLineChartOpts(opts.LineChart{Smooth: opts.Bool(false), Stack: s.Stack, ShowSymbol: opts.Bool(len(x) <= 31)})}
		if s.Area {
			so = append(so, charts.WithAreaStyleOpts(opts.AreaStyle{Opacity: opts.Float(0.35)}))
		}
		c.AddSeries(s.Name, data, so...)
	}
	for _, s := range series {
		if s.ShadeFrom != "" {
			c.Overlap(shadeCarrier(band{From: s.ShadeFrom, To: s.ShadeTo, Label: s.ShadeLabel}))
		}
		for _, b := range s.Bands {
			c.Overlap(shadeCarrier(b))
		}
	}
	// the legend names the lines, not the band's carrier
	c.Legend.Data = names
	values := make([][]float64, len(series))
	for i, s := range series {
		values[i] = s.Values
	}
	return Chart{ID: id, Title: title, Height: 300, Option: percentAxis(option(c), axisFmt, values)}
}

func axisFmtFunc(f string) types.FuncStr { return types.FuncStr(f) }

// percentAxis gives a chart whose value axis is a rate (axisFmt) the
// round-topped 1-2-5 axis over all its series' values.
func percentAxis(o map[string]any, axisFmt string, series [][]float64) map[string]any {
	if !rateFmt(axisFmt) {
		return o
	}
	var all []float64
	for _, v := range series {
		all = append(all, v...)
	}
	return withRateAxis(o, rateAxisSteps(chartRateSteps, all...))
}

type barSeries struct {
	Name   string
	Values []float64
	// Color sets the bars' colour ("" the palette's): grey for figures not
	// final, beside the final ones.
	Color string
}

// barChart draws grouped bars; horizontal puts categories on the y axis
// (long labels such as agent ids read better that way).
func barChart(id, title string, cats []string, series []barSeries, valueFmt, axisFmt string, horizontal bool) Chart {
	c := charts.NewBar()
	c.SetGlobalOptions(baseOpts(valueFmt, len(series) > 1)...)
	valueAxis := opts.AxisLabel{Formatter: axisFmtFunc(axisFmt)}
	// Category labels wrap rather than being cut ("Slow first respon…",
	// "Missed takeover (…" on the QA page) or left out (every other
	// responder class under the GMV chart on a phone): each bar is named.
	if horizontal {
		c.SetGlobalOptions(
			charts.WithXAxisOpts(opts.XAxis{Type: "value", AxisLabel: &valueAxis}),
			charts.WithYAxisOpts(opts.YAxis{Type: "category", AxisLabel: &opts.AxisLabel{Width: categoryLabelWidth, Overflow: "break", Interval: "0"}}),
		)
		c.SetXAxis(reversed(cats)).XYReversal()
	} else {
		c.SetGlobalOptions(charts.WithYAxisOpts(opts.YAxis{AxisLabel: &valueAxis}),
			charts.WithXAxisOpts(opts.XAxis{AxisLabel: &opts.AxisLabel{Width: 64, Overflow: "break", Interval: "0"}}))
		c.SetXAxis(cats)
	}
	for _, s := range series {
		vals := s.Values
		if horizontal {
			vals = reversedF(vals)
		}
		data := make([]opts.BarData, len(vals))
		for i, v := range vals {
			data[i] = opts.BarData{Value: finite(v)}
		}
		var so []charts.SeriesOpts
		if s.Color != "" {
			so = append(so, charts.WithItemStyleOpts(opts.ItemStyle{Color: s.Color}))
		}
		c.AddSeries(s.Name, data, so...)
	}
	h := 300
	if horizontal {
		// a row per category and series, taller when a label wraps
		row := 28
		for _, c := range cats {
			// 18 px a line and room between labels: at 16 px the two
			// lines of "Slow reply (over 3 min)" met the next label's
			row = max(row, 18*labelLines(c, categoryLabelWidth)+10)
		}
		h = max(200, 40+row*len(cats)*max(1, len(series)))
	}
	values := make([][]float64, len(series))
	for i, s := range series {
		values[i] = s.Values
	}
	o := option(c)
	if horizontal {
		o = withLabelLines(o, cats)
	}
	return Chart{ID: id, Title: title, Height: h, Option: percentAxis(o, axisFmt, values)}
}

// withLabelLines draws a horizontal bar chart's category labels broken
// into lines (wrapLabel) by a formatter ("fmt:lines", page.js) that looks
// each label up in the axis label's "lines", while the axis keeps the
// labels whole: the tooltip names a bar by its category, and a category
// holding the broken lines read "转人工首响超时" over "（超过 30 秒）" there,
// "Missed takeover over" over "1 min (紧急接管)".
func withLabelLines(opt map[string]any, cats []string) map[string]any {
	lines := map[string]any{}
	for _, c := range cats {
		if w := wrapLabel(c, categoryLabelWidth); w != c {
			lines[c] = w
		}
	}
	if len(lines) == 0 {
		return opt
	}
	m := withSeries(opt, nil)
	axes, _ := m["yAxis"].([]any)
	for _, ax := range axes {
		am, ok := ax.(map[string]any)
		if !ok || am["type"] != "category" {
			continue
		}
		label, _ := am["axisLabel"].(map[string]any)
		if label == nil {
			label = map[string]any{}
			am["axisLabel"] = label
		}
		label["formatter"], label["lines"] = "fmt:lines", lines
	}
	return m
}

// withStackTotal gives a stacked chart's tooltip the sum of its series
// after them, named label ("Total GMV ¥516,692.40"): the GMV chart
// "stacked: the top line is the total" named the day's three parts but not
// the total its top line stands at.
func withStackTotal(c Chart, label string) Chart {
	m := withSeries(c.Option, nil)
	tip, _ := m["tooltip"].(map[string]any)
	if tip == nil {
		tip = map[string]any{}
		m["tooltip"] = tip
	}
	tip["formatter"], tip["totalLabel"] = fmtStackTotal, label
	c.Option = m
	return c
}

// funnelChart draws the funnel steps with their buyers.
func funnelChart(id, title string, names []string, values []int64) Chart {
	c := charts.NewFunnel()
	c.SetGlobalOptions(
		charts.WithColorsOpts(palette),
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Trigger: "item", ValueFormatter: fmtCount}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
	)
	data := make([]opts.FunnelData, len(names))
	for i := range names {
		data[i] = opts.FunnelData{Name: names[i], Value: values[i]}
	}
	// "Consulted: 3,565" with the separators of the table beside it, not
	// ECharts' bare {c} (3565).
	c.AddSeries(title, data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right", Formatter: fmtNamedCount, Color: "#1f2733", FontSize: 12}),
		charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.Sort = "none" }))
	// Labels sit to the right of the funnel, one per step at its own
	// height: inside, the narrow last steps pushed their labels over
	// their neighbours (red text on red). minSize keeps the last steps
	// wide enough to see.
	return Chart{ID: id, Title: title, Height: 320, Option: withSeries(option(c), map[string]any{
		"left": "2%", "top": 8, "bottom": 8, "width": "48%", "minSize": "10%", "gap": 2,
		"labelLine": map[string]any{"show": true, "length": 8},
	})}
}

// withSeries sets keys go-echarts has no option for on every series of
// opt (through a JSON round trip, which the page does anyway).
func withSeries(opt map[string]any, keys map[string]any) map[string]any {
	b, err := json.Marshal(opt)
	if err != nil {
		panic(err) // our own option types always marshal
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		panic(err)
	}
	series, _ := m["series"].([]any)
	for _, s := range series {
		if sm, ok := s.(map[string]any); ok {
			for k, v := range keys {
				sm[k] = v
			}
		}
	}
	return m
}

// rateAxis is a rate chart's value axis, fixed here rather than left to
// ECharts so that its labels' decimals can follow its step: from 0 (or
// the lowest value, when negative) to a round top in about four steps of
// 1, 2 or 5 × 10^k, labelled in whole percent when a step is at least a
// point, else with the decimals the step needs. One decimal everywhere
// printed "0.0 % … 70.0 %"; whole percent everywhere prints "1 %" twice
// on a rate that moves within a few points (steps of 0.5).
type rateAxisSpec struct {
	Min, Max, Step float64
	Label          string // the axis label formatter
}

// chartRateSteps is about how many steps a page's rate chart (300 px, or
// a bar chart as wide as its section) divides its axis into; an alert's
// small chart (150 px) takes rateAxis's four.
const chartRateSteps = 5

// rateFmt says whether an axis formatter prints a rate: such an axis gets
// rateAxis.
func rateFmt(f string) bool { return f == fmtPct || f == fmtPct0 || f == fmtPct2 }

func rateAxis(values ...float64) rateAxisSpec { return rateAxisSteps(4, values...) }

// rateAxisSteps is rateAxis in about steps steps.
func rateAxisSteps(steps int, values ...float64) rateAxisSpec {
	lo, hi := 0.0, 0.0
	for _, v := range values {
		v = finite(v)
		lo, hi = min(lo, v), max(hi, v)
	}
	if hi-lo < 1e-4 {
		hi = lo + 0.01
	}
	raw := (hi - lo) / float64(steps)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 5} {
		if m*mag >= raw*(1-1e-9) {
			step = m * mag
			break
		}
	}
	// a whole number of steps, written as the decimal it is (3 × 0.1 is
	// 0.30000000000000004 in binary)
	round := func(v float64) float64 {
		r, _ := strconv.ParseFloat(strconv.FormatFloat(math.Round(v/step)*step, 'g', 12, 64), 64)
		return r
	}
	a := rateAxisSpec{Min: round(math.Floor(lo/step+1e-9) * step), Max: round(math.Ceil(hi/step-1e-9) * step), Step: step, Label: fmtPct0}
	switch points := step * 100; {
	case points < 0.1-1e-9:
		a.Label = fmtPct2
	case points < 1-1e-9:
		a.Label = fmtPct
	}
	return a
}

// withRateAxis puts rateAxis a on opt's value axis (the y axis, or the
// x axis of a horizontal bar chart: the one without categories), for
// charts go-echarts built with a fixed formatter.
func withRateAxis(opt map[string]any, a rateAxisSpec) map[string]any {
	m := withSeries(opt, nil)
	for _, key := range []string{"xAxis", "yAxis"} {
		axes, _ := m[key].([]any)
		for _, ax := range axes {
			if am, ok := ax.(map[string]any); ok && am["type"] != "category" && am["data"] == nil {
				a.set(am)
			}
		}
	}
	return m
}

// set puts a on the ECharts axis am.
func (a rateAxisSpec) set(am map[string]any) {
	am["min"], am["max"], am["minInterval"], am["maxInterval"] = a.Min, a.Max, a.Step, a.Step
	label, _ := am["axisLabel"].(map[string]any)
	if label == nil {
		label = map[string]any{}
		am["axisLabel"] = label
	}
	label["formatter"] = a.Label
}

// sparkline is an alert's small trend of the series name (the metric, in
// the page's language: the tooltip read "value" on either page) with its
// baseline as a dashed line named baselineLabel ("Baseline 43.7 %") in a
// key above the plot (baselineKey). A trend of counts (counts set) gets whole-number ticks only: a count
// axis reading 0, 1, 1, 2, 2 (0.5 steps rounded) is an artifact. A trend
// of a rate gets rateAxis.
func sparkline(id string, x []string, values []float64, missing []bool, name string, baseline float64, baselineLabel, valueFmt string, counts bool) Chart {
	y := opts.YAxis{AxisLabel: &opts.AxisLabel{Formatter: types.FuncStr(valueFmt), FontSize: 10}}
	if counts {
		y.MinInterval = 1
	}
	c := charts.NewLine()
	c.SetGlobalOptions(
		charts.WithColorsOpts(opts.Colors{"#d9534f"}),
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Trigger: "axis", ValueFormatter: types.FuncStr(valueFmt)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		// the top leaves the baseline's key a line above the plot
		charts.WithGridOpts(opts.Grid{Left: "4", Right: "8", Top: "24", Bottom: "4", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{AxisLabel: &opts.AxisLabel{FontSize: 10, Interval: labelEnds}}),
		charts.WithYAxisOpts(y),
	)
	c.SetXAxis(x)
	data := make([]opts.LineData, len(values))
	var shown []float64
	for i, v := range values {
		if i < len(missing) && missing[i] {
			data[i] = opts.LineData{Value: "-"} // ECharts' empty value: a gap in the line
			continue
		}
		data[i] = opts.LineData{Value: finite(v)}
		shown = append(shown, v)
	}
	c.AddSeries(name, data,
		charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(true)}),
		charts.WithMarkLineNameYAxisItemOpts(opts.MarkLineNameYAxisItem{Name: baselineLabel, YAxis: finite(baseline)}),
		// no label on the line: inside the plot, above the line's right
		// end, it ran over the trend where an alert's spike is drawn
		// ("Baseline 9.1 messages/day" across the shelf-life surge)
		charts.WithMarkLineStyleOpts(opts.MarkLineStyle{Symbol: []string{"none", "none"},
			Label:     &opts.Label{Show: opts.Bool(false)},
			LineStyle: &opts.LineStyle{Type: "dashed", Color: baselineColor}}),
	)
	o := withSeries(option(c), nil)
	o["graphic"] = []any{baselineKey(baselineLabel)}
	if !counts {
		o = withRateAxis(o, rateAxis(append([]float64{baseline}, shown...)...))
	}
	return Chart{ID: id, Height: 150, Option: o}
}

// baselineColor is the dashed baseline's, and its key's.
const baselineColor = "#7f8fa6"

// baselineKey names a trend's dashed baseline above the plot, at its right
// end, as a legend would: a short dashed stroke, then the label ("Baseline
// 43.7 %"). Above the grid it cannot cover the line, whatever its values.
func baselineKey(label string) map[string]any {
	return map[string]any{"type": "group", "right": 8, "top": 2, "silent": true, "children": []any{
		map[string]any{"type": "line", "shape": map[string]any{"x1": 0, "y1": 7, "x2": 18, "y2": 7},
			"style": map[string]any{"stroke": baselineColor, "lineWidth": 1, "lineDash": []int{4, 3}}},
		map[string]any{"type": "text", "x": 22, "y": 1,
			"style": map[string]any{"text": label, "fontSize": 10, "fill": "#5a6577"}},
	}}
}

// categoryLabelWidth is the width in pixels of a horizontal bar chart's
// category labels, beyond which they wrap.
const categoryLabelWidth = 120

// labelLines estimates the lines a label of 12 px text takes at width
// pixels once wrapLabel has broken it: a word wider than a line is cut
// by ECharts onto as many more.
func labelLines(label string, width int) int {
	lines := 0
	for _, line := range strings.Split(wrapLabel(label, width), "\n") {
		lines += 1 + max(0, textWidth(line)-1)/width
	}
	return lines
}

// wrapLabel breaks a category label into lines of at most width pixels
// (12 px text) between words and before an opening parenthesis, never
// inside a parenthesised term without spaces ("(紧急接管)") nor between a
// number and its unit ("3 min", joined by a no-break space, which ECharts
// keeps together as it does a Latin word). ECharts' own wrapping breaks
// between any two Chinese characters: "Missed takeover (紧急接管)" read
// "Missed takeover (紧急" over "接管)" on a laptop. A label that fits is
// returned as it is; a word wider than a line is left for ECharts to cut.
func wrapLabel(label string, width int) string {
	words := labelWords(label, width)
	var b strings.Builder
	x := 0
	for i, w := range words {
		gap := 0
		if w.space {
			gap = textWidth(" ")
		}
		switch ww := textWidth(w.text); {
		case i > 0 && x+gap+ww > width:
			b.WriteByte('\n')
			x = ww
		default:
			if i > 0 && w.space {
				b.WriteByte(' ')
			}
			x += gap + ww
		}
		b.WriteString(w.text)
	}
	return b.String()
}

// withShop is a chart's label of an agent and their shop ("Tangtang ·
// Select Mall"), the shop's words joined so that a line breaks before
// the shop's name rather than inside it ("Tangtang · Select" over "Mall").
func withShop(agent, shop string) string {
	if textWidth(shop) <= categoryLabelWidth {
		shop = strings.ReplaceAll(shop, " ", "\u00a0")
	}
	return agent + " · " + shop
}

type labelWord struct {
	text  string
	space bool // a space precedes it
}

// labelWords splits a label where a line may break: at spaces and before
// an opening parenthesis; a number is joined to the word after it, and a
// parenthesised group that fits width is one word.
func labelWords(label string, width int) []labelWord {
	var words []labelWord
	// spaces only: a no-break space (withShop) joins, though
	// strings.Fields would split at it
	for _, f := range strings.FieldsFunc(label, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' }) {
		space := true
		for len(f) > 0 {
			i := strings.IndexAny(f[1:], "(（")
			w := f
			if i >= 0 {
				w = f[:i+1]
			}
			f = f[len(w):]
			if n := len(words); n > 0 && space && isNumber(words[n-1].text) {
				words[n-1].text += "\u00a0" + w
			} else {
				words = append(words, labelWord{text: w, space: space && len(words) > 0})
			}
			space = false
		}
	}
	// a parenthesised group stays on one line when it fits one:
	// "回复超时" over "（超过 3 分钟）", not "回复超时（超过" over "3 分钟）"
	var out []labelWord
	for i := 0; i < len(words); i++ {
		w := words[i]
		if strings.HasPrefix(w.text, "(") || strings.HasPrefix(w.text, "（") {
			for j := i; j < len(words); j++ {
				if !strings.HasSuffix(words[j].text, ")") && !strings.HasSuffix(words[j].text, "）") {
					continue
				}
				g := w
				for _, v := range words[i+1 : j+1] {
					if v.space {
						g.text += "\u00a0"
					}
					g.text += v.text
				}
				if textWidth(g.text) <= width {
					w, i = g, j
				}
				break
			}
		}
		out = append(out, w)
	}
	return out
}

func isNumber(s string) bool {
	return s != "" && strings.Trim(s, "0123456789.,") == ""
}

// textWidth estimates the width of 12 px text as Chromium draws ECharts'
// labels: a Chinese character 12 px, a space or a middle dot 4 px (3.3
// measured), a capital letter, m or w 8 px, another character 6 px
// ("agent-01-1" 60 px, 58 measured).
func textWidth(s string) int {
	w := 0
	for _, r := range s {
		switch {
		case r >= 0x2E80:
			w += 12
		case r == ' ' || r == '\u00a0' || r == '·':
			w += 4
		case r >= 'A' && r <= 'Z' || r == 'm' || r == 'w':
			w += 8
		default:
			w += 6
		}
	}
	return w
}

func reversed(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[len(s)-1-i] = v
	}
	return out
}

func reversedF(s []float64) []float64 {
	out := make([]float64, len(s))
	for i, v := range s {
		out[len(s)-1-i] = v
	}
	return out
}

func chartID(prefix string, i int) string { return fmt.Sprintf("%s-%d", prefix, i) }

// intervalChart draws each category's rate as a point on its 95 % interval
// (a floating bar from low to high), so an overlap of two intervals is
// seen at once. Only the points answer the tooltip: the bars' own values
// (the interval's start and width) would read as rates.
func intervalChart(id, title string, cats []string, rates, lows, highs []float64, rateName, intervalName string) Chart {
	c := charts.NewBar()
	c.SetGlobalOptions(
		charts.WithColorsOpts(palette),
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Trigger: "item", ValueFormatter: valueFmtFunc(fmtPct)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0", Data: []string{intervalName, rateName}}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "16", Top: "36", Bottom: "8", ContainLabel: opts.Bool(true)}),
		charts.WithYAxisOpts(opts.YAxis{AxisLabel: &opts.AxisLabel{Formatter: axisFmtFunc(fmtPct0)}}),
	)
	c.SetXAxis(cats)
	base := make([]opts.BarData, len(cats))
	span := make([]opts.BarData, len(cats))
	points := make([]opts.ScatterData, len(cats))
	for i := range cats {
		base[i] = opts.BarData{Value: finite(lows[i])}
		span[i] = opts.BarData{Value: finite(highs[i] - lows[i])}
		points[i] = opts.ScatterData{Value: finite(rates[i]), SymbolSize: 14}
	}
	c.AddSeries("base", base, charts.WithBarChartOpts(opts.BarChart{Stack: "interval", BarWidth: "28%"}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "transparent"}))
	c.AddSeries(intervalName, span, charts.WithBarChartOpts(opts.BarChart{Stack: "interval", BarWidth: "28%"}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "rgba(59,111,216,0.30)", BorderColor: "#3b6fd8", BorderWidth: 1}))
	sc := charts.NewScatter()
	sc.AddSeries(rateName, points, charts.WithItemStyleOpts(opts.ItemStyle{Color: "#1f2733"}))
	c.Overlap(sc)
	m := withSeries(option(c), nil)
	for i, s := range m["series"].([]any) {
		if i < 2 {
			s.(map[string]any)["silent"] = true
			s.(map[string]any)["tooltip"] = map[string]any{"show": false}
		}
	}
	m = withRateAxis(m, rateAxisSteps(chartRateSteps, highs...)) // the intervals' tops bound every series
	return Chart{ID: id, Title: title, Height: 300, Option: m}
}
