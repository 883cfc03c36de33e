package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/convintel/convintel/warehouse"
)

func newStatusCmd(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show what is stored and flowing: events by type, dead letters, consumer lag",
		Long: `status counts the events stored per type (after dedup by event_id), the dead
letters per reason, which database it reads and which dates hold events and
computed metrics (and up to which day their order windows are complete),
the consumer group's lag on the event topic (when
--brokers or kafka.brokers names a broker), the ClickHouse version and the
data size on disk.`,
		Example: `  convintel status
  convintel status --database convintel_demo
  convintel status --format json | jq .events`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "table" && format != "json" {
				return usageErr("--format %q: use table or json", format)
			}
			st, err := collectStatus(cmd.Context(), a)
			if err != nil {
				return err
			}
			if format == "json" {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(st)
			}
			printStatus(cmd.OutOrStdout(), st)
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "table or json")
	return cmd
}

type status struct {
	warehouse.Stored
	// Metrics says which days hold computed metrics and up to which day
	// their order windows are complete.
	Metrics       metricsCoverage `json:"metrics"`
	ConsumerLag   *int64          `json:"consumer_lag"`
	LagNote       string          `json:"consumer_lag_note,omitempty"`
	ConsumerGroup string          `json:"consumer_group"`
	Topic         string          `json:"topic"`

	// NLP is the active model and the models of the stored messages.
	NLP nlpStatus `json:"nlp"`

	// Retention is how long each table family is kept (days; 0 forever).
	Retention RetentionConfig `json:"retention"`
}

func collectStatus(ctx context.Context, a *app) (status, error) {
	conn, db, err := a.clickhouse(ctx)
	if err != nil {
		return status{}, err
	}
	var stored warehouse.Stored
	if a.cluster != nil {
		stored, err = a.cluster.Status(ctx) // data size summed over every node
	} else {
		stored, err = warehouse.Status(ctx, conn, db)
	}
	if err != nil {
		return status{}, err
	}
	st := status{Stored: stored, ConsumerGroup: a.cfg.Kafka.Group, Topic: a.cfg.Kafka.Topic, Retention: a.cfg.Retention}
	if st.Metrics, err = readMetricsCoverage(ctx, a, conn); err != nil {
		return status{}, err
	}
	st.NLP = collectNLPStatus(ctx, a, conn)
	if len(a.cfg.Kafka.Brokers) == 0 {
		st.LagNote = "no brokers configured: the embedded Kafka lives inside the process that started it"
		return st, nil
	}
	lctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	lag, _, err := a.cfg.Kafka.GroupLag(lctx)
	if err != nil {
		st.LagNote = lagNote(err, a.cfg.Kafka.Brokers)
		return st, nil
	}
	st.ConsumerLag = &lag
	return st, nil
}

func printStatus(w io.Writer, st status) {
	fmt.Fprintf(w, "ClickHouse %s, database %s, %s on disk\n", st.ClickHouseVersion, st.Database, humanBytes(st.DataBytes))
	printCoverage(w, st)
	fmt.Fprintln(w)
	fmt.Fprintf(w, "events stored (distinct event_id)\n")
	for _, t := range []string{"conversation_started", "message", "handoff", "conversation_ended", "rating", "order"} {
		fmt.Fprintf(w, "  %-22s %12d\n", t, st.Events[t])
	}
	fmt.Fprintf(w, "  %-22s %12d\n\n", "total", st.EventsTotal)
	fmt.Fprintf(w, "dead letters             %12d\n", st.DeadLetters)
	reasons := make([]string, 0, len(st.DeadLettersByReason))
	for r := range st.DeadLettersByReason {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		fmt.Fprintf(w, "  %-22s %12d\n", r, st.DeadLettersByReason[r])
	}
	fmt.Fprintln(w)
	if st.ConsumerLag != nil {
		fmt.Fprintf(w, "consumer lag (%s on %s) %d\n", st.ConsumerGroup, st.Topic, *st.ConsumerLag)
	} else {
		fmt.Fprintf(w, "consumer lag: unknown (%s)\n", st.LagNote)
	}
	printNLPStatus(w, st.NLP)
	r := st.Retention
	fmt.Fprintf(w, "retention (days, 0 = forever): raw events %d, dead letters %d, metric results %d\n", r.RawEventsDays, r.DeadLettersDays, r.MetricResultsDays)
}

func humanBytes(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// lagNote says why the lag is unknown: a broker that does not answer in
// the words of the setting to check, anything else as it came.
func lagNote(err error, brokers []string) string {
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded): // a net.Error too
		return fmt.Sprintf("Kafka at %s did not answer within 10s; check --brokers or kafka.brokers", strings.Join(brokers, ","))
	case errors.As(err, &ne):
		return fmt.Sprintf("Kafka at %s does not answer (%v); check --brokers or kafka.brokers", strings.Join(brokers, ","), ne)
	}
	return err.Error()
}
