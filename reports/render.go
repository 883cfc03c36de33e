package reports

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"time"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports/assets"
)

//go:embed templates
var templateFiles embed.FS

var pageTemplates = map[string]*template.Template{}

var (
	pageCSS template.CSS
	pageJS  template.JS
)

func init() {
	funcs := template.FuncMap{
		"inc":   func(i int) int { return i + 1 },
		"share": func(a, b metrics.Money) float64 { return rate(float64(a), float64(b)) },
	}
	base := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html"))
	for _, name := range []string{"weekly", "alerts", "gmv"} {
		t := template.Must(base.Clone())
		pageTemplates[name] = template.Must(t.ParseFS(templateFiles, "templates/"+name+".html"))
	}
	css, _ := templateFiles.ReadFile("templates/page.css")
	js, _ := templateFiles.ReadFile("templates/page.js")
	// Both are our own files, embedded at build time: trusted content.
	pageCSS, pageJS = template.CSS(css), template.JS(js)
}

// RenderOptions control how a page is written.
type RenderOptions struct {
	Lang string
	// EChartsSrc, when set, loads ECharts from this URL instead of
	// embedding it (the live dashboards serve it once, cached). Report
	// files leave it empty so they open offline.
	EChartsSrc string
	// Nav and Filters are shown by the live dashboards.
	Nav     []NavLink
	Filters *Filters
}

// NavLink is one entry of the dashboards' navigation bar.
type NavLink struct {
	Href, Label string
	Here        bool
}

// Filters is the filter form of a live dashboard.
type Filters struct {
	Action                string
	Week, From, To        string
	Shops, Channels       []string
	ShowWeek, ShowChannel bool
}

type kpi struct {
	Label, Value, Delta, Trend string
}

type bootChart struct {
	ID     string         `json:"id"`
	Option map[string]any `json:"option"`
}

type boot struct {
	Lang   string      `json:"lang"`
	Charts []bootChart `json:"charts"`
}

type page struct {
	L                                           Locale
	Title, Audience, PeriodLabel, Shop, Channel string
	Nav                                         []NavLink
	Filters                                     *Filters
	CSS                                         template.CSS
	JS, ECharts                                 template.JS
	EChartsSrc, EChartsVersion                  string
	Boot                                        boot
	Charts                                      map[string]Chart
	KPIs, SentimentKPIs, ServiceKPIs            []kpi
	Summary                                     string
	Groups                                      []alertGroupView
	Closed                                      []alertView
	Data                                        any
}

func newPage(o RenderOptions, titleKey, audienceKey string, s Scope) (*page, error) {
	l, err := NewLocale(o.Lang)
	if err != nil {
		return nil, err
	}
	p := &page{
		L: l, Title: l.T(titleKey), Audience: l.T(audienceKey), PeriodLabel: s.Period.Label(),
		Shop: s.Shop, Channel: s.Channel, Nav: o.Nav, Filters: o.Filters,
		CSS: pageCSS, JS: pageJS, EChartsSrc: o.EChartsSrc, EChartsVersion: assets.EChartsVersion,
		Boot: boot{Lang: l.Lang, Charts: []bootChart{}}, Charts: map[string]Chart{},
	}
	if o.EChartsSrc == "" {
		// The asset is our own pinned npm build, embedded: trusted.
		p.ECharts = template.JS(assets.ECharts)
	}
	return p, nil
}

func (p *page) add(name string, c Chart) Chart {
	p.Charts[name] = c
	p.Boot.Charts = append(p.Boot.Charts, bootChart{ID: c.ID, Option: c.Option})
	return c
}

func (p *page) execute(w io.Writer, name string) error {
	if err := pageTemplates[name].ExecuteTemplate(w, "layout", p); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	return nil
}

func pctKPI(l Locale, key string, cur, prev float64, riseIsGood bool) kpi {
	return kpi{Label: l.T(key), Value: l.Percent(cur), Delta: l.Points(cur, prev) + " " + l.T("vs_prev"), Trend: l.Trend(cur, prev, riseIsGood)}
}

func countKPI(l Locale, key string, cur, prev int64) kpi {
	return kpi{Label: l.T(key), Value: l.Count(cur), Delta: l.Change(float64(cur), float64(prev)) + " " + l.T("vs_prev"), Trend: l.Trend(float64(cur), float64(prev), true)}
}

func moneyKPI(l Locale, key string, cur, prev metrics.Money) kpi {
	return kpi{Label: l.T(key), Value: l.MoneyCompact(cur), Delta: l.Change(float64(cur), float64(prev)) + " " + l.T("vs_prev"), Trend: l.Trend(float64(cur), float64(prev), true)}
}

func msKPI(l Locale, key string, p50, p90 float64) kpi {
	return kpi{Label: l.T(key), Value: l.Millis(p50) + " / " + l.Millis(p90)}
}

// RenderWeekly writes the weekly funnel report as one HTML page.
func RenderWeekly(w io.Writer, r *Weekly, o RenderOptions) error {
	p, err := newPage(o, "weekly.title", "weekly.audience", r.Scope)
	if err != nil {
		return err
	}
	l := p.L
	c, pv := r.Current, r.Previous
	p.KPIs = []kpi{
		countKPI(l, "consulting_buyers", c.ConsultingBuyers, pv.ConsultingBuyers),
		pctKPI(l, "order_rate", c.OrderRate, pv.OrderRate, true),
		pctKPI(l, "same_day_pay_rate", c.SameDayPayRate, pv.SameDayPayRate, true),
		pctKPI(l, "final_pay_rate", c.FinalPayRate, pv.FinalPayRate, true),
		moneyKPI(l, "final_paid_amount", c.FinalPaidAmount, pv.FinalPaidAmount),
	}
	s, ps := r.Sentiment, r.PrevSentiment
	p.SentimentKPIs = []kpi{
		countKPI(l, "consultations", s.Consultations, ps.Consultations),
		pctKPI(l, "negative_rate", s.NegativeRate, ps.NegativeRate, false),
		pctKPI(l, "recovery_rate", s.RecoveryRate, ps.RecoveryRate, true),
		{Label: l.T("avg_score"), Value: l.Decimal(s.AvgScore, 2)},
	}
	v, pv2 := r.Service, r.PrevService
	p.ServiceKPIs = []kpi{
		pctKPI(l, "containment_rate", v.ContainmentRate, pv2.ContainmentRate, true),
		pctKPI(l, "handoff_rate", v.HandoffRate, pv2.HandoffRate, false),
		msKPI(l, "frt_bot", v.FRTBotP50, v.FRTBotP90),
		msKPI(l, "frt_human", v.FRTHumanP50, v.FRTHumanP90),
		pctKPI(l, "csat", v.CSAT, pv2.CSAT, true),
		pctKPI(l, "fallback_rate", v.FallbackRate, pv2.FallbackRate, false),
		pctKPI(l, "repeated_rate", v.RepeatedQuestionRate, pv2.RepeatedQuestionRate, false),
	}
	var days []string
	var ord, same, final []float64
	for _, d := range r.Daily {
		days = append(days, d.Date.Format("01-02"))
		ord, same, final = append(ord, d.OrderRate), append(same, d.SameDayPayRate), append(final, d.FinalPayRate)
	}
	p.add("daily", lineChart("chart-daily", l.T("weekly.daily"), days, []lineSeries{
		{Name: l.T("order_rate"), Values: ord}, {Name: l.T("same_day_pay_rate"), Values: same}, {Name: l.T("final_pay_rate"), Values: final},
	}, fmtPct, fmtPct0))
	var steps []string
	var buyers []int64
	for _, st := range r.Funnel {
		steps, buyers = append(steps, l.Name("node", st.Name)), append(buyers, st.Buyers)
	}
	p.add("funnel", funnelChart("chart-funnel", l.T("weekly.funnel"), steps, buyers))
	var nodes []string
	var now, before []float64
	for _, n := range r.DropOff {
		nodes = append(nodes, l.Name("node", n.Node))
		now, before = append(now, n.Abandonment), append(before, n.PrevAbandonment)
	}
	if len(nodes) > 0 {
		p.add("dropoff", barChart("chart-dropoff", l.T("weekly.dropoff"), nodes, []barSeries{
			{Name: l.T("this"), Values: now}, {Name: l.T("prev"), Values: before},
		}, fmtPct, fmtPct0, true))
	}
	p.Data = r
	return p.execute(w, "weekly")
}

// RenderGMV writes the GMV-contribution dashboard as one HTML page.
func RenderGMV(w io.Writer, g *GMV, o RenderOptions) error {
	p, err := newPage(o, "gmv.title", "gmv.audience", g.Scope)
	if err != nil {
		return err
	}
	l := p.L
	t := g.Totals
	p.KPIs = []kpi{
		{Label: l.T("gmv.total"), Value: l.MoneyCompact(t.Total)},
		{Label: l.T("gmv.bot"), Value: l.MoneyCompact(t.Bot)},
		{Label: l.T("gmv.human"), Value: l.MoneyCompact(t.Human)},
		{Label: l.T("gmv.unattributed"), Value: l.MoneyCompact(t.Unattributed)},
		{Label: l.T("gmv.bot_share"), Value: l.Percent(t.BotShare)},
		{Label: l.T("gmv.orders"), Value: l.Count(g.Orders)},
		{Label: l.T("gmv.refunded"), Value: l.MoneyCompact(g.Refunded)},
	}
	var days []string
	var bot, human, unattr, share []float64
	for _, d := range g.Daily {
		days = append(days, d.Date.Format("01-02"))
		bot, human, unattr = append(bot, yuan(d.Bot)), append(human, yuan(d.Human)), append(unattr, yuan(d.Unattributed))
		share = append(share, d.BotShare)
	}
	p.add("gmv", lineChart("chart-gmv", l.T("gmv.over_time"), days, []lineSeries{
		{Name: l.Name("bucket", "bot"), Values: bot, Area: true, Stack: "gmv"},
		{Name: l.Name("bucket", "human"), Values: human, Area: true, Stack: "gmv"},
		{Name: l.Name("bucket", "unattributed"), Values: unattr, Area: true, Stack: "gmv"},
	}, fmtMoney2, fmtMoney))
	p.add("share", lineChart("chart-share", l.T("gmv.share_trend"), days, []lineSeries{{Name: l.T("gmv.bot_share"), Values: share}}, fmtPct, fmtPct0))
	var resp []string
	var ord, final []float64
	for _, r := range g.ByResponder {
		resp = append(resp, l.Name("responder", r.Responder))
		ord, final = append(ord, r.OrderRate), append(final, r.FinalPayRate)
	}
	p.add("responder", barChart("chart-responder", l.T("gmv.by_responder"), resp, []barSeries{
		{Name: l.T("order_rate"), Values: ord}, {Name: l.T("final_pay_rate"), Values: final},
	}, fmtPct, fmtPct0, false))
	var agents []string
	var sales []float64
	for _, a := range g.TopAgents {
		agents, sales = append(agents, a.Agent), append(sales, yuan(a.GMV))
	}
	if len(agents) > 0 {
		p.add("agents", barChart("chart-agents", l.T("gmv.top_agents"), agents, []barSeries{{Name: "GMV", Values: sales}}, fmtMoney2, fmtMoney, true))
	}
	if p.Filters != nil {
		p.Filters.Shops, p.Filters.Channels, p.Filters.ShowChannel = g.Shops, g.Channels, true
	}
	p.Data = g
	return p.execute(w, "gmv")
}

func yuan(m metrics.Money) float64 { return float64(m) / 100 }

type alertView struct {
	Alert
	ValueText, BaselineText, Opened, Last, Action string
	// AtStake says what the alert is worth over the report's period
	// ("≈ ¥12,400 of orders at stake this week"); Intraday when the hourly
	// evaluation raised it.
	AtStake, Intraday string
	Chart             Chart
}

type alertGroupView struct {
	Shop, Product string
	Alerts        []alertView
}

// RenderAlerts writes the early-warning report as one HTML page.
func RenderAlerts(w io.Writer, a *Alerts, o RenderOptions) error {
	p, err := newPage(o, "alerts.title", "alerts.audience", a.Scope)
	if err != nil {
		return err
	}
	l := p.L
	view := func(al Alert) alertView {
		text := func(v float64) string {
			if v == math.Trunc(v) {
				return l.Compact(v)
			}
			return l.Decimal(v, 1)
		}
		if rateRule(al.Rule) {
			text = l.Percent
		}
		v := alertView{Alert: al, ValueText: text(al.Value), BaselineText: text(al.Baseline),
			Opened: day(al.Opened), Last: day(al.Date), Action: al.Action(l.Lang)}
		key := "alerts.at_stake_period"
		switch days := int(a.Scope.Period.To.Sub(a.Scope.Period.From).Hours()/24 + 0.5); {
		case days == 0:
			key = "alerts.at_stake_day"
		case days == 6:
			key = "alerts.at_stake_week"
		}
		v.AtStake = l.Tf(key, l.AtStake(metrics.Money(al.PeriodGMVAtStakeCents)))
		if al.IntradayHour >= 0 && al.IntradayHour < 24 && al.Direction != "" {
			v.Intraday = l.Tf("alerts.intraday", int(al.IntradayHour))
		}
		return v
	}
	for gi, g := range a.Groups {
		gv := alertGroupView{Shop: g.Shop, Product: g.Product}
		for ai, al := range g.Alerts {
			format, axis := fmtCount, fmtCount
			if rateRule(al.Rule) {
				format, axis = fmtPct, fmtPct0
			}
			v := view(al)
			id := fmt.Sprintf("chart-alert-%d-%d", gi, ai)
			if len(al.Trend) > 0 {
				var xs []string
				var ys []float64
				for _, t := range al.Trend {
					label := t.Label
					if len(label) == len(time.DateOnly) {
						label = label[5:]
					}
					xs, ys = append(xs, label), append(ys, t.Value)
				}
				v.Chart = sparkline(id, xs, ys, al.Baseline, l.T("alerts.baseline"), format)
			} else {
				v.Chart = barChart(id, "", []string{l.T("alerts.baseline"), l.T("alerts.value")},
					[]barSeries{{Name: l.Name("rule", al.Rule), Values: []float64{al.Baseline, al.Value}}}, format, axis, false)
				v.Chart.Height = 140
			}
			v.Chart.Title = l.T("alerts.trend")
			p.add(id, v.Chart)
			gv.Alerts = append(gv.Alerts, v)
		}
		p.Groups = append(p.Groups, gv)
	}
	for _, al := range a.Closed {
		p.Closed = append(p.Closed, view(al))
	}
	n, crit, warn, info := a.Counts()
	p.Summary = l.Tf("alerts.summary", n, crit, warn, info)
	if n == 0 {
		p.Summary = l.T("alerts.none")
	}
	p.Data = a
	return p.execute(w, "alerts")
}

func day(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return t.Format(time.DateOnly)
}

// finite replaces NaN and infinities, which JSON cannot carry, by 0.
func finite(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}
