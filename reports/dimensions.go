package reports

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// DimensionKinds are the ids a dimension file can name. An experiment is
// named by its id, an arm by "experiment/arm" or, for an arm named alike
// in every experiment (control), by the arm alone.
var DimensionKinds = []string{"product", "agent", "shop", "channel", "experiment", "arm"}

// Dimensions are a shop's display names for the ids its events carry, so
// reports say 「有机坚果礼盒」 rather than p01-nuts. Loaded from a CSV file
// (reports.dimensions_file) with the header kind,id,zh,en:
//
//	kind,id,zh,en
//	product,p01-nuts,有机坚果礼盒,Organic nut gift box
//	agent,agent-07,小美,Xiaomei
//	shop,shop-01,旗舰店,Flagship store
//	experiment,limited-time-script,限时优惠话术,Limited-time offer script
//	arm,limited-time-script/limited-time,限时优惠,Limited-time offer
//	arm,control,原话术,Current script
//
// An id without a name in the reader's language takes the other
// language's; an id not in the file is shown as it is.
type Dimensions struct {
	names map[[2]string][2]string // (kind, id) → (zh, en)
}

// LoadDimensions reads a dimension file; "" gives no names.
func LoadDimensions(path string) (*Dimensions, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("dimension file: %w", err)
	}
	defer f.Close()
	d, err := ReadDimensions(f)
	if err != nil {
		return nil, fmt.Errorf("dimension file %s: %w", path, err)
	}
	return d, nil
}

// ReadDimensions parses a dimension CSV (see Dimensions).
func ReadDimensions(r io.Reader) (*Dimensions, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("no header: want kind,id,zh,en")
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, need := range []string{"kind", "id"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("header %q lacks %q: want kind,id,zh,en", strings.Join(head, ","), need)
		}
	}
	_, hasZH := col["zh"]
	_, hasEN := col["en"]
	if !hasZH && !hasEN {
		return nil, fmt.Errorf("header %q has neither zh nor en: want kind,id,zh,en", strings.Join(head, ","))
	}
	get := func(rec []string, k string) string {
		if i, ok := col[k]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	d := &Dimensions{names: map[[2]string][2]string{}}
	var errs []error
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		kind, id, zh, en := strings.ToLower(get(rec, "kind")), get(rec, "id"), get(rec, "zh"), get(rec, "en")
		switch {
		case kind == "" && id == "":
			continue // blank line
		case !slices.Contains(DimensionKinds, kind):
			errs = append(errs, fmt.Errorf("line %d: kind %q: use one of %s", line, kind, strings.Join(DimensionKinds, ", ")))
		case id == "":
			errs = append(errs, fmt.Errorf("line %d: empty id", line))
		case zh == "" && en == "":
			errs = append(errs, fmt.Errorf("line %d: %s %s has no name", line, kind, id))
		default:
			if _, dup := d.names[[2]string{kind, id}]; dup {
				errs = append(errs, fmt.Errorf("line %d: %s %s named twice", line, kind, id))
			}
			d.names[[2]string{kind, id}] = [2]string{zh, en}
		}
		if len(errs) >= 10 {
			break
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return d, nil
}

// Name returns the display name of (kind, id) in lang, and whether there
// is one.
func (d *Dimensions) Name(kind, id, lang string) (string, bool) {
	if d == nil {
		return "", false
	}
	n, ok := d.names[[2]string{kind, id}]
	if !ok {
		return "", false
	}
	zh, en := n[0], n[1]
	if lang == LangZH && zh != "" || en == "" {
		return zh, true
	}
	return en, true
}

// Arm returns the display name of arm variant of experiment exp in lang:
// the "exp/variant" row, else the "variant" row.
func (d *Dimensions) Arm(exp, variant, lang string) (string, bool) {
	if n, ok := d.Name("arm", exp+"/"+variant, lang); ok {
		return n, true
	}
	return d.Name("arm", variant, lang)
}

// Len is how many names d holds.
func (d *Dimensions) Len() int {
	if d == nil {
		return 0
	}
	return len(d.names)
}
