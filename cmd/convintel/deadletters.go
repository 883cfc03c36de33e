package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/convintel/convintel/nlp"
	"github.com/convintel/convintel/warehouse"
)

func newDeadLettersCmd(a *app) *cobra.Command {
	var o struct {
		source, reason, since, format string
		limit, head                   int
	}
	cmd := &cobra.Command{
		Use:   "deadletters",
		Short: "List the inputs that could not be stored, where they came from and why",
		Long: `deadletters lists dead letters newest first, one per delivery: where the
input came from (file:line or file:row for import, topic/partition/offset
for Kafka), the reason code, the detail, and the head of the raw bytes with
personal data masked (it was masked when stored; older rows are masked
again here). Reasons: invalid_json, invalid_utf8, not_an_object,
missing_field, wrong_type, invalid_value, unknown_type, bad_timestamp,
too_large, corrupt_input. Dead letters are kept retention.dead_letters days.`,
		Example: `  convintel deadletters
  convintel deadletters --source import --since 24h
  convintel deadletters --reason bad_timestamp --limit 500 --format json | jq -r .location`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.format != "table" && o.format != "json" {
				return usageErr("--format %q: use table or json", o.format)
			}
			if o.source != "" && o.source != "import" && o.source != "kafka" {
				return usageErr("--source %q: use import or kafka", o.source)
			}
			if o.limit < 1 || o.head < 1 {
				return usageErr("--limit and --head must be at least 1")
			}
			f := warehouse.DeadLetterFilter{Source: o.source, Reason: o.reason, Limit: o.limit, HeadBytes: o.head}
			if o.since != "" {
				var err error
				if f.Since, err = parseSince(o.since, time.Now()); err != nil {
					return usageErr("--since %q: %v", o.since, err)
				}
			}
			conn, _, err := a.clickhouse(cmd.Context())
			if err != nil {
				return err
			}
			rows, err := warehouse.ListDeadLetters(cmd.Context(), conn, f)
			if err != nil {
				return err
			}
			for i := range rows {
				rows[i].Head = printableHead(nlp.Mask(strings.ToValidUTF8(rows[i].Head, "")))
				rows[i].Detail = nlp.Mask(rows[i].Detail)
			}
			if o.format == "json" {
				enc := json.NewEncoder(cmd.OutOrStdout())
				for _, r := range rows {
					if err := enc.Encode(r); err != nil {
						return err
					}
				}
				return nil
			}
			printDeadLetters(cmd.OutOrStdout(), rows, o.limit)
			return nil
		},
	}
	cmd.Flags().StringVar(&o.source, "source", "", "import or kafka (default: both)")
	cmd.Flags().StringVar(&o.reason, "reason", "", "only this reason code")
	cmd.Flags().StringVar(&o.since, "since", "", "only those received since a duration ago (24h) or a date (2026-11-01)")
	cmd.Flags().IntVar(&o.limit, "limit", 50, "at most this many")
	cmd.Flags().IntVar(&o.head, "head", 120, "bytes of the raw input to show")
	cmd.Flags().StringVar(&o.format, "format", "table", "table or json (one object per line)")
	return cmd
}

// parseSince reads a duration ago or a date.
func parseSince(s string, now time.Time) (time.Time, error) {
	if d, err := time.ParseDuration(s); err == nil {
		return now.Add(-d), nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, s, time.Local); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("use a duration (24h, 30m) or a date (YYYY-MM-DD)")
}

// printableHead shows control characters (a raw head may hold any byte)
// as escapes, so a listing cannot move the terminal's cursor.
func printableHead(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			fmt.Fprintf(&b, "\\x%02x", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func printDeadLetters(w io.Writer, rows []warehouse.DeadLetterRow, limit int) {
	if len(rows) == 0 {
		fmt.Fprintln(w, "no dead letters")
		return
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RECEIVED\tLOCATION\tREASON\tDETAIL\tRAW (masked head)")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ReceivedAt.Local().Format("2006-01-02 15:04:05"), printableHead(r.Location), r.Reason,
			printableHead(r.Detail), r.Head)
	}
	tw.Flush()
	if len(rows) == limit {
		fmt.Fprintf(w, "(the newest %d; --limit N for more)\n", limit)
	}
}
