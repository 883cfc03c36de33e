package reports

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/convintel/convintel/metrics"
)

// The growth views (metrics §11–§14): the experiments page, the GMV
// dashboard's growth cards and the weekly report's hours heat-map.

// GrowthFigures are one period's bot value (§14), night order share (§12)
// and bot-guided repurchase (§13).
type GrowthFigures struct {
	HasValue                 bool // false: no handling time known (no human-only consultations)
	HoursSaved               float64
	CostSaved                metrics.Money
	FTEAvg                   float64 // agents' full-time equivalents per day
	BotOnly                  int64
	HandleS                  float64
	NightPaidOrders          int64
	PaidOrders               int64
	NightOrderShare          float64
	BotGuidedRepurchaseGMV   metrics.Money
	BotGuidedRepurchaseShare float64
	ReactivatedBuyers        int64
	BotReactivatedBuyers     int64
	// the §14 assumptions shown beside the figures
	WrapUpS, HoursPerDay float64
	HourlyCost           metrics.Money
}

// GrowthCards are the GMV dashboard's growth figures with the period
// before for comparison.
type GrowthCards struct {
	Current, Previous GrowthFigures
	// LookbackDays and SilentDays are §13's retention.lookback and
	// silent_after (Scope.Retention: the metric rows do not carry them),
	// said under the cards: "repurchase" and "silent" mean nothing without
	// them.
	LookbackDays, SilentDays int
}

// buildGrowthFigures reads p's growth figures (shop "" for all).
func buildGrowthFigures(ctx context.Context, src Source, p Period, shop string) (GrowthFigures, error) {
	var roi, hours, ret []metrics.Row
	f := &fetch{ctx: ctx, src: src}
	f.show(&roi, "roi", query(p, shop, "shop_id"), "")
	f.show(&hours, "hourly", query(p, shop, "shop_id"), "")
	f.show(&ret, "retention", query(p, shop, "shop_id"), "")
	if err := f.wait(); err != nil {
		return GrowthFigures{}, err
	}
	var g GrowthFigures
	for _, r := range roi {
		g.BotOnly += fInt(r, "bot_only_consultations")
		if v, _ := r.Get("hours_saved"); v != nil {
			g.HasValue = true
			g.HoursSaved += fFloat(r, "hours_saved")
			g.CostSaved += fMoney(r, "cost_saved")
			g.FTEAvg += fFloat(r, "agent_fte_avg")
		}
		g.WrapUpS, g.HourlyCost, g.HoursPerDay = fFloat(r, "wrap_up_s"), fMoney(r, "hourly_cost"), fFloat(r, "hours_per_day")
	}
	if g.BotOnly > 0 {
		g.HandleS = g.HoursSaved * 3600 / float64(g.BotOnly)
	}
	for _, r := range hours {
		g.NightPaidOrders += fInt(r, "night_paid_orders")
		g.PaidOrders += fInt(r, "paid_orders")
	}
	g.NightOrderShare = rate(float64(g.NightPaidOrders), float64(g.PaidOrders))
	var paid metrics.Money
	for _, r := range ret {
		g.BotGuidedRepurchaseGMV += fMoney(r, "bot_guided_repurchase_gmv")
		paid += fMoney(r, "paid_gmv")
		g.ReactivatedBuyers += fInt(r, "reactivated_buyers")
		g.BotReactivatedBuyers += fInt(r, "bot_reactivated_buyers")
	}
	g.BotGuidedRepurchaseShare = rate(float64(g.BotGuidedRepurchaseGMV), float64(paid))
	return g, nil
}

// BuildGrowthCards reads the growth figures of scope and of prev, the days
// the GMV dashboard's other cards are compared with (GMV.PrevCompared):
// the same days of the week or month before, or as many days before.
func BuildGrowthCards(ctx context.Context, src Source, scope Scope, prev Period) (*GrowthCards, error) {
	cur, err := buildGrowthFigures(ctx, src, scope.Period, scope.Shop)
	if err != nil {
		return nil, err
	}
	before, err := buildGrowthFigures(ctx, src, prev, scope.Shop)
	if err != nil {
		return nil, err
	}
	r := scope.Retention
	if r.Lookback == 0 && r.SilentAfter == 0 {
		r = metrics.DefaultSettings().Retention
	}
	return &GrowthCards{Current: cur, Previous: before, LookbackDays: r.Lookback, SilentDays: r.SilentAfter}, nil
}

// RetentionNote says what the repurchase and reactivation cards count:
// the look-back and the base of the share (metrics.md §13). When the
// period before holds no data, it adds that the look-back does not depend
// on it: the page's "No data in the period before" read as if there were
// no earlier orders to find repurchases in.
func (c *GrowthCards) RetentionNote(l Locale) string {
	if c == nil || c.LookbackDays == 0 {
		return ""
	}
	note := l.Tf("growth.retention_note", c.LookbackDays, c.SilentDays)
	if !c.Previous.HasValue && c.Previous.PaidOrders == 0 {
		note += " " + l.T("growth.retention_no_previous")
	}
	return note
}

// growthKPIs are the GMV dashboard's growth cards with their change,
// named vs as the cards above them ("vs previous week").
func growthKPIs(l Locale, c *GrowthCards, vs string) []kpi {
	if c == nil {
		return nil
	}
	cur, pv := c.Current, c.Previous
	if !pv.HasValue {
		vs = "" // no previous data: a change against zero says nothing
	}
	hours := kpi{Label: l.T("growth.hours_saved"), Value: l.T("growth.no_value")}
	cost := kpi{Label: l.T("growth.cost_saved"), Value: l.T("growth.no_value")}
	fte := kpi{Label: l.T("growth.fte"), Value: l.Decimal(cur.FTEAvg, 1)}
	if cur.HasValue {
		hours.Value = l.Hours(cur.HoursSaved)
		cost.Value = l.MoneyCompact(cur.CostSaved)
		if pv.HasValue {
			// the same wording as the other cards' change
			hours.Delta, hours.Trend = l.Change(cur.HoursSaved, pv.HoursSaved)+" "+vs, l.ChangeTrend(cur.HoursSaved, pv.HoursSaved, true)
			cost.Delta, cost.Trend = l.Change(float64(cur.CostSaved), float64(pv.CostSaved))+" "+vs, l.ChangeTrend(float64(cur.CostSaved), float64(pv.CostSaved), true)
			fte.Delta, fte.Trend = l.Change(cur.FTEAvg, pv.FTEAvg)+" "+vs, l.ChangeTrend(cur.FTEAvg, pv.FTEAvg, true)
		}
	}
	return []kpi{
		hours, cost, fte,
		pctKPI(l, "growth.night_share", cur.NightOrderShare, pv.NightOrderShare, true, vs),
		// GMV, as the cards above it, to the fen: ¥1.35M beside a total GMV
		// of ¥5,178,142.00 whose 26.1 % it is could not be checked
		moneyExactKPI(l, "growth.bot_repurchase", cur.BotGuidedRepurchaseGMV, pv.BotGuidedRepurchaseGMV, true, vs),
		pctKPI(l, "growth.bot_repurchase_share", cur.BotGuidedRepurchaseShare, pv.BotGuidedRepurchaseShare, true, vs),
		countKPI(l, "growth.bot_reactivated", cur.BotReactivatedBuyers, pv.BotReactivatedBuyers, vs),
	}
}

// GrowthAssumptions is the line shown beside the bot-value figures.
func (c *GrowthCards) Assumptions(l Locale) string {
	if c == nil {
		return ""
	}
	g := c.Current
	return l.Tf("growth.assumptions", l.Money(g.HourlyCost), trimZeros(g.WrapUpS, 1), trimZeros(g.HoursPerDay, 1),
		trimZeros(float64(int64(g.HandleS+0.5)), 1), l.Count(g.BotOnly))
}

// HoursHeat is the weekly report's hour × weekday heat-map (§12).
type HoursHeat struct {
	// Consultations[weekday-1][hour], Monday first.
	Consultations [7][24]int64
	Unanswered    [7][24]int64
	CoverageGaps  int64
	NightShare    float64
	// GapSlots are the shops' weekday-hours that were coverage gaps on
	// at least one day, worst first (GapSlot.worse); ByShop says the page
	// covers several shops, so a slot names its shop.
	GapSlots []GapSlot
	ByShop   bool
	// PromoDays are the period's promotion days (Scope.PromotionDays):
	// the demo's Thursday row was its promotion day, four times an
	// ordinary day, and its worst gap hours were that night's. OneWeek:
	// the period has one day of each weekday at most, so a weekday's slot
	// is that day's.
	PromoDays []time.Time
	OneWeek   bool
}

// promoWeekday is the promotion day on weekday wd (1 Monday – 7) when
// the period has one of each weekday; zero otherwise.
func (h *HoursHeat) promoWeekday(wd int) time.Time {
	if !h.OneWeek {
		return time.Time{}
	}
	for _, d := range h.PromoDays {
		if isoWeekday(d) == wd {
			return d
		}
	}
	return time.Time{}
}

// isoWeekday is d's weekday as the heat-map numbers them, 1 Monday – 7.
func isoWeekday(d time.Time) int { return (int(d.Weekday())+6)%7 + 1 }

// PromoNote names the period's promotion days and their weekdays under
// the heat-map: their traffic fills a weekday's row, and the gap hours
// named on it may be that day's alone; "" without one.
func (h *HoursHeat) PromoNote(l Locale) string {
	if h == nil || len(h.PromoDays) == 0 {
		return ""
	}
	var named []string
	for _, d := range h.PromoDays {
		named = append(named, l.Tf("promo.day", d.Format(time.DateOnly), l.T(fmt.Sprintf("weekday.%d", isoWeekday(d)))))
	}
	k := "hours.promo"
	if len(named) > 1 {
		k = "hours.promo_many"
	}
	return l.Tf(k, strings.Join(named, l.T("list_sep")))
}

// GapSlot is one shop's hour of one weekday with coverage gaps: on how
// many of the period's days it was one, and the consultations nobody
// answered in it.
type GapSlot struct {
	Shop             string
	Weekday, Hour    int // 1 (Monday) – 7, 0–23
	Gaps, Unanswered int64
}

// worse orders slots for a supervisor's roster: an hour uncovered on
// more days first (a pattern, not a slip), then the one that left more
// consultations unanswered.
func (a GapSlot) worse(b GapSlot) int {
	return cmp.Or(cmp.Compare(b.Gaps, a.Gaps), cmp.Compare(b.Unanswered, a.Unanswered),
		cmp.Compare(a.Weekday, b.Weekday), cmp.Compare(a.Hour, b.Hour), cmp.Compare(a.Shop, b.Shop))
}

// WorstGapSlots is how many gap slots the note under the heat-map names.
const WorstGapSlots = 5

// GapNote names the worst gap slots ("Sun 22:00 (Geek Digital, 12
// unanswered)"): "40 hours had buyers waiting" did not say which hours to
// staff. It follows the note's first sentence; empty without gaps.
func (h *HoursHeat) GapNote(l Locale) string {
	if h == nil || len(h.GapSlots) == 0 {
		return ""
	}
	worst := h.GapSlots[:min(len(h.GapSlots), WorstGapSlots)]
	// the shop is said once when every slot listed is its own (the demo's
	// five read "Geek Digital" five times)
	oneShop := h.ByShop && len(worst) > 1
	for _, g := range worst {
		oneShop = oneShop && g.Shop == worst[0].Shop
	}
	var items []string
	for _, g := range worst {
		var what []string
		if h.ByShop && !oneShop {
			what = append(what, l.Display("shop", g.Shop))
		}
		if g.Gaps > 1 {
			what = append(what, l.Tf("hours.gap_days", g.Gaps))
		}
		what = append(what, l.Tf("hours.gap_unanswered", l.Count(g.Unanswered)))
		if d := h.promoWeekday(g.Weekday); !d.IsZero() {
			what = append(what, l.Tf("hours.gap_promo", d.Format(time.DateOnly)))
		}
		items = append(items, l.Tf("hours.gap_slot", l.T(fmt.Sprintf("weekday.%d", g.Weekday)), g.Hour, strings.Join(what, l.T("hours.gap_sep"))))
	}
	// The count is of a shop's hours on each day; a dot marks a cell of
	// the week, which holds every shop and day of that weekday-hour (the
	// demo's 40 hours are 38 dots).
	marked := l.T("hours.gaps_marked")
	if cells := len(h.gapCells()); int64(cells) != h.CoverageGaps {
		marked = l.Tf("hours.gaps_marked_cells", cells)
	}
	marked = sentenceGap(l) + marked
	if oneShop {
		return marked + sentenceGap(l) + l.Tf("hours.gaps_worst_shop", l.Display("shop", worst[0].Shop), strings.Join(items, l.T("hours.gap_list_sep")))
	}
	return marked + sentenceGap(l) + l.Tf("hours.gaps_worst", strings.Join(items, l.T("hours.gap_list_sep")))
}

// buildHoursHeat reads the heat-map of scope.
func buildHoursHeat(ctx context.Context, src Source, scope Scope) (*HoursHeat, error) {
	var rows, total []metrics.Row
	f := &fetch{ctx: ctx, src: src}
	// by shop: a coverage gap is a shop's hour, and a supervisor staffs
	// a shop (the heat-map adds the shops up)
	f.show(&rows, "hourly", query(scope.Period, scope.Shop, "shop_id", "weekday", "hour"), "")
	f.show(&total, "hourly", query(scope.Period, scope.Shop, "shop_id"), "")
	if err := f.wait(); err != nil {
		return nil, err
	}
	h := &HoursHeat{ByShop: scope.Shop == "", PromoDays: promotionDaysIn(scope.PromotionDays, scope.Period), OneWeek: scope.Period.Days() <= 7}
	for _, r := range rows {
		wd, hr := fInt(r, "weekday"), fInt(r, "hour")
		if wd < 1 || wd > 7 || hr < 0 || hr > 23 {
			continue
		}
		h.Consultations[wd-1][hr] += fInt(r, "consultations")
		h.Unanswered[wd-1][hr] += fInt(r, "unanswered")
		if g := fInt(r, "coverage_gaps"); g > 0 {
			h.GapSlots = append(h.GapSlots, GapSlot{Shop: fString(r, "shop_id"), Weekday: int(wd), Hour: int(hr), Gaps: g, Unanswered: fInt(r, "unanswered")})
		}
	}
	slices.SortFunc(h.GapSlots, GapSlot.worse)
	var night, paid int64
	for _, r := range total {
		h.CoverageGaps += fInt(r, "coverage_gaps")
		night += fInt(r, "night_paid_orders")
		paid += fInt(r, "paid_orders")
	}
	h.NightShare = rate(float64(night), float64(paid))
	return h, nil
}

// hoursChart draws the heat-map: weekdays down, hours across, colour the
// consultations. The colour scale names its unit beside it (it showed
// "0" and "596" and nothing saying of what): consultations started in
// the hour, added over the period's weeks when it has several. The axes
// are titled (only the chart's title said which was which): the hour's
// title between the hours and the colour scale, the weekdays' turned
// along them on the left.
func hoursChart(l Locale, h *HoursHeat, p Period) Chart {
	c := charts.NewHeatMap()
	hours := make([]string, 24)
	for i := range hours {
		hours[i] = fmt.Sprintf("%02d", i)
	}
	days := make([]string, 7)
	for i := range days {
		days[i] = l.T(fmt.Sprintf("weekday.%d", i+1))
	}
	var data []opts.HeatMapData
	var top int64
	for d := 0; d < 7; d++ {
		for hr := 0; hr < 24; hr++ {
			v := h.Consultations[d][hr]
			top = max(top, v)
			// the tooltip shows the cell's name: it read "Consultations ●
			// 21 596", the hour beside the count and no weekday
			data = append(data, opts.HeatMapData{Name: hoursCell(l, days[d], hr, v), Value: [3]any{hr, 6 - d, v}})
		}
	}
	c.SetGlobalOptions(
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Formatter: "{b}"}),
		// One series, named by the title: a legend would only sit on the top row.
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		// containLabel leaves out the axes' titles: the grid's left and
		// bottom make their room
		charts.WithGridOpts(opts.Grid{Left: "28", Right: "16", Top: "16", Bottom: "78", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: hours, Name: l.T("hours.axis_hour"), NameLocation: "middle", NameGap: 26,
			SplitArea: &opts.SplitArea{Show: opts.Bool(true)}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: reversed(days), Name: l.T("hours.axis_weekday"), NameLocation: "middle",
			NameGap: 40, SplitArea: &opts.SplitArea{Show: opts.Bool(true)}}),
		// text[1] stands at the low (left) end of a horizontal scale.
		charts.WithVisualMapOpts(opts.VisualMap{Calculable: opts.Bool(true), Min: 0, Max: float32(max(top, 1)),
			Orient: "horizontal", Left: "center", Bottom: "0", Text: []string{"", hoursUnit(l, p)},
			InRange: &opts.VisualMapInRange{Color: []string{"#f4f7fd", "#9db7ec", "#3b6fd8", "#1d3f8f"}}}),
	)
	c.AddSeries(l.T("consultations"), data)
	gaps := h.gapCells()
	if len(gaps) == 0 {
		return Chart{ID: "chart-hours", Title: l.T("hours.title"), Height: 320, Option: turnWeekdayTitle(l, option(c))}
	}
	// The coverage gaps as a red dot on their cells, named in a legend:
	// the note listed the worst, the chart showed none. A mark rather than
	// a colour, so that it reads on any cell of the blue scale, offline
	// and printed.
	points := make([]opts.ScatterData, len(gaps))
	for i, g := range gaps {
		points[i] = opts.ScatterData{Value: []int{g[1], 7 - g[0]}, Symbol: "circle", SymbolSize: 8}
	}
	name := l.T("hours.gap_mark")
	c.SetGlobalOptions(charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0", Type: "plain", Data: []string{name}}))
	sc := charts.NewScatter()
	sc.AddSeries(name, points, charts.WithItemStyleOpts(opts.ItemStyle{Color: "#c0392b"}))
	c.Overlap(sc)
	m := withSeries(option(c), nil) // a plain map, to set what go-echarts has no field for
	// the colour scale is the consultations', not the dots'
	for _, v := range m["visualMap"].([]any) {
		v.(map[string]any)["seriesIndex"] = 0
	}
	dots := m["series"].([]any)[1].(map[string]any)
	dots["silent"], dots["tooltip"] = true, map[string]any{"show": false}
	return Chart{ID: "chart-hours", Title: l.T("hours.title"), Height: 340, Option: turnWeekdayTitle(l, m)}
}

// hoursCell names a heat-map cell as a reader says it: "Thu 21:00 · 596
// consultations" / "周四 21:00 · 596 次咨询".
func hoursCell(l Locale, weekday string, hour int, n int64) string {
	key := "hours.cell"
	if n == 1 {
		key = "hours.cell_one"
	}
	return l.Tf(key, weekday, hour, l.Count(n))
}

// turnWeekdayTitle sets the heat-map's weekday title along its axis,
// which go-echarts has no field for. A Chinese title stands upright, one
// character under the other, as Chinese axis titles are set: turned, "星期"
// lay on its side.
func turnWeekdayTitle(l Locale, opt map[string]any) map[string]any {
	m := withSeries(opt, nil)
	y := m["yAxis"].([]any)[0].(map[string]any)
	if l.Lang == LangZH {
		y["name"] = strings.Join(strings.Split(l.T("hours.axis_weekday"), ""), "\n")
		y["nameRotate"] = 0
		return m
	}
	y["nameRotate"] = 90
	return m
}

// gapCells are the (weekday 1–7, hour) cells of the heat-map in which a
// shop had a coverage gap, Monday first.
func (h *HoursHeat) gapCells() [][2]int {
	seen := map[[2]int]bool{}
	for _, g := range h.GapSlots {
		seen[[2]int{g.Weekday, g.Hour}] = true
	}
	cells := slices.Collect(maps.Keys(seen))
	slices.SortFunc(cells, func(a, b [2]int) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	return cells
}

// hoursUnit is what a cell of the heat-map counts.
func hoursUnit(l Locale, p Period) string {
	if p.Days() > 7 {
		return l.T("hours.unit_weeks")
	}
	return l.T("hours.unit")
}

// ExperimentArm is one variant of an experiment (§11).
type ExperimentArm struct {
	Variant                        string
	Control, Significant           bool
	Buyers, Ordered, Paid          int64
	PaidAmount                     metrics.Money
	OrderRate, Low, High           float64
	Lift                           *float64 // nil when the control ordered nothing
	PValue                         *float64
	Containment, HandoffRate, CSAT float64
	Crossovers, Consultations      int64
	// PlannedShare is the arm's share of buyers under experiments.split
	// (nil when the row has none).
	PlannedShare *float64
}

// plannedPercent is a planned share as the page writes it: "50", "33.3".
func plannedPercent(l Locale, share float64) string {
	return strings.TrimSuffix(l.Decimal(share*100, 1), ".0")
}

// PlannedSplit is the arms' planned split, "50 : 50" (arms in the table's
// order); "" when a row has none.
func (e Experiment) PlannedSplit(l Locale) string {
	parts := make([]string, len(e.Arms))
	for i, a := range e.Arms {
		if a.PlannedShare == nil {
			return ""
		}
		parts[i] = plannedPercent(l, *a.PlannedShare)
	}
	return strings.Join(parts, " : ")
}

// ShareText is arm a's actual share of the experiment's buyers, "58 %",
// which the page sets beside its count; the plan is named in a note above
// the table ("Planned split … 50 : 50"). The planned share had stood
// there: "1,970 (50 %)" beside "1,439 (50 %)" read as two halves of
// unequal counts.
func (e Experiment) ShareText(l Locale, a ExperimentArm) string {
	var total int64
	for _, b := range e.Arms {
		total += b.Buyers
	}
	if total == 0 {
		return "–"
	}
	// whole percents: "1,970（57.8 %）" widened the zh table past 1400 px
	return l.Decimal(100*float64(a.Buyers)/float64(total), 0) + "\u00a0%"
}

// ArmName is how the page names arm a: its display name from the
// dimension file (see Dimensions.Arm), else its id.
func (e Experiment) ArmName(l Locale, a ExperimentArm) string {
	if n, ok := l.names.Arm(e.Name, a.Variant, l.Lang); ok {
		return n
	}
	return a.Variant
}

// ArmNamed says whether arm a has a display name: the page then shows it
// as text, with its id beside it in the table for an operator looking
// it up in the bot engine, rather than the id in code type.
func (e Experiment) ArmNamed(l Locale, a ExperimentArm) bool {
	_, ok := l.names.Arm(e.Name, a.Variant, l.Lang)
	return ok
}

// ControlTag is what follows the control arm's name in the table:
// " (control)", or nothing when the arm is already named so ("control
// (control)" read like a bug in English).
func (e Experiment) ControlTag(l Locale, a ExperimentArm) string {
	if !a.Control || strings.EqualFold(strings.TrimSpace(e.ArmName(l, a)), l.T("exp.control")) {
		return ""
	}
	if l.Lang == LangZH {
		return "（" + l.T("exp.control") + "）"
	}
	return " (" + l.T("exp.control") + ")"
}

// Experiment is one A/B test over the period with its verdict.
type Experiment struct {
	Name, Shop            string
	Verdict, Winner       string
	SRM                   bool
	SRMP                  *float64
	PlannedBuyers         int64
	SampleReached         bool
	FirstExposure, LastEx time.Time
	Running               bool
	Arms                  []ExperimentArm
	// Part is set when the page's period holds only part of the test,
	// which had buyers before it: a week's page read the demo's
	// limited-time test as 197 : 240 buyers, "no difference yet" and a
	// planned sample of 4,510, where its four weeks read 1,698 : 1,698,
	// "leading" and 3,449, and nothing said the week was a slice.
	Part *ExperimentPart
}

// ExperimentPart is the whole run of a test the page holds part of: its
// first exposure and its buyers from then to the period's end, beside
// the period's.
type ExperimentPart struct {
	Period            Period
	Began             time.Time
	Buyers, RunBuyers int64
}

// PartNote says that the page holds part of the test only ("" when it
// holds all of it).
func (e Experiment) PartNote(l Locale) string {
	if e.Part == nil {
		return ""
	}
	p := e.Part
	return l.Tf("exp.part", l.Count(p.Buyers), l.PeriodLabel(p.Period), l.Count(p.RunBuyers),
		p.Began.Format(time.DateOnly), p.Period.To.Format(time.DateOnly))
}

// Experiments is the experiments page.
type Experiments struct {
	Scope
	Experiments []Experiment
	Shops       []string
}

// BuildExperiments reads the experiments whose buyers were exposed in
// scope's period (running: exposures on its last two days).
func BuildExperiments(ctx context.Context, src Source, scope Scope) (*Experiments, error) {
	rows, err := src.Show(ctx, "experiments", query(scope.Period, scope.Shop, "shop_id"))
	if err != nil {
		return nil, err
	}
	loc := scope.Period.From.Location()
	out := &Experiments{Scope: scope}
	byKey := map[string]*Experiment{}
	var order []string
	for _, r := range rows {
		k := fString(r, "shop_id") + "\x00" + fString(r, "experiment")
		e := byKey[k]
		if e == nil {
			e = &Experiment{Name: fString(r, "experiment"), Shop: fString(r, "shop_id"), Verdict: fString(r, "verdict"),
				Winner: fString(r, "winner"), PlannedBuyers: fInt(r, "planned_buyers")}
			e.SRM, _ = boolField(r, "srm")
			e.SampleReached, _ = boolField(r, "sample_reached")
			e.SRMP = floatPtr(r, "srm_p_value")
			byKey[k] = e
			order = append(order, k)
		}
		a := ExperimentArm{Variant: fString(r, "variant"), Buyers: fInt(r, "buyers"), Ordered: fInt(r, "ordered_buyers"),
			Paid: fInt(r, "paid_buyers"), PaidAmount: fMoney(r, "paid_amount"), OrderRate: fFloat(r, "order_rate"),
			Low: fFloat(r, "order_rate_low"), High: fFloat(r, "order_rate_high"), Lift: floatPtr(r, "lift"),
			PValue: floatPtr(r, "p_value"), Containment: fFloat(r, "containment_rate"), HandoffRate: fFloat(r, "handoff_rate"),
			CSAT: fFloat(r, "csat"), Crossovers: fInt(r, "crossovers"), Consultations: fInt(r, "consultations"),
			PlannedShare: floatPtr(r, "planned_share")}
		a.Control, _ = boolField(r, "control")
		a.Significant, _ = boolField(r, "significant")
		first, last := fDate(r, "first_exposure", loc), fDate(r, "last_exposure", loc)
		if e.FirstExposure.IsZero() || first.Before(e.FirstExposure) {
			e.FirstExposure = first
		}
		if last.After(e.LastEx) {
			e.LastEx = last
		}
		e.Arms = append(e.Arms, a)
	}
	for _, k := range order {
		e := byKey[k]
		slices.SortStableFunc(e.Arms, func(a, b ExperimentArm) int {
			if a.Control != b.Control {
				if a.Control {
					return -1
				}
				return 1
			}
			return cmp.Compare(a.Variant, b.Variant)
		})
		e.Running = !e.LastEx.Before(scope.Period.To.AddDate(0, 0, -1))
		out.Experiments = append(out.Experiments, *e)
	}
	if err := experimentParts(ctx, src, scope, out.Experiments); err != nil {
		return nil, err
	}
	slices.SortStableFunc(out.Experiments, func(a, b Experiment) int {
		if a.Running != b.Running {
			if a.Running {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(a.Shop, b.Shop), cmp.Compare(a.Name, b.Name))
	})
	return out, nil
}

// experimentParts sets Part on the experiments that had buyers before
// scope's period: the stored data before it (at most a year back) are read
// again up to its end, for each test's first exposure and buyers.
func experimentParts(ctx context.Context, src Source, scope Scope, exps []Experiment) error {
	first := scope.Coverage.FirstDay
	if len(exps) == 0 || first.IsZero() || !first.Before(scope.Period.From) {
		return nil
	}
	run := Period{From: first, To: scope.Period.To}
	if yearBack := scope.Period.To.AddDate(-1, 0, 0); first.Before(yearBack) {
		run.From = yearBack
	}
	rows, err := src.Show(ctx, "experiments", query(run, scope.Shop, "shop_id"))
	if err != nil {
		return err
	}
	loc := scope.Period.From.Location()
	type whole struct {
		began  time.Time
		buyers int64
	}
	runs := map[string]*whole{}
	for _, r := range rows {
		k := fString(r, "shop_id") + "\x00" + fString(r, "experiment")
		w := runs[k]
		if w == nil {
			w = &whole{}
			runs[k] = w
		}
		if f := fDate(r, "first_exposure", loc); !f.IsZero() && (w.began.IsZero() || f.Before(w.began)) {
			w.began = f
		}
		w.buyers += fInt(r, "buyers")
	}
	for i := range exps {
		e := &exps[i]
		w := runs[e.Shop+"\x00"+e.Name]
		if w == nil || w.began.IsZero() || !w.began.Before(scope.Period.From) {
			continue
		}
		var here int64
		for _, a := range e.Arms {
			here += a.Buyers
		}
		e.Part = &ExperimentPart{Period: scope.Period, Began: w.began, Buyers: here, RunBuyers: w.buyers}
	}
	return nil
}

func boolField(r metrics.Row, k string) (bool, bool) {
	v, _ := r.Get(k)
	b, ok := v.(bool)
	return b, ok
}

func floatPtr(r metrics.Row, k string) *float64 {
	v, _ := r.Get(k)
	if f, ok := v.(float64); ok {
		return &f
	}
	return nil
}

// VerdictLine is the experiment's one-line verdict in l.
func (e Experiment) VerdictLine(l Locale) string {
	var ctrl ExperimentArm
	for _, a := range e.Arms {
		if a.Control {
			ctrl = a
		}
	}
	switch e.Verdict {
	case metrics.VerdictBrokenSplit:
		counts := make([]string, len(e.Arms))
		for i, a := range e.Arms {
			counts[i] = l.Count(a.Buyers)
		}
		p := 0.0
		if e.SRMP != nil {
			p = *e.SRMP
		}
		if split := e.PlannedSplit(l); split != "" {
			return l.Tf("exp.verdict.broken_planned", strings.Join(counts, " : "), split, pValue(p))
		}
		return l.Tf("exp.verdict.broken", strings.Join(counts, " : "), pValue(p))
	case metrics.VerdictWinner:
		for _, a := range e.Arms {
			if a.Variant == e.Winner {
				return l.Tf("exp.verdict.winner", latinSpaced(l, e.ArmName(l, a), false, true), l.Percent(a.OrderRate), l.Percent(ctrl.OrderRate),
					a.LiftText(), pValue(deref(a.PValue)))
			}
		}
	case metrics.VerdictControl:
		return l.Tf("exp.verdict.control", latinSpaced(l, e.ArmName(l, ctrl), true, false), l.Percent(ctrl.OrderRate))
	}
	return l.T("exp.verdict.nodiff")
}

// VerdictLabel is the verdict's leading word in l. A winner (or a losing
// variant) read before the planned sample is called early: the 5 % error
// rate holds only for one look at the planned size.
func (e Experiment) VerdictLabel(l Locale) string {
	key := "exp.verdict_label." + e.Verdict
	if (e.Verdict == metrics.VerdictWinner || e.Verdict == metrics.VerdictControl) && !e.Final() {
		key += "_early"
	}
	return l.T(key)
}

// latinSpaced is a name set into a Chinese sentence: an id or a Latin
// name is set off by a space from the Chinese text before it (before) or
// after it (after) ("limited-time 下单率"), a Chinese name is not
// ("限时优惠下单率": "限时优惠 下单率" put a space between two Chinese
// words). The Chinese texts hold no space around the name; other
// languages take it as it is.
func latinSpaced(l Locale, name string, before, after bool) string {
	if l.Lang != LangZH || name == "" {
		return name
	}
	first, _ := utf8.DecodeRuneInString(name)
	last, _ := utf8.DecodeLastRuneInString(name)
	if before && !unicode.Is(unicode.Han, first) {
		name = " " + name
	}
	if after && !unicode.Is(unicode.Han, last) {
		name += " "
	}
	return name
}

// Final says whether the verdict is final: read at or after the planned
// sample (VerdictLabel calls it early otherwise).
func (e Experiment) Final() bool { return e.SampleReached || e.PlannedBuyers == 0 }

// ArmClass is the row style of arm a: "good" for the arm the verdict
// names better (the winner, or the control when it wins) once the verdict
// is final; "leading" with ArmTag's "leading, not final" before that. A row
// green while the line above it says "not final yet" read as a winner; a
// grey one (session 20) as an arm no longer running, its figures fainter
// than the control's. "leading" keeps the figures in the text colour on an
// amber wash, the colour of a warning still open. Other significant arms
// are not marked: under "control wins" they are the worse ones.
func (e Experiment) ArmClass(a ExperimentArm) string {
	if !e.leads(a) {
		return ""
	}
	if e.Final() {
		return "good"
	}
	return "leading"
}

// ArmTag follows a leading arm's name while the verdict is not final.
func (e Experiment) ArmTag(l Locale, a ExperimentArm) string {
	if !e.leads(a) || e.Final() {
		return ""
	}
	return l.T("exp.leading_tag")
}

func (e Experiment) leads(a ExperimentArm) bool {
	switch e.Verdict {
	case metrics.VerdictWinner:
		return a.Variant == e.Winner
	case metrics.VerdictControl:
		return a.Control
	}
	return false
}

// PeekingNote says when the result was read before the planned sample.
func (e Experiment) PeekingNote(l Locale) string {
	// A broken split is restarted, not decided: its verdict says so, and
	// "Decide at the planned sample" under "Fix the assignment and
	// restart the test" gave the opposite advice.
	if e.Final() || e.Verdict == metrics.VerdictBrokenSplit {
		return ""
	}
	least := int64(-1)
	for _, a := range e.Arms {
		if least < 0 || a.Buyers < least {
			least = a.Buyers
		}
	}
	return l.Tf("exp.peeking", l.Count(e.PlannedBuyers), l.Percent(rate(float64(least), float64(e.PlannedBuyers))))
}

func deref(p *float64) float64 {
	if p == nil {
		return 1
	}
	return *p
}

// pValue writes "p = 0.0123", or "p < 0.0001" for smaller ones.
func pValue(p float64) string {
	if p < 0.0001 {
		return "p < 0.0001"
	}
	return fmt.Sprintf("p = %.4f", p)
}

// signedPct writes a lift with its sign (+ or Minus); one that rounds to
// zero is "0.0 %" (not "-0.0 %", which reads as a loss).
func signedPct(v float64) string {
	s := fmt.Sprintf("%+.1f %%", v*100)
	if s == "-0.0 %" || s == "+0.0 %" {
		return "0.0 %"
	}
	return minus(s)
}

// RenderExperiments writes the experiments page.
func RenderExperiments(w interface{ Write([]byte) (int, error) }, x *Experiments, o RenderOptions) error {
	p, err := newPage(o, "exp.title", "exp.audience", x.Scope)
	if err != nil {
		return err
	}
	if p.Filters != nil {
		p.Filters.Shops = x.Shops
	}
	l := p.L
	for i, e := range x.Experiments {
		var names []string
		var rates, lows, highs []float64
		for _, a := range e.Arms {
			names = append(names, e.ArmName(l, a))
			rates, lows, highs = append(rates, a.OrderRate), append(lows, a.Low), append(highs, a.High)
		}
		p.add(fmt.Sprintf("exp-%d", i), intervalChart(chartID("chart-exp", i), l.T("exp.order_rate"), names, rates, lows, highs,
			l.T("exp.order_rate"), l.T("exp.interval")))
	}
	p.Data = x
	return p.execute(w, "experiments")
}

// PaidPerBuyer is the arm's paid amount over its buyers, all of them
// (§11's denominator, as the order rate's): arms of different sizes
// compare on it, not on their totals (1,970 against 1,439 buyers under a
// broken split made the larger arm's total look better).
func (a ExperimentArm) PaidPerBuyer() metrics.Money {
	if a.Buyers <= 0 {
		return 0
	}
	return metrics.Money(math.Round(float64(a.PaidAmount) / float64(a.Buyers)))
}

func (a ExperimentArm) paidPerBuyer() float64 { return rate(float64(a.PaidAmount), float64(a.Buyers)) }

// PaidLiftText is arm a's paid per buyer against the control's, relative
// and signed, from the unrounded figures; "–" for the control or when the
// control's is zero. It has no test of significance: the verdict reads
// the order rate (metrics.md §11).
func (e Experiment) PaidLiftText(a ExperimentArm) string {
	if a.Control {
		return "–"
	}
	for _, c := range e.Arms {
		if c.Control && c.paidPerBuyer() > 0 {
			return signedPct(a.paidPerBuyer()/c.paidPerBuyer() - 1)
		}
	}
	return "–"
}

// PaidTotals lists the arms' paid amounts in total with their buyers,
// said not to be the comparison.
func (e Experiment) PaidTotals(l Locale) string {
	parts := make([]string, len(e.Arms))
	for i, a := range e.Arms {
		parts[i] = e.ArmName(l, a) + " " + l.Money(a.PaidAmount) + l.Tf("exp.of_buyers", l.Count(a.Buyers))
	}
	sep := ", "
	if l.Lang == LangZH {
		sep = "；"
	}
	return l.Tf("exp.paid_totals", strings.Join(parts, sep))
}

// PText is the arm's p-value ("–" for the control or when undefined).
func (a ExperimentArm) PText() string {
	if a.PValue == nil {
		return "–"
	}
	if *a.PValue < 0.0001 {
		return "< 0.0001"
	}
	return fmt.Sprintf("%.4f", *a.PValue)
}

// LiftText is the arm's lift against the control, signed; "–" when there
// is none (the control ordered nothing), as PaidLiftText.
func (a ExperimentArm) LiftText() string {
	if a.Lift == nil {
		return "–"
	}
	return signedPct(*a.Lift)
}

// NoteKey is the heat-map note's message: "1 hour had", not "1 hours".
func (h *HoursHeat) NoteKey(l Locale) string { return countKey(l, "hours.note", int(h.CoverageGaps)) }
