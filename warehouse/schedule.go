package warehouse

import (
	"context"
	"fmt"
	"time"
)

var lastSlots = embedded("schedule/last_slots.sql")

// LastSlots returns the last completed slot per scheduled job recorded in
// schedule_slots by any replica of the scheduler.
func LastSlots(ctx context.Context, conn Conn) (map[string]time.Time, error) {
	rows, err := conn.Query(ctx, lastSlots)
	if err != nil {
		return nil, fmt.Errorf("read schedule_slots: %w", err)
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var job string
		var slot time.Time
		if err := rows.Scan(&job, &slot); err != nil {
			return nil, err
		}
		out[job] = slot
	}
	return out, rows.Err()
}

var recordSlotSQL = embedded("schedule/record_slot.sql")

// RecordSlot records slot of job as completed by host. Through PrepareBatch:
// an INSERT … VALUES with bound arguments through Exec hangs on 18.16.
func RecordSlot(ctx context.Context, conn Conn, job string, slot time.Time, host string) error {
	b, err := conn.PrepareBatch(ctx, recordSlotSQL)
	if err != nil {
		return fmt.Errorf("record schedule slot: %w", err)
	}
	if err := b.Append(job, slot, time.Now(), host); err != nil {
		b.Abort()
		return err
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("record schedule slot: %w", err)
	}
	return nil
}
