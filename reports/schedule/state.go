package schedule

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/convintel/convintel/reports"
)

// state is the last completed slot per job, persisted as JSON.
type state struct {
	path string
	Last map[string]time.Time `json:"last_completed_slot"`
}

func loadState(path string) (*state, error) {
	st := &state{path: path, Last: map[string]time.Time{}}
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(raw, st); err != nil {
		return nil, fmt.Errorf("schedule state %s: %w (delete it to start afresh)", path, err)
	}
	if st.Last == nil {
		st.Last = map[string]time.Time{}
	}
	return st, nil
}

// done records slot as completed for job (never moving backwards) and
// saves the file atomically.
func (st *state) done(job string, slot time.Time) error {
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
