package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/spf13/cobra"
	"github.com/valyala/fastjson"

	"github.com/convintel/convintel/ingest"
	"github.com/convintel/convintel/simulate"
)

type simulateOptions struct {
	out, tally, start string
	toKafka           bool
	seed              uint64
	days, shops, rate int
	english, dup      float64
	anomalies         []string
	promotions        []string
	demoAnomalies     bool
	qa                bool
	growth            bool
}

func newSimulateCmd(a *app) *cobra.Command {
	var o simulateOptions
	def := simulate.DefaultConfig()
	cmd := &cobra.Command{
		Use:   "simulate",
		Short: "Generate realistic customer-service traffic (JSONL file or Kafka) with a ground-truth tally",
		Long: `simulate writes e-commerce customer-service traffic in Chinese and English:
shops with food, clothing and electronics products; buyers on taobao, jd,
douyin, wechat, whatsapp…; pre-sale and after-sale conversations with bot,
handoff and agent turns, bot fallbacks and ratings; orders created, paid,
cancelled and refunded. The same flags and seed give byte-identical output.

It can plant anomalies so that alerts have something real to find:
  topic_surge:shop=shop-01,product=p01-milk-powder,topic=shelf_life,day=20,factor=5
  dropoff_spike:shop=shop-02,stage=shipping,week=3,extra=0.3
  fallback_spike:shop=shop-03,day=24,rate=0.4,hour=10
  negative_surge:shop=shop-01,product=p01-nuts,day=22,rate=0.3
  conversion_drop:shop=shop-02,day=23,drop=0.6
(days and weeks count from 0 at --start; hour=H starts an intraday one at
H:00) and promotion days, whose traffic is several times an ordinary
day's (--promotion day=30,factor=5 as on 11-11). Beside the output it writes a
tally (FILE.tally.json): events by type and the conversion and GMV figures
computed in Go from the same events, to check the SQL against.`,
		Example: `  convintel simulate --out sim.jsonl.gz --days 28 --demo-anomalies
  convintel simulate --kafka --brokers 127.0.0.1:9092 --days 7`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := o.config()
			if err != nil {
				return usageErr("%v", err)
			}
			if o.out == "" && !o.toKafka {
				return usageErr("say where the events go: --out FILE.jsonl[.gz] or --kafka")
			}
			start := time.Now()
			var tally *simulate.Tally
			if o.toKafka {
				kc, err := a.kafka(cmd.Context())
				if err != nil {
					return err
				}
				tally, err = produceSimulation(cmd.Context(), kc, cfg)
				if err != nil {
					return err
				}
			} else {
				tally, err = writeSimulation(o.out, cfg)
				if err != nil {
					return err
				}
			}
			tallyPath := o.tally
			if tallyPath == "" && o.out != "" {
				tallyPath = simulate.TallyPath(o.out)
			}
			if tallyPath != "" {
				if err := writeJSON(tallyPath, tally); err != nil {
					return err
				}
			}
			el := time.Since(start)
			fmt.Fprintf(cmd.ErrOrStderr(), "simulated %d events (%d lines) over %d days in %s (%.0f events/s)",
				tally.Events, tally.LinesEmitted, cfg.Days, el.Round(time.Millisecond), float64(tally.LinesEmitted)/el.Seconds())
			if tallyPath != "" {
				fmt.Fprintf(cmd.ErrOrStderr(), "; tally in %s", tallyPath)
			}
			fmt.Fprintln(cmd.ErrOrStderr())
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.out, "out", "", "JSONL file to write (gzip when it ends in .gz)")
	f.BoolVar(&o.toKafka, "kafka", false, "produce to kafka.topic instead of a file")
	f.StringVar(&o.tally, "tally", "", "where to write the ground-truth tally (default FILE.tally.json)")
	f.Uint64Var(&o.seed, "seed", def.Seed, "random seed; same seed, same output")
	f.StringVar(&o.start, "start", def.Start.Format("2006-01-02"), "first day (Asia/Shanghai)")
	f.IntVar(&o.days, "days", def.Days, "number of days")
	f.IntVar(&o.shops, "shops", def.Shops, "number of shops")
	f.IntVar(&o.rate, "consultations-per-day", def.ConsultationsPerShopDay, "consultations per shop per day")
	f.Float64Var(&o.english, "english-share", def.EnglishShare, "share of buyers writing English")
	f.Float64Var(&o.dup, "duplicate-rate", def.DuplicateRate, "share of events delivered twice with the same event_id")
	f.StringArrayVar(&o.anomalies, "anomaly", nil, "plant an anomaly (repeatable; see above)")
	f.BoolVar(&o.qa, "qa", false, "agents break each quality-inspection rule now and then (forbidden phrases, slow replies, slow first responses) and say near-misses; the tally lists every violation")
	f.BoolVar(&o.growth, "growth", false, "script A/B tests (a true lift in shop-01, none in shop-02, a broken split in shop-03),\nnight staffing and a year of order history before --start (metrics §11–§14)")
	f.StringArrayVar(&o.promotions, "promotion", nil, "a promotion day: day=N,factor=F[,shops=shop-01+shop-02] (repeatable; traffic × F that day)")
	f.BoolVar(&o.demoAnomalies, "demo-anomalies", false, "plant one anomaly of each kind in the last full week, and a ×4 promotion day")
	return cmd
}

func (o simulateOptions) config() (simulate.Config, error) {
	cfg := simulate.DefaultConfig()
	start, err := time.ParseInLocation("2006-01-02", o.start, simulate.Shanghai)
	if err != nil {
		return cfg, fmt.Errorf("--start %q: use YYYY-MM-DD", o.start)
	}
	cfg.Seed, cfg.Start, cfg.Days, cfg.Shops = o.seed, start, o.days, o.shops
	cfg.ConsultationsPerShopDay, cfg.EnglishShare, cfg.DuplicateRate = o.rate, o.english, o.dup
	for _, s := range o.anomalies {
		an, err := simulate.ParseAnomaly(s)
		if err != nil {
			return cfg, fmt.Errorf("--anomaly %q: %w", s, err)
		}
		cfg.Anomalies = append(cfg.Anomalies, an)
	}
	for _, s := range o.promotions {
		p, err := simulate.ParsePromotion(s)
		if err != nil {
			return cfg, fmt.Errorf("--promotion: %w", err)
		}
		cfg.Promotions = append(cfg.Promotions, p)
	}
	if o.demoAnomalies {
		cfg.Anomalies = append(cfg.Anomalies, simulate.DemoAnomalies(cfg)...)
		cfg.Promotions = append(cfg.Promotions, simulate.DemoPromotions(cfg)...)
	}
	if o.qa {
		cfg.QA = simulate.DemoQAPlan()
	}
	if o.growth {
		cfg = cfg.WithGrowth()
	}
	return cfg, cfg.Validate()
}

func writeSimulation(path string, cfg simulate.Config) (*simulate.Tally, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var w io.Writer = f
	var zw *gzip.Writer
	if strings.HasSuffix(path, ".gz") {
		zw, _ = gzip.NewWriterLevel(f, gzip.BestSpeed)
		w = zw
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	tally, err := simulate.Run(cfg, func(line []byte) error {
		bw.Write(line)
		return bw.WriteByte('\n')
	})
	if err != nil {
		return nil, err
	}
	if err := bw.Flush(); err != nil {
		return nil, err
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			return nil, err
		}
	}
	return tally, f.Close()
}

// produceSimulation sends the simulated events to the event topic, keyed
// by buyer so each buyer's events stay ordered in one partition.
func produceSimulation(ctx context.Context, kc ingest.KafkaConfig, cfg simulate.Config) (*simulate.Tally, error) {
	if err := kc.EnsureTopics(ctx); err != nil {
		return nil, err
	}
	w, err := ingest.NewProducer(kc)
	if err != nil {
		return nil, err
	}
	defer w.Close()
	const chunk = 5000
	buf := make([]kafka.Message, 0, chunk)
	var p fastjson.Parser
	flush := func() error {
		if len(buf) == 0 {
			return nil
		}
		if err := w.WriteMessages(ctx, buf...); err != nil {
			return fmt.Errorf("produce to %s: %w", kc.Topic, err)
		}
		buf = buf[:0]
		return nil
	}
	tally, err := simulate.Run(cfg, func(line []byte) error {
		v, err := p.ParseBytes(line)
		if err != nil {
			return err
		}
		// Copy: fastjson's bytes and line are reused after this call.
		key := make([]byte, 0, 48)
		key = append(append(append(key, v.GetStringBytes("shop_id")...), '/'), v.GetStringBytes("customer_id")...)
		buf = append(buf, kafka.Message{Key: key, Value: append([]byte(nil), line...)})
		if len(buf) == chunk {
			return flush()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return tally, flush()
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
