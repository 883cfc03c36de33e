package clustertest

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/convintel/convintel/ingest"
	"github.com/convintel/convintel/ingest/kafkalocal"
	"github.com/convintel/convintel/ingest/simulate"
	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/nlp"
	"github.com/convintel/convintel/sql"
	"github.com/convintel/convintel/sql/chtest"
)

// TestClusterMatchesOneServer produces simulated traffic (with planted
// anomalies, duplicate deliveries and resent order events) to Kafka once;
// two ingest pipelines of one consumer group write it into the two-shard
// cluster through the Distributed tables, one pipeline of another group
// writes it into a single server. Then every buyer must sit on exactly the
// shard its hash names, metrics.RunCluster and metrics.Run must both
// succeed, and metrics.Show must give identical JSON for every metric, by
// date and by every dimension the metric allows.
func TestClusterMatchesOneServer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cl := chtest.NewCluster(t)
	single, singleDB := chtest.New(t)

	cfg := simulate.DefaultConfig()
	cfg.Seed = 5
	cfg.Days = 21
	cfg.Shops = 2
	cfg.ConsultationsPerShopDay = 90
	cfg.DuplicateRate = 0.02
	cfg.ResendRate = 0.03
	cfg.Anomalies = simulate.DemoAnomalies(cfg)

	broker, err := kafkalocal.Start(kafkalocal.Options{Partitions: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer broker.Close()
	kc := ingest.DefaultKafkaConfig()
	kc.Brokers = broker.Addrs()
	kc.Partitions = 4
	if err := kc.EnsureTopics(ctx); err != nil {
		t.Fatal(err)
	}
	model, err := nlp.Default()
	if err != nil {
		t.Fatal(err)
	}

	// Both consumer groups join before anything is produced, so the two
	// cluster pipelines share the partitions from the start.
	kc.Group = "cluster"
	clusterIngest := startPipelines(t, ctx, kc, model, cl.Global, cl.Global)
	kc.Group = "single"
	singleIngest := startPipelines(t, ctx, kc, model, single)
	time.Sleep(3 * time.Second)

	w, err := ingest.NewProducer(kc)
	if err != nil {
		t.Fatal(err)
	}
	var msgs []kafka.Message
	tally, err := simulate.Run(cfg, func(line []byte) error {
		msgs = append(msgs, kafka.Message{Key: []byte(fmt.Sprint(len(msgs) % 11)), Value: append([]byte(nil), line...)})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	if err := w.WriteMessages(ctx, msgs...); err != nil {
		t.Fatal(err)
	}
	w.Close()
	waitStored(t, ctx, cl.Global, cl.DB, tally.Events)
	clusterTook := time.Since(t0)
	waitStored(t, ctx, single, singleDB, tally.Events)
	clusterCounts := clusterIngest.stop(t)
	singleIngest.stop(t)
	t.Logf("%d events (%d distinct) into the cluster by two pipelines in %s: %v", len(msgs), tally.Events, clusterTook.Round(time.Millisecond), clusterCounts)
	for i, c := range clusterCounts {
		if c.Stored == 0 {
			t.Errorf("cluster pipeline %d stored nothing: the consumer group did not share the partitions (%v)", i+1, clusterCounts)
		}
	}

	var rawBytes uint64
	if err := single.QueryRow(ctx, `SELECT toUInt64(sum(bytes)) FROM system.parts WHERE active AND database = ?
        AND table IN ('messages', 'conversations', 'handoffs', 'ratings', 'orders')`, singleDB).Scan(&rawBytes); err != nil {
		t.Fatal(err)
	}
	t.Logf("raw tables on one server: %d bytes, %.0f bytes per event (unmerged parts, small data)", rawBytes, float64(rawBytes)/float64(tally.Events))

	// Every buyer on the shard its hash names (Distributed: key % 2 with
	// equal weights), so no buyer spans shards.
	for i, conn := range cl.Shards {
		for _, tbl := range []string{"messages", "conversations", "handoffs", "ratings", "orders"} {
			var here, wrong uint64
			q := fmt.Sprintf("SELECT count(), countIf(cityHash64(shop_id, customer_id) %% 2 != %d) FROM %s", i, tbl)
			if err := conn.QueryRow(ctx, q).Scan(&here, &wrong); err != nil {
				t.Fatal(err)
			}
			if here == 0 || wrong != 0 {
				t.Errorf("shard %d %s: %d rows, %d of buyers hashed to the other shard", i+1, tbl, here, wrong)
			}
		}
	}

	from, to := cfg.Start, cfg.Start.AddDate(0, 0, cfg.Days-1)
	s := metrics.DefaultSettings()
	t1 := time.Now()
	if _, err := metrics.Run(ctx, single, singleDB, s, from, to, nil); err != nil {
		t.Fatal(err)
	}
	singleRun := time.Since(t1)
	t1 = time.Now()
	rep, err := metrics.RunCluster(ctx, cl, s, from, to, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("metrics over %d days: one server %s, two shards %s (%d alert rows)", cfg.Days, singleRun.Round(time.Millisecond), time.Since(t1).Round(time.Millisecond), rep.Alerts)

	// The jobs ran on each shard; alerts were stored once, on shard 1.
	for i, conn := range cl.Shards {
		var consultations, alerts uint64
		if err := conn.QueryRow(ctx, "SELECT (SELECT count() FROM metric_consultations), (SELECT count() FROM metric_alerts)").Scan(&consultations, &alerts); err != nil {
			t.Fatal(err)
		}
		if consultations == 0 {
			t.Errorf("shard %d has no consultation summary: the jobs did not run there", i+1)
		}
		if (i == 0) != (alerts > 0) {
			t.Errorf("shard %d holds %d alert rows; want them on shard 1 only", i+1, alerts)
		}
	}

	compared, alerts := 0, 0
	for _, name := range metrics.Metrics {
		levels := []string{""}
		if name == "dropoff" {
			levels = []string{"node", "intent", "product"}
		}
		for _, level := range levels {
			queries := []metrics.Query{{From: from, To: to, Level: level}}
			if dims := metrics.Dimensions(name, level); len(dims) > 0 {
				var by []string
				for _, d := range dims {
					if d != "week" {
						by = append(by, d)
					}
				}
				queries = append(queries, metrics.Query{From: from, To: to, Level: level, By: by})
			}
			for _, q := range queries {
				want := showJSON(t, ctx, single, name, q)
				got := showJSON(t, ctx, cl.Global, name, q)
				if got != want {
					at := firstDiff(want, got)
					t.Errorf("show %s level %q by %v differs at byte %d:\n one server: …%s\n cluster:    …%s", name, level, q.By, at, clip(want, at), clip(got, at))
				}
				if len(want) < 10 {
					t.Errorf("show %s by %v is empty on one server: the comparison proves nothing", name, q.By)
				}
				if name == "alerts" {
					alerts = strings.Count(want, `"alert_id"`)
				}
				compared++
			}
		}
	}
	if alerts == 0 {
		t.Error("no alerts on the planted anomalies: the cluster alert path was not exercised")
	}
	t.Logf("compared %d Show results (%d alerts) as JSON", compared, alerts)
}

func showJSON(t *testing.T, ctx context.Context, conn sql.Conn, name string, q metrics.Query) string {
	t.Helper()
	rows, err := metrics.Show(ctx, conn, name, q)
	if err != nil {
		t.Fatalf("show %s: %v", name, err)
	}
	b, err := json.Marshal(rows)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func firstDiff(a, b string) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return i
}

// clip shows s around byte at.
func clip(s string, at int) string {
	lo, hi := max(0, at-200), min(len(s), at+300)
	return strings.ToValidUTF8(s[lo:hi], "") + "…"
}

// pipelines are ingest pipelines of one consumer group.
type pipelines struct {
	stopAll context.CancelFunc
	wg      sync.WaitGroup
	ps      []*ingest.Pipeline
	errs    []error
}

// startPipelines starts one pipeline per connection in consumer group
// kc.Group, like that many `convintel ingest` processes.
func startPipelines(t *testing.T, ctx context.Context, kc ingest.KafkaConfig, model *nlp.Model, conns ...sql.Conn) *pipelines {
	t.Helper()
	ctx, cancel := context.WithCancel(ctx)
	g := &pipelines{stopAll: cancel, errs: make([]error, len(conns))}
	for i, conn := range conns {
		p := ingest.NewPipeline(ingest.Options{Writer: ingest.NewWriter(conn, nil, nil), Enrich: ingest.NLPEnricher(model, false), Workers: 1})
		src, err := ingest.NewKafkaSource(kc, ingest.SourceOptions{BatchRows: 2000, BatchBytes: 8 << 20, BatchAge: 200 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		g.ps = append(g.ps, p)
		batches := make(chan ingest.Batch)
		g.wg.Add(2)
		go func() { defer g.wg.Done(); src.Run(ctx, batches) }()
		go func() {
			defer g.wg.Done()
			defer src.Close()
			if err := p.Run(ctx, batches); err != nil && ctx.Err() == nil {
				g.errs[i] = err
			}
		}()
	}
	t.Cleanup(func() { g.stopAll(); g.wg.Wait() })
	return g
}

func (g *pipelines) stop(t *testing.T) []ingest.Counts {
	t.Helper()
	g.stopAll()
	g.wg.Wait()
	var out []ingest.Counts
	for i, p := range g.ps {
		if g.errs[i] != nil {
			t.Fatalf("pipeline %d: %v", i+1, g.errs[i])
		}
		out = append(out, p.Counts())
	}
	return out
}

// waitStored waits until the database holds want distinct events.
func waitStored(t *testing.T, ctx context.Context, conn sql.Conn, db string, want int64) {
	t.Helper()
	var last uint64
	for ctx.Err() == nil {
		st, err := sql.Status(ctx, conn, db)
		if err != nil {
			t.Fatal(err)
		}
		last = st.EventsTotal
		if int64(last) >= want {
			if int64(last) > want {
				t.Fatalf("%s holds %d distinct events, more than the %d produced", db, last, want)
			}
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("%s: %d of %d distinct events stored before the deadline", db, last, want)
}
