package metrics

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/convintel/convintel/warehouse"
)

// Mute silences one rule for one product of a shop (every product when
// Product is empty) from From to To, inclusive local dates. A muted alert
// is still computed, stored and shown (marked muted); it is never
// announced to the webhooks.
type Mute struct {
	ID        string    `json:"mute_id"`
	Shop      string    `json:"shop_id"`
	Rule      string    `json:"rule"`
	Product   string    `json:"product_id,omitempty"`
	From      time.Time `json:"from"`
	To        time.Time `json:"to"`
	Reason    string    `json:"reason,omitempty"`
	CreatedBy string    `json:"created_by,omitempty"`
}

// Covers says whether m silences an alert of rule about product at shop on
// day d.
func (m Mute) Covers(rule, shop, product string, d time.Time) bool {
	if m.Rule != rule || m.Shop != shop || (m.Product != "" && m.Product != product) {
		return false
	}
	day := d.Format(time.DateOnly)
	return day >= m.From.Format(time.DateOnly) && day <= m.To.Format(time.DateOnly)
}

func (m Mute) validate() error {
	var errs []error
	if m.Shop == "" {
		errs = append(errs, errors.New("give the shop (--shop)"))
	}
	if _, ok := LookupRule(m.Rule); !ok {
		var names []string
		for _, r := range Rules() {
			names = append(names, r.Name)
		}
		errs = append(errs, fmt.Errorf("rule %q: choose one of %s", m.Rule, strings.Join(names, ", ")))
	}
	if m.From.IsZero() || m.To.IsZero() || m.To.Before(m.From) {
		errs = append(errs, errors.New("give the period: from ≤ to (YYYY-MM-DD)"))
	} else if m.To.Sub(m.From) > 366*24*time.Hour {
		errs = append(errs, errors.New("a mute lasts at most a year: alerts muted forever are alerts nobody reads"))
	}
	if len(m.Reason) > 500 || len(m.Shop) > 200 || len(m.Product) > 200 || len(m.CreatedBy) > 200 {
		errs = append(errs, errors.New("shop, product and author are at most 200 characters, the reason 500"))
	}
	return errors.Join(errs...)
}

// SaveMute stores m (its ID derived from shop, rule, product and period
// when empty, so saving the same mute twice is one mute) and returns it.
func SaveMute(ctx context.Context, conn warehouse.Conn, m Mute) (Mute, error) {
	if err := m.validate(); err != nil {
		return m, fmt.Errorf("mute: %w", err)
	}
	if m.ID == "" {
		h := fnv.New64a()
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s", m.Shop, m.Rule, m.Product, m.From.Format(time.DateOnly), m.To.Format(time.DateOnly))
		m.ID = fmt.Sprintf("mute-%012x", h.Sum64()&0xffffffffffff)
	}
	return m, writeMute(ctx, conn, m, false)
}

// LiftMute ends mute id (it stays in the table as lifted).
func LiftMute(ctx context.Context, conn warehouse.Conn, id string) error {
	mutes, err := Mutes(ctx, conn)
	if err != nil {
		return err
	}
	for _, m := range mutes {
		if m.ID == id {
			return writeMute(ctx, conn, m, true)
		}
	}
	return fmt.Errorf("no mute %q in force: list them with `convintel alerts mutes`", id)
}

func writeMute(ctx context.Context, conn warehouse.Conn, m Mute, deleted bool) error {
	var del uint8
	if deleted {
		del = 1
	}
	return insertFile(ctx, conn, "alert_mute_insert", func(b driver.Batch) error {
		return b.Append(m.ID, m.Shop, m.Rule, m.Product, utcDate(m.From), utcDate(m.To), m.Reason, m.CreatedBy,
			uint64(time.Now().UnixNano()), del)
	})
}

// Mutes returns the mutes in force (not lifted), whatever their period.
func Mutes(ctx context.Context, conn warehouse.Conn) ([]Mute, error) {
	rows, err := queryFile(ctx, conn, "alert_mutes", nil)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Mute
	for rows.Next() {
		var m Mute
		if err := rows.Scan(&m.ID, &m.Shop, &m.Rule, &m.Product, &m.From, &m.To, &m.Reason, &m.CreatedBy); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Muted says whether any of mutes covers the alert.
func Muted(mutes []Mute, rule, shop, product string, d time.Time) bool {
	for _, m := range mutes {
		if m.Covers(rule, shop, product, d) {
			return true
		}
	}
	return false
}

// AnnouncedSince returns the ids of the alerts announced since t.
func AnnouncedSince(ctx context.Context, conn warehouse.Conn, t time.Time) (map[string]bool, error) {
	stmt, err := render("alert_announced", nil)
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(ctx, stmt, t.Unix())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

// RecordAnnounced records that the alerts (id → shop) were announced at t.
func RecordAnnounced(ctx context.Context, conn warehouse.Conn, alerts map[string]string, t time.Time) error {
	if len(alerts) == 0 {
		return nil
	}
	at := t.UTC().Truncate(time.Second)
	return insertFile(ctx, conn, "alert_announce_insert", func(b driver.Batch) error {
		for id, shop := range alerts {
			if err := b.Append(id, shop, at); err != nil {
				return err
			}
		}
		return nil
	})
}
