package metrics

import (
	"context"
	"math"

	convsql "github.com/convintel/convintel/sql"
)

// deriveQA appends the §9 (qa) or §10 (agents) fields computed from the
// summed columns of rec.
func deriveQA(name string, row Row, rec record) Row {
	f := func(k string, v any) { row = append(row, Field{k, v}) }
	if name == "qa" {
		cons := num(rec, "consultations")
		f("consultations", cnt(rec, "consultations"))
		f("messages_inspected", cnt(rec, "messages_inspected"))
		f("violations", cnt(rec, "violations"))
		for _, r := range QARules {
			f(r, cnt(rec, r))
		}
		for _, c := range PhraseCategories {
			f(c, cnt(rec, c))
		}
		f("violation_rate", round(ratio(num(rec, "violating_consultations"), cons)))
		f("avg_qa_score", round(ratio(num(rec, "qa_score_sum"), cons)))
		return row
	}
	cb := num(rec, "consulting_buyers")
	f("served_buyers", cnt(rec, "served_buyers"))
	f("consulting_buyers", cnt(rec, "consulting_buyers"))
	f("ordered_buyers", cnt(rec, "ordered_buyers"))
	f("final_paid_buyers", cnt(rec, "final_paid_buyers"))
	f("final_paid_amount", Money(cnt(rec, "final_paid_cents")))
	f("order_rate", round(ratio(num(rec, "ordered_buyers"), cb)))
	f("final_pay_rate", round(ratio(num(rec, "final_paid_buyers"), cb)))
	orders := cnt(rec, "sales_orders")
	f("sales_orders", orders)
	f("sales_gmv", Money(cnt(rec, "sales_cents")))
	aov := Money(0)
	if orders > 0 {
		aov = Money(math.Round(num(rec, "sales_cents") / float64(orders)))
	}
	f("avg_order_value", aov)
	replies, _ := rec["reply_ms"].([]uint32)
	var sum float64
	for _, v := range replies {
		sum += float64(v)
	}
	f("replies", int64(len(replies)))
	f("avg_reply_s", round(ratio(sum, float64(len(replies)))/1000))
	f("reply_p90_s", round(float64(percentile(replies, 0.9))/1000))
	f("reply_within_sla_rate", round(ratio(num(rec, "replies_within_sla"), float64(len(replies)))))
	first, _ := rec["first_response_ms"].([]uint32)
	f("first_response_p50_ms", percentile(first, 0.5))
	f("ratings", cnt(rec, "ratings"))
	f("csat", round(ratio(num(rec, "ratings_good"), num(rec, "ratings"))))
	f("avg_qa_score", round(ratio(num(rec, "qa_score_sum"), num(rec, "qa_consultations"))))
	f("violations", cnt(rec, "violations"))
	return row
}

// showViolations lists the stored violations of the range (§9), each with
// its dispute status (申诉: "", disputed or accepted).
func showViolations(ctx context.Context, conn convsql.Conn, q Query, args []any) ([]Row, error) {
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
			{"category", rec["category"]}, {"detail", rec["detail"]}, {"phrase", rec["phrase"]}, {"delay_ms", rec["delay_ms"]},
			{"weight", cnt(rec, "weight")}, {"evidence", rec["evidence"]}, {"violation_id", rec["violation_id"]},
			{"dispute", rec["dispute"]},
		})
	}
	return out, nil
}
