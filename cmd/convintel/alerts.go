package main

import (
	"fmt"
	"os"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/convintel/convintel/metrics"
)

func newAlertsCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "alerts",
		Short: "Early warnings: evaluate the hourly rules now, mute a rule for a product",
		Long: `Early warnings (metrics.md §8, "Alerts v2"). The daily rules run with
"convintel metrics run"; the scheduler in "convintel serve" also evaluates
topic_surge, negative_surge and fallback_spike every hour on the day so
far and posts new alerts to the webhooks once.

A mute silences one rule for one product (or the whole shop) for a period:
the alerts are still computed and shown in reports (marked muted), never
posted to the webhooks.`,
	}
	cmd.AddCommand(newAlertsIntradayCmd(a), newAlertsMuteCmd(a), newAlertsMutesCmd(a), newAlertsUnmuteCmd(a))
	return cmd
}

func newAlertsIntradayCmd(a *app) *cobra.Command {
	var at string
	c := &cobra.Command{
		Use:   "intraday [--at 'YYYY-MM-DD HH:00']",
		Short: "Evaluate the hourly alert rules on the day so far (up to the last full hour)",
		Example: `  convintel alerts intraday
  convintel alerts intraday --at '2026-11-11 12:00'`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s := a.cfg.Metrics
			loc, err := time.LoadLocation(s.Timezone)
			if err != nil {
				return fmt.Errorf("metrics.timezone: %w", err)
			}
			cutoff := time.Now()
			if at != "" {
				if cutoff, err = time.ParseInLocation("2006-01-02 15:04", at, loc); err != nil {
					return usageErr("--at %q: use 'YYYY-MM-DD HH:MM' in %s", at, s.Timezone)
				}
			}
			cl, err := a.clickhouseShards(cmd.Context())
			if err != nil {
				return err
			}
			rep, err := metrics.EvaluateIntradayCluster(cmd.Context(), cl, s, cutoff.Truncate(time.Hour))
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "%s up to %02d:00: %d alerts in %s\n", rep.Date.Format(time.DateOnly), rep.Hour,
				len(rep.Alerts), rep.Elapsed.Round(time.Millisecond))
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 2, 2, ' ', 0)
			fmt.Fprintf(w, "alert_id\trule\tshop_id\tsubject\tseverity\tvalue\tbaseline\tgmv_at_stake\tfirst_hour\tnew\n")
			for _, al := range rep.Alerts {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%.4g\t%.4g\t%s\t%02d:00\t%v\n", al.ID, al.Rule, al.Shop, al.Subject, al.Severity,
					al.Value, al.Baseline, metrics.Money(al.GMVAtStakeCents), al.IntradayHour, al.New)
			}
			return w.Flush()
		},
	}
	c.Flags().StringVar(&at, "at", "", "evaluate as of this local time (default now); the day so far ends at its full hour")
	return c
}

func newAlertsMuteCmd(a *app) *cobra.Command {
	var m metrics.Mute
	var from, to string
	c := &cobra.Command{
		Use:   "mute --shop SHOP --rule RULE [--product P] --from DATE --to DATE",
		Short: "Mute a rule for a product (or the whole shop) for a period",
		Example: `  convintel alerts mute --shop shop-01 --rule topic_surge --product p01-milk-powder \
      --from 2026-11-01 --to 2026-11-15 --reason "new batch, page updated"`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			loc, err := time.LoadLocation(a.cfg.Metrics.Timezone)
			if err != nil {
				return err
			}
			if m.From, err = parseDay("from", from, loc); err != nil {
				return usageErr("%v", err)
			}
			if m.To, err = parseDay("to", to, loc); err != nil {
				return usageErr("%v", err)
			}
			if m.CreatedBy == "" {
				m.CreatedBy = os.Getenv("USER")
			}
			conn, _, err := a.clickhouse(cmd.Context())
			if err != nil {
				return err
			}
			saved, err := metrics.SaveMute(cmd.Context(), conn, m)
			if err != nil {
				return usageErr("%v", err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %s muted for %s %s from %s to %s (lift it with `convintel alerts unmute %s`)\n",
				saved.ID, saved.Rule, saved.Shop, orAll(saved.Product), from, to, saved.ID)
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&m.Shop, "shop", "", "shop_id")
	f.StringVar(&m.Rule, "rule", "", "topic_surge, dropoff_spike, negative_surge, fallback_spike or conversion_drop")
	f.StringVar(&m.Product, "product", "", "product_id (default: every product of the shop)")
	f.StringVar(&from, "from", "", "first muted day, YYYY-MM-DD")
	f.StringVar(&to, "to", "", "last muted day, YYYY-MM-DD (inclusive)")
	f.StringVar(&m.Reason, "reason", "", "why (shown beside the mute)")
	f.StringVar(&m.CreatedBy, "by", "", "who mutes (default $USER)")
	return c
}

func orAll(product string) string {
	if product == "" {
		return "every product"
	}
	return product
}

func newAlertsMutesCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:     "mutes",
		Short:   "List the mutes in force",
		Example: `  convintel alerts mutes`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			conn, _, err := a.clickhouse(cmd.Context())
			if err != nil {
				return err
			}
			mutes, err := metrics.Mutes(cmd.Context(), conn)
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 2, 2, ' ', 0)
			fmt.Fprintf(w, "mute_id\tshop_id\trule\tproduct_id\tfrom\tto\tby\treason\n")
			for _, m := range mutes {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", m.ID, m.Shop, m.Rule, orAll(m.Product),
					m.From.Format(time.DateOnly), m.To.Format(time.DateOnly), m.CreatedBy, m.Reason)
			}
			return w.Flush()
		},
	}
}

func newAlertsUnmuteCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "unmute MUTE_ID",
		Short: "Lift a mute",
		Example: `  convintel alerts mutes          # the MUTE_ID is in the first column
  convintel alerts unmute MUTE_ID`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			conn, _, err := a.clickhouse(cmd.Context())
			if err != nil {
				return err
			}
			if err := metrics.LiftMute(cmd.Context(), conn, args[0]); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s lifted\n", args[0])
			return nil
		},
	}
}
