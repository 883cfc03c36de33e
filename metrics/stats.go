package metrics

import "math"

// Statistics of §11 (experiments). Closed forms, no iteration: a
// two-proportion test and a chi-square test over a handful of arms need
// nothing more, and a statistics library would be a large dependency for
// four functions.

// z975 is the standard normal quantile of 0.975 (two-sided 95 %).
const z975 = 1.959963984540054

// Wilson returns the 95 % Wilson score interval of k successes in n
// trials ([0, 0] when n is 0). It stays inside [0, 1] and is sensible at
// 0 and n successes, unlike the normal (Wald) interval.
func Wilson(k, n int64) (lo, hi float64) {
	if n <= 0 {
		return 0, 0
	}
	p, nf, z2 := float64(k)/float64(n), float64(n), z975*z975
	den := 1 + z2/nf
	center := (p + z2/(2*nf)) / den
	half := z975 / den * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf))
	return math.Max(0, center-half), math.Min(1, center+half)
}

// TwoProportionZ is the two-sided z-test of k1/n1 against k2/n2 with the
// pooled proportion: z = (p2 − p1) / sqrt(p(1−p)(1/n1 + 1/n2)). ok is
// false when it is undefined (an empty arm, or every or no trial a
// success in both).
func TwoProportionZ(k1, n1, k2, n2 int64) (z, p float64, ok bool) {
	if n1 <= 0 || n2 <= 0 {
		return 0, 0, false
	}
	pool := float64(k1+k2) / float64(n1+n2)
	se := math.Sqrt(pool * (1 - pool) * (1/float64(n1) + 1/float64(n2)))
	if se == 0 {
		return 0, 0, false
	}
	z = (float64(k2)/float64(n2) - float64(k1)/float64(n1)) / se
	return z, math.Erfc(math.Abs(z) / math.Sqrt2), true
}

// ChiSquareGOF tests observed counts against expected shares (any
// positive weights, normalised) and returns the statistic, its degrees of
// freedom (arms − 1) and the p-value. ok is false with fewer than two
// arms, no observations or a non-positive weight.
func ChiSquareGOF(observed []int64, weights []float64) (stat float64, df int, p float64, ok bool) {
	if len(observed) < 2 || len(observed) != len(weights) {
		return 0, 0, 0, false
	}
	var n int64
	var wsum float64
	for i, o := range observed {
		if weights[i] <= 0 {
			return 0, 0, 0, false
		}
		n += o
		wsum += weights[i]
	}
	if n == 0 {
		return 0, 0, 0, false
	}
	for i, o := range observed {
		e := float64(n) * weights[i] / wsum
		d := float64(o) - e
		stat += d * d / e
	}
	df = len(observed) - 1
	return stat, df, ChiSquareSurvival(stat, df), true
}

// ChiSquareSurvival is P(X ≥ x) for X chi-square with df degrees of
// freedom: the regularized upper incomplete gamma Q(df/2, x/2), in its
// closed form for integer and half-integer shapes.
func ChiSquareSurvival(x float64, df int) float64 {
	if x <= 0 {
		return 1
	}
	h := x / 2
	if df%2 == 0 {
		term, sum := 1.0, 1.0 // e^{-h} Σ_{i<df/2} h^i / i!
		for i := 1; i < df/2; i++ {
			term *= h / float64(i)
			sum += term
		}
		return math.Min(1, math.Exp(-h)*sum)
	}
	q := math.Erfc(math.Sqrt(h)) // df = 1
	for i := 1; i <= (df-1)/2; i++ {
		// e^{-h} h^{i-1/2} / Γ(i + 1/2)
		lg, _ := math.Lgamma(float64(i) + 0.5)
		q += math.Exp(-h + (float64(i)-0.5)*math.Log(h) - lg)
	}
	return math.Min(1, q)
}

// Significance thresholds of §11.
const (
	significanceLevel = 0.05
	srmLevel          = 0.001
	minArmBuyers      = 100
	minArmOutcomes    = 5 // orders and non-orders, each
)

// armLargeEnough is §11's minimum-sample guard for one arm: ≥ 100
// buyers, ≥ 5 orders and ≥ 5 non-orders.
func armLargeEnough(buyers, ordered int64) bool {
	return buyers >= minArmBuyers && ordered >= minArmOutcomes && buyers-ordered >= minArmOutcomes
}

// plannedLift and plannedPower define the planned sample an experiment's
// page compares its arms with: the buyers per arm that detect a 10 %
// relative lift over the control's order rate with 80 % power at the
// two-sided 5 % level. Reading a result before then is peeking.
const (
	plannedLift  = 0.10
	plannedPower = 0.8416212335729143 // z of 0.80
)

// PlannedBuyersPerArm is that sample for a control order rate p (0 when
// p is 0 or 1: no plan can be made).
func PlannedBuyersPerArm(p float64) int64 {
	p2 := p * (1 + plannedLift)
	if p <= 0 || p >= 1 || p2 >= 1 {
		return 0
	}
	z := z975 + plannedPower
	return int64(math.Ceil(z * z * (p*(1-p) + p2*(1-p2)) / ((p2 - p) * (p2 - p))))
}
