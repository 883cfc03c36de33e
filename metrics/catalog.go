package metrics

import (
	"slices"
	"strings"
)

// The metrics of metrics.md §1–§8. Each descriptor names its result
// table (sql/migrations/0002_metric_results.sql), its job
// (sql/metrics/<name>.sql) and its roll-up (sql/metrics/show_<name>.sql).
func init() {
	Register(Metric{
		Name: "conversion", Section: 1, Table: "metric_conversion",
		Grain: []string{"date", "shop_id", "channel", "responder"},
		Job:   "conversion", ShowSQL: "show_conversion",
		Dimensions: []string{"date", "week", "shop_id", "channel", "responder"},
		Derive:     deriveConversion,
	})
	Register(Metric{
		Name: "gmv", Section: 2, Table: "metric_gmv",
		Grain: []string{"date", "shop_id", "bucket", "agent_id"},
		Job:   "gmv", ShowSQL: "show_gmv",
		Dimensions: []string{"date", "week", "shop_id", "bucket", "agent_id"},
		Derive:     deriveGMV, Finish: finishGMV,
	})
	Register(Metric{
		Name: "sentiment", Section: 3, Table: "metric_sentiment",
		Grain: []string{"date", "shop_id", "channel", "responder"},
		Job:   "sentiment", ShowSQL: "show_sentiment",
		Dimensions: []string{"date", "week", "shop_id", "channel", "responder"},
		Derive:     deriveSentiment,
	})
	Register(Metric{
		Name: "dropoff", Section: 4, Table: "metric_dropoff",
		Grain: []string{"date", "shop_id", "level", "node", "intent", "product_id"},
		Job:   "dropoff", ShowSQL: "show_dropoff",
		Levels: []Level{
			{Name: "node", Dimensions: []string{"date", "week", "shop_id", "node"}, Keep: []string{"node"}},
			{Name: "intent", Dimensions: []string{"date", "week", "shop_id", "node", "intent"}, Keep: []string{"node", "intent"}},
			{Name: "product", Dimensions: []string{"date", "week", "shop_id", "node", "product_id"}, Keep: []string{"product_id", "node"}},
		},
		Derive: func(r Record) Row {
			return Row{
				{"touched", r.Count("touched")},
				{"dropped", r.Count("dropped")},
				{"abandonment_rate", r.Ratio("dropped", "touched")},
			}
		},
	})
	Register(Metric{
		Name: "funnel", Section: 5, Table: "metric_funnel",
		Grain: []string{"date", "shop_id", "step"},
		Job:   "funnel", ShowSQL: "show_funnel",
		Dimensions: []string{"date", "week", "shop_id", "step"}, Keep: []string{"step"},
		Derive: func(r Record) Row {
			return Row{
				{"step_name", r["step_name"]},
				{"buyers", r.Count("buyers")},
				// filled by finishFunnel from the steps before
				{"conversion_from_start", nil},
				{"conversion_from_previous", nil},
				{"median_time_to_step_s", medianSeconds(r.Uint32s("times_ms"))},
			}
		},
		Finish: finishFunnel,
	})
	Register(Metric{
		Name: "service", Section: 6, Table: "metric_service",
		Grain: []string{"date", "shop_id", "channel"},
		Job:   "service", ShowSQL: "show_service",
		Dimensions: []string{"date", "week", "shop_id", "channel"},
		Derive:     deriveService,
	})
	Register(Metric{
		Name: "gaps", Section: 7, Table: "metric_gaps",
		Grain: []string{"date", "shop_id", "signature"},
		Job:   "gaps", ShowSQL: "show_gaps",
		Dimensions: []string{"date", "week", "shop_id", "signature"}, Keep: []string{"signature"},
		Derive: deriveGaps,
		Finish: func(_ []string, rows []Row) { // most asked first
			slices.SortStableFunc(rows, func(a, b Row) int {
				ca, _ := a.Get("count")
				cb, _ := b.Get("count")
				return int(cb.(int64) - ca.(int64))
			})
		},
	})
	// gap_questions counts each masked question of a gap (§7), so a gap
	// is labelled with its most asked wording rather than its signature.
	Register(Metric{
		Name: "gap_questions", Section: 7, Table: "metric_gap_questions",
		Grain: []string{"date", "shop_id", "signature", "question"},
		Job:   "gap_questions", ShowSQL: "show_gap_questions",
		Dimensions: []string{"date", "week", "shop_id", "signature", "question"}, Keep: []string{"signature", "question"},
		Derive: func(r Record) Row { return Row{{"count", r.Count("count")}} },
	})
	// topics is the series topic_surge watches (§8): customer messages per
	// product and topic.
	Register(Metric{
		Name: "topics", Section: 7, Table: "metric_topics",
		Grain: []string{"date", "shop_id", "product_id", "topic"},
		Job:   "topics", ShowSQL: "show_topics",
		Dimensions: []string{"date", "week", "shop_id", "product_id", "topic"},
		Derive:     func(r Record) Row { return Row{{"messages", r.Count("messages")}} },
	})
	Register(Metric{
		Name: "alerts", Section: 8, Table: "metric_alerts",
		Grain: []string{"date", "alert_id"},
		Show:  showAlerts,
	})
}

func deriveConversion(r Record) Row {
	return Row{
		{"consulting_buyers", r.Count("consulting_buyers")},
		{"ordered_buyers", r.Count("ordered_buyers")},
		{"same_day_paid_buyers", r.Count("same_day_paid_buyers")},
		{"final_paid_buyers", r.Count("final_paid_buyers")},
		{"final_paid_amount", r.Money("final_paid_cents")},
		{"order_rate", r.Ratio("ordered_buyers", "consulting_buyers")},
		{"same_day_pay_rate", r.Ratio("same_day_paid_buyers", "consulting_buyers")},
		{"final_pay_rate", r.Ratio("final_paid_buyers", "consulting_buyers")},
	}
}

// gmvWide are the per-bucket fields every gmv roll-up row carries, so a
// roll-up keeps every bucket side by side (metrics.md §2).
var gmvWide = []string{"bot_orders", "bot_gmv", "human_orders", "human_gmv", "unattributed_orders", "unattributed_gmv"}

func deriveGMV(r Record) Row {
	return Row{
		{"orders", r.Count("orders_sum")},
		{"gmv", r.Money("gmv_sum_cents")},
		{"refunded", r.Money("refunded_cents")},
		// over the row's own bucket and agent; finishGMV widens them to
		// the group when rows are split by bucket or agent
		{"bot_orders", r.Count("bot_orders")},
		{"bot_gmv", r.Money("bot_cents")},
		{"human_orders", r.Count("human_orders")},
		{"human_gmv", r.Money("human_cents")},
		{"unattributed_orders", r.Count("unattributed_orders")},
		{"unattributed_gmv", r.Money("unattributed_cents")},
		{"total_gmv", r.Money("gmv_sum_cents")},
		{"bot_share", r.Ratio("bot_cents", "gmv_sum_cents")},
	}
}

// finishGMV fills the per-bucket fields, total_gmv and bot_share over all
// buckets (and agents) of each group when the rows are split by bucket or
// agent.
func finishGMV(keys []string, rows []Row) {
	if !slices.Contains(keys, "bucket") && !slices.Contains(keys, "agent_id") {
		return
	}
	sums := map[string]map[string]int64{}
	add := func(k, field string, v any) {
		if sums[k] == nil {
			sums[k] = map[string]int64{}
		}
		switch x := v.(type) {
		case Money:
			sums[k][field] += int64(x)
		case int64:
			sums[k][field] += x
		}
	}
	for _, r := range rows {
		k := groupKey(keys, r, "bucket", "agent_id")
		for _, f := range append([]string{"gmv"}, gmvWide...) {
			v, _ := r.Get(f)
			add(k, f, v)
		}
	}
	for i := range rows {
		g := sums[groupKey(keys, rows[i], "bucket", "agent_id")]
		for _, f := range gmvWide {
			if strings.HasSuffix(f, "_gmv") {
				rows[i].set(f, Money(g[f]))
			} else {
				rows[i].set(f, g[f])
			}
		}
		rows[i].set("total_gmv", Money(g["gmv"]))
		rows[i].set("bot_share", rateOf(float64(g["bot_gmv"]), float64(g["gmv"])))
	}
}

func deriveSentiment(r Record) Row {
	return Row{
		{"consultations", r.Count("consultations")},
		{"negative", r.Count("negative")},
		{"negative_rate", r.Ratio("negative", "consultations")},
		{"recovered", r.Count("recovered")},
		{"recovery_rate", r.Ratio("recovered", "negative")},
		{"avg_score", r.Ratio("score_sum", "customer_msgs")},
	}
}

// finishFunnel fills each step's conversion from the first and from the
// previous step of its group (rows come ordered by step within a group).
func finishFunnel(keys []string, rows []Row) {
	first, prev := map[string]int64{}, map[string]int64{}
	for i := range rows {
		k := groupKey(keys, rows[i], "step")
		b, _ := rows[i].Get("buyers")
		n := b.(int64)
		if _, ok := first[k]; !ok {
			first[k], prev[k] = n, n
		}
		rows[i].set("conversion_from_start", rateOf(float64(n), float64(first[k])))
		rows[i].set("conversion_from_previous", rateOf(float64(n), float64(prev[k])))
		prev[k] = n
	}
}

var handoffReasons = []string{"customer_request", "repeated_question", "negative_sentiment", "low_confidence", "business_rule", "other"}

func deriveService(r Record) Row {
	row := Row{
		{"consultations", r.Count("consultations")},
		{"bot_consultations", r.Count("bot_consultations")},
		{"bot_only", r.Count("bot_only")},
		{"handoffs", r.Count("handoffs")},
		{"handoff_rate", r.Ratio("handoffs", "bot_consultations")},
	}
	for _, reason := range handoffReasons {
		row = append(row, Field{"handoff_" + reason, r.Count("handoff_" + reason)})
	}
	bot, human := r.Uint32s("frt_bot_ms"), r.Uint32s("frt_human_ms")
	return append(row, Row{
		{"containment_rate", r.Ratio("bot_only", "bot_consultations")},
		{"frt_bot_p50_ms", percentile(bot, 0.5)},
		{"frt_bot_p90_ms", percentile(bot, 0.9)},
		{"frt_human_p50_ms", percentile(human, 0.5)},
		{"frt_human_p90_ms", percentile(human, 0.9)},
		{"csat", r.Ratio("ratings_good", "ratings")},
		{"avg_rating", r.Ratio("rating_sum", "ratings")},
		{"ratings", r.Count("ratings")},
		{"bot_messages", r.Count("bot_messages")},
		{"fallbacks", r.Count("fallbacks")},
		{"fallback_rate", r.Ratio("fallbacks", "bot_messages")},
		{"repeated_question_rate", r.Ratio("repeated", "consultations")},
	}...)
}

func deriveGaps(r Record) Row {
	// The smallest distinct examples: each stored row (a day, a shard)
	// keeps its smallest three, so this is the same whatever order
	// groupArrayArray merged the rows in.
	ex := r.Strings("examples")
	slices.Sort(ex)
	return Row{
		{"count", r.Count("count")},
		{"examples", firstDistinct(ex, 3)},
		{"top_intent", top(r.Strings("intents"), r.Uint64s("intent_counts"))},
		{"top_product", top(r.Strings("products"), r.Uint64s("product_counts"))},
	}
}

// groupKey identifies the group of row r: its values of keys but skip.
func groupKey(keys []string, r Row, skip ...string) string {
	var b strings.Builder
	for _, k := range keys {
		if slices.Contains(skip, k) {
			continue
		}
		v, _ := r.Get(k)
		b.WriteString(toString(v))
		b.WriteByte(0)
	}
	return b.String()
}
