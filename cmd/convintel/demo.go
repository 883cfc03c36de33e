package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/simulate"
	"github.com/convintel/convintel/warehouse"
)

type demoOptions struct {
	out   string
	days  int
	shops int
	rate  int
	seed  uint64
}

func newDemoCmd(a *app) *cobra.Command {
	var o demoOptions
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run the whole pipeline on this machine: simulate, Kafka, ingest, metrics, reports",
		Long: `demo shows the product end to end with nothing to set up. It starts an
embedded Kafka and a local ClickHouse (database convintel_demo, recreated
each run), simulates four weeks of customer-service traffic for a few
shops with planted anomalies, produces it to Kafka, ingests it with NLP
enrichment, checks that every produced event is stored exactly once, runs
every metric job and report, writes the outputs under --out and prints what
to open and the ingest rate it achieved.`,
		Example: `  convintel demo
  convintel demo --days 14 --shops 2 --out /tmp/demo`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// Checked before anything is started: a run with a bad flag must
			// not drop the previous run's database.
			cfg, err := demoSimulation(o)
			if err != nil {
				return usageErr("%v", err)
			}
			return runDemo(cmd.Context(), a, o, cfg)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.out, "out", "out", "directory for reports, tallies and the status snapshot")
	f.IntVar(&o.days, "days", 28, "days of traffic, from "+simulate.DefaultConfig().Start.Format(time.DateOnly)+" (1..3660)")
	f.IntVar(&o.shops, "shops", 4, "number of shops (1..99)")
	f.IntVar(&o.rate, "consultations-per-day", 420, "consultations per shop per day (1..1000000; ×4 on the promotion day, 4 days before the end, when --days is 11 or more)")
	f.Uint64Var(&o.seed, "seed", 20261111, "random seed: the same flags and seed give the same data")
	return cmd
}

// demoSimulation is the simulated traffic of the demo, validated, with
// errors in the words of the demo's flags.
func demoSimulation(o demoOptions) (simulate.Config, error) {
	switch {
	case o.days < 1 || o.days > 3660:
		return simulate.Config{}, fmt.Errorf("--days %d: use 1..3660 (default 28)", o.days)
	case o.shops < 1 || o.shops > 99:
		return simulate.Config{}, fmt.Errorf("--shops %d: use 1..99 (default 4)", o.shops)
	case o.rate < 1 || o.rate > 1_000_000:
		return simulate.Config{}, fmt.Errorf("--consultations-per-day %d: use 1..1000000 (default 420)", o.rate)
	}
	cfg := simulate.DefaultConfig()
	cfg.Seed, cfg.Days, cfg.Shops, cfg.ConsultationsPerShopDay = o.seed, o.days, o.shops, o.rate
	cfg.Anomalies = simulate.DemoAnomalies(cfg)
	// Agents who now and then break each quality-inspection rule (§9).
	cfg.QA = simulate.DemoQAPlan()
	cfg = cfg.WithGrowth() // A/B tests, night staffing, a year of orders (§11–§14)
	// A promotion day (every shop ×4, as on 11-11) with nothing planted on
	// it: the early warnings must stay quiet through it.
	cfg.Promotions = simulate.DemoPromotions(cfg)
	cfg.NegativeOrderFactor = 0.6 // annoyed buyers buy less: negative surges cost money
	cfg.TopicOrderFactor = 0.5    // open product questions cost orders: topic surges cost money
	cfg.FallbackOrderFactor = 0.5 // a bot that cannot answer costs orders: fallback spikes cost money
	cfg.DuplicateRate = 0.005     // at-least-once delivery: dedup must absorb these
	return cfg, cfg.Validate()
}

func runDemo(ctx context.Context, a *app, o demoOptions, cfg simulate.Config) error {
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	say := func(format string, args ...any) { fmt.Fprintf(os.Stderr, "==> "+format+"\n", args...) }
	// The simulated promotion day is configured as a deployment lists
	// 11-11 (metrics.alerts.promotion_days): the early warnings keep it
	// out of their baselines (its ×4 traffic did already, by volume) and
	// the weekly page names it beside the week-over-week changes of the
	// week that holds it.
	days := slices.Clone(a.cfg.Metrics.Alerts.PromotionDays)
	for _, p := range cfg.Promotions {
		days = append(days, cfg.Start.AddDate(0, 0, p.Day).Format(time.DateOnly))
	}
	a.cfg.Metrics.Alerts.PromotionDays = days
	if a.cfg.ClickHouse.DSN == "" {
		a.cfg.ClickHouse.Database = "convintel_demo"
	}
	if err := dropDemoDatabase(ctx, a); err != nil {
		return err
	}
	conn, db, err := a.clickhouse(ctx)
	if err != nil {
		return err
	}
	say("ClickHouse ready (database %s)", db)

	kc, err := a.kafka(ctx)
	if err != nil {
		return err
	}
	say("simulating %d days × %d shops and producing to the embedded Kafka at %v", cfg.Days, cfg.Shops, kc.Brokers)
	t0 := time.Now()
	tally, err := produceSimulation(ctx, kc, cfg)
	if err != nil {
		return err
	}
	prodEl := time.Since(t0)
	if err := writeJSON(filepath.Join(o.out, "simulation.tally.json"), tally); err != nil {
		return err
	}
	say("produced %d events (%d messages) in %s", tally.LinesEmitted, tally.EventsByType["message"], prodEl.Round(time.Millisecond))

	say("ingesting: Kafka → decode → NLP → ClickHouse")
	t1 := time.Now()
	counts, err := runIngest(ctx, a, ingestRun{expect: tally.LinesEmitted, listen: "off"})
	if err != nil {
		return err
	}
	ingEl := time.Since(t1)
	rate := float64(counts.Consumed) / ingEl.Seconds()
	msgRate := float64(tally.MessagesBySender["customer"]+tally.MessagesBySender["bot"]+tally.MessagesBySender["agent"]) / ingEl.Seconds()
	say("ingested %d events in %s: %.0f events/s (%.0f messages/s)", counts.Consumed, ingEl.Round(time.Millisecond), rate, msgRate)

	st, err := warehouse.Status(ctx, conn, db)
	if err != nil {
		return err
	}
	if err := writeJSON(filepath.Join(o.out, "status.json"), st); err != nil {
		return err
	}
	if int64(st.EventsTotal) != tally.Events {
		return fmt.Errorf("stored %d distinct events but the simulator produced %d: events were lost or duplicated", st.EventsTotal, tally.Events)
	}
	say("check: %d distinct events produced = %d stored (after dedup of %d duplicate deliveries); %d dead letters",
		tally.Events, st.EventsTotal, tally.Duplicates, st.DeadLetters)

	if err := demoStages(ctx, a, o, cfg, say); err != nil {
		return err
	}
	say("done. Ingest rate: %.0f events/s, %.0f messages/s.", rate, msgRate)
	return nil
}

// dropDemoDatabase gives the demo a fresh database so its numbers are its
// own. It connects without migrating: the schema is created afterwards.
func dropDemoDatabase(ctx context.Context, a *app) error {
	if a.cfg.ClickHouse.DSN != "" {
		return nil // never drop a database on a server the user pointed us at
	}
	a.mu.Lock()
	dsn, err := a.dsnLocked(ctx)
	a.mu.Unlock()
	if err != nil {
		return err
	}
	conn, _, err := warehouse.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close()
	return warehouse.DropDatabase(ctx, conn, "convintel_demo")
}

// demoStages runs the metric jobs over the simulated range, writes every
// metric as JSON under out/metrics and prints the headline numbers.
func demoStages(ctx context.Context, a *app, o demoOptions, cfg simulate.Config, say func(string, ...any)) error {
	from, to := cfg.Start, cfg.End().AddDate(0, 0, -1)
	say("computing metrics %s .. %s", from.Format(time.DateOnly), to.Format(time.DateOnly))
	rep, err := runMetrics(ctx, a, from, to)
	if err != nil {
		return err
	}
	say("metrics computed in %s", rep.Elapsed.Round(time.Millisecond))
	conn, _, err := a.clickhouse(ctx)
	if err != nil {
		return err
	}
	dir := filepath.Join(o.out, "metrics")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	q := metrics.Query{From: from, To: to, By: []string{"shop_id"}}
	for _, name := range metrics.Names() {
		rows, err := metrics.Show(ctx, conn, name, q)
		if err != nil {
			return fmt.Errorf("show %s: %w", name, err)
		}
		if err := writeJSON(filepath.Join(dir, name+".json"), rows); err != nil {
			return err
		}
	}
	total := metrics.Query{From: from, To: to, By: []string{}}
	if rows, err := metrics.Show(ctx, conn, "conversion", total); err == nil && len(rows) == 1 {
		r := rows[0]
		say("询单转化: %v consulting buyers, order rate %v, final pay rate %v", get(r, "consulting_buyers"), get(r, "order_rate"), get(r, "final_pay_rate"))
	}
	if rows, err := metrics.Show(ctx, conn, "alerts", metrics.Query{From: from, To: to}); err == nil {
		// The anomaly rules (§8) apart from the agents' quality-inspection
		// alerts (§9), which any day with a rude or diverting message raises,
		// promotion day or not.
		var warnings []metrics.Row
		qa, priced := 0, 0
		for _, r := range rows {
			if get(r, "rule") == metrics.RuleQAViolation {
				qa++
				continue
			}
			warnings = append(warnings, r)
			if m, ok := get(r, "gmv_at_stake_period").(metrics.Money); ok && m > 0 {
				priced++
			}
		}
		say("early warnings raised: %d (planted anomalies: %d), %d of them with money at stake; quality-inspection alerts: %d",
			len(warnings), len(cfg.Anomalies), priced, qa)
		// Side by side, so a reader can tell a found anomaly from one the
		// data produced on its own (the alerts report explains each).
		for _, r := range warnings {
			what := fmt.Sprint(get(r, "shop_id"))
			if sub := fmt.Sprint(get(r, "subject")); sub != what {
				what += " " + sub
			}
			origin := "not planted: the simulated buyers produced it on their own (the alerts report shows its evidence)"
			if plantedAlert(cfg.Anomalies, fmt.Sprint(get(r, "rule")), fmt.Sprint(get(r, "shop_id")), fmt.Sprint(get(r, "product_id"))) {
				origin = "planted"
			}
			say("  raised:  %s %s, opened %v (%s), %s", get(r, "rule"), what, get(r, "opened"), get(r, "severity"), origin)
		}
		for _, an := range cfg.Anomalies {
			say("  planted: %s", plantedText(cfg, an))
		}
		for _, p := range cfg.Promotions {
			d := cfg.Start.AddDate(0, 0, p.Day).Format(time.DateOnly)
			n := 0
			for _, r := range warnings {
				if fmt.Sprint(get(r, "opened")) == d {
					n++
				}
			}
			say("promotion day %s (traffic ×%g, nothing planted): %d early warnings opened on it", d, p.Factor, n)
		}
	}
	if rows, err := metrics.Show(ctx, conn, "violations", metrics.Query{From: from, To: to}); err == nil {
		say("智能质检: %d violations found in every bot and agent message (see the qa report)", len(rows))
	}
	say("metric results as JSON in %s/", dir)

	// Reports: the last simulated week (weekly, alerts) and the whole
	// range (GMV contribution), as self-contained offline HTML.
	loc, err := time.LoadLocation(a.cfg.Metrics.Timezone)
	if err != nil {
		return err
	}
	lastWeek := reports.WeekOf(to.In(loc))
	whole := reports.Period{From: from.In(loc), To: to.In(loc)} // in the metrics zone, as `convintel report` reads dates
	cov, err := reports.ShowCoverage(conn, loc, a.cfg.Metrics.AttributionWindow)(ctx)
	if err != nil {
		return err
	}
	dimFile := filepath.Join(o.out, "dimensions.csv")
	if err := writeDemoDimensions(dimFile, simulate.Shops(cfg.Shops), cfg.Experiments); err != nil {
		return err
	}
	names, err := reports.LoadDimensions(dimFile)
	if err != nil {
		return err
	}
	type job struct {
		kind, lang string
		period     reports.Period
	}
	// Every report in both languages over the last week; the GMV
	// contribution also over the whole range, and the experiments only
	// over it (an A/B test runs for weeks). A page links the file of its
	// own days of each kind, else the other, named with its days
	// (reports.PeriodFileNav): the week's pages linked only a four-week
	// GMV dashboard, every amount three times the scoreboard's.
	var jobs []job
	for _, kind := range reports.Kinds {
		periods := []reports.Period{lastWeek}
		switch kind {
		case "gmv":
			periods = append(periods, whole)
		case "experiments":
			periods = []reports.Period{whole}
		}
		for _, period := range periods {
			jobs = append(jobs, job{kind, reports.LangZH, period}, job{kind, "en", period})
		}
	}
	var written []string
	fileName := func(j job) string {
		label := j.period.Week
		if label == "" {
			label = j.period.From.Format(time.DateOnly) + "_" + j.period.To.Format(time.DateOnly)
		}
		return fmt.Sprintf("%s-%s.%s.html", j.kind, label, j.lang)
	}
	// every file links the others (reports.FileNav): they open offline
	var files []reports.NavFile
	for _, j := range jobs {
		files = append(files, reports.NavFile{Kind: j.kind, Lang: j.lang, Name: fileName(j), Period: j.period})
	}
	for _, j := range jobs {
		name := fileName(j)
		path := filepath.Join(o.out, name)
		write := func(w io.Writer) error {
			return reports.Generate(ctx, reports.ShowSource(conn), j.kind, reports.Scope{Period: j.period, Coverage: cov, Retention: a.cfg.Metrics.Retention, QA: a.cfg.Metrics.QA, PromotionDays: a.cfg.Metrics.Alerts.PromotionDays}, w,
				reports.RenderOptions{Lang: j.lang, Names: names, Nav: reports.PeriodFileNav(j.lang, j.kind, j.period, files)})
		}
		if err := reports.WriteFile(path, write); err != nil {
			return fmt.Errorf("report %s: %w", j.kind, err)
		}
		abs, _ := filepath.Abs(path)
		written = append(written, abs)
	}
	say("reports (open offline in any browser):")
	for _, w := range written {
		fmt.Fprintf(os.Stderr, "      file://%s\n", w)
	}
	// The simulated weeks lie in the past: the link names the last one, so
	// it opens on data whatever today's date is.
	absDim, _ := filepath.Abs(dimFile)
	say("live dashboards: CONVINTEL_REPORTS_DIMENSIONS_FILE=%s CONVINTEL_METRICS_ALERTS_PROMOTION_DAYS=%s ./bin/convintel serve --home %s --database %s   then open http://%s/weekly?week=%s",
		absDim, strings.Join(a.cfg.Metrics.Alerts.PromotionDays, ","), a.cfg.Home, a.cfg.ClickHouse.Database, a.cfg.Dashboards.Listen, lastWeek.Week)
	return nil
}

func get(r metrics.Row, key string) any {
	v, _ := r.Get(key)
	return v
}

// plantedText says what the simulator planted, in the words of the alert
// that should find it.
// plantedAlert reports whether an alert of rule on shop (and product, for
// the per-product rules) is one of the planted anomalies.
func plantedAlert(planted []simulate.Anomaly, rule, shop, product string) bool {
	for _, a := range planted {
		if a.Kind() != rule {
			continue
		}
		var s, p string
		switch a := a.(type) {
		case simulate.TopicSurge:
			s, p = a.Shop, a.Product
		case simulate.NegativeSurge:
			s, p = a.Shop, a.Product
		case simulate.FallbackSpike:
			s, p = a.Shop, product
		case simulate.ConversionDrop:
			s, p = a.Shop, product
		case simulate.DropoffSpike:
			s, p = a.Shop, product
		}
		if s == shop && p == product {
			return true
		}
	}
	return false
}

func plantedText(cfg simulate.Config, a simulate.Anomaly) string {
	day := func(d int) string { return cfg.Start.AddDate(0, 0, d).Format(time.DateOnly) }
	switch a := a.(type) {
	case simulate.TopicSurge:
		return fmt.Sprintf("%s %s %s/%s on %s", a.Kind(), a.Shop, a.Product, a.Topic, day(a.Day))
	case simulate.NegativeSurge:
		return fmt.Sprintf("%s %s %s on %s", a.Kind(), a.Shop, a.Product, day(a.Day))
	case simulate.FallbackSpike:
		return fmt.Sprintf("%s %s on %s", a.Kind(), a.Shop, day(a.Day))
	case simulate.ConversionDrop:
		return fmt.Sprintf("%s %s on %s", a.Kind(), a.Shop, day(a.Day))
	case simulate.DropoffSpike:
		return fmt.Sprintf("%s %s %s in the week of %s", a.Kind(), a.Shop, a.Stage, cfg.WeekMonday(a.Week).Format(time.DateOnly))
	}
	return a.Kind()
}
