package metrics

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// DirectionBoth is a rule setting (metrics.md §8 "Alerts v2"): alert on a
// change either way (DirectionUp and DirectionDown are in rules.go).
const DirectionBoth = "both"

// wants says whether a rule set to dir alerts on a change going way
// (DirectionUp or DirectionDown).
func wants(dir, way string) bool { return dir == DirectionBoth || dir == way }

// parsePromotionDay reads MM-DD (every year; year 0) or YYYY-MM-DD.
func parsePromotionDay(s string) (year int, md string, ok bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse("2006-1-2", s); err == nil && len(s) >= 8 {
		return t.Year(), t.Format("01-02"), true
	}
	if t, err := time.Parse("2006-1-2", "2000-"+s); err == nil && len(s) <= 5 {
		return 0, t.Format("01-02"), true
	}
	return 0, "", false
}

// IsPromotionDay says whether d (a local date) is one of the listed days
// (metrics.alerts.promotion_days); the weekly report names the same days.
func IsPromotionDay(days []string, d time.Time) bool {
	md := d.Format("01-02")
	for _, s := range days {
		y, m, ok := parsePromotionDay(s)
		if ok && m == md && (y == 0 || y == d.Year()) {
			return true
		}
	}
	return false
}

// excludedDays finds, per shop, the days that must stay out of every
// baseline: the listed promotion days and the days whose volume ratio
// (consultations over the mean of the baseline days before them, which
// themselves leave out excluded days) reaches HighVolumeRatio. vol holds
// each shop's consultations per day (2006-01-02) for days, which are in
// order; a day needs MinHistoryDays of history before its volume can
// count as high.
func excludedDays(r AlertRules, vol map[string]map[string]float64, days []time.Time) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for shop, v := range vol {
		ex := map[string]bool{}
		for i, d := range days {
			k := d.Format(time.DateOnly)
			if IsPromotionDay(r.PromotionDays, d) {
				ex[k] = true
				continue
			}
			var sum float64
			n := 0
			for j := max(0, i-r.BaselineDays); j < i; j++ {
				kj := days[j].Format(time.DateOnly)
				if v[kj] > 0 && !ex[kj] {
					sum += v[kj]
					n++
				}
			}
			if n >= r.MinHistoryDays && v[k] >= r.HighVolumeRatio*sum/float64(n) {
				ex[k] = true
			}
		}
		out[shop] = ex
	}
	return out
}

// verdict is a rule's judgement of one subject: the figures an alert
// shows, how far past its threshold it is (1 = at it; Rule.severity grades
// it) and Excess, the part of today's count beyond what the baseline
// predicts (the "extra consultations" money at stake multiplies).
type verdict struct {
	Value, Baseline, Ratio float64
	Past                   float64
	Direction              string
	Excess                 float64
}

// alert is v as an Alert to store.
func (v *verdict) alert() (*Alert, float64) {
	if v == nil {
		return nil, 0
	}
	return &Alert{Value: v.Value, Baseline: v.Baseline, Ratio: v.Ratio, Direction: v.Direction, IntradayHour: -1}, v.Past
}

// topicVerdict judges topic_surge: today's count c of the topic's
// messages about the product, of msgs customer messages about it, against
// the counts and message totals of the baseline days. Up: c ≥ min count,
// ≥ ratio × the baseline mean, robust z (median/MAD) ≥ threshold, and the
// share c/msgs ≥ share ratio × the pooled baseline share, its rise
// significant (shareZ ≥ TopicSurgeShareZ, or BusyTopicShareZ on a day busy
// for the product: a listed promotion day, or its customer messages on
// other topics so far at least BusyVolumeRatio × the baseline days'
// mean). Down mirrors it
// (the baseline mean must reach the min count).
func topicVerdict(r AlertRules, dir string, c, msgs float64, base, baseMsgs []float64, promotion bool) *verdict {
	if len(base) == 0 {
		return nil
	}
	var mean, sumMsgs float64
	for i, v := range base {
		mean += v
		sumMsgs += baseMsgs[i]
	}
	sumTopic := mean
	mean /= float64(len(base))
	med := median(base)
	dev := make([]float64, len(base))
	for i, v := range base {
		dev[i] = math.Abs(v - med)
	}
	// A MAD of 0 (a topic rarely asked) would make any count infinitely
	// unusual; one message is the smallest meaningful spread. The robust
	// z is (c − median) / scale, compared as c − median against z × scale.
	scale := ratMax(new(big.Rat).Mul(decimal(1.4826), exact(median(dev))), big.NewRat(1, 1))
	rise := new(big.Rat).Sub(exact(c), exact(med))
	robust := scale.Mul(scale, decimal(r.TopicSurgeRobustZ))
	share, baseShare := big.NewRat(1, 1), new(big.Rat)
	if msgs > 0 {
		share = ratMin(share, new(big.Rat).Quo(exact(c), exact(msgs)))
	}
	if sumMsgs > 0 {
		baseShare.Quo(exact(sumTopic), exact(sumMsgs))
	}
	// The share must also move by more than chance: today's count c
	// against the count e the baseline share predicts for today's
	// messages, on the variance-stabilised scale 2(√c − √e) (≈ N(0, 1) for
	// Poisson counts, honest in the tail at small e), shrunk by the
	// baseline days' own dispersion when counts are clumpier than Poisson.
	// On a promotion day every count test passes, so this is what keeps
	// the many small topics from firing on luck.
	var vsum float64
	for _, v := range base {
		vsum += (v - mean) * (v - mean)
	}
	disp := 1.0
	if len(base) > 1 && mean > 0 {
		disp = math.Max(1, vsum/float64(len(base)-1)/mean)
	}
	expected := 0.0
	if sumMsgs > 0 {
		expected = sumTopic / sumMsgs * msgs
	}
	shareZ := 2 * (math.Sqrt(c) - math.Sqrt(expected)) / math.Sqrt(disp)
	// On a busy day the share itself is less steady (other buyers, other
	// hours filling first), and one test per product and topic every hour
	// meets its luck: a size question share of 2.2 × at 12:00 on a × 4
	// day fired once in 20 simulated months.
	// Busy is judged by the product's other messages: a surge's own
	// buyers make a small product's day busy by themselves.
	days := float64(len(base))
	needZ := r.TopicSurgeShareZ
	if promotion || prod(msgs-c, days).Cmp(new(big.Rat).Mul(decimal(r.BusyVolumeRatio), exact(sumMsgs-sumTopic))) >= 0 {
		needZ = math.Max(needZ, r.BusyTopicShareZ)
	}
	ratio := c / math.Max(mean, 1e-9)
	min := float64(r.TopicSurgeMinCount)
	// The count, robust z and share thresholds and how far past them are
	// compared on the counts, exactly (mean × days is the baseline's sum),
	// as for the other rules: 333 messages against 300 over 9 days is
	// 9.99 × the mean, 3.33 × the threshold (critical), but 333/(300/9)/3
	// is 3.3299999999999996 in floating point.
	k := decimal(r.TopicSurgeRatio)
	now, was := prod(c, days), exact(sumTopic) // c and mean, × days
	shareK := decimal(r.TopicSurgeShareRatio)
	switch {
	case wants(dir, DirectionUp) && c >= min && now.Cmp(new(big.Rat).Mul(k, was)) >= 0 && rise.Cmp(robust) >= 0 &&
		share.Cmp(new(big.Rat).Mul(shareK, baseShare)) >= 0 && shareZ >= needZ:
		past := ratio / r.TopicSurgeRatio
		if sumTopic > 0 {
			past = ratFloat(now.Quo(now, was.Mul(was, k)))
		}
		return &verdict{Value: c, Baseline: mean, Ratio: ratio, Direction: DirectionUp, Excess: c - mean, Past: past}
	case wants(dir, DirectionDown) && was.Cmp(prod(min, days)) >= 0 && new(big.Rat).Mul(k, now).Cmp(was) <= 0 &&
		new(big.Rat).Neg(rise).Cmp(robust) >= 0 && new(big.Rat).Mul(shareK, share).Cmp(baseShare) <= 0 && -shareZ >= needZ:
		least := prod(math.Max(c, 1), days)
		return &verdict{Value: c, Baseline: mean, Ratio: ratio, Direction: DirectionDown, Excess: c - mean,
			Past: ratFloat(was.Quo(was, least.Mul(least, k)))}
	}
	return nil
}

func ratMax(a, b *big.Rat) *big.Rat {
	if a.Cmp(b) >= 0 {
		return a
	}
	return b
}

func ratMin(a, b *big.Rat) *big.Rat {
	if a.Cmp(b) <= 0 {
		return a
	}
	return b
}

// rateVerdict judges a rate rule (negative_surge, fallback_spike): today's
// num/den against the pooled baseline rate (sum of numerators over sum of
// denominators) of base, the kept baseline days. Up: rate ≥ factor ×
// baseline, at least minExtra more events than the baseline rate predicts
// for today's den, and z ≥ the day's threshold (rateZ); down: rate ≤
// baseline / factor with z ≤ −threshold; both need minDen today. The
// threshold is MinZ, or BusyMinZ on a busy day: a listed promotion day
// (promotion) or one whose den so far is at least BusyVolumeRatio × the
// baseline days' mean den.
func rateVerdict(r AlertRules, dir string, today point, base []point, factor, minDen, minExtra float64, promotion bool) *verdict {
	if today.den < minDen || today.den <= 0 {
		return nil
	}
	var n, dd float64
	for _, p := range base {
		n += p.num
		dd += p.den
	}
	if dd == 0 {
		return nil
	}
	rate, b := today.num/today.den, n/dd
	// The thresholds and how far past them are compared on the counts,
	// exactly, both rates scaled by den × dd: in floating point a rate of
	// exactly 3 × the baseline (18 of 30 against 504 of 2,520) came out
	// 2.9999999999999996 × and graded info, not warning, and 10 negative
	// chats of 147 where the baseline rate predicts 5 were
	// 4.999999999999999 extra, short of 5.
	now, was := prod(today.num, dd), prod(n, today.den) // rate and b, × den·dd
	k := decimal(factor)
	extra := new(big.Rat).Sub(now, was)
	minExtraScaled := new(big.Rat).Mul(decimal(minExtra), exact(dd))
	minZ := r.MinZ
	if promotion || prod(today.den, float64(len(base))).Cmp(new(big.Rat).Mul(decimal(r.BusyVolumeRatio), exact(dd))) >= 0 {
		minZ = math.Max(minZ, r.BusyMinZ)
	}
	z := rateZ(today.num, today.den, n, dd)
	ratio := rate / math.Max(b, 1e-9)
	excess := today.num - b*today.den
	switch {
	case wants(dir, DirectionUp) && today.num > 0 && now.Cmp(new(big.Rat).Mul(k, was)) >= 0 &&
		extra.Cmp(minExtraScaled) >= 0 && z >= minZ:
		past := ratio / factor
		if n > 0 {
			past = ratFloat(now.Quo(now, was.Mul(was, k)))
		}
		return &verdict{Value: rate, Baseline: b, Ratio: ratio, Direction: DirectionUp, Excess: excess, Past: past}
	case wants(dir, DirectionDown) && n > 0 && new(big.Rat).Mul(now, k).Cmp(was) <= 0 &&
		new(big.Rat).Neg(extra).Cmp(minExtraScaled) >= 0 && -z >= minZ:
		past := b / math.Max(rate, 1e-9) / factor
		if today.num > 0 {
			past = ratFloat(was.Quo(was, now.Mul(now, k)))
		}
		return &verdict{Value: rate, Baseline: b, Ratio: ratio, Direction: DirectionDown, Excess: excess, Past: past}
	}
	return nil
}

// rateZ is how far today's rate (num of n) lies above the baseline's
// (baseNum of baseN) on the variance-stabilised arcsine scale (Anscombe's
// asin √((x + 3/8)/(n + 3/4)), variance 1/(4n) for either side). Rate
// rules watch rare events (a few per cent of a product's consultations):
// with a handful expected, the normal approximation overstates how rare a
// few more are — 5 negative chats of 37 on a 2.9 % baseline (1.1
// expected) are z = 3.0 by twoSampleZ and 2.4 here — and an hourly
// evaluation of every product and shop meets such luck daily. The
// baseline's own uncertainty counts, as in twoSampleZ.
func rateZ(num, n, baseNum, baseN float64) float64 {
	if n <= 0 || baseN <= 0 {
		return 0
	}
	t := func(x, m float64) float64 { return math.Asin(math.Sqrt((x + 3.0/8) / (m + 3.0/4))) }
	return (t(num, n) - t(baseNum, baseN)) / math.Sqrt(1/(4*n)+1/(4*baseN))
}

// conversionVerdict judges conversion_drop: down when the order rate is at
// least the configured share below the pooled baseline, up when as much
// above it; both need the minimum consulting buyers and |z| ≥ minZ.
func conversionVerdict(r AlertRules, today point, base []point) *verdict {
	if today.den < float64(r.ConversionMinBuyers) || today.den <= 0 {
		return nil
	}
	var n, dd float64
	for _, p := range base {
		n += p.num
		dd += p.den
	}
	if dd == 0 || n == 0 {
		return nil
	}
	rate, b := today.num/today.den, n/dd
	// The relative change from the counts, exactly: rate/b − 1 rounds
	// three times, and a fall of exactly 20 % (0.4 against 0.5) came out
	// as −0.19999999999999996, short of the threshold; how far past it
	// (the severity) is rounded once, at the end, so an exact 30 % fall
	// grades warning (1.5 × the threshold), not 1.4999999999999998.
	change := new(big.Rat).Quo(new(big.Rat).Sub(prod(today.num, dd), prod(n, today.den)), prod(n, today.den))
	rel := decimal(r.ConversionDropRel)
	z := twoSampleZ(rate, today.den, b, dd)
	dir := r.ConversionDropDirection
	switch {
	case wants(dir, DirectionDown) && new(big.Rat).Neg(change).Cmp(rel) >= 0 && -z >= r.MinZ:
		return &verdict{Value: rate, Baseline: b, Ratio: rate / b, Direction: DirectionDown,
			Past: ratFloat(new(big.Rat).Quo(new(big.Rat).Neg(change), rel))}
	case wants(dir, DirectionUp) && change.Cmp(rel) >= 0 && z >= r.MinZ:
		return &verdict{Value: rate, Baseline: b, Ratio: rate / b, Direction: DirectionUp,
			Past: ratFloat(new(big.Rat).Quo(change, rel))}
	}
	return nil
}

// exact is x as the number it holds (a count, a whole number in a
// float64), with no rounding.
func exact(x float64) *big.Rat { return new(big.Rat).SetFloat64(x) }

// prod is a × b exactly.
func prod(a, b float64) *big.Rat {
	x := exact(a)
	return x.Mul(x, exact(b))
}

// decimal is a setting as the decimal it was written as (0.2 is 1/5, not
// the binary fraction nearest to it).
func decimal(x float64) *big.Rat {
	r, _ := new(big.Rat).SetString(strconv.FormatFloat(x, 'g', -1, 64))
	return r
}

func ratFloat(r *big.Rat) float64 {
	f, _ := r.Float64()
	return f
}

// dropoffVerdict judges dropoff_spike on the week so far (dropped/touched)
// against the mean weekly rate of the weeks before (one (dropped, touched)
// per week with traffic): up when the rate rose by at least the configured
// points, down when it fell by as many. The points are computed from the
// counts exactly and rounded once: (0.6 − 0.5) × 100 is
// 9.999999999999998 in floating point, and a rise of exactly 10 points
// did not fire.
func dropoffVerdict(r AlertRules, week point, weekly []point, baseTouched float64) *verdict {
	if week.den < float64(r.DropoffMinTouched) || week.den <= 0 || len(weekly) == 0 {
		return nil
	}
	mean := new(big.Rat)
	for _, w := range weekly {
		mean.Add(mean, new(big.Rat).Quo(exact(w.num), exact(w.den)))
	}
	mean.Quo(mean, big.NewRat(int64(len(weekly)), 1))
	points := new(big.Rat).Quo(exact(week.num), exact(week.den))
	points.Sub(points, mean).Mul(points, big.NewRat(100, 1))
	rate, b := week.num/week.den, ratFloat(mean)
	z := twoSampleZ(rate, week.den, b, baseTouched)
	need := decimal(r.DropoffSpikePoints)
	dir := r.DropoffSpikeDirection
	switch {
	case wants(dir, DirectionUp) && points.Cmp(need) >= 0 && z >= r.MinZ:
		return &verdict{Value: rate, Baseline: b, Ratio: rate / math.Max(b, 1e-9), Direction: DirectionUp,
			Past: ratFloat(new(big.Rat).Quo(points, need))}
	case wants(dir, DirectionDown) && new(big.Rat).Neg(points).Cmp(need) >= 0 && -z >= r.MinZ:
		return &verdict{Value: rate, Baseline: b, Ratio: rate / math.Max(b, 1e-9), Direction: DirectionDown,
			Past: ratFloat(new(big.Rat).Quo(new(big.Rat).Neg(points), need))}
	}
	return nil
}

// twoSampleZ is how many standard errors the rate observed over n trials
// lies above the baseline rate observed over nBase trials (pooled
// two-proportion test). Unlike a test against a known rate it counts the
// baseline's own uncertainty, which matters when the baseline is small:
// the early hours of the day, a shop's first weeks.
func twoSampleZ(rate, n, base, nBase float64) float64 {
	if nBase <= 0 {
		return binomialZ(rate, base, n)
	}
	p := (rate*n + base*nBase) / (n + nBase)
	p = math.Min(math.Max(p, 0.5/(n+nBase)), 1-0.5/(n+nBase))
	return (rate - base) / math.Sqrt(p*(1-p)*(1/n+1/nBase))
}

// moneyCounts are the money job's counts of one subject summed over the
// baseline days (metric_alert_money).
type moneyCounts struct{ cons, conv, flagged, flaggedConv float64 }

func (m *moneyCounts) add(o moneyCounts) {
	m.cons += o.cons
	m.conv += o.conv
	m.flagged += o.flagged
	m.flaggedConv += o.flaggedConv
}

func rate(num, den float64) float64 {
	if den <= 0 {
		return 0
	}
	return num / den
}

// moneyInputs hold what gmv_at_stake needs for one alert: the shop's
// average paid order value over the baseline (cents) and the baseline
// counts of the rule's subject (and, for topic_surge, of its product).
type moneyInputs struct {
	aovCents       float64
	subject, whole moneyCounts
}

// gmvAtStake is metrics.md §8 "Alerts v2" money at stake in cents: what
// fixing alert a is worth for the period it covers, never negative.
// today is the alert's (num, den): messages (topic), negative/consultations,
// fallbacks/bot messages, ordered/consulting buyers, dropped/touched.
func gmvAtStake(rule string, a *Alert, today point, in moneyInputs) int64 {
	var m float64
	gap := func(s moneyCounts) float64 {
		return math.Max(0, rate(s.conv-s.flaggedConv, s.cons-s.flagged)-rate(s.flaggedConv, s.flagged))
	}
	switch rule {
	case RuleConversionDrop:
		m = (a.Baseline - a.Value) * today.den * in.aovCents
	case RuleDropoffSpike:
		// the node's non-dropped consultations that converted
		m = (a.Value - a.Baseline) * today.den * rate(in.subject.conv, in.subject.cons) * in.aovCents
	case RuleNegativeSurge, RuleFallbackSpike:
		// extra negative consultations (fallbacks) beyond the baseline rate
		m = (a.Value - a.Baseline) * today.den * gap(in.subject) * in.aovCents
	case RuleTopicSurge:
		// with the issue: the product's consultations that asked the
		// topic; without: the product's other consultations
		with := rate(in.subject.conv, in.subject.cons)
		without := rate(in.whole.conv-in.subject.conv, in.whole.cons-in.subject.cons)
		m = (a.Value - a.Baseline) * math.Max(0, without-with) * in.aovCents
	}
	if m <= 0 || math.IsNaN(m) || math.IsInf(m, 0) {
		return 0
	}
	return int64(math.Round(m))
}
