package metrics

import (
	"os"
	"strconv"
	"testing"

	"github.com/convintel/convintel/simulate"
)

// TestPlantedLiftOverSeeds: over simulated runs (2 seeds; 10 with
// CONVINTEL_GROWTH_SEEDS=10), the shop with a planted 30 % lift is found
// significant (verdict winner), the shop with no lift is not, and the
// broken 58/42 split is flagged (srm, verdict broken_split) every time.
// The arms' counts are the tally's, which TestGrowthTally holds equal to
// the SQL; the statistics are finishExperiments', as Show applies them.
func TestPlantedLiftOverSeeds(t *testing.T) {
	if testing.Short() {
		t.Skip("simulated traffic")
	}
	seeds := 2
	if s, err := strconv.Atoi(os.Getenv("CONVINTEL_GROWTH_SEEDS")); err == nil && s > 0 {
		seeds = s
	}
	found, falsePos, srmFlagged := 0, 0, 0
	for seed := 1; seed <= seeds; seed++ {
		cfg := simulate.DefaultConfig().WithGrowth()
		cfg.Seed, cfg.OrderHistoryDays = uint64(seed), 0
		if seeds <= 2 {
			cfg.Days = 28
		}
		tally, err := simulate.Run(cfg, func([]byte) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		verdict := map[string]string{}
		var rows []Row
		for _, a := range tally.Experiments {
			rec := growthRec{"buyers": uint64(a.Buyers), "ordered_buyers": uint64(a.OrderedBuyers), "control": "control", "split": []string{}}
			rows = append(rows, append(Row{{"experiment", a.Experiment}, {"variant", a.Variant}}, deriveExperiments(rec)...))
		}
		finishExperiments([]string{"experiment", "variant"}, rows)
		for _, r := range rows {
			e, _ := r.Get("experiment")
			v, _ := r.Get("verdict")
			verdict[e.(string)] = v.(string)
			if c, _ := r.Get("control"); c == false {
				p, _ := r.Get("p_value")
				l, _ := r.Get("lift")
				t.Logf("seed %d %s: lift %v p %v verdict %v", seed, e, l, p, v)
			}
		}
		if verdict["limited-time-script"] == VerdictWinner {
			found++
		}
		if verdict["free-shipping-hint"] != VerdictNoDiff {
			falsePos++
		}
		if verdict["emoji-greeting"] == VerdictBrokenSplit {
			srmFlagged++
		}
	}
	t.Logf("over %d seeds: planted lift found %d, no-lift shop flagged %d, broken split flagged %d", seeds, found, falsePos, srmFlagged)
	if found < seeds || srmFlagged < seeds {
		t.Errorf("planted lift found %d/%d, broken split flagged %d/%d: want every time", found, seeds, srmFlagged, seeds)
	}
	if falsePos > seeds/5 {
		t.Errorf("the no-lift shop was called %d times in %d", falsePos, seeds)
	}
}
