package metrics

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	convsql "github.com/convintel/convintel/sql"
)

// derive appends the spec's fields of metric name, computed from the
// summed columns of rec, to row (which holds the dimensions).
func derive(name string, row Row, rec record) Row {
	f := func(k string, v any) { row = append(row, Field{k, v}) }
	switch name {
	case "conversion":
		cb := num(rec, "consulting_buyers")
		f("consulting_buyers", cnt(rec, "consulting_buyers"))
		f("ordered_buyers", cnt(rec, "ordered_buyers"))
		f("same_day_paid_buyers", cnt(rec, "same_day_paid_buyers"))
		f("final_paid_buyers", cnt(rec, "final_paid_buyers"))
		f("final_paid_amount", Money(cnt(rec, "final_paid_cents")))
		f("order_rate", round(ratio(num(rec, "ordered_buyers"), cb)))
		f("same_day_pay_rate", round(ratio(num(rec, "same_day_paid_buyers"), cb)))
		f("final_pay_rate", round(ratio(num(rec, "final_paid_buyers"), cb)))
	case "gmv":
		f("orders", cnt(rec, "orders"))
		f("gmv", Money(cnt(rec, "gmv_sum_cents")))
		f("refunded", Money(cnt(rec, "refunded_cents")))
		// total_gmv and bot_share are filled by finish over the group.
		f("bot_gmv", Money(cnt(rec, "bot_cents")))
		f("total_gmv", Money(cnt(rec, "gmv_sum_cents")))
		f("bot_share", round(ratio(num(rec, "bot_cents"), num(rec, "gmv_sum_cents"))))
	case "sentiment":
		neg := num(rec, "negative")
		f("consultations", cnt(rec, "consultations"))
		f("negative", cnt(rec, "negative"))
		f("negative_rate", round(ratio(neg, num(rec, "consultations"))))
		f("recovered", cnt(rec, "recovered"))
		f("recovery_rate", round(ratio(num(rec, "recovered"), neg)))
		f("avg_score", round(ratio(num(rec, "score_sum"), num(rec, "customer_msgs"))))
	case "dropoff":
		f("touched", cnt(rec, "touched"))
		f("dropped", cnt(rec, "dropped"))
		f("abandonment_rate", round(ratio(num(rec, "dropped"), num(rec, "touched"))))
	case "funnel":
		f("step_name", rec["step_name"])
		f("buyers", cnt(rec, "buyers"))
		f("conversion_from_start", 0.0)
		f("conversion_from_previous", 0.0)
		times, _ := rec["times_s"].([]uint32)
		f("median_time_to_step_s", percentile(times, 0.5))
	case "service":
		bc := num(rec, "bot_consultations")
		f("consultations", cnt(rec, "consultations"))
		f("bot_consultations", cnt(rec, "bot_consultations"))
		f("bot_only", cnt(rec, "bot_only"))
		f("handoffs", cnt(rec, "handoffs"))
		f("handoff_rate", round(ratio(num(rec, "handoffs"), bc)))
		for _, r := range handoffReasons {
			f("handoff_"+r, cnt(rec, "handoff_"+r))
		}
		f("containment_rate", round(ratio(num(rec, "bot_only"), bc)))
		bot, _ := rec["frt_bot_ms"].([]uint32)
		human, _ := rec["frt_human_ms"].([]uint32)
		f("frt_bot_p50_ms", percentile(bot, 0.5))
		f("frt_bot_p90_ms", percentile(bot, 0.9))
		f("frt_human_p50_ms", percentile(human, 0.5))
		f("frt_human_p90_ms", percentile(human, 0.9))
		f("csat", round(ratio(num(rec, "ratings_good"), num(rec, "ratings"))))
		f("avg_rating", round(ratio(num(rec, "rating_sum"), num(rec, "ratings"))))
		f("ratings", cnt(rec, "ratings"))
		f("bot_messages", cnt(rec, "bot_messages"))
		f("fallbacks", cnt(rec, "fallbacks"))
		f("fallback_rate", round(ratio(num(rec, "fallbacks"), num(rec, "bot_messages"))))
		f("repeated_question_rate", round(ratio(num(rec, "repeated"), num(rec, "consultations"))))
	case "gaps":
		f("count", cnt(rec, "count"))
		ex, _ := rec["examples"].([]string)
		// The smallest distinct ones: each stored row (a day, a shard) keeps
		// its smallest three, so this is the same whatever order
		// groupArrayArray merged the rows in.
		slices.Sort(ex)
		f("examples", firstDistinct(ex, 3))
		ints, _ := rec["intents"].([]string)
		ic, _ := rec["intent_counts"].([]uint64)
		f("top_intent", top(ints, ic))
		prods, _ := rec["products"].([]string)
		pc, _ := rec["product_counts"].([]uint64)
		f("top_product", top(prods, pc))
	case "topics":
		f("messages", cnt(rec, "messages"))
	}
	return row
}

var handoffReasons = []string{"customer_request", "repeated_question", "negative_sentiment", "low_confidence", "business_rule", "other"}

// finish fills fields that depend on other rows of the same group:
// gmv's total_gmv and bot_share over all buckets, the funnel's conversion
// from the first and previous step, and the gaps' order (most first).
func finish(name string, keys []string, rows []Row) {
	groupKey := func(r Row, skip ...string) string {
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
	switch name {
	case "gmv":
		if !slices.Contains(keys, "bucket") && !slices.Contains(keys, "agent_id") {
			return
		}
		total, bot := map[string]Money{}, map[string]Money{}
		for _, r := range rows {
			k := groupKey(r, "bucket", "agent_id")
			g, _ := r.Get("gmv")
			total[k] += g.(Money)
			b, _ := r.Get("bot_gmv")
			bot[k] += b.(Money)
		}
		for i := range rows {
			k := groupKey(rows[i], "bucket", "agent_id")
			rows[i].set("bot_gmv", bot[k])
			rows[i].set("total_gmv", total[k])
			rows[i].set("bot_share", round(ratio(float64(bot[k]), float64(total[k]))))
		}
	case "funnel":
		first, prev := map[string]int64{}, map[string]int64{}
		for i := range rows {
			k := groupKey(rows[i], "step")
			b, _ := rows[i].Get("buyers")
			n := b.(int64)
			if _, ok := first[k]; !ok {
				first[k], prev[k] = n, n
			}
			rows[i].set("conversion_from_start", round(ratio(float64(n), float64(first[k]))))
			rows[i].set("conversion_from_previous", round(ratio(float64(n), float64(prev[k]))))
			prev[k] = n
		}
	case "gaps":
		slices.SortStableFunc(rows, func(a, b Row) int {
			ca, _ := a.Get("count")
			cb, _ := b.Get("count")
			return int(cb.(int64) - ca.(int64))
		})
	}
}

func toString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case Date:
		return x.String()
	case interface{ String() string }:
		return x.String()
	}
	return fmt.Sprint(v)
}

// percentile is quantileExact: the value at position floor(level·n) of
// the sorted values; 0 when there are none.
func percentile(v []uint32, level float64) uint32 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	i := int(level * float64(len(s)))
	if i >= len(s) {
		i = len(s) - 1
	}
	return s[i]
}

func firstDistinct(v []string, n int) []string {
	out := []string{}
	for _, s := range v {
		if len(out) == n {
			break
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// top returns the key with the largest summed count (ties: smallest key).
func top(keys []string, counts []uint64) string {
	sum := map[string]uint64{}
	for i, k := range keys {
		if i < len(counts) {
			sum[k] += counts[i]
		}
	}
	best, bestN := "", uint64(0)
	for k, n := range sum {
		if n > bestN || (n == bestN && k < best) {
			best, bestN = k, n
		}
	}
	return best
}

// showAlerts returns each alert of the range once, in its latest state.
func showAlerts(ctx context.Context, conn convsql.Conn, q Query, args []any) ([]Row, error) {
	stmt, err := render("show_alerts", map[string]any{"Shop": q.Shop != ""})
	if err != nil {
		return nil, err
	}
	recs, err := queryRecords(ctx, conn, stmt, args...)
	if err != nil {
		return nil, err
	}
	mutes, err := Mutes(ctx, conn)
	if err != nil {
		return nil, err
	}
	latest := map[string]int{}
	// Money at stake over the range: a daily rule's days add up (each is
	// its day's worth); a drop-off spike's row is the week so far, so its
	// latest counts. A closed row repeats the last figures: not counted.
	period := map[string]int64{}
	var out []Row
	for _, rec := range recs {
		id := rec["alert_id"].(string)
		switch {
		case rec["status"] == "closed":
		case rec["rule"] == RuleDropoffSpike:
			period[id] = cnt(rec, "gmv_at_stake_cents")
		default:
			period[id] += cnt(rec, "gmv_at_stake_cents")
		}
		row := Row{
			{"alert_id", rec["alert_id"]}, {"rule", rec["rule"]}, {"date", dimValue(rec["date"])},
			{"shop_id", rec["shop_id"]}, {"subject", rec["subject"]}, {"product_id", rec["product_id"]},
			{"topic", rec["topic"]}, {"node", rec["node"]}, {"opened", dimValue(rec["opened"])},
			{"status", rec["status"]}, {"severity", rec["severity"]}, {"value", round(num(rec, "value"))},
			{"baseline", round(num(rec, "baseline"))}, {"ratio", round(num(rec, "ratio"))},
			{"evidence", rec["evidence"]}, {"action_zh", rec["action_zh"]}, {"action_en", rec["action_en"]},
			{"gmv_at_stake", Money(cnt(rec, "gmv_at_stake_cents"))}, {"gmv_at_stake_period", Money(period[id])},
			{"direction", rec["direction"]}, {"intraday_hour", cnt(rec, "intraday_hour")},
			{"muted", Muted(mutes, rec["rule"].(string), rec["shop_id"].(string), rec["product_id"].(string), rec["date"].(time.Time))},
		}
		if i, ok := latest[id]; ok {
			out[i] = row
			continue
		}
		latest[id] = len(out)
		out = append(out, row)
	}
	return out, nil
}
