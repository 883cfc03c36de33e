package reports_test

// Checks of what a reader of the simulated reports sees: artifacts a
// newcomer opening `convintel demo`'s pages would distrust. Each is called
// from TestBuildFromSimulation on its data.

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/reporttest"
	"github.com/convintel/convintel/simulate"
	"github.com/convintel/convintel/warehouse"
)

// simNames names the simulated shops and products as the demo's
// dimension file does.
func simNames(t *testing.T, shops int) *reports.Dimensions {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"kind", "id", "zh", "en"})
	for _, s := range simulate.Shops(shops) {
		_ = w.Write([]string{"shop", s.ID, s.Name, s.NameEN})
		for _, p := range s.Products {
			_ = w.Write([]string{"product", p.ID, p.Name, p.NameEN})
		}
	}
	w.Flush()
	d, err := reports.ReadDimensions(&b)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// checkActionNames: an alert's "what to do" names the product as the
// merchandiser knows it, not by the id the metric job stored ("Add shelf
// life … to p01-milk-powder's product page"), and points at a report, not
// at a command line ("metrics show gaps").
func checkActionNames(t *testing.T, a *reports.Alerts, names *reports.Dimensions) {
	t.Helper()
	var all []reports.Alert
	for _, g := range a.Groups {
		all = append(all, g.Alerts...)
	}
	all = append(all, a.Closed...)
	withProduct := 0
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		l = l.WithNames(names)
		var page bytes.Buffer
		if err := reports.RenderAlerts(&page, a, reports.RenderOptions{Lang: lang, Names: names}); err != nil {
			t.Fatal(err)
		}
		for _, al := range all {
			text := reports.ActionText(l, al)
			if strings.Contains(text, "metrics show") {
				t.Errorf("%s action of %s points at the command line: %q", lang, al.Rule, text)
			}
			if al.Product == "" || !strings.Contains(al.Action(lang), al.Product) {
				continue
			}
			withProduct++
			if strings.Contains(text, al.Product) || !strings.Contains(text, l.Display("product", al.Product)) {
				t.Errorf("%s action of %s shows the product id %s: %q", lang, al.Rule, al.Product, text)
			}
			if strings.Contains(page.String(), html.EscapeString(al.Action(lang))) || !strings.Contains(page.String(), html.EscapeString(text)) {
				t.Errorf("%s alerts page shows the stored action %q, not %q", lang, al.Action(lang), text)
			}
		}
	}
	if withProduct == 0 {
		t.Error("no alert names a product in its action: the planted topic surge should")
	}
}

// checkQAConsultations: the QA page's consultations are the week's
// consultations, each once, as the weekly report counts them (the
// responder rows summed counted a handed-off consultation for the bot and
// for the agent: 21,508 against 17,907 in the demo's week), and its
// average score is the mean over them of the scores it lists.
func checkQAConsultations(t *testing.T, ctx context.Context, src reports.Source, week reports.Period, w *reports.Weekly) {
	t.Helper()
	defer func(n int) { reports.WorstConversations = n }(reports.WorstConversations)
	reports.WorstConversations = 1 << 30 // every conversation with a violation
	q, err := reports.BuildQA(ctx, src, reports.Scope{Period: week})
	if err != nil {
		t.Fatal(err)
	}
	var rows int64
	for _, r := range q.ByResponder {
		rows += r.Consultations
	}
	if q.Consultations != w.Service.Consultations || q.Consultations == 0 || rows <= q.Consultations {
		t.Errorf("QA consultations %d, the weekly report's %d, responder rows summed %d (handed-off consultations are in two rows)",
			q.Consultations, w.Service.Consultations, rows)
	}
	var lost int
	for _, c := range q.Worst {
		lost += 100 - c.Score
	}
	if want := 100 - float64(lost)/float64(q.Consultations); math.Abs(q.AvgScore-want) > 1e-9 || q.AvgScore >= 100 {
		t.Errorf("QA average score %.4f, the mean of the %d consultations' scores is %.4f", q.AvgScore, q.Consultations, want)
	}
	checkQAShopNames(t, q, simNames(t, len(q.Shops)))
	checkQAIntents(t, q)
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		var page bytes.Buffer
		if err := reports.RenderQA(&page, q, reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		checkBarLabels(t, lang+" QA page", page.String())
		checkQAConversationRefs(t, q, page.String())
		if lang == reports.LangEN {
			checkQADaily(t, q, page.String())
		}
		if note := fmt.Sprintf(l.T("qa.rows_note"), l.Count(q.Consultations)); !strings.Contains(page.String(), html.EscapeString(note)) {
			t.Errorf("%s QA page: responder rows add up to %d consultations against %d, and no note says why", lang, rows, q.Consultations)
		}
		if !strings.Contains(page.String(), l.Count(w.Service.Consultations)) {
			t.Errorf("%s QA page does not show the week's %d consultations", lang, w.Service.Consultations)
		}
	}
}

// checkGMVCardsAddUp: the GMV dashboard's bot, agent and unattributed
// cards, as printed, add up to its total card (compact amounts did not:
// ¥2M + ¥1.3M + ¥1.8M beside a total of ¥5.2M in the demo).
func checkGMVCardsAddUp(t *testing.T, g *reports.GMV) {
	t.Helper()
	value := regexp.MustCompile(`<div class="kpi"><div class="label">[^<]*</div><div class="value[^"]*">([^<]*)</div>`)
	for _, lang := range reports.Langs {
		var page bytes.Buffer
		if err := reports.RenderGMV(&page, g, reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		checkBarLabels(t, lang+" GMV dashboard", page.String())
		var cents []int64
		for _, m := range value.FindAllStringSubmatch(page.String(), 4) {
			s := strings.NewReplacer("¥", "", ",", "").Replace(m[1])
			yuan, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Errorf("%s GMV card %q is not an amount in yuan", lang, m[1])
				continue
			}
			cents = append(cents, int64(math.Round(yuan*100)))
		}
		if len(cents) != 4 || cents[1]+cents[2]+cents[3] != cents[0] || cents[0] != int64(g.Totals.Total) {
			t.Errorf("%s GMV cards: total, bot, agent, unattributed read %v (cents); the parts must add up to the total %d", lang, cents, int64(g.Totals.Total))
		}
	}
}

// checkBarLabels: every bar of a page's bar charts is named in full. The
// category labels wrap (the QA page cut "Slow first respon…" and "Missed
// takeover (…") and are all drawn (ECharts left out every other responder
// class under the GMV chart on a phone).
func checkBarLabels(t *testing.T, name, page string) {
	t.Helper()
	i := strings.Index(page, "window.CONVINTEL = ")
	j := strings.Index(page[i:], ";</script>")
	if i < 0 || j < 0 {
		t.Fatalf("%s: no chart data", name)
	}
	var boot struct {
		Charts []struct {
			ID     string `json:"id"`
			Option struct {
				Series []struct {
					Type string `json:"type"`
				} `json:"series"`
				XAxis, YAxis []struct {
					Type      string         `json:"type"`
					Data      []string       `json:"data"`
					AxisLabel map[string]any `json:"axisLabel"`
				}
			} `json:"option"`
		} `json:"charts"`
	}
	if err := json.Unmarshal([]byte(page[i+len("window.CONVINTEL = "):i+j]), &boot); err != nil {
		t.Fatalf("%s: chart data: %v", name, err)
	}
	bars := 0
	for _, c := range boot.Charts {
		if len(c.Option.Series) == 0 || c.Option.Series[0].Type != "bar" || strings.HasPrefix(c.ID, "chart-exp") {
			continue // lines thin their day labels; the experiments' arms are few and short
		}
		bars++
		for _, ax := range append(c.Option.XAxis, c.Option.YAxis...) {
			if ax.Type == "value" || len(ax.Data) == 0 {
				continue
			}
			if ov := ax.AxisLabel["overflow"]; ov != "break" || ax.AxisLabel["interval"] != "0" {
				t.Errorf("%s chart %s: category labels %v (overflow %v, interval %v): a bar would go unnamed or cut", name, c.ID, ax.Data, ov, ax.AxisLabel["interval"])
			}
		}
	}
	if bars == 0 {
		t.Errorf("%s: no bar chart checked", name)
	}
}

// checkQAShopNames: the QA page names the shop of each of its worst
// conversations as the other pages do ("Shop shop-02" beside "Wardrobe
// Time" on the weekly report).
func checkQAShopNames(t *testing.T, q *reports.QA, names *reports.Dimensions) {
	t.Helper()
	if len(q.Worst) == 0 {
		t.Fatal("QA page without worst conversations")
	}
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		l = l.WithNames(names)
		var page bytes.Buffer
		if err := reports.RenderQA(&page, q, reports.RenderOptions{Lang: lang, Names: names}); err != nil {
			t.Fatal(err)
		}
		for _, c := range q.Worst {
			if strings.Contains(page.String(), ">"+c.Shop+"<") || !strings.Contains(page.String(), ">"+l.Display("shop", c.Shop)+"<") {
				t.Errorf("%s QA page shows shop %s by its id, not as %q", lang, c.Shop, l.Display("shop", c.Shop))
			}
		}
	}
}

// TestNamesOnEveryPage: an experiment's shop, and an agent on the QA page
// and the scoreboard, read by their display names as on the GMV dashboard.
func TestNamesOnEveryPage(t *testing.T) {
	names := reporttest.Names()
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		l = l.WithNames(names)
		var page bytes.Buffer
		if err := reports.RenderExperiments(&page, reporttest.Experiments(), reports.RenderOptions{Lang: lang, Names: names}); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(page.String(), ">shop-01<") || !strings.Contains(page.String(), ">"+l.Display("shop", "shop-01")+"<") {
			t.Errorf("%s experiments page shows shop-01 by its id", lang)
		}
		for name, render := range map[string]func() error{
			"QA": func() error {
				return reports.RenderQA(&page, reporttest.QA(), reports.RenderOptions{Lang: lang, Names: names})
			},
			"agents": func() error {
				return reports.RenderAgents(&page, reporttest.Agents(), reports.RenderOptions{Lang: lang, Names: names})
			},
		} {
			page.Reset()
			if err := render(); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(page.String(), ">agent-07<") || !strings.Contains(page.String(), ">"+l.Display("agent", "agent-07")+"<") {
				t.Errorf("%s %s page shows agent-07 by its id, not as %q", lang, name, l.Display("agent", "agent-07"))
			}
			// a name in text type, as on the GMV dashboard and the alerts
			// page; code type is for ids without a name
			if strings.Contains(page.String(), `class="id">`+l.Display("agent", "agent-07")+"<") || strings.Contains(page.String(), `class="id">`+l.Name("agent", "bot")+"<") {
				t.Errorf("%s %s page shows a named agent in code type, as an id", lang, name)
			}
		}
	}
}

// checkBotFirstResponse: the scoreboard shows no first response after a
// handoff for the bot, which never takes one over (it read "0 s", as if
// the bot answered handoffs instantly).
func checkBotFirstResponse(t *testing.T, ag *reports.Agents) {
	t.Helper()
	row := regexp.MustCompile(`<tr><td(?: class="(?:id|name)")?>([^<]*)</td><td>(?:[^<]|<span class="shopname">[^<]*</span>)*</td>((?:<td class="num">[^<]*</td>)+)</tr>`)
	cell := regexp.MustCompile(`<td class="num">([^<]*)</td>`)
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		var page bytes.Buffer
		if err := reports.RenderAgents(&page, ag, reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		rows := row.FindAllStringSubmatch(page.String(), -1)
		if len(rows) != len(ag.Rows) || rows[0][1] != l.Name("agent", "bot") {
			t.Fatalf("%s scoreboard: %d rows read, %d built; first %q", lang, len(rows), len(ag.Rows), rows[0][1])
		}
		for i, r := range rows {
			cells := cell.FindAllStringSubmatch(r[2], -1)
			first := cells[9][1] // served, consulting, order, paid, sales, orders, AOV, 3-min, reply, first response
			if i == 0 && first != "–" || i > 0 && first == "–" {
				t.Errorf("%s scoreboard row %s: first response after handoff %q", lang, r[1], first)
			}
		}
	}
}

// chartSeries returns the series names of chart id in a rendered page.
func chartSeries(t *testing.T, page, id string) []string {
	t.Helper()
	series, _ := chartOption(t, page, id)["series"].([]any)
	var names []string
	for _, s := range series {
		m, _ := s.(map[string]any)
		name, _ := m["name"].(string)
		names = append(names, name)
	}
	return names
}

// checkDropoffLegend: the weekly drop-off chart names what its bars
// compare. Over a week whose last days are still inside the order window
// it compares the complete days with the same days before, and its legend
// said "This week" and "Previous week" beside a table saying "vs same
// days before".
func checkDropoffLegend(t *testing.T, w *reports.Weekly) {
	t.Helper()
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		var page bytes.Buffer
		if err := reports.RenderWeekly(&page, w, reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		want := []string{l.T("this"), l.T("prev")}
		if w.HasTail {
			want = []string{w.Compared.From.Format("01-02") + " – " + w.Compared.To.Format("01-02"),
				w.PrevCompared.From.Format("01-02") + " – " + w.PrevCompared.To.Format("01-02")}
		}
		if got := chartSeries(t, page.String(), "chart-dropoff"); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%s drop-off chart of %s (compared %s with %s): legend %q, want %q", lang, w.Period.Label(), w.Compared.Label(), w.PrevCompared.Label(), got, want)
		}
	}
}

// TestGrowthHours: the bot-value card writes hours as the other cards
// write amounts ("1,812 h", "1,812 小时"; it read "1812.0 h" in Chinese
// too), and the cost saved beside it is those hours at the hourly cost.
func TestGrowthHours(t *testing.T) {
	g := reporttest.GMV()
	g.Growth = &reports.GrowthCards{Current: reports.GrowthFigures{HasValue: true, HoursSaved: 1812.04, CostSaved: 7_248_160,
		FTEAvg: 8.1, BotOnly: 31690, HandleS: 205.84, WrapUpS: 60, HoursPerDay: 8, HourlyCost: 4000}}
	for lang, want := range map[string]string{reports.LangZH: ">1,812 小时<", reports.LangEN: ">1,812 h<"} {
		var page bytes.Buffer
		if err := reports.RenderGMV(&page, g, reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(page.String(), want) || strings.Contains(page.String(), "1812.0") {
			t.Errorf("%s GMV page: hours saved not written %q", lang, want)
		}
	}
	l, _ := reports.NewLocale(reports.LangEN)
	if got := l.Hours(12.345); got != "12.3 h" {
		t.Errorf("12.345 hours read %q", got)
	}
}

// TestAlertSummaryOne: one open alert reads "1 open alert", not "1 open
// alerts" (the demo's early-warning headline).
func TestAlertSummaryOne(t *testing.T) {
	a := reporttest.Alerts()
	a.Groups = a.Groups[:1]
	a.Groups[0].Alerts = a.Groups[0].Alerts[:1]
	a.Closed, a.Conduct = nil, a.Conduct[:min(1, len(a.Conduct))]
	var page bytes.Buffer
	if err := reports.RenderAlerts(&page, a, reports.RenderOptions{Lang: reports.LangEN}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page.String(), "1 open alert:") || strings.Contains(page.String(), "1 open alerts") {
		t.Errorf("one open alert summarised as %q", regexp.MustCompile(`<h2>[^<]*open alert[^<]*</h2>`).FindString(page.String()))
	}
	if len(a.Conduct) == 1 && !strings.Contains(page.String(), "1 service-quality alert for an agent") {
		t.Error("one service-quality alert not in the singular")
	}
}

// checkGapProducts: a knowledge gap asked about no product says so; its
// "top product" cell was empty, like a value that failed to load.
func checkGapProducts(t *testing.T, w *reports.Weekly) {
	t.Helper()
	shopWide := 0
	for _, g := range w.Gaps {
		if g.TopProduct == "" {
			shopWide++
		}
	}
	if shopWide == 0 {
		t.Log("no shop-wide knowledge gap in this week: the empty-product cell is not exercised")
	}
	cellsRe := regexp.MustCompile(`(?s)<tr><td>\d+</td>(.*?)</tr>`)
	emptyCell := regexp.MustCompile(`<td[^>]*></td>`)
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		var page bytes.Buffer
		if err := reports.RenderWeekly(&page, w, reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		gaps := page.String()[strings.Index(page.String(), l.T("weekly.gaps")):]
		for _, row := range cellsRe.FindAllStringSubmatch(gaps, -1) {
			if emptyCell.MatchString(row[1]) {
				t.Errorf("%s knowledge gap row with an empty cell: %s", lang, row[1])
			}
		}
		if n := strings.Count(gaps, l.T("weekly.gap_no_product")); n != shopWide {
			t.Errorf("%s: %d gaps say they name no product, %d have none", lang, n, shopWide)
		}
	}
}

// TestControlArmName: the control arm named "control" is not labelled
// "control (control)"; another name keeps the tag.
func TestControlArmName(t *testing.T) {
	x := reporttest.Experiments()
	for lang, want := range map[string][2]string{reports.LangEN: {">control<", ">base (control)<"}, reports.LangZH: {">control（对照组）<", ">base（对照组）<"}} {
		var page bytes.Buffer
		if err := reports.RenderExperiments(&page, x, reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(page.String(), want[0]) || strings.Contains(page.String(), "control (control)") {
			t.Errorf("%s experiments page: the arm named control does not read %q", lang, want[0])
		}
		arm := reports.ExperimentArm{Variant: "base", Control: true}
		l, _ := reports.NewLocale(lang)
		if got := ">" + arm.Variant + x.Experiments[0].ControlTag(l, arm) + "<"; got != want[1] {
			t.Errorf("%s: control arm base reads %q, want %q", lang, got, want[1])
		}
	}
}

// TestFileNav: report files written together link each other by file
// name (the demo's out/ had no way from one page to the next offline):
// every link of every page names a written file, the page's own kind is
// marked, and the other language's link opens the same report.
func TestFileNav(t *testing.T) {
	dir := t.TempDir()
	files := map[[2]string]string{}
	for _, kind := range reports.Kinds {
		for _, lang := range reports.Langs {
			files[[2]string{kind, lang}] = kind + "-2026-W47." + lang + ".html"
		}
	}
	for k, name := range files {
		kind, lang := k[0], k[1]
		nav := reports.FileNav(lang, kind, files)
		if len(nav) != len(reports.Kinds)+1 {
			t.Fatalf("%s: %d links, want one per report and the other language", name, len(nav))
		}
		page := render(t, kind, lang, reports.RenderOptions{Nav: nav})
		if err := os.WriteFile(filepath.Join(dir, name), page, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	href := regexp.MustCompile(`(?s)<nav>(.*?)</nav>`) // the links stand on lines of their own
	link := regexp.MustCompile(`<a href="([^"]+)"( class="here")?>`)
	for k, name := range files {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		m := href.FindSubmatch(b)
		if m == nil {
			t.Fatalf("%s has no navigation", name)
		}
		here := 0
		for _, l := range link.FindAllSubmatch(m[1], -1) {
			if _, err := os.Stat(filepath.Join(dir, string(l[1]))); err != nil {
				t.Errorf("%s links %s, which was not written", name, l[1])
			}
			if len(l[2]) > 0 {
				here++
				if string(l[1]) != name {
					t.Errorf("%s marks %s as the page shown", name, l[1])
				}
			}
		}
		other := reports.LangEN
		if k[1] == reports.LangEN {
			other = reports.LangZH
		}
		if here != 1 || !bytes.Contains(m[1], []byte(`href="`+files[[2]string{k[0], other}]+`"`)) {
			t.Errorf("%s: %d links marked as this page; link to its %s version: %v", name, here, other, bytes.Contains(m[1], []byte(files[[2]string{k[0], other}])))
		}
	}
}

// checkWeeklyAtStake: a drop-off spike's money at stake is its week so
// far. On a page of one day it read "≈ ¥81,600 of orders at stake that
// day" (the demo's live alerts page), the same amount the week's page
// calls "this week". Both name the days it covers (session 18: "at stake
// over 2026-09-28 – 2026-09-30").
func checkWeeklyAtStake(t *testing.T, ctx context.Context, src reports.Source, period reports.Period) {
	t.Helper()
	a, err := reports.BuildAlerts(ctx, src, reports.Scope{Period: period})
	if err != nil {
		t.Fatal(err)
	}
	l, _ := reports.NewLocale(reports.LangEN)
	checked := 0
	for _, al := range append(append([]reports.Alert(nil), a.Closed...), flatten(a.Groups)...) {
		if al.Rule != metrics.RuleDropoffSpike {
			continue
		}
		// the day it opened, when it is open; and the whole week
		for _, p := range []reports.Period{{From: al.Opened, To: al.Opened}, reports.WeekOf(al.Opened)} {
			x, err := reports.BuildAlerts(ctx, src, reports.Scope{Period: p})
			if err != nil {
				t.Fatal(err)
			}
			var shown *reports.Alert
			for _, y := range append(flatten(x.Groups), x.Closed...) {
				if y.ID == al.ID {
					shown = &y
				}
			}
			if shown == nil || shown.PeriodGMVAtStakeCents == 0 {
				continue
			}
			var page bytes.Buffer
			if err := reports.RenderAlerts(&page, x, reports.RenderOptions{Lang: reports.LangEN}); err != nil {
				t.Fatal(err)
			}
			money := l.AtStake(metrics.Money(shown.PeriodGMVAtStakeCents))
			judged, _ := reports.JudgedDays(shown.Alert, metrics.Coverage{})
			want := money + " of orders at stake over " + shortDays(judged)
			switch {
			case shown.Status == metrics.AlertClosed && judged.Days() == 1:
				want = money + " of orders were at stake on " + shortDays(judged)
			case shown.Status == metrics.AlertClosed:
				want = money + " of orders were at stake over " + shortDays(judged)
			case judged.Days() == 1:
				want = money + " of orders at stake on " + shortDays(judged)
			}
			checked++
			if text := plainDates(page.String()); !strings.Contains(text, html.EscapeString(want)) || strings.Contains(text, html.EscapeString(money+" of orders at stake that day")) {
				t.Errorf("alerts page of %s: the drop-off spike's money at stake does not read %q (%s)", p.Label(), want,
					strings.Join(regexp.MustCompile(`<div class="stake">.*?</div>`).FindAllString(page.String(), -1), " | "))
			}
		}
	}
	if checked == 0 {
		t.Error("no drop-off spike with money at stake: the simulation plants one")
	}
}

func flatten(groups []reports.AlertGroup) []reports.Alert {
	var out []reports.Alert
	for _, g := range groups {
		out = append(out, g.Alerts...)
	}
	return out
}

// TestNoInternalReferences: what a manager reads names no section of the
// developers' documents and no command line (the service-quality note
// said "(metrics.md §9)", an action "(metrics show gaps)"); the footer's
// links to the definitions are the place for those.
func TestNoInternalReferences(t *testing.T) {
	forEachMain(t, func(lang, name, body string) {
		for _, ref := range []string{"metrics.md", "events.md", "§", "metrics show", "convintel "} {
			if i := strings.Index(body, ref); i >= 0 {
				t.Errorf("%s %s page shows %q: …%s…", lang, name, ref, body[max(0, i-60):min(len(body), i+40)])
			}
		}
	})
}

// forEachMain calls fn with the <main> of every fixture page (fixturePages)
// in every language.
func forEachMain(t *testing.T, fn func(lang, name, body string)) {
	t.Helper()
	main := regexp.MustCompile(`(?s)<main>(.*)</main>`)
	for _, lang := range reports.Langs {
		for name, page := range fixturePages(t, lang) {
			body := main.FindStringSubmatch(page)
			if body == nil {
				t.Fatalf("%s %s: no main", lang, name)
			}
			fn(lang, name, body[1])
		}
	}
}

// fixturePages renders every report of the fixtures (reporttest) in lang,
// by report name.
func fixturePages(t *testing.T, lang string) map[string]string {
	t.Helper()
	o := reports.RenderOptions{Lang: lang, Names: reporttest.Names()}
	pages := map[string]string{}
	for name, render := range map[string]func(*bytes.Buffer) error{
		"weekly":      func(b *bytes.Buffer) error { return reports.RenderWeekly(b, reporttest.Weekly(), o) },
		"alerts":      func(b *bytes.Buffer) error { return reports.RenderAlerts(b, reporttest.Alerts(), o) },
		"gmv":         func(b *bytes.Buffer) error { return reports.RenderGMV(b, reporttest.GMV(), o) },
		"qa":          func(b *bytes.Buffer) error { return reports.RenderQA(b, reporttest.QA(), o) },
		"agents":      func(b *bytes.Buffer) error { return reports.RenderAgents(b, reporttest.Agents(), o) },
		"experiments": func(b *bytes.Buffer) error { return reports.RenderExperiments(b, reporttest.Experiments(), o) },
	} {
		var page bytes.Buffer
		if err := render(&page); err != nil {
			t.Fatal(err)
		}
		pages[name] = page.String()
	}
	return pages
}

// checkDropoffUnits: the weekly page shows "Shipping" twice with two
// numbers (the funnel's 768 buyers in order, the drop-off table's 1,717
// consultations that reached it); the table's header says it counts
// consultations and the note says why the two differ (either way: the
// funnel also counts steps reached in a later chat of the window).
func checkDropoffUnits(t *testing.T, w *reports.Weekly) {
	t.Helper()
	funnel := map[string]int64{}
	for _, s := range w.Funnel {
		funnel[s.Name] = s.Buyers
	}
	differ := false
	for _, n := range w.DropOff {
		if b, ok := funnel[n.Node]; ok && b != n.Touched {
			differ = true
		}
	}
	if !differ {
		t.Log("funnel and drop-off agree on every node this week")
		return
	}
	for lang, want := range map[string][]string{
		reports.LangEN: {"Consultations reaching it", "can therefore show more there than here", "or fewer"},
		reports.LangZH: {"到达咨询数", "可能更多", "也可能更少"},
	} {
		var page bytes.Buffer
		if err := reports.RenderWeekly(&page, w, reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		for _, s := range want {
			if !strings.Contains(page.String(), s) {
				t.Errorf("%s weekly page: drop-off and funnel count a node differently and the page lacks %q", lang, s)
			}
		}
	}
}

// TestDropoffAlertOnAnUnfinishedWeek: a drop-off spike judged on a week
// whose last days can still receive orders says so on its card. Session 9
// said "this week's abandonment can still fall"; since the rule judges a
// day only once its window has closed (sched13) the rate holds final days
// only, and the card names the days not in it yet (session 17,
// TestDropOffAlertSaysItsJudgedDays); once the week is final the note goes.
func TestDropoffAlertOnAnUnfinishedWeek(t *testing.T) {
	a := reporttest.Alerts()
	var d time.Time
	for _, g := range a.Groups {
		for _, al := range g.Alerts {
			if al.Rule == metrics.RuleDropoffSpike {
				d = al.Date
			}
		}
	}
	if d.IsZero() {
		t.Fatal("the fixture has no drop-off spike")
	}
	for _, c := range []struct {
		through time.Time
		want    int
	}{{d.AddDate(0, 0, -3), 1}, {d, 0}} {
		a.Scope.Coverage = metrics.Coverage{FirstDay: d.AddDate(0, 0, -40), LastDay: d, Days: 41, Watermark: d.Add(20 * time.Hour), CompleteThrough: c.through, Window: 72 * time.Hour}
		for lang, caveat := range map[string]string{reports.LangEN: "are not in this rate yet", reports.LangZH: "尚未计入此流失率"} {
			var page bytes.Buffer
			if err := reports.RenderAlerts(&page, a, reports.RenderOptions{Lang: lang}); err != nil {
				t.Fatal(err)
			}
			if n := strings.Count(page.String(), caveat); n != c.want {
				t.Errorf("%s, final through %s: the caveat is on %d cards, want %d", lang, c.through.Format(time.DateOnly), n, c.want)
			}
		}
	}
}

// TestSmallShopChannelLines: a shop × channel line of 21 buyers shows its
// change without a colour and with a mark that says why; the large lines
// keep their colours.
func TestSmallShopChannelLines(t *testing.T) {
	w := reporttest.Weekly()
	small := w.ByShopChannel[1]
	small.Current.ConsultingBuyers, small.Current.OrderedBuyers = 21, 4
	small.Current.OrderRate = 4.0 / 21
	w.ByShopChannel[1] = small
	var page bytes.Buffer
	if err := reports.RenderWeekly(&page, w, reports.RenderOptions{Lang: reports.LangEN}); err != nil {
		t.Fatal(err)
	}
	s := page.String()
	if !strings.Contains(s, "Fewer than 50 consulting buyers") {
		t.Error("no note explains the marked lines")
	}
	// The lines compare the same days before while the week is not final
	// (three days against three): the note said "in one of the two weeks".
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		if note := l.Tf("weekly.small_sample", reports.SmallSample); strings.Contains(note, "week") || strings.Contains(note, "周") {
			t.Errorf("%s: the small-sample note speaks of weeks, while the lines may compare a few days with the same days before: %q", lang, note)
		}
	}
	rows := regexp.MustCompile(`(?s)<tr><td title="[^"]*"[^>]*>[^<]*</td><td>[^<]*</td><td class="num">.*?</tr>`).FindAllString(s, -1)
	if len(rows) != len(w.ByShopChannel) {
		t.Fatalf("%d shop × channel rows, want %d", len(rows), len(w.ByShopChannel))
	}
	for i, r := range rows {
		marked := strings.Contains(r, "†")
		coloured := strings.Contains(r, `class="num good"`) || strings.Contains(r, `class="num bad"`)
		if i == 1 && (!marked || coloured) {
			t.Errorf("the 21-buyer line: marked %v, coloured %v; want marked and not coloured: %s", marked, coloured, r)
		}
		if i != 1 && (marked || !coloured) {
			t.Errorf("line %d: marked %v, coloured %v; want coloured and not marked", i, marked, coloured)
		}
	}
}

// checkComparedDays: the weekly page compares like with like and says
// what with what. Sentiment and service do not wait for orders, so once
// the week has ended they cover all of it against the whole week before,
// even while conversion compares only its final days with the same days
// before; built mid-week, they cover the days so far against the same
// days of the week before, and their cards say so (they read "vs previous
// week" over those same days). Each group of cards names its days and
// the days it is compared with, and the figures are `metrics show` over
// exactly those days.
func checkComparedDays(t *testing.T, ctx context.Context, conn warehouse.Conn, src reports.Source, week reports.Period, cov metrics.Coverage, observed reports.Period) {
	t.Helper()
	w, err := reports.BuildWeekly(ctx, src, reports.Scope{Period: week, Coverage: cov})
	if err != nil {
		t.Fatal(err)
	}
	prevObserved := reports.Period{From: observed.From.AddDate(0, 0, -7), To: observed.To.AddDate(0, 0, -7)}
	if !w.Observed.From.Equal(observed.From) || !w.Observed.To.Equal(observed.To) || !w.PrevObserved.From.Equal(prevObserved.From) || !w.PrevObserved.To.Equal(prevObserved.To) {
		t.Fatalf("%s with data up to %s: sentiment and service compare %s with %s, want %s with %s", week.Week, cov.LastDay.Format(time.DateOnly),
			w.Observed.Label(), w.PrevObserved.Label(), observed.Label(), prevObserved.Label())
	}
	consultations := func(name string, p reports.Period) int64 {
		rows, err := metrics.Show(ctx, conn, name, metrics.Query{From: p.From, To: p.To, By: []string{"week"}})
		if err != nil || len(rows) != 1 {
			t.Fatalf("%s over %s: %v, %d rows", name, p.Label(), err, len(rows))
		}
		v, _ := rows[0].Get("consultations")
		return v.(int64)
	}
	if got, want := w.Sentiment.Consultations, consultations("sentiment", observed); got != want || want == 0 {
		t.Errorf("sentiment covers %d consultations, metrics show %d over %s", got, want, observed.Label())
	}
	if got, want := w.PrevService.Consultations, consultations("service", prevObserved); got != want || want == 0 {
		t.Errorf("service compares with %d consultations, metrics show %d over %s", got, want, prevObserved.Label())
	}
	whole := func(p reports.Period) bool { return p.From.Equal(week.From) && p.To.Equal(week.To) }
	deltas := regexp.MustCompile(`<div class="delta[^"]*">([^<]*)</div>`)
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		var b bytes.Buffer
		if err := reports.RenderWeekly(&b, w, reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		page := plainDates(b.String())
		check := func(heading string, days, prev reports.Period) {
			t.Helper()
			i := strings.Index(page, "<h2>"+l.T(heading)+"</h2>")
			if i < 0 {
				t.Fatalf("%s page has no section %q", lang, l.T(heading))
			}
			sec := page[i : i+strings.Index(page[i:], "</section>")]
			label := l.T("vs_prev_same_days")
			if whole(days) {
				label = l.T("vs_prev")
			}
			found := deltas.FindAllStringSubmatch(sec, -1)
			for _, m := range found {
				if !strings.HasSuffix(m[1], " "+label) {
					t.Errorf("%s %s: delta %q, want it against %q (%s with %s)", lang, l.T(heading), m[1], label, days.Label(), prev.Label())
				}
			}
			caption := regexp.MustCompile(`<p class="note compared">([^<]*)</p>`).FindStringSubmatch(sec)
			if len(found) == 0 || caption == nil {
				t.Fatalf("%s %s: %d deltas, caption %q", lang, l.T(heading), len(found), caption)
			}
			for _, d := range []time.Time{days.From, days.To, prev.From, prev.To} {
				if !strings.Contains(caption[1], d.Format(time.DateOnly)) {
					t.Errorf("%s %s: caption %q does not name %s (%s with %s)", lang, l.T(heading), caption[1], d.Format(time.DateOnly), days.Label(), prev.Label())
				}
			}
		}
		check("weekly.kpis", w.Compared, w.PrevCompared)
		check("weekly.sentiment", w.Observed, w.PrevObserved)
		check("weekly.service", w.Observed, w.PrevObserved)
	}
}

// chartOption is the ECharts option of chart id in a rendered page.
func chartOption(t *testing.T, page, id string) map[string]any {
	t.Helper()
	i := strings.Index(page, "window.CONVINTEL = ")
	j := strings.Index(page[i:], ";</script>")
	var boot struct {
		Charts []struct {
			ID     string         `json:"id"`
			Option map[string]any `json:"option"`
		} `json:"charts"`
	}
	if i < 0 || j < 0 || json.Unmarshal([]byte(page[i+len("window.CONVINTEL = "):i+j]), &boot) != nil {
		t.Fatalf("no chart data in the page")
	}
	for _, c := range boot.Charts {
		if c.ID == id {
			return c.Option
		}
	}
	t.Fatalf("no chart %s in the page", id)
	return nil
}

// TestHoursScaleHasUnit: the hours heat-map's colour scale says what its
// numbers count (it read "0" and "596" with no unit): consultations
// started in the hour, added over the weeks of a longer period, up to the
// busiest cell.
func TestHoursScaleHasUnit(t *testing.T) {
	f := func(w *reports.Weekly, key string) {
		t.Helper()
		for _, lang := range reports.Langs {
			l, _ := reports.NewLocale(lang)
			_, opt := hoursPage(t, w, lang)
			vm, _ := opt["visualMap"].([]any)
			if len(vm) != 1 {
				t.Fatalf("%s %s: visualMap %v", lang, w.Period.Label(), vm)
			}
			m, _ := vm[0].(map[string]any)
			var texts []string
			xs, _ := m["text"].([]any)
			for _, x := range xs {
				if s, _ := x.(string); s != "" {
					texts = append(texts, s)
				}
			}
			if len(texts) != 1 || texts[0] != l.T(key) || m["max"] != 596.0 {
				t.Errorf("%s %s: colour scale up to %v labelled %q, want %q", lang, w.Period.Label(), m["max"], texts, l.T(key))
			}
		}
	}
	cells := []hoursCell{{4, 10, 596}, {1, 2, 3}}
	f(weeklyWithHours(cells), "hours.unit")
	w := weeklyWithHours(cells)
	w.Period = reports.Period{From: w.Period.From.AddDate(0, 0, -21), To: w.Period.To}
	f(w, "hours.unit_weeks")
}

// TestNightShareNamesItsHours: the weekly heat-map's note read "Night
// order share 8.4 %" while the GMV dashboard's card says "Night order
// share (00–06) 8.1 %": the two pages name the share the same way, with
// its hours.
func TestNightShareNamesItsHours(t *testing.T) {
	w := weeklyWithHours(nil)
	w.Hours.NightShare = 0.084
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		page, _ := hoursPage(t, w, lang)
		want := html.EscapeString(l.T("growth.night_share")) + map[string]string{reports.LangEN: ": ", reports.LangZH: "："}[lang] + l.Percent(0.084)
		if !strings.Contains(plainDates(page), want) { // its hours kept on one line
			t.Errorf("%s weekly: the hours note does not read %q", lang, want)
		}
	}
}
