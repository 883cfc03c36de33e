package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/spf13/cobra"

	"github.com/convintel/convintel/ingest"
)

func newIngestCmd(a *app) *cobra.Command {
	var o ingestRun
	cmd := &cobra.Command{
		Use:   "ingest",
		Short: "Consume events from Kafka, enrich them and store them in ClickHouse",
		Long: `ingest joins the consumer group kafka.group on kafka.topic, validates each
event against the contract (docs/events.md), enriches messages with NLP
(intent, topics, sentiment, PII masking) and inserts batches into ClickHouse
through the native protocol. Offsets are committed only after ClickHouse
accepted a batch, so a crash loses nothing; duplicates are removed by
event_id. Invalid events go to the dead_letters table and the dead-letter
topic with the reason.

While ClickHouse is unavailable ingest retries with capped exponential
backoff and stops fetching (memory stays bounded); /healthz says degraded.
SIGINT/SIGTERM flush and commit what was read, then exit.

Run more processes with the same kafka.group to scale out.`,
		Example: `  convintel ingest --brokers kafka:9092 --clickhouse clickhouse://ch:9000/convintel
  curl -s 127.0.0.1:9464/metrics | grep convintel_ingest`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := runIngest(cmd.Context(), a, o)
			a.log.Info("ingest stopped", "consumed", c.Consumed, "stored", c.Stored, "dead_lettered", c.DeadLettered)
			if o.summary != "" {
				if werr := writeJSON(o.summary, newIngestSummary(c)); werr != nil && err == nil {
					err = werr
				}
			}
			return err
		},
	}
	f := cmd.Flags()
	f.DurationVar(&o.stopWhenIdle, "stop-when-idle", 0, "exit once no event arrived for this long (0: run until SIGTERM)")
	f.StringVar(&o.listen, "listen", "", "address for /metrics and /healthz (default ingest.listen, 127.0.0.1:9464; \"off\" disables)")
	f.BoolVar(&o.noNLP, "no-nlp", false, "store messages masked but without NLP enrichment")
	f.StringVar(&o.summary, "summary", "", "write counts, active seconds and peak RSS as JSON to this file at exit")
	return cmd
}

// ingestSummary is what --summary writes (used by `convintel bench`).
type ingestSummary struct {
	Consumed      int64   `json:"consumed"`
	Stored        int64   `json:"stored"`
	DeadLettered  int64   `json:"dead_lettered"`
	Batches       int64   `json:"batches"`
	ActiveSeconds float64 `json:"active_seconds"`
	PeakRSSBytes  int64   `json:"peak_rss_bytes"`
	CPUSeconds    float64 `json:"cpu_seconds"`
}

func newIngestSummary(c ingest.Counts) ingestSummary {
	return ingestSummary{Consumed: c.Consumed, Stored: c.Stored, DeadLettered: c.DeadLettered, Batches: c.Batches,
		ActiveSeconds: c.Last.Sub(c.First).Seconds(), PeakRSSBytes: peakRSS(), CPUSeconds: processCPU(os.Getpid())}
}

// peakRSS returns this process's peak resident set size (VmHWM), or 0.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

type ingestRun struct {
	stopWhenIdle time.Duration
	listen       string
	noNLP        bool
	summary      string
	// expect, when > 0, stops once this many events were read and stored.
	expect int64
}

// runIngest consumes until ctx ends (graceful: flush and commit) or the
// source stops by itself.
func runIngest(ctx context.Context, a *app, o ingestRun) (ingest.Counts, error) {
	if lim := a.cfg.Ingest.MemoryLimit; lim > 0 {
		// Under a hard cap the collector may run less often: GC was a fifth
		// of ingest CPU at the default GOGC (docs/performance.md).
		debug.SetMemoryLimit(lim)
		debug.SetGCPercent(200)
	}
	conn, _, err := a.clickhouse(ctx)
	if err != nil {
		return ingest.Counts{}, err
	}
	kc, err := a.kafka(ctx)
	if err != nil {
		return ingest.Counts{}, err
	}
	if err := kc.EnsureTopics(ctx); err != nil {
		return ingest.Counts{}, err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m := ingest.NewMetrics(reg)
	w := ingest.NewWriter(conn, a.log, m)
	enrich, err := a.enricher(o.noNLP)
	if err != nil {
		return ingest.Counts{}, err
	}
	defer a.watchActiveModel(ctx, modelWatchEvery)()
	var sink ingest.DeadLetterSink
	if kc.DeadLetterTopic != "" {
		s, closeSink, err := ingest.NewDeadLetterTopicSink(kc)
		if err != nil {
			return ingest.Counts{}, err
		}
		sink = s
		defer closeSink()
	}
	p := ingest.NewPipeline(ingest.Options{Writer: w, Enrich: enrich, Workers: a.cfg.Ingest.Workers, Inserts: a.cfg.Ingest.Inserts, Sink: sink, Metrics: m, Log: a.log})
	src, err := ingest.NewKafkaSource(kc, ingest.SourceOptions{
		BatchRows: a.cfg.Ingest.BatchRows, BatchBytes: a.cfg.Ingest.BatchBytes, BatchAge: a.cfg.Ingest.BatchAge,
		Log: a.log, Metrics: m, StopWhenIdle: o.stopWhenIdle,
	})
	if err != nil {
		return ingest.Counts{}, err
	}
	defer src.Close()

	listen := o.listen
	if listen == "" {
		listen = a.cfg.Ingest.Listen
	}
	if listen != "off" && listen != "" {
		stopHTTP, err := serveOps(listen, reg, func() (bool, string) {
			ok, why := w.Healthy()
			if ok {
				m.Healthy.Set(1)
			} else {
				m.Healthy.Set(0)
			}
			return ok, why
		})
		if err != nil {
			return ingest.Counts{}, err
		}
		defer stopHTTP()
		a.log.Info("serving /metrics and /healthz", "addr", listen)
	}

	// The source stops on SIGTERM; the pipeline keeps going until it has
	// stored and acked what was read, with a grace period in case
	// ClickHouse is down at that moment.
	srcCtx, stopSrc := context.WithCancel(ctx)
	defer stopSrc()
	pipeCtx, stopPipe := context.WithCancel(context.WithoutCancel(ctx))
	defer stopPipe()
	go func() {
		select {
		case <-ctx.Done():
			a.log.Info("shutting down: flushing and committing what was read (30 s grace)")
			select {
			case <-time.After(30 * time.Second):
				stopPipe()
			case <-pipeCtx.Done():
			}
		case <-pipeCtx.Done():
		}
	}()
	if o.expect > 0 {
		go func() {
			t := time.NewTicker(50 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-srcCtx.Done():
					return
				case <-t.C:
					c := p.Counts()
					if c.Stored+c.DeadLettered >= o.expect {
						stopSrc()
						return
					}
				}
			}
		}()
	}
	a.log.Info("consuming", "brokers", kc.Brokers, "topic", kc.Topic, "group", kc.Group)
	err = p.RunSourceFrom(pipeCtx, srcCtx, src)
	return p.Counts(), err
}

// enricher returns the NLP stage (masking only with noNLP or ingest.nlp off).
func (a *app) enricher(noNLP bool) (ingest.Enricher, error) {
	if noNLP || !a.cfg.Ingest.NLP {
		return ingest.NLPEnricher(nil, false), nil
	}
	model, err := a.nlpModel()
	if err != nil {
		return nil, err
	}
	return a.liveEnricher(model), nil
}

// serveOps serves /metrics and /healthz on addr until the returned stop.
func serveOps(addr string, reg *prometheus.Registry, health func() (bool, string)) (func(), error) {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		ok, why := health()
		w.Header().Set("Content-Type", "application/json")
		if ok {
			fmt.Fprintln(w, `{"status":"ok"}`)
			return
		}
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, "{\"status\":\"degraded\",\"reason\":%q}\n", why)
	})
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s for /metrics: %w (set ingest.listen or --listen off)", addr, err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(l)
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}, nil
}

// processCPU returns the user+system CPU seconds process pid has used
// (0 when /proc is not readable).
func processCPU(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the ")" that ends the command name; utime and stime are
	// the 14th and 15th fields of the whole line, in clock ticks (100 Hz).
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b)[i+1:])
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseFloat(f[11], 64)
	st, _ := strconv.ParseFloat(f[12], 64)
	return (ut + st) / 100
}
