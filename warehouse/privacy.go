package warehouse

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"text/template"
	"time"
)

// Table families with a retention each (docs/privacy.md).
const (
	FamilyRawEvents     = "raw_events"
	FamilyDeadLetters   = "dead_letters"
	FamilyMetricResults = "metric_results"
)

// Retention is how many days each family is kept (0: forever).
type Retention struct {
	RawEventsDays, DeadLettersDays, MetricResultsDays int
}

// retentionTables are the tables of each family and how their partition
// ids read: "month" (toYYYYMM) or "day" (toYYYYMMDD). Metric results are
// every table named metric_* (whoever adds one; metric_alert_days, the
// days whose alerts were evaluated, too) and qa_violations, partitioned by
// day.
var retentionTables = map[string][]string{
	FamilyRawEvents:   {"messages", "conversations", "handoffs", "ratings", "orders"},
	FamilyDeadLetters: {"dead_letters"},
}

// DroppedPartition is one partition retention removed (or would remove).
type DroppedPartition struct {
	Family, Table, Partition string
}

// ApplyRetention drops, on every conn (one per shard; a single server is
// one), the whole partitions of each family older than its retention
// relative to now: a monthly partition goes once its last day is older,
// so data is kept at least the set number of days. With dryRun it only
// lists them.
func ApplyRetention(ctx context.Context, shards []Conn, r Retention, now time.Time, dryRun bool) ([]DroppedPartition, error) {
	var out []DroppedPartition
	for _, conn := range shards {
		families := map[string][]string{}
		for f, t := range retentionTables {
			families[f] = t
		}
		metricTables, err := tablesLike(ctx, conn, "metric_")
		if err != nil {
			return out, err
		}
		// Stored violations are derived per day like the metric results.
		if ok, err := tableExists(ctx, conn, "qa_violations"); err != nil {
			return out, err
		} else if ok {
			metricTables = append(metricTables, "qa_violations")
		}
		families[FamilyMetricResults] = metricTables
		for family, tables := range families {
			days := map[string]int{FamilyRawEvents: r.RawEventsDays, FamilyDeadLetters: r.DeadLettersDays, FamilyMetricResults: r.MetricResultsDays}[family]
			if days <= 0 {
				continue
			}
			cutoff := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, -days)
			for _, table := range tables {
				parts, err := partitions(ctx, conn, table)
				if err != nil {
					return out, err
				}
				for _, p := range parts {
					last, ok := partitionLastDay(p)
					if !ok || !last.Before(cutoff) {
						continue
					}
					out = append(out, DroppedPartition{Family: family, Table: table, Partition: p})
					if dryRun {
						continue
					}
					stmt, err := renderPrivacy("drop_partition", map[string]string{"Table": table, "Partition": p})
					if err != nil {
						return out, err
					}
					if err := conn.Exec(ctx, stmt); err != nil {
						return out, fmt.Errorf("retention: drop partition %s of %s: %w", p, table, err)
					}
				}
			}
		}
	}
	return out, nil
}

// partitionLastDay reads a YYYYMM or YYYYMMDD partition id as the last day
// it can hold.
func partitionLastDay(p string) (time.Time, bool) {
	if _, err := strconv.Atoi(p); err != nil {
		return time.Time{}, false
	}
	switch len(p) {
	case 6:
		t, err := time.Parse("200601", p)
		return t.AddDate(0, 1, -1), err == nil
	case 8:
		t, err := time.Parse("20060102", p)
		return t, err == nil
	}
	return time.Time{}, false
}

func partitions(ctx context.Context, conn Conn, table string) ([]string, error) {
	rows, err := conn.Query(ctx, embedded("privacy/partitions.sql"), table)
	if err != nil {
		return nil, fmt.Errorf("partitions of %s: %w", table, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// tablesLike lists the current database's tables whose name starts with
// prefix (a Distributed table on a node is skipped: its shards' local
// tables are the ones with partitions).
func tablesLike(ctx context.Context, conn Conn, prefix string) ([]string, error) {
	rows, err := conn.Query(ctx, embedded("privacy/tables_like.sql"), prefix)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

func renderPrivacy(name string, data any) (string, error) {
	t, err := template.New(name).Parse(embedded("privacy/" + name + ".sql"))
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	err = t.Execute(&b, data)
	return b.String(), err
}

// The ways a table holds a buyer (.sql files; each binds shop, customer).
var (
	whereBuyer = sqlBody("privacy/where_buyer.sql")
	whereRaw   = sqlBody("privacy/where_raw.sql")
)

// sqlBody is an embedded .sql file without its comment lines.
func sqlBody(name string) string {
	var keep []string
	for _, l := range strings.Split(embedded(name), "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "--") {
			keep = append(keep, l)
		}
	}
	return strings.TrimSpace(strings.Join(keep, "\n"))
}

// ForgetTables lists every table holding a buyer's rows: raw events, dead
// letters, the per-consultation summary (the one metric table that keeps a
// buyer; the others are counts, recomputed after the delete, and
// metric_alert_days, which holds only the days whose alerts were
// evaluated). A table added later (e.g. QA's stored violations) is one
// line here; a table that does not exist (yet) is skipped.
var ForgetTables = []struct{ Table, Where string }{
	{"messages", whereBuyer},
	{"conversations", whereBuyer},
	{"handoffs", whereBuyer},
	{"ratings", whereBuyer},
	{"orders", whereBuyer},
	{"dead_letters", whereRaw},
	{"metric_consultations", whereBuyer},
	{"qa_violations", whereBuyer}, // with its evidence (masked text)
}

// ForgetResult says what Forget removed.
type ForgetResult struct {
	Rows     map[string]uint64 `json:"rows_by_table"`
	Total    uint64            `json:"rows_removed"`
	From, To time.Time         `json:"-"` // the days the buyer had events on (zero: none)
	Salt     string            `json:"salt"`
	Hash     string            `json:"buyer_sha256"`
}

// BuyerDays returns the first and last day (UTC dates of ts) the buyer has
// raw events on; ok is false when there are none.
func BuyerDays(ctx context.Context, conn Conn, shop, customer string) (from, to time.Time, ok bool, err error) {
	args := []any{}
	for range 5 {
		args = append(args, shop, customer)
	}
	err = conn.QueryRow(ctx, embedded("privacy/forget_days.sql"), args...).Scan(&from, &to)
	if err != nil {
		return from, to, false, err
	}
	return from, to, from.Year() > 1970, nil
}

// Forget deletes a buyer's rows from every ForgetTables table on every
// shard (ALTER TABLE … DELETE, waiting until the mutations are done, so
// a rerun of the metrics afterwards no longer sees them), then writes the
// audit row through audit (the Distributed forget_audit on a cluster).
func Forget(ctx context.Context, shards []Conn, audit Conn, shop, customer, operator, reason string) (ForgetResult, error) {
	res := ForgetResult{Rows: map[string]uint64{}}
	for _, conn := range shards {
		for _, ft := range ForgetTables {
			exists, err := tableExists(ctx, conn, ft.Table)
			if err != nil {
				return res, err
			}
			if !exists {
				continue
			}
			data := map[string]string{"Table": ft.Table, "Where": ft.Where}
			count, err := renderPrivacy("forget_count", data)
			if err != nil {
				return res, err
			}
			var n uint64
			if err := conn.QueryRow(ctx, count, shop, customer).Scan(&n); err != nil {
				return res, fmt.Errorf("forget: count in %s: %w", ft.Table, err)
			}
			if n == 0 {
				continue
			}
			del, err := renderPrivacy("forget_delete", data)
			if err != nil {
				return res, err
			}
			if err := conn.Exec(ctx, del, shop, customer); err != nil {
				return res, fmt.Errorf("forget: delete from %s: %w", ft.Table, err)
			}
			if err := waitMutations(ctx, conn, ft.Table); err != nil {
				return res, err
			}
			res.Rows[ft.Table] += n
			res.Total += n
		}
	}
	var salt [16]byte
	_, _ = rand.Read(salt[:])
	res.Salt = hex.EncodeToString(salt[:])
	res.Hash = BuyerHash(res.Salt, shop, customer)
	tables, _ := json.Marshal(res.Rows)
	b, err := audit.PrepareBatch(ctx, strings.TrimSpace(embedded("privacy/audit_insert.sql")))
	if err != nil {
		return res, fmt.Errorf("forget: audit: %w", err)
	}
	if err := b.Append(time.Now(), operator, reason, res.Salt, res.Hash, res.Total, string(tables)); err != nil {
		return res, err
	}
	if err := b.Send(); err != nil {
		return res, fmt.Errorf("forget: write the audit record: %w", err)
	}
	return res, nil
}

// BuyerHash is the audit's salted hash of a buyer: hex SHA-256 of
// salt, shop and customer separated by NUL.
func BuyerHash(salt, shop, customer string) string {
	h := sha256.Sum256([]byte(salt + "\x00" + shop + "\x00" + customer))
	return hex.EncodeToString(h[:])
}

func tableExists(ctx context.Context, conn Conn, table string) (bool, error) {
	var n uint64
	err := conn.QueryRow(ctx, embedded("privacy/table_exists.sql"), table).Scan(&n)
	return n > 0, err
}

// waitMutations waits until table has no unfinished mutation (18.16 has no
// mutations_sync).
func waitMutations(ctx context.Context, conn Conn, table string) error {
	deadline := time.Now().Add(10 * time.Minute)
	for {
		var n uint64
		if err := conn.QueryRow(ctx, embedded("privacy/mutations_pending.sql"), table).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("forget: the delete in %s is still running after 10 min; see system.mutations", table)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}
