package reports_test

// What session 18 fixed of a newcomer's reading of the demo's pages
// (2026-12-07, headless Chromium at 1280 px and on a 390 px phone, both
// languages).

import (
	"bytes"
	"html"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/reporttest"
	"github.com/convintel/convintel/simulate"
)

// hyphenNumber is a number written with an ASCII hyphen for its sign, as
// a reader sees it: after a space, a bracket or the start of a text.
var hyphenNumber = regexp.MustCompile(`(^|[\s(（>:：,，])-[¥\d]`)

// pageText is a page's text as a reader sees it: no scripts, styles or
// tags, entities decoded.
func pageText(page string) string {
	tags := regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<[^>]*>`)
	return html.UnescapeString(tags.ReplaceAllString(page, " "))
}

// TestChangesPrintMinus: every change read "-3.5 %", "-2.1 pp", "-0.02"
// with an ASCII hyphen, and the sentiment scale "from -1": a hyphen is a
// dash to a reader, shorter than the "+" of the rising figures beside it.
// Whatever Locale writes for people takes the minus sign U+2212; the
// fixture pages hold no number with a hyphen for its sign.
func TestChangesPrintMinus(t *testing.T) {
	en, _ := reports.NewLocale(reports.LangEN)
	zh, _ := reports.NewLocale(reports.LangZH)
	f := func(got, want string) {
		t.Helper()
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
	f(en.Points(0.30, 0.321), "−2.1 pp")
	f(zh.Points(0.30, 0.321), "−2.1 个百分点")
	f(en.Change(96.5, 100), "−3.5 %")
	f(en.Change(100, 100), "±0.0 %")
	f(en.Change(103.5, 100), "+3.5 %")
	f(en.Decimal(-0.02, 2), "−0.02")
	f(en.Count(-1234), "−1,234")
	f(en.Money(-123456), "−¥1,234.56")
	f(en.MoneyCompact(-2_500_000), "−¥25k")
	f(zh.MoneyCompact(-2_500_000), "−¥2.5万")
	f(en.Percent(-0.035), "−3.5 %")
	f(en.Millis(-1500), "−1.5 s")
	f(en.Hours(-2.5), "−2.5 h")
	lift := -0.034
	f(reports.ExperimentArm{Lift: &lift}.LiftText(), "−3.4 %")

	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		if strings.Contains(l.T("base.avg_score"), "-1") {
			t.Errorf("%s: the sentiment scale reads %q", lang, l.T("base.avg_score"))
		}
		w := reporttest.Weekly()
		w.Previous.OrderRate = w.Current.OrderRate + 0.021 // a fall
		w.PrevSentiment.Consultations = w.Sentiment.Consultations + 500
		w.Sentiment.AvgScore = -0.02
		pages := fixturePages(t, lang)
		pages["weekly"] = renderWeekly(t, w, reports.RenderOptions{Lang: lang})
		for name, page := range pages {
			text := pageText(page)
			if m := hyphenNumber.FindStringIndex(text); m != nil {
				t.Errorf("%s %s: a number with an ASCII hyphen for its sign: …%s…", lang, name, text[max(0, m[0]-40):min(len(text), m[1]+20)])
			}
		}
		text := pageText(pages["weekly"])
		for _, want := range []string{l.Points(w.Current.OrderRate, w.Previous.OrderRate), l.Change(float64(w.Sentiment.Consultations), float64(w.PrevSentiment.Consultations)), "−0.02"} {
			if !strings.HasPrefix(want, reports.Minus) || !strings.Contains(text, want) {
				t.Errorf("%s: the weekly page does not show the fall %q", lang, want)
			}
		}
	}
	// What machines read keeps its hyphen: a row as metrics.Show gives it
	// to exports and the API is not the page's text.
	if s := metrics.Money(-123456).String(); strings.Contains(s, reports.Minus) {
		t.Errorf("an amount as exports write it: %q", s)
	}
}

// alertCards are the alert cards of an alerts page by alert rule and
// subject text, each as its text.
func alertCards(t *testing.T, a *reports.Alerts, lang string) map[string]string {
	t.Helper()
	var b bytes.Buffer
	if err := reports.RenderAlerts(&b, a, reports.RenderOptions{Lang: lang}); err != nil {
		t.Fatal(err)
	}
	cards := map[string]string{}
	id := regexp.MustCompile(`id="chart-alert-(\d+)"`)
	for _, c := range strings.Split(plainDates(b.String()), `<div class="alert `)[1:] {
		if m := id.FindStringSubmatch(c); m != nil {
			cards[m[1]] = c
		}
	}
	return cards
}

// cardOf is the card of alert id among a page's (cards are numbered as
// the page lists them: the open groups, then the closed ones).
func cardOf(t *testing.T, a *reports.Alerts, lang, id string) string {
	t.Helper()
	i := 0
	for _, al := range append(flatten(a.Groups), a.Closed...) {
		if al.ID == id {
			return alertCards(t, a, lang)[strconv.Itoa(i)]
		}
		i++
	}
	t.Fatalf("no alert %s", id)
	return ""
}

// figs is the line of a card's figures as text: "Abandonment over … :
// 64.4 %", "Open since: …", "Last fired: …".
func figs(card string) []string {
	m := regexp.MustCompile(`(?s)<div class="figs">(.*?)</div>`).FindStringSubmatch(card)
	if m == nil {
		return nil
	}
	var out []string
	for _, s := range regexp.MustCompile(`<span>(.*?)</span>`).FindAllStringSubmatch(m[1], -1) { // dates unwrapped (plainDates)
		out = append(out, html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(s[1], "")))
	}
	return out
}

// TestAlertCardDatesSayWhatTheyAre: the demo's drop-off spike card read
// "Abandonment this week: 64.4 %" over 2026-09-28 – 09-30 (its scope note)
// beside "Last fired: 2026-10-04", and "2026-10-01 – 2026-10-04 are not
// in this rate yet": three dates for one figure, one of them a day the
// rate does not hold. The value names its days, "Last fired" is the last
// day the rule fired on judged figures (LastFired), and a closed card
// says the day it last fired and the day it closed, each labelled. A
// daily rule that waits for orders (conversion_drop) names its days not
// judged yet as the drop-off spike does.
func TestAlertCardDatesSayWhatTheyAre(t *testing.T) {
	a := reporttest.Alerts()
	d := a.Period.To
	through := d.AddDate(0, 0, -3)
	a.Scope.Coverage = metrics.Coverage{FirstDay: d.AddDate(0, 0, -40), LastDay: d, Days: 41,
		Watermark: d.Add(20 * time.Hour), CompleteThrough: through, Window: 72 * time.Hour}
	for i := range a.Groups {
		for j := range a.Groups[i].Alerts {
			if al := &a.Groups[i].Alerts[j]; al.Rule == metrics.RuleConversionDrop {
				al.Opened = d.AddDate(0, 0, -5)
			}
		}
	}
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	monday := reports.WeekOf(through).From
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		labelled := func(key, v string) string { return l.Labelled(l.T(key), v) }
		check := func(id string, want []string, caveat string) {
			t.Helper()
			card := cardOf(t, a, lang, id)
			got := figs(card)
			for _, w := range want {
				if !slices.Contains(got, w) {
					t.Errorf("%s %s: the card's figures %q lack %q", lang, id, got, w)
				}
			}
			for _, f := range got {
				if strings.HasPrefix(f, l.T("alerts.last")) && !slices.Contains(want, f) {
					t.Errorf("%s %s: %q", lang, id, f)
				}
			}
			c := regexp.MustCompile(`<div class="note caveat">([^<]*)</div>`).FindStringSubmatch(card)
			if caveat == "" && c != nil || caveat != "" && (c == nil || !strings.Contains(c[1], caveat)) {
				t.Errorf("%s %s: caveat %q, want one naming %q", lang, id, c, caveat)
			}
		}
		// the drop-off spike: judged through `through`, open on d
		check("a3", []string{
			l.Tf("alerts.value_over", l.T("alerts.value_of.dropoff_spike"), day(monday)+" – "+day(through)) + l.T("colon") + l.Percent(0.33),
			labelled("alerts.last", day(through)),
		}, day(through.AddDate(0, 0, 1))+" – "+day(d))
		// conversion_drop waits for orders too, by day
		check("a5", []string{
			l.Tf("alerts.value_on", l.T("alerts.value_of.conversion_drop"), day(through)) + l.T("colon") + l.Percent(0.21),
			labelled("alerts.last", day(through)),
		}, day(through.AddDate(0, 0, 1))+" – "+day(d))
		// a daily rule that does not wait: its row's day
		check("a4", []string{labelled("alerts.last", day(d))}, "")
		// closed on d-4: fired last on d-5
		check("c2", []string{
			l.Tf("alerts.value_on", l.T("alerts.value_of.fallback_spike"), day(d.AddDate(0, 0, -5))) + l.T("colon") + l.Percent(0.12),
			labelled("alerts.opened", day(d.AddDate(0, 0, -8))),
			labelled("alerts.last", day(d.AddDate(0, 0, -5))),
			labelled("alerts.closed_on", day(d.AddDate(0, 0, -4))),
		}, "")
		if card := cardOf(t, a, lang, "c2"); !strings.Contains(card, `<span class="badge done">`+l.T("alerts.closed_badge")+" "+day(d.AddDate(0, 0, -4))+`</span>`) {
			t.Errorf("%s: the closed card's badge does not name the day it closed", lang)
		}
		if strings.Contains(l.T("alerts.value_of.dropoff_spike"), "week") || strings.Contains(l.T("alerts.value_of.dropoff_spike"), "本周") {
			t.Errorf("%s: the drop-off value still says this week: %q", lang, l.T("alerts.value_of.dropoff_spike"))
		}
	}
}

// TestMoneyAtStakeNamesItsDays: the demo's fallback spike, open on
// 2026-09-29 and closed on 09-30, read "≈ ¥14,000 of orders at stake this
// week" under "Closed in this period": the money was one day's, and no
// longer at stake. A card's money names the days it covers (the days of
// the period the alert fired, or a drop-off spike's judged days), and a
// closed alert's reads as money that was at stake then.
func TestMoneyAtStakeNamesItsDays(t *testing.T) {
	a := reporttest.Alerts()
	d := a.Period.To
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	set := func(id string, cents int64, opened time.Time) {
		for i := range a.Groups {
			for j := range a.Groups[i].Alerts {
				if al := &a.Groups[i].Alerts[j]; al.ID == id {
					al.PeriodGMVAtStakeCents, al.Opened = cents, opened
				}
			}
		}
		for i := range a.Closed {
			if al := &a.Closed[i]; al.ID == id {
				al.PeriodGMVAtStakeCents, al.Opened = cents, opened
			}
		}
	}
	set("c2", 1_400_000, d.AddDate(0, 0, -5)) // fired on d-5 alone, closed d-4
	set("c1", 179_000, d.AddDate(0, 0, -9))   // opened before the week, closed d-2
	set("a4", 2_000_000, d.AddDate(0, 0, -2)) // open, fired d-2 – d
	set("a3", 2_280_000, d.AddDate(0, 0, -6)) // drop-off, its week so far
	set("a1", 500_000, a.Period.From.AddDate(0, 0, -3))
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		stake := func(id string) string {
			m := regexp.MustCompile(`<div class="stake"><strong>([^<]*)</strong>`).FindStringSubmatch(cardOf(t, a, lang, id))
			if m == nil {
				return ""
			}
			return html.UnescapeString(m[1])
		}
		f := func(id, key string, cents int64, days string) {
			t.Helper()
			if got, want := stake(id), l.Tf(key, l.AtStake(metrics.Money(cents)), days); got != want {
				t.Errorf("%s %s: money at stake %q, want %q", lang, id, got, want)
			}
		}
		f("c2", "alerts.at_stake_was_on", 1_400_000, day(d.AddDate(0, 0, -5)))
		f("c1", "alerts.at_stake_was_over", 179_000, day(a.Period.From)+" – "+day(d.AddDate(0, 0, -3)))
		f("a4", "alerts.at_stake_over", 2_000_000, day(d.AddDate(0, 0, -2))+" – "+day(d))
		f("a3", "alerts.at_stake_over", 2_280_000, day(reports.WeekOf(d).From)+" – "+day(d))
		f("a1", "alerts.at_stake_over", 500_000, day(a.Period.From)+" – "+day(d))
		for _, id := range []string{"c2", "c1", "a4", "a3", "a1"} {
			for _, wrong := range []string{"this week", "in this period", "that day", "本周", "本期", "当日"} {
				if strings.Contains(stake(id), wrong) {
					t.Errorf("%s %s: money at stake says %q: %q", lang, id, wrong, stake(id))
				}
			}
		}
	}
}

// TestQAChartRanksShare: the QA page's chart by agent ranked violation
// counts ("Tangtang 62, Nan 60, Jie 54 …"), which grow with the
// consultations an agent takes, while the table's share of consultations
// with a violation put Ze (46 in 328, 12.5 %) first. The chart ranks the
// share, labels each bar with it and the count, says so above and under
// it, and keeps an agent with fewer than QAMinConsultations consultations
// out of the ranking: after the others, grey, marked † (in the table too).
func TestQAChartRanksShare(t *testing.T) {
	names := reportNames(t)
	q := reporttest.QA()
	q.ByResponder = []reports.ResponderQA{
		{Responder: "bot", Consultations: 13647, Messages: 43836, Count: 580, ViolationRate: 0.042},
		{Responder: "agent-07", Shops: []string{"shop-01"}, Consultations: 510, Messages: 1488, Count: 62, ViolationRate: 0.118},
		{Responder: "agent-08", Shops: []string{"shop-01"}, Consultations: 328, Messages: 929, Count: 46, ViolationRate: 0.125},
		{Responder: "agent-09", Shops: []string{"shop-02"}, Consultations: 12, Messages: 40, Count: 3, ViolationRate: 0.25},
		{Responder: "unassigned", Consultations: 1785, Count: 1300, ViolationRate: 0.728, LeftUnanswered: 1300},
	}
	want := []string{"agent-08", "agent-07", "agent-09"} // share, then the one with too few
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		l = l.WithNames(names)
		var b bytes.Buffer
		if err := reports.RenderQA(&b, q, reports.RenderOptions{Lang: lang, Names: names}); err != nil {
			t.Fatal(err)
		}
		s := b.String()
		o := chartOption(t, s, "chart-qa-responders")
		cats := o["yAxis"].([]any)[0].(map[string]any)["data"].([]any)
		data := o["series"].([]any)[0].(map[string]any)["data"].([]any)
		if len(cats) != len(want) || len(data) != len(want) {
			t.Fatalf("%s: the chart draws %d bars, want %d: %v", lang, len(cats), len(want), cats)
		}
		for i, id := range want {
			j := len(want) - 1 - i // a horizontal chart lists bottom to top
			var r reports.ResponderQA
			for _, x := range q.ByResponder {
				if x.Responder == id {
					r = x
				}
			}
			cat := unwrapLabel(cats[j].(string))
			item := data[j].(map[string]any)
			label, _ := item["label"].(map[string]any)
			if !strings.HasPrefix(cat, l.Name("agent", id)+" · ") || item["value"] != r.ViolationRate || label == nil ||
				label["formatter"] != l.Tf("qa.chart_bar", l.Percent(r.ViolationRate), l.Count(r.Count)) {
				t.Errorf("%s: bar %d is %q at %v labelled %v, want %s at its share %v with its %d violations", lang, i+1, cat, item["value"], label, id, r.ViolationRate, r.Count)
			}
			few := id == "agent-09"
			if strings.HasSuffix(cat, "†") != few || (item["itemStyle"] != nil) != few {
				t.Errorf("%s: bar %q: marked † and grey %v, want %v", lang, cat, item["itemStyle"], few)
			}
		}
		text := pageText(s)
		for _, w := range []string{l.T("qa.chart_title"), l.T("qa.chart_ranks"), l.Tf("qa.chart_min", reports.QAMinConsultations), l.Tf("qa.chart_few_one", 1)} {
			if !strings.Contains(text, w) {
				t.Errorf("%s: the page does not say %q", lang, w)
			}
		}
		if reports.QAMinConsultations != reports.SmallSample {
			t.Errorf("the QA page's minimum (%d) is not the weekly page's small sample (%d)", reports.QAMinConsultations, reports.SmallSample)
		}
		// the table marks the agent with too few consultations
		row := regexp.MustCompile(`<tr><td class="[a-z]+"><span[^>]*>` + regexp.QuoteMeta(l.Name("agent", "agent-09")) + `</span>.*?</td>`).FindString(s)
		if !strings.Contains(row, " †</span>") || !strings.Contains(row, html.EscapeString(l.Tf("qa.few_mark", reports.QAMinConsultations))) {
			t.Errorf("%s: the table does not mark agent-09 (12 consultations) †: %s", lang, row)
		}
	}
}

// checkQARanking: on simulated traffic the QA page's rows read as the
// chart ranks them: the bot first, the agents with enough consultations by
// their share of consultations with a violation, then those with fewer,
// the unassigned row last.
func checkQARanking(t *testing.T, q *reports.QA) {
	t.Helper()
	place := func(r reports.ResponderQA) int {
		switch {
		case r.Responder == "bot":
			return 0
		case r.Responder == "unassigned":
			return 3
		case r.Ranked():
			return 1
		}
		return 2
	}
	for i := 1; i < len(q.ByResponder); i++ {
		a, b := q.ByResponder[i-1], q.ByResponder[i]
		if place(a) > place(b) || place(a) == place(b) && a.ViolationRate < b.ViolationRate {
			t.Errorf("QA rows out of order: %s (%.4f) before %s (%.4f)", a.Responder, a.ViolationRate, b.Responder, b.ViolationRate)
		}
	}
}

// TestKnowledgeGapsNameShopAndDays: the weekly page's knowledge gaps
// named a top product without its shop ("Floral chiffon dress", which two
// of the demo's shops sell) and did not say which days they count. Each
// top product is named with its shop under it, as the QA page and the
// GMV dashboard name an agent's, and a line above the table names the
// days counted, whose shops, and a promotion day among them.
func TestKnowledgeGapsNameShopAndDays(t *testing.T) {
	names := reportNames(t)
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		l = l.WithNames(names)
		w := reporttest.Weekly()
		gaps := func() string {
			t.Helper()
			s := plainDates(renderWeekly(t, w, reports.RenderOptions{Lang: lang, Names: names}))
			return s[strings.Index(s, "<h2>"+l.T("weekly.gaps")+"</h2>"):]
		}
		s := gaps()
		cell := regexp.MustCompile(`<td title="SKU-1001" class="mid">[^<]*(?:<span[^>]*>[^<]*</span>)?<div class="shop">([^<]*)</div></td>`).FindStringSubmatch(s)
		if cell == nil || html.UnescapeString(cell[1]) != l.Display("shop", "shop-01") {
			t.Errorf("%s: the top product SKU-1001 is not named with its shop %q: %v", lang, l.Display("shop", "shop-01"), cell)
		}
		if !strings.Contains(s, `<span class="id cut">SKU-2002</span><div class="shop">`+l.Display("shop", "shop-02")+`</div>`) {
			t.Errorf("%s: the product without a display name is not named with its shop", lang)
		}
		note := func() string {
			m := regexp.MustCompile(`<p class="note compared">([^<]*)</p>`).FindStringSubmatch(gaps())
			if m == nil {
				return ""
			}
			return html.UnescapeString(m[1])
		}
		if n := note(); n != l.Tf("weekly.gaps_whole", shortDays(w.Observed), l.T("weekly.gaps_all_shops")) {
			t.Errorf("%s: the gaps do not say they count the whole week of all shops: %q", lang, n)
		}
		w.Shop = "shop-01"
		if n := note(); !strings.Contains(n, l.Tf("weekly.gaps_one_shop", l.Display("shop", "shop-01"))) {
			t.Errorf("%s: on a page of one shop the gaps do not say so: %q", lang, n)
		}
		w.Shop, w.PromotionDays = "", []string{"2026-11-19"}
		if n := note(); !strings.Contains(n, l.Tf("weekly.gaps_promo", "2026-11-19")) {
			t.Errorf("%s: the gaps do not name the promotion day among their days: %q", lang, n)
		}
		w.PromotionDays = nil
		w.Observed = reports.Period{From: w.Period.From, To: w.Period.From.AddDate(0, 0, 3)}
		if n := note(); n != l.Tf("weekly.gaps_so_far", shortDays(w.Observed), l.T("weekly.gaps_all_shops")) {
			t.Errorf("%s: mid-week the gaps do not name the days so far: %q", lang, n)
		}
	}
}

// checkGapShops: on simulated traffic each knowledge gap's top product is
// named with the one shop whose catalogue holds it.
func checkGapShops(t *testing.T, w *reports.Weekly, shops int) {
	t.Helper()
	seller := map[string]string{}
	for _, sh := range simulate.Shops(shops) {
		for _, p := range sh.Products {
			seller[p.ID] = sh.ID
		}
	}
	named := 0
	for _, g := range w.Gaps {
		if g.TopProduct == "" {
			if len(g.TopProductShops) != 0 {
				t.Errorf("gap %q without a product names shops %v", g.Label, g.TopProductShops)
			}
			continue
		}
		named++
		if len(g.TopProductShops) != 1 || g.TopProductShops[0] != seller[g.TopProduct] {
			t.Errorf("gap %q: top product %s named with shops %v, sold by %s", g.Label, g.TopProduct, g.TopProductShops, seller[g.TopProduct])
		}
	}
	if named == 0 {
		t.Error("no knowledge gap of the simulated week names a product")
	}
}

// kpiCard is the card labelled label on a page: its value and its change
// (class and text), "" when it has none.
func kpiCard(s, label string) (value, class, delta string) {
	m := regexp.MustCompile(`<div class="kpi"><div class="label">` + regexp.QuoteMeta(label) + `</div><div class="value[^"]*">([^<]*)</div>(?:<div class="base">[^<]*</div>)?(?:<div class="delta ([a-z]+)">([^<]*?) ?(?:<span class="promo-mark">[^<]*</span>)?</div>)?</div>`).FindStringSubmatch(s)
	if m == nil {
		return "", "", ""
	}
	return html.UnescapeString(m[1]), m[2], html.UnescapeString(m[3])
}

// TestWeeklyShowsResponseAndScoreChanges: the weekly page's first-response
// cards (p50 / p90) and mean sentiment score showed no change against the
// week before, beside sentiment and service cards that did, and said
// nothing of why: the previous week's figures come from the same rows as
// the others'. Each shows its change in its own unit ("−50 ms / +100 ms",
// "−0.02"), coloured as the others are; over several weeks, whose
// percentiles and mean the rows cannot give, the value is "–" and the
// card shows no change.
func TestWeeklyShowsResponseAndScoreChanges(t *testing.T) {
	en, _ := reports.NewLocale(reports.LangEN)
	zh, _ := reports.NewLocale(reports.LangZH)
	f := func(got, want string) {
		t.Helper()
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
	f(en.MillisChange(850, 900), "−50 ms")
	f(en.MillisChange(95_000, 88_500), "+6.5 s")
	f(zh.MillisChange(21_000, 21_000.2), "±0 毫秒")
	f(en.MillisTrend(850, 900)+" "+en.MillisTrend(900, 850)+" "+en.MillisTrend(900, 900.3), "good bad flat")
	f(en.Difference(0.18, 0.2, 2)+" "+en.DifferenceTrend(0.18, 0.2, 2, true), "−0.02 bad")
	f(en.Difference(0.184, 0.18, 2)+" "+en.DifferenceTrend(0.184, 0.18, 2, true), "±0.00 flat")

	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		w := reporttest.Weekly()
		vs := l.T("vs_prev")
		s := renderWeekly(t, w, reports.RenderOptions{Lang: lang})
		check := func(key, class, delta string) {
			t.Helper()
			if _, c, d := kpiCard(s, l.T(key)); c != class || d != delta {
				t.Errorf("%s %s: change %q (%s), want %q (%s)", lang, key, d, c, delta, class)
			}
		}
		// 850 ms against 900, 1.9 s against 1.8 s: one better, one worse
		check("frt_bot", "flat", l.MillisChange(850, 900)+" / "+l.MillisChange(1900, 1800)+" "+vs)
		// 21.0 s against 24.0 s, 1.6 min against the same
		check("frt_human", "good", l.MillisChange(21_000, 24_000)+" / "+l.MillisChange(95_000, 95_000)+" "+vs)
		check("avg_score", "bad", l.Difference(0.18, 0.2, 2)+" "+vs)

		// A percentile unknown the week before (no agent answered): that
		// half reads "–", the other keeps its change.
		w.PrevService.FRTHumanP90 = 0
		s = renderWeekly(t, w, reports.RenderOptions{Lang: lang})
		check("frt_human", "good", l.MillisChange(21_000, 24_000)+" / – "+vs)

		// Over several weeks without a shop the rows cannot give them.
		w.Service.FRTBotP50, w.Service.FRTBotP90, w.PrevService.FRTBotP50, w.PrevService.FRTBotP90 = math.NaN(), math.NaN(), math.NaN(), math.NaN()
		w.Sentiment.AvgScore, w.PrevSentiment.AvgScore = math.NaN(), math.NaN()
		s = renderWeekly(t, w, reports.RenderOptions{Lang: lang})
		for _, key := range []string{"frt_bot", "avg_score"} {
			if v, c, d := kpiCard(s, l.T(key)); v != "–" && !strings.HasPrefix(v, "– /") || c != "" || d != "" {
				t.Errorf("%s %s over several weeks: %q with change %q (%s)", lang, key, v, d, c)
			}
		}
		if strings.Contains(pageText(s), "NaN") {
			t.Errorf("%s: NaN on the page", lang)
		}
	}
}
