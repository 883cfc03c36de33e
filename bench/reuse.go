package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/convintel/convintel/warehouse"
)

// loadRecord says what an alert-stage database was loaded with: the
// simulated configurations, whether NLP ran, and the message rows stored.
type loadRecord struct {
	Traffic  string `json:"traffic"`
	Messages uint64 `json:"messages"`
}

// loadedWith is what a record says traffic was loaded with: the
// configurations and whether NLP enriched them.
func loadedWith(o Options, traffic string) string {
	return fmt.Sprintf("%s nlp=%v", traffic, !o.AlertStagesNoNLP)
}

func recordPath(o Options, db string) string {
	return filepath.Join(o.Home, "bench-data", db+".json")
}

// stageDB opens bench database db for traffic (a description of every
// simulated configuration it is loaded with). With o.ReuseData, a record
// of the same traffic and a database holding its message rows, it is kept
// and loaded is true; otherwise it is recreated empty and the caller loads
// it and calls recordLoaded.
func stageDB(ctx context.Context, o Options, db, traffic string) (conn warehouse.Conn, loaded bool, err error) {
	traffic = loadedWith(o, traffic)
	if o.ReuseData {
		var rec loadRecord
		raw, err := os.ReadFile(recordPath(o, db))
		if err == nil && json.Unmarshal(raw, &rec) == nil && rec.Traffic == traffic {
			dsn, err := o.DSN(db)
			if err != nil {
				return nil, false, err
			}
			c, _, err := warehouse.Open(ctx, dsn)
			if err != nil {
				return nil, false, err
			}
			if n, err := warehouse.MessageRows(ctx, c); err == nil && n == rec.Messages {
				fmt.Fprintf(o.Log, "    reusing %s: %d messages loaded by an earlier run\n", db, n)
				return c, true, nil
			}
			c.Close()
		} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, false, err
		}
	}
	if err := os.Remove(recordPath(o, db)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, false, err
	}
	c, _, err := freshDB(ctx, o, db)
	return c, false, err
}

// recordLoaded writes what stageDB's database now holds.
func recordLoaded(ctx context.Context, o Options, db, traffic string, conn warehouse.Conn) error {
	n, err := warehouse.MessageRows(ctx, conn)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(loadRecord{Traffic: loadedWith(o, traffic), Messages: n})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(recordPath(o, db)), 0o755); err != nil {
		return err
	}
	return os.WriteFile(recordPath(o, db), raw, 0o644)
}
