// Package reporttest holds fixed view models for rendering tests: numbers
// that look like a real week of a few shops, and user-supplied text that
// tries to break out of HTML and JavaScript (it must show as text).
package reporttest

import (
	"strings"
	"time"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
)

// Hostile is user text that would run script if it were not escaped; a
// page that executes it sets window.__pwned.
const Hostile = `</script><script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">`

// Loc is the reporting zone of the fixtures.
var Loc = time.FixedZone("CST", 8*3600)

func week() reports.Period {
	p, err := reports.ParseWeek("2026-W47", Loc)
	if err != nil {
		panic(err)
	}
	return p
}

func conv(cb, ob, sd, fp int64, amount metrics.Money) reports.Conversion {
	f := float64(cb)
	return reports.Conversion{ConsultingBuyers: cb, OrderedBuyers: ob, SameDayPaidBuyers: sd, FinalPaidBuyers: fp,
		FinalPaidAmount: amount, OrderRate: float64(ob) / f, SameDayPayRate: float64(sd) / f, FinalPayRate: float64(fp) / f}
}

// Weekly is a weekly report of two shops.
func Weekly() *reports.Weekly {
	p := week()
	w := &reports.Weekly{Scope: reports.Scope{Period: p}}
	w.Current = conv(12480, 4368, 3120, 3994, 118_765_432)
	w.Previous = conv(11890, 4280, 3050, 3880, 112_004_500)
	w.ByShopChannel = []reports.ConversionLine{
		{Shop: "shop-01", Channel: "taobao", Current: conv(6200, 2300, 1650, 2100, 61_234_500), Previous: conv(6000, 2250, 1600, 2050, 59_000_000)},
		{Shop: "shop-01", Channel: "jd", Current: conv(2100, 640, 450, 600, 18_500_000), Previous: conv(2000, 660, 470, 615, 19_100_000)},
		{Shop: Hostile, Channel: "douyin", Current: conv(4180, 1428, 1020, 1294, 39_030_932), Previous: conv(3890, 1370, 980, 1215, 33_904_500)},
	}
	// Data complete through Thursday: Friday to Sunday are still inside
	// their 72 h window, compared with nothing and summed apart.
	thu := p.From.AddDate(0, 0, 3)
	w.Coverage = metrics.Coverage{FirstDay: p.From.AddDate(0, 0, -28), LastDay: p.To, Days: 35,
		Watermark: p.To.Add(23 * time.Hour), CompleteThrough: thu, Window: 72 * time.Hour}
	w.Compared, w.Comparable = reports.Period{From: p.From, To: thu}, true
	w.PrevCompared = reports.Period{From: p.From.AddDate(0, 0, -7), To: thu.AddDate(0, 0, -7)}
	w.Tail, w.HasTail = reports.Period{From: thu.AddDate(0, 0, 1), To: p.To}, true
	// Every day holds data: sentiment and service cover the whole week.
	w.Observed, w.PrevObserved = p, p.Previous()
	w.TailFigures = conv(5520, 1490, 1310, 1350, 40_200_000)
	for i := 0; i < 7; i++ {
		d := reports.DailyConversion{Date: p.From.AddDate(0, 0, i), Conversion: conv(1700+int64(i)*40, 600+int64(i)*9, 430+int64(i)*5, 545+int64(i)*7, metrics.Money(16_000_000+i*120_000))}
		if i > 3 {
			d.Conversion = conv(1700+int64(i)*40, 500-int64(i)*20, 430+int64(i)*5, 420-int64(i)*20, metrics.Money(13_000_000-i*120_000))
			d.Immature = true
		}
		w.Daily = append(w.Daily, d)
	}
	// Buyers must pass every step in order, so the funnel's order step is
	// far below the headline's consult → order.
	w.Funnel = []reports.FunnelStep{
		{Step: 1, Name: "consulted", Buyers: 12480, FromStart: 1, FromPrevious: 1},
		{Step: 2, Name: "product", Buyers: 9110, FromStart: 0.73, FromPrevious: 0.73, MedianToStepSec: 12},
		{Step: 3, Name: "price", Buyers: 3120, FromStart: 0.25, FromPrevious: 0.342, MedianToStepSec: 95},
		{Step: 4, Name: "shipping", Buyers: 1370, FromStart: 0.11, FromPrevious: 0.439, MedianToStepSec: 240},
		{Step: 5, Name: "order_created", Buyers: 780, FromStart: 0.0625, FromPrevious: 0.569, MedianToStepSec: 1800},
		{Step: 6, Name: "order_paid", Buyers: 702, FromStart: 0.0563, FromPrevious: 0.9, MedianToStepSec: 2400},
	}
	w.DropOff = []reports.DropOffNode{
		{Node: "shipping", Touched: 4990, Dropped: 1646, Abandonment: 0.33, PrevTouched: 4800, PrevAbandonment: 0.21},
		{Node: "price", Touched: 6240, Dropped: 1560, Abandonment: 0.25, PrevTouched: 6100, PrevAbandonment: 0.26},
		{Node: "product", Touched: 9110, Dropped: 1822, Abandonment: 0.2, PrevTouched: 8900, PrevAbandonment: 0.2},
		{Node: "payment", Touched: 820, Dropped: 98, Abandonment: 0.12},
	}
	w.Sentiment = reports.Sentiment{Consultations: 15600, Negative: 1404, Recovered: 870, NegativeRate: 0.09, RecoveryRate: 0.6197, AvgScore: 0.18}
	w.PrevSentiment = reports.Sentiment{Consultations: 15100, Negative: 1208, Recovered: 760, NegativeRate: 0.08, RecoveryRate: 0.6291, AvgScore: 0.2}
	w.Service = reports.Service{Consultations: 15600, BotConsultations: 13900, Handoffs: 3475, HandoffRate: 0.25, ContainmentRate: 0.68,
		FRTBotP50: 850, FRTBotP90: 1900, FRTHumanP50: 21_000, FRTHumanP90: 95_000, CSAT: 0.87, AvgRating: 4.4, Ratings: 2100,
		FallbackRate: 0.072, RepeatedQuestionRate: 0.041}
	w.PrevService = reports.Service{ContainmentRate: 0.66, HandoffRate: 0.27, CSAT: 0.86, FallbackRate: 0.065, RepeatedQuestionRate: 0.043,
		FRTBotP50: 900, FRTBotP90: 1800, FRTHumanP50: 24_000, FRTHumanP90: 95_000}
	w.Gaps = []reports.KnowledgeGap{
		{Label: "这个保质期多久啊", Signature: "保质期 多久", Count: 412, Examples: []string{"这个保质期多久啊", "生产日期是什么时候", Hostile}, TopIntent: "product_info", TopProduct: "SKU-1001", TopProductShops: []string{"shop-01"}},
		{Label: "新疆包邮吗", Signature: "包邮 新疆", Count: 188, Examples: []string{"新疆包邮吗", "偏远地区运费多少"}, TopIntent: "shipping_fee", TopProduct: "SKU-2002", TopProductShops: []string{"shop-02"}},
		{Label: "能开发票吗", Signature: "发票 开", Count: 75, Examples: []string{"能开发票吗 我的手机 1**********"}, TopIntent: "invoice"},
	}
	// The alerts fixture's drop-off spike (a3): one shop over the week so
	// far, named under the all-shops table.
	w.DropOffAlerts = []reports.Alert{{Alert: metrics.Alert{ID: "a3", Rule: "dropoff_spike", Shop: "shop-01", Subject: "shipping", Node: "shipping",
		Opened: p.From, Date: p.To, Status: "open", Severity: "warning", Value: 0.38, Baseline: 0.21, Ratio: 1.8}}}
	return w
}

// Alerts is an early-warning report with one alert of every rule.
func Alerts() *reports.Alerts {
	p := week()
	d := p.To
	trend := func(base, last float64) []reports.TrendPoint {
		var out []reports.TrendPoint
		for i := 0; i < 28; i++ {
			v := base * (1 + 0.1*float64(i%3-1))
			if i == 27 {
				v = last
			}
			out = append(out, reports.TrendPoint{Label: d.AddDate(0, 0, i-27).Format(time.DateOnly), Value: v})
		}
		return out
	}
	a := &reports.Alerts{Scope: reports.Scope{Period: p}}
	a.Groups = []reports.AlertGroup{
		{Shop: "shop-01", Product: "SKU-1001", Alerts: []reports.Alert{{
			Alert: metrics.Alert{ID: "a1", Rule: "topic_surge", Shop: "shop-01", Subject: "SKU-1001/shelf_life", Product: "SKU-1001", Topic: "shelf_life",
				Opened: d.AddDate(0, 0, -1), Date: d, Status: "open", Severity: "critical", Value: 96, Baseline: 8.5, Ratio: 11.3,
				Evidence: []string{"这个保质期多久", "生产日期是哪天？", "手机 138****0000 能寄到吗", Hostile},
				ActionZH: "在商品 SKU-1001 的详情页补充保质期和生产日期。", ActionEN: "Add the shelf life and production date to the page of product SKU-1001."},
			Trend: trend(8.5, 96),
		}, {
			Alert: metrics.Alert{ID: "a2", Rule: "negative_surge", Shop: "shop-01", Subject: "SKU-1001", Product: "SKU-1001",
				Opened: d, Date: d, Status: "open", Severity: "warning", Value: 0.21, Baseline: 0.08, Ratio: 2.6,
				Evidence: []string{"太慢了，差评"}, ActionZH: "查看 SKU-1001 的差评原因并回访。", ActionEN: "Review why buyers of SKU-1001 are unhappy and follow up."},
		}}},
		{Shop: "shop-01", Alerts: []reports.Alert{{
			Alert: metrics.Alert{ID: "a3", Rule: "dropoff_spike", Shop: "shop-01", Subject: "shipping", Node: "shipping",
				Opened: d.AddDate(0, 0, -6), Date: d, Status: "open", Severity: "warning", Value: 0.33, Baseline: 0.21, Ratio: 1.57,
				ActionZH: "在详情页写明运费，或提供运费补贴。", ActionEN: "State shipping costs on the product page or offer a shipping subsidy."},
			Trend: []reports.TrendPoint{{Label: "2026-W43", Value: 0.2}, {Label: "2026-W44", Value: 0.21}, {Label: "2026-W45", Value: 0.22}, {Label: "2026-W46", Value: 0.21}, {Label: "2026-W47", Value: 0.33}},
		}, {
			Alert: metrics.Alert{ID: "a4", Rule: "fallback_spike", Shop: "shop-01", Opened: d, Date: d, Status: "open", Severity: "info",
				Value: 0.15, Baseline: 0.07, Ratio: 2.1, ActionZH: "补充知识库。", ActionEN: "Add the unanswered questions to the bot's knowledge base."},
			Trend: trend(0.07, 0.15),
		}}},
		{Shop: Hostile, Product: Hostile, Alerts: []reports.Alert{{
			Alert: metrics.Alert{ID: "a5", Rule: "conversion_drop", Shop: Hostile, Subject: Hostile, Product: Hostile, Opened: d, Date: d, Status: "open",
				Severity: "critical", Value: 0.21, Baseline: 0.35, Ratio: 0.6, Evidence: []string{Hostile},
				ActionZH: "检查价格与库存。", ActionEN: "Check price and stock."},
			Trend: trend(0.35, 0.21),
		}}},
	}
	// Closed during the week: one per kind of value (count, rate), one
	// with hostile text.
	a.Closed = []reports.Alert{{
		Alert: metrics.Alert{ID: "c1", Rule: "topic_surge", Shop: "shop-02", Subject: "SKU-2002/size", Product: "SKU-2002", Topic: "size",
			Opened: d.AddDate(0, 0, -9), Date: d.AddDate(0, 0, -2), Status: "closed", Severity: "warning", Value: 40, Baseline: 12, Ratio: 3.3,
			Evidence: []string{"这条裙子 M 码腰围多少", "尺码偏大还是偏小"},
			ActionZH: "在商品 SKU-2002 的详情页补充尺码表。", ActionEN: "Add a size chart to the page of product SKU-2002."},
		Trend: trend(12, 40)[:26],
	}, {
		Alert: metrics.Alert{ID: "c2", Rule: "fallback_spike", Shop: "shop-01", Opened: d.AddDate(0, 0, -8), Date: d.AddDate(0, 0, -4), Status: "closed",
			Severity: "info", Value: 0.12, Baseline: 0.07, Ratio: 1.7,
			ActionZH: "补充知识库。", ActionEN: "Add the unanswered questions to the bot's knowledge base."},
	}, {
		Alert: metrics.Alert{ID: "c3", Rule: "negative_surge", Shop: Hostile, Subject: Hostile, Product: Hostile, Opened: d.AddDate(0, 0, -6),
			Date: d.AddDate(0, 0, -5), Status: "closed", Severity: "critical", Value: 0.4, Baseline: 0.1, Ratio: 4,
			Evidence: []string{Hostile}, ActionZH: "回访差评买家。", ActionEN: "Follow up with the unhappy buyers."},
	}}
	// Agents' quality-inspection alerts, listed apart: one open, one
	// closed, one of an agent with a display name.
	a.Conduct = []reports.Alert{{
		Alert: metrics.Alert{ID: "q1", Rule: "qa_violation", Shop: "shop-01", Subject: "agent-03-2", Node: "agent-03-2", Opened: d, Date: d,
			Status: "open", Severity: "critical", Value: 2, Evidence: []string{"vx同号，私聊", "可以支付宝转账，不走平台"}},
	}, {
		Alert: metrics.Alert{ID: "q2", Rule: "qa_violation", Shop: "shop-02", Subject: "agent-07", Node: "agent-07", Opened: d.AddDate(0, 0, -2),
			Date: d.AddDate(0, 0, -1), Status: "closed", Severity: "critical", Value: 1, Evidence: []string{"你烦不烦啊，详情页都写了"}},
	}}
	return a
}

// GMV is a GMV dashboard over one week.
func GMV() *reports.GMV {
	p := week()
	g := &reports.GMV{Scope: reports.Scope{Period: p}}
	for i := 0; i < 7; i++ {
		bot := metrics.Money(5_400_000 + i*150_000)
		human := metrics.Money(9_100_000 - i*80_000)
		un := metrics.Money(2_300_000 + i*10_000)
		pt := reports.GMVPoint{Date: p.From.AddDate(0, 0, i), Bot: bot, Human: human, Unattributed: un, Total: bot + human + un}
		pt.BotShare = float64(pt.Bot) / float64(pt.Total)
		g.Daily = append(g.Daily, pt)
		g.Totals.Bot += bot
		g.Totals.Human += human
		g.Totals.Unattributed += un
		g.Totals.Total += pt.Total
	}
	g.Totals.BotShare = float64(g.Totals.Bot) / float64(g.Totals.Total)
	g.Orders, g.Refunded = 4210, 3_456_700
	g.Compared, g.PrevCompared = p, p.Previous()
	g.PrevTotals = reports.GMVPoint{Bot: 36_100_000, Human: 63_900_000, Unattributed: 16_900_000, Total: 116_900_000}
	g.PrevTotals.BotShare = float64(g.PrevTotals.Bot) / float64(g.PrevTotals.Total)
	g.PrevOrders, g.PrevRefunded = 4020, 2_980_000
	g.ByResponder = []reports.ResponderConversion{
		{Responder: "bot_only", Conversion: conv(5200, 1700, 1250, 1600, 40_000_000)},
		{Responder: "bot_to_human", Conversion: conv(4100, 1640, 1180, 1500, 50_000_000)},
		{Responder: "human_only", Conversion: conv(2400, 910, 640, 830, 28_000_000)},
		{Responder: "unanswered", Conversion: conv(780, 118, 50, 64, 765_432)},
	}
	g.TopAgents = []reports.AgentSales{
		{Agent: "agent-07", Shop: "shop-01", Orders: 310, GMV: 12_345_600, Refunded: 120_000},
		{Agent: "agent-02", Shop: "shop-02", Orders: 280, GMV: 10_987_000},
		{Agent: Hostile, Orders: 120, GMV: 4_500_000, Refunded: 50_000},
	}
	g.Shops = []string{"shop-01", "shop-02"}
	g.Channels = []string{"jd", "taobao"}
	return g
}

// Names are display names for some of the fixtures' ids, as a shop's
// dimension file would give them; the ids without one show as ids.
func Names() *reports.Dimensions {
	d, err := reports.ReadDimensions(strings.NewReader("kind,id,zh,en\n" +
		"product,SKU-1001,有机坚果礼盒,Organic nut gift box\n" +
		"shop,shop-01,良品小铺旗舰店,Goodies flagship store\n" +
		"agent,agent-07,小美,Xiaomei\n"))
	if err != nil {
		panic(err)
	}
	return d
}

// GMVFourWeeks is a GMV dashboard over four weeks (as the demo's, 28 days
// ending on the fixtures' week), its first three days attribution-partial:
// a chart of 28 days cannot name every day on a phone.
func GMVFourWeeks() *reports.GMV {
	g := GMV()
	p := reports.Period{From: g.Period.From.AddDate(0, 0, -21), To: g.Period.To}
	g.Period, g.Compared, g.PrevCompared = p, p, p.Previous()
	g.Coverage.ConsultationsFrom, g.Coverage.Window = p.From, 72*time.Hour
	g.Daily = nil
	for i := 0; i < p.Days(); i++ {
		bot := metrics.Money(5_400_000 + (i%7)*150_000)
		human := metrics.Money(9_100_000 - (i%5)*80_000)
		un := metrics.Money(2_300_000 + (i%3)*10_000)
		pt := reports.GMVPoint{Date: p.From.AddDate(0, 0, i), Bot: bot, Human: human, Unattributed: un, Total: bot + human + un, AttributionPartial: i < 3}
		pt.BotShare = float64(pt.Bot) / float64(pt.Total)
		g.Daily = append(g.Daily, pt)
	}
	return g
}
