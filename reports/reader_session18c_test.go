package reports_test

// What session 18's labels pass fixed of a newcomer's reading of the
// demo's pages (2026-12-07): labels that named another metric, or left out
// what they count, their limit or their language.

import (
	"bytes"
	"encoding/json"
	"html/template"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/reporttest"
)

// TestQARulesStateTheirLimits: "Slow first response after handoff" stood
// beside first replies of about 15 s without its 30 s, and "Missed
// takeover" without its 60 s, while "Slow reply (over 3 min)" named its
// limit. Both now name the configured limit, in both languages, and a
// configured limit other than the default is the one named.
func TestQARulesStateTheirLimits(t *testing.T) {
	f := func(q metrics.QASettings, shops []metrics.ShopQA, want map[string][]string, note bool) {
		t.Helper()
		q.Shops = shops
		for _, lang := range reports.Langs {
			_, qa := renderSLAPages(t, q, "", lang)
			for _, s := range want[lang] {
				if !strings.Contains(qa, s) {
					t.Errorf("%s: no %q on the QA page", lang, s)
				}
			}
			perShop := map[string]string{reports.LangEN: "First-response limits after a handoff differ by shop", reports.LangZH: "各店铺的转人工首响时限不同"}[lang]
			if got := strings.Contains(qa, perShop); got != note {
				t.Errorf("%s: per-shop first-response note shown %v, want %v", lang, got, note)
			}
		}
	}
	f(metrics.DefaultQASettings(), nil, map[string][]string{
		reports.LangEN: {"Slow first response after handoff (over 30 s)", "Missed takeover over 1 min (紧急接管)"},
		reports.LangZH: {"转人工首响超时（超过 30 秒）", "未及时接管（超过 1 分钟）"},
	}, false)
	q := metrics.DefaultQASettings()
	q.FirstResponseSLA, q.TakeoverWithin = 45*time.Second, 2*time.Minute
	f(q, nil, map[string][]string{
		reports.LangEN: {"Slow first response after handoff (over 45 s)", "Missed takeover over 2 min (紧急接管)"},
		reports.LangZH: {"转人工首响超时（超过 45 秒）", "未及时接管（超过 2 分钟）"},
	}, false)
	f(metrics.DefaultQASettings(), []metrics.ShopQA{{ShopID: "shop-02", FirstResponseSLA: time.Minute}}, map[string][]string{
		reports.LangEN: {"Slow first response after handoff (over the shop&#39;s limit)"},
		reports.LangZH: {"转人工首响超时（超过店铺时限）"},
	}, true)
}

// renderPage renders a page of the fixtures in lang with the fixtures' names.
func renderPage(t *testing.T, lang string, fn func(*bytes.Buffer, reports.RenderOptions) error) string {
	t.Helper()
	var b bytes.Buffer
	if err := fn(&b, reports.RenderOptions{Lang: lang, Names: reporttest.Names()}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestExperimentsOrderRateLabel: the experiments table's column read
// "Consult → order" / 询单→下单, the weekly page's headline, but held §11's
// order rate (exposed buyers, each once): 31.8 % beside the shop's 39.7 %.
// Its header and the chart's series read "Order rate" / 下单率, as the
// intro and the verdict, and a note says why it is not consult → order.
func TestExperimentsOrderRateLabel(t *testing.T) {
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		page := renderPage(t, lang, func(b *bytes.Buffer, o reports.RenderOptions) error {
			return reports.RenderExperiments(b, reporttest.Experiments(), o)
		})
		if s := `<th class="num">` + template.HTMLEscapeString(l.T("order_rate")) + `</th>`; strings.Contains(page, s) {
			t.Errorf("%s: the table still has the column %s", lang, s)
		}
		if s := `<th class="num">` + l.T("exp.order_rate") + `</th>`; !strings.Contains(page, s) {
			t.Errorf("%s: no column %s", lang, s)
		}
		if s := `"name":` + jsonString(t, l.T("exp.order_rate")); !strings.Contains(page, s) {
			t.Errorf("%s: the chart's series is not named %s", lang, s)
		}
		if strings.Contains(page, jsonString(t, l.T("order_rate"))) {
			t.Errorf("%s: the chart still names %q", lang, l.T("order_rate"))
		}
		if !strings.Contains(page, template.HTMLEscapeString(l.T("exp.order_rate_note"))) {
			t.Errorf("%s: no note on why the order rate is not consult → order", lang)
		}
	}
}

// TestWeeklyPaidAmountSaysWhatItCounts: "Paid amount" / 付款金额 was §1's
// final_paid_amount, what consulting buyers paid within W of their
// consultation, dated by that day, and read as the shops' sales (¥485k
// beside a GMV of ¥473k for the same days). The cards, the tail block and
// the shop × channel table name it with its window, from the coverage,
// and the note says it is not the GMV of these days and why.
func TestWeeklyPaidAmountSaysWhatItCounts(t *testing.T) {
	f := func(window time.Duration, want map[string]string) {
		t.Helper()
		for _, lang := range reports.Langs {
			w := reporttest.Weekly()
			w.Coverage.Window = window
			page := renderPage(t, lang, func(b *bytes.Buffer, o reports.RenderOptions) error { return reports.RenderWeekly(b, w, o) })
			page = strings.ReplaceAll(page, "\u00a0", " ")
			for _, old := range []string{">Paid amount<", ">付款金额<"} {
				if strings.Contains(page, old) {
					t.Errorf("%s: the page still reads %q", lang, old)
				}
			}
			label := want[lang]
			if got := strings.Count(page, `<th class="num">`+label+`</th>`); got != 1 {
				t.Errorf("%s: the shop × channel table's header %q appears %d times", lang, label, got)
			}
			if got := strings.Count(page, `<div class="label">`+label); got != 2 {
				t.Errorf("%s: %d cards named %q, want 2 (final days, days still open)", lang, got, label)
			}
			gmv := map[string]string{reports.LangEN: "It is not the GMV of these days", reports.LangZH: "它不是这些天的 GMV"}[lang]
			if !strings.Contains(page, gmv) {
				t.Errorf("%s: the note does not say %q", lang, gmv)
			}
		}
	}
	f(72*time.Hour, map[string]string{reports.LangEN: "Paid by consulting buyers (72 h)", reports.LangZH: "询单买家付款金额（72 小时内）"})
	f(48*time.Hour, map[string]string{reports.LangEN: "Paid by consulting buyers (48 h)", reports.LangZH: "询单买家付款金额（48 小时内）"})
}

// pageCharts are the ECharts options of every chart of a rendered page.
func pageCharts(t *testing.T, page string) map[string]map[string]any {
	t.Helper()
	i := strings.Index(page, "window.CONVINTEL = ")
	j := strings.Index(page[max(i, 0):], ";</script>")
	var boot struct {
		Charts []struct {
			ID     string         `json:"id"`
			Option map[string]any `json:"option"`
		} `json:"charts"`
	}
	if i < 0 || j < 0 || json.Unmarshal([]byte(page[i+len("window.CONVINTEL = "):i+j]), &boot) != nil {
		t.Fatalf("no chart data in the page")
	}
	out := map[string]map[string]any{}
	for _, c := range boot.Charts {
		out[c.ID] = c.Option
	}
	return out
}

// TestAlertTrendNamesSeriesAndBaseline: the alert cards' trends named
// their series "value", which the tooltip showed ("2026-W40 ● value
// 64.4 %", in English on the zh page), and their dashed baseline had a
// name no label or legend showed. The series is the metric in the page's
// language ("Abandonment" / 流失率) and the line reads "Baseline 43.7 %" /
// "基线 43.7 %", the card's baseline.
func TestAlertTrendNamesSeriesAndBaseline(t *testing.T) {
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		page := renderPage(t, lang, func(b *bytes.Buffer, o reports.RenderOptions) error {
			return reports.RenderAlerts(b, reporttest.Alerts(), o)
		})
		var metricNames []string
		for _, rule := range []string{"topic_surge", "dropoff_spike", "negative_surge", "fallback_spike", "conversion_drop"} {
			metricNames = append(metricNames, l.T("alerts.value_of."+rule))
		}
		trends := 0
		for id, opt := range pageCharts(t, page) {
			series, _ := opt["series"].([]any)
			for _, s := range series {
				m, _ := s.(map[string]any)
				if m["type"] != "line" {
					continue
				}
				trends++
				if name, _ := m["name"].(string); !slices.Contains(metricNames, name) {
					t.Errorf("%s %s: the trend's series is named %q, not its metric (%v)", lang, id, name, metricNames)
				}
				// named in the key above the plot since session 19
				text := baselineKeyText(opt)
				if !strings.HasPrefix(text, l.T("alerts.baseline")+" ") || !strings.ContainsAny(text, "0123456789") {
					t.Errorf("%s %s: the baseline's key reads %q (want %q and its value)", lang, id, text, l.T("alerts.baseline"))
				}
				if text != "" && !strings.Contains(page, text[len(l.T("alerts.baseline"))+1:]) {
					t.Errorf("%s %s: the baseline's %q is not the card's", lang, id, text)
				}
			}
		}
		if trends == 0 {
			t.Fatalf("%s: no alert trend on the fixture page", lang)
		}
	}
}

// TestWeeklyFinalFiguresShownFinal: the block "Still inside the order
// window (not final)" held "Consulting buyers 8,011", a count that cannot
// change, and left out consult → same-day paid, final once a day ends;
// the daily chart's band "* not final" covered the same-day line too.
// Both figures are shown over every day of the week, final, the not-final
// block holds only what waits for orders, and the band names its lines.
func TestWeeklyFinalFiguresShownFinal(t *testing.T) {
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		w := reporttest.Weekly()
		page := renderPage(t, lang, func(b *bytes.Buffer, o reports.RenderOptions) error { return reports.RenderWeekly(b, w, o) })
		card := func(key string) string { return `<div class="label">` + template.HTMLEscapeString(l.T(key)) + `</div>` }
		i := strings.Index(page, `<div class="tail">`)
		if i < 0 {
			t.Fatalf("%s: no block of days not final", lang)
		}
		tail := page[i : i+strings.Index(page[i:], "</div></div></div>")]
		for _, key := range []string{"consulting_buyers", "same_day_pay_rate"} {
			if strings.Contains(tail, card(key)) {
				t.Errorf("%s: %s is in the block of figures not final", lang, l.T(key))
			}
		}
		for _, key := range []string{"order_rate", "final_pay_rate", "final_paid_amount"} {
			if !strings.Contains(tail, card(key)) {
				t.Errorf("%s: %s is not in the block of figures not final", lang, l.T(key))
			}
		}
		var buyers, sameDay int64
		for _, d := range w.Daily {
			buyers, sameDay = buyers+d.ConsultingBuyers, sameDay+d.SameDayPaidBuyers
		}
		final := page[strings.Index(page, template.HTMLEscapeString(l.T("maturity.every_day"))):i]
		for _, s := range []string{card("consulting_buyers") + `<div class="value">` + l.Count(buyers),
			card("same_day_pay_rate") + `<div class="value">` + l.Percent(float64(sameDay)/float64(buyers))} {
			if !strings.Contains(final, s) {
				t.Errorf("%s: no %q among the figures final on every day", lang, s)
			}
		}
		band := pageCharts(t, page)["chart-daily"]
		text, _ := json.Marshal(band["series"])
		if !strings.Contains(string(text), jsonString(t, l.T("maturity.shade"))) ||
			!strings.Contains(strings.ToLower(l.T("maturity.shade")), strings.ToLower(l.T("order_rate"))) ||
			strings.Contains(strings.ToLower(l.T("maturity.shade")), strings.ToLower(l.T("same_day_pay_rate"))) {
			t.Errorf("%s: the daily chart's band does not name the lines not final: %q", lang, l.T("maturity.shade"))
		}
	}
}

// TestHoursTooltipNamesTheCell: hovering the heat-map read "Consultations
// ● 21 596": no weekday, and the hour in the same type as the count, read
// as twenty-one thousand. Each cell's tooltip names its weekday, hour and
// count: "Thu 21:00 · 596 consultations" / "周四 21:00 · 596 次咨询".
func TestHoursTooltipNamesTheCell(t *testing.T) {
	w := weeklyWithHours([]hoursCell{{Weekday: 4, Hour: 21, Consultations: 596}, {Weekday: 1, Hour: 9, Consultations: 1}})
	want := map[string][]string{
		reports.LangEN: {"Thu 21:00 · 596 consultations", "Mon 09:00 · 1 consultation", "Sun 23:00 · 0 consultations"},
		reports.LangZH: {"周四 21:00 · 596 次咨询", "周一 09:00 · 1 次咨询", "周日 23:00 · 0 次咨询"},
	}
	for _, lang := range reports.Langs {
		_, opt := hoursPage(t, w, lang)
		tips, _ := opt["tooltip"].(map[string]any)
		if tips == nil {
			list, _ := opt["tooltip"].([]any)
			if len(list) > 0 {
				tips, _ = list[0].(map[string]any)
			}
		}
		if tips["formatter"] != "{b}" {
			t.Errorf("%s: the tooltip's formatter is %v, not the cell's name", lang, tips["formatter"])
		}
		series, _ := opt["series"].([]any)
		data, _ := series[0].(map[string]any)["data"].([]any)
		var names []string
		for _, d := range data {
			name, _ := d.(map[string]any)["name"].(string)
			names = append(names, name)
		}
		for _, s := range want[lang] {
			if !slices.Contains(names, s) {
				t.Errorf("%s: no cell named %q (of %d cells, first %q)", lang, s, len(names), names[0])
			}
		}
	}
}

// TestBrokenSplitNamesThePlan: "Broken split. The arms' buyers (1,970 :
// 1,439) do not match the planned split (p < 0.0001)" never said what was
// planned (experiments.split, 50 : 50 by default): a 58 : 42 split is only
// broken against a plan. The verdict names it, and so does the buyers
// column's header, beside each arm's actual share (session 19: the planned
// share had stood beside each count, "1,970 (50 %)" beside "1,439 (50 %)").
func TestBrokenSplitNamesThePlan(t *testing.T) {
	x := reporttest.Experiments()
	x.Experiments[2].Arms[0].PlannedShare, x.Experiments[2].Arms[1].PlannedShare = ptr(0.6), ptr(0.4)
	want := map[string][]string{
		reports.LangEN: {"do not match the planned split of 60 : 40 (", `<th class="num">Buyers (share)</th>`, "Planned split of buyers between the arms (set in the configuration by your administrator): 60 : 40",
			`<td class="num">1,160<span class="sub">` + "\u00a0(58\u00a0%)</span></td>", `<td class="num">840<span class="sub">` + "\u00a0(42\u00a0%)</span></td>"},
		reports.LangZH: {"与计划分流 60 : 40 不符（", `<th class="num">人数（占比）</th>`, "计划分流（各组人数之比，由管理员在配置中设定）：60 : 40", `<td class="num">1,160<span class="sub">` + "（58\u00a0%）</span></td>"},
	}
	for _, lang := range reports.Langs {
		page := renderPage(t, lang, func(b *bytes.Buffer, o reports.RenderOptions) error { return reports.RenderExperiments(b, x, o) })
		for _, s := range want[lang] {
			if !strings.Contains(page, template.HTMLEscapeString(s)) && !strings.Contains(page, s) {
				t.Errorf("%s: no %q on the experiments page", lang, s)
			}
		}
	}
}

func ptr(v float64) *float64 { return &v }

// TestZHPunctuationAndAxisTitle: the zh footer read "口径见指标定义
// (docs/metrics.md) · … Apache ECharts 5.5.1（Apache-2.0）", Latin and
// Chinese brackets on one line; the zh heat-map's "星期" was turned on its
// side; the English QA trend named its share series "Conversations with a
// violation". The footer takes the page's brackets, the zh title stands
// upright, one character under the other, and the series reads "Share of
// conversations with a violation".
func TestZHPunctuationAndAxisTitle(t *testing.T) {
	for _, lang := range reports.Langs {
		page := renderPage(t, lang, func(b *bytes.Buffer, o reports.RenderOptions) error {
			return reports.RenderWeekly(b, reporttest.Weekly(), o)
		})
		footer := page[strings.Index(page, "<footer>"):strings.Index(page, "</footer>")]
		want := map[string]string{reports.LangEN: "the metric definitions (<code>docs/metrics.md</code>)", reports.LangZH: "指标定义（<code>docs/metrics.md</code>）"}[lang]
		if !strings.Contains(footer, want) {
			t.Errorf("%s: footer %q has no %q", lang, footer, want)
		}
		if lang == reports.LangZH && strings.ContainsAny(footer, "()") {
			t.Errorf("zh: the footer mixes Latin brackets: %q", footer)
		}
	}
	w := weeklyWithHours([]hoursCell{{Weekday: 4, Hour: 21, Consultations: 596}})
	for lang, want := range map[string][2]any{reports.LangZH: {"星\n期", 0.0}, reports.LangEN: {"Weekday", 90.0}} {
		_, opt := hoursPage(t, w, lang)
		y := opt["yAxis"].([]any)[0].(map[string]any)
		if y["name"] != want[0] || y["nameRotate"] != want[1] {
			t.Errorf("%s: the heat-map's weekday title %q turned %v, want %q turned %v", lang, y["name"], y["nameRotate"], want[0], want[1])
		}
	}
	qa := renderPage(t, reports.LangEN, func(b *bytes.Buffer, o reports.RenderOptions) error { return reports.RenderQA(b, reporttest.QA(), o) })
	if !strings.Contains(qa, `"name":"Share of conversations with a violation"`) {
		t.Errorf("en: the QA trend's share series is not named as a share")
	}
}
