package metrics

import (
	"slices"
	"strconv"
	"strings"
)

// The roll-ups of §11–§14: fields derived from the summed columns of
// show_experiments.sql, show_hourly.sql, show_retention.sql and
// show_roi.sql. A growthRec is one such row by column name.
type growthRec map[string]any

func (r growthRec) f(k string) float64 {
	switch v := r[k].(type) {
	case uint64:
		return float64(v)
	case int64:
		return float64(v)
	case uint32:
		return float64(v)
	case int32:
		return float64(v)
	case uint8:
		return float64(v)
	case float64:
		return v
	case float32:
		return float64(v)
	}
	return 0
}

func (r growthRec) n(k string) int64       { return int64(r.f(k)) }
func (r growthRec) money(k string) Money   { return Money(r.n(k)) }
func (r growthRec) rate(a, b string) any   { return rateOf(r.f(a), r.f(b)) }
func (r growthRec) str(k string) string    { s, _ := r[k].(string); return s }
func (r growthRec) strs(k string) []string { s, _ := r[k].([]string); return s }
func (r growthRec) date(k string) any      { return dimValue(r[k]) }

var responderClasses = []string{"bot_only", "bot_to_human", "human_only", "unanswered"}

// deriveExperiments: §11 per arm. The fields that compare arms (control,
// lift, p_value, significant, srm, verdict) are placeholders filled by
// finishExperiments over the arms of each experiment.
func deriveExperiments(r growthRec) Row {
	buyers, ordered := r.n("buyers"), r.n("ordered_buyers")
	// no interval without buyers, as no rate (rateOf)
	var lo, hi any
	if buyers > 0 {
		l, h := Wilson(ordered, buyers)
		lo, hi = round(l), round(h)
	}
	return Row{
		{"buyers", buyers},
		{"ordered_buyers", ordered},
		{"paid_buyers", r.n("paid_buyers")},
		{"paid_amount", r.money("paid_cents")},
		{"order_rate", r.rate("ordered_buyers", "buyers")},
		{"order_rate_low", lo},
		{"order_rate_high", hi},
		{"containment_rate", r.rate("bot_only", "bot_consultations")},
		{"handoff_rate", r.rate("handoffs", "bot_consultations")},
		{"csat", r.rate("ratings_good", "ratings")},
		{"consultations", r.n("consultations")},
		{"crossovers", r.n("crossovers")},
		{"first_exposure", r.date("first_exposure")},
		{"last_exposure", r.date("last_exposure")},
		{"control", false},
		{"lift", nil}, // 0 on the control; none when the control ordered nothing
		{"p_value", nil},
		{"significant", false},
		{"srm", false},
		{"srm_p_value", nil},
		// the arm's share of buyers under experiments.split, which the srm
		// test holds the buyers against: a page saying "broken split"
		// names the split it was planned to have
		{"planned_share", nil},
		{"planned_buyers", int64(0)},
		{"sample_reached", false},
		{"verdict", ""},
		{"winner", ""},
		// carried for finishExperiments, removed there
		{"_control", r.str("control")},
		{"_split", r.strs("split")},
	}
}

// Verdicts of an experiment (the same on each of its arms).
const (
	VerdictBrokenSplit = "broken_split"      // srm: the assignment is broken, no winner shown
	VerdictWinner      = "winner"            // an arm beats the control significantly
	VerdictControl     = "control_wins"      // every significant arm is worse than the control
	VerdictNoDiff      = "no_difference_yet" // nothing significant (yet)
)

// finishExperiments compares each experiment's arms with its control:
// the arms of a group are the rows whose keys other than variant agree.
func finishExperiments(keys []string, rows []Row) {
	groups := map[string][]int{}
	var order []string
	for i, r := range rows {
		var b strings.Builder
		for _, k := range keys {
			if k == "variant" {
				continue
			}
			v, _ := r.Get(k)
			b.WriteString(toString(v))
			b.WriteByte(0)
		}
		k := b.String()
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], i)
	}
	get := func(i int, k string) int64 { v, _ := rows[i].Get(k); n, _ := v.(int64); return n }
	for _, k := range order {
		arms := groups[k]
		ctrlName, _ := rows[arms[0]].Get("_control")
		ctrl := -1
		for _, i := range arms {
			if v, _ := rows[i].Get("variant"); v == ctrlName {
				ctrl = i
			}
		}
		if ctrl < 0 { // the first variant by name
			ctrl = arms[0]
			for _, i := range arms {
				a, _ := rows[i].Get("variant")
				c, _ := rows[ctrl].Get("variant")
				if toString(a) < toString(c) {
					ctrl = i
				}
			}
		}
		// sample-ratio mismatch over all arms against the planned split
		split, _ := rows[arms[0]].Get("_split")
		weights := splitWeights(split.([]string))
		obs := make([]int64, len(arms))
		ws := make([]float64, len(arms))
		for j, i := range arms {
			obs[j] = get(i, "buyers")
			v, _ := rows[i].Get("variant")
			ws[j] = weights(toString(v))
		}
		wsum := 0.0
		for _, w := range ws {
			wsum += w
		}
		for j, i := range arms {
			rows[i].set("planned_share", round(ws[j]/wsum))
		}
		var srm bool
		var srmP any
		if _, _, p, ok := ChiSquareGOF(obs, ws); ok {
			srm, srmP = p < srmLevel, round(p)
		}
		cb, co := get(ctrl, "buyers"), get(ctrl, "ordered_buyers")
		cRate := ratio(float64(co), float64(cb))
		planned := PlannedBuyersPerArm(cRate)
		reached := planned > 0
		for _, i := range arms {
			reached = reached && get(i, "buyers") >= planned
		}
		verdict, winner, best := VerdictNoDiff, "", 0.0
		anyWorse := false
		for _, i := range arms {
			r := &rows[i]
			r.set("srm", srm)
			r.set("srm_p_value", srmP)
			r.set("planned_buyers", planned)
			r.set("sample_reached", reached)
			if i == ctrl {
				r.set("control", true)
				r.set("lift", 0.0)
				continue
			}
			b, o := get(i, "buyers"), get(i, "ordered_buyers")
			if cRate > 0 {
				r.set("lift", round(ratio(float64(o), float64(b))/cRate-1))
			}
			z, p, ok := TwoProportionZ(co, cb, o, b)
			if !ok {
				continue
			}
			r.set("p_value", round(p))
			sig := p < significanceLevel && armLargeEnough(cb, co) && armLargeEnough(b, o) && !srm
			r.set("significant", sig)
			if sig && z > 0 && z > best {
				v, _ := r.Get("variant")
				winner, best = toString(v), z
			}
			anyWorse = anyWorse || (sig && z < 0)
		}
		switch {
		case srm:
			verdict = VerdictBrokenSplit
		case winner != "":
			verdict = VerdictWinner
		case anyWorse:
			verdict = VerdictControl
		}
		for _, i := range arms {
			rows[i].set("verdict", verdict)
			rows[i].set("winner", winner)
			rows[i] = slices.DeleteFunc(rows[i], func(f Field) bool { return strings.HasPrefix(f.Key, "_") })
		}
	}
}

// splitWeights returns the planned weight of a variant: its entry of
// experiments.split, the mean of the listed weights when it is not
// listed, 1 when nothing is (equal split).
func splitWeights(entries []string) func(string) float64 {
	w := map[string]float64{}
	sum := 0.0
	for _, e := range entries {
		name, val, _ := strings.Cut(e, "=")
		f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err == nil && f > 0 {
			w[strings.TrimSpace(name)] = f
			sum += f
		}
	}
	mean := 1.0
	if len(w) > 0 {
		mean = sum / float64(len(w))
	}
	return func(v string) float64 {
		if f, ok := w[v]; ok {
			return f
		}
		return mean
	}
}

// deriveHourly: §12 per group of hours.
func deriveHourly(r growthRec) Row {
	row := Row{
		{"consultations", r.n("h_bot_only") + r.n("h_bot_to_human") + r.n("h_human_only") + r.n("h_unanswered")},
		{"bot_only", r.n("h_bot_only")},
		{"bot_to_human", r.n("h_bot_to_human")},
		{"human_only", r.n("h_human_only")},
		{"unanswered", r.n("h_unanswered")},
		{"consulting_buyers", r.n("h_consulting_buyers")},
		{"ordered_buyers", r.n("h_ordered_buyers")},
		{"order_rate", r.rate("h_ordered_buyers", "h_consulting_buyers")},
		{"paid_orders", r.n("h_paid_orders")},
		{"paid_amount", r.money("h_paid_cents")},
		{"night_paid_orders", r.n("h_night_paid_orders")},
		{"night_paid_amount", r.money("h_night_paid_cents")},
		{"night_order_share", r.rate("h_night_paid_orders", "h_paid_orders")},
	}
	for _, c := range responderClasses {
		row = append(row, Field{"night_order_rate_" + c, r.rate("h_night_ordered_"+c, "h_night_consulting_"+c)})
	}
	return append(row, Field{"coverage_gaps", r.n("h_coverage_gaps")})
}

// deriveRetention: §13 per group of paid days.
func deriveRetention(r growthRec) Row {
	return Row{
		{"paid_orders", r.n("paid_orders")},
		{"paid_gmv", r.money("paid_cents")},
		{"repurchase_orders", r.n("repurchase_orders")},
		{"repurchase_gmv", r.money("repurchase_cents")},
		{"repurchase_share", r.rate("repurchase_cents", "paid_cents")},
		{"bot_guided_repurchase_orders", r.n("bot_guided_repurchase_orders")},
		{"bot_guided_repurchase_gmv", r.money("bot_guided_repurchase_cents")},
		{"bot_guided_repurchase_share", r.rate("bot_guided_repurchase_cents", "paid_cents")},
		{"reactivated_buyers", r.n("reactivated_buyers")},
		{"bot_reactivated_buyers", r.n("bot_reactivated_buyers")},
	}
}

// deriveROI: §14 per group of (date, shop) rows. A row without any
// handling time (basis none) has no value: null. For one (date, shop)
// row human_handle_s is the stored handling time; over several it is the
// one the hours imply (hours × 3600 / bot-only consultations).
func deriveROI(r growthRec) Row {
	valued := r.n("valued_rows") > 0
	var handle, hours, cost, fte, fteAvg any
	if valued {
		h := r.f("hours_saved")
		if vb := r.f("valued_bot_only"); vb > 0 {
			handle = round(h * 3600 / vb)
		} else {
			handle = round(r.f("handle_sum") / r.f("valued_rows"))
		}
		hours, cost, fte = round(h), Money(int64(r.f("cost_saved_cents")+0.5)), round(r.f("fte_days"))
		if d := r.f("days"); d > 0 {
			fteAvg = round(r.f("fte_days") / d)
		}
	}
	basis := "mixed"
	switch {
	case r.n("rows") == 1:
		basis = r.str("any_basis")
	case !valued:
		basis = "none"
	case r.n("fallback_rows") == 0 && r.n("valued_rows") == r.n("rows"):
		basis = "day"
	}
	return Row{
		{"bot_only_consultations", r.n("r_bot_only_consultations")},
		{"human_only_consultations", r.n("r_human_only_consultations")},
		{"human_handle_s", handle},
		{"hours_saved", hours},
		{"cost_saved", cost},
		{"agent_fte_saved", fte},
		{"agent_fte_avg", fteAvg},
		{"basis", basis},
		{"fallback_rows", r.n("fallback_rows")},
		{"wrap_up_s", round(r.f("r_wrap_up_s"))},
		{"hourly_cost", Money(r.n("r_hourly_cost_cents"))},
		{"hours_per_day", round(r.f("r_hours_per_day"))},
	}
}
