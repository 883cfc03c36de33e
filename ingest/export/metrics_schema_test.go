package export

import (
	"testing"

	"github.com/apache/arrow/go/v17/arrow"

	"github.com/convintel/convintel/metrics"
)

// TestMetricsSchemaTypesARateWithoutValue: a rate with no denominator in
// every row of a period (a shop whose consultations only agents answered:
// no handoff rate) is a float64 column of nulls, not a string column, so
// the analyst's tools read the same schema whatever the period held.
func TestMetricsSchemaTypesARateWithoutValue(t *testing.T) {
	rows := []metrics.Row{
		{{Key: "shop_id", Value: "s1"}, {Key: "consultations", Value: int64(1)}, {Key: "handoff_rate", Value: nil}, {Key: "order_rate", Value: nil}},
		{{Key: "shop_id", Value: "s2"}, {Key: "consultations", Value: int64(2)}, {Key: "handoff_rate", Value: nil}, {Key: "order_rate", Value: 0.5}},
	}
	sc := metricsSchema(rows)
	want := map[string]arrow.DataType{
		"shop_id":       arrow.BinaryTypes.String,
		"consultations": arrow.PrimitiveTypes.Int64,
		"handoff_rate":  arrow.PrimitiveTypes.Float64,
		"order_rate":    arrow.PrimitiveTypes.Float64,
	}
	for _, f := range sc.Fields() {
		if !arrow.TypeEqual(f.Type, want[f.Name]) {
			t.Errorf("%s: %s, want %s", f.Name, f.Type, want[f.Name])
		}
		if !f.Nullable {
			t.Errorf("%s is not nullable", f.Name)
		}
	}
}
