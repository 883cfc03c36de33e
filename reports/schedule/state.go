package schedule

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/warehouse"
)

// state is the last completed slot per job. It is kept in a JSON file of
// this replica and, when the scheduler has a database connection, in
// table schedule_slots, which every replica of `serve` shares: the replica
// that becomes leader resumes after the last slot any leader completed,
// instead of running it again and sending its webhook twice. A slot is
// completed when either says so; both only move forward.
type state struct {
	path string
	conn warehouse.Conn       // nil: the file alone
	host string               // recorded with each slot in schedule_slots
	Last map[string]time.Time `json:"last_completed_slot"`
}

func loadState(ctx context.Context, path string, conn warehouse.Conn) (*state, error) {
	st := &state{path: path, conn: conn, Last: map[string]time.Time{}}
	st.host, _ = os.Hostname()
	raw, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return nil, err
	default:
		if err := json.Unmarshal(raw, st); err != nil {
			return nil, fmt.Errorf("schedule state %s: %w (delete it to start afresh)", path, err)
		}
		if st.Last == nil {
			st.Last = map[string]time.Time{}
		}
	}
	return st, st.refresh(ctx)
}

// refresh takes in the slots other replicas completed since (nothing
// without a database).
func (st *state) refresh(ctx context.Context) error {
	if st.conn == nil {
		return nil
	}
	shared, err := warehouse.LastSlots(ctx, st.conn)
	if err != nil {
		return err
	}
	for job, slot := range shared {
		if slot.After(st.Last[job]) {
			st.Last[job] = slot
		}
	}
	return nil
}

// done records slot as completed for job: in schedule_slots, and in the
// file (never moving backwards), saved atomically.
func (st *state) done(ctx context.Context, job string, slot time.Time) error {
	if st.conn != nil {
		if err := warehouse.RecordSlot(ctx, st.conn, job, slot, st.host); err != nil {
			return err
		}
	}
	if slot.Before(st.Last[job]) {
		return nil
	}
	st.Last[job] = slot
	return reports.WriteFile(st.path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(st)
	})
}
