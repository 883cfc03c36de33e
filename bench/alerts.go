package bench

import (
	"context"
	"fmt"
	"time"

	"github.com/convintel/convintel/ingest"
	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/simulate"
	"github.com/convintel/convintel/warehouse"
)

// IntradayEval is one hourly alert evaluation (metrics.md §8, Alerts v2)
// over the day so far, at Hour.
type IntradayEval struct {
	Hour    int
	Seconds float64
	Alerts  int
	// Computed is how many hours of the day the evaluation computed from
	// the raw events (1 when the scheduler runs it every hour).
	Computed int
}

// ScaleRun is every metric job over a month of about Messages messages.
type ScaleRun struct {
	Messages     uint64
	Jobs         []JobSeconds
	Seconds      float64
	MessagesPerS float64
}

// benchLoad simulates cfg straight into conn through the ingest pipeline
// (decode, NLP unless o.AlertStagesNoNLP, columnar insert; no Kafka) and
// returns the events stored.
func benchLoad(ctx context.Context, o Options, conn warehouse.Conn, cfg simulate.Config) (int64, error) {
	enrich := ingest.NLPEnricher(nil, false) // masking only
	if !o.AlertStagesNoNLP {
		model, err := o.NLP()
		if err != nil {
			return 0, err
		}
		enrich = ingest.NLPEnricher(model, false)
	}
	p := ingest.NewPipeline(ingest.Options{Writer: ingest.NewWriter(conn, nil, nil), Enrich: enrich, Workers: 2})
	in := make(chan ingest.Batch, 1)
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx, in) }()
	var b ingest.Batch
	_, err := simulate.Run(cfg, func(line []byte) error {
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

// consultationsFor is how many consultations per shop-day give about n
// messages over shopDays shop-days at the simulator's default mix: 7.07
// messages a consultation (8,518,499 messages from 1,204,800
// consultations, measured 2026-12-05), taken as 7 so n is reached.
func consultationsFor(n, shopDays int) int {
	return max(10, n/(7*shopDays))
}

// benchIntraday measures the hourly alert evaluation over a day of about
// o.IntradayMessages messages: 28 baseline days of 50 shops at a low
// volume (30 consultations a day: the evaluation reads a few thousand rows
// of their hourly table whatever their size) are loaded and computed, then
// one day of the messages. The evaluation runs first at 12:00 with nothing
// of the day computed yet (it computes twelve hours: a scheduler that
// starts at noon), then at every hour from 13:00 to 24:00 as the scheduler
// runs it (each computes the hour just finished and reads the day so far;
// 24:00 reads the whole day, its worst case). The database is kept for
// reruns.
func benchIntraday(ctx context.Context, o Options, r *Results) error {
	n := o.IntradayMessages
	base := simulate.DefaultConfig()
	base.Seed, base.Days, base.Shops, base.ConsultationsPerShopDay = 21, 28, 50, 30
	if n < 1_000_000 {
		base.Shops, base.ConsultationsPerShopDay = 5, 150
	}
	day := base
	day.Seed, day.Start, day.Days = 22, base.End(), 1
	day.ConsultationsPerShopDay = consultationsFor(n, day.Shops)
	day.Anomalies = []simulate.Anomaly{simulate.TopicSurge{Shop: simulate.ShopID(0), Product: simulate.Shops(1)[0].Products[4].ID,
		Topic: "shelf_life", Day: 0, Factor: 8, StartHour: 9}}
	const db = "bench_intraday"
	traffic := fmt.Sprintf("%+v\n%+v", base, day)
	conn, loaded, err := stageDB(ctx, o, db, traffic)
	if err != nil {
		return err
	}
	defer conn.Close()
	cl := warehouse.Single(conn, db)
	if !loaded {
		fmt.Fprintf(o.Log, "==> intraday: %d baseline days × %d shops, then one day of ~%d messages\n", base.Days, base.Shops, n)
		if _, err := benchLoad(ctx, o, conn, base); err != nil {
			return err
		}
		if _, err := metrics.Run(ctx, cl, o.Metrics, base.Start, base.Start.AddDate(0, 0, base.Days-1), nil); err != nil {
			return err
		}
		t0 := time.Now()
		stored, err := benchLoad(ctx, o, conn, day)
		if err != nil {
			return err
		}
		fmt.Fprintf(o.Log, "    loaded %d events of the day in %s\n", stored, time.Since(t0).Round(time.Second))
		if err := recordLoaded(ctx, o, db, traffic, conn); err != nil {
			return err
		}
	}
	msgs, err := warehouse.MessageRowsSince(ctx, conn, day.Start)
	if err != nil {
		return err
	}
	r.IntradayDayMessages = msgs
	// A first evaluation of the day computes every hour before it.
	if err := metrics.ForgetIntraday(ctx, cl, day.Start); err != nil {
		return err
	}
	for h := 12; h <= 24; h++ {
		rep, err := metrics.EvaluateIntradayCluster(ctx, cl, o.Metrics, day.Start.Add(time.Duration(h)*time.Hour))
		if err != nil {
			return err
		}
		r.IntradayEvals = append(r.IntradayEvals, IntradayEval{Hour: h, Seconds: round3(rep.Elapsed.Seconds()), Alerts: len(rep.Alerts),
			Computed: rep.HoursComputed})
		fmt.Fprintf(o.Log, "    evaluation at %02d:00 over %d messages of the day: %s, %d hours computed, %d alerts\n", h, msgs,
			rep.Elapsed.Round(time.Millisecond), rep.HoursComputed, len(rep.Alerts))
	}
	return nil
}

// benchScale times every metric job over a month of about n messages for
// each n of o.ScaleMessages (a database per size, kept for reruns), so
// docs/performance.md can show how job time grows with volume.
func benchScale(ctx context.Context, o Options, r *Results) error {
	for _, n := range o.ScaleMessages {
		name := fmt.Sprintf("bench_scale_%dm", n/1_000_000)
		if n < 1_000_000 {
			name = fmt.Sprintf("bench_scale_%dk", n/1000)
		}
		// A month of 5 shops.
		cfg := simulate.DefaultConfig()
		cfg.Seed, cfg.Days, cfg.Shops = 31, 30, 5
		cfg.ConsultationsPerShopDay = consultationsFor(n, cfg.Days*cfg.Shops)
		traffic := fmt.Sprintf("%+v", cfg)
		conn, loaded, err := stageDB(ctx, o, name, traffic)
		if err != nil {
			return err
		}
		if !loaded {
			fmt.Fprintf(o.Log, "==> metrics at scale: ~%d messages (%d shops × %d consultations/day × %d days) into %s\n",
				n, cfg.Shops, cfg.ConsultationsPerShopDay, cfg.Days, name)
			if _, err := benchLoad(ctx, o, conn, cfg); err != nil {
				conn.Close()
				return err
			}
			if err := recordLoaded(ctx, o, name, traffic, conn); err != nil {
				conn.Close()
				return err
			}
		}
		msgs, err := warehouse.MessageRows(ctx, conn)
		if err != nil {
			conn.Close()
			return err
		}
		rep, err := metrics.Run(ctx, warehouse.Single(conn, name), o.Metrics, cfg.Start, cfg.End().AddDate(0, 0, -1), nil)
		conn.Close()
		if err != nil {
			return err
		}
		run := ScaleRun{Messages: msgs}
		var total float64
		for _, j := range rep.Jobs {
			run.Jobs = append(run.Jobs, JobSeconds{Job: j.Job, Seconds: round3(j.Elapsed.Seconds())})
			total += j.Elapsed.Seconds()
		}
		run.Seconds, run.MessagesPerS = round3(total), round0(float64(msgs)/total)
		r.Scale = append(r.Scale, run)
	}
	return nil
}
