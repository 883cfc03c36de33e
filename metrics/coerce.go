package metrics

// The one any-to-number coercion: ClickHouse scans counts as any width of
// integer and sums as floats, and Rows carry Money; every reader of a
// Record or a Row field (Derive, the reports) goes through these.

// Int reads v as an integer: any integer type, Money (cents) or a float
// (truncated). ok is false for anything else (nil, strings).
func Int(v any) (n int64, ok bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case uint64:
		return int64(x), true
	case int:
		return int64(x), true
	case uint:
		return int64(x), true
	case int32:
		return int64(x), true
	case uint32:
		return int64(x), true
	case int16:
		return int64(x), true
	case uint16:
		return int64(x), true
	case int8:
		return int64(x), true
	case uint8:
		return int64(x), true
	case Money:
		return int64(x), true
	case float64:
		return int64(x), true
	case float32:
		return int64(x), true
	}
	return 0, false
}

// Float reads v as a float: any number type or Money (cents).
func Float(v any) (f float64, ok bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case uint64:
		return float64(x), true
	}
	n, ok := Int(v)
	return float64(n), ok
}
