package reports_test

// What a shop's service supervisor distrusted on the demo's scoreboard and
// QA page: agents of different shops ranked together, agent sales that
// did not add up to the GMV dashboard's agent GMV, and "0 messages
// inspected" beside 1,300 violations.

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/reporttest"
)

// TestScoreboardShopsAndTotal: every agent row names its shop, and the
// board ends with the sales no agent is credited with and the agents'
// total, which is the GMV dashboard's agent GMV.
func TestScoreboardShopsAndTotal(t *testing.T) {
	a := reporttest.Agents()
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		l = l.WithNames(reporttest.Names())
		var page bytes.Buffer
		if err := reports.RenderAgents(&page, a, reports.RenderOptions{Lang: lang, Names: reporttest.Names()}); err != nil {
			t.Fatal(err)
		}
		s := page.String()
		want := fmt.Sprintf(`<td class="name">%s</td><td><span class="shopname">%s</span></td>`, l.Name("agent", "agent-07"), l.Display("shop", "shop-01"))
		if !strings.Contains(s, "<th>"+l.T("shop")+"</th>") || !strings.Contains(s, want) {
			t.Errorf("%s scoreboard: no shop column, or agent-07's row does not name its shop (want %q)", lang, want)
		}
		// the label spans the six columns before the sales, empty on its
		// row, on one line (on a phone it stood four characters a line
		// over two columns, on a laptop on two lines), the sales in theirs
		noAgent := fmt.Sprintf(`<td class="muted label" colspan="6">%s</td><td class="num">%s</td>`, l.T("agents.no_agent"), l.Money(a.NoAgentSales))
		if !strings.Contains(s, noAgent) {
			t.Errorf("%s scoreboard: the sales no agent is credited with (%s) have no row", lang, l.Money(a.NoAgentSales))
		}
		total := a.NoAgentSales
		for _, r := range a.Rows[1:] {
			total += r.Sales
		}
		// the label spans the columns before the sales ("Agents, / total"
		// stood on two lines on a laptop)
		if !strings.Contains(s, fmt.Sprintf(`<td class="label" colspan="6"><strong>%s</strong></td><td class="num"><strong>%s</strong></td>`, template.HTMLEscapeString(l.T("agents.total")), l.Money(total))) || a.AgentSales() != total {
			t.Errorf("%s scoreboard: no total row of %s (agents and the sales without an agent)", lang, l.Money(total))
		}
	}
}

// checkAgentsReconcile: on simulated traffic the scoreboard's agents'
// total is the GMV dashboard's agent GMV to the fen, every agent names its
// shop, and each shop's agents stand together, ranked by sales.
func checkAgentsReconcile(t *testing.T, ag *reports.Agents, g *reports.GMV) {
	t.Helper()
	if ag.AgentSales() != g.Totals.Human {
		t.Errorf("scoreboard agents' total %v (of which no agent %v), GMV dashboard agent GMV %v", ag.AgentSales(), ag.NoAgentSales, g.Totals.Human)
	}
	for i, r := range ag.Rows[1:] {
		if len(r.Shops) == 0 {
			t.Errorf("scoreboard: agent %s has no shop", r.Agent)
		}
		if prev := ag.Rows[i]; i > 0 && strings.Join(prev.Shops, ",") == strings.Join(r.Shops, ",") && prev.Sales < r.Sales {
			t.Errorf("scoreboard: %s (%v) ranked below %s (%v) of the same shop", prev.Agent, prev.Sales, r.Agent, r.Sales)
		} else if i > 0 && strings.Join(prev.Shops, ",") > strings.Join(r.Shops, ",") {
			t.Errorf("scoreboard: the shops' agents are mixed (%s of %v after %s of %v)", r.Agent, r.Shops, prev.Agent, prev.Shops)
		}
	}
	for _, a := range g.TopAgents {
		if a.Shop == "" {
			t.Errorf("GMV dashboard: top agent %s without its shop", a.Agent)
		}
	}
	l, _ := reports.NewLocale(reports.LangEN)
	var page bytes.Buffer
	if err := reports.RenderAgents(&page, ag, reports.RenderOptions{Lang: reports.LangEN}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page.String(), "<strong>"+l.Money(g.Totals.Human)+"</strong>") {
		t.Errorf("scoreboard page: no total row reading the GMV dashboard's agent GMV %s", l.Money(g.Totals.Human))
	}
}

// TestQAUnassignedRow: the unassigned row shows no messages inspected as
// "–" with a note saying nobody answered, not "0" beside its
// violations; a chart that shows fewer rows than the table says so. The
// row reads "Unassigned *" (on hover and in the note under the table,
// marked *, "Unassigned (nobody answered)"): the whole stood on three
// lines of the table's first column at 1400 px.
func TestQAUnassignedRow(t *testing.T) {
	q := reporttest.QA()
	for i := 0; i < 10; i++ {
		q.ByResponder = append(q.ByResponder, reports.ResponderQA{Responder: fmt.Sprintf("agent-%02d", 20+i), Consultations: 100, Messages: 300, Count: 2})
	}
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		var page bytes.Buffer
		if err := reports.RenderQA(&page, q, reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		s := page.String()
		row := regexp.MustCompile(`<tr><td class="label" title="` + regexp.QuoteMeta(template.HTMLEscapeString(l.T("qa.unassigned_row"))) + `">` +
			regexp.QuoteMeta(l.T("agent.unassigned")) + ` \*</td><td class="num">[^<]*</td><td class="num">([^<]*)</td>`).FindStringSubmatch(s)
		if row == nil || row[1] != "–" {
			t.Errorf("%s QA page: the unassigned row is not labelled %q * (%q on hover) with – messages inspected: %v", lang, l.T("agent.unassigned"), l.T("qa.unassigned_row"), row)
		}
		note := l.Tf("qa.unassigned_note", l.Count(420))
		if !strings.Contains(s, template.HTMLEscapeString(note)) {
			t.Errorf("%s QA page: no note %q under the responder table", lang, note)
		}
		if !strings.HasPrefix(note, "* "+l.T("qa.unassigned_row")) {
			t.Errorf("%s QA page: the note under the table does not begin with the row's full name, marked *: %q", lang, note)
		}
		// the chart compares agents: 12 of the 14 rows, the bot and the
		// unassigned row left out (in the demo their 379 and 1,300
		// violations left the agents' 30–62 as slivers), and says so
		if note := l.Tf("qa.chart_top", 10, 12); !strings.Contains(s, template.HTMLEscapeString(note)) || !strings.Contains(s, `aria-label="`+l.Tf("qa.chart_title_top", 10, 12)+`"`) {
			t.Errorf("%s QA page: the chart shows 10 of 12 agents and does not say so", lang)
		}
		var bot, unassigned int64
		for _, r := range q.ByResponder {
			switch r.Responder {
			case "bot":
				bot = r.Count
			case "unassigned":
				unassigned = r.Count
			}
		}
		if note := l.Tf("qa.chart_left_out", l.Count(bot), l.Count(unassigned)); !strings.Contains(s, template.HTMLEscapeString(note)) {
			t.Errorf("%s QA page: no note giving the bot's and the unassigned row's violations left out of the chart (want %q)", lang, note)
		}
		cats, _ := chartOption(t, s, "chart-qa-responders")["yAxis"].([]any)[0].(map[string]any)["data"].([]any)
		for _, name := range []string{l.Name("agent", "bot"), l.T("qa.unassigned_row")} {
			if slices.Contains(cats, any(name)) {
				t.Errorf("%s QA page: the responder chart draws %q beside the agents", lang, name)
			}
		}
	}
	q.ByResponder = q.ByResponder[:4]
	var page bytes.Buffer
	if err := reports.RenderQA(&page, q, reports.RenderOptions{Lang: reports.LangEN}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(page.String(), "top 10") {
		t.Error("QA page: a chart of every row says it shows the top 10")
	}
}

// TestQAConversationRef: the QA page names a conversation by a short
// reference, never by the platform's id (the demo's read
// conv-20261111-49946, the simulator's seed; a platform's ids can carry
// the buyer's account name), in the worst conversations and the disputed
// list, and says how to find the chat.
func TestQAConversationRef(t *testing.T) {
	ref := regexp.MustCompile(`^#[0-9A-HJKMNP-TV-Z]{6}$`)
	f := func(shop, conv string) {
		t.Helper()
		r := metrics.ConversationRef(shop, conv)
		if !ref.MatchString(r) || r != metrics.ConversationRef(shop, conv) {
			t.Errorf("ConversationRef(%q, %q) = %q: want # and six Crockford base-32 characters, the same each time", shop, conv, r)
		}
	}
	f("shop-01", "conv-20261111-49946")
	f("shop-01", "")
	f("", "x")
	if metrics.ConversationRef("shop-01", "c1") == metrics.ConversationRef("shop-02", "c1") {
		t.Error("two shops' conversations with the same id share a reference")
	}
	q := reporttest.QA()
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		var page bytes.Buffer
		if err := reports.RenderQA(&page, q, reports.RenderOptions{Lang: lang, Names: reporttest.Names()}); err != nil {
			t.Fatal(err)
		}
		s := page.String()
		convs := append([]reports.QAViolation{}, q.Disputed...)
		for _, c := range q.Worst {
			convs = append(convs, reports.QAViolation{Shop: c.Shop, Conversation: c.Conversation})
		}
		for _, v := range convs {
			if strings.Contains(s, v.Conversation) || !strings.Contains(s, ">"+v.Ref()+"<") {
				t.Errorf("%s QA page: conversation %s shown by its id, or without its reference %s", lang, v.Conversation, v.Ref())
			}
		}
		if !strings.Contains(s, template.HTMLEscapeString(l.T("qa.ref_note"))) {
			t.Errorf("%s QA page: no note on how to find a conversation in the chat platform", lang)
		}
	}
}

// checkQAConversationRefs: on simulated traffic (the demo's ids carry its
// seed) the page shows no conversation id, and the references of a
// week's conversations with violations are distinct.
func checkQAConversationRefs(t *testing.T, q *reports.QA, page string) {
	t.Helper()
	seen := map[string]string{}
	for _, c := range q.Worst {
		if prev, ok := seen[c.Ref()]; ok && prev != c.Shop+"/"+c.Conversation {
			t.Errorf("QA page: %s and %s/%s share the reference %s", prev, c.Shop, c.Conversation, c.Ref())
		}
		seen[c.Ref()] = c.Shop + "/" + c.Conversation
		if strings.Contains(page, c.Conversation) {
			t.Errorf("QA page shows the conversation id %s", c.Conversation)
		}
	}
	if len(seen) < 2 {
		t.Errorf("QA page: %d conversations with a reference", len(seen))
	}
}

// checkQAActions: a quality-inspection alert's action names the
// conversation by the QA page's reference, as the metric job stores it
// (so the JSON export and the digest carry no platform id either), and,
// as the daily digest sends it, a named agent by the name, not by the id
// the metric job wrote.
func checkQAActions(t *testing.T, a *reports.Alerts) {
	t.Helper()
	simID := regexp.MustCompile(`conv-\d+-\d+`)
	ref := regexp.MustCompile(`#[0-9A-HJKMNP-TV-Z]{6}`)
	var agents strings.Builder
	agents.WriteString("kind,id,zh,en\n")
	named := map[string]bool{"bot": true}
	for _, al := range a.Conduct {
		if !named[al.Node] {
			named[al.Node] = true
			fmt.Fprintf(&agents, "agent,%s,客服%d号,Agent %d\n", al.Node, len(named), len(named))
		}
	}
	names, err := reports.ReadDimensions(strings.NewReader(agents.String()))
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		l = l.WithNames(names)
		for _, al := range a.Conduct {
			if al.Rule != metrics.RuleQAViolation {
				continue
			}
			stored, text := al.Action(lang), reports.ActionText(l, al)
			if simID.MatchString(stored) {
				t.Errorf("%s action of %s stores the conversation id: %q", lang, al.ID, stored)
			}
			r := ref.FindString(stored)
			if r == "" {
				continue
			}
			checked++
			if !strings.Contains(text, r) {
				t.Errorf("%s action of %s: the reference %s is lost on the page: %q", lang, al.ID, r, text)
			}
			if al.Node != "bot" && (strings.Contains(text, al.Node) || !strings.Contains(text, l.Display("agent", al.Node))) {
				t.Errorf("%s action of %s names the agent %s by its id: %q", lang, al.ID, al.Node, text)
			}
		}
	}
	if checked == 0 {
		t.Error("no quality-inspection alert's action names a conversation")
	}
}

// TestGMVTopAgentShops: the GMV dashboard's top agents name each agent's
// shop, in the table and on the chart, as the scoreboard does: a shop's
// order sizes set its agents' sales, and the demo's ranking of four
// shops' agents read as peers ("Nan" first, Geek Digital's agents absent).
func TestGMVTopAgentShops(t *testing.T) {
	g := reporttest.GMV()
	names := reporttest.Names()
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		l = l.WithNames(names)
		var page bytes.Buffer
		if err := reports.RenderGMV(&page, g, reports.RenderOptions{Lang: lang, Names: names}); err != nil {
			t.Fatal(err)
		}
		s := page.String()
		for _, a := range g.TopAgents {
			if a.Shop == "" {
				continue
			}
			cell := regexp.MustCompile(regexp.QuoteMeta(template.HTMLEscapeString(l.Display("agent", a.Agent))) + `(</span>)?<div class="shop">` + regexp.QuoteMeta(template.HTMLEscapeString(l.Display("shop", a.Shop))) + `</div>`)
			if !cell.MatchString(s) {
				t.Errorf("%s GMV dashboard: agent %s's row does not name its shop (want %q)", lang, a.Agent, cell)
			}
			var labels []string
			for _, c := range chartOption(t, s, "chart-agents")["yAxis"].([]any)[0].(map[string]any)["data"].([]any) {
				labels = append(labels, unwrapLabel(c.(string)))
			}
			if label := l.Display("agent", a.Agent) + " · " + l.Display("shop", a.Shop); !slices.Contains(labels, label) {
				t.Errorf("%s GMV dashboard: the chart does not label agent %s as %q", lang, a.Agent, label)
			}
		}
		if strings.Contains(s, `title="agent-07"`) {
			t.Errorf("%s GMV dashboard: a named agent's id on hover", lang)
		}
	}
}

// checkQADaily: the QA page's days add up to its headline (violations and
// consultations), and its trend shows beside each day's violations the
// share of the day's consultations with one: on a day of four times the
// traffic (the demo's promotion) the count alone read as service falling
// apart. q holds every conversation with a violation.
func checkQADaily(t *testing.T, q *reports.QA, page string) {
	t.Helper()
	var viols, consults, with int64
	for _, d := range q.Daily {
		viols, consults, with = viols+d.Violations, consults+d.Consultations, with+d.WithViolation
		if d.WithViolation > d.Consultations || d.Violations > 0 && d.WithViolation == 0 {
			t.Errorf("QA day %s: %d consultations with a violation of %d, %d violations", d.Date.Format("2006-01-02"), d.WithViolation, d.Consultations, d.Violations)
		}
	}
	if viols != q.Violations || consults != q.Consultations || with != int64(len(q.Worst)) {
		t.Errorf("QA days add up to %d violations, %d consultations, %d with a violation; the page's totals are %d, %d, %d",
			viols, consults, with, q.Violations, q.Consultations, len(q.Worst))
	}
	l, _ := reports.NewLocale(reports.LangEN)
	if got := chartSeries(t, page, "chart-qa-trend"); len(got) != 2 || got[1] != l.T("qa.violation_rate") {
		t.Errorf("QA trend: series %q, want the violations and %q", got, l.T("qa.violation_rate"))
	}
}

// TestConductLastFired: a closed service-quality alert shows the last day
// it fired, whose messages its count is, beside the day it closed: the
// row repeats that day's figures, and "closed 2026-10-04" beside "1"
// under "Messages that day" read as a message on the day it closed.
func TestConductLastFired(t *testing.T) {
	a := reporttest.Alerts()
	var closed reports.Alert
	for _, al := range a.Conduct {
		if al.Status == "closed" {
			closed = al
		}
	}
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		var page bytes.Buffer
		if err := reports.RenderAlerts(&page, a, reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf(`<td class="date">%s <span class="badge done">%s %s</span></td><td class="num">%s</td>`,
			closed.Date.AddDate(0, 0, -1).Format("2006-01-02"), l.T("alerts.closed_badge"), closed.Date.Format("2006-01-02"), l.Compact(closed.Value))
		if !strings.Contains(plainDates(page.String()), want) {
			t.Errorf("%s alerts page: the closed service-quality alert does not show its last day fired beside the day it closed (want %q)", lang, want)
		}
		if !strings.Contains(page.String(), `<th class="num">`+l.T("alerts.conduct_messages")+`</th>`) || !strings.Contains(l.T("alerts.conduct_messages"), map[string]string{reports.LangEN: "last day fired", reports.LangZH: "最近触发"}[lang]) {
			t.Errorf("%s alerts page: the messages column does not say which day it counts", lang)
		}
	}
}

// TestAgentSalesChartWithoutTheBot: the scoreboard's sales chart compares
// agents. The bot sells for every shop, and in the demo its ¥631k bar left
// the agents' ¥10k–46k as slivers no one could tell apart; the chart
// leaves it out and says so, with its sales (its row stays in the table).
func TestAgentSalesChartWithoutTheBot(t *testing.T) {
	a := reporttest.Agents()
	var bot reports.AgentRow
	for _, r := range a.Rows {
		if r.Agent == "bot" {
			bot = r
		}
	}
	if bot.Agent == "" || len(a.Rows) < 2 {
		t.Fatal("fixture: the scoreboard needs the bot and agents")
	}
	chart := regexp.MustCompile(`"chart-agent-sales","option":.*?"yAxis":\[\{.*?"data":\[([^\]]*)\]`)
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		l = l.WithNames(reporttest.Names())
		var page bytes.Buffer
		if err := reports.RenderAgents(&page, a, reports.RenderOptions{Lang: lang, Names: reporttest.Names()}); err != nil {
			t.Fatal(err)
		}
		s := page.String()
		m := chart.FindStringSubmatch(s)
		if m == nil {
			t.Fatalf("%s scoreboard: no sales chart", lang)
		}
		if strings.Contains(m[1], `"`+l.Name("agent", "bot")+`"`) {
			t.Errorf("%s scoreboard: the sales chart draws the bot beside the agents: %s", lang, m[1])
		}
		if n := strings.Count(m[1], `","`) + 1; n != len(a.Rows)-1 {
			t.Errorf("%s scoreboard: the sales chart has %d bars for %d agents", lang, n, len(a.Rows)-1)
		}
		if note := template.HTMLEscapeString(l.Tf("agents.sales_bot_note", l.Money(bot.Sales))); !strings.Contains(s, note) {
			t.Errorf("%s scoreboard: no note giving the bot's sales left out of the chart (want %q)", lang, note)
		}
		if !strings.Contains(s, `<td class="num">`+l.Money(bot.Sales)+`</td>`) {
			t.Errorf("%s scoreboard: the bot's sales %s are not in the table", lang, l.Money(bot.Sales))
		}
	}
}

// TestMissedTakeoverNamesTheBuyer: a missed takeover is the bot's
// violation, shown with the buyer's message (the question asked three
// times): its "What" said "asked the same thing 3 times" beside Agent
// "Bot", and a supervisor read the bot as the one repeating itself.
func TestMissedTakeoverNamesTheBuyer(t *testing.T) {
	q := reporttest.QA()
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		buyer := map[string]string{reports.LangEN: "buyer", reports.LangZH: "买家"}[lang]
		for _, d := range []string{"repeated_question", "negative_sentiment", "repeated_question+negative_sentiment"} {
			if text := l.Name("qadetail", d); !strings.Contains(text, buyer) {
				t.Errorf("%s: missed takeover %q reads %q: it does not say the buyer did it, nor whose the message is", lang, d, text)
			}
		}
		// The rule counts questions of one intent: the demo's
		// conversation #7N9FW5 showed "直播间价格能给吗" and "能分期吗" each
		// beside "asked the same thing 3 times". The text says a kind.
		kind := map[string]string{reports.LangEN: "same kind", reports.LangZH: "同类问题"}[lang]
		if text := l.Name("qadetail", "repeated_question"); !strings.Contains(text, kind) {
			t.Errorf("%s: repeated question reads %q: the two messages a conversation shows differ in wording, it must say they are of one kind (%q)", lang, text, kind)
		}
		var page bytes.Buffer
		if err := reports.RenderQA(&page, q, reports.RenderOptions{Lang: lang, Names: reporttest.Names()}); err != nil {
			t.Fatal(err)
		}
		if want := template.HTMLEscapeString(l.Name("qadetail", "repeated_question")); !strings.Contains(page.String(), want) {
			t.Errorf("%s QA page: the fixture's missed takeover does not read %q", lang, want)
		}
	}
}

// TestSlowRepliesChart: the scoreboard's reply chart draws each agent's
// share of replies slower than 3 minutes. Charted as the share within
// 3 minutes, the demo's sixteen bars all stood at 97–100 % of an axis
// from 0 and looked equal; the table keeps the exact share within.
func TestSlowRepliesChart(t *testing.T) {
	checkSlowReplies(t, reporttest.Agents(), reporttest.Names())
}

// checkSlowReplies: every agent with replies has a bar of 1 − its share
// within 3 minutes, on an axis from 0, the bot left out beside agents;
// the table shows each row's share within 3 minutes as before. When the
// agents' shares differ by half a point or more, the shortest bar is at
// most three quarters of the longest: a supervisor sees who is slower.
func checkSlowReplies(t *testing.T, a *reports.Agents, names *reports.Dimensions) {
	t.Helper()
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		l = l.WithNames(names)
		var page bytes.Buffer
		if err := reports.RenderAgents(&page, a, reports.RenderOptions{Lang: lang, Names: names}); err != nil {
			t.Fatal(err)
		}
		s := page.String()
		if !strings.Contains(s, "<h2>"+l.T("agents.slow_replies")+"</h2>") {
			t.Errorf("%s scoreboard: no section %q", lang, l.T("agents.slow_replies"))
		}
		opt := chartOption(t, s, "chart-agent-replies")
		x := opt["xAxis"].([]any)[0].(map[string]any)
		if m, ok := x["min"]; ok && m != 0.0 {
			t.Errorf("%s reply chart: value axis starts at %v", lang, m)
		}
		series := opt["series"].([]any)[0].(map[string]any)
		if series["name"] != l.T("agents.slow_replies") {
			t.Errorf("%s reply chart: series %q", lang, series["name"])
		}
		cats := opt["yAxis"].([]any)[0].(map[string]any)["data"].([]any)
		data := series["data"].([]any)
		bars := map[string]float64{}
		for i, c := range cats {
			bars[unwrapLabel(c.(string))] = data[i].(map[string]any)["value"].(float64)
		}
		var want int
		lo, hi, rlo, rhi := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
		for _, r := range a.Rows {
			if !strings.Contains(s, `<td class="num">`+l.Percent(r.ReplyRate)+`</td>`) {
				t.Errorf("%s scoreboard: %s's %s not in the table", lang, r.Agent, l.Percent(r.ReplyRate))
			}
			if r.Agent == "bot" || r.Replies == 0 {
				continue
			}
			want++
			name := l.Name("agent", r.Agent)
			if a.MultiShop() && len(r.Shops) > 0 {
				name += " · " + r.ShopText(l)
			}
			v, ok := bars[name]
			if !ok || math.Abs(v-(1-r.ReplyRate)) > 1e-6 {
				t.Errorf("%s reply chart: %s drawn %v (present %v), want %v (1 − %v within 3 min)", lang, name, v, ok, 1-r.ReplyRate, r.ReplyRate)
			}
			lo, hi, rlo, rhi = min(lo, v), max(hi, v), min(rlo, r.ReplyRate), max(rhi, r.ReplyRate)
		}
		if len(bars) != want {
			t.Errorf("%s reply chart: %d bars for %d agents with replies: %v", lang, len(bars), want, cats)
		}
		if rhi-rlo >= 0.005 && lo > 0.75*hi {
			t.Errorf("%s reply chart: bars from %.4f to %.4f look alike though agents' shares within 3 min run from %.4f to %.4f", lang, lo, hi, rlo, rhi)
		}
		t.Logf("%s reply chart: %d bars from %.4f to %.4f", lang, len(bars), lo, hi)
	}
}
