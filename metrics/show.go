package metrics

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/convintel/convintel/warehouse"
)

// Query selects and groups the stored rows of one metric for Show.
type Query struct {
	// From and To are the first and last day, inclusive (their dates are
	// taken as they are; pass local midnights of the reporting zone).
	From, To time.Time
	// By lists grouping dimensions (default: date). Allowed per metric:
	// see Dimensions.
	By []string
	// Shop restricts to one shop_id when set.
	Shop string
	// Level is the drop-off level: node (default), intent or product.
	Level string
}

// dimSQL maps a dimension computed from the stored columns to its SQL
// expression; every other dimension is a column of the result table.
var dimSQL = map[string]string{"week": "toMonday(date)"}

// Show returns the rows of metric name for q: counts summed over the
// requested dimensions and rates recomputed from the sums.
func Show(ctx context.Context, conn warehouse.Conn, name string, q Query) ([]Row, error) {
	m, err := lookup(name)
	if err != nil {
		return nil, err
	}
	if q.From.IsZero() || q.To.IsZero() || q.To.Before(q.From) {
		return nil, fmt.Errorf("show %s: need --from and --to with from ≤ to", name)
	}
	if m.Show != nil {
		return m.Show(ctx, conn, q)
	}
	level, err := m.level(q.Level)
	if err != nil {
		return nil, err
	}
	by := q.By
	if len(by) == 0 {
		by = level.Dimensions[:1]
	}
	var keys []string
	for _, d := range append(slices.Clone(by), level.Keep...) {
		if !slices.Contains(level.Dimensions, d) {
			return nil, fmt.Errorf("show %s: cannot group by %q; choose from %s", name, d, strings.Join(level.Dimensions, ", "))
		}
		if !slices.Contains(keys, d) {
			keys = append(keys, d)
		}
	}
	var sel strings.Builder
	for _, k := range keys {
		if e, ok := dimSQL[k]; ok {
			fmt.Fprintf(&sel, "%s AS %s, ", e, k)
		} else {
			fmt.Fprintf(&sel, "%s, ", k)
		}
	}
	args := rangeArgs(q)
	if level.Name != "" {
		args = append(args, level.Name)
	}
	stmt, err := renderFrom(m.Files, m.ShowSQL, map[string]any{
		"Keys": sel.String(), "GroupBy": strings.Join(keys, ", "), "Shop": q.Shop != "", "Level": level.Name != "",
	})
	if err != nil {
		return nil, err
	}
	recs, err := queryRecords(ctx, conn, stmt, args...)
	if err != nil {
		return nil, fmt.Errorf("show %s: %w", name, err)
	}
	out := make([]Row, 0, len(recs))
	for _, rec := range recs {
		row := make(Row, 0, len(keys)+12)
		for _, k := range keys {
			row = append(row, Field{k, dimValue(rec[k])})
		}
		out = append(out, append(row, m.Derive(rec)...))
	}
	if m.Finish != nil {
		m.Finish(keys, out)
	}
	return out, nil
}

// rangeArgs are the bound arguments every show_*.sql takes first: the
// first and last day, and the shop when one is chosen.
func rangeArgs(q Query) []any {
	args := []any{q.From.Format(time.DateOnly), q.To.Format(time.DateOnly)}
	if q.Shop != "" {
		args = append(args, q.Shop)
	}
	return args
}

// Record is one row of a roll-up (show_<name>.sql) by column name: what
// a Metric's Derive reads.
type Record map[string]any

func queryRecords(ctx context.Context, conn warehouse.Conn, stmt string, args ...any) ([]Record, error) {
	rows, err := conn.Query(ctx, stmt, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols := rows.Columns()
	types := rows.ColumnTypes()
	var out []Record
	for rows.Next() {
		ptrs := make([]any, len(cols))
		for i, ct := range types {
			ptrs[i] = reflect.New(ct.ScanType()).Interface()
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		rec := make(Record, len(cols))
		for i, c := range cols {
			rec[c] = reflect.ValueOf(ptrs[i]).Elem().Interface()
		}
		out = append(out, rec)
	}
	return out, rows.Err()
}

func dimValue(v any) any {
	if t, ok := v.(time.Time); ok {
		return Date(t)
	}
	return v
}

// Float reads a numeric column as float64 (0 when missing).
func (r Record) Float(k string) float64 { f, _ := Float(r[k]); return f }

// Count reads a numeric column as int64.
func (r Record) Count(k string) int64 { return int64(r.Float(k)) }

// Money reads a column of cents.
func (r Record) Money(k string) Money { return Money(r.Count(k)) }

// Ratio is column a over column b, rounded, or nil without a denominator
// (see rateOf).
func (r Record) Ratio(a, b string) any { return rateOf(r.Float(a), r.Float(b)) }

// Strings reads an Array(String) column.
func (r Record) Strings(k string) []string { v, _ := r[k].([]string); return v }

// Uint32s reads an Array(UInt32) column.
func (r Record) Uint32s(k string) []uint32 { v, _ := r[k].([]uint32); return v }

// Uint64s reads an Array(UInt64) column.
func (r Record) Uint64s(k string) []uint64 { v, _ := r[k].([]uint64); return v }

// ratio returns a/b, or 0 when b is 0 (no denominator, no rate).
func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// rateOf is the value of a rate field of a Row: a/b rounded, or nil when b
// is 0. A rate of nothing is not 0 %: `metrics show` printed a shop
// without bot consultations with a handoff rate of 0, as if the bot had
// handed none over. nil prints – in a table, an empty cell in CSV and
// null in JSON; the reports read it as 0 and show their own –.
func rateOf(a, b float64) any {
	if b == 0 {
		return nil
	}
	return round(a / b)
}

// round keeps rates readable and stable in JSON.
func round(v float64) float64 {
	const p = 1e6
	if v < 0 {
		return -float64(int64(-v*p+0.5)) / p
	}
	return float64(int64(v*p+0.5)) / p
}
