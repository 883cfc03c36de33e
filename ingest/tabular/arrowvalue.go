package tabular

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/decimal256"
)

// rowEncoder turns row i of an Arrow record into the contract JSON object.
type rowEncoder struct {
	cols []column
	text textEncoder
}

// encode appends row i of cols (the record's columns, in file order) as a
// JSON object.
func (r *rowEncoder) encode(buf []byte, arrs []arrow.Array, i int) []byte {
	buf = append(buf, '{')
	n := 0
	for c := range r.cols {
		col := &r.cols[c]
		arr := arrs[col.idx]
		if arr.IsNull(i) {
			continue
		}
		if col.kind == kindExtra {
			if s, ok := stringAt(arr, i); ok {
				var w int
				buf, w = r.text.appendExtra(buf, s, n > 0)
				n += w
				continue
			}
		}
		mark := len(buf)
		if n > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, col.key...)
		out := r.value(buf, col.kind, arr, i)
		if out == nil {
			buf = buf[:mark]
			continue
		}
		buf = out
		n++
	}
	return append(buf, '}')
}

// wrongType returns why row i cannot be an event because of a column's
// type ("" when it can): a contract field stored as binary (Parquet
// BYTE_ARRAY without a UTF-8 annotation, or FIXED_LEN_BYTE_ARRAY) whose
// value is not UTF-8 text, e.g. ts or amount written as raw bytes.
func (r *rowEncoder) wrongType(arrs []arrow.Array, i int) string {
	for c := range r.cols {
		col := &r.cols[c]
		if col.kind == kindOther {
			continue
		}
		arr := arrs[col.idx]
		if arr.IsNull(i) {
			continue
		}
		var v []byte
		switch a := arr.(type) {
		case *array.Binary:
			v = a.Value(i)
		case *array.LargeBinary:
			v = a.Value(i)
		case *array.FixedSizeBinary:
			return fmt.Sprintf("column %q has the type %s (raw bytes): the contract field %s needs text, a number or a timestamp; write it with that type (or drop the column with --map %s=-)", col.name, arr.DataType(), col.name, col.name)
		default:
			continue
		}
		if !utf8.Valid(v) {
			return fmt.Sprintf("column %q has the type %s and this row's value is not UTF-8 text: the contract field %s needs text, a number or a timestamp; write it with that type (or drop the column with --map %s=-)", col.name, arr.DataType(), col.name, col.name)
		}
	}
	return ""
}

// stringAt returns the value of a string-typed array.
func stringAt(arr arrow.Array, i int) (string, bool) {
	switch a := arr.(type) {
	case *array.String:
		return a.Value(i), true
	case *array.LargeString:
		return a.Value(i), true
	case *array.StringView:
		return a.Value(i), true
	case *array.Dictionary:
		return stringAt(a.Dictionary(), a.GetValueIndex(i))
	}
	return "", false
}

// value appends the JSON for field kind k of a non-null arr[i], or returns
// nil to leave the field out.
func (r *rowEncoder) value(buf []byte, k kind, arr arrow.Array, i int) []byte {
	if s, ok := stringAt(arr, i); ok {
		return r.text.append(buf, k, s)
	}
	switch k {
	case kindString:
		// Integer ids are common in exports from other systems.
		switch a := arr.(type) {
		case *array.Int64:
			return appendString(buf, strconv.FormatInt(a.Value(i), 10))
		case *array.Int32:
			return appendString(buf, strconv.FormatInt(int64(a.Value(i)), 10))
		case *array.Uint64:
			return appendString(buf, strconv.FormatUint(a.Value(i), 10))
		case *array.Uint32:
			return appendString(buf, strconv.FormatUint(uint64(a.Value(i)), 10))
		}
	case kindTs:
		switch a := arr.(type) {
		case *array.Timestamp:
			unit := a.DataType().(*arrow.TimestampType).Unit
			return strconv.AppendInt(buf, tsMillis(int64(a.Value(i)), unit), 10)
		case *array.Date32:
			return strconv.AppendInt(buf, int64(a.Value(i))*86_400_000, 10)
		case *array.Date64:
			return strconv.AppendInt(buf, int64(a.Value(i)), 10)
		}
	case kindBool:
		var v int64
		switch a := arr.(type) {
		case *array.Int8:
			v = int64(a.Value(i))
		case *array.Int32:
			v = int64(a.Value(i))
		case *array.Int64:
			v = a.Value(i)
		case *array.Uint8:
			v = int64(a.Value(i))
		default:
			return appendValue(buf, arr, i)
		}
		switch v {
		case 0:
			return append(buf, "false"...)
		case 1:
			return append(buf, "true"...)
		}
	}
	return appendValue(buf, arr, i)
}

// tsMillis converts a timestamp in unit to epoch milliseconds, rounding
// toward the past.
func tsMillis(v int64, unit arrow.TimeUnit) int64 {
	switch unit {
	case arrow.Second:
		return v * 1000
	case arrow.Microsecond:
		return floorDiv(v, 1000)
	case arrow.Nanosecond:
		return floorDiv(v, 1_000_000)
	}
	return v
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// appendValue appends any non-null Arrow value as JSON: numbers as numbers
// (decimals exactly, with their scale), timestamps as RFC 3339, lists as
// arrays, structs and maps as objects.
func appendValue(buf []byte, arr arrow.Array, i int) []byte {
	switch a := arr.(type) {
	case *array.Null:
		return append(buf, "null"...)
	case *array.Boolean:
		return strconv.AppendBool(buf, a.Value(i))
	case *array.Int8:
		return strconv.AppendInt(buf, int64(a.Value(i)), 10)
	case *array.Int16:
		return strconv.AppendInt(buf, int64(a.Value(i)), 10)
	case *array.Int32:
		return strconv.AppendInt(buf, int64(a.Value(i)), 10)
	case *array.Int64:
		return strconv.AppendInt(buf, a.Value(i), 10)
	case *array.Uint8:
		return strconv.AppendUint(buf, uint64(a.Value(i)), 10)
	case *array.Uint16:
		return strconv.AppendUint(buf, uint64(a.Value(i)), 10)
	case *array.Uint32:
		return strconv.AppendUint(buf, uint64(a.Value(i)), 10)
	case *array.Uint64:
		return strconv.AppendUint(buf, a.Value(i), 10)
	case *array.Float32:
		return appendFloat(buf, float64(a.Value(i)), 32)
	case *array.Float64:
		return appendFloat(buf, a.Value(i), 64)
	case *array.Float16:
		return appendFloat(buf, float64(a.Value(i).Float32()), 32)
	case *array.String, *array.LargeString, *array.StringView:
		s, _ := stringAt(a, i)
		return appendString(buf, s)
	case *array.Binary:
		return appendString(buf, string(a.Value(i)))
	case *array.LargeBinary:
		return appendString(buf, string(a.Value(i)))
	case *array.FixedSizeBinary:
		return appendString(buf, base64.StdEncoding.EncodeToString(a.Value(i)))
	case *array.Decimal128:
		return appendDecimal128(buf, a.Value(i), a.DataType().(*arrow.Decimal128Type).Scale)
	case *array.Decimal256:
		return appendDecimal256(buf, a.Value(i), a.DataType().(*arrow.Decimal256Type).Scale)
	case *array.Timestamp:
		unit := a.DataType().(*arrow.TimestampType).Unit
		t := time.UnixMilli(tsMillis(int64(a.Value(i)), unit)).UTC()
		return appendString(buf, t.Format("2006-01-02T15:04:05.000Z07:00"))
	case *array.Date32:
		return appendString(buf, a.Value(i).ToTime().Format(time.DateOnly))
	case *array.Date64:
		return appendString(buf, a.Value(i).ToTime().Format(time.DateOnly))
	case *array.Dictionary:
		return appendValue(buf, a.Dictionary(), a.GetValueIndex(i))
	case *array.Map:
		start, end := a.ValueOffsets(i)
		keys, items := a.Keys(), a.Items()
		buf = append(buf, '{')
		for j := int(start); j < int(end); j++ {
			if j > int(start) {
				buf = append(buf, ',')
			}
			if s, ok := stringAt(keys, j); ok {
				buf = appendString(buf, s)
			} else {
				buf = appendString(buf, keys.ValueStr(j))
			}
			buf = append(buf, ':')
			buf = appendNullable(buf, items, j)
		}
		return append(buf, '}')
	case array.ListLike:
		start, end := a.ValueOffsets(i)
		vals := a.ListValues()
		buf = append(buf, '[')
		for j := int(start); j < int(end); j++ {
			if j > int(start) {
				buf = append(buf, ',')
			}
			buf = appendNullable(buf, vals, j)
		}
		return append(buf, ']')
	case *array.Struct:
		st := a.DataType().(*arrow.StructType)
		buf = append(buf, '{')
		n := 0
		for f := 0; f < a.NumField(); f++ {
			fa := a.Field(f)
			if fa.IsNull(i) {
				continue
			}
			if n > 0 {
				buf = append(buf, ',')
			}
			buf = appendKey(buf, st.Field(f).Name)
			buf = appendValue(buf, fa, i)
			n++
		}
		return append(buf, '}')
	}
	b, err := json.Marshal(arr.GetOneForMarshal(i))
	if err != nil {
		return appendString(buf, arr.ValueStr(i))
	}
	return append(buf, b...)
}

func appendNullable(buf []byte, arr arrow.Array, i int) []byte {
	if arr.IsNull(i) {
		return append(buf, "null"...)
	}
	return appendValue(buf, arr, i)
}

// appendFloat writes f as a JSON number; NaN and infinities, which JSON
// has no number for, become strings (and so fail as wrong types).
func appendFloat(buf []byte, f float64, bits int) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return appendString(buf, strconv.FormatFloat(f, 'g', -1, 64))
	}
	return strconv.AppendFloat(buf, f, 'g', -1, bits)
}

func appendDecimal128(buf []byte, n decimal128.Num, scale int32) []byte {
	if hi := n.HighBits(); (hi == 0 && n.LowBits() < 1<<63) || (hi == -1 && n.LowBits() >= 1<<63) {
		return appendScaled(buf, strconv.FormatInt(int64(n.LowBits()), 10), scale)
	}
	return appendScaled(buf, n.BigInt().String(), scale)
}

func appendDecimal256(buf []byte, n decimal256.Num, scale int32) []byte {
	return appendScaled(buf, n.BigInt().String(), scale)
}

// appendScaled writes the integer digits (maybe signed) divided by
// 10^scale, keeping every decimal place: 1230 with scale 2 is 12.30.
func appendScaled(buf []byte, digits string, scale int32) []byte {
	if scale <= 0 {
		buf = append(buf, digits...)
		for ; scale < 0; scale++ {
			buf = append(buf, '0')
		}
		return buf
	}
	if digits[0] == '-' {
		buf = append(buf, '-')
		digits = digits[1:]
	}
	s := int(scale)
	for len(digits) <= s {
		digits = "0" + digits
	}
	buf = append(buf, digits[:len(digits)-s]...)
	buf = append(buf, '.')
	return append(buf, digits[len(digits)-s:]...)
}
