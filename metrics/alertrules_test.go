package metrics

import (
	"strings"
	"testing"
)

// TestRateVerdict: the rate rules' test (negative_surge, fallback_spike)
// against the pooled baseline — small counts judged on the arcsine scale,
// the floor on extra events, and the stricter threshold of a busy day.
func TestRateVerdict(t *testing.T) {
	r := DefaultSettings().Alerts
	// 28 baseline days of 40 consultations, 4 % negative.
	days := func(num, den float64) []point {
		out := make([]point, 28)
		for i := range out {
			out[i] = point{num, den}
		}
		return out
	}
	base := days(1.6, 40)
	cases := []struct {
		name      string
		r         func(*AlertRules)
		today     point
		base      []point
		minExtra  float64
		promotion bool
		fires     bool
	}{
		// 5 of 37 on a 2.9 % baseline (1.1 expected): twoSampleZ says 3.0,
		// the arcsine scale 2.4 — luck an hourly run meets daily.
		{name: "a few more than expected", today: point{5, 37}, base: []point{{8, 275}}, fires: false},
		{name: "planted complaints", today: point{15, 50}, base: days(3.6, 71.5), minExtra: 5, fires: true},
		// 12 of 60 on 5 %: 9 more than expected.
		{name: "above the extra floor", today: point{12, 60}, base: days(2, 40), minExtra: 5, fires: true},
		{name: "below the extra floor", today: point{12, 60}, base: days(2, 40), minExtra: 10, fires: false},
		// × 5 the consultations, 11 % negative against 4 %: z 3.6.
		{name: "ordinary day threshold", r: func(r *AlertRules) { r.BusyVolumeRatio = 10 }, today: point{22, 200}, base: base, fires: true},
		{name: "busy day needs busy_min_z", today: point{22, 200}, base: base, fires: false},
		{name: "busy day, strong surge", today: point{60, 200}, base: base, fires: true},
		{name: "listed promotion day", r: func(r *AlertRules) { r.BusyVolumeRatio = 10 }, today: point{22, 200}, base: base, promotion: true, fires: false},
		{name: "too few consultations", today: point{20, 29}, base: base, fires: false},
	}
	for _, c := range cases {
		rr := r
		if c.r != nil {
			c.r(&rr)
		}
		v := rateVerdict(rr, DirectionUp, c.today, c.base, rr.NegativeSurgeRatio, float64(rr.NegativeMinConsults), c.minExtra, c.promotion)
		if (v != nil) != c.fires {
			t.Errorf("%s: %v/%v fires = %v, want %v (z %.2f)", c.name, c.today.num, c.today.den, v != nil, c.fires,
				rateZ(c.today.num, c.today.den, sum(c.base, func(p point) float64 { return p.num }), sum(c.base, func(p point) float64 { return p.den })))
		}
	}
	if z := twoSampleZ(5.0/37, 37, 8.0/275, 275); z < 3 {
		t.Errorf("twoSampleZ of 5/37 on 8/275 = %.2f: the case above no longer shows the difference", z)
	}
	// Down mirrors up: a fallback rate fallen to a quarter on a normal day.
	if v := rateVerdict(r, DirectionDown, point{10, 1000}, days(8, 100), 2, 100, 0, false); v == nil || v.Direction != DirectionDown {
		t.Errorf("down: %+v", v)
	}
}

// TestTopicVerdictBusyDay: on a day busy for the product a topic's share
// rise needs busy_topic_share_z; a real surge passes it easily.
func TestTopicVerdictBusyDay(t *testing.T) {
	r := DefaultSettings().Alerts
	base, msgs := make([]float64, 28), make([]float64, 28)
	for i := range base {
		base[i], msgs[i] = 4, 100 // a 4 % share
	}
	// × 4 the product's messages, the topic at 2.3 × its share: share z 4.2.
	if v := topicVerdict(r, DirectionUp, 37, 400, base, msgs, false); v != nil {
		t.Errorf("busy day, share 2.3 ×: fired %+v", v)
	}
	quiet := r
	quiet.BusyVolumeRatio = 10
	if v := topicVerdict(quiet, DirectionUp, 37, 400, base, msgs, false); v == nil {
		t.Error("the same figures on a day not counted busy: want an alert")
	}
	if v := topicVerdict(quiet, DirectionUp, 37, 400, base, msgs, true); v != nil {
		t.Errorf("listed promotion day: fired %+v", v)
	}
	if v := topicVerdict(r, DirectionUp, 100, 400, base, msgs, true); v == nil {
		t.Error("busy day, share 6 ×: want an alert")
	}
	// A surge on a small product makes its day look busy by itself: 40
	// questions of 140 messages against 4 of 100. Busy-ness counts the
	// other topics' messages (100 as usual): the ordinary share z applies.
	if v := topicVerdict(r, DirectionUp, 40, 140, base, msgs, false); v == nil {
		t.Error("a surge that doubles its product's messages by itself: want an alert")
	}
	// 20 of 140 (share z 4.2): the other topics' 120 messages are 1.25 ×
	// their usual 96 — busy only when busy_volume_ratio is 1.2.
	if v := topicVerdict(r, DirectionUp, 20, 140, base, msgs, false); v == nil {
		t.Error("other topics at 1.25 ×, busy_volume_ratio 2: want an alert")
	}
	strict := r
	strict.BusyVolumeRatio = 1.2
	if v := topicVerdict(strict, DirectionUp, 20, 140, base, msgs, false); v != nil {
		t.Errorf("other topics at 1.25 ×, busy_volume_ratio 1.2: fired %+v", v)
	}
}

func sum(ps []point, f func(point) float64) float64 {
	var s float64
	for _, p := range ps {
		s += f(p)
	}
	return s
}

// TestConversionDropAtExactlyTheThreshold: §8 fires conversion_drop when the
// order rate "falls ≥ 20 % relative to baseline". 400 of 1,000 consulting
// buyers ordering against a baseline of 14,000 of 28,000 is a fall of
// exactly 20 % (0.4 against 0.5, z −6.2), but rate/base − 1 is
// −0.19999999999999996 in floating point, so it did not fire. The same
// for 240 of 1,000 against 8,400 of 28,000 (0.24 against 0.30).
func TestConversionDropAtExactlyTheThreshold(t *testing.T) {
	r := DefaultSettings().Alerts
	for _, c := range []struct{ today, base point }{
		{point{400, 1000}, point{14000, 28000}},
		{point{240, 1000}, point{8400, 28000}},
		{point{120, 300}, point{3000, 6000}},
	} {
		v := conversionVerdict(r, c.today, []point{c.base})
		if v == nil {
			t.Errorf("%v/%v against %v/%v (a 20 %% fall) raises no conversion_drop", c.today.num, c.today.den, c.base.num, c.base.den)
			continue
		}
		if v.Direction != DirectionDown || v.Past < 1-1e-9 {
			t.Errorf("%v/%v against %v/%v: direction %s, past %v; want down, 1", c.today.num, c.today.den, c.base.num, c.base.den, v.Direction, v.Past)
		}
	}
	// just above the threshold still does not fire
	if v := conversionVerdict(r, point{401, 1000}, []point{{14000, 28000}}); v != nil {
		t.Errorf("401/1000 against 0.5 (a 19.8 %% fall) raises conversion_drop")
	}
}

// TestDropoffSpikeAtExactlyTheThreshold: §8 fires dropoff_spike when the
// abandonment rate "rises ≥ 10 points". 600 of 1,000 touched dropping in
// the week against four weeks of 500 of 1,000 is a rise of exactly 10
// points (z 4.5), but (0.6 − 0.5) × 100 is 9.999999999999998 in floating
// point, so it did not fire; a rise of 9.9 points still does not.
func TestDropoffSpikeAtExactlyTheThreshold(t *testing.T) {
	r := DefaultSettings().Alerts
	weeks := []point{{500, 1000}, {500, 1000}, {500, 1000}, {500, 1000}}
	v := dropoffVerdict(r, point{600, 1000}, weeks, 4000)
	if v == nil {
		t.Fatal("600/1000 against four weeks of 500/1000 (10 points) raises no dropoff_spike")
	}
	if v.Direction != DirectionUp || v.Past != 1 {
		t.Errorf("direction %s, past %v; want up, 1", v.Direction, v.Past)
	}
	if v := dropoffVerdict(r, point{599, 1000}, weeks, 4000); v != nil {
		t.Error("599/1000 against 0.5 (9.9 points) raises dropoff_spike")
	}
	// weeks of different sizes: the mean of their rates (0.3 and 0.5) is 0.4
	if v := dropoffVerdict(r, point{250, 500}, []point{{30, 100}, {250, 500}}, 600); v == nil {
		t.Error("250/500 against weekly rates 0.3 and 0.5 (10 points) raises no dropoff_spike")
	}
}

// TestSeverityAtExactlyItsThreshold: a rule grades warning at 1.5 × its
// threshold and critical at 2 ×. An exact 30 % conversion fall (350 of
// 1,000 against 0.5) is 1.5 × the 20 % threshold, but −change / 0.2
// computed in floating point is 1.4999999999999998 and graded info; an
// exact 40 % fall must grade critical; a 15-point drop-off rise (1.5 × 10)
// warning, a 20-point one critical.
func TestSeverityAtExactlyItsThreshold(t *testing.T) {
	r := DefaultSettings().Alerts
	conv, _ := LookupRule(RuleConversionDrop)
	drop, _ := LookupRule(RuleDropoffSpike)
	f := func(rule Rule, v *verdict, want string) {
		t.Helper()
		if v == nil {
			t.Fatalf("%s does not fire", rule.Name)
		}
		if got := rule.severity(v.Past); got != want {
			t.Errorf("%s past %v grades %s, want %s", rule.Name, v.Past, got, want)
		}
	}
	f(conv, conversionVerdict(r, point{350, 1000}, []point{{14000, 28000}}), SeverityWarning)
	f(conv, conversionVerdict(r, point{210, 1000}, []point{{8400, 28000}}), SeverityWarning) // 0.21 against 0.30
	f(conv, conversionVerdict(r, point{300, 1000}, []point{{14000, 28000}}), SeverityCritical)
	weeks := []point{{500, 1000}, {500, 1000}, {500, 1000}, {500, 1000}}
	f(drop, dropoffVerdict(r, point{650, 1000}, weeks, 4000), SeverityWarning)
	f(drop, dropoffVerdict(r, point{700, 1000}, weeks, 4000), SeverityCritical)
}

// TestRateAndTopicRulesAtExactlyTheirSteps: negative_surge and
// fallback_spike fire at 2 × the baseline rate, grade warning at 1.5 × that
// (3 × the baseline) and critical at 2.5 × (5 ×); topic_surge fires at 3 ×
// the baseline mean with a share of 2 × the baseline share, grades warning
// at 1.67 × (5.01 × the mean) and critical at 3.33 × (9.99 ×). Computed in
// floating point, 18 of 30 against 504 of 2,520 (3 ×) was
// 1.4999999999999998 past and graded info, 333 messages against a mean of
// 300/9 (9.99 ×) 3.3299999999999996 and graded warning, and 10 negative
// chats of 147 where 5 were expected 4.999999999999999 extra, so the
// literal rule (min_z 0) did not fire.
func TestRateAndTopicRulesAtExactlyTheirSteps(t *testing.T) {
	r := DefaultSettings().Alerts
	neg, _ := LookupRule(RuleNegativeSurge)
	fb, _ := LookupRule(RuleFallbackSpike)
	topic, _ := LookupRule(RuleTopicSurge)
	grade := func(rule Rule, v *verdict, want string) {
		t.Helper()
		switch {
		case v == nil && want != "":
			t.Errorf("%s does not fire, want %s", rule.Name, want)
		case v != nil && want == "":
			t.Errorf("%s fires (past %v), want no alert", rule.Name, v.Past)
		case v != nil && rule.severity(v.Past) != want:
			t.Errorf("%s past %v grades %s, want %s", rule.Name, v.Past, rule.severity(v.Past), want)
		}
	}
	// Rate rules: today's num of den against one pooled baseline, far
	// from busy.
	rate := func(rule Rule, rr AlertRules, num, den, baseNum, baseDen float64, want string) {
		t.Helper()
		factor, minDen, minExtra := rr.NegativeSurgeRatio, float64(rr.NegativeMinConsults), rr.NegativeSurgeMinExtra
		if rule.Name == RuleFallbackSpike {
			factor, minDen, minExtra = rr.FallbackSpikeRatio, float64(rr.FallbackMinMessages), 0
		}
		grade(rule, rateVerdict(rr, DirectionUp, point{num, den}, []point{{baseNum, baseDen}}, factor, minDen, minExtra, false), want)
	}
	rate(neg, r, 40, 100, 504, 2520, SeverityInfo) // 2 ×
	rate(neg, r, 39, 100, 504, 2520, "")
	rate(neg, r, 18, 30, 504, 2520, SeverityWarning)
	rate(neg, r, 17, 30, 504, 2520, SeverityInfo)
	rate(neg, r, 19, 30, 532, 4200, SeverityCritical) // 5 ×
	rate(neg, r, 18, 30, 532, 4200, SeverityWarning)
	rate(fb, r, 30, 100, 840, 8400, SeverityWarning) // 3 ×
	rate(fb, r, 29, 100, 840, 8400, SeverityInfo)
	rate(fb, r, 35, 100, 980, 14000, SeverityCritical) // 5 ×
	rate(fb, r, 34, 100, 980, 14000, SeverityWarning)
	literal := r
	literal.MinZ, literal.BusyMinZ = 0, 0
	rate(neg, literal, 10, 147, 140, 4116, SeverityInfo) // 2 ×, 5 extra
	rate(neg, literal, 9, 147, 126, 4116, "")            // 2 ×, 4.5 extra
	rate(fb, literal, 10, 147, 140, 4116, SeverityInfo)  // 2 ×: fallback_spike has no extra floor
	rate(fb, literal, 10, 147, 141, 4116, "")            // just under 2 ×
	// topic_surge: 9 baseline days of 33–34 questions (300 in all) in 100
	// product messages each, a share of 1/3; today's product messages keep
	// the day from counting as busy.
	base, msgs := []float64{33, 33, 33, 33, 33, 33, 34, 34, 34}, make([]float64, 9)
	for i := range msgs {
		msgs[i] = 100
	}
	surge := func(c, m float64, want string) {
		t.Helper()
		grade(topic, topicVerdict(r, DirectionUp, c, m, base, msgs, false), want)
	}
	surge(100, 140, SeverityInfo) // 3 × the mean
	surge(99, 140, "")
	surge(100, 150, SeverityInfo) // a share of exactly 2 × 1/3
	surge(100, 151, "")
	surge(167, 200, SeverityWarning) // 5.01 ×
	surge(166, 200, SeverityInfo)
	surge(333, 400, SeverityCritical) // 9.99 ×
	surge(332, 400, SeverityWarning)
}

// TestFallbackSpikeActionNamesItsShop: a fallback spike is one shop's,
// and the knowledge gaps of every shop together did not hold its
// questions (session 17's reader pass); the action points at the shop's
// own gaps.
func TestFallbackSpikeActionNamesItsShop(t *testing.T) {
	r, ok := LookupRule(RuleFallbackSpike)
	if !ok {
		t.Fatal("no fallback_spike rule")
	}
	zh, en := r.Action(SeriesKey{Shop: "shop-04"})
	for _, s := range []string{zh, en} {
		if !strings.Contains(s, "metrics show gaps --shop shop-04") {
			t.Errorf("action %q does not name the shop's own gaps", s)
		}
	}
}
