package metrics

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	convsql "github.com/convintel/convintel/sql"
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

// Metrics lists the names Show accepts.
var Metrics = []string{"conversion", "gmv", "sentiment", "dropoff", "funnel", "service", "gaps", "topics", "alerts"}

// dims maps every dimension to its SQL expression; each view allows a subset.
var dims = map[string]string{
	"date": "date", "week": "toMonday(date)", "shop_id": "shop_id", "channel": "channel",
	"responder": "responder", "bucket": "bucket", "agent_id": "agent_id", "node": "node",
	"intent": "intent", "product_id": "product_id", "step": "step", "signature": "signature",
	"topic": "topic",
}

// Dimensions returns the --by dimensions metric name accepts.
func Dimensions(name, level string) []string {
	base := []string{"date", "week", "shop_id"}
	switch name {
	case "conversion", "sentiment":
		return append(base, "channel", "responder")
	case "gmv":
		return append(base, "bucket", "agent_id")
	case "dropoff":
		switch level {
		case "intent":
			return append(base, "node", "intent")
		case "product":
			return append(base, "node", "product_id")
		}
		return append(base, "node")
	case "funnel":
		return append(base, "step")
	case "service":
		return append(base, "channel")
	case "gaps":
		return append(base, "signature")
	case "topics":
		return append(base, "product_id", "topic")
	}
	return nil
}

// alwaysBy are dimensions a roll-up of the metric always keeps: summing
// across them would mean nothing.
func alwaysBy(name, level string) []string {
	switch name {
	case "dropoff":
		switch level {
		case "intent":
			return []string{"node", "intent"}
		case "product":
			return []string{"product_id", "node"}
		}
		return []string{"node"}
	case "funnel":
		return []string{"step"}
	case "gaps":
		return []string{"signature"}
	}
	return nil
}

// Show returns the rows of metric name for q: counts summed over the
// requested dimensions and rates recomputed from the sums.
func Show(ctx context.Context, conn convsql.Conn, name string, q Query) ([]Row, error) {
	if !slices.Contains(Metrics, name) {
		return nil, fmt.Errorf("unknown metric %q: choose one of %s", name, strings.Join(Metrics, ", "))
	}
	if q.From.IsZero() || q.To.IsZero() || q.To.Before(q.From) {
		return nil, fmt.Errorf("show %s: need --from and --to with from ≤ to", name)
	}
	args := []any{q.From.Format(time.DateOnly), q.To.Format(time.DateOnly)}
	if q.Shop != "" {
		args = append(args, q.Shop)
	}
	if name == "alerts" {
		return showAlerts(ctx, conn, q, args)
	}
	level := q.Level
	if name == "dropoff" {
		if level == "" {
			level = "node"
		}
		if level != "node" && level != "intent" && level != "product" {
			return nil, fmt.Errorf("show dropoff: --level %q must be node, intent or product", level)
		}
	}
	by := q.By
	if len(by) == 0 {
		by = []string{"date"}
	}
	allowed := Dimensions(name, level)
	var keys []string
	for _, d := range append(slices.Clone(by), alwaysBy(name, level)...) {
		if !slices.Contains(allowed, d) {
			return nil, fmt.Errorf("show %s: cannot group by %q; choose from %s", name, d, strings.Join(allowed, ", "))
		}
		if !slices.Contains(keys, d) {
			keys = append(keys, d)
		}
	}
	var sel strings.Builder
	for _, k := range keys {
		if dims[k] == k {
			fmt.Fprintf(&sel, "%s, ", k)
		} else {
			fmt.Fprintf(&sel, "%s AS %s, ", dims[k], k)
		}
	}
	where := ""
	if name == "dropoff" {
		where = " AND level = ?"
		args = append(args, level)
	}
	stmt, err := render("show_"+name, map[string]any{
		"Keys": sel.String(), "GroupBy": strings.Join(keys, ", "), "Shop": q.Shop != "", "Where": where,
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
		out = append(out, derive(name, row, rec))
	}
	finish(name, keys, out)
	return out, nil
}

// record is one scanned result row by column name.
type record map[string]any

func queryRecords(ctx context.Context, conn convsql.Conn, stmt string, args ...any) ([]record, error) {
	rows, err := conn.Query(ctx, stmt, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols := rows.Columns()
	types := rows.ColumnTypes()
	var out []record
	for rows.Next() {
		ptrs := make([]any, len(cols))
		for i, ct := range types {
			ptrs[i] = reflect.New(ct.ScanType()).Interface()
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		rec := make(record, len(cols))
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

// num reads a numeric column as float64 and int64.
func num(rec record, k string) float64 {
	switch v := rec[k].(type) {
	case uint64:
		return float64(v)
	case int64:
		return float64(v)
	case uint32:
		return float64(v)
	case int32:
		return float64(v)
	case uint8:
		return float64(v)
	case int8:
		return float64(v)
	case float64:
		return v
	case float32:
		return float64(v)
	}
	return 0
}

func cnt(rec record, k string) int64 { return int64(num(rec, k)) }

// ratio returns a/b, or 0 when b is 0 (no denominator, no rate).
func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// round keeps rates readable and stable in JSON.
func round(v float64) float64 {
	const p = 1e6
	if v < 0 {
		return -float64(int64(-v*p+0.5)) / p
	}
	return float64(int64(v*p+0.5)) / p
}
