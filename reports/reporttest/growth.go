package reporttest

import (
	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/simulate"
)

// Experiments is an experiments page with one experiment of each verdict:
// a winner that reached its planned sample, a null result read early
// (peeking) and a broken split. The hostile text is a variant name.
func Experiments() *reports.Experiments {
	p := week()
	pv := func(v float64) *float64 { return &v }
	arm := func(v string, ctrl bool, buyers, ordered int64, lift float64, p *float64, sig bool) reports.ExperimentArm {
		r := float64(ordered) / float64(buyers)
		lo, hi := metrics.Wilson(ordered, buyers)
		return reports.ExperimentArm{Variant: v, Control: ctrl, Significant: sig, Buyers: buyers, Ordered: ordered,
			Paid: ordered * 9 / 10, PaidAmount: metrics.Money(ordered * 18_800), OrderRate: r, Low: lo, High: hi,
			Lift: pv(lift), PValue: p, Containment: 0.71, HandoffRate: 0.26, CSAT: 0.82, Crossovers: buyers / 50, Consultations: buyers * 2,
			PlannedShare: pv(0.5)}
	}
	return &reports.Experiments{Scope: reports.Scope{Period: p}, Experiments: []reports.Experiment{
		{Name: "limited-time-script", Shop: "shop-01", Verdict: metrics.VerdictWinner, Winner: "limited-time",
			PlannedBuyers: 2387, SampleReached: true, FirstExposure: p.From, LastEx: p.To, Running: true,
			Arms: []reports.ExperimentArm{arm("control", true, 2500, 1000, 0, nil, false), arm("limited-time", false, 2480, 1190, 0.2, pv(0.000012), true)}},
		{Name: "free-shipping-hint", Shop: "shop-02", Verdict: metrics.VerdictNoDiff,
			PlannedBuyers: 2600, FirstExposure: p.From, LastEx: p.To, Running: true,
			Arms: []reports.ExperimentArm{arm("control", true, 640, 240, 0, nil, false), arm(Hostile, false, 655, 259, 0.054, pv(0.41), false)}},
		{Name: "emoji-greeting", Shop: "shop-03", Verdict: metrics.VerdictBrokenSplit, SRM: true, SRMP: pv(0.00002),
			PlannedBuyers: 2500, FirstExposure: p.From, LastEx: p.From.AddDate(0, 0, 3),
			Arms: []reports.ExperimentArm{arm("control", true, 1160, 470, 0, nil, false), arm("emoji", false, 840, 350, 0.03, pv(0.52), false)}},
	}}
}

// GrowthConfig is SmallConfig with three shops (one case each) and the
// growth cases on (experiments, night staffing, order history), for the
// growth pages.
func GrowthConfig() simulate.Config {
	cfg := SmallConfig()
	cfg.Shops, cfg.ConsultationsPerShopDay = 3, 120
	cfg.Anomalies = simulate.DemoAnomalies(cfg)
	cfg = cfg.WithGrowth()
	cfg.OrderHistoryDays = 120
	return cfg
}
