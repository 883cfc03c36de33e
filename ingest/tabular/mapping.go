package tabular

import (
	"fmt"
	"sort"
	"strings"
)

// kind is how a column's values become JSON for its contract field.
type kind uint8

const (
	kindOther  kind = iota // not a contract field: kept in extra by the decoder
	kindString             // ids and labels; integer columns become digit strings
	kindTs                 // timestamp, epoch milliseconds or RFC 3339 string
	kindNumber             // score, intent_confidence
	kindAmount             // decimal, number or decimal string
	kindBool               // bot_fallback, resolved
	kindItems              // JSON string or list<struct>
	kindExtra              // a JSON object whose members become top-level fields
)

// Fields maps every contract field (and "extra") to its kind.
var fields = map[string]kind{
	"event_id": kindString, "type": kindString, "ts": kindTs, "shop_id": kindString,
	"customer_id": kindString, "channel": kindString, "conversation_id": kindString,
	"product_id": kindString, "message_id": kindString, "sender": kindString,
	"agent_id": kindString, "text": kindString, "order_id": kindString, "intent": kindString,
	"intent_confidence": kindNumber, "bot_fallback": kindBool, "reason": kindString,
	"resolved": kindBool, "score": kindNumber, "status": kindString, "amount": kindAmount,
	"currency": kindString, "items": kindItems, "extra": kindExtra,
	"experiment": kindString, "variant": kindString, // v1.1
}

// RequiredColumns are the envelope fields every event has; a file without
// a column for one of them is refused before any row is read.
var RequiredColumns = []string{"event_id", "type", "ts", "shop_id", "customer_id"}

// Skip as the target of a --map entry drops the column.
const Skip = "-"

// Mapping renames file columns to contract fields (column -> field). A
// column not named in it maps to the field of its own name, compared
// without case; a column that names no contract field is kept as an extra
// field under its own name.
type Mapping map[string]string

// ParseMapping parses "col=field,col2=field2" (the --map flag).
func ParseMapping(s string) (Mapping, error) {
	m := Mapping{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		col, field, ok := strings.Cut(part, "=")
		col, field = strings.TrimSpace(col), strings.TrimSpace(field)
		if !ok || col == "" || field == "" {
			return nil, fmt.Errorf("--map %q: want COLUMN=FIELD (FIELD %q drops the column)", part, Skip)
		}
		if _, dup := m[col]; dup {
			return nil, fmt.Errorf("--map: column %q is mapped twice", col)
		}
		m[col] = field
	}
	return m, nil
}

// column is one file column's place in the JSON object.
type column struct {
	idx  int    // position in the file
	name string // the JSON key
	key  []byte // `"name":`
	kind kind
}

// plan resolves the columns of a file (in file order) against the
// contract. It fails when a required field has no column, when two
// columns land on one field, or when m names a column the file lacks.
func plan(path string, names []string, m Mapping) ([]column, error) {
	present := make(map[string]bool, len(names))
	for _, n := range names {
		present[n] = true
	}
	for col := range m {
		if !present[col] {
			return nil, fmt.Errorf("%s: --map names column %q, which the file does not have (columns: %s)", path, col, strings.Join(names, ", "))
		}
	}
	var cols []column
	byField := map[string]string{}
	for i, n := range names {
		target, mapped := m[n]
		if !mapped {
			target = n
			if _, ok := fields[strings.ToLower(strings.TrimSpace(n))]; ok {
				target = strings.ToLower(strings.TrimSpace(n))
			}
		}
		if target == Skip {
			continue
		}
		k := fields[target]
		if prev, dup := byField[target]; dup {
			return nil, fmt.Errorf("%s: columns %q and %q both map to field %q; drop one with --map %s=%s", path, prev, n, target, n, Skip)
		}
		byField[target] = n
		cols = append(cols, column{idx: i, name: target, key: appendKey(nil, target), kind: k})
	}
	var missing []string
	for _, f := range RequiredColumns {
		if _, ok := byField[f]; !ok {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		sorted := append([]string(nil), names...)
		sort.Strings(sorted)
		hint := make([]string, len(missing))
		for i, f := range missing {
			hint[i] = "COLUMN=" + f
		}
		return nil, fmt.Errorf("%s: missing required column %s (file columns: %s); name the column %s or map one with --map %s",
			path, quoteList(missing), strings.Join(sorted, ", "), strings.Join(missing, ", "), strings.Join(hint, ","))
	}
	return cols, nil
}

func quoteList(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}

func appendKey(buf []byte, name string) []byte {
	buf = appendString(buf, name)
	return append(buf, ':')
}
