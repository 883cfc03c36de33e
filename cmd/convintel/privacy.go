package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/user"
	"time"

	"github.com/spf13/cobra"

	"github.com/convintel/convintel/warehouse"
)

// RetentionConfig says how long each table family is kept, in days (0:
// forever). Enforced by dropping whole partitions: hourly inside serve,
// and on demand with `convintel retention`.
type RetentionConfig struct {
	// RawEventsDays keeps conversations, messages, handoffs, ratings and
	// orders: three years, the period an online shop must keep
	// transaction records (E-Commerce Law art. 31).
	RawEventsDays int `yaml:"raw_events_days" json:"raw_events_days"`
	// DeadLettersDays keeps what could not be stored (for debugging).
	DeadLettersDays int `yaml:"dead_letters_days" json:"dead_letters_days"`
	// MetricResultsDays keeps the metric_* result tables.
	MetricResultsDays int `yaml:"metric_results_days" json:"metric_results_days"`
}

func (r RetentionConfig) sql() warehouse.Retention {
	return warehouse.Retention{RawEventsDays: r.RawEventsDays, DeadLettersDays: r.DeadLettersDays, MetricResultsDays: r.MetricResultsDays}
}

// shardConns are the connections retention and forget work through: each
// shard's local tables on a cluster, else the one connection.
func (a *app) shardConns(ctx context.Context) ([]warehouse.Conn, warehouse.Conn, error) {
	conn, _, err := a.clickhouse(ctx)
	if err != nil {
		return nil, nil, err
	}
	if a.cluster != nil {
		return a.cluster.Shards, a.cluster.Global, nil
	}
	return []warehouse.Conn{conn}, conn, nil
}

func newRetentionCmd(a *app) *cobra.Command {
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "retention",
		Short: "Drop the partitions older than each table family's retention now",
		Long: `retention drops the whole partitions older than their family's retention:
raw events (retention.raw_events_days, default 1095), dead letters
(retention.dead_letters_days, default 30) and metric results
(retention.metric_results_days, default 1095); 0 keeps a family forever.
Raw events and dead letters are partitioned by month, so a month goes once
its last day is older than the retention; metric results by day. serve does
this every hour by itself; this command is for a one-off run or a cron job
without serve. forget_audit is never dropped.`,
		Example: `  convintel retention --dry-run
  CONVINTEL_RETENTION_DEAD_LETTERS_DAYS=7 convintel retention`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			shards, _, err := a.shardConns(cmd.Context())
			if err != nil {
				return err
			}
			dropped, err := warehouse.ApplyRetention(cmd.Context(), shards, a.cfg.Retention.sql(), time.Now(), dryRun)
			verb := "dropped"
			if dryRun {
				verb = "would drop"
			}
			for _, d := range dropped {
				fmt.Fprintf(cmd.OutOrStdout(), "%s %s partition %s (%s)\n", verb, d.Table, d.Partition, d.Family)
			}
			if len(dropped) == 0 {
				fmt.Fprintln(cmd.OutOrStdout(), "nothing older than the retention")
			}
			return err
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "list the partitions, drop nothing")
	return cmd
}

// runRetentionLoop applies the retention now and every hour until ctx
// ends, logging what it dropped (serve).
func runRetentionLoop(ctx context.Context, a *app) {
	shards, _, err := a.shardConns(ctx)
	if err != nil {
		a.log.Warn("retention not running", "err", err)
		return
	}
	for {
		dropped, err := warehouse.ApplyRetention(ctx, shards, a.cfg.Retention.sql(), time.Now(), false)
		for _, d := range dropped {
			a.log.Info("retention dropped a partition", "table", d.Table, "partition", d.Partition, "family", d.Family)
		}
		if err != nil && ctx.Err() == nil {
			a.log.Warn("retention failed; retrying in an hour", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Hour):
		}
	}
}

func newForgetCmd(a *app) *cobra.Command {
	var o struct {
		shop, customer, operator, reason string
		noRerun                          bool
	}
	cmd := &cobra.Command{
		Use:   "forget --shop SHOP --customer CUSTOMER",
		Short: "Delete one buyer's events and derived rows everywhere, with an audit record",
		Long: `forget removes a buyer who asked to be forgotten (Personal Information
Protection Law art. 47): their rows in every raw event table, their dead
letters (raw bytes naming the shop and customer), their per-consultation
metric rows and stored QA violations (warehouse.ForgetTables lists them), on every
shard of a cluster. It waits until ClickHouse has applied the deletes, then
recomputes the metrics of the days the buyer had events on (their counts
then leave the totals; --no-rerun skips this, run "metrics run" yourself),
and writes an audit row to forget_audit: when, who (--operator, default the
OS user and host), why (--reason), rows removed per table, and the buyer as
a salted SHA-256 (salt in the row), so the record proves the request was
done without keeping who the buyer was.`,
		Example: `  convintel forget --shop shop-01 --customer c01000123 --reason "ticket 4711"`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.shop == "" || o.customer == "" {
				return usageErr("--shop and --customer are required")
			}
			ctx := cmd.Context()
			shards, audit, err := a.shardConns(ctx)
			if err != nil {
				return err
			}
			if o.operator == "" {
				o.operator = "unknown"
				if u, err := user.Current(); err == nil {
					o.operator = u.Username
				}
				if h, err := os.Hostname(); err == nil {
					o.operator += "@" + h
				}
			}
			var from, to time.Time
			found := false
			for _, c := range shards {
				f, t, ok, err := warehouse.BuyerDays(ctx, c, o.shop, o.customer)
				if err != nil {
					return err
				}
				if ok {
					if !found || f.Before(from) {
						from = f
					}
					if !found || t.After(to) {
						to = t
					}
					found = true
				}
			}
			res, err := warehouse.Forget(ctx, shards, audit, o.shop, o.customer, o.operator, o.reason)
			if err != nil {
				return err
			}
			enc := json.NewEncoder(cmd.OutOrStdout())
			enc.SetIndent("", "  ")
			if err := enc.Encode(res); err != nil {
				return err
			}
			if found && !o.noRerun {
				// Orders count toward consultations up to the attribution
				// window before them: recompute a window earlier too.
				from = from.AddDate(0, 0, -int(a.cfg.Metrics.AttributionWindow/(24*time.Hour))-1)
				fmt.Fprintf(os.Stderr, "recomputing the metrics of %s .. %s\n", from.Format(time.DateOnly), to.Format(time.DateOnly))
				if _, err := runMetrics(ctx, a, from, to); err != nil {
					return fmt.Errorf("the buyer is forgotten, but recomputing the metrics failed (run convintel metrics run --from %s --to %s): %w",
						from.Format(time.DateOnly), to.Format(time.DateOnly), err)
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&o.shop, "shop", "", "the buyer's shop_id")
	cmd.Flags().StringVar(&o.customer, "customer", "", "the buyer's customer_id")
	cmd.Flags().StringVar(&o.operator, "operator", "", "who asked for it, for the audit record (default: OS user@host)")
	cmd.Flags().StringVar(&o.reason, "reason", "", "why, for the audit record (e.g. the ticket number)")
	cmd.Flags().BoolVar(&o.noRerun, "no-rerun", false, "do not recompute the metrics of the buyer's days")
	return cmd
}
