package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/convintel/convintel/ingest"
	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/nlp"
	"github.com/convintel/convintel/simulate"
	"github.com/convintel/convintel/warehouse"
)

// benchResults is the flat key → value table of the alert stages,
// printed in insertion order.
type benchResults struct {
	keys []string
	vals map[string]any
}

func (r *benchResults) set(k string, v any) {
	if r.vals == nil {
		r.vals = map[string]any{}
	}
	if _, ok := r.vals[k]; !ok {
		r.keys = append(r.keys, k)
	}
	r.vals[k] = v
	fmt.Fprintf(os.Stderr, "    %-34s %v\n", k, v)
}

func (r *benchResults) write(w io.Writer) {
	for _, k := range r.keys {
		fmt.Fprintf(w, "%-38s %v\n", k, r.vals[k])
	}
}

func round0(f float64) float64 { return float64(int64(f + 0.5)) }
func round3(f float64) float64 { return float64(int64(f*1000+0.5)) / 1000 }

// splitAlertStages takes the alert stages (intraday, scale) out of an
// --only list.
func splitAlertStages(only string) (alert []string, rest string) {
	var others []string
	for _, s := range strings.Split(only, ",") {
		switch s = strings.TrimSpace(s); s {
		case "":
		case "intraday", "scale":
			alert = append(alert, s)
		default:
			others = append(others, s)
		}
	}
	return alert, strings.Join(others, ",")
}

// runAlertBench runs the alert stages, each on databases of its own, and
// writes their figures beside --out (bench.json → bench-alerts.json).
func runAlertBench(ctx context.Context, a *app, o benchOptions, stages []string) error {
	admin, _, err := a.clickhouse(ctx)
	if err != nil {
		return err
	}
	freshDB := func(db string) (warehouse.Conn, string, error) {
		if err := warehouse.DropDatabase(ctx, admin, db); err != nil {
			return nil, "", err
		}
		dsn, err := replaceDatabase(a.cfg.ClickHouse.DSN, db)
		if a.chLocal != nil {
			dsn, err = a.chLocal.DSN(db), nil
		}
		if err != nil {
			return nil, "", err
		}
		c, name, err := warehouse.Open(ctx, dsn)
		if err != nil {
			return nil, "", err
		}
		_, err = warehouse.Migrate(ctx, c, name, warehouse.Topology{}, nil)
		return c, name, err
	}
	var res benchResults
	for _, st := range stages {
		switch st {
		case "intraday":
			err = benchIntraday(ctx, &res, a.cfg.Metrics, o.intraday, freshDB)
		case "scale":
			err = benchMetricsScale(ctx, &res, a.cfg.Metrics, o.scale, freshDB)
		}
		if err != nil {
			return err
		}
	}
	out := strings.TrimSuffix(o.out, ".json") + "-alerts.json"
	flat := map[string]any{}
	for _, k := range res.keys {
		flat[k] = res.vals[k]
	}
	if err := writeJSON(out, flat); err != nil {
		return err
	}
	res.write(os.Stdout)
	fmt.Fprintf(os.Stderr, "written to %s\n", out)
	return nil
}

// benchLoad simulates cfg straight into conn through the ingest pipeline
// (decode, NLP, columnar insert; no Kafka) and returns the events stored.
func benchLoad(ctx context.Context, conn warehouse.Conn, cfg simulate.Config) (int64, error) {
	model, err := nlp.Default()
	if err != nil {
		return 0, err
	}
	p := ingest.NewPipeline(ingest.Options{Writer: ingest.NewWriter(conn, nil, nil), Enrich: ingest.NLPEnricher(model, false), Workers: 2})
	in := make(chan ingest.Batch, 1)
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx, in) }()
	var b ingest.Batch
	_, err = simulate.Run(cfg, func(line []byte) error {
		b.Records = append(b.Records, ingest.Record{Value: append([]byte(nil), line...), Source: "bench", Location: "sim"})
		b.Bytes += len(line)
		if len(b.Records) >= 50_000 {
			select {
			case in <- b:
			case <-ctx.Done():
				return ctx.Err()
			}
			b = ingest.Batch{}
		}
		return nil
	})
	if len(b.Records) > 0 && err == nil {
		in <- b
	}
	close(in)
	if perr := <-done; err == nil {
		err = perr
	}
	return p.Counts().Stored, err
}

// benchIntraday measures one hourly alert evaluation (metrics.md §8
// "Alerts v2") over a day of about n messages: 28 baseline days of 50
// shops at a low volume (30 consultations a day: the evaluation reads a
// few thousand rows of their hourly table whatever their size) are loaded
// and computed, then one day of n messages, and the
// evaluation runs at 12:00 and at the end of the day (the whole day so
// far, its worst case). The database is kept for reruns.
func benchIntraday(ctx context.Context, res *benchResults, s metrics.Settings, n int, freshDB func(string) (warehouse.Conn, string, error)) error {
	conn, db, err := freshDB("bench_intraday")
	if err != nil {
		return err
	}
	defer conn.Close()
	base := simulate.DefaultConfig()
	base.Seed, base.Days, base.Shops, base.ConsultationsPerShopDay = 21, 28, 50, 30
	if n < 1_000_000 {
		base.Shops, base.ConsultationsPerShopDay = 5, 150
	}
	fmt.Fprintf(os.Stderr, "==> intraday: %d baseline days × %d shops, then one day of ~%d messages\n", base.Days, base.Shops, n)
	if _, err := benchLoad(ctx, conn, base); err != nil {
		return err
	}
	cl := warehouse.Single(conn, db)
	if _, err := metrics.Run(ctx, cl, s, base.Start, base.Start.AddDate(0, 0, base.Days-1), nil); err != nil {
		return err
	}
	day := base
	day.Seed, day.Start, day.Days = 22, base.End(), 1
	// ~8.3 messages per consultation at the default mix (measured).
	day.ConsultationsPerShopDay = max(10, n*10/(83*day.Shops))
	day.Anomalies = []simulate.Anomaly{simulate.TopicSurge{Shop: simulate.ShopID(0), Product: simulate.Shops(1)[0].Products[4].ID,
		Topic: "shelf_life", Day: 0, Factor: 8, StartHour: 9}}
	t0 := time.Now()
	stored, err := benchLoad(ctx, conn, day)
	if err != nil {
		return err
	}
	msgs, err := warehouse.MessageRowsSince(ctx, conn, day.Start)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "    loaded %d events (%d messages) of the day in %s\n", stored, msgs, time.Since(t0).Round(time.Second))
	res.set("intraday_day_messages", msgs)
	for _, h := range []int{12, 24} {
		rep, err := metrics.EvaluateIntradayCluster(ctx, cl, s, day.Start.Add(time.Duration(h)*time.Hour))
		if err != nil {
			return err
		}
		res.set(fmt.Sprintf("intraday_eval_%02dh_seconds", h), round3(rep.Elapsed.Seconds()))
		res.set(fmt.Sprintf("intraday_eval_%02dh_alerts", h), len(rep.Alerts))
	}
	return nil
}

// benchMetricsScale times every metric job over a month of about n
// messages for each n of sizes (a database per size, kept for reruns),
// so docs/performance.md can show how job time grows with volume.
func benchMetricsScale(ctx context.Context, res *benchResults, s metrics.Settings, sizes []int, freshDB func(string) (warehouse.Conn, string, error)) error {
	for _, n := range sizes {
		name := fmt.Sprintf("bench_scale_%dm", n/1_000_000)
		if n < 1_000_000 {
			name = fmt.Sprintf("bench_scale_%dk", n/1000)
		}
		conn, db, err := freshDB(name)
		if err != nil {
			return err
		}
		// A month of 5 shops; ~8.3 messages per consultation (measured).
		cfg := simulate.DefaultConfig()
		cfg.Seed, cfg.Days, cfg.Shops = 31, 30, 5
		cfg.ConsultationsPerShopDay = max(10, n*10/(83*cfg.Days*cfg.Shops))
		fmt.Fprintf(os.Stderr, "==> metrics at scale: ~%d messages (%d shops × %d consultations/day × %d days) into %s\n",
			n, cfg.Shops, cfg.ConsultationsPerShopDay, cfg.Days, name)
		if _, err := benchLoad(ctx, conn, cfg); err != nil {
			conn.Close()
			return err
		}
		msgs, err := warehouse.MessageRows(ctx, conn)
		if err != nil {
			conn.Close()
			return err
		}
		rep, err := metrics.Run(ctx, warehouse.Single(conn, db), s, cfg.Start, cfg.End().AddDate(0, 0, -1), nil)
		conn.Close()
		if err != nil {
			return err
		}
		key := fmt.Sprintf("scale_%dm", (msgs+500_000)/1_000_000)
		res.set(key+"_messages", msgs)
		var total float64
		for _, j := range rep.Jobs {
			res.set(key+"_"+j.Job+"_seconds", round3(j.Elapsed.Seconds()))
			total += j.Elapsed.Seconds()
		}
		res.set(key+"_metrics_seconds", round3(total))
		res.set(key+"_messages_per_s", round0(float64(msgs)/total))
	}
	return nil
}
