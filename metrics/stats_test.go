package metrics

import (
	"math"
	"testing"
)

// TestWilson against Newcombe (1998), Table I, method 3 (score interval
// without continuity correction), to 4 places.
func TestWilson(t *testing.T) {
	f := func(k, n int64, lo, hi float64) {
		t.Helper()
		l, h := Wilson(k, n)
		if math.Abs(l-lo) > 5e-5 || math.Abs(h-hi) > 5e-5 {
			t.Errorf("Wilson(%d, %d) = [%.4f, %.4f], want [%.4f, %.4f]", k, n, l, h, lo, hi)
		}
	}
	f(81, 263, 0.2553, 0.3662)
	f(15, 148, 0.0624, 0.1605)
	f(0, 20, 0, 0.1611)
	f(1, 29, 0.0061, 0.1718)
	f(0, 0, 0, 0)
}

// TestTwoProportionZ: 100/1000 against 130/1000 by hand: pooled p =
// 0.115, se = sqrt(0.115·0.885·0.002) = 0.0142671, z = 0.03/se =
// 2.102741, two-sided p = 0.035488 (R: prop.test(c(100,130), c(1000,1000),
// correct=FALSE) gives X-squared = 4.4215 = z², p-value = 0.0355).
func TestTwoProportionZ(t *testing.T) {
	z, p, ok := TwoProportionZ(100, 1000, 130, 1000)
	if !ok || math.Abs(z-2.102741) > 1e-6 || math.Abs(p-0.035488) > 1e-6 {
		t.Errorf("TwoProportionZ = %v, %v, %v; want 2.102741, 0.035488", z, p, ok)
	}
	if z2, p2, _ := TwoProportionZ(130, 1000, 100, 1000); z2 != -z || p2 != p {
		t.Errorf("swapped arms: z %v p %v, want %v %v", z2, p2, -z, p)
	}
	if _, _, ok := TwoProportionZ(0, 50, 0, 50); ok {
		t.Error("no successes in either arm: the test is undefined")
	}
	if _, _, ok := TwoProportionZ(3, 0, 1, 10); ok {
		t.Error("an empty arm: the test is undefined")
	}
}

// TestChiSquare: the survival function at the 5 % and 0.1 % critical
// values (chi2.ppf), for odd and even degrees of freedom, and the
// goodness-of-fit statistic by hand: 580/420 against 50/50 is
// (80² + 80²)/500 = 25.6 with 1 df (p = 4.2e-7, an SRM); 520/480 is 1.6
// (p = 0.2059); three arms 400/300/300 against 40:30:30 fit exactly
// (0, 2 df, p = 1).
func TestChiSquare(t *testing.T) {
	for _, c := range []struct {
		x  float64
		df int
		p  float64
	}{
		{3.841458820694124, 1, 0.05}, {5.991464547107979, 2, 0.05}, {7.814727903251178, 3, 0.05},
		{9.487729036781154, 4, 0.05}, {11.070497693516351, 5, 0.05}, {10.827566170662733, 1, 0.001},
		{13.815510557964274, 2, 0.001}, {0, 3, 1},
	} {
		if got := ChiSquareSurvival(c.x, c.df); math.Abs(got-c.p) > 1e-9 {
			t.Errorf("ChiSquareSurvival(%v, %d) = %v, want %v", c.x, c.df, got, c.p)
		}
	}
	stat, df, p, ok := ChiSquareGOF([]int64{580, 420}, []float64{1, 1})
	if !ok || stat != 25.6 || df != 1 || math.Abs(p-4.2e-7) > 0.1e-7 {
		t.Errorf("580/420: %v %d %v %v", stat, df, p, ok)
	}
	stat, _, p, _ = ChiSquareGOF([]int64{520, 480}, []float64{1, 1})
	if math.Abs(stat-1.6) > 1e-12 || math.Abs(p-0.205903) > 1e-6 {
		t.Errorf("520/480: %v %v", stat, p)
	}
	stat, df, p, _ = ChiSquareGOF([]int64{400, 300, 300}, []float64{40, 30, 30})
	if stat != 0 || df != 2 || p != 1 {
		t.Errorf("400/300/300 against 40:30:30: %v %d %v", stat, df, p)
	}
	if _, _, _, ok := ChiSquareGOF([]int64{5}, []float64{1}); ok {
		t.Error("one arm: no test")
	}
}

func TestArmGuard(t *testing.T) {
	f := func(buyers, ordered int64, want bool) {
		t.Helper()
		if armLargeEnough(buyers, ordered) != want {
			t.Errorf("armLargeEnough(%d, %d) != %v", buyers, ordered, want)
		}
	}
	f(100, 5, true)
	f(99, 50, false)
	f(100, 4, false)
	f(100, 96, false)
	f(100, 95, true)
}

// TestPlannedBuyers: control 40 % against 44 % by the usual formula,
// (1.959964 + 0.841621)² · (0.24 + 0.2464) / 0.04² = 2386.06 → 2387.
func TestPlannedBuyers(t *testing.T) {
	if n := PlannedBuyersPerArm(0.4); n != 2387 {
		t.Errorf("PlannedBuyersPerArm(0.4) = %d, want 2387", n)
	}
	if PlannedBuyersPerArm(0) != 0 {
		t.Error("no plan at a 0 rate")
	}
}
