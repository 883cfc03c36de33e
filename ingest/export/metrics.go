package export

import (
	"fmt"
	"reflect"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/convintel/convintel/metrics"
)

// metricType is the Arrow type analysts expect for a metric value: dates
// as date32, money as decimal128(18,2), counts as int64, rates as float64,
// lists of names as list<string>.
func metricType(v any) arrow.DataType {
	switch v.(type) {
	case metrics.Date:
		return arrow.FixedWidthTypes.Date32
	case metrics.Money:
		return moneyType
	case time.Time:
		return tsType
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return arrow.PrimitiveTypes.Int64
	case float32, float64:
		return arrow.PrimitiveTypes.Float64
	case bool:
		return arrow.FixedWidthTypes.Boolean
	case []string:
		return arrow.ListOf(arrow.BinaryTypes.String)
	}
	return arrow.BinaryTypes.String
}

// metricsSchema is the union of the rows' fields, in order of first
// appearance, typed by their first non-nil value (float64 when none has
// one).
func metricsSchema(rows []metrics.Row) *arrow.Schema {
	var fields []arrow.Field
	seen := map[string]int{}
	for _, r := range rows {
		for _, f := range r {
			i, ok := seen[f.Key]
			if !ok {
				seen[f.Key] = len(fields)
				fields = append(fields, arrow.Field{Name: f.Key, Type: arrow.Null, Nullable: true})
				i = len(fields) - 1
			}
			if fields[i].Type == arrow.Null && f.Value != nil {
				fields[i].Type = metricType(f.Value)
			}
		}
	}
	for i := range fields {
		if fields[i].Type == arrow.Null {
			// Every row lacks it: the only values a metric row leaves out
			// are numbers with nothing to compute them from (a rate over an
			// empty denominator, a lift without a control, a p-value of one
			// arm), so the column stays a number column for the analyst's
			// tools, whatever the period held.
			fields[i].Type = arrow.PrimitiveTypes.Float64
		}
	}
	return arrow.NewSchema(fields, nil)
}

// writeMetricRows writes rows (one metric's Show result) in batches.
func writeMetricRows(rows []metrics.Row, out recordWriter) (*arrow.Schema, error) {
	sc := metricsSchema(rows)
	b := array.NewRecordBuilder(memory.DefaultAllocator, sc)
	defer b.Release()
	idx := map[string]int{}
	for i, f := range sc.Fields() {
		idx[f.Name] = i
	}
	set := make([]bool, sc.NumFields())
	flush := func() error {
		rec := b.NewRecord()
		defer rec.Release()
		return out.Write(rec)
	}
	for n, r := range rows {
		clear(set)
		for _, f := range r {
			i := idx[f.Key]
			if set[i] {
				continue
			}
			set[i] = true
			if err := appendMetric(b.Field(i), f.Value); err != nil {
				return nil, fmt.Errorf("field %s: %w", f.Key, err)
			}
		}
		for i, ok := range set {
			if !ok {
				b.Field(i).AppendNull()
			}
		}
		if (n+1)%batchRows == 0 {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
	if len(rows)%batchRows != 0 {
		if err := flush(); err != nil {
			return nil, err
		}
	}
	return sc, nil
}

func appendMetric(b array.Builder, v any) error {
	if v == nil {
		b.AppendNull()
		return nil
	}
	switch b := b.(type) {
	case *array.Date32Builder:
		d, ok := v.(metrics.Date)
		if !ok {
			return fmt.Errorf("want a date, got %T", v)
		}
		b.Append(date32(time.Time(d), time.UTC))
	case *array.Decimal128Builder:
		m, ok := v.(metrics.Money)
		if !ok {
			return fmt.Errorf("want money, got %T", v)
		}
		b.Append(decimal128.FromI64(int64(m)))
	case *array.TimestampBuilder:
		t, ok := v.(time.Time)
		if !ok {
			return fmt.Errorf("want a time, got %T", v)
		}
		b.Append(arrow.Timestamp(t.UnixMilli()))
	case *array.Int64Builder:
		rv := reflect.ValueOf(v)
		switch {
		case rv.CanInt():
			b.Append(rv.Int())
		case rv.CanUint():
			b.Append(int64(rv.Uint()))
		default:
			return fmt.Errorf("want an integer, got %T", v)
		}
	case *array.Float64Builder:
		rv := reflect.ValueOf(v)
		if !rv.CanFloat() {
			return fmt.Errorf("want a number, got %T", v)
		}
		b.Append(rv.Float())
	case *array.BooleanBuilder:
		t, ok := v.(bool)
		if !ok {
			return fmt.Errorf("want a bool, got %T", v)
		}
		b.Append(t)
	case *array.ListBuilder:
		ss, ok := v.([]string)
		if !ok {
			return fmt.Errorf("want a list of strings, got %T", v)
		}
		b.Append(true)
		for _, s := range ss {
			b.ValueBuilder().(*array.StringBuilder).Append(s)
		}
	case *array.StringBuilder:
		if s, ok := v.(fmt.Stringer); ok {
			b.Append(s.String())
		} else {
			b.Append(fmt.Sprint(v))
		}
	default:
		return fmt.Errorf("unsupported column type %s", b.Type())
	}
	return nil
}
