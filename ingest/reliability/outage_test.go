package reliability

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/convintel/convintel/simulate"
)

// rssCapKB bounds ingest's resident memory while ClickHouse is down and
// events keep arriving: the default ingest.memory_limit (320 MiB). The heap
// stays far below it when fetching pauses; growth with the backlog would not.
const rssCapKB = 320 << 10

// TestOutage stops ClickHouse mid-stream while events keep arriving, and
// starts it again on the same port and data directory: ingest retries with
// capped backoff, stops fetching (memory stays bounded), reports degraded
// on /healthz, and afterwards drains the lag without losing or doubling
// anything.
func TestOutage(t *testing.T) {
	skipShort(t)
	const scenario = "outage"
	outage := 8 * time.Second
	if fullMode() {
		outage = 30 * time.Second
	}
	ch, err := newClickHouse(filepath.Join(t.TempDir(), "clickhouse"), freePort(t), freePort(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ch.stop)
	w := newWorld(t, ch.base())
	before := w.simulate("--seed", "31", "--days", "2", "--shops", "3", "--consultations-per-day", "400")
	during := w.simulate(simulationArgs("32")...)
	dsn, conn := w.database("outage")

	p := w.startIngest("ingest-outage", dsn, "outage", "CONVINTEL_INGEST_BATCH_ROWS=5000")
	w.produce(before.lines)
	w.waitDrained(conn, "outage", uint64(before.tally.Events), 2*time.Minute, p)
	if code, st, err := p.healthz(); err != nil || code != 200 || st != "ok" {
		t.Fatalf("/healthz before the outage: %d %q %v", code, st, err)
	}
	baseRSS, err := rssKB(p.pid())
	if err != nil {
		t.Fatal(err)
	}
	consumedBefore, err := p.metric("convintel_ingest_consumed_total")
	if err != nil {
		t.Fatal(err)
	}

	ch.stop()
	stopped := time.Now()
	// Sample memory and /healthz from the first moment of the outage,
	// while the traffic of the outage is produced.
	var maxRSS int64
	var degradedAt time.Duration
	degraded, samples := 0, 0
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for time.Since(stopped) < outage && !p.exited() {
			if kb, err := rssKB(p.pid()); err == nil {
				maxRSS = max(maxRSS, kb)
			}
			code, st, err := p.healthz()
			samples++
			if err == nil && code == 503 && st == "degraded" {
				degraded++
				if degradedAt == 0 {
					degradedAt = time.Since(stopped)
				}
			}
			time.Sleep(200 * time.Millisecond)
		}
	}()
	w.produce(during.lines)
	<-sampled
	if p.exited() {
		t.Fatalf("ingest exited during the outage: %v", p.waitErr)
	}
	consumedDuring, err := p.metric("convintel_ingest_consumed_total")
	if err != nil {
		t.Fatal(err)
	}
	retries, _ := p.metric("convintel_ingest_insert_retries_total")

	if err := ch.start(); err != nil {
		t.Fatal(err)
	}
	restarted := time.Now()
	var healthyAfter time.Duration
	want := uint64(before.tally.Events + during.tally.Events)
	w.waitDrained(conn, "outage", want, 3*time.Minute, p)
	recovery := time.Since(restarted)
	waitFor(t, "/healthz ok after the outage", 30*time.Second, 100*time.Millisecond, func() (bool, error) {
		code, st, err := p.healthz()
		return err == nil && code == 200 && st == "ok", err
	})
	healthyAfter = time.Since(restarted)
	if err := p.term(45 * time.Second); err != nil {
		t.Errorf("ingest did not stop cleanly: %v", err)
	}

	figure(t, scenario, "outage", outage.String())
	figure(t, scenario, "events_before_outage", before.tally.Events)
	figure(t, scenario, "events_produced_during_outage", len(during.lines))
	figure(t, scenario, "events_read_during_outage", int64(consumedDuring-consumedBefore))
	figure(t, scenario, "insert_retries", retries)
	figure(t, scenario, "healthz_degraded_after", degradedAt.Round(10*time.Millisecond).String())
	figure(t, scenario, "healthz_degraded_samples", itoa(degraded)+"/"+itoa(samples))
	figure(t, scenario, "rss_before_mib", baseRSS>>10)
	figure(t, scenario, "rss_max_during_outage_mib", maxRSS>>10)
	figure(t, scenario, "recovery_to_all_stored_and_lag_0", recovery.Round(10*time.Millisecond).String())
	figure(t, scenario, "recovery_to_healthz_ok", healthyAfter.Round(10*time.Millisecond).String())

	if degraded == 0 {
		t.Errorf("/healthz never said 503 degraded during a %s outage (%d samples)", outage, samples)
	}
	if degradedAt > 5*time.Second {
		t.Errorf("/healthz said degraded only %s into the outage", degradedAt)
	}
	if retries == 0 {
		t.Error("no insert retries were counted during the outage")
	}
	if maxRSS > rssCapKB {
		t.Errorf("ingest RSS reached %d MiB during the outage, the cap is %d MiB", maxRSS>>10, rssCapKB>>10)
	}
	// Fetching pauses: ingest holds what its pipeline and the Kafka
	// client's queues can hold, not the whole backlog.
	if read := consumedDuring - consumedBefore; read > float64(len(during.lines))/2 {
		t.Errorf("ingest read %.0f of the %d events produced during the outage: fetching did not pause", read, len(during.lines))
	}
	// The next attempt comes at most the backoff cap (10 s) after the
	// server is back; draining the backlog takes the rest.
	if limit := 10*time.Second + time.Minute; recovery > limit {
		t.Errorf("recovery took %s, more than %s", recovery, limit)
	}
	var all simulate.Tally
	all.Events = before.tally.Events + during.tally.Events
	all.EventsByType = map[string]int64{}
	for _, tl := range []simulate.Tally{before.tally, during.tally} {
		for k, v := range tl.EventsByType {
			all.EventsByType[k] += v
		}
	}
	st := w.status(dsn, "outage")
	checkStatus(t, st, all, 0)
	figure(t, scenario, "distinct_events_stored", st.EventsTotal)
	figure(t, scenario, "dead_lettered", st.DeadLetters)
	gmv, _ := paidGMV(t, conn)
	if wantGMV := expectedPaidGMV(t, append(before.lines, during.lines...)); gmv != wantGMV {
		t.Errorf("paid GMV %d cents after the outage, produced %d", gmv, wantGMV)
	}
	checkMergedUnique(t, conn)
}
