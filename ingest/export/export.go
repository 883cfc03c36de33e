package export

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/warehouse"
)

// Names lists what Export writes: raw events, enriched messages, and
// every metric of `metrics show`.
func Names() []string { return append([]string{"events", "messages"}, metrics.Names()...) }

// Query selects what to export.
type Query struct {
	// From and To are the first and last day, inclusive.
	From, To time.Time
	// Location is the zone days are cut in for events and messages
	// (default UTC); metrics use their own reporting zone.
	Location *time.Location
	// Metric narrows a metric export as `metrics show` does.
	Metric metrics.Query
	// Progress, when set, is called after each day of an events or
	// messages export with the days written and the days in the range (a
	// progress bar with an ETA; a metric export is one query).
	Progress func(done, total int)
}

func (q Query) location() *time.Location {
	if q.Location == nil {
		return time.UTC
	}
	return q.Location
}

// Days is the number of days an events or messages export of q writes,
// the total its Progress reports.
func (q Query) Days() int { return len(days(q.From, q.To, q.location())) }

// Result says what was written.
type Result struct {
	Rows int64
	// Schema is the file's schema.
	Schema *arrow.Schema
}

// ErrNoRows is returned for a metric with no result rows in the range:
// its columns are unknown without a row, so no file is written.
var ErrNoRows = errors.New("no rows")

// Export writes name for q to path in format f. The file is written
// beside path and renamed into place when complete, so a failed export
// leaves no partial file.
func Export(ctx context.Context, conn warehouse.Conn, name string, q Query, f Format, path string) (Result, error) {
	if !slices.Contains(Names(), name) {
		return Result{}, fmt.Errorf("export %q: choose one of %s", name, strings.Join(Names(), ", "))
	}
	if q.From.IsZero() || q.To.IsZero() || q.To.Before(q.From) {
		return Result{}, fmt.Errorf("export %s: need --from and --to with from ≤ to", name)
	}
	loc := q.location()
	var (
		sc   *arrow.Schema
		rows []metrics.Row
	)
	switch name {
	case "events":
		sc = EventsSchema
	case "messages":
		sc = MessagesSchema
	default:
		mq := q.Metric
		mq.From, mq.To = q.From, q.To
		var err error
		if rows, err = metrics.Show(ctx, conn, name, mq); err != nil {
			return Result{}, fmt.Errorf("export %s: %w", name, err)
		}
		if len(rows) == 0 {
			return Result{}, fmt.Errorf("export %s: %w from %s to %s (run `convintel metrics run` for the range first)",
				name, ErrNoRows, q.From.Format(time.DateOnly), q.To.Format(time.DateOnly))
		}
		sc = metricsSchema(rows)
	}

	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return Result{}, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	out, err := newRecordWriter(f, sc, tmp)
	if err != nil {
		return Result{}, err
	}
	res := Result{Schema: sc}
	ws := days(q.From, q.To, loc)
	done := 0
	tick := func() {
		done++
		if q.Progress != nil {
			q.Progress(done, len(ws))
		}
	}
	switch name {
	case "events":
		res.Rows, err = writeEvents(ctx, conn, ws, out, tick)
	case "messages":
		res.Rows, err = writeMessages(ctx, conn, ws, loc, out, tick)
	default:
		_, err = writeMetricRows(rows, out)
		res.Rows = int64(len(rows))
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return Result{}, fmt.Errorf("export %s: %w", name, err)
	}
	if err := tmp.Close(); err != nil {
		return Result{}, err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return Result{}, err
	}
	return res, nil
}
