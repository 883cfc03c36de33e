package reports_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/reporttest"
	"github.com/convintel/convintel/warehouse"
	"github.com/convintel/convintel/warehouse/chtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	chtest.Stop()
	os.Exit(code)
}

// TestBuildFromSimulation builds every report from metrics computed on
// simulated traffic that went through the real ingest path, and checks
// the reports agree with the metric rows and with themselves.
func TestBuildFromSimulation(t *testing.T) {
	if testing.Short() {
		t.Skip("needs ClickHouse")
	}
	conn, db := chtest.New(t)
	cfg := reporttest.SmallConfig()
	from, _ := reporttest.Load(t, conn, db, cfg)
	ctx := context.Background()
	src := reports.ShowSource(conn)
	week := reports.WeekOf(from.AddDate(0, 0, 14))

	w, err := reports.BuildWeekly(ctx, src, reports.Scope{Period: week})
	if err != nil {
		t.Fatal(err)
	}
	if w.Current.ConsultingBuyers == 0 || w.Previous.ConsultingBuyers == 0 {
		t.Fatalf("no consulting buyers this week (%d) or last (%d)", w.Current.ConsultingBuyers, w.Previous.ConsultingBuyers)
	}
	var sum, daily int64
	for _, l := range w.ByShopChannel {
		sum += l.Current.ConsultingBuyers
	}
	for _, d := range w.Daily {
		daily += d.ConsultingBuyers
	}
	if sum != w.Current.ConsultingBuyers || daily != w.Current.ConsultingBuyers {
		t.Errorf("consulting buyers: total %d, by shop and channel %d, by day %d", w.Current.ConsultingBuyers, sum, daily)
	}
	if len(w.Daily) != 7 || len(w.Funnel) < 2 || len(w.DropOff) == 0 {
		t.Fatalf("weekly report is missing parts: %d days, %d funnel steps, %d drop-off nodes", len(w.Daily), len(w.Funnel), len(w.DropOff))
	}
	for i := 1; i < len(w.DropOff); i++ {
		if w.DropOff[i].Abandonment > w.DropOff[i-1].Abandonment {
			t.Errorf("drop-off nodes not ranked: %v", w.DropOff)
		}
	}
	// A knowledge gap reads as a question a buyer asked, not as its
	// sorted signature words.
	for _, g := range w.Gaps {
		if g.Label == "" || g.Label == g.Signature {
			t.Errorf("gap %q labelled %q (examples %q)", g.Signature, g.Label, g.Examples)
		}
	}
	if len(w.Gaps) == 0 {
		t.Error("no knowledge gaps")
	}
	checkGapProducts(t, w)
	checkGapShops(t, w, cfg.Shops)
	checkDropoffUnits(t, w)
	if w.Service.Consultations == 0 || w.Service.FRTBotP50 == 0 {
		t.Errorf("service KPIs empty: %+v", w.Service)
	}

	checkDropoffLegend(t, w)
	checkHoursPromotion(t, ctx, src, week)
	q, err := reports.BuildQA(ctx, src, reports.Scope{Period: week})
	if err != nil {
		t.Fatal(err)
	}
	var byRule, byResp int64
	for _, c := range q.ByRule {
		byRule += c.Count
	}
	for _, r := range q.ByResponder {
		byResp += r.Count
	}
	if q.Violations == 0 || byRule+int64(len(q.Disputed)) != q.Violations || byResp != q.Violations || len(q.Worst) == 0 || q.Messages == 0 {
		t.Errorf("QA page: %d violations, %d by rule, %d by responder, %d worst conversations, %d messages", q.Violations, byRule, byResp, len(q.Worst), q.Messages)
	}
	checkQAConsultations(t, ctx, src, week, w)
	checkQAAgentShops(t, q)
	checkQARanking(t, q)
	ag, err := reports.BuildAgents(ctx, src, reports.Scope{Period: week})
	if err != nil {
		t.Fatal(err)
	}
	if len(ag.Rows) < 2 || ag.Rows[0].Agent != "bot" || ag.Rows[0].Served == 0 {
		t.Errorf("agent scoreboard: want the bot first and agents after it, got %+v", ag.Rows)
	}

	checkBotFirstResponse(t, ag)
	checkSlowReplies(t, ag, simNames(t, cfg.Shops))
	g, err := reports.BuildGMV(ctx, src, reports.Scope{Period: week})
	if err != nil {
		t.Fatal(err)
	}
	checkAgentsReconcile(t, ag, g)
	rows, err := metrics.Show(ctx, conn, "gmv", metrics.Query{From: week.From, To: week.To, By: []string{"week"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 {
		t.Fatalf("gmv by week: %d rows", len(rows))
	}
	total, _ := rows[0].Get("gmv")
	if g.Totals.Total != total.(metrics.Money) || g.Totals.Total != g.Totals.Bot+g.Totals.Human+g.Totals.Unattributed || g.Totals.Total == 0 {
		t.Errorf("GMV total %v, buckets %v+%v+%v, metric says %v", g.Totals.Total, g.Totals.Bot, g.Totals.Human, g.Totals.Unattributed, total)
	}
	pw := week.Previous()
	prevRows, err := metrics.Show(ctx, conn, "gmv", metrics.Query{From: pw.From, To: pw.To, By: []string{"week"}})
	if err != nil || len(prevRows) != 1 {
		t.Fatalf("gmv of the week before: %v, %d rows", err, len(prevRows))
	}
	if pg, _ := prevRows[0].Get("gmv"); g.PrevTotals.Total != pg.(metrics.Money) || g.PrevTotals.Total == 0 {
		t.Errorf("GMV of the previous period %v, metric says %v", g.PrevTotals.Total, pg)
	}
	// The period and the coverage in two *time.Location values of the same
	// zone (the demo's simulator clock and the metrics setting) name the
	// same days: the GMV is the same, not zero.
	other, err := time.LoadLocation(week.From.Location().String())
	if err != nil {
		t.Fatal(err)
	}
	cov, err := reports.ShowCoverage(conn, other, 72*time.Hour)(ctx)
	if err != nil {
		t.Fatal(err)
	}
	since := reports.Period{From: from, To: week.To} // starts on the first day with data, as the demo's
	gA, errA := reports.BuildGMV(ctx, src, reports.Scope{Period: since})
	gB, errB := reports.BuildGMV(ctx, src, reports.Scope{Period: since, Coverage: cov})
	if errA != nil || errB != nil || gA.Totals.Total == 0 || gB.Totals.Total != gA.Totals.Total {
		t.Errorf("GMV with the coverage in another *time.Location: %v (err %v), without coverage %v (err %v)", gB.Totals.Total, errB, gA.Totals.Total, errA)
	}
	// The first W of days after the first stored consultation look back
	// before the data: marked partial, shaded and explained; later days
	// are not.
	if !cov.ConsultationsFrom.Equal(from) {
		t.Errorf("coverage: consultations from %v, the simulation starts %v", cov.ConsultationsFrom, from)
	}
	for i, d := range gB.Daily {
		if want := i < 3; d.AttributionPartial != want {
			t.Errorf("GMV day %s (day %d of the data): attribution partial %v, want %v with W = 72 h", d.Date.Format(time.DateOnly), i+1, d.AttributionPartial, want)
		}
	}
	agFirst, err := reports.BuildAgents(ctx, src, reports.Scope{Period: reports.WeekOf(from), Coverage: cov})
	if err != nil {
		t.Fatal(err)
	}
	if ap := agFirst.AttributionPartial; !ap.From.Equal(from) || !ap.To.Equal(from.AddDate(0, 0, 2)) {
		t.Errorf("agents of the first week: attribution-partial days %v – %v, want the data's first three days from %v", ap.From, ap.To, from)
	}
	if agLater, err := reports.BuildAgents(ctx, src, reports.Scope{Period: week, Coverage: cov}); err != nil || !agLater.AttributionPartial.From.IsZero() {
		t.Errorf("agents of week %s: attribution-partial days %v (err %v), want none", week.Week, agLater.AttributionPartial, err)
	}
	var agPage bytes.Buffer
	if err := reports.RenderAgents(&agPage, agFirst, reports.RenderOptions{Lang: reports.LangEN}); err != nil || !strings.Contains(agPage.String(), "partly missing") {
		t.Errorf("agents page of the first week: no note on the partial sales (err %v)", err)
	}
	gW, err := reports.BuildGMV(ctx, src, reports.Scope{Period: week, Coverage: cov})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range gW.Daily {
		if d.AttributionPartial {
			t.Errorf("GMV day %s of week %s (its look-back inside the data) marked partial", d.Date.Format(time.DateOnly), week.Week)
		}
	}
	for _, lang := range reports.Langs {
		var page bytes.Buffer
		if err := reports.RenderGMV(&page, gW, reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(page.String(), "°") {
			t.Errorf("%s GMV page of week %s marks days as partial", lang, week.Week)
		}
		page.Reset()
		if err := reports.RenderGMV(&page, gB, reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(page.String(), from.Format(time.DateOnly)) || !strings.Contains(page.String(), "°") {
			t.Errorf("%s GMV page from the first day of data: no note or mark of the days whose look-back reaches before the data", lang)
		}
	}
	checkGMVCardsAddUp(t, gB)
	if len(g.TopAgents) == 0 || len(g.ByResponder) == 0 || len(g.Daily) != 7 {
		t.Errorf("GMV dashboard parts: %d agents, %d responder classes, %d days", len(g.TopAgents), len(g.ByResponder), len(g.Daily))
	}
	// The channel filter narrows conversion to one channel.
	if len(g.Channels) > 0 {
		gc, err := reports.BuildGMV(ctx, src, reports.Scope{Period: week, Channel: g.Channels[0]})
		if err != nil {
			t.Fatal(err)
		}
		var all, one int64
		for _, r := range g.ByResponder {
			all += r.ConsultingBuyers
		}
		for _, r := range gc.ByResponder {
			one += r.ConsultingBuyers
		}
		if one == 0 || (len(g.Channels) > 1 && one >= all) {
			t.Errorf("channel %s: %d of %d consulting buyers", g.Channels[0], one, all)
		}
	}

	alertsPeriod := reports.Period{From: from, To: from.AddDate(0, 0, cfg.Days-1)}
	a, err := reports.BuildAlerts(ctx, src, reports.Scope{Period: alertsPeriod})
	if err != nil {
		t.Fatal(err)
	}
	checkDropOffTrendEndsOnItsValue(t, ctx, src, cov, alertsPeriod)
	var b bytes.Buffer
	for _, lang := range reports.Langs {
		b.Reset()
		if err := reports.RenderWeekly(&b, w, reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		if err := reports.RenderGMV(&b, g, reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}

		if err := reports.RenderAlerts(&b, a, reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	for _, gr := range a.Groups {
		for _, al := range gr.Alerts {
			n++
			if al.ActionEN == "" && al.ActionZH == "" || al.Rule == "" {
				t.Errorf("alert without rule or action: %+v", al)
			}
			if al.Rule != "negative_surge" && len(al.Trend) == 0 {
				t.Errorf("alert %s (%s) has no trend", al.ID, al.Rule)
			}
		}
	}
	// Alerts that stopped firing in the period are listed as closed, once,
	// most recently closed first, and never also as open.
	ids := map[string]bool{}
	for _, gr := range a.Groups {
		for _, al := range gr.Alerts {
			ids[al.ID] = true
		}
	}
	for i, al := range a.Closed {
		if al.Status != "closed" || ids[al.ID] || al.Date.Before(alertsPeriod.From) || al.Date.After(alertsPeriod.To) {
			t.Errorf("closed alert %s: status %s, listed open too: %v, closed on %s", al.ID, al.Status, ids[al.ID], al.Date.Format(time.DateOnly))
		}
		if i > 0 && al.Date.After(a.Closed[i-1].Date) {
			t.Errorf("closed alerts not most recent first: %s after %s", al.Date.Format(time.DateOnly), a.Closed[i-1].Date.Format(time.DateOnly))
		}
		ids[al.ID] = true
	}
	// Agents' quality-inspection alerts are listed apart from the early
	// warnings (for supervisors), each once, and are not cards.
	cards := len(ids)
	for i, al := range a.Conduct {
		if al.Rule != metrics.RuleQAViolation || ids[al.ID] {
			t.Errorf("service-quality list holds %s (%s), listed elsewhere too: %v", al.ID, al.Rule, ids[al.ID])
		}
		if i > 0 && al.Date.After(a.Conduct[i-1].Date) {
			t.Errorf("service-quality alerts not latest first: %s after %s", al.Date.Format(time.DateOnly), a.Conduct[i-1].Date.Format(time.DateOnly))
		}
		ids[al.ID] = true
	}
	for _, al := range a.Closed {
		if al.Rule == metrics.RuleQAViolation {
			t.Errorf("qa_violation alert %s among the closed early warnings", al.ID)
		}
	}
	for _, gr := range a.Groups {
		for _, al := range gr.Alerts {
			if al.Rule == metrics.RuleQAViolation {
				t.Errorf("qa_violation alert %s among the open early warnings", al.ID)
			}
		}
	}
	checkActionNames(t, a, simNames(t, cfg.Shops))
	checkQAActions(t, a)
	checkWeeklyAtStake(t, ctx, src, alertsPeriod)
	checkDropOffAlertsOnWeekly(t, ctx, src, a)
	var page bytes.Buffer
	if err := reports.RenderAlerts(&page, a, reports.RenderOptions{Lang: reports.LangEN}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(page.String(), `<div class="alert `); got != cards {
		t.Errorf("alerts page shows %d cards, want the %d early warnings", got, cards)
	}
	if len(a.Conduct) == 0 || !strings.Contains(page.String(), `forbidden phrases <span class="nw">(智能质检)</span>`) {
		t.Errorf("alerts page: %d service-quality alerts, listed: %v", len(a.Conduct), strings.Contains(page.String(), `forbidden phrases <span class="nw">(智能质检)</span>`))
	}
	shown, err := metrics.Show(ctx, conn, "alerts", metrics.Query{From: alertsPeriod.From, To: alertsPeriod.To})
	if err != nil {
		t.Fatal(err)
	}
	if len(shown) != len(ids) || len(a.Closed) == 0 {
		t.Errorf("report lists %d alerts (%d closed), metrics show alerts has %d; the planted anomalies should have closed", len(ids), len(a.Closed), len(shown))
	}
	t.Logf("week %s: %d consulting buyers, GMV %v, %d open alerts, %d closed", week.Week, w.Current.ConsultingBuyers, g.Totals.Total, n, len(a.Closed))
	checkMaturity(t, ctx, conn, src, from.AddDate(0, 0, cfg.Days-1))
	if !strings.Contains(b.String(), "echarts") {
		t.Error("rendered page lacks echarts")
	}
}

// checkMaturity: the last simulated week ends with days whose 72 h order
// window has not closed for the stored orders. They are marked, summed
// apart, and left out of the week-over-week comparison, which covers the
// complete days against the same weekdays of the week before.
func checkMaturity(t *testing.T, ctx context.Context, conn warehouse.Conn, src reports.Source, last time.Time) {
	t.Helper()
	cov, err := metrics.ReadCoverage(ctx, conn, reporttest.Loc, 72*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if !cov.LastDay.Equal(last) || cov.Days < 21 {
		t.Fatalf("coverage: last day %v (want %v), %d days", cov.LastDay, last, cov.Days)
	}
	// The simulation stops at the end of its last day, so the orders'
	// watermark is on it and the last complete day is four days earlier.
	wantThrough := last.AddDate(0, 0, -4)
	if !cov.CompleteThrough.Equal(wantThrough) {
		t.Fatalf("complete through %v, want %v (watermark %v)", cov.CompleteThrough, wantThrough, cov.Watermark)
	}
	week := reports.WeekOf(last)
	w, err := reports.BuildWeekly(ctx, src, reports.Scope{Period: week, Coverage: cov})
	if err != nil {
		t.Fatal(err)
	}
	if !w.Comparable || !w.HasTail || !w.Compared.To.Equal(wantThrough) || !w.Tail.From.Equal(wantThrough.AddDate(0, 0, 1)) {
		t.Fatalf("compared %s, tail %s (has %v, comparable %v)", w.Compared.Label(), w.Tail.Label(), w.HasTail, w.Comparable)
	}
	if !w.PrevCompared.From.Equal(week.From.AddDate(0, 0, -7)) || w.PrevCompared.Days() != w.Compared.Days() {
		t.Errorf("previous %s is not the same days of the week before %s", w.PrevCompared.Label(), w.Compared.Label())
	}
	var mature, immature int64
	for _, d := range w.Daily {
		if d.Immature != d.Date.After(wantThrough) {
			t.Errorf("%s marked immature=%v", d.Date.Format(time.DateOnly), d.Immature)
		}
		if d.Immature {
			immature += d.ConsultingBuyers
		} else {
			mature += d.ConsultingBuyers
		}
	}
	if w.Current.ConsultingBuyers != mature || w.TailFigures.ConsultingBuyers != immature || immature == 0 {
		t.Errorf("compared figures cover %d consulting buyers, complete days hold %d; tail %d of %d", w.Current.ConsultingBuyers, mature, w.TailFigures.ConsultingBuyers, immature)
	}
	checkDropoffLegend(t, w)
	// The week has ended: sentiment and service compare all of it while
	// conversion compares its final days. Built on the Thursday of the
	// week before (data up to that day, final up to Monday), every
	// figure compares the days so far with the same days a week earlier.
	checkComparedDays(t, ctx, conn, src, week, cov, week)
	mid := week.Previous()
	midCov := cov
	midCov.LastDay, midCov.CompleteThrough = mid.From.AddDate(0, 0, 3), mid.From
	checkComparedDays(t, ctx, conn, src, mid, midCov, reports.Period{From: mid.From, To: midCov.LastDay})
	// The deltas are against exactly the same weekdays a week earlier.
	prev, err := metrics.Show(ctx, conn, "conversion", metrics.Query{From: w.PrevCompared.From, To: w.PrevCompared.To, By: []string{"week"}})
	if err != nil || len(prev) != 1 {
		t.Fatalf("previous days: %v, %d rows", err, len(prev))
	}
	if got, _ := prev[0].Get("ordered_buyers"); got != w.Previous.OrderedBuyers {
		t.Errorf("previous ordered buyers %v, report compares with %d", got, w.Previous.OrderedBuyers)
	}
	// The unfinished days do convert worse, which is the artifact a full
	// comparison would have shown as a decline.
	if w.TailFigures.FinalPayRate >= w.Current.FinalPayRate {
		t.Logf("note: tail final pay rate %.3f, compared %.3f", w.TailFigures.FinalPayRate, w.Current.FinalPayRate)
	}
	for _, lang := range reports.Langs {
		var b bytes.Buffer
		if err := reports.RenderWeekly(&b, w, reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		page := b.String()
		l, _ := reports.NewLocale(lang)
		for _, want := range []string{wantThrough.Format(time.DateOnly), l.T("immature_mark"), l.T("vs_prev_same_days"),
			w.Tail.From.Format("01-02") + "*"} {
			if !strings.Contains(page, want) {
				t.Errorf("%s page lacks %q", lang, want)
			}
		}
	}
}
