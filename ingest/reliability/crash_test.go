package reliability

import (
	"math/rand/v2"
	"testing"
	"time"
)

// simulationArgs sizes the traffic of a scenario: about 100 k events in
// the short mode and 1 M in the full one (≈ 10.6 events per consultation).
func simulationArgs(seed string) []string {
	if fullMode() {
		return []string{"--seed", seed, "--days", "28", "--shops", "6", "--consultations-per-day", "560", "--duplicate-rate", "0.01"}
	}
	return []string{"--seed", seed, "--days", "8", "--shops", "3", "--consultations-per-day", "400", "--duplicate-rate", "0.01"}
}

// TestCrash SIGKILLs `convintel ingest` five times at random points of the
// stream and restarts it; afterwards the database must hold exactly the
// produced events, byte for byte the same as an uninterrupted run of the
// same topic into another database.
func TestCrash(t *testing.T) {
	w := newWorld(t, "")
	const scenario = "crash"
	sim := w.simulate(simulationArgs("11")...)
	w.produce(sim.lines)
	n := uint64(sim.tally.Events)
	figure(t, scenario, "lines_produced", len(sim.lines))
	figure(t, scenario, "distinct_events_produced", n)

	crashDSN, crashConn := w.database("crash")
	cleanDSN, cleanConn := w.database("clean")
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))

	// Small batches give many insert/commit boundaries, so a kill lands in
	// any phase of a batch: decoding, inserting, committing.
	batchEnv := "CONVINTEL_INGEST_BATCH_ROWS=1000"
	if fullMode() {
		batchEnv = "CONVINTEL_INGEST_BATCH_ROWS=5000"
	}
	const kills = 5
	start := time.Now()
	var resumeTimes []time.Duration
	var readTotal float64 // events read by all runs; beyond the produced lines they were read again
	for k := 1; k <= kills; k++ {
		storedBefore, lagBefore, err := w.progress(crashConn, "crash")
		if err != nil {
			t.Fatal(err)
		}
		p := w.startIngest("ingest-crash-"+itoa(k), crashDSN, "crash", batchEnv)
		// Kill after a random 5-25 % of what is left, plus a jitter.
		target := float64(lagBefore) * (0.05 + 0.2*rng.Float64())
		restarted := time.Now()
		var resumed time.Duration
		var consumed float64
		waitFor(t, "ingest run "+itoa(k)+" consuming", time.Minute, 5*time.Millisecond, func() (bool, error) {
			if p.exited() {
				t.Fatalf("ingest exited by itself: %v", p.waitErr)
			}
			c, err := p.metric("convintel_ingest_consumed_total")
			if err == nil && c > 0 && resumed == 0 {
				resumed = time.Since(restarted)
			}
			return err == nil && c >= target, err
		})
		time.Sleep(time.Duration(rng.IntN(50)) * time.Millisecond)
		consumed, _ = p.metric("convintel_ingest_consumed_total")
		readTotal += consumed
		p.kill()
		storedAfter, lag, err := w.progress(crashConn, "crash")
		if err != nil {
			t.Fatal(err)
		}
		if lag == 0 {
			t.Fatalf("kill %d came after the stream was consumed; the scenario needs mid-stream kills", k)
		}
		resumeTimes = append(resumeTimes, resumed)
		t.Logf("kill %d: after ≥ %.0f events read by this run; stored %d → %d, lag %d → %d; consumption resumed %s after the restart",
			k, consumed, storedBefore, storedAfter, lagBefore, lag, resumed.Round(time.Millisecond))
	}
	final := w.startIngest("ingest-crash-final", crashDSN, "crash", batchEnv)
	restarted := time.Now()
	w.waitDrained(crashConn, "crash", n, 5*time.Minute, final)
	if c, err := final.metric("convintel_ingest_consumed_total"); err == nil {
		readTotal += c
	}
	if err := final.term(45 * time.Second); err != nil {
		t.Errorf("final ingest did not stop cleanly on SIGTERM: %v", err)
	}
	figure(t, scenario, "kills", kills)
	figure(t, scenario, "consumption_resumed_after_restart", durations(resumeTimes))
	figure(t, scenario, "final_run_drain", time.Since(restarted).Round(time.Millisecond).String())
	figure(t, scenario, "crashed_run_total", time.Since(start).Round(time.Millisecond).String())
	figure(t, scenario, "events_read_again_after_kills", int64(readTotal)-int64(len(sim.lines)))
	if readTotal < float64(len(sim.lines)) {
		t.Errorf("the runs read %.0f events in total, fewer than the %d produced", readTotal, len(sim.lines))
	}

	// The uninterrupted run: same topic, its own group and database.
	cleanStart := time.Now()
	clean := w.startIngest("ingest-clean", cleanDSN, "clean", batchEnv)
	w.waitDrained(cleanConn, "clean", n, 5*time.Minute, clean)
	if err := clean.term(45 * time.Second); err != nil {
		t.Errorf("clean ingest did not stop cleanly on SIGTERM: %v", err)
	}
	figure(t, scenario, "clean_run_total", time.Since(cleanStart).Round(time.Millisecond).String())

	crashSt := w.status(crashDSN, "crash")
	checkStatus(t, crashSt, sim.tally, 0)
	checkStatus(t, w.status(cleanDSN, "clean"), sim.tally, 0)
	figure(t, scenario, "distinct_events_stored", crashSt.EventsTotal)
	figure(t, scenario, "dead_lettered", crashSt.DeadLetters)

	redelivered := compareDatabases(t, crashConn, cleanConn)
	figure(t, scenario, "duplicate_rows_not_yet_merged", redelivered)
	checkMergedUnique(t, crashConn)

	gmv, rawGMV := paidGMV(t, crashConn)
	want := expectedPaidGMV(t, sim.lines)
	if gmv != want {
		t.Errorf("paid GMV after the kills: %d cents, produced %d", gmv, want)
	}
	figure(t, scenario, "paid_gmv_cents", gmv)
	figure(t, scenario, "paid_gmv_cents_without_dedup", rawGMV)

	compareMetrics(t, w, crashDSN, cleanDSN, sim.tally)
}
