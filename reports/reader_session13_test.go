package reports_test

// What session 13 fixed of the items session 12 saw and left: experiments
// and arms by their ids, the heat-map not marking the coverage gaps,
// compact paid amounts on the weekly cards, a Chinese term broken inside
// a bar label, one shop named in each of the worst gap hours.

import (
	"bytes"
	"fmt"
	"html"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/reporttest"
)

// TestExperimentNames: the experiments page named experiments and arms by
// their ids in code type (`limited-time-script`, `control`) in both
// languages. With names in the dimension file it reads them as text, in
// the heading, the table, the verdict, the totals and the chart, and keeps
// the ids beside the names in the heading and the table, where an
// operator looks them up in the bot engine (a Chinese name set into a
// Chinese verdict without spaces around it); an arm named for every
// experiment ("arm,control") serves each, and what has no name shows its
// id as before.
func TestExperimentNames(t *testing.T) {
	names, err := reports.ReadDimensions(strings.NewReader("kind,id,zh,en\n" +
		"experiment,limited-time-script,限时优惠话术,Limited-time offer script\n" +
		"arm,limited-time-script/limited-time,限时优惠,Limited-time offer\n" +
		"arm,control,原话术,Current script\n"))
	if err != nil {
		t.Fatal(err)
	}
	x := reporttest.Experiments()
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		l = l.WithNames(names)
		var b bytes.Buffer
		if err := reports.RenderExperiments(&b, x, reports.RenderOptions{Lang: lang, Names: names}); err != nil {
			t.Fatal(err)
		}
		page := b.String()
		sections := strings.Split(page, `<section class="experiment">`)[1:]
		if len(sections) != 3 {
			t.Fatalf("%s: %d experiments drawn", lang, len(sections))
		}
		head := func(s string) string { h, _, _ := strings.Cut(s[strings.Index(s, "<h2>"):], "</h2>"); return h }
		exp, arm, ctrl := l.Display("experiment", "limited-time-script"), "Limited-time offer", "Current script"
		if lang == reports.LangZH {
			arm, ctrl = "限时优惠", "原话术"
		}
		// the named experiment: its name as text, its id beside it
		if h := head(sections[0]); !strings.HasPrefix(h, "<h2>"+exp+" ") || !strings.Contains(h, `<span class="id sub">limited-time-script</span>`) {
			t.Errorf("%s: heading %q does not read %q with its id beside it", lang, h, exp)
		}
		rows := tableCells(sections[0])
		variant := l.T("exp.variant")
		wantCtrl := ctrl + " (" + l.T("exp.control") + ")control"
		if lang == reports.LangZH {
			wantCtrl = ctrl + "（" + l.T("exp.control") + "）control"
		}
		if len(rows) != 2 || rows[0][variant] != wantCtrl || rows[1][variant] != arm+"limited-time" {
			t.Errorf("%s: arms read %q, want %q and %q (name, then the id)", lang, rows, wantCtrl, arm+"limited-time")
		}
		if strings.Contains(sections[0], `class="id">control<`) || strings.Contains(sections[0], `class="id">limited-time<`) {
			t.Errorf("%s: a named arm is shown as an id in code type", lang)
		}
		text := html.UnescapeString(sections[0])
		if v := sections[0][strings.Index(sections[0], `<p class="verdict`):]; !strings.Contains(v[:strings.Index(v, "</p>")], "</strong> "+arm+map[string]string{reports.LangEN: " converts", reports.LangZH: "下单率"}[lang]) {
			t.Errorf("%s: the verdict does not name the winner %q: %q", lang, arm, v[:strings.Index(v, "</p>")])
		}
		if !strings.Contains(text, arm+" "+l.Money(x.Experiments[0].Arms[1].PaidAmount)) {
			t.Errorf("%s: the paid totals do not name the arm %q", lang, arm)
		}
		xAxis, _ := chartOption(t, page, "chart-exp-0")["xAxis"].([]any)
		cats, _ := xAxis[0].(map[string]any)["data"].([]any)
		if len(cats) != 2 || cats[0] != ctrl || cats[1] != arm {
			t.Errorf("%s: the interval chart names the arms %v, want %q, %q", lang, cats, ctrl, arm)
		}
		// a Chinese name sits in a Chinese sentence without spaces:
		// "限时优惠 下单率" read as two words set apart
		if lang == reports.LangZH {
			x0 := x.Experiments[0]
			x0.Verdict = metrics.VerdictControl
			han := regexp.MustCompile(`\p{Han} +\p{Han}`)
			for _, v := range []string{x.Experiments[0].VerdictLine(l), x0.VerdictLine(l)} {
				if m := han.FindString(v); m != "" || !strings.Contains(v, arm) && !strings.Contains(v, ctrl) {
					t.Errorf("zh verdict %q: %q, or no arm named", v, m)
				}
			}
		}
		// an experiment without a name shows its id, an arm without one too;
		// the control takes the name given for every experiment's control
		if h := head(sections[2]); !strings.Contains(h, `<span class="id">emoji-greeting</span>`) {
			t.Errorf("%s: heading of an unnamed experiment %q", lang, h)
		}
		rows = tableCells(sections[2])
		if len(rows) != 2 || rows[0][variant] != wantCtrl || !strings.Contains(sections[2], `<td class="id">emoji</td>`) {
			t.Errorf("%s: arms of emoji-greeting read %q", lang, rows)
		}
	}
}

// TestGapNoteNamesTheShopOnce: when the worst gap hours the heat-map's
// note lists are all one shop's (the demo's five are Geek Digital's), the
// shop was named in each; it is said once, before the list. Slots of
// several shops still name theirs, and a page of one shop names none.
func TestGapNoteNamesTheShopOnce(t *testing.T) {
	names := reporttest.Names()
	slots := func(shops ...string) []reports.GapSlot {
		var out []reports.GapSlot
		for i, s := range shops {
			out = append(out, reports.GapSlot{Shop: s, Weekday: 1 + i%7, Hour: i, Gaps: 1, Unanswered: int64(20 - i)})
		}
		return out
	}
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		l = l.WithNames(names)
		shop := l.Display("shop", "shop-01")
		one := &reports.HoursHeat{ByShop: true, GapSlots: slots("shop-01", "shop-01", "shop-01", "shop-01", "shop-01", "shop-01")}
		note := one.GapNote(l)
		if strings.Count(note, shop) != 1 || strings.Index(note, shop) > strings.Index(note, l.T("weekday.1")) {
			t.Errorf("%s: five slots of one shop: the note names %q %d times, or after the hours: %q", lang, shop, strings.Count(note, shop), note)
		}
		if strings.Count(note, ":00") != reports.WorstGapSlots {
			t.Errorf("%s: %d hours listed: %q", lang, strings.Count(note, ":00"), note)
		}
		mixed := &reports.HoursHeat{ByShop: true, GapSlots: slots("shop-01", "shop-02", "shop-01")}
		if note := mixed.GapNote(l); strings.Count(note, shop) != 2 || strings.Count(note, "shop-02") != 1 {
			t.Errorf("%s: slots of two shops do not each name theirs: %q", lang, note)
		}
		single := &reports.HoursHeat{GapSlots: slots("shop-01", "shop-01")}
		if note := single.GapNote(l); strings.Contains(note, shop) {
			t.Errorf("%s: a page of one shop names it in the note: %q", lang, note)
		}
	}
}

// TestWeeklyPaidCardsExact: the weekly cards gave the paid amount compact
// (¥485k, ¥48.5万) beside the shop × channel table, which gives each line
// to the fen: a manager adding the lines up could not check the card. The
// card gives the amount to the fen, as the GMV cards do since session 10,
// and it is the sum of the table's lines; the card of the days still
// inside the order window too.
func TestWeeklyPaidCardsExact(t *testing.T) {
	w := reporttest.Weekly()
	card := regexp.MustCompile(`<div class="label">([^<]*)</div><div class="value([^"]*)">([^<]*)</div>`)
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		var b bytes.Buffer
		if err := reports.RenderWeekly(&b, w, reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		var lines metrics.Money
		for _, line := range w.ByShopChannel {
			lines += line.Current.FinalPaidAmount
		}
		var got []string
		for _, m := range card.FindAllStringSubmatch(b.String(), -1) {
			if html.UnescapeString(m[1]) != l.T("final_paid_amount") {
				continue
			}
			got = append(got, m[3])
			if m[2] != " exact" {
				t.Errorf("%s: paid amount card %q is not styled as an exact amount (%q)", lang, m[3], m[2])
			}
		}
		if want := []string{l.Money(lines), l.Money(w.TailFigures.FinalPaidAmount)}; strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%s: paid amount cards %q, want %q (the table's lines add up to %s)", lang, got, want, l.Money(lines))
		}
	}
}

// TestBarLabelsKeepTerms: the QA rule chart's "Missed takeover (紧急接管)"
// broke inside the Chinese term on a laptop ("Missed takeover (紧急" over
// "接管)"): ECharts breaks a label between any two Chinese characters, and
// "Slow reply (over 3 min)" between the number and its unit. The labels
// reach ECharts broken into lines that fit the label width (12 px text
// as Chromium draws it: 12 px a Chinese character, 4 px a space, 8 px a
// capital, about 6 px another), between words, with a
// parenthesised term whole and a number beside its unit.
func TestBarLabelsKeepTerms(t *testing.T) {
	width := reports.TextWidth
	for _, lang := range reports.Langs {
		var b bytes.Buffer
		if err := reports.RenderQA(&b, reporttest.QA(), reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		opt := chartOption(t, b.String(), "chart-qa-rules")
		y := opt["yAxis"].([]any)[0].(map[string]any)
		limit, _ := y["axisLabel"].(map[string]any)["width"].(float64)
		var all []string
		for _, label := range drawnLabels(y) {
			all = append(all, strings.ReplaceAll(label, "\n", " | "))
			for _, line := range strings.Split(label, "\n") {
				if width(line) > int(limit) {
					t.Errorf("%s: label line %q is wider than the labels' %v px: ECharts breaks it where it likes", lang, line, limit)
				}
				if open, close := strings.Count(line, "(")+strings.Count(line, "（"), strings.Count(line, ")")+strings.Count(line, "）"); open != close && !strings.ContainsAny(label, " ") {
					t.Errorf("%s: label %q breaks inside its parentheses", lang, label)
				}
				if strings.TrimRight(line, "0123456789") != line {
					t.Errorf("%s: label %q leaves a number at the end of a line, its unit on the next", lang, label)
				}
			}
		}
		// the QA table's header too: "Slow reply (over 3" over "min)"
		if sla := map[string]string{reports.LangEN: ">Slow reply (over 3\u00a0min)<", reports.LangZH: ">回复超时（超过 3\u00a0分钟）<"}[lang]; !strings.Contains(b.String(), sla) {
			t.Errorf("%s: the QA page's slow-reply header does not keep 3 and its unit together (want %q)", lang, sla)
		}
		// each label gets 18 px a line and room beside the next: at 16 px
		// the two lines of "Slow reply (over 3 min)" met the next label's
		lines := 0
		for _, label := range drawnLabels(y) {
			lines = max(lines, strings.Count(label, "\n")+1)
		}
		if m := regexp.MustCompile(`id="chart-qa-rules" style="height: (\d+)px"`).FindStringSubmatch(b.String()); m == nil {
			t.Errorf("%s: no rule chart height", lang)
		} else if h, _ := strconv.Atoi(m[1]); h < 40+len(y["data"].([]any))*(18*lines+10) {
			t.Errorf("%s: rule chart %d px tall for %d labels of up to %d lines", lang, h, len(y["data"].([]any)), lines)
		}
		if lang == reports.LangEN && !slices.Contains(all, "Missed takeover over | 1\u00a0min (紧急接管)") {
			t.Errorf("en: the rule labels are %q, want (紧急接管) whole on its line", all)
		}
		// an agent's shop stays whole on its line: "Tangtang · Select" over
		// "Mall" on the GMV dashboard
		names, err := reports.ReadDimensions(strings.NewReader("kind,id,zh,en\nshop,shop-01,精选商城,Select Mall\nagent,agent-07,糖糖,Tangtang\n"))
		if err != nil {
			t.Fatal(err)
		}
		l, _ := reports.NewLocale(lang)
		l = l.WithNames(names)
		b.Reset()
		if err := reports.RenderGMV(&b, reporttest.GMV(), reports.RenderOptions{Lang: lang, Names: names}); err != nil {
			t.Fatal(err)
		}
		shop, found := l.Display("shop", "shop-01"), false
		axis := chartOption(t, b.String(), "chart-agents")["yAxis"].([]any)[0].(map[string]any)
		// the label as drawn: its lines (session 20) when it is broken
		drawn, _ := axis["axisLabel"].(map[string]any)["lines"].(map[string]any)
		for _, c := range axis["data"].([]any) {
			label := c.(string)
			if !strings.HasSuffix(unwrapLabel(label), " · "+shop) {
				continue
			}
			found = true
			if w, ok := drawn[label].(string); ok {
				label = w
			}
			if lines := strings.Split(unwrapLabel(strings.ReplaceAll(label, "\n", "|")), "|"); !strings.HasSuffix(lines[len(lines)-1], shop) {
				t.Errorf("%s: agent label %q breaks inside the shop's name %q", lang, label, shop)
			}
		}
		if !found {
			t.Errorf("%s: no agent of %s in the GMV chart", lang, shop)
		}
	}
}

// TestHoursGapsMarked: the heat-map did not mark the coverage gaps (the
// note under it names the worst five of 40). Every weekday-hour in which
// a shop had a gap carries a red dot on its cell, and a legend names the
// dot in the page's language; the note says how many cells the counted
// hours fall in when a cell holds several (a shop's hour counts apart); the colour scale stays the consultations'
// (not the dots'), and a heat-map without gaps has no dots and no legend.
func TestHoursGapsMarked(t *testing.T) {
	w := weeklyWithHours([]hoursCell{{4, 0, 40}, {7, 1, 12}, {1, 10, 596}},
		reports.GapSlot{Shop: "shop-01", Weekday: 4, Hour: 0, Gaps: 2, Unanswered: 22},
		reports.GapSlot{Shop: "shop-02", Weekday: 4, Hour: 0, Gaps: 1, Unanswered: 3}, // the same cell, another shop
		reports.GapSlot{Shop: "shop-01", Weekday: 7, Hour: 1, Gaps: 1, Unanswered: 10},
	)
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		_, opt := hoursPage(t, w, lang)
		days := opt["yAxis"].([]any)[0].(map[string]any)["data"].([]any)
		series := opt["series"].([]any)
		var marked []string
		var name string
		for _, s := range series[1:] {
			m := s.(map[string]any)
			if m["type"] != "scatter" {
				continue
			}
			name, _ = m["name"].(string)
			for _, d := range m["data"].([]any) {
				v := d.(map[string]any)["value"].([]any)
				marked = append(marked, fmt.Sprintf("%s %02d", days[int(v[1].(float64))], int(v[0].(float64))))
			}
		}
		want := []string{l.T("weekday.4") + " 00", l.T("weekday.7") + " 01"}
		if strings.Join(marked, "|") != strings.Join(want, "|") {
			t.Errorf("%s: cells marked %q, want %q", lang, marked, want)
		}
		legend := opt["legend"].(map[string]any)
		if legend["show"] != true || name != l.T("hours.gap_mark") || fmt.Sprint(legend["data"]) != "["+name+"]" {
			t.Errorf("%s: the dots are named %q, the legend shows %v %v", lang, name, legend["show"], legend["data"])
		}
		// 4 gap hours of a shop and a day fall in 2 cells: the note says so,
		// or a reader counts two dots against "4 hours"
		if note := w.Hours.GapNote(l); !strings.Contains(note, l.Tf("hours.gaps_marked_cells", 2)) {
			t.Errorf("%s: the note does not say the dots mark the 2 hours the 4 fall in: %q", lang, note)
		}
		if vm := opt["visualMap"].([]any)[0].(map[string]any); vm["seriesIndex"] != 0.0 {
			t.Errorf("%s: the colour scale applies to series %v, not the consultations alone", lang, vm["seriesIndex"])
		}
	}
	if _, opt := hoursPage(t, weeklyWithHours([]hoursCell{{4, 0, 40}, {1, 10, 596}}), reports.LangEN); len(opt["series"].([]any)) != 1 {
		t.Errorf("a heat-map without gaps has %d series", len(opt["series"].([]any)))
	}
}

// drawnLabels are a category axis's labels as drawn: a category broken
// into lines is drawn from its axis label's lines (session 20), the
// category itself staying whole for the tooltip.
func drawnLabels(axis map[string]any) []string {
	lines, _ := axis["axisLabel"].(map[string]any)["lines"].(map[string]any)
	var out []string
	for _, c := range axis["data"].([]any) {
		label := c.(string)
		if w, ok := lines[label].(string); ok {
			label = w
		}
		out = append(out, label)
	}
	return out
}

// unwrapLabel is a chart's category label as the page built it, before
// the lines it was broken into to fit (wrapLabel).
func unwrapLabel(s string) string { return strings.NewReplacer("\n", " ", "\u00a0", " ").Replace(s) }

// TestRepurchaseCardExact: the GMV dashboard's bot-guided repurchase GMV
// read ¥1.35M (¥135.1万) two cards below a total GMV of ¥5,178,142.00, of
// which the card beside it says it is 26.1 %: an executive could not check
// the share. It is GMV and given to the fen as the GMV cards are; the cost
// saved, an estimate from assumed costs, stays compact.
func TestRepurchaseCardExact(t *testing.T) {
	g := reporttest.GMV()
	g.Growth = &reports.GrowthCards{Current: reports.GrowthFigures{HasValue: true, HoursSaved: 1812, CostSaved: 7_248_160,
		BotGuidedRepurchaseGMV: 135_123_456, PaidOrders: 900}}
	card := regexp.MustCompile(`<div class="label">([^<]*)</div><div class="value([^"]*)">([^<]*)</div>`)
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		var b bytes.Buffer
		if err := reports.RenderGMV(&b, g, reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		cards := map[string][2]string{}
		for _, m := range card.FindAllStringSubmatch(b.String(), -1) {
			cards[html.UnescapeString(m[1])] = [2]string{m[2], m[3]}
		}
		if got, want := cards[l.T("growth.bot_repurchase")], [2]string{" exact", l.Money(135_123_456)}; got != want {
			t.Errorf("%s: repurchase card %q, want %q", lang, got, want)
		}
		if got := cards[l.T("growth.cost_saved")]; got[1] != l.MoneyCompact(7_248_160) {
			t.Errorf("%s: cost saved card %q, want the estimate compact, %s", lang, got, l.MoneyCompact(7_248_160))
		}
	}
}

// TestSlowReplySaysItsDelay: a slow reply among the worst conversations
// read "Slow reply (over 3 min)" and, under "What", a bare "4.0 min",
// which a supervisor took for the reply's time or the limit. The cell says
// what the time is: "replied after 4.0 min" / "4.0 分钟后才回复".
func TestSlowReplySaysItsDelay(t *testing.T) {
	q := reporttest.QA()
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		var b bytes.Buffer
		if err := reports.RenderQA(&b, q, reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{reports.LangEN: "replied after " + l.Seconds(241), reports.LangZH: l.Seconds(241) + "后才回复"}[lang]
		if !strings.Contains(b.String(), `<td class="long">`+want+`</td>`) || strings.Contains(b.String(), `<td class="long">`+l.Seconds(241)+`</td>`) {
			t.Errorf("%s: the slow reply's delay does not read %q", lang, want)
		}
		first := reports.QAViolation{Rule: "slow_first_response", DelayS: 300}
		if got := first.DelayText(l); !strings.Contains(got, l.Seconds(300)) || got == (reports.QAViolation{Rule: "slow_reply", DelayS: 300}).DelayText(l) {
			t.Errorf("%s: a slow first response reads %q", lang, got)
		}
	}
}

// TestConductExamplesDistinct: the alerts page's service-quality list gave
// an agent's two examples as the same message twice ("你烦不烦啊，详情页都写了;
// 你烦不烦啊，详情页都写了"), joined by a Latin semicolon on the Chinese page.
// Each text is shown once, with how often it was stored, then the next
// distinct one; the separator is the language's.
func TestConductExamplesDistinct(t *testing.T) {
	a := reporttest.Alerts()
	a.Conduct[0].Evidence = []string{"你烦不烦啊，详情页都写了", "你烦不烦啊，详情页都写了", "爱买不买", "vx同号，私聊"}
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		var b bytes.Buffer
		if err := reports.RenderAlerts(&b, a, reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		want := "你烦不烦啊，详情页都写了" + l.Tf("alerts.evidence_times", 2) + l.T("alerts.evidence_sep") + "爱买不买"
		if s := html.UnescapeString(b.String()); !strings.Contains(s, `<td class="long">`+want+`</td>`) {
			t.Errorf("%s: the service-quality examples do not read %q", lang, want)
		}
	}
	if l, _ := reports.NewLocale(reports.LangZH); l.T("alerts.evidence_sep") != "；" {
		t.Errorf("zh: examples joined by %q", l.T("alerts.evidence_sep"))
	}
}

// TestFooterChineseSpacing: every Chinese page's footer read "口径见 指标定义",
// a space between two Chinese words; the English one keeps its space
// before the link.
func TestFooterChineseSpacing(t *testing.T) {
	for _, lang := range reports.Langs {
		var b bytes.Buffer
		if err := reports.RenderWeekly(&b, reporttest.Weekly(), reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		footer := b.String()[strings.Index(b.String(), "<footer>"):]
		want := map[string]string{reports.LangZH: "口径见指标定义", reports.LangEN: "defined in the metric definitions"}[lang]
		if !strings.Contains(footer, want) {
			t.Errorf("%s footer %q: want %q", lang, footer[:min(len(footer), 120)], want)
		}
	}
}
