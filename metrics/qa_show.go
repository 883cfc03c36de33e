package metrics

import (
	"context"
	"math"

	"github.com/convintel/convintel/warehouse"
)

// The §9 and §10 descriptors, and the violation list (one row per stored
// violation with its dispute status).
func init() {
	Register(Metric{
		Name: "qa", Section: 9, Table: "metric_qa", Grain: []string{"date", "shop_id", "responder"},
		Job: qaJob.name, ShowSQL: "show_qa",
		Dimensions: []string{"date", "week", "shop_id", "responder"},
		// Summing over responders would count a consultation once per
		// responder in it.
		Keep:   []string{"responder"},
		Derive: deriveQA,
	})
	Register(Metric{
		Name: "violations", Section: 9, Show: showViolations,
	})
	Register(Metric{
		Name: "agents", Section: 10, Table: "metric_agents", Grain: []string{"date", "shop_id", "agent_id"},
		Job: "agents", ShowSQL: "show_agents",
		Dimensions: []string{"date", "week", "shop_id", "agent_id"},
		Keep:       []string{"agent_id"},
		Derive:     deriveAgents,
	})
}

// deriveQA is §9's fields from the summed columns.
func deriveQA(r Record) Row {
	row := Row{{"consultations", r.Count("consultations")}, {"messages_inspected", r.Count("messages_inspected")},
		{"violations", r.Count("violations")}}
	for _, k := range QARules {
		row = append(row, Field{k, r.Count(k)})
	}
	for _, k := range PhraseCategories {
		row = append(row, Field{k, r.Count(k)})
	}
	// the phrases platforms penalise the shop for (what qa_violation
	// alerts count): off-platform diversion and rudeness
	row = append(row, Field{"penalised_phrases", r.Count("diversion") + r.Count("rude")})
	return append(row, Field{"violation_rate", r.Ratio("violating_consultations", "consultations")},
		Field{"avg_qa_score", r.Ratio("qa_score_sum", "consultations")})
}

// deriveAgents is §10's fields from the summed columns.
func deriveAgents(r Record) Row {
	orders := r.Count("sales_orders")
	var aov any // no average of no orders (rateOf)
	if orders > 0 {
		aov = Money(math.Round(r.Float("sales_cents") / float64(orders)))
	}
	replies := r.Uint32s("reply_ms")
	var sum float64
	for _, v := range replies {
		sum += float64(v)
	}
	return Row{
		{"served_buyers", r.Count("served_buyers")}, {"consulting_buyers", r.Count("consulting_buyers")},
		{"ordered_buyers", r.Count("ordered_buyers")}, {"final_paid_buyers", r.Count("final_paid_buyers")},
		{"final_paid_amount", r.Money("final_paid_cents")},
		{"order_rate", r.Ratio("ordered_buyers", "consulting_buyers")}, {"final_pay_rate", r.Ratio("final_paid_buyers", "consulting_buyers")},
		{"sales_orders", orders}, {"sales_gmv", r.Money("sales_cents")}, {"avg_order_value", aov},
		{"replies", int64(len(replies))}, {"avg_reply_s", avgSeconds(sum, len(replies))},
		{"reply_p90_s", percentileSeconds(replies, 0.9)},
		{"reply_within_sla_rate", rateOf(r.Float("replies_within_sla"), float64(len(replies)))},
		{"first_response_p50_ms", percentile(r.Uint32s("first_response_ms"), 0.5)},
		{"ratings", r.Count("ratings")}, {"csat", r.Ratio("ratings_good", "ratings")},
		{"avg_qa_score", r.Ratio("qa_score_sum", "qa_consultations")}, {"violations", r.Count("violations")},
	}
}

// showViolations lists the stored violations of the range (§9), each with
// its dispute status (申诉: "", disputed or accepted).
func showViolations(ctx context.Context, conn warehouse.Conn, q Query) ([]Row, error) {
	args := []any{q.From.Format("2006-01-02"), q.To.Format("2006-01-02")}
	if q.Shop != "" {
		args = append(args, q.Shop)
	}
	stmt, err := render("show_violations", map[string]any{"Shop": q.Shop != ""})
	if err != nil {
		return nil, err
	}
	recs, err := queryRecords(ctx, conn, stmt, args...)
	if err != nil {
		return nil, err
	}
	out := make([]Row, 0, len(recs))
	for _, rec := range recs {
		out = append(out, Row{
			{"date", dimValue(rec["date"])}, {"shop_id", rec["shop_id"]}, {"conversation_id", rec["conversation_id"]},
			{"event_id", rec["event_id"]}, {"ts_ms", rec["ts_ms"]}, {"responder", rec["responder"]}, {"rule", rec["rule"]},
			{"category", rec["category"]}, {"detail", rec["detail"]}, {"intent", rec["intent"]}, {"phrase", rec["phrase"]}, {"delay_ms", rec["delay_ms"]},
			{"weight", rec.Count("weight")}, {"evidence", rec["evidence"]}, {"violation_id", rec["violation_id"]},
			{"dispute", rec["dispute"]},
		})
	}
	return out, nil
}

// avgSeconds is the mean of n durations summing to ms milliseconds, in
// seconds, or nil for none (rateOf).
func avgSeconds(ms float64, n int) any {
	if n == 0 {
		return nil
	}
	return round(ms / float64(n) / 1000)
}
