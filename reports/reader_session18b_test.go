package reports_test

// What the second pass of session 18 fixed of a newcomer's reading of the
// demo's pages (/work/wt/newcomer18-findings.md items 1–4 and 9).

import (
	"bytes"
	"context"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/reporttest"
)

// periodSource answers each (metric, period) with its rows: a stub of the
// stored metrics for pages that read one metric over several periods.
type periodSource map[string][]metrics.Row

func (s periodSource) key(name string, q metrics.Query) string {
	return name + " " + q.From.Format(time.DateOnly) + " " + q.To.Format(time.DateOnly) + " " + strings.Join(q.By, ",")
}

func (s periodSource) Show(_ context.Context, name string, q metrics.Query) ([]metrics.Row, error) {
	return s[s.key(name, q)], nil
}

func (s periodSource) Alerts(context.Context, metrics.Query) ([]metrics.Alert, error) {
	return nil, nil
}

func agentRow(agent string, consulting, ordered int64) metrics.Row {
	return metrics.Row{{Key: "agent_id", Value: agent}, {Key: "consulting_buyers", Value: consulting},
		{Key: "ordered_buyers", Value: ordered}, {Key: "order_rate", Value: float64(ordered) / float64(consulting)}}
}

// TestScoreboardConversionOverFinalDays: the W40 scoreboard read its
// conversion columns over the whole week, 10-01 – 10-04 still inside the
// 72 h order window, with no mark: Ning read 40.4 %, last of her shop,
// and 49.4 % over the final days, second. The columns are now the final
// days', named; the open days' rate so far is apart in the chart, named
// not final.
func TestScoreboardConversionOverFinalDays(t *testing.T) {
	loc := time.UTC
	week := reports.WeekOf(time.Date(2026, 9, 28, 0, 0, 0, 0, loc))
	final := reports.Period{From: week.From, To: week.From.AddDate(0, 0, 2)}
	open := reports.Period{From: week.From.AddDate(0, 0, 3), To: week.To}
	src := periodSource{}
	q := func(p reports.Period) metrics.Query {
		return metrics.Query{From: p.From, To: p.To, By: []string{"agent_id"}}
	}
	src[src.key("agents", q(week))] = []metrics.Row{agentRow("bot", 1000, 386), agentRow("agent-ning", 250, 101), agentRow("agent-lu", 200, 90)}
	src[src.key("agents", q(final))] = []metrics.Row{agentRow("bot", 500, 210), agentRow("agent-ning", 85, 42), agentRow("agent-lu", 120, 60)}
	src[src.key("agents", q(open))] = []metrics.Row{agentRow("bot", 500, 176), agentRow("agent-ning", 165, 59), agentRow("agent-lu", 80, 30)}
	cov := metrics.Coverage{FirstDay: week.From.AddDate(0, 0, -21), LastDay: week.To, Days: 28, Window: 72 * time.Hour,
		Watermark: week.To.Add(23 * time.Hour), CompleteThrough: final.To}
	rate := func(a *reports.Agents, agent string) (float64, float64) {
		for _, r := range a.Rows {
			if r.Agent == agent {
				return r.OrderRate, r.OpenOrderRate
			}
		}
		t.Fatalf("no row of %s", agent)
		return 0, 0
	}
	a, err := reports.BuildAgents(context.Background(), src, reports.Scope{Period: week, Coverage: cov})
	if err != nil {
		t.Fatal(err)
	}
	if got, gotOpen := rate(a, "agent-ning"); got != 42.0/85 || gotOpen != 59.0/165 {
		t.Errorf("Ning's consult → order reads %.3f (open days %.3f), want the final days' %.3f and the open days' %.3f apart", got, gotOpen, 42.0/85, 59.0/165)
	}
	if a.ConversionDays != final || a.OpenDays != open {
		t.Errorf("conversion over %v, open %v; want %v and %v", a.ConversionDays, a.OpenDays, final, open)
	}
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		var b bytes.Buffer
		if err := reports.RenderAgents(&b, a, reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		s := html.UnescapeString(plainDates(b.String()))
		w := map[string]string{reports.LangEN: "72 h", reports.LangZH: "72 小时"}[lang]
		note := l.Tf("agents.final_note", "2026-09-28 – 2026-09-30", w, "2026-10-01 – 2026-10-04")
		if !strings.Contains(s, note) {
			t.Errorf("%s: no note naming the final and the open days (want %q)", lang, note)
		}
		if !strings.Contains(s, `<div class="days">09-28 – 09-30</div>`) {
			t.Errorf("%s: the conversion columns' headers do not name their days", lang)
		}
		if series := l.Tf("agents.open_series", "10-01 – 10-04"); !strings.Contains(s, series) {
			t.Errorf("%s: the chart has no series of the open days named not final (%q)", lang, series)
		}
	}

	// With no day final, the whole week's figures, marked not final.
	cov.CompleteThrough = week.From.AddDate(0, 0, -1)
	if a, err = reports.BuildAgents(context.Background(), src, reports.Scope{Period: week, Coverage: cov}); err != nil {
		t.Fatal(err)
	}
	if got, _ := rate(a, "agent-ning"); got != 101.0/250 {
		t.Errorf("with no final day Ning reads %.3f, want the week's %.3f", got, 101.0/250)
	}
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		var b bytes.Buffer
		if err := reports.RenderAgents(&b, a, reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		s := html.UnescapeString(plainDates(b.String()))
		if !strings.Contains(s, `<div class="days">`+l.T("agents.not_final")+`</div>`) || !strings.Contains(s, l.Tf("agents.pending_note", "2026-09-28 – 2026-10-04", map[string]string{reports.LangEN: "72 h", reports.LangZH: "72 小时"}[lang])) {
			t.Errorf("%s: a week with no final day is not marked not final", lang)
		}
	}

	// Without coverage, the period as asked, no mark.
	if a, err = reports.BuildAgents(context.Background(), src, reports.Scope{Period: week}); err != nil {
		t.Fatal(err)
	}
	if got, _ := rate(a, "agent-ning"); got != 101.0/250 || a.ConversionNote(reports.Locale{}) != "" {
		t.Errorf("without coverage Ning reads %.3f, want the week's %.3f without a note", got, 101.0/250)
	}
}

// TestNavNamesOtherPeriods: the demo's W40 pages linked "GMV contribution"
// to a four-week file under the same label, while the scoreboard said its
// total was "the agent GMV of the GMV dashboard for the same days". A page
// links the file of its own days of each kind when one was written, else
// another, named with its days; the scoreboard's note names its days.
func TestNavNamesOtherPeriods(t *testing.T) {
	week := reports.WeekOf(time.Date(2026, 9, 28, 0, 0, 0, 0, time.UTC))
	four := reports.Period{From: week.From.AddDate(0, 0, -21), To: week.To}
	var files []reports.NavFile
	for _, kind := range reports.Kinds {
		for _, lang := range reports.Langs {
			if kind != "experiments" {
				files = append(files, reports.NavFile{Kind: kind, Lang: lang, Name: kind + "-w40." + lang + ".html", Period: week})
			}
			if kind == "gmv" || kind == "experiments" {
				files = append(files, reports.NavFile{Kind: kind, Lang: lang, Name: kind + "-4w." + lang + ".html", Period: four})
			}
		}
	}
	link := func(nav []reports.NavLink, kind string) reports.NavLink {
		for _, n := range nav {
			if n.Kind == kind {
				return n
			}
		}
		t.Fatalf("no link to %s", kind)
		return reports.NavLink{}
	}
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		weekly := reports.PeriodFileNav(lang, "weekly", week, files)
		if g := link(weekly, "gmv"); g.Href != "gmv-w40."+lang+".html" || g.Label != l.T("gmv.title") {
			t.Errorf("%s: the week's page links GMV %q labelled %q, want the week's file under the plain label", lang, g.Href, g.Label)
		}
		if e := link(weekly, "experiments"); e.Label != l.T("exp.title")+"\u00a0·\u00a009-07\u00a0–\u00a010-04" {
			t.Errorf("%s: the four-week experiments file linked from the week reads %q, without its days", lang, e.Label)
		}
		gmv := reports.PeriodFileNav(lang, "gmv", four, files)
		if g, w := link(gmv, "gmv"), link(gmv, "weekly"); g.Href != "gmv-4w."+lang+".html" || !g.Here || w.Label != l.T("weekly.title")+"\u00a0·\u00a009-28\u00a0–\u00a010-04" {
			t.Errorf("%s: the four-week GMV page links itself %q (here %v) and the weekly page as %q", lang, g.Href, g.Here, w.Label)
		}
		if other := gmv[len(gmv)-1]; other.Href != "gmv-4w."+map[string]string{reports.LangEN: reports.LangZH, reports.LangZH: reports.LangEN}[lang]+".html" {
			t.Errorf("%s: the other language's link opens %q, not the same days", lang, other.Href)
		}
		var b bytes.Buffer
		a := &reports.Agents{Scope: reports.Scope{Period: week}, Rows: []reports.AgentRow{{Agent: "agent-07", Shops: []string{"shop-01"}}}}
		if err := reports.RenderAgents(&b, a, reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		if s := html.UnescapeString(plainDates(b.String())); !strings.Contains(s, "2026-09-28 – 2026-10-04") {
			t.Errorf("%s: the scoreboard's total note does not name the days its GMV dashboard must cover", lang)
		}
	}
}

// TestGMVRefundsDue: refunds sit on the order's paid day, so the demo's
// last paid days had few yet (2.7 %, 0.7 %, 0.2 % against 7–14 %), and
// the refund rate and its change read as final. The refund cards name the
// paid days whose refunds can still come in, their change is not
// coloured, and a note gives the rate over the days before them.
func TestGMVRefundsDue(t *testing.T) {
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		g := reporttest.GMV()
		for i := range g.Daily {
			g.Daily[i].Refunded = g.Daily[i].Total / 10
			if i >= 4 {
				g.Daily[i].Refunded = g.Daily[i].Total / 100
			}
		}
		render := func() string {
			var b bytes.Buffer
			if err := reports.RenderGMV(&b, g, reports.RenderOptions{Lang: lang}); err != nil {
				t.Fatal(err)
			}
			return html.UnescapeString(plainDates(b.String()))
		}
		mark := l.T("gmv.refunds_due_mark")
		if strings.Contains(render(), mark) {
			t.Fatalf("%s: refunds marked due on a page without coverage", lang)
		}
		g.Coverage = metrics.Coverage{FirstDay: g.Period.From.AddDate(0, 0, -28), LastDay: g.Period.To, Days: 35,
			Watermark: g.Period.To.AddDate(0, 0, 5), CompleteThrough: g.Period.To, Window: 72 * time.Hour}
		s := render()
		due := reports.Period{From: g.Period.To.AddDate(0, 0, -2), To: g.Period.To}
		note := l.Tf("gmv.refunds_due_note", reports.RefundDays, shortDays(due))
		settled := l.Tf("gmv.refunds_settled", shortDays(reports.Period{From: g.Period.From, To: due.From.AddDate(0, 0, -1)}), l.Percent(0.1))
		if !strings.Contains(s, note) || !strings.Contains(s, settled) {
			t.Errorf("%s: no note naming the paid days whose refunds can still come in (want %q and %q)", lang, note, settled)
		}
		for _, key := range []string{"gmv.refunded", "gmv.refund_rate"} {
			card := regexp.MustCompile(`<div class="label">` + regexp.QuoteMeta(l.T(key)) + `</div>.*?<div class="delta ([a-z]+)">.*?</div></div>`).FindStringSubmatch(s)
			if card == nil || card[1] != "flat" || !strings.Contains(card[0], mark) || !strings.Contains(card[0], l.Tf("gmv.refunds_due_base", due.From.Format("01-02")+" – "+due.To.Format("01-02"))) {
				t.Errorf("%s: the %s card is not marked %q with its days and an uncoloured change: %q", lang, key, mark, card)
			}
		}
		g.Coverage.Watermark = g.Period.To.AddDate(0, 0, 9)
		if strings.Contains(render(), mark) {
			t.Errorf("%s: the mark stays once every paid day's refunds are in", lang)
		}
	}
}

// TestGMVPromotionMutesGrowthCards: on a GMV page of W40, beside the cards
// muted and marked "promo", the bot-value cards read "Agent hours saved
// +47.3 %" in green and "Silent buyers the bot reactivated −4.7 %" in red,
// from the same promotion day; and the note said "A promotion's traffic is
// not an ordinary day's" twice. Every change of the page is muted and
// marked, and the sentence is printed once.
func TestGMVPromotionMutesGrowthCards(t *testing.T) {
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		g := reporttest.GMVFourWeeks()
		fig := func(x float64) reports.GrowthFigures {
			return reports.GrowthFigures{HasValue: true, HoursSaved: 400 * x, CostSaved: metrics.Money(2_000_000 * x), FTEAvg: 7 * x,
				PaidOrders: 1000, NightPaidOrders: int64(80 * x), NightOrderShare: 0.08 * x, BotGuidedRepurchaseGMV: metrics.Money(9_000_000 * x),
				BotGuidedRepurchaseShare: 0.1 * x, BotReactivatedBuyers: int64(100 / x), HoursPerDay: 8, HourlyCost: 5000}
		}
		g.Growth = &reports.GrowthCards{Current: fig(1.5), Previous: fig(1), LookbackDays: 90, SilentDays: 60}
		render := func() string {
			var b bytes.Buffer
			if err := reports.RenderGMV(&b, g, reports.RenderOptions{Lang: lang}); err != nil {
				t.Fatal(err)
			}
			return html.UnescapeString(plainDates(b.String()))
		}
		growth := func(s string) string { return s[strings.Index(s, l.T("growth.title")):] }
		if s := growth(render()); !strings.Contains(s, `class="delta good"`) || !strings.Contains(s, `class="delta bad"`) {
			t.Fatalf("%s: the fixture's growth cards show no coloured change: the check below would prove nothing", lang)
		}
		g.PromotionDays = []string{"11-11"}
		s := render()
		if gs := growth(s); strings.Contains(gs, `class="delta good"`) || strings.Contains(gs, `class="delta bad"`) || strings.Count(gs, `<span class="promo-mark">`+l.T("promo.mark")) < 7 {
			t.Errorf("%s: the growth cards' changes are coloured, or not marked %q, beside a promotion day", lang, l.T("promo.mark"))
		}
		once := map[string]string{reports.LangEN: "A promotion's traffic is not an ordinary day's", reports.LangZH: "大促当天的流量不同于平日"}[lang]
		if n := strings.Count(s, once); n != 1 {
			t.Errorf("%s: %q printed %d times, want once", lang, once, n)
		}
		if !strings.Contains(s, l.Tf("gmv.promo_why_changes_growth", l.T("growth.title"))) {
			t.Errorf("%s: the note does not say the growth cards' changes are muted", lang)
		}
	}
}

// TestPromotionDayOnQAAlertsAndBoard: the QA page's violations per day
// jumped from about 250 to 970 on the demo's promotion day, and the
// shelf-life surge's trend rose to 37 on it, while neither page named the
// day the weekly page and the GMV dashboard shade. The QA trend and every
// alert trend of days shade it "promo" with a note; the scoreboard, which
// has no chart of days, names it in a note.
func TestPromotionDayOnQAAlertsAndBoard(t *testing.T) {
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		mark := l.T("promo.mark")
		q := reporttest.QA()
		promo := q.Daily[3].Date
		md, day := promo.Format("01-02"), promo.Format(time.DateOnly)
		shaded := func(o map[string]any) bool {
			for _, b := range markAreas(o) {
				if b == [3]string{mark, md, md} {
					return true
				}
			}
			return false
		}
		var b bytes.Buffer
		if err := reports.RenderQA(&b, q, reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		if shaded(chartOption(t, b.String(), "chart-qa-trend")) {
			t.Fatalf("%s: a promotion band on a QA page without a promotion day", lang)
		}
		q.Scope.PromotionDays = []string{md}
		b.Reset()
		if err := reports.RenderQA(&b, q, reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		s := b.String()
		if !shaded(chartOption(t, s, "chart-qa-trend")) || !strings.Contains(html.UnescapeString(plainDates(s)), l.Tf("qa.promo_note", day)) {
			t.Errorf("%s: the QA trend does not shade and name the promotion day %s", lang, day)
		}

		a := reporttest.Alerts()
		last, _ := time.Parse(time.DateOnly, a.Groups[0].Alerts[0].Trend[27].Label)
		promo = last.AddDate(0, 0, -3)
		md, day = promo.Format("01-02"), promo.Format(time.DateOnly)
		a.Scope.PromotionDays = []string{md}
		b.Reset()
		if err := reports.RenderAlerts(&b, a, reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		s = b.String()
		if !shaded(chartOption(t, s, "chart-alert-0")) || !strings.Contains(html.UnescapeString(plainDates(s)), l.Tf("alerts.promo_note", day)) {
			t.Errorf("%s: the topic surge's trend does not shade and name the promotion day %s", lang, day)
		}

		ag := reporttest.Agents()
		ag.Scope.PromotionDays = []string{ag.Scope.Period.From.AddDate(0, 0, 3).Format("01-02")}
		b.Reset()
		if err := reports.RenderAgents(&b, ag, reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(html.UnescapeString(plainDates(b.String())), l.Tf("agents.promo_note", ag.Scope.Period.From.AddDate(0, 0, 3).Format(time.DateOnly))) {
			t.Errorf("%s: the scoreboard does not name the period's promotion day", lang)
		}
	}
}
