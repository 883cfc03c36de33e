package warehouse

import (
	"context"
	"fmt"
	"time"
)

var deadLetterList = embedded("status/dead_letters_list.sql")

// DeadLetterFilter selects dead letters; zero values select everything.
type DeadLetterFilter struct {
	Source, Reason string
	Since          time.Time
	Limit          int
	HeadBytes      int // of the raw bytes (default 120)
}

// DeadLetterRow is one dead letter as listed.
type DeadLetterRow struct {
	ReceivedAt time.Time `json:"received_at"`
	Source     string    `json:"source"`
	Location   string    `json:"location"`
	Reason     string    `json:"reason"`
	Detail     string    `json:"detail"`
	EventID    string    `json:"event_id,omitempty"`
	Head       string    `json:"raw_head"`
	RawBytes   uint64    `json:"raw_bytes"`
}

// ListDeadLetters returns dead letters newest first, one per delivery.
func ListDeadLetters(ctx context.Context, conn Conn, f DeadLetterFilter) ([]DeadLetterRow, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	if f.HeadBytes <= 0 {
		f.HeadBytes = 120
	}
	since := max(f.Since.Unix(), 0) // the zero time is before DateTime's range
	rows, err := conn.Query(ctx, deadLetterList, f.HeadBytes, f.Source, f.Source, f.Reason, f.Reason, since, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("list dead letters: %w", err)
	}
	defer rows.Close()
	var out []DeadLetterRow
	for rows.Next() {
		var d DeadLetterRow
		if err := rows.Scan(&d.ReceivedAt, &d.Source, &d.Location, &d.Reason, &d.Detail, &d.EventID, &d.Head, &d.RawBytes); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
