package bench

import (
	"encoding/json"
	"fmt"
	"io"
)

// Results are the figures of one bench run. A stage that did not run
// leaves its fields zero (nil for the ingest runs) and they are left out
// of the table and the JSON.
type Results struct {
	MachineCores      int
	EventsTarget      int
	EventsProduced    int64
	ProduceEventsPerS float64

	// IngestNLP and IngestRaw are the Kafka → ClickHouse runs with NLP on
	// and off.
	IngestNLP, IngestRaw *IngestRun
	IngestPeakRSSBytes   int64
	IngestNLPVsRaw       float64

	CeilingCPUClickHouseS float64 // 0 when the server's process is not visible
	CeilingSeconds        float64
	InsertCeilingRowsPerS float64
	IngestRawVsCeiling    float64

	NLPMsgsPerSPerCore float64
	// NLPMsgsPerCPUSecond: the same loop per CPU second (load-independent).
	NLPMsgsPerCPUSecond float64

	Imports []ImportRun

	MetricsJobs         []JobSeconds
	MetricsSeconds      float64
	MetricsMessages     uint64
	MetricsMessagesPerS float64

	ReportSeconds float64
	APIP50ms      float64
	APIP95ms      float64

	// IntradayDayMessages is the day the hourly alert evaluations read.
	IntradayDayMessages uint64
	AlertStagesNLP      bool // the alert stages' traffic was NLP-enriched
	IntradayEvals       []IntradayEval
	Scale               []ScaleRun
}

// IngestRun is one `convintel ingest` process over the produced events.
type IngestRun struct {
	MsgsPerS      float64
	Seconds       float64
	PeakRSSBytes  int64
	CPUIngestS    float64
	CPUBrokerS    float64
	CPUClickHouse float64 // 0 when the server's process is not visible
}

// ImportRun is one import of the same events from a file format.
type ImportRun struct {
	Format     string // jsonl, parquet or csv
	NLP        bool
	EventsPerS float64
}

// JobSeconds is the time of one metric job over the ingested range.
type JobSeconds struct {
	Job     string
	Seconds float64
}

// Field is one figure of the flat table: the key docs/bench-*.json use.
type Field struct {
	Key   string
	Value any
}

// Fields lists the figures that were measured, in the order they are
// measured (the table's order).
func (r *Results) Fields() []Field {
	var out []Field
	add := func(k string, v any) { out = append(out, Field{k, v}) }
	nonzero := func(k string, v float64) {
		if v != 0 {
			add(k, v)
		}
	}
	add("machine_cores", r.MachineCores)
	add("events_target", r.EventsTarget)
	if r.EventsProduced > 0 {
		add("events_produced", r.EventsProduced)
		add("produce_events_per_s", r.ProduceEventsPerS)
	}
	for _, run := range []struct {
		key string
		r   *IngestRun
	}{{"ingest_nlp", r.IngestNLP}, {"ingest_raw", r.IngestRaw}} {
		if run.r == nil {
			continue
		}
		add(run.key+"_msgs_per_s", run.r.MsgsPerS)
		add(run.key+"_seconds", run.r.Seconds)
		add(run.key+"_peak_rss_bytes", run.r.PeakRSSBytes)
		add(run.key+"_cpu_ingest_s", run.r.CPUIngestS)
		add(run.key+"_cpu_broker_s", run.r.CPUBrokerS)
		nonzero(run.key+"_cpu_clickhouse_s", run.r.CPUClickHouse)
	}
	if r.IngestPeakRSSBytes > 0 {
		add("ingest_peak_rss_bytes", r.IngestPeakRSSBytes)
		add("ingest_nlp_vs_raw", r.IngestNLPVsRaw)
	}
	nonzero("ceiling_cpu_clickhouse_s", r.CeilingCPUClickHouseS)
	nonzero("ceiling_seconds", r.CeilingSeconds)
	nonzero("insert_ceiling_rows_per_s", r.InsertCeilingRowsPerS)
	nonzero("ingest_raw_vs_ceiling", r.IngestRawVsCeiling)
	nonzero("nlp_msgs_per_s_per_core", r.NLPMsgsPerSPerCore)
	nonzero("nlp_msgs_per_cpu_s", r.NLPMsgsPerCPUSecond)
	for _, im := range r.Imports {
		k := "import_" + im.Format + "_events_per_s"
		if im.NLP {
			k = "import_" + im.Format + "_nlp_events_per_s"
		}
		add(k, im.EventsPerS)
	}
	for _, j := range r.MetricsJobs {
		add("metrics_"+j.Job+"_seconds", j.Seconds)
	}
	if len(r.MetricsJobs) > 0 {
		add("metrics_seconds", r.MetricsSeconds)
		add("metrics_messages", r.MetricsMessages)
		add("metrics_messages_per_s", r.MetricsMessagesPerS)
	}
	nonzero("report_seconds", r.ReportSeconds)
	if r.APIP95ms > 0 {
		add("api_p50_ms", r.APIP50ms)
		add("api_p95_ms", r.APIP95ms)
	}
	if len(r.IntradayEvals) > 0 || len(r.Scale) > 0 {
		add("alert_stages_nlp", r.AlertStagesNLP)
	}
	if len(r.IntradayEvals) > 0 {
		add("intraday_day_messages", r.IntradayDayMessages)
	}
	var hourlyMax float64
	for _, e := range r.IntradayEvals {
		add(fmt.Sprintf("intraday_eval_%02dh_seconds", e.Hour), e.Seconds)
		add(fmt.Sprintf("intraday_eval_%02dh_alerts", e.Hour), e.Alerts)
		add(fmt.Sprintf("intraday_eval_%02dh_hours_computed", e.Hour), e.Computed)
		if e.Computed <= 1 {
			hourlyMax = max(hourlyMax, e.Seconds)
		}
	}
	nonzero("intraday_hourly_max_seconds", hourlyMax)
	for _, s := range r.Scale {
		key := fmt.Sprintf("scale_%dm", (s.Messages+500_000)/1_000_000)
		add(key+"_messages", s.Messages)
		for _, j := range s.Jobs {
			add(key+"_"+j.Job+"_seconds", j.Seconds)
		}
		add(key+"_metrics_seconds", s.Seconds)
		add(key+"_messages_per_s", s.MessagesPerS)
	}
	return out
}

// MarshalJSON writes the flat object docs/bench-10m.json shows (keys
// sorted).
func (r *Results) MarshalJSON() ([]byte, error) {
	flat := map[string]any{}
	for _, f := range r.Fields() {
		flat[f.Key] = f.Value
	}
	return json.Marshal(flat)
}

// WriteTable prints the figures as the bench table.
func (r *Results) WriteTable(w io.Writer) {
	fmt.Fprintln(w, "\nbenchmark                              value")
	fmt.Fprintln(w, "-------------------------------------  ------------")
	for _, f := range r.Fields() {
		fmt.Fprintf(w, "%-38s %v\n", f.Key, f.Value)
	}
}

// progress prints the figures not printed yet (after each stage).
type progress struct {
	w    io.Writer
	done int
}

func (p *progress) note(r *Results) {
	fs := r.Fields()
	for _, f := range fs[min(p.done, len(fs)):] {
		fmt.Fprintf(p.w, "    %-34s %v\n", f.Key, f.Value)
	}
	p.done = len(fs)
}

func round0(f float64) float64 { return float64(int64(f + 0.5)) }
func round3(f float64) float64 { return float64(int64(f*1000+0.5)) / 1000 }
