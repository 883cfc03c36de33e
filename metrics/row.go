package metrics

import (
	"bytes"
	"encoding/json"
	"time"
)

// Field is one key/value of a Row.
type Field struct {
	Key   string
	Value any
}

// Row is one result record with ordered fields: the grouping dimensions
// first, then the spec's field names. It marshals to a JSON object in that
// order.
type Row []Field

// Get returns the value of key.
func (r Row) Get(key string) (any, bool) {
	for _, f := range r {
		if f.Key == key {
			return f.Value, true
		}
	}
	return nil, false
}

// Keys returns the field names in order.
func (r Row) Keys() []string {
	out := make([]string, len(r))
	for i, f := range r {
		out[i] = f.Key
	}
	return out
}

// MarshalJSON writes r as an object with its fields in order.
func (r Row) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range r {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f.Key)
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(f.Value)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func (r *Row) set(key string, v any) {
	for i := range *r {
		if (*r)[i].Key == key {
			(*r)[i].Value = v
			return
		}
	}
	*r = append(*r, Field{key, v})
}

// Money is an exact amount in cents, shown as a decimal number with two
// places (123.45) in JSON, tables and CSV.
type Money int64

func (m Money) String() string {
	v := int64(m)
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	frac := v % 100
	s := sign + itoa(v/100) + "."
	if frac < 10 {
		s += "0"
	}
	return s + itoa(frac)
}

// MarshalJSON writes m as a JSON number with two decimals.
func (m Money) MarshalJSON() ([]byte, error) { return []byte(m.String()), nil }

// Date is a calendar day, shown as 2006-01-02.
type Date time.Time

func (d Date) String() string { return time.Time(d).Format(time.DateOnly) }

// MarshalJSON writes d as "2006-01-02".
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

func itoa(v int64) string {
	b, _ := json.Marshal(v)
	return string(b)
}
