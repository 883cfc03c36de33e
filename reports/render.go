package reports

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"net/url"
	"slices"
	"strings"
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
		"float": func(v int64) float64 { return float64(v) },
	}
	base := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html"))
	for _, name := range []string{"weekly", "alerts", "gmv", "qa", "agents", "experiments", "error", "archive"} {
		t := template.Must(base.Clone())
		// name_*.html hold a page's added blocks (gmv_growth.html …)
		pageTemplates[name] = template.Must(t.ParseFS(templateFiles, "templates/"+name+"*.html"))
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
	// Names are the shop's display names for product, agent, shop and
	// channel ids (reports.dimensions_file); nil shows the ids.
	Names *Dimensions
	// DocsURL, when set, is where the footer links the metric definitions
	// and the event contract (DocsURL+"metrics.md", DocsURL+"events.md"):
	// the live dashboards serve both. Report files leave it empty and name
	// the documents without a link, which would lead nowhere offline.
	DocsURL string
}

// NavLink is one entry of the dashboards' navigation bar. Kind is the
// report it opens (of Kinds; "" for the same page in another language):
// a page links a report it names in its text through it (the weekly
// page's drop-off spikes, the early-warning report).
type NavLink struct {
	Href, Label, Kind string
	Here              bool
}

// Filters is the filter form of a live dashboard.
type Filters struct {
	Action                string
	Week, From, To        string
	Shops, Channels       []string
	ShowWeek, ShowChannel bool
	// DisputeForm shows the QA page's dispute buttons (serve with a
	// dispute store).
	DisputeForm bool
}

type kpi struct {
	Label, Value, Delta, Trend string
	// Base says what a rate is of, or how a figure is measured, when the
	// label alone leaves it open ("of 3,601 consultations the bot took").
	Base string
	// Class styles the value ("exact": an amount to the fen, in a size
	// that fits the card).
	Class string
	// Promo marks a change the promotion note beside it explains (the
	// note's own mark, "promo" / 大促); such a change is not coloured.
	Promo string
}

// DeltaHead is Delta up to its last word, DeltaTail that word, which the
// page keeps on one line with the mark (Promo): at 1400 px a growth card's
// "+2.9 pp vs previous week" had its "promo" wrapped under it, alone, a
// mark that no longer read as the change's. The change may break before
// its last word; the mark goes with it.
func (k kpi) DeltaHead() string {
	return k.Delta[:strings.LastIndexByte(k.Delta, ' ')+1]
}

// DeltaTail is the last word of Delta (see DeltaHead).
func (k kpi) DeltaTail() string {
	return k.Delta[strings.LastIndexByte(k.Delta, ' ')+1:]
}

// dailyTotal adds the days' conversion up and divides again.
func dailyTotal(days []DailyConversion) Conversion {
	var c Conversion
	for _, d := range days {
		c.add(d.Conversion)
	}
	return c.withRates()
}

// withBase returns k with the line that says what it is of.
func withBase(k kpi, base string) kpi {
	k.Base = base
	return k
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
	DocsURL                                     string
	Boot                                        boot
	Charts                                      map[string]Chart
	KPIs, SentimentKPIs, ServiceKPIs, TailKPIs  []kpi
	TailLabel, VsPrev                           string
	// FinalKPIs are the figures final on every day of a week whose last
	// days are still inside the order window (FinalLabel names the days).
	FinalKPIs  []kpi
	FinalLabel string
	// SmallLines: some line of the weekly shop × channel table has fewer
	// than SmallSample consulting buyers (its changes are not coloured).
	SmallLines                            bool
	SmallSample                           int
	MaturityNote, FunnelNote, CompareNote string
	// NoEarlierData says, on a GMV page whose period starts with the data,
	// that no change can be shown and what a change would read.
	NoEarlierData string
	// ConversionCompare and ObservedCompare name, above the weekly
	// report's conversion and its sentiment and service cards, the days
	// each covers and the days it is compared with.
	ConversionCompare, ObservedCompare string
	// ConversionPromo and ObservedPromo name, under those lines, the
	// promotion days (Scope.PromotionDays) inside either side of the
	// comparison, so a change is not read as growth.
	ConversionPromo, ObservedPromo string
	// ConversionPromoMark and ObservedPromoMark are the mark ("promo" /
	// 大促) that starts each note and follows every change of its group,
	// "" without a note. A marked change is shown without colour: the demo
	// painted "+41.2 % consultations" green right beside the note saying it
	// was partly the promotion.
	ConversionPromoMark, ObservedPromoMark string
	UnattributedNote, WarmupNote           string
	// PromoNote names the GMV dashboard's promotion days and their GMV
	// beside an ordinary day's; PromoMark is the mark of their band.
	PromoNote, PromoMark string
	// GrowthKPIs are the GMV dashboard's bot-value, repurchase and
	// reactivation cards, muted with the cards above it beside a promotion.
	GrowthKPIs []kpi
	// RefundsDueNote names the GMV period's paid days whose refunds can
	// still come in (RefundDays), under the cards.
	RefundsDueNote string
	// ResponderPending names the GMV period's days whose consultations can
	// still order, under the conversion by responder class.
	ResponderPending string
	// DropOffAlerts name the period's drop-off spikes under the weekly
	// drop-off table, DropOffAlertScope says why their rates are not the
	// table's, and AlertsHref links the early-warning report ("" when the
	// page has no link to it).
	DropOffAlerts                 []string
	DropOffAlertScope, AlertsHref string
	// Error is a problem with the request, shown in place of a report (a
	// page with it carries no script); ErrorHeading, when set, heads it
	// instead of "cannot be shown with these filters" (RenderNotFound).
	Error, RetryHref, ErrorHeading string
	// RetryText, when set, is the retry link's text instead of "error.retry".
	RetryText string
	// EmptyNote says which dates hold data when this period holds none;
	// LatestHref links a live dashboard to the latest period with data.
	// A page with it shows nothing else (session 19): below the note the
	// whole report had stood at 0, its figures called final and compared
	// with a week as empty.
	EmptyNote, LatestHref string
	Summary               string
	Groups, ClosedGroups  []alertGroupView
	Conduct               []conductView
	Data                  any
}

func newPage(o RenderOptions, titleKey, audienceKey string, s Scope) (*page, error) {
	l, err := NewLocale(o.Lang)
	if err != nil {
		return nil, err
	}
	l = l.WithNames(o.Names)
	p := &page{
		L: l, Title: l.T(titleKey), Audience: l.T(audienceKey), PeriodLabel: l.PeriodLabel(s.Period),
		Shop: s.Shop, Channel: s.Channel, Nav: o.Nav, Filters: o.Filters,
		CSS: pageCSS, JS: pageJS, EChartsSrc: o.EChartsSrc, EChartsVersion: assets.EChartsVersion, DocsURL: o.DocsURL,
		Boot: boot{Lang: l.Lang, Charts: []bootChart{}}, Charts: map[string]Chart{},
	}
	p.EmptyNote = emptyNote(l, s.Period, s.Coverage)
	if q := latestQuery(s.Period, s.Coverage); q != "" && o.Filters != nil {
		// The shop and channel chosen stay chosen: the link had dropped
		// them, and opened the latest period over every shop.
		p.LatestHref = o.Filters.Action + "?" + q + "&lang=" + l.Lang
		if s.Shop != "" {
			p.LatestHref += "&shop=" + url.QueryEscape(s.Shop)
		}
		if s.Channel != "" {
			p.LatestHref += "&channel=" + url.QueryEscape(s.Channel)
		}
	}
	if o.EChartsSrc == "" {
		// The asset is our own pinned npm build, embedded: trusted.
		p.ECharts = template.JS(assets.ECharts)
	}
	return p, nil
}

func (p *page) add(name string, c Chart) Chart {
	p.Charts[name] = c
	if p.EmptyNote == "" { // an empty page draws no chart (the body is left out)
		p.Boot.Charts = append(p.Boot.Charts, bootChart{ID: c.ID, Option: c.Option})
	}
	return c
}

func (p *page) execute(w io.Writer, name string) error {
	var b bytes.Buffer
	if err := pageTemplates[name].ExecuteTemplate(&b, "layout", p); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	_, err := w.Write(keepDatesWhole(b.Bytes()))
	return err
}

// The KPI helpers put the change against the previous period under the
// value, followed by vs ("vs previous week"); an empty vs means there is
// nothing comparable and leaves the delta out.

func pctKPI(l Locale, key string, cur, prev float64, riseIsGood bool, vs string) kpi {
	k := kpi{Label: l.T(key), Value: l.Percent(cur)}
	if vs != "" {
		k.Delta, k.Trend = l.Points(cur, prev)+" "+vs, l.Trend(cur, prev, riseIsGood)
	}
	return k
}

func countKPI(l Locale, key string, cur, prev int64, vs string) kpi {
	k := kpi{Label: l.T(key), Value: l.Count(cur)}
	if vs != "" {
		k.Delta, k.Trend = l.Change(float64(cur), float64(prev))+" "+vs, l.ChangeTrend(float64(cur), float64(prev), true)
	}
	return k
}

func moneyKPI(l Locale, key string, cur, prev metrics.Money, riseIsGood bool, vs string) kpi {
	k := kpi{Label: l.T(key), Value: l.MoneyCompact(cur)}
	if vs != "" {
		k.Delta, k.Trend = l.Change(float64(cur), float64(prev))+" "+vs, l.ChangeTrend(float64(cur), float64(prev), riseIsGood)
	}
	return k
}

// moneyExactKPI is moneyKPI with the amount to the fen (¥1,993,361.50):
// the GMV dashboard's bot, agent and unattributed cards add up to its total
// card, which compact amounts did not (¥2M + ¥1.3M + ¥1.8M under ¥5.2M;
// ¥199.3万 + ¥134.5万 + ¥183.9万 under ¥517.8万, in the demo).
func moneyExactKPI(l Locale, key string, cur, prev metrics.Money, riseIsGood bool, vs string) kpi {
	k := moneyKPI(l, key, cur, prev, riseIsGood, vs)
	k.Value, k.Class = l.Money(cur), "exact"
	return k
}

// msKPI is a card of two first-response percentiles with their changes
// against prev50 and prev90 ("+50 ms / −1.5 s vs previous week"),
// coloured as both moved (a mixed move is not coloured). A percentile
// without a value on either side (over several weeks the stored rows
// cannot be combined into one; no agent answered) has its change "–",
// and the card none when neither has one. The weekly page showed these
// cards without a change beside cards with one, without saying why.
func msKPI(l Locale, key string, p50, p90, prev50, prev90 float64, vs string) kpi {
	k := kpi{Label: l.T(key), Value: l.Millis(p50) + " / " + l.Millis(p90)}
	if vs == "" {
		return k
	}
	known := func(cur, prev float64) bool { return cur > 0 && prev > 0 && !math.IsNaN(cur) && !math.IsNaN(prev) }
	var parts, trends []string
	for _, pc := range [][2]float64{{p50, prev50}, {p90, prev90}} {
		if !known(pc[0], pc[1]) {
			parts = append(parts, "–")
			continue
		}
		parts, trends = append(parts, l.MillisChange(pc[0], pc[1])), append(trends, l.MillisTrend(pc[0], pc[1]))
	}
	if len(trends) == 0 {
		return k
	}
	k.Delta, k.Trend = strings.Join(parts, " / ")+" "+vs, "flat"
	switch good, bad := slices.Contains(trends, "good"), slices.Contains(trends, "bad"); {
	case good && !bad:
		k.Trend = "good"
	case bad && !good:
		k.Trend = "bad"
	}
	return k
}

// scoreKPI is the mean sentiment score's card with its change in the
// score's own unit, two decimals ("−0.02 vs previous week"): a rise is
// good news. Without a value on either side (over several weeks), none.
func scoreKPI(l Locale, key string, cur, prev float64, vs string) kpi {
	k := kpi{Label: l.T(key), Value: l.Decimal(cur, 2)}
	if vs != "" && !math.IsNaN(cur) && !math.IsNaN(prev) {
		k.Delta, k.Trend = l.Difference(cur, prev, 2)+" "+vs, l.DifferenceTrend(cur, prev, 2, true)
	}
	return k
}

// RenderWeekly writes the weekly funnel report as one HTML page.
func RenderWeekly(w io.Writer, r *Weekly, o RenderOptions) error {
	p, err := newPage(o, "weekly.title", "weekly.audience", r.Scope)
	if err != nil {
		return err
	}
	p.L = p.L.with("window", windowText(p.L, r.Coverage.Window))
	l := p.L
	c, pv := r.Current, r.Previous
	vs := r.vsLabel(l, r.Compared)
	if !r.Comparable || pv.ConsultingBuyers == 0 {
		vs = "" // nothing to compare with: a change against zero says nothing
	} else {
		p.ConversionCompare = r.compareNote(l, r.Compared, r.PrevCompared, true)
		p.ConversionPromo = r.promotionNote(l, r.Compared, r.PrevCompared)
		p.ConversionPromoMark = promotionMark(l, p.ConversionPromo)
	}
	p.VsPrev = vs
	p.SmallSample = SmallSample
	for _, line := range r.ByShopChannel {
		p.SmallLines = p.SmallLines || vs != "" && line.Small()
	}
	p.KPIs = []kpi{
		countKPI(l, "consulting_buyers", c.ConsultingBuyers, pv.ConsultingBuyers, vs),
		pctKPI(l, "order_rate", c.OrderRate, pv.OrderRate, true, vs),
		pctKPI(l, "same_day_pay_rate", c.SameDayPayRate, pv.SameDayPayRate, true, vs),
		pctKPI(l, "final_pay_rate", c.FinalPayRate, pv.FinalPayRate, true, vs),
		// to the fen, as the shop × channel table beside it (¥485k stood
		// beside lines of ¥24,675.60)
		moneyExactKPI(l, "final_paid_amount", c.FinalPaidAmount, pv.FinalPaidAmount, true, vs),
	}
	markPromoted(p.KPIs, p.ConversionPromoMark)
	if r.HasTail && r.Comparable {
		// A day's consulting buyers, and those who paid the same day, are
		// known once the day ends: they are shown over every day, final;
		// only what waits for orders is in the block of days not final.
		all := dailyTotal(r.Daily)
		p.FinalKPIs = []kpi{
			{Label: l.T("consulting_buyers"), Value: l.Count(all.ConsultingBuyers)},
			{Label: l.T("same_day_pay_rate"), Value: l.Percent(all.SameDayPayRate)},
		}
		p.FinalLabel = l.T("maturity.every_day") + " · " + shortRange(Period{From: r.Compared.From, To: r.Tail.To})
		t := r.TailFigures
		p.TailKPIs = []kpi{
			withBase(kpi{Label: l.T("order_rate"), Value: l.Percent(t.OrderRate)}, l.Tf("maturity.tail_base", l.Count(t.ConsultingBuyers))),
			{Label: l.T("final_pay_rate"), Value: l.Percent(t.FinalPayRate)},
			{Label: l.T("final_paid_amount"), Value: l.Money(t.FinalPaidAmount), Class: "exact"},
		}
		p.TailLabel = l.T("maturity.tail") + " · " + shortRange(r.Tail)
	}
	p.MaturityNote, p.FunnelNote = r.MaturityNote(l), r.funnelNote(l)
	s, ps := r.Sentiment, r.PrevSentiment
	svs := r.vsLabel(l, r.Observed)
	if r.PrevSentiment.Consultations == 0 && r.PrevService.Consultations == 0 {
		svs = ""
	} else {
		p.ObservedCompare = r.compareNote(l, r.Observed, r.PrevObserved, false)
		p.ObservedPromo = r.promotionNote(l, r.Observed, r.PrevObserved)
		p.ObservedPromoMark = promotionMark(l, p.ObservedPromo)
	}
	p.SentimentKPIs = []kpi{
		countKPI(l, "consultations", s.Consultations, ps.Consultations, svs),
		pctKPI(l, "negative_rate", s.NegativeRate, ps.NegativeRate, false, svs),
		withBase(pctKPI(l, "recovery_rate", s.RecoveryRate, ps.RecoveryRate, true, svs), l.Tf("base.recovery", l.Count(s.Negative))),
		withBase(scoreKPI(l, "avg_score", s.AvgScore, ps.AvgScore, svs), l.T("base.avg_score")),
	}
	v, pv2 := r.Service, r.PrevService
	botBase := l.Tf("base.bot_consultations", l.Count(v.BotConsultations), l.Count(v.Consultations))
	p.ServiceKPIs = []kpi{
		withBase(pctKPI(l, "containment_rate", v.ContainmentRate, pv2.ContainmentRate, true, svs), botBase),
		withBase(pctKPI(l, "handoff_rate", v.HandoffRate, pv2.HandoffRate, false, svs), botBase),
		msKPI(l, "frt_bot", v.FRTBotP50, v.FRTBotP90, pv2.FRTBotP50, pv2.FRTBotP90, svs),
		withBase(msKPI(l, "frt_human", v.FRTHumanP50, v.FRTHumanP90, pv2.FRTHumanP50, pv2.FRTHumanP90, svs), l.T("base.frt_human")),
		pctKPI(l, "csat", v.CSAT, pv2.CSAT, true, svs),
		pctKPI(l, "fallback_rate", v.FallbackRate, pv2.FallbackRate, false, svs),
		pctKPI(l, "repeated_rate", v.RepeatedQuestionRate, pv2.RepeatedQuestionRate, false, svs),
	}
	markPromoted(p.SentimentKPIs, p.ObservedPromoMark)
	markPromoted(p.ServiceKPIs, p.ObservedPromoMark)
	var days []string
	var ord, same, final []float64
	var firstImmature, lastImmature string
	for _, d := range r.Daily {
		label := d.Date.Format("01-02")
		if d.Immature {
			label += "*"
			if firstImmature == "" {
				firstImmature = label
			}
			lastImmature = label
		}
		days = append(days, label)
		ord, same, final = append(ord, d.OrderRate), append(same, d.SameDayPayRate), append(final, d.FinalPayRate)
	}
	daily := []lineSeries{
		{Name: l.T("order_rate"), Values: ord}, {Name: l.T("same_day_pay_rate"), Values: same}, {Name: l.T("final_pay_rate"), Values: final},
	}
	if firstImmature != "" {
		daily[0].ShadeFrom, daily[0].ShadeTo, daily[0].ShadeLabel = firstImmature, lastImmature, l.T("maturity.shade")
	}
	p.add("daily", lineChart("chart-daily", l.T("weekly.daily"), days, daily, fmtPct, fmtPct0))
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
		this, prev := r.comparedLegend(l)
		series := []barSeries{{Name: this, Values: now}}
		if vs != "" {
			series = append(series, barSeries{Name: prev, Values: before})
		}
		p.add("dropoff", barChart("chart-dropoff", l.T("weekly.dropoff"), nodes, series, fmtPct, fmtPct0, true))
	}
	p.dropOffAlerts(r)
	if r.Hours != nil {
		p.add("hours", hoursChart(l, r.Hours, r.Period))
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
	t, pt := g.Totals, g.PrevTotals
	vsKey, noteKey := g.comparisonKeys()
	vs := l.T(vsKey)
	if g.PrevCompared.From.IsZero() || pt.Total == 0 && g.PrevOrders == 0 {
		vs = "" // no previous data: a change against zero says nothing
	}
	refundRate, prevRefundRate := rate(float64(g.Refunded), float64(t.Total)), rate(float64(g.PrevRefunded), float64(pt.Total))
	p.KPIs = []kpi{
		moneyExactKPI(l, "gmv.total", t.Total, pt.Total, true, vs),
		moneyExactKPI(l, "gmv.bot", t.Bot, pt.Bot, true, vs),
		moneyExactKPI(l, "gmv.human", t.Human, pt.Human, true, vs),
		moneyExactKPI(l, "gmv.unattributed", t.Unattributed, pt.Unattributed, true, vs),
		pctKPI(l, "gmv.bot_share", t.BotShare, pt.BotShare, true, vs),
		countKPI(l, "gmv.orders", g.Orders, g.PrevOrders, vs),
		moneyExactKPI(l, "gmv.refunded", g.Refunded, g.PrevRefunded, false, vs),
		pctKPI(l, "gmv.refund_rate", refundRate, prevRefundRate, false, vs),
	}
	p.UnattributedNote = l.Tf("gmv.unattributed_note", windowText(l, g.Coverage.Window))
	if vs != "" {
		p.CompareNote = l.Tf(noteKey, shortRange(g.Compared), shortRange(g.PrevCompared))
	} else if first := g.Coverage.FirstDay; !g.PrevCompared.From.IsZero() && !first.IsZero() && first.After(g.PrevCompared.To) {
		// The demo's four weeks are all its data: an executive looked for
		// change arrows and found none, with one grey line saying why.
		key := "gmv.no_earlier_data"
		if g.Period.kind() == kindMonth {
			key += "_month"
		}
		p.NoEarlierData = l.Tf(key, first.Format(time.DateOnly), shortRange(g.PrevCompared),
			strings.ReplaceAll(l.Points(0.391, 0.377)+" "+l.T(vsKey), " ", "\u00a0")) // one unbroken example
	} else if !g.PrevCompared.From.IsZero() {
		p.CompareNote = l.Tf("compare.no_previous", shortRange(g.PrevCompared))
	}
	var days []string
	var bot, human, unattr, share []float64
	var partial []GMVPoint // the first days, whose orders look back before the data
	for _, d := range g.Daily {
		label := d.Date.Format("01-02")
		if d.AttributionPartial {
			label += "°"
			partial = append(partial, d)
		}
		days = append(days, label)
		bot, human, unattr = append(bot, yuan(d.Bot)), append(human, yuan(d.Human)), append(unattr, yuan(d.Unattributed))
		share = append(share, d.BotShare)
	}
	gmvSeries := []lineSeries{
		{Name: l.Name("bucket", "bot"), Values: bot, Area: true, Stack: "gmv"},
		{Name: l.Name("bucket", "human"), Values: human, Area: true, Stack: "gmv"},
		{Name: l.Name("bucket", "unattributed"), Values: unattr, Area: true, Stack: "gmv"},
	}
	shareSeries := []lineSeries{{Name: l.T("gmv.bot_share"), Values: share}}
	if len(partial) > 0 {
		from, to := partial[0].Date.Format("01-02")+"°", partial[len(partial)-1].Date.Format("01-02")+"°"
		for _, s := range []*lineSeries{&gmvSeries[0], &shareSeries[0]} {
			s.ShadeFrom, s.ShadeTo, s.ShadeLabel = from, to, l.T("gmv.warmup_shade")
		}
		p.WarmupNote = l.Tf("gmv.warmup_note", shortRange(Period{From: partial[0].Date, To: partial[len(partial)-1].Date}),
			windowText(l, g.Coverage.Window), g.Coverage.ConsultationsFrom.Format(time.DateOnly))
	}
	p.GrowthKPIs = growthKPIs(l, g.Growth, l.T(vsKey))
	p.gmvPromotion(g, days, &gmvSeries[0], &shareSeries[0], vs != "")
	p.RefundsDueNote = p.markRefundsDue(g) // after the promotion: a refund card takes this mark
	p.add("gmv", withStackTotal(lineChart("chart-gmv", l.T("gmv.over_time"), days, gmvSeries, fmtMoney2, fmtMoney), l.T("gmv.total")))
	p.add("share", lineChart("chart-share", l.T("gmv.share_trend"), days, shareSeries, fmtPct, fmtPct0))
	var resp []string
	var ord, final []float64
	for _, r := range g.ByResponder {
		resp = append(resp, l.Name("responder", r.Responder))
		ord, final = append(ord, r.OrderRate), append(final, r.FinalPayRate)
	}
	p.ResponderPending = responderPending(l, g)
	p.add("responder", barChart("chart-responder", l.T("gmv.by_responder"), resp, []barSeries{
		{Name: l.T("order_rate"), Values: ord}, {Name: l.T("final_pay_rate"), Values: final},
	}, fmtPct, fmtPct0, true)) // horizontal: on a phone every class keeps its name
	var agents []string
	var sales []float64
	for _, a := range g.TopAgents {
		name := l.Display("agent", a.Agent)
		if a.Shop != "" {
			name = withShop(name, l.Display("shop", a.Shop))
		}
		agents, sales = append(agents, name), append(sales, yuan(a.GMV))
	}
	// the scoreboard's name of the figure, "Sales" / 客服销售额: the
	// tooltip read "GMV" for the same figure
	if len(agents) > 0 {
		p.add("agents", barChart("chart-agents", l.T("gmv.top_agents"), agents, []barSeries{{Name: l.T("agents.sales_gmv"), Values: sales}}, fmtMoney2, fmtMoney, true))
	}
	if p.Filters != nil {
		p.Filters.Shops, p.Filters.Channels, p.Filters.ShowChannel = g.Shops, g.Channels, true
	}
	p.Data = g
	return p.execute(w, "gmv")
}

func yuan(m metrics.Money) float64 { return float64(m) / 100 }

// comparisonKeys are the message keys of the words after the GMV page's
// changes and of the note naming the days they compare (comparedSpan): a
// week's "vs previous week", a month's "vs previous month", and "vs
// same days last week/month" when only the days with data so far are
// compared; other periods stay "vs previous period". A GMV page of one
// week read "vs previous period" where the weekly page read "vs previous
// week" for the same days.
func (g *GMV) comparisonKeys() (vs, note string) {
	whole := g.Compared.From.IsZero() || g.Compared.From.Equal(g.Period.From) && g.Compared.To.Equal(g.Period.To)
	switch k := g.Period.kind(); {
	case k == kindDays:
		return "vs_prev_period", "gmv.compare_note"
	case whole && k == kindWeek:
		return "vs_prev", "gmv.compare_note_week"
	case whole:
		return "vs_prev_month", "gmv.compare_note_month"
	case k == kindWeek:
		return "vs_prev_same_days", "gmv.compare_note_week_so_far"
	default:
		return "vs_prev_same_days_month", "gmv.compare_note_month_so_far"
	}
}

// responderPending says which of the GMV period's days are still inside
// their order window, under its conversion by responder class: the demo's
// four weeks ended on 10-04, and the table's consult → order rates held
// 10-01 – 10-04, whose buyers could still order (bot only 38.8 % against
// 39.4 % over the final days), with nothing saying so while the weekly
// page keeps such days apart. "" when every day is final (or the coverage
// is unknown).
func responderPending(l Locale, g *GMV) string {
	cov := g.Coverage
	last := g.Period.To
	if !cov.LastDay.IsZero() && cov.LastDay.Before(last) {
		last = inZone(cov.LastDay, last.Location())
	}
	var first time.Time
	for d := g.Period.From; !d.After(last); d = d.AddDate(0, 0, 1) {
		if !cov.Complete(d) {
			first = d
			break
		}
	}
	if first.IsZero() || len(g.ByResponder) == 0 {
		return ""
	}
	return l.Tf("gmv.responder_pending", shortRange(Period{From: first, To: last}), windowText(l, cov.Window))
}

// promoBand is the tint of a promotion day on a chart of days.
const promoBand = "rgba(240,173,78,0.22)"

// gmvPromotion marks the period's promotion days (Scope.PromotionDays) on
// the GMV dashboard: the demo's chart rose from ¥150–200k a day to ¥519k on
// 10-01, its promotion day, and its bot share moved with it, with nothing
// on the page saying why, while the weekly page names the same day. Each
// promotion day with data is shaded "promo" / 大促 on both charts of days,
// and a note names it with its GMV beside a median ordinary day's. When
// the cards compare with the period before (compared) and either side holds
// a promotion day, their changes lose their colour as the weekly page's do.
func (p *page) gmvPromotion(g *GMV, days []string, gmv, share *lineSeries, compared bool) {
	l := p.L
	promo := map[time.Time]bool{}
	for _, d := range promotionDaysIn(g.PromotionDays, g.Period) {
		promo[d] = true
	}
	var named []string
	var ordinary []int64
	for i, d := range g.Daily {
		if !promo[d.Date] {
			if d.Total > 0 {
				ordinary = append(ordinary, int64(d.Total))
			}
			continue
		}
		b := band{From: days[i], To: days[i], Label: l.T("promo.mark"), Color: promoBand}
		gmv.Bands, share.Bands = append(gmv.Bands, b), append(share.Bands, b)
		named = append(named, l.Tf("gmv.promo_day", d.Date.Format(time.DateOnly), l.Money(d.Total)))
	}
	var before []string
	if compared {
		for _, d := range promotionDaysIn(g.PromotionDays, g.PrevCompared) {
			before = append(before, l.Tf("promo.day", d.Format(time.DateOnly), l.T("promo.prev_range")))
		}
	}
	if len(named)+len(before) == 0 {
		return
	}
	var note []string
	if len(named) > 0 {
		slices.Sort(ordinary)
		promoDays := strings.Join(named, l.T("list_sep")) // not the days parameter: the chart's labels
		if n := len(ordinary); n > 0 {
			median := metrics.Money((ordinary[(n-1)/2] + ordinary[n/2]) / 2)
			note = append(note, l.Tf("gmv.promo_note_median", promoDays, l.Money(median)))
		} else {
			note = append(note, l.Tf("gmv.promo_note", promoDays))
		}
	}
	if len(before) > 0 {
		note = append(note, l.Tf("promo.many", strings.Join(before, l.T("list_sep"))))
	}
	if compared {
		// The note above already said a promotion's traffic is not an
		// ordinary day's: the page printed that sentence twice.
		why := "promo.why"
		if len(named) > 0 {
			why = "gmv.promo_why_changes"
		}
		if hasDelta(p.GrowthKPIs) {
			note = append(note, l.Tf(why+"_growth", l.T("growth.title")))
		} else {
			note = append(note, l.T(why))
		}
		markPromoted(p.KPIs, l.T("promo.mark"))
		// The bot-value cards below move with the same day: "Agent hours
		// saved +47.3 %" read green beside muted totals.
		markPromoted(p.GrowthKPIs, l.T("promo.mark"))
	}
	p.PromoNote, p.PromoMark = strings.Join(note, sentenceGap(l)), l.T("promo.mark")
}

// navHref is the page's link to the report of kind, "" when it has none.
func (p *page) navHref(kind string) string {
	for _, n := range p.Nav {
		if n.Kind == kind {
			return n.Href
		}
	}
	return ""
}

// dropOffAlerts names the weekly period's drop-off spikes under its
// drop-off table. The alerts page read 64.4 % abandonment at Shipping
// while the table read 45.8 %: one shop over the week so far against
// all shops over the final days, each page saying its own scope and
// neither pointing at the other.
func (p *page) dropOffAlerts(r *Weekly) {
	l := p.L
	for _, a := range r.DropOffAlerts {
		state := l.Tf("weekly.dropoff_alert_open", day(a.Opened))
		if a.Status == metrics.AlertClosed {
			state = l.Tf("weekly.dropoff_alert_closed", day(a.Date))
		}
		judged, _ := JudgedDays(a.Alert, r.Coverage)
		p.DropOffAlerts = append(p.DropOffAlerts, l.Tf("weekly.dropoff_alert", l.Name("node", a.Node), l.Display("shop", a.Shop),
			l.Percent(a.Value), l.Percent(a.Baseline), state, shortRange(judged)))
	}
	if len(p.DropOffAlerts) == 0 {
		return
	}
	table := l.T("weekly.dropoff_alert_all_shops")
	if r.Shop != "" {
		table = l.Display("shop", r.Shop)
	}
	if r.Comparable && !(r.Compared.From.Equal(r.Period.From) && r.Compared.To.Equal(r.Period.To)) {
		table += l.Tf("weekly.dropoff_alert_final_days", shortRange(r.Compared))
	}
	scope := "weekly.dropoff_alert_scope"
	if r.alertsShareTheTable() {
		// the page of the alert's shop read 64.4 % in the table and in the
		// alert, under "so its rate for the same node differs"
		scope = "weekly.dropoff_alert_scope_same"
	}
	p.DropOffAlertScope = l.Tf(scope, table)
	p.AlertsHref = p.navHref("alerts")
}

type alertView struct {
	Alert
	ValueText, BaselineText, ValueLabel string
	Opened, Last, Action, SubjectText   string
	Closed                              bool
	// ClosedOn is the day a closed alert closed (its row's day); Last is
	// the last day it fired (LastFired).
	ClosedOn string
	// AtStake says what the alert is worth over the days of the report's
	// period it covers, named ("≈ ¥12,400 of orders at stake over
	// 2026-09-28 – 2026-09-30"); Intraday when the hourly evaluation
	// raised it.
	AtStake, Intraday string
	// Caveat names the days after the last one judged that an open alert
	// of a rule waiting for orders has not judged yet.
	Caveat string
	// Scope says whose figure a drop-off spike's is, and why the weekly
	// report's drop-off table reads another rate for the same node.
	Scope string
	Chart Chart
	// Compared is false for a rule that judges the day on its own
	// (metrics.Rule.NoBaseline): its card shows no baseline and no ratio.
	Compared bool
	// PromoNote names the promotion days shaded on the card's trend.
	PromoNote string
}

// conductView is one line of the service-quality list: an agent's
// qa_violation alert, without a chart.
type conductView struct {
	// Last is the last day the alert fired, whose messages Messages
	// counts; a closed alert's row (its Date, ClosedOn) repeats that
	// day's figures, so "closed 10-04" beside "1 message that day" read
	// as a message on the day it closed.
	Agent, Shop, Opened, Last, ClosedOn, Messages string
	// AgentNamed: Agent is a display name (else an id, shown as one:
	// on one line, not broken at its hyphens on a phone)
	AgentNamed bool
	Closed     bool
	Evidence   []string
}

type alertGroupView struct {
	L             Locale
	Shop, Product string
	Alerts        []alertView
}

// distinctExamples are up to n of the stored examples, each text once and
// marked with how often it was stored when more than once ("爱买不买
// (×2)"): the service-quality list gave the same message twice as an
// agent's two examples.
func distinctExamples(l Locale, ev []string, n int) []string {
	count := map[string]int{}
	var order []string
	for _, e := range ev {
		if count[e] == 0 {
			order = append(order, e)
		}
		count[e]++
	}
	out := make([]string, 0, min(n, len(order)))
	for _, e := range order[:min(n, len(order))] {
		if count[e] > 1 {
			e += l.Tf("alerts.evidence_times", count[e])
		}
		out = append(out, e)
	}
	return out
}

// RenderAlerts writes the early-warning report as one HTML page: every
// alert of the period gets its card (value against baseline with units, a
// trend, evidence, what to do), the open ones first, then those that
// closed during the period.
func RenderAlerts(w io.Writer, a *Alerts, o RenderOptions) error {
	p, err := newPage(o, "alerts.title", "alerts.audience", a.Scope)
	if err != nil {
		return err
	}
	l := p.L
	n := 0
	card := func(al Alert) alertView {
		v := alertCard(l, al, a.Scope.PromotionDays)
		v.Chart.ID = fmt.Sprintf("chart-alert-%d", n)
		n++
		v.Chart.Title = l.T("alerts.trend")
		p.add(v.Chart.ID, v.Chart)
		cov := a.Scope.Coverage
		fired := LastFired(al.Alert, cov)
		judged, weekly := JudgedDays(al.Alert, cov)
		v.Last = day(fired)
		if v.Closed {
			v.ClosedOn = day(al.Date)
		}
		// The value is named with the days it covers: "Abandonment this
		// week" stood over a rate of three of its days, beside "Last
		// fired" on a fourth.
		if HasMessage(l.Lang, "alerts.value_of."+al.Rule) {
			if weekly {
				v.ValueLabel = l.Tf("alerts.value_over", v.ValueLabel, shortRange(judged))
			} else {
				v.ValueLabel = l.Tf("alerts.value_on", v.ValueLabel, day(fired))
			}
		}
		if al.PeriodGMVAtStakeCents > 0 { // undefined or nothing at stake: no line
			v.AtStake = stakeText(l, al, stakeDays(al, a.Scope.Period, cov))
		}
		switch {
		case v.Closed || !al.Date.After(fired):
		case weekly:
			// The rule judges a day once its orders are in: the days
			// after the last one judged are not in the value yet (it
			// said "this week's abandonment can still fall" of a rate
			// over final days only).
			v.Caveat = l.Tf("alerts.week_pending", shortRange(Period{From: judged.To.AddDate(0, 0, 1), To: al.Date}))
		default:
			v.Caveat = l.Tf("alerts.days_pending", shortRange(Period{From: fired.AddDate(0, 0, 1), To: al.Date}))
		}
		if al.Rule == metrics.RuleDropoffSpike && weekly {
			key := "alerts.dropoff_scope"
			if finalDaysOfItsWeek(judged, cov) {
				// the weekly table of the alert's shop reads this rate: the
				// card said it "is not this one" whatever the shop chosen
				key = "alerts.dropoff_scope_same_days"
			}
			v.Scope = l.Tf(key, l.Display("shop", al.Shop), shortRange(judged), l.Name("node", al.Node))
		}
		if al.IntradayHour >= 0 && al.IntradayHour < 24 && al.Direction != "" {
			v.Intraday = l.Tf("alerts.intraday", int(al.IntradayHour))
		}
		return v
	}
	for _, g := range a.Groups {
		gv := alertGroupView{L: l, Shop: g.Shop, Product: g.Product}
		for _, al := range g.Alerts {
			gv.Alerts = append(gv.Alerts, card(al))
		}
		p.Groups = append(p.Groups, gv)
	}
	// Closed alerts are grouped the same way, most recently closed first.
	index := map[[2]string]int{}
	for _, al := range a.Closed {
		k := [2]string{al.Shop, al.Product}
		i, ok := index[k]
		if !ok {
			i = len(p.ClosedGroups)
			index[k] = i
			p.ClosedGroups = append(p.ClosedGroups, alertGroupView{L: l, Shop: al.Shop, Product: al.Product})
		}
		p.ClosedGroups[i].Alerts = append(p.ClosedGroups[i].Alerts, card(al))
	}
	for _, al := range a.Conduct {
		v := conductView{Agent: l.Display("agent", al.Node), Shop: l.Display("shop", al.Shop), Opened: al.Opened.Format(time.DateOnly),
			Last: al.Date.Format(time.DateOnly), Messages: l.Compact(al.Value), Closed: al.Status == metrics.AlertClosed, Evidence: al.Evidence}
		if v.Closed { // it closed on the first day it did not fire
			v.ClosedOn, v.Last = v.Last, al.Date.AddDate(0, 0, -1).Format(time.DateOnly)
		}
		if v.Agent == "" {
			v.Agent = al.Subject
		}
		v.AgentNamed = al.Node != "" && l.Named("agent", al.Node)
		v.Evidence = distinctExamples(l, v.Evidence, 2)
		p.Conduct = append(p.Conduct, v)
	}
	open, crit, warn, info := a.Counts()
	p.Summary = l.Tf(countKey(l, "alerts.summary", open), open, crit, warn, info)
	if len(a.Closed) > 0 {
		p.Summary += l.Tf("alerts.summary_closed", len(a.Closed))
	}
	switch {
	case open == 0 && len(a.Closed) == 0 && len(a.Conduct) > 0:
		p.Summary = l.Tf(countKey(l, "alerts.none_but_conduct", len(a.Conduct)), len(a.Conduct))
	case open == 0 && len(a.Closed) == 0:
		p.Summary = l.T("alerts.none")
	case len(a.Conduct) > 0:
		p.Summary += l.Tf(countKey(l, "alerts.summary_conduct", len(a.Conduct)), len(a.Conduct))
	}
	p.Data = a
	return p.execute(w, "alerts")
}

// countKey is key, or key_one when n is 1 and the language has that
// message: English says "1 open alert", not "1 open alerts".
func countKey(l Locale, key string, n int) string {
	if n == 1 && HasMessage(l.Lang, key+"_one") {
		return key + "_one"
	}
	return key
}

// alertCard is one alert's card: its figures with units and its trend
// (or, for a rule without a stored daily series, baseline against value).
func alertCard(l Locale, al Alert, promotionDays []string) alertView {
	unit := l.T("unit." + al.Rule)
	if !HasMessage(l.Lang, "unit."+al.Rule) {
		unit = ""
	}
	text := func(v float64) string {
		s := l.Decimal(v, 1)
		if v == math.Trunc(v) {
			s = l.Compact(v)
		}
		if unit != "" {
			s += " " + unit
		}
		return s
	}
	format, axis := fmtCount, fmtCount
	if rateRule(al.Rule) {
		text = l.Percent
		format, axis = fmtPct, fmtPct0
	}
	valueLabel := l.T("alerts.value")
	if HasMessage(l.Lang, "alerts.value_of."+al.Rule) {
		valueLabel = l.T("alerts.value_of." + al.Rule)
	}
	v := alertView{Alert: al, ValueText: text(al.Value), BaselineText: text(al.Baseline), ValueLabel: valueLabel,
		Opened: day(al.Opened), Last: day(al.Date), Action: ActionText(l, al), SubjectText: SubjectText(l, al),
		Closed: al.Status == "closed", Compared: true}
	if r, ok := metrics.LookupRule(al.Rule); ok && r.NoBaseline {
		v.Compared = false
	}
	if len(al.Trend) > 0 {
		var xs []string
		var ys []float64
		var missing []bool
		for _, t := range al.Trend {
			label := t.Label
			if len(label) == len(time.DateOnly) {
				label = label[5:]
			}
			xs, ys, missing = append(xs, label), append(ys, t.Value), append(missing, t.Missing)
		}
		name := valueLabel
		if !HasMessage(l.Lang, "alerts.value_of."+al.Rule) {
			name = l.Name("rule", al.Rule) // "Now" names no metric
		}
		v.Chart = sparkline("", xs, ys, missing, name, al.Baseline, l.T("alerts.baseline")+" "+v.BaselineText, format, !rateRule(al.Rule))
		var dates []time.Time
		for _, t := range al.Trend {
			d, _ := time.ParseInLocation(time.DateOnly, t.Label, time.UTC) // a week's label parses to zero: not shaded
			dates = append(dates, d)
		}
		bands, promo := promoBands(l, promotionDays, xs, dates)
		v.Chart = withBands(v.Chart, bands)
		if len(promo) > 0 {
			v.PromoNote = l.Tf("alerts.promo_note", promoDayList(l, promo))
		}
	} else {
		v.Chart = barChart("", "", []string{l.T("alerts.baseline"), valueLabel},
			[]barSeries{{Name: l.Name("rule", al.Rule), Values: []float64{al.Baseline, al.Value}}}, format, axis, false)
		if rateRule(al.Rule) {
			v.Chart.Option = withRateAxis(v.Chart.Option, rateAxis(al.Baseline, al.Value))
		}
		v.Chart.Height = 140
	}
	return v
}

// stakeDays are the days of period whose money at stake an alert's
// PeriodGMVAtStakeCents sums (metrics.Alerts): a weekly rule's latest row
// holds its judged days (JudgedDays); a daily rule's rows add up over the
// days it fired, from the day it opened (or the period's first) to the
// last day it fired. The demo's fallback spike, open on 09-29 and closed on
// 09-30, read "≈ ¥14,000 of orders at stake this week".
func stakeDays(al Alert, period Period, cov metrics.Coverage) Period {
	if judged, ok := JudgedDays(al.Alert, cov); ok {
		return judged
	}
	to := minTime(LastFired(al.Alert, cov), period.To)
	from := maxTime(al.Opened, period.From)
	if from.After(to) {
		from = to
	}
	return Period{From: from, To: to}
}

// stakeText is an alert's money at stake over days: at stake on a day or
// over days while it is open, and for a closed alert money that was at
// stake then, not still.
func stakeText(l Locale, al Alert, days Period) string {
	key := "alerts.at_stake_over"
	if days.From.Equal(days.To) {
		key = "alerts.at_stake_on"
	}
	if al.Status == metrics.AlertClosed {
		key = strings.Replace(key, "at_stake", "at_stake_was", 1)
	}
	return l.Tf(key, l.AtStake(metrics.Money(al.PeriodGMVAtStakeCents)), shortRange(days))
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

// RenderError writes a dashboard page that explains what was wrong with
// the request (msg, already in words a person reads) instead of a report,
// with the navigation and a link to retryHref (the page with its
// defaults). It is an ordinary page of the site, not bare text.
func RenderError(w io.Writer, titleKey, msg, retryHref string, o RenderOptions) error {
	p, err := newPage(o, titleKey, "error.audience", Scope{})
	if err != nil {
		return err
	}
	p.PeriodLabel, p.Error, p.RetryHref, p.Filters = "", msg, retryHref, nil
	return p.execute(w, "error")
}

// RenderNotice writes a dashboard page that says, instead of a report,
// why there is none: title heads it and msg (in words) says what to do.
// The navigation bar links every page. The dashboards answer a mistyped
// address (before: the bare text "404 page not found") and a data store
// that does not answer (before: a bare paragraph) with it.
func RenderNotice(w io.Writer, title, msg string, o RenderOptions) error {
	return RenderNoticeLink(w, title, msg, "", "", o)
}

// RenderNoticeLink is RenderNotice with a link under msg, to href, reading
// linkText: serve's refusal of a Host other than loopback links the same
// page on 127.0.0.1 (before: a line of plain text).
func RenderNoticeLink(w io.Writer, title, msg, href, linkText string, o RenderOptions) error {
	p, err := newPage(o, "error.title", "error.audience", Scope{})
	if err != nil {
		return err
	}
	p.Title, p.Audience, p.ErrorHeading = title, "", title
	p.PeriodLabel, p.Error, p.Filters = "", msg, nil
	p.RetryHref, p.RetryText = href, linkText
	return p.execute(w, "error")
}

// SubjectText names what an alert is about in words: the product's
// display name and the topic for a topic surge, the funnel node for a
// drop-off spike, the product for a negative surge; shop-wide rules have
// no subject beyond the shop.
func SubjectText(l Locale, a Alert) string {
	switch a.Rule {
	case "topic_surge":
		return l.Display("product", a.Product) + " · " + l.Name("topic", a.Topic)
	case "dropoff_spike":
		return l.Name("node", a.Node)
	case "negative_surge":
		return l.Display("product", a.Product)
	case "fallback_spike", "conversion_drop":
		return ""
	}
	return a.Subject
}
