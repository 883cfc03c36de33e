package bench

import (
	"encoding/json"
	"os"
	"slices"
	"testing"
)

// TestResultsKeepTheDocumentedKeys: a run of every stage writes exactly
// the keys of the published figures (docs/bench-10m.json), so its readers
// and the docs stay true.
func TestResultsKeepTheDocumentedKeys(t *testing.T) {
	b, err := os.ReadFile("../docs/bench-10m.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	run := &IngestRun{MsgsPerS: 1, Seconds: 1, PeakRSSBytes: 1, CPUIngestS: 1, CPUBrokerS: 1, CPUClickHouse: 1}
	r := &Results{MachineCores: 2, EventsTarget: 1, EventsProduced: 1, ProduceEventsPerS: 1,
		IngestNLP: run, IngestRaw: run, IngestPeakRSSBytes: 1, IngestNLPVsRaw: 1,
		CeilingCPUClickHouseS: 1, CeilingSeconds: 1, InsertCeilingRowsPerS: 1, IngestRawVsCeiling: 1,
		NLPMsgsPerSPerCore: 1, MetricsSeconds: 1, MetricsMessages: 1, MetricsMessagesPerS: 1,
		ReportSeconds: 1, APIP50ms: 1, APIP95ms: 1}
	for _, f := range []string{"jsonl", "parquet", "csv"} {
		r.Imports = append(r.Imports, ImportRun{Format: f, EventsPerS: 1}, ImportRun{Format: f, NLP: true, EventsPerS: 1})
	}
	for _, j := range []string{"consultations", "conversion", "gmv", "sentiment", "dropoff", "funnel", "service", "gaps", "topics", "alerts"} {
		r.MetricsJobs = append(r.MetricsJobs, JobSeconds{Job: j, Seconds: 1})
	}
	out, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	keys := func(m map[string]any) []string {
		var k []string
		for key := range m {
			k = append(k, key)
		}
		slices.Sort(k)
		return k
	}
	if !slices.Equal(keys(got), keys(doc)) {
		t.Errorf("keys differ from docs/bench-10m.json:\n got %v\nwant %v", keys(got), keys(doc))
	}
	// A stage that did not run leaves no keys.
	if f := (&Results{MachineCores: 2, EventsTarget: 5}).Fields(); len(f) != 2 {
		t.Errorf("empty results list %v", f)
	}
}
