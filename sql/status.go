package sql

import (
	"context"
	"fmt"
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
}

// eventCounts counts distinct event_ids per contract type.
const eventCounts = `
SELECT 'message' AS type, uniqExact(event_id) FROM messages
UNION ALL SELECT type, uniqExact(event_id) FROM conversations GROUP BY type
UNION ALL SELECT 'handoff', uniqExact(event_id) FROM handoffs
UNION ALL SELECT 'rating', uniqExact(event_id) FROM ratings
UNION ALL SELECT 'order', uniqExact(event_id) FROM orders`

// deadLetterCounts counts distinct deliveries per reason.
const deadLetterCounts = `SELECT reason, uniqExact(source, location) FROM dead_letters GROUP BY reason`

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
	if err := conn.QueryRow(ctx, "SELECT toUInt64(sum(bytes)) FROM system.parts WHERE active AND database = ?", db).Scan(&s.DataBytes); err != nil {
		return s, fmt.Errorf("data size: %w", err)
	}
	return s, nil
}

// DeadLetterReasons counts dead letters by reason ("" source: all).
func DeadLetterReasons(ctx context.Context, conn Conn, source string) (map[string]uint64, error) {
	q := deadLetterCounts
	var args []any
	if source != "" {
		q = `SELECT reason, uniqExact(source, location) FROM dead_letters WHERE source = ? GROUP BY reason`
		args = append(args, source)
	}
	rows, err := conn.Query(ctx, q, args...)
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
