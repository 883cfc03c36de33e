package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/spf13/cobra"

	"github.com/convintel/convintel/bench"
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
				if werr := writeJSON(o.summary, bench.SummaryOf(c)); werr != nil && err == nil {
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

	stopOps, err := serveIngestOps(a, o.listen, reg, m, w)
	if err != nil {
		return ingest.Counts{}, err
	}
	defer stopOps()
	readCtx, stopReading := context.WithCancel(ctx)
	defer stopReading()
	if o.expect > 0 {
		go stopAfter(readCtx, p, o.expect, stopReading)
	}
	a.log.Info("consuming", "brokers", kc.Brokers, "topic", kc.Topic, "group", kc.Group)
	err = p.RunSourceDraining(ctx, readCtx, src, ingest.DefaultShutdownGrace, a.log)
	return p.Counts(), err
}

// stopAfter calls stop once p stored or dead-lettered n events.
func stopAfter(ctx context.Context, p *ingest.Pipeline, n int64, stop func()) {
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if c := p.Counts(); c.Stored+c.DeadLettered >= n {
				stop()
				return
			}
		}
	}
}

// serveIngestOps serves /metrics and /healthz on listen (default
// ingest.listen; "off" serves nothing) until the returned stop.
func serveIngestOps(a *app, listen string, reg *prometheus.Registry, m *ingest.Metrics, w *ingest.Writer) (func(), error) {
	if listen == "" {
		listen = a.cfg.Ingest.Listen
	}
	if listen == "off" || listen == "" {
		return func() {}, nil
	}
	stop, err := serveOps(listen, reg, func() (bool, string) {
		ok, why := w.Healthy()
		if ok {
			m.Healthy.Set(1)
		} else {
			m.Healthy.Set(0)
		}
		return ok, why
	})
	if err != nil {
		return nil, err
	}
	a.log.Info("serving /metrics and /healthz", "addr", listen)
	return stop, nil
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
