package warehouse

import (
	"context"
	"fmt"
	"io/fs"
	"time"

	"github.com/convintel/convintel/sql"
)

// Stored describes what the database holds, after dedup by event_id.
type Stored struct {
	Events              map[string]uint64 `json:"events"`
	EventsTotal         uint64            `json:"events_total"`
	DeadLetters         uint64            `json:"dead_letters"`
	DeadLettersByReason map[string]uint64 `json:"dead_letters_by_reason"`
	ClickHouseVersion   string            `json:"clickhouse_version"`
	Database            string            `json:"database"`
	DataBytes           uint64            `json:"data_bytes"`
	// FirstEvent and LastEvent bound the stored messages and orders (zero
	// when there are none).
	FirstEvent time.Time `json:"first_event"`
	LastEvent  time.Time `json:"last_event"`
}

var (
	eventCounts      = embedded("status/event_counts.sql")
	deadLetterCounts = embedded("status/dead_letters.sql")
	dataBytes        = embedded("status/data_bytes.sql")
	eventRange       = embedded("status/event_range.sql")
)

// embedded returns the text of an embedded .sql file; they are fixed at
// build time, so a missing one is a programming error.
func embedded(name string) string {
	b, err := fs.ReadFile(sql.Files, name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// Status reads what is stored.
func Status(ctx context.Context, conn Conn, db string) (Stored, error) {
	s := Stored{Events: map[string]uint64{}, DeadLettersByReason: map[string]uint64{}, Database: db}
	for _, t := range []string{"conversation_started", "message", "handoff", "conversation_ended", "rating", "order"} {
		s.Events[t] = 0
	}
	rows, err := conn.Query(ctx, eventCounts)
	if err != nil {
		return s, fmt.Errorf("count events: %w", err)
	}
	for rows.Next() {
		var t string
		var n uint64
		if err := rows.Scan(&t, &n); err != nil {
			rows.Close()
			return s, err
		}
		s.Events[t] += n
		s.EventsTotal += n
	}
	rows.Close()
	dl, err := DeadLetterReasons(ctx, conn, "")
	if err != nil {
		return s, err
	}
	for r, n := range dl {
		s.DeadLettersByReason[r] = n
		s.DeadLetters += n
	}
	if s.ClickHouseVersion, err = ServerVersion(ctx, conn); err != nil {
		return s, err
	}
	if err := conn.QueryRow(ctx, dataBytes, db).Scan(&s.DataBytes); err != nil {
		return s, fmt.Errorf("data size: %w", err)
	}
	var lo, hi int64
	if err := conn.QueryRow(ctx, eventRange).Scan(&lo, &hi); err != nil {
		return s, fmt.Errorf("event dates: %w", err)
	}
	if hi > 0 {
		s.FirstEvent, s.LastEvent = time.UnixMilli(lo).UTC(), time.UnixMilli(hi).UTC()
	}
	return s, nil
}

// Status is Status through the Distributed tables, with the data size
// summed over every node's shard-local database (replicas included: it is
// the disk the data takes).
func (c *Cluster) Status(ctx context.Context) (Stored, error) {
	s, err := Status(ctx, c.Global, c.DB)
	if err != nil {
		return s, err
	}
	s.DataBytes = 0
	for _, n := range c.Nodes {
		var b uint64
		err := c.query(ctx, n.Addr, func(conn Conn) error { return conn.QueryRow(ctx, dataBytes, c.LocalDB).Scan(&b) })
		if err != nil {
			return s, fmt.Errorf("data size on %s: %w", n.Addr, err)
		}
		s.DataBytes += b
	}
	return s, nil
}

// DeadLetterReasons counts dead letters by reason ("" source: all).
func DeadLetterReasons(ctx context.Context, conn Conn, source string) (map[string]uint64, error) {
	rows, err := conn.Query(ctx, deadLetterCounts, source, source)
	if err != nil {
		return nil, fmt.Errorf("count dead letters: %w", err)
	}
	defer rows.Close()
	out := map[string]uint64{}
	for rows.Next() {
		var r string
		var n uint64
		if err := rows.Scan(&r, &n); err != nil {
			return nil, err
		}
		out[r] = n
	}
	return out, rows.Err()
}
