package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/convintel/convintel/ingest"
	"github.com/convintel/convintel/nlp"
	"github.com/convintel/convintel/warehouse"
)

// The labelling loop (docs/nlp.md, "The labelling loop"): nlp sample →
// a person fills the label column → nlp train --labels (gated) → nlp
// models list|activate|rollback.

// nlpLoopConfig is what the loop's commands need beyond nlpConfig.
type nlpLoopConfig interface {
	nlpConfig
	clickhouse(ctx context.Context) (warehouse.Conn, string, error)
	NLPTimezone() string
}

// addNLPLoopCmds adds nlp models, and nlp sample when cfg reaches
// ClickHouse (the application does; a test's bare model-dir config not).
func addNLPLoopCmds(cmd *cobra.Command, cfg nlpConfig) {
	cmd.AddCommand(newNLPModelsCmd(cfg))
	if lc, ok := cfg.(nlpLoopConfig); ok {
		cmd.AddCommand(newNLPSampleCmd(lc))
	}
}

// NLPTimezone is the zone `nlp sample` reads its dates in (the metrics one).
func (a *app) NLPTimezone() string { return a.cfg.Metrics.Timezone }

// registry returns the model registry under the model dir.
func modelRegistry(cfg nlpConfig) (nlp.Registry, error) {
	dir := cfg.NLPModelDir()
	if dir == "" {
		return nlp.Registry{}, errors.New("no model dir: set nlp.model_dir or --home")
	}
	return nlp.Registry{Dir: dir}, nil
}

// loadActiveModel loads the active registry version (else the classifiers
// in the model dir, else the embedded model).
func loadActiveModel(cfg nlpConfig) (*nlp.Model, error) {
	if cfg.NLPModelDir() == "" {
		return nlp.Load("", cfg.NLPTopicsFile())
	}
	return nlp.Registry{Dir: cfg.NLPModelDir()}.LoadActive(cfg.NLPTopicsFile())
}

func newNLPSampleCmd(cfg nlpLoopConfig) *cobra.Command {
	var from, to, shop, out string
	var rate float64
	cmd := &cobra.Command{
		Use:   "sample --from DATE --to DATE [--rate 0.03] [--out FILE.csv]",
		Short: "Export a sample of customer messages for a person to label (the daily 3 % of the labelling loop)",
		Long: `sample draws rate × the customer messages whose intent the model predicted
between --from and --to (days in metrics.timezone, both included) and writes
them as CSV, masked, with the predicted intent, its confidence, the model
version that read it and an empty label column for the labeller.

The sample is stratified by predicted intent (each intent's share grows with
the square root of its count, so rare intents are seen) and, within an
intent, prefers messages the model was unsure of (weight 1.25 − confidence).
The same window always gives the same sample. A text repeated in the window
(在吗, 好的) is drawn once per intent.

Fill the label column with one intent of the taxonomy (or leave it empty to
skip the row), then run convintel nlp train --labels FILE.`,
		Example: `  convintel nlp sample --from 2026-12-01 --to 2026-12-01 --rate 0.03 --out labels-1201.csv
  convintel nlp sample --from 2026-12-01 --to 2026-12-07 --shop shop-42 > week.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if rate <= 0 || rate > 1 {
				return usageErr("--rate %g: use a fraction in (0, 1], e.g. 0.03 for 3 %%", rate)
			}
			loc, err := time.LoadLocation(cfg.NLPTimezone())
			if err != nil {
				return fmt.Errorf("metrics.timezone: %w", err)
			}
			f, err := parseDay("from", from, loc)
			if err != nil {
				return usageErr("%v", err)
			}
			t, err := parseDay("to", to, loc)
			if err != nil {
				return usageErr("%v", err)
			}
			if t.Before(f) {
				return usageErr("--to %s is before --from %s", to, from)
			}
			conn, _, err := cfg.clickhouse(cmd.Context())
			if err != nil {
				return err
			}
			w := warehouse.SampleWindow{From: f, To: t.AddDate(0, 0, 1), Shop: shop}
			var dst io.Writer = cmd.OutOrStdout()
			var file *os.File
			if out != "" {
				if file, err = os.Create(out); err != nil {
					return err
				}
				defer file.Close()
				dst = file
			}
			n, total, err := writeSample(cmd.Context(), conn, w, rate, loc, dst)
			if err != nil {
				return err
			}
			if file != nil {
				if err := file.Close(); err != nil {
					return err
				}
			}
			if total == 0 {
				fmt.Fprintf(cmd.ErrOrStderr(), "no customer messages whose intent the model predicted between %s and %s (messages with an upstream intent are the bot engine's call and are not sampled); check the dates and metrics.timezone\n", from, to)
				return nil
			}
			where := "stdout"
			if out != "" {
				where = out
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "sampled %d of %d model-read customer messages (%s to %s) into %s; fill its label column, then: convintel nlp train --labels %s\n",
				n, total, from, to, where, where)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&from, "from", "", "first day, YYYY-MM-DD in metrics.timezone")
	f.StringVar(&to, "to", "", "last day, included")
	f.Float64Var(&rate, "rate", 0.03, "fraction of the window's model-read customer messages to sample")
	f.StringVar(&shop, "shop", "", "one shop only (default: every shop)")
	f.StringVar(&out, "out", "", "CSV file to write (default: stdout)")
	cmd.MarkFlagRequired("from")
	cmd.MarkFlagRequired("to")
	return cmd
}

// writeSample draws the sample of w and writes it as CSV; it returns the
// rows written and the messages drawn from.
func writeSample(ctx context.Context, conn warehouse.Conn, w warehouse.SampleWindow, rate float64, loc *time.Location, dst io.Writer) (int, int, error) {
	counts, err := warehouse.SampleStrata(ctx, conn, w)
	if err != nil {
		return 0, 0, err
	}
	strata := make([]nlp.Stratum, len(counts))
	total := 0
	for i, c := range counts {
		strata[i] = nlp.Stratum{Intent: c.Intent, Messages: int(c.Messages)}
		total += int(c.Messages)
	}
	quotas := nlp.SampleQuotas(strata, rate)
	most := 0
	for _, q := range quotas {
		most = max(most, q)
	}
	var picked []nlp.SampledMessage
	if most > 0 {
		stored, err := warehouse.SampleMessages(ctx, conn, w, most)
		if err != nil {
			return 0, total, err
		}
		cands := make([]nlp.SampledMessage, len(stored))
		for i, m := range stored {
			cands[i] = nlp.SampledMessage{ConversationID: m.ConversationID, EventID: m.EventID, ShopID: m.ShopID,
				TsMs: m.TsMs, Text: m.Text, Intent: m.Intent, Confidence: m.Confidence, Model: m.Model,
				OrderReferenced: m.OrderReferenced}
		}
		picked = nlp.PickSample(cands, quotas)
	}
	return len(picked), total, nlp.WriteSampleCSV(dst, picked, loc)
}

func newNLPTrainCmd(cfg nlpConfig) *cobra.Command {
	var task, data string
	var labels []string
	var in nlp.RetrainInput
	var noActivate, onlyGiven, force bool
	cmd := &cobra.Command{
		Use:   "train --labels FILE.csv [--labels FILE.csv …]",
		Short: "Retrain with a shop's labels; the new model goes live only if it is not worse on the held-out sets",
		Long: `train merges the shop's labelled files (written by convintel nlp sample, label
column filled; or any CSV with text and label columns) with the base data,
trains a new model and stores it as the next version in the model registry
(<model dir>/versions/vNNNN).

The base data is what the embedded model was trained on (nlp.BaseCorpus):
the repository's sets plus the public corpora read from --data. Without
them the new model starts from less than the embedded one and may well be
refused.

Part of the shop's labels, by conversation (--holdout, default 20 %; the same
conversations every time), is never trained on: it is the shop's own
held-out set. The new model goes live only if it is not worse than the
active model on that set and on every built-in held-out set: worse means
its accuracy is more than --tolerance below the active model's and the
examples it lost against those it won are unlikely by chance (one-sided
exact McNemar test, p < 0.05). Otherwise it is refused (kept in the registry as refused,
not activated) and the figures are printed side by side; the command exits 1.

The label files of every accepted version are kept in the registry
(<model dir>/labels) and included in later trainings, so each day's labels
add to the earlier ones (--only-given trains on the given files alone).
A label that is not an intent of the taxonomy refuses the whole file, with
every bad line listed. A running ingest switches to a newly active version
within 10 seconds.`,
		Example: `  convintel nlp train --labels labels-1201.csv
  convintel nlp train --labels labels-1201.csv --labels labels-1202.csv --holdout 0.25
  convintel nlp models list`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			reg, err := modelRegistry(cfg)
			if err != nil {
				return err
			}
			return reg.TrainWithLabels(cmd.Context(), cmd.OutOrStdout(), nlp.LabelTraining{
				Task: task, Topics: cfg.NLPTopicsFile(), DataDir: data, Files: labels, In: in,
				Activate: !noActivate, OnlyGiven: onlyGiven, Force: force})
		},
	}
	f := cmd.Flags()
	f.StringVar(&task, "task", nlp.TaskIntent, "intent or sentiment")
	f.StringArrayVar(&labels, "labels", nil, "the shop's labelled CSV (repeat for several files)")
	f.StringVar(&data, "data", "", "directory with the public corpora the base data includes (default $CONVINTEL_NLP_DATA or ../shared/nlp-data)")
	f.Float64Var(&in.HeldOutFraction, "holdout", 0.2, "fraction of the shop's conversations kept out of training as its held-out set")
	f.Float64Var(&in.Tolerance, "tolerance", 0.01, "a drop in held-out accuracy up to this always passes; a larger one refuses the model when significant (p < 0.05)")
	f.IntVar(&in.Train.Epochs, "epochs", 0, "training epochs (0 = default)")
	f.BoolVar(&noActivate, "no-activate", false, "store the new version but leave the active one (activate it later with nlp models activate)")
	f.BoolVar(&force, "force", false, "activate the new version even if the gate refuses it (the refusal is still recorded)")
	f.BoolVar(&onlyGiven, "only-given", false, "train on the --labels files only, not also on the labels kept from earlier accepted versions")
	cmd.MarkFlagRequired("labels")
	return cmd
}

func newNLPModelsCmd(cfg nlpConfig) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "models",
		Short: "List, activate and roll back the trained model versions under the model dir",
		Long: `Every nlp train run stores a version under the model dir (nlp.model_dir,
default <home>/models):

  versions/v0001/manifest.json   created, task, state (accepted|refused), parent,
                                 source data, held-out figures, the gate's table
  versions/v0001/*.model         the classifiers of that version
  active.json                    the active version and the history rollback pops
  labels/                        the label files of accepted versions

builtin is the model embedded in the binary. Ingest loads the active version
when it starts (and switches within 10 s when another is activated), and
each enriched message records it (column nlp_model;
convintel status shows the stored messages per model).`,
		Example: `  convintel nlp models list
  convintel nlp models activate v0003
  convintel nlp models rollback`,
	}
	var format string
	list := &cobra.Command{
		Use:     "list",
		Short:   "Show every version: created, source data, held-out figures, state, which is active",
		Example: `  convintel nlp models list`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "table" && format != "json" {
				return usageErr("--format %q: use table or json", format)
			}
			reg, err := modelRegistry(cfg)
			if err != nil {
				return err
			}
			return listModels(cmd.OutOrStdout(), reg, format)
		},
	}
	list.Flags().StringVar(&format, "format", "table", "table or json")
	var force bool
	activate := &cobra.Command{
		Use:   "activate VERSION",
		Short: "Make VERSION (e.g. v0003, or builtin for the embedded model) the active model",
		Example: `  convintel nlp models activate v0003
  convintel nlp models activate builtin     # back to the model embedded in the binary`,
		Long: `activate makes a stored version the one ingest enriches with (a running
ingest switches within 10 seconds) and nlp eval/predict use. The previous active version is remembered, so
convintel nlp models rollback returns to it. A version the gate refused
needs --force.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			reg, err := modelRegistry(cfg)
			if err != nil {
				return err
			}
			st, err := reg.Activate(args[0], force)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s is active; a running ingest switches to it within 10 s\n", st.Version)
			return nil
		},
	}
	activate.Flags().BoolVar(&force, "force", false, "activate even a version the gate refused")
	rollback := &cobra.Command{
		Use:     "rollback",
		Short:   "Re-activate the version that was active before the current one",
		Example: `  convintel nlp models rollback`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			reg, err := modelRegistry(cfg)
			if err != nil {
				return err
			}
			prev, err := reg.Active()
			if err != nil {
				return err
			}
			st, err := reg.Rollback()
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "rolled back from %s to %s; a running ingest switches to it within 10 s\n", prev.Version, st.Version)
			return nil
		},
	}
	cmd.AddCommand(list, activate, rollback)
	return cmd
}

type modelRow struct {
	nlp.Manifest
	Active bool `json:"active"`
}

func listModels(w io.Writer, reg nlp.Registry, format string) error {
	vs, err := reg.Versions()
	if err != nil {
		return err
	}
	st, err := reg.Active()
	if err != nil {
		return err
	}
	active := st.Version
	if active == "" {
		active = nlp.BuiltinVersion
	}
	if format == "json" {
		rows := []modelRow{}
		for _, v := range vs {
			rows = append(rows, modelRow{v, v.Version == active})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"active": active, "history": st.History, "builtin": nlp.BuiltinModelVersion(), "versions": rows})
	}
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "\tversion\tcreated (UTC)\ttask\tstate\tparent\tsource data\theld-out accuracy")
	mark := func(v string) string {
		if v == active {
			return "*"
		}
		return ""
	}
	fmt.Fprintf(tw, "%s\t%s\t-\tboth\tembedded\t-\tbuilt into this binary (%s)\t-\n", mark(nlp.BuiltinVersion), nlp.BuiltinVersion, nlp.BuiltinModelVersion())
	for _, v := range vs {
		var src, held []string
		for _, s := range v.Sources {
			if s.Kind == "shop" {
				src = append(src, fmt.Sprintf("%s (%d: %d train, %d held out)", filepath.Base(s.Name), s.Rows, s.Train, s.HeldOut))
			} else {
				src = append(src, fmt.Sprintf("%s (%d)", s.Name, s.Rows))
			}
		}
		for _, h := range v.HeldOut {
			held = append(held, fmt.Sprintf("%s %.3f (n=%d)", h.Set, h.Accuracy, h.N))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", mark(v.Version), v.Version, v.Created.Format("2006-01-02 15:04"),
			v.Task, v.State, v.Parent, strings.Join(src, " + "), strings.Join(held, ", "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(st.History) > 0 {
		fmt.Fprintf(w, "\nactive: %s; rollback returns to %s\n", active, st.History[len(st.History)-1])
	} else {
		fmt.Fprintf(w, "\nactive: %s\n", active)
	}
	return nil
}

// nlpStatus is what status reports about the NLP models.
type nlpStatus struct {
	Active string               `json:"active"`
	Stored []warehouse.ModelUse `json:"stored_messages_by_model"`
	Note   string               `json:"note,omitempty"`
}

func collectNLPStatus(ctx context.Context, a *app, conn warehouse.Conn) nlpStatus {
	var s nlpStatus
	if m, err := loadActiveModel(a); err != nil {
		s.Note = err.Error()
	} else {
		s.Active = m.Version()
	}
	uses, err := warehouse.ModelVersions(ctx, conn)
	if err != nil {
		s.Note = err.Error()
	}
	s.Stored = uses
	return s
}

func printNLPStatus(w io.Writer, s nlpStatus) {
	fmt.Fprintf(w, "\nNLP model active: %s (loaded by ingest at its start)\n", s.Active)
	if len(s.Stored) > 0 {
		fmt.Fprintln(w, "customer messages stored, by the model that enriched them")
		for _, u := range s.Stored {
			name := u.Model
			if name == "" {
				name = "(none recorded)"
			}
			fmt.Fprintf(w, "  %-22s %12d  %s … %s\n", name, u.Messages, u.First.UTC().Format("2006-01-02 15:04"), u.Last.UTC().Format("2006-01-02 15:04"))
		}
	}
	if s.Note != "" {
		fmt.Fprintf(w, "  (%s)\n", s.Note)
	}
}

// printWindowModels says which NLP models enriched the customer messages a
// metric run read, so a rerun after `nlp models activate` or a
// re-enrichment shows which model its intents (pre-sale or not, funnel
// stage) came from.
func printWindowModels(ctx context.Context, a *app, w io.Writer, from, to time.Time) error {
	conn, _, err := a.clickhouse(ctx)
	if err != nil {
		return err
	}
	uses, err := warehouse.ModelVersionsIn(ctx, conn, from, to)
	if err != nil {
		return err
	}
	var parts []string
	for _, u := range uses {
		name := u.Model
		if name == "" {
			name = "(none recorded)"
		}
		parts = append(parts, fmt.Sprintf("%s %d", name, u.Messages))
	}
	if len(parts) > 0 {
		fmt.Fprintf(w, "customer messages read, by NLP model: %s\n", strings.Join(parts, ", "))
	}
	return nil
}

// modelWatchEvery is how often a running ingest looks for a newly
// activated model version.
const modelWatchEvery = 10 * time.Second

// liveEnricher returns an enricher whose model watchActiveModel may swap.
func (a *app) liveEnricher(m *nlp.Model) ingest.Enricher {
	h := ingest.NewModelHolder(m, false)
	a.mu.Lock()
	a.live = h
	a.mu.Unlock()
	return h.Enricher()
}

// watchActiveModel checks the registry's active version every interval
// and, when it changed (nlp models activate/rollback, an accepted nlp
// train), loads it and swaps it into the running ingest; a version that
// does not load is logged and the current model kept. It returns a stop
// function.
func (a *app) watchActiveModel(ctx context.Context, every time.Duration) func() {
	a.mu.Lock()
	h := a.live
	a.mu.Unlock()
	dir := a.NLPModelDir()
	if h == nil || dir == "" {
		return func() {}
	}
	reg := nlp.Registry{Dir: dir}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		last, _ := reg.Active()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			st, err := reg.Active()
			if err != nil || st.Version == last.Version {
				continue
			}
			last = st
			m, err := reg.LoadActive(a.cfg.NLP.TopicsFile)
			if err != nil {
				a.log.Warn("newly active NLP model does not load; ingest keeps its model", "version", st.Version, "keeps", h.Version(), "err", err)
				continue
			}
			prev := h.Swap(m)
			a.log.Info("NLP model switched", "from", prev, "to", m.Version())
		}
	}()
	return func() { cancel(); <-done }
}
