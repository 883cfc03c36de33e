package reports

import (
	"fmt"
	"strings"
)

// Languages the reports are written in.
const (
	LangZH = "zh-CN"
	LangEN = "en"
)

// Langs lists the supported languages, default first.
var Langs = []string{LangZH, LangEN}

// Locale formats numbers and words for one language. The zero value is not
// useful; use NewLocale.
type Locale struct {
	Lang  string
	msgs  map[string]string
	names *Dimensions
	// vars fill the {name} placeholders of the texts: settings a page
	// states, such as the reply SLA (see WithReplySLA); nil is the
	// defaults.
	vars map[string]string
}

// WithNames returns l showing ids by the display names of d (nil: ids).
func (l Locale) WithNames(d *Dimensions) Locale {
	l.names = d
	return l
}

// Display returns the display name of an id of kind (product, agent,
// shop, channel): the dimension file's name, else the built-in one (for
// channels), else the id itself.
func (l Locale) Display(kind, id string) string {
	if n, ok := l.names.Name(kind, id, l.Lang); ok {
		return n
	}
	if s, ok := l.msgs[kind+"."+id]; ok {
		return s
	}
	return id
}

// Named says whether id of kind has a display name (the page then shows
// the name in text type rather than the id in code type).
func (l Locale) Named(kind, id string) bool {
	if _, ok := l.names.Name(kind, id, l.Lang); ok {
		return true
	}
	_, ok := l.msgs[kind+"."+id]
	return ok
}

// NewLocale returns the locale of lang (zh-CN or en; "zh" and "en-US" are
// accepted as aliases).
func NewLocale(lang string) (Locale, error) {
	switch strings.ToLower(lang) {
	case "zh-cn", "zh", "zh-hans", "":
		return Locale{Lang: LangZH, msgs: zhCN}, nil
	case "en", "en-us", "en-gb":
		return Locale{Lang: LangEN, msgs: en}, nil
	}
	return Locale{}, fmt.Errorf("language %q: use zh-CN or en", lang)
}

// T returns the text of key; an unknown key is returned as is, so a
// missing translation shows instead of vanishing.
func (l Locale) T(key string) string {
	if s, ok := l.msgs[key]; ok {
		return l.expand(s)
	}
	if s, ok := en[key]; ok {
		return l.expand(s)
	}
	return key
}

// Tf formats the text of key with args.
func (l Locale) Tf(key string, args ...any) string { return fmt.Sprintf(l.T(key), args...) }

// Labelled is label, the language's colon and value ("Baseline: 43.7 %",
// "基线：43.7 %"): the Chinese pages wrote "基线: 43.7 %" beside notes
// that use "：".
func (l Locale) Labelled(label, value string) string { return label + l.T("colon") + value }

// PeriodLabel is p as the page's header names it: "2026-W47 (2026-11-16 –
// 2026-11-22)", in Chinese with Chinese parentheses.
func (l Locale) PeriodLabel(p Period) string {
	if l.Lang != LangZH || p.Week == "" {
		return p.Label()
	}
	return p.Week + "（" + shortRange(p) + "）"
}

// Name translates a domain value (a funnel node, responder class, GMV
// bucket, alert rule, severity, intent or topic) of kind, falling back to
// the value itself: unknown values are data and are shown verbatim.
//
// An agent (or channel) with a display name in the dimension file is
// shown by it, as Display does: the QA page and the scoreboard name
// agents as the GMV dashboard does.
func (l Locale) Name(kind, value string) string {
	if s, ok := l.msgs[kind+"."+value]; ok {
		return l.expand(s)
	}
	if n, ok := l.names.Name(kind, value, l.Lang); ok {
		return n
	}
	if value == "" {
		return l.T("none")
	}
	return value
}

var en = map[string]string{
	"none":                         "(none)",
	"all_shops":                    "All shops",
	"all_channels":                 "All channels",
	"shop":                         "Shop",
	"list_sep":                     ", ",
	"channel":                      "Channel",
	"date":                         "Date",
	"week":                         "Week",
	"period":                       "Period",
	"colon":                        ": ",
	"filters":                      "Filters",
	"apply":                        "Apply",
	"from":                         "From",
	"to":                           "To",
	"lang":                         "Language",
	"nodata":                       "No data for this period.",
	"vs_prev":                      "vs previous week",
	"change":                       "Change",
	"prev":                         "Previous week",
	"this":                         "This week",
	"footer":                       "charts by Apache ECharts %s (Apache-2.0)",
	"footer.defs":                  "convintel · every figure is defined in ", // the space before the link, which zh has not
	"footer.metrics":               "the metric definitions",
	"footer.events":                "the event contract",
	"footer.open":                  " (", // around a file's path after its name; zh takes full-width brackets
	"footer.close":                 ")",
	"vs_prev_same_days":            "vs same days last week",
	"vs_prev_range":                "vs previous period",
	"vs_prev_same_days_range":      "vs same days before",
	"compare.whole":                "Whole week %s, compared with the previous week, %s.",
	"compare.whole_range":          "%s, compared with the same number of days before, %s.",
	"compare.final":                "Only the days with final figures, %s, compared with the same days of the previous week, %s.",
	"compare.final_range":          "Only the days with final figures, %s, compared with the same days of the period before, %s.",
	"compare.so_far":               "The days so far, %s, compared with the same days of the previous week, %s.",
	"compare.so_far_range":         "The days with data so far, %s, compared with the same days of the period before, %s.",
	"promo.one":                    "Promotion day: %s.",
	"promo.many":                   "Promotion days: %s.",
	"promo.day":                    "%s (%s)",
	"promo.this":                   "this week",
	"promo.this_range":             "this period",
	"promo.prev":                   "previous week",
	"promo.prev_range":             "period before",
	"promo.why":                    "A promotion's traffic is not an ordinary day's: these changes are partly the promotion, not a trend, and are shown without colour.",
	"promo.mark":                   "promo",
	"maturity.all_whole":           "Every figure compares the whole week with the previous week (%s).",
	"maturity.all_whole_range":     "Every figure compares the whole period with the same number of days before (%s).",
	"maturity.others_whole":        "Sentiment and service do not wait for orders: they compare the whole week with the previous week (%s).",
	"maturity.others_whole_range":  "Sentiment and service do not wait for orders: they compare the whole period with the same number of days before (%s).",
	"maturity.others_so_far":       "Sentiment and service do not wait for orders: they compare the days so far, %s, with the same days of the previous week (%s).",
	"maturity.others_so_far_range": "Sentiment and service do not wait for orders: they compare the days with data so far, %s, with the same days of the period before (%s).",
	"empty.nothing_computed":       "No metrics have been computed yet. Load events (convintel import, or ingest from Kafka), then run convintel metrics run --from … --to ….",
	"empty.elsewhere":              "No data for %s. Data exists from %s to %s (%d days).",
	"empty.open_latest":            "Open the latest period with data",
	"error.title":                  "This page cannot be shown with these filters",
	"error.audience":               "Check the filters",
	"error.retry":                  "Open it with the default filters",
	"maturity.no_previous":         "No change is shown: the previous week (%s) holds no data to compare with.",
	"maturity.no_previous_range":   "No change is shown: the same number of days before (%s) hold no data to compare with.",
	"maturity.partial_alone":       "Figures final up to %s (every order window of those days closed). %s can still receive orders: those days are marked * and shown apart.",
	"maturity.none_complete":       "no day yet",
	"maturity.nothing":             "Figures final up to %s. No day of this period has finished its %[2]s order window yet: the figures below are so far and are not compared.",
	"maturity.partial":             "Figures final up to %s (every order window of those days closed). Conversion, funnel and drop-off compare %s with the same days of the previous week (%s), all past their %s order window. %s can still receive orders: those days are marked * and shown apart, not compared.",
	"maturity.partial_range":       "Figures final up to %s (every order window of those days closed). Conversion, funnel and drop-off compare %s with the same days before (%s), all past their %s order window. %s can still receive orders: those days are marked * and shown apart, not compared.",
	"maturity.whole":               "Figures final up to %s: every day of this period has finished its %s order window.",
	"maturity.tail":                "Still inside the order window (not final)",
	"maturity.shade":               "* not final: consult → order, finally paid",
	"maturity.every_day":           "Final on every day",
	"maturity.every_day_note":      "These do not wait for orders: a day's consulting buyers, and those who paid the same day, are known once the day ends.",
	"maturity.tail_base":           "of %s consulting buyers",
	"weekly.kpi_note":              "Consulting buyers: buyers with a pre-sale consultation (chats about an order already placed, such as delivery or returns, are not counted). Consult → order: consulting buyers who created an order within the window after they first asked, whatever they asked about. Paid by consulting buyers: what they paid for orders within {window} of their consultation, dated by the day they consulted. It is not the GMV of these days: orders without a pre-sale consultation are not in it, and an order paid days later counts on the day its buyer asked.",
	"weekly.funnel_note":           "The funnel counts only buyers who passed every step in order (asked about product, then price, then shipping, then ordered); skipping a step ends their path. So its “Order created” (%[3]s buyers, %[4]s) is smaller than the headline's consult → order (%[1]s buyers, %[2]s): both are right, they answer different questions.",
	"weekly.small_sample":          "Fewer than %d consulting buyers in the period or in the one it is compared with: the change is shown without colour, as swings of 10–20 points happen by chance at that size.",
	"weekly.funnel_note_plain":     "The funnel counts only buyers who passed every step in order; the headline's consult → order counts every consulting buyer who ordered.",
	"immature_mark":                "* not final: consult → order and finally paid can still rise on these days, whose buyers are still inside the order window. Consult → same-day paid is final once the day ends.",

	"weekly.title":                    "Weekly funnel report",
	"weekly.audience":                 "For operations managers",
	"weekly.kpis":                     "Consult-to-order conversion",
	"weekly.by_shop":                  "Conversion by shop and channel",
	"weekly.daily":                    "Daily conversion",
	"weekly.funnel":                   "Funnel",
	"weekly.dropoff":                  "High drop-off nodes (高流失节点)",
	"weekly.gap_no_product":           "no product (asked shop-wide)",
	"weekly.dropoff_alerts":           "Early warnings at these nodes",
	"weekly.dropoff_alert":            "%[1]s at %[2]s: %[3]s abandonment over %[6]s, against a %[4]s baseline (%[5]s).",
	"weekly.dropoff_alert_open":       "drop-off spike, open since %s",
	"weekly.dropoff_alert_closed":     "drop-off spike, closed %s",
	"weekly.dropoff_alert_all_shops":  "all shops",
	"weekly.dropoff_alert_final_days": " over the days with final figures only (%s)",
	"weekly.dropoff_alert_scope":      "An alert's rate is its shop's alone, over the days of its week whose order window has closed; the table above is %s, so its rate for the same node differs.",
	"weekly.dropoff_alert_scope_same": "The table above is %s: the alert's shop and days, so its rate for the same node is the alert's.",
	"weekly.dropoff_alert_link":       " Each alert's card, with what to do: ",
	"weekly.dropoff_alert_link_end":   ".",
	"weekly.dropoff_note":             "Nodes ranked by abandonment rate: consultations that did not convert and whose last question was at this node, over those that reached it. Counted in consultations, from each consultation's own questions in whatever order the buyer asked. The funnel above counts buyers who passed every step in order, and also counts a step the buyer reached in a later chat within the order window: a node can therefore show more there than here (a buyer who asked again the next day) or fewer (a buyer who skipped a step). The two tables answer different questions and are not meant to match.",
	"weekly.sentiment":                "Sentiment",
	"weekly.service":                  "Service",
	"weekly.gaps":                     "Top knowledge gaps",
	"weekly.gaps_note":                "Questions the bot could not answer (fallback), grouped by their content words and named by the most asked wording; questions and examples are masked.",
	"weekly.gaps_whole":               "Counted over the whole week, %s, %s: every question of the consultations started on those days. A top product is named with the shop that sells it.",
	"weekly.gaps_whole_range":         "Counted over the whole period, %s, %s: every question of the consultations started on those days. A top product is named with the shop that sells it.",
	"weekly.gaps_so_far":              "Counted over the days with data so far, %s, %s: every question of the consultations started on those days. A top product is named with the shop that sells it.",
	"weekly.gaps_all_shops":           "all shops together",
	"weekly.gaps_one_shop":            "%s alone",
	"weekly.gaps_promo":               "The promotion day %s is among them: part of these questions are the promotion's.",
	"consulting_buyers":               "Consulting buyers",
	"ordered_buyers":                  "Ordered",
	"order_rate":                      "Consult → order",
	"same_day_pay_rate":               "Consult → same-day paid",
	"final_pay_rate":                  "Consult → finally paid",
	"final_paid_amount":               "Paid by consulting buyers ({window})",
	"touched":                         "Consultations reaching it",
	"dropped":                         "Dropped there",
	"abandonment_rate":                "Abandonment",
	"node":                            "Node",
	"rank":                            "#",
	"step":                            "Step",
	"buyers":                          "Buyers",
	"from_start":                      "From start",
	"from_previous":                   "From previous",
	"median_time":                     "Median time from first message",
	"consultations":                   "Consultations",
	"negative_rate":                   "Negative rate",
	"recovery_rate":                   "Recovery rate",
	"avg_score":                       "Mean sentiment score",
	"base.recovery":                   "of %s negative consultations: the buyer's last message no longer negative, or rated 4–5 ★",
	"base.avg_score":                  "from −1 (negative) to +1 (positive), over customer messages",
	"base.bot_consultations":          "of %s consultations the bot took (of %s in all)",
	"base.frt_human":                  "from the handoff; without a bot, from the buyer's first message",
	"containment_rate":                "Bot containment",
	"handoff_rate":                    "Handoff rate",
	"frt_bot":                         "Bot first response p50 / p90",
	"frt_human":                       "Agent first response p50 / p90",
	"csat":                            "CSAT (4–5 ★)",
	"avg_rating":                      "Mean rating",
	"fallback_rate":                   "Bot fallback rate",
	"repeated_rate":                   "Repeated-question rate",
	"signature":                       "Question",
	"count":                           "Count",
	"examples":                        "Examples",
	"top_intent":                      "Top intent",
	"top_product":                     "Top product",
	"alerts.title":                    "Early-warning report",
	"alerts.audience":                 "For merchandisers",
	"alerts.summary":                  "%d open alerts: %d critical, %d warning, %d info",
	"alerts.summary_one":              "%d open alert: %d critical, %d warning, %d info",
	"alerts.none_but_conduct_one":     "No early warnings in this period; %d service-quality alert for an agent, listed below.",
	"alerts.summary_conduct_one":      "; and %d service-quality alert for an agent, listed at the end",
	"alerts.none":                     "No open alerts in this period.",
	"alerts.none_but_conduct":         "No early warnings in this period; %d service-quality alerts for agents, listed below.",
	"alerts.product":                  "Product",
	"alerts.no_product":               "whole shop",
	"alerts.value":                    "Now",
	"alerts.baseline":                 "Baseline",
	"alerts.ratio":                    "Ratio",
	"alerts.opened":                   "Open since",
	"alerts.last":                     "Last fired",
	"alerts.evidence":                 "Evidence (masked)",
	"alerts.evidence_sep":             "; ",
	"alerts.evidence_times":           " (×%d)",
	"alerts.action":                   "What to do",
	"alerts.trend":                    "Trend",
	"alerts.subject":                  "Subject",
	"alerts.closed":                   "Closed in this period",
	"alerts.closed_note":              "These stopped firing during the period: check that the fix holds.",
	"alerts.closed_on":                "Closed on",
	"alerts.last_value":               "Last value",
	"alerts.rule":                     "Warning",
	"alerts.summary_closed":           "; %d closed during the period",
	"alerts.summary_conduct":          "; and %d service-quality alerts for agents, listed at the end",
	"alerts.conduct":                  "Service quality: agents' forbidden phrases (智能质检)",
	"alerts.conduct_note":             "For service supervisors. A rude or off-platform message of an agent raises one of these for that agent and day. They say nothing about the shop's buyers or products, so they are listed here rather than as early warnings above; the quality-inspection page shows every violation, to coach the agent or dispute the match.",
	"alerts.conduct_messages":         "Messages on the last day fired",
	"alerts.closed_badge":             "closed",
	"alerts.no_evidence":              "This rule watches a rate, not messages: no example messages.",
	"alerts.value_of.topic_surge":     "Mentions",
	"alerts.value_of.dropoff_spike":   "Abandonment",
	"alerts.value_on":                 "%s on %s",
	"alerts.value_over":               "%s over %s",
	"alerts.days_pending":             "Not judged yet: %s. A day is judged once its order window has closed; the alert stays open until then.",
	"alerts.week_pending":             "%s are not in this rate yet: a day is judged once its order window has closed.",
	"alerts.value_of.negative_surge":  "Negative rate",
	"alerts.value_of.fallback_spike":  "Bot fallback rate",
	"alerts.value_of.conversion_drop": "Consult → order",
	"unit.topic_surge":                "messages/day",
	"gmv.title":                       "GMV contribution",
	"gmv.audience":                    "For executives",
	"gmv.total":                       "Total GMV",
	"gmv.bot":                         "Bot GMV",
	"gmv.human":                       "Agent GMV",
	"gmv.unattributed":                "Unattributed GMV",
	"gmv.bot_share":                   "Bot share",
	"gmv.over_time":                   "GMV by responder over time (stacked: the top line is the total)",
	"gmv.share_trend":                 "Bot share of GMV",
	"gmv.by_responder":                "Conversion by responder class",
	"gmv.top_agents":                  "Top agents by sales (客服销售额)",
	"gmv.agent":                       "Agent",
	"gmv.orders":                      "Orders",
	"gmv.refunded":                    "Refunded",
	"gmv.channel_note":                "Channel %s: orders carry no channel, so the GMV figures, the bot's value and the top agents on this page cover all channels, as without the filter; only the conversion by responder class follows it.",
	"gmv.share_of_human":              "Share of agent GMV",
	"vs_prev_period":                  "vs previous period",
	"compare.no_previous":             "No data in the period before (%s): nothing to compare with.",
	"gmv.no_earlier_data":             "No changes are shown: the data begin on %s, so the same number of days before this period (%s) hold nothing to compare with. Over a period with data before it, each card shows its change against as many days before, e.g. “%s”.",
	"gmv.refund_rate":                 "Refund rate",
	"gmv.compare_note":                "Changes compare %s with the same number of days before (%s).",
	"gmv.compare_note_week":           "Changes compare the week %s with the previous week (%s).",
	"gmv.compare_note_week_so_far":    "Changes compare the days with data so far, %s, with the same days of the previous week (%s).",
	"gmv.compare_note_month":          "Changes compare the month %s with the previous month (%s).",
	"gmv.compare_note_month_so_far":   "Changes compare the days with data so far, %s, with the same days of the previous month (%s).",
	"gmv.no_earlier_data_month":       "No changes are shown: the data begin on %s, so the previous month (%s) holds nothing to compare with. Over a month with data before it, each card shows its change against the previous month, e.g. “%s”.",
	"vs_prev_month":                   "vs previous month",
	"vs_prev_same_days_month":         "vs same days last month",
	"gmv.warmup_note":                 "° %s: these orders look back %s for the consultations they are credited to, and part of that reaches before the first stored consultation (%s). Consultations from before then are not in the data, so part of these days' GMV shows as unattributed and the bot's share reads low; compare later days.",
	"gmv.warmup_shade":                "° partial",
	"gmv.responder_pending":           "Consultations of %s are still inside their %s order window: their buyers can still order, so these rates are not final and can still rise.",
	"gmv.promo_day":                   "%s (GMV %s)",
	"gmv.promo_note":                  "Promotion day, shaded “promo” in the charts: %s. A promotion's traffic is not an ordinary day's: read the trend from the other days; the totals above include it.",
	"gmv.promo_note_median":           "Promotion day, shaded “promo” in the charts: %s, against %s on a median day of the period. A promotion's traffic is not an ordinary day's: read the trend from the other days; the totals above include it.",
	"gmv.unattributed_note":           "Unattributed (静默下单): orders paid without any answered consultation of the buyer in the %s before; the buyer ordered on their own. Refunds are shown beside GMV, not subtracted; refund rate = refunds / GMV.",
	"responder":                       "Responder",
	"node.consulted":                  "Consulted",
	"node.product":                    "Product questions",
	"node.price":                      "Price & promotions",
	"node.shipping":                   "Shipping",
	"node.payment":                    "Payment",
	"node.order_created":              "Order created",
	"node.order_paid":                 "Order paid",
	"responder.bot_only":              "Bot only",
	"responder.bot_to_human":          "Bot → agent",
	"responder.human_only":            "Agent only",
	"responder.unanswered":            "Unanswered",
	"bucket.bot":                      "Bot",
	"bucket.human":                    "Agent",
	"bucket.unattributed":             "Unattributed",
	"rule.topic_surge":                "Topic surge",
	"rule.dropoff_spike":              "Drop-off spike",
	"rule.negative_surge":             "Negative sentiment surge",
	"rule.fallback_spike":             "Bot fallback spike",
	"rule.conversion_drop":            "Conversion drop",
	"action.fallback_spike":           "Add bot answers for the questions the bot could not answer in this shop, most asked first (the weekly funnel report's top knowledge gaps rank such questions, for all shops together)",
	"severity.critical":               "critical",
	"severity.warning":                "warning",
	"severity.info":                   "info",

	"intent.greeting":                "Greeting",
	"intent.product_info":            "Product details",
	"intent.size_fit":                "Size & fit",
	"intent.stock":                   "Stock",
	"intent.price_promo":             "Price & promotions",
	"intent.shipping_fee":            "Shipping fee",
	"intent.delivery_time":           "Delivery time",
	"intent.payment":                 "Payment",
	"intent.order_status":            "Order status",
	"intent.modify_order":            "Change order",
	"intent.cancel_order":            "Cancel order",
	"intent.return_exchange":         "Return & exchange",
	"intent.refund":                  "Refund",
	"intent.quality_complaint":       "Quality complaint",
	"intent.invoice":                 "Invoice",
	"intent.human_request":           "Asks for an agent",
	"intent.thanks_bye":              "Thanks & goodbye",
	"intent.other":                   "Other",
	"topic.shelf_life":               "Shelf life",
	"topic.size":                     "Size",
	"topic.material":                 "Material",
	"topic.color":                    "Colour",
	"topic.ingredients":              "Ingredients",
	"topic.origin":                   "Origin",
	"topic.warranty":                 "Warranty",
	"topic.authenticity":             "Authenticity",
	"topic.usage":                    "Usage",
	"topic.allergy":                  "Allergies",
	"topic.battery":                  "Battery life",
	"topic.weight":                   "Weight",
	"topic.compatibility":            "Compatibility",
	"topic.packaging":                "Packaging",
	"topic.taste":                    "Taste",
	"channel.taobao":                 "Taobao",
	"channel.tmall":                  "Tmall",
	"channel.jd":                     "JD",
	"channel.pdd":                    "Pinduoduo",
	"channel.douyin":                 "Douyin",
	"channel.wechat":                 "WeChat",
	"channel.app":                    "App",
	"channel.web":                    "Web",
	"channel.whatsapp":               "WhatsApp",
	"alerts.digest_title":            "Early warning · %s · %s: %d new",
	"alerts.dropoff_scope":           "%[1]s alone, over %[2]s: the days of its week whose order window has closed. The drop-off table of the weekly funnel report covers all shops (or the shop chosen) over the days with final figures only, so its rate for %[3]s is not this one.",
	"alerts.dropoff_scope_same_days": "%[1]s alone, over %[2]s: the days of its week whose order window has closed. The drop-off table of the weekly funnel report covers all shops over the same days, so its rate for %[3]s is another; filtered to %[1]s, it reads this one.",
	"alerts.at_stake_short":          "%s at stake",
	"alerts.at_stake_on":             "%s of orders at stake on %s",
	"alerts.at_stake_over":           "%s of orders at stake over %s",
	"alerts.at_stake_was_on":         "%s of orders were at stake on %s, before it closed",
	"alerts.at_stake_was_over":       "%s of orders were at stake over %s, before it closed",
	"alerts.muted":                   "Muted",
	"alerts.muted_note":              "muted: shown, not announced",
	"alerts.intraday":                "raised at %02d:00 on the day so far",
	"alerts.direction_down":          "falling",
}

var zhCN = map[string]string{
	"none":                         "（无）",
	"all_shops":                    "全部店铺",
	"all_channels":                 "全部渠道",
	"shop":                         "店铺",
	"list_sep":                     "、",
	"channel":                      "渠道",
	"date":                         "日期",
	"week":                         "周",
	"period":                       "统计周期",
	"colon":                        "：",
	"filters":                      "筛选",
	"apply":                        "应用",
	"from":                         "开始",
	"to":                           "结束",
	"lang":                         "语言",
	"nodata":                       "本周期无数据。",
	"vs_prev":                      "较上周",
	"change":                       "变化",
	"prev":                         "上周",
	"this":                         "本周",
	"footer":                       "图表：Apache ECharts %s（Apache-2.0）",
	"footer.defs":                  "convintel · 口径见",
	"footer.metrics":               "指标定义",
	"footer.events":                "事件契约",
	"footer.open":                  "（",
	"footer.close":                 "）",
	"vs_prev_same_days":            "较上周同期",
	"vs_prev_range":                "较上期",
	"vs_prev_same_days_range":      "较上期同期",
	"compare.whole":                "整周 %s，对比上周整周 %s。",
	"compare.whole_range":          "%s，对比之前同样天数 %s。",
	"compare.final":                "仅含数字已定稿的 %s，对比上周同期 %s。",
	"compare.final_range":          "仅含数字已定稿的 %s，对比上期同期 %s。",
	"compare.so_far":               "本周截至目前 %s，对比上周同期 %s。",
	"compare.so_far_range":         "截至目前有数据的 %s，对比上期同期 %s。",
	"promo.one":                    "大促日：%s。",
	"promo.many":                   "大促日：%s。",
	"promo.day":                    "%s（%s）",
	"promo.this":                   "本周",
	"promo.this_range":             "本期",
	"promo.prev":                   "上周",
	"promo.prev_range":             "上期",
	"promo.why":                    "大促当天的流量不同于平日：这些变化部分来自大促，并非趋势，所以不标红绿。",
	"promo.mark":                   "大促",
	"maturity.all_whole":           "所有指标均为整周对比上周整周（%s）。",
	"maturity.all_whole_range":     "所有指标均为整个周期对比之前同样天数（%s）。",
	"maturity.others_whole":        "情绪与服务指标不等待订单：对比的是整周与上周整周（%s）。",
	"maturity.others_whole_range":  "情绪与服务指标不等待订单：对比的是整个周期与之前同样天数（%s）。",
	"maturity.others_so_far":       "情绪与服务指标不等待订单：对比的是本周截至目前的 %s 与上周同期（%s）。",
	"maturity.others_so_far_range": "情绪与服务指标不等待订单：对比的是截至目前有数据的 %s 与上期同期（%s）。",
	"empty.nothing_computed":       "尚未计算任何指标。请先导入事件（convintel import，或从 Kafka 接入），再运行 convintel metrics run --from … --to …。",
	"empty.elsewhere":              "%s 没有数据。有数据的日期：%s 至 %s（共 %d 天）。",
	"empty.open_latest":            "打开最近有数据的周期",
	"error.title":                  "按当前筛选条件无法显示本页",
	"error.audience":               "请检查筛选条件",
	"error.retry":                  "用默认条件打开",
	"maturity.no_previous":         "未显示变化：上周（%s）没有可对比的数据。",
	"maturity.no_previous_range":   "未显示变化：之前同样天数（%s）没有可对比的数据。",
	"maturity.partial_alone":       "数字定稿至 %s（这些天的下单窗口均已结束）。%s 仍可能有订单进来：这些天标 *、单独列出。",
	"maturity.none_complete":       "暂无完整日期",
	"maturity.nothing":             "数字定稿至 %s。本期尚无任何一天走完 %[2]s 下单窗口：以下为截至目前的数字，不做对比。",
	"maturity.partial":             "数字定稿至 %s（这些天的下单窗口均已结束）。转化、漏斗和流失对比的是 %s 与上周同期（%s），均已走完 %s的下单窗口。%s 仍可能有订单进来：这些天标 *、单独列出，不参与对比。",
	"maturity.partial_range":       "数字定稿至 %s（这些天的下单窗口均已结束）。转化、漏斗和流失对比的是 %s 与上期同期（%s），均已走完 %s的下单窗口。%s 仍可能有订单进来：这些天标 *、单独列出，不参与对比。",
	"maturity.whole":               "数字定稿至 %s：本期每一天都已走完 %s的下单窗口。",
	"maturity.tail":                "仍在下单窗口内（非最终）",
	"maturity.shade":               "* 非最终：询单→下单、最终付款",
	"maturity.every_day":           "每天均为最终",
	"maturity.every_day_note":      "这两项不等待后续订单：一天的询单人数和当日付款人数在当天结束时即已确定。",
	"maturity.tail_base":           "%s 位询单买家中",
	"weekly.kpi_note":              "询单人数：有售前咨询的买家（针对已下订单的咨询，如物流、退换货，不计入）。询单→下单：首次询单后在窗口期内下单的买家占询单人数的比例，不论问过什么。询单买家付款金额：询单买家咨询后 {window}内付款的订单金额，记在咨询当天。它不是这些天的 GMV：没有售前咨询的订单不计入，几天后才付款的订单记在买家咨询的那一天。",
	"weekly.funnel_note":           "漏斗只计按顺序走完每一步的买家（先问商品、再问价格、再问物流、然后下单），跳过任何一步就不再计入后面的步骤。所以漏斗里的“下单”（%[3]s 人，%[4]s）少于上方的询单→下单（%[1]s 人，%[2]s）：两个数都对，回答的是不同的问题。",
	"weekly.small_sample":          "本期或对比期询单买家少于 %d 人：样本太小，涨跌 10–20 个百分点可能只是偶然，所以不标红绿。",
	"weekly.funnel_note_plain":     "漏斗只计按顺序走完每一步的买家；上方的询单→下单计入所有询单后下单的买家。",
	"immature_mark":                "* 非最终：这些天的买家仍在下单窗口内，询单→下单和最终付款还可能上升；询单→当日付款在当天结束时即为最终。",

	"weekly.title":                    "询单转化周报",
	"weekly.audience":                 "面向运营经理",
	"weekly.kpis":                     "询单转化",
	"weekly.by_shop":                  "分店铺、渠道转化",
	"weekly.daily":                    "每日转化",
	"weekly.funnel":                   "转化漏斗",
	"weekly.dropoff":                  "高流失节点",
	"weekly.gap_no_product":           "未涉及具体商品（全店问题）",
	"weekly.dropoff_alerts":           "这些节点的预警",
	"weekly.dropoff_alert":            "%[2]s · %[1]s：%[6]s 流失率 %[3]s，基线 %[4]s（%[5]s）。",
	"weekly.dropoff_alert_open":       "流失率飙升，%s 起未解除",
	"weekly.dropoff_alert_closed":     "流失率飙升，已于 %s 解除",
	"weekly.dropoff_alert_all_shops":  "全部店铺",
	"weekly.dropoff_alert_final_days": "、仅含数字已定稿的 %s",
	"weekly.dropoff_alert_scope":      "预警的流失率只算该店铺，只含其所在周下单窗口已结束的日期；上表为%s，所以同一节点的流失率与此不同。",
	"weekly.dropoff_alert_scope_same": "上表为%s，与预警的店铺和日期相同，所以同一节点的流失率即预警的流失率。",
	"weekly.dropoff_alert_link":       "各条预警及建议动作见",
	"weekly.dropoff_alert_link_end":   "。",
	"weekly.dropoff_note":             "按流失率排序：最后停留在该节点且未下单的咨询数 ÷ 到达该节点的咨询数。这里按咨询计，只看每次咨询自己的提问，不论先后。上方漏斗只计按顺序走完每一步的买家，且买家在下单窗口内的后续咨询里走到的步骤也算：所以同一节点在漏斗里可能更多（买家第二天又来问），也可能更少（买家跳过了某一步）。两张表回答的是不同的问题，数字本就不必相同。",
	"weekly.sentiment":                "情绪",
	"weekly.service":                  "服务",
	"weekly.gaps":                     "知识库缺口 Top",
	"weekly.gaps_note":                "机器人未能回答（兜底回复）的问题，按内容词归并，以最常见的问法命名；问题与示例均已脱敏。",
	"weekly.gaps_whole":               "统计整周 %s，%s：这些天开始的每个咨询中的问题。高频商品后注明其所属店铺。",
	"weekly.gaps_whole_range":         "统计整个周期 %s，%s：这些天开始的每个咨询中的问题。高频商品后注明其所属店铺。",
	"weekly.gaps_so_far":              "统计截至目前有数据的日期 %s，%s：这些天开始的每个咨询中的问题。高频商品后注明其所属店铺。",
	"weekly.gaps_all_shops":           "全部店铺合计",
	"weekly.gaps_one_shop":            "仅%s",
	"weekly.gaps_promo":               "其中含大促日 %s：部分问题来自大促。",
	"consulting_buyers":               "询单人数",
	"ordered_buyers":                  "下单人数",
	"order_rate":                      "询单→下单",
	"same_day_pay_rate":               "询单→当日付款",
	"final_pay_rate":                  "询单→最终付款",
	"final_paid_amount":               "询单买家付款金额（{window}内）",
	"touched":                         "到达咨询数",
	"dropped":                         "流失咨询数",
	"abandonment_rate":                "流失率",
	"node":                            "节点",
	"rank":                            "排名",
	"step":                            "步骤",
	"buyers":                          "人数",
	"from_start":                      "总转化",
	"from_previous":                   "环节转化",
	"median_time":                     "距首条咨询耗时（中位数）",
	"consultations":                   "咨询量",
	"negative_rate":                   "负面情绪占比",
	"recovery_rate":                   "负面情绪处理成功率",
	"avg_score":                       "平均情绪分",
	"base.recovery":                   "%s 次负面咨询中，买家最后一条消息不再负面或评分 4–5 星的比例",
	"base.avg_score":                  "−1（负面）到 +1（正面），按买家消息平均",
	"base.bot_consultations":          "基数：机器人接待的 %s 次咨询（共 %s 次）",
	"base.frt_human":                  "从转人工起算；没有机器人时从买家第一条消息起算",
	"containment_rate":                "机器人解决率",
	"handoff_rate":                    "转人工率",
	"frt_bot":                         "机器人首响 p50 / p90",
	"frt_human":                       "人工首响 p50 / p90",
	"csat":                            "满意度（4–5 星）",
	"avg_rating":                      "平均评分",
	"fallback_rate":                   "机器人兜底率",
	"repeated_rate":                   "重复提问率",
	"signature":                       "问题",
	"count":                           "次数",
	"examples":                        "示例",
	"top_intent":                      "主要意图",
	"top_product":                     "主要商品",
	"alerts.title":                    "预警报告",
	"alerts.audience":                 "面向商品运营",
	"alerts.summary":                  "未关闭预警 %d 条：严重 %d，警告 %d，提示 %d",
	"alerts.summary_one":              "未关闭预警 %d 条：严重 %d，警告 %d，提示 %d",
	"alerts.none_but_conduct_one":     "本周期没有经营预警；客服质检预警 %d 条，列于下方。",
	"alerts.summary_conduct_one":      "；另有客服质检预警 %d 条，列于文末",
	"alerts.none":                     "本周期没有未关闭的预警。",
	"alerts.none_but_conduct":         "本周期没有经营预警；客服质检预警 %d 条，列于下方。",
	"alerts.product":                  "商品",
	"alerts.no_product":               "全店",
	"alerts.value":                    "当前值",
	"alerts.baseline":                 "基线",
	"alerts.ratio":                    "倍数",
	"alerts.opened":                   "开始于",
	"alerts.last":                     "最近触发",
	"alerts.evidence":                 "证据（已脱敏）",
	"alerts.evidence_sep":             "；",
	"alerts.evidence_times":           "（×%d）",
	"alerts.action":                   "建议动作",
	"alerts.trend":                    "趋势",
	"alerts.subject":                  "对象",
	"alerts.closed":                   "本周期已解除的预警",
	"alerts.closed_note":              "以下预警在本周期内已停止触发，请核对处理效果是否持续。",
	"alerts.closed_on":                "解除于",
	"alerts.last_value":               "最后取值",
	"alerts.rule":                     "预警",
	"alerts.summary_closed":           "；本期已解除 %d 条",
	"alerts.summary_conduct":          "；另有客服质检预警 %d 条，列于文末",
	"alerts.conduct":                  "服务质检：客服违禁用语（智能质检）",
	"alerts.conduct_note":             "供客服主管查看：客服发出辱骂或引导站外交易的消息时，按客服和日期各生成一条。它们与店铺的买家和商品无关，因此列在这里，而不作为上方的经营预警；质检报表列出每一条违规，可据此辅导客服或申诉误判。",
	"alerts.conduct_messages":         "最近触发日条数",
	"alerts.closed_badge":             "已解除",
	"alerts.no_evidence":              "该规则监测的是比率而非消息，没有示例消息。",
	"alerts.value_of.topic_surge":     "提及量",
	"alerts.value_of.dropoff_spike":   "流失率",
	"alerts.value_on":                 "%s（%s）",
	"alerts.value_over":               "%s（%s）",
	"alerts.days_pending":             "尚未判断：%s。每天的下单窗口结束后才纳入判断，在此之前预警保持未关闭。",
	"alerts.week_pending":             "%s 尚未计入此流失率：每天的下单窗口结束后才纳入判断。",
	"alerts.value_of.negative_surge":  "负面情绪占比",
	"alerts.value_of.fallback_spike":  "机器人兜底率",
	"alerts.value_of.conversion_drop": "询单→下单",
	"unit.topic_surge":                "条/天",
	"gmv.title":                       "GMV 贡献看板",
	"gmv.audience":                    "面向管理层",
	"gmv.total":                       "总 GMV",
	"gmv.bot":                         "机器人贡献 GMV",
	"gmv.human":                       "人工客服 GMV",
	"gmv.unattributed":                "静默下单 GMV",
	"gmv.bot_share":                   "机器人占比",
	"gmv.over_time":                   "按接待方式的 GMV 走势（堆叠：最上沿为合计）",
	"gmv.share_trend":                 "机器人 GMV 占比走势",
	"gmv.by_responder":                "按接待方式的询单转化",
	"gmv.top_agents":                  "客服销售额排行",
	"gmv.agent":                       "客服",
	"gmv.orders":                      "订单数",
	"gmv.refunded":                    "退款",
	"gmv.channel_note":                "渠道 %s：订单不带渠道，本页的 GMV、机器人价值和客服销售额排行均为全部渠道合计，与不筛选时相同；只有按接待方式的询单转化按该渠道统计。",
	"gmv.share_of_human":              "占人工 GMV",
	"vs_prev_period":                  "较上期",
	"compare.no_previous":             "上一周期（%s）没有数据，无法对比。",
	"gmv.no_earlier_data":             "未显示变化：数据从 %s 开始，本期之前同样天数（%s）没有可对比的数据。所选周期之前有数据时，每张卡片会显示与之前同样天数相比的变化，例如“%s”。",
	"gmv.refund_rate":                 "退款率",
	"gmv.compare_note":                "变化为 %s 与之前同样天数（%s）对比。",
	"gmv.compare_note_week":           "变化为本周 %s 与上周（%s）对比。",
	"gmv.compare_note_week_so_far":    "变化为本周已有数据的 %s 与上周同期（%s）对比。",
	"gmv.compare_note_month":          "变化为本月 %s 与上月（%s）对比。",
	"gmv.compare_note_month_so_far":   "变化为本月已有数据的 %s 与上月同期（%s）对比。",
	"gmv.no_earlier_data_month":       "未显示变化：数据从 %s 开始，上月（%s）没有可对比的数据。所选月份之前有数据时，每张卡片会显示与上月相比的变化，例如“%s”。",
	"vs_prev_month":                   "较上月",
	"vs_prev_same_days_month":         "较上月同期",
	"gmv.warmup_note":                 "° %s：订单向前回溯 %s寻找可归因的询单，其中一部分早于最早入库的询单（%s）。更早的询单不在数据中，所以这几天的部分 GMV 显示为静默下单、机器人占比偏低；请与之后的日期比较。",
	"gmv.warmup_shade":                "° 不完整",
	"gmv.responder_pending":           "%s 的询单仍在 %s的下单窗口内：买家仍可能下单，所以这些转化率尚未定稿，还可能上升。",
	"gmv.promo_day":                   "%s（GMV %s）",
	"gmv.promo_note":                  "大促日（图中标“大促”）：%s。大促当天的流量不同于平日：走势请看其他日期；上方合计已包含大促日。",
	"gmv.promo_note_median":           "大促日（图中标“大促”）：%s，本期日 GMV 中位数为 %s。大促当天的流量不同于平日：走势请看其他日期；上方合计已包含大促日。",
	"gmv.unattributed_note":           "静默下单：买家下单前 %s内没有任何被接待的询单、自行下单的订单。退款单列、不从 GMV 中扣除；退款率 = 退款 ÷ GMV。",
	"responder":                       "接待方式",
	"node.consulted":                  "咨询",
	"node.product":                    "商品咨询",
	"node.price":                      "价格优惠",
	"node.shipping":                   "物流运费",
	"node.payment":                    "支付",
	"node.order_created":              "下单",
	"node.order_paid":                 "付款",
	"responder.bot_only":              "机器人独立接待",
	"responder.bot_to_human":          "机器人转人工",
	"responder.human_only":            "纯人工",
	"responder.unanswered":            "未回复",
	"bucket.bot":                      "机器人",
	"bucket.human":                    "人工",
	"bucket.unattributed":             "静默下单",
	"rule.topic_surge":                "话题激增",
	"rule.dropoff_spike":              "流失率飙升",
	"rule.negative_surge":             "负面情绪激增",
	"rule.fallback_spike":             "兜底率飙升",
	"rule.conversion_drop":            "转化率下降",
	"action.fallback_spike":           "为本店机器人答不上的问题补充答案，先补问得最多的（询单转化周报的「知识库缺口 Top」按问频排列这类问题，为全部店铺合计）",
	"severity.critical":               "严重",
	"severity.warning":                "警告",
	"severity.info":                   "提示",

	"intent.greeting":                "问候",
	"intent.product_info":            "商品详情",
	"intent.size_fit":                "尺码",
	"intent.stock":                   "库存",
	"intent.price_promo":             "价格优惠",
	"intent.shipping_fee":            "运费",
	"intent.delivery_time":           "发货时效",
	"intent.payment":                 "支付",
	"intent.order_status":            "订单状态",
	"intent.modify_order":            "修改订单",
	"intent.cancel_order":            "取消订单",
	"intent.return_exchange":         "退换货",
	"intent.refund":                  "退款",
	"intent.quality_complaint":       "质量投诉",
	"intent.invoice":                 "发票",
	"intent.human_request":           "要求人工",
	"intent.thanks_bye":              "致谢告别",
	"intent.other":                   "其他",
	"topic.shelf_life":               "保质期",
	"topic.size":                     "尺码",
	"topic.material":                 "材质",
	"topic.color":                    "颜色",
	"topic.ingredients":              "成分",
	"topic.origin":                   "产地",
	"topic.warranty":                 "保修",
	"topic.authenticity":             "正品",
	"topic.usage":                    "用法",
	"topic.allergy":                  "过敏",
	"topic.battery":                  "续航/电池",
	"topic.weight":                   "重量",
	"topic.compatibility":            "适配",
	"topic.packaging":                "包装",
	"topic.taste":                    "口味",
	"channel.taobao":                 "淘宝",
	"channel.tmall":                  "天猫",
	"channel.jd":                     "京东",
	"channel.pdd":                    "拼多多",
	"channel.douyin":                 "抖音",
	"channel.wechat":                 "微信",
	"channel.app":                    "App",
	"channel.web":                    "网页",
	"channel.whatsapp":               "WhatsApp",
	"alerts.digest_title":            "预警 · %s · %s：新增 %d 条",
	"alerts.dropoff_scope":           "仅%[1]s一家，统计 %[2]s：本周下单窗口已结束的日期。询单转化周报的高流失节点表为全部店铺（或所选店铺）、仅含数字已定稿的日期，所以其中%[3]s的流失率与此不同。",
	"alerts.dropoff_scope_same_days": "仅%[1]s一家，统计 %[2]s：本周下单窗口已结束的日期。询单转化周报的高流失节点表统计同样的日期、但为全部店铺，所以其中%[3]s的流失率与此不同；筛选%[1]s后即为此流失率。",
	"alerts.at_stake_short":          "影响订单额 %s",
	"alerts.at_stake_on":             "%[2]s 当天 %[1]s 的订单额受影响",
	"alerts.at_stake_over":           "%[2]s 期间 %[1]s 的订单额受影响",
	"alerts.at_stake_was_on":         "%[2]s 当天曾有 %[1]s 的订单额受影响，此后预警已解除",
	"alerts.at_stake_was_over":       "%[2]s 期间曾有 %[1]s 的订单额受影响，此后预警已解除",
	"alerts.muted":                   "已静音",
	"alerts.muted_note":              "已静音：照常显示，不再推送",
	"alerts.intraday":                "当日 %02d:00 日内预警触发",
	"alerts.direction_down":          "下降",
}

// MessageKeys lists every text key of either language (for the test that
// both languages have all of them).
func MessageKeys() []string {
	seen := map[string]bool{}
	var keys []string
	for _, m := range []map[string]string{en, zhCN} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	return keys
}

// HasMessage says whether lang has its own text for key.
func HasMessage(lang, key string) bool {
	l, err := NewLocale(lang)
	if err != nil {
		return false
	}
	_, ok := l.msgs[key]
	return ok
}
