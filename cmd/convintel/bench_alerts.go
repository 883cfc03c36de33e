package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/convintel/convintel/ingest"
	"github.com/convintel/convintel/ingest/simulate"
	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/nlp"
	"github.com/convintel/convintel/sql"
)

// benchLoad simulates cfg straight into conn through the ingest pipeline
// (decode, NLP, columnar insert; no Kafka) and returns the events stored.
func benchLoad(ctx context.Context, conn sql.Conn, cfg simulate.Config) (int64, error) {
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
func benchIntraday(ctx context.Context, res *benchResults, s metrics.Settings, n int, freshDB func(string) (sql.Conn, string, error)) error {
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
	cl := sql.Single(conn, db)
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
	var msgs uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM messages WHERE ts >= toDateTime(?)", day.Start.Unix()).Scan(&msgs); err != nil {
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
func benchMetricsScale(ctx context.Context, res *benchResults, s metrics.Settings, sizes []int, freshDB func(string) (sql.Conn, string, error)) error {
	for _, n := range sizes {
		name := fmt.Sprintf("bench_scale_%dm", n/1_000_000)
		if n < 1_000_000 {
			name = fmt.Sprintf("bench_scale_%dk", n/1000)
		}
		conn, db, err := freshDB(name)
		if err != nil {
			return err
		}
		cfg := simFor(n*10/7, 31) // simFor sizes events; ~0.7 messages per event
		fmt.Fprintf(os.Stderr, "==> metrics at scale: ~%d messages (%d shops × %d consultations/day × %d days) into %s\n",
			n, cfg.Shops, cfg.ConsultationsPerShopDay, cfg.Days, name)
		if _, err := benchLoad(ctx, conn, cfg); err != nil {
			conn.Close()
			return err
		}
		var msgs uint64
		if err := conn.QueryRow(ctx, "SELECT count() FROM messages").Scan(&msgs); err != nil {
			conn.Close()
			return err
		}
		rep, err := metrics.Run(ctx, sql.Single(conn, db), s, cfg.Start, cfg.End().AddDate(0, 0, -1), nil)
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
