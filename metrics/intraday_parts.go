package metrics

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/convintel/convintel/warehouse"
)

// The hourly evaluation keeps the day so far in two tables (migration
// 0070), so that an evaluation costs what the last hour's traffic costs,
// not what the day since midnight does, and stays flat through a 双十一
// day:
//
//   - metric_alert_intraday_parts: one row per conversation and finished
//     hour, computed once from the events stamped in that hour, and again
//     only when the hour's raw row count changed (late or re-delivered
//     events) or its completion row is missing (an interrupted run);
//   - metric_alert_intraday_series: the cumulative series at each hour,
//     the previous hour's plus what the conversations active in the hour
//     just finished changed (their new contribution minus their old one).
//
// A recomputed hour of parts invalidates the series of every later hour,
// which are rebuilt in order, so the series always equal a fresh read of
// the raw tables (TestIntradayPartsMatchRaw).

// refreshIntraday brings day d's hourly rows and series up to date for
// the evaluation at hour:00, on one shard (conn reads and writes its local
// tables: a conversation's events are all on one shard, sharded by shop and
// buyer). It returns how many hours of raw events it (re)computed.
func refreshIntraday(ctx context.Context, conn warehouse.Conn, d time.Time, hour int) (int, error) {
	stale, err := refreshIntradayParts(ctx, conn, d, hour)
	if err != nil {
		return 0, err
	}
	day := yyyymmdd(d)
	if len(stale) > 0 {
		// The series at c covers hours < c: those after the first
		// recomputed hour are stale.
		if err := dropIntraday(ctx, conn, "metric_alert_intraday_series", func(dd, c int) bool { return dd == day && c > stale[0] }); err != nil {
			return 0, err
		}
	}
	done, err := hourCounts(ctx, conn, "alert_intraday_series_done", map[string]string{"Date": d.Format(time.DateOnly)})
	if err != nil {
		return 0, err
	}
	first := 1
	for first <= hour {
		if _, ok := done[first]; !ok {
			break
		}
		first++
	}
	for c := first; c <= hour; c++ {
		if err := intradaySeriesAt(ctx, conn, d, c); err != nil {
			return 0, err
		}
	}
	keep := yyyymmdd(d.AddDate(0, 0, -1))
	for _, t := range []string{"metric_alert_intraday_parts", "metric_alert_intraday_series"} {
		if err := dropIntraday(ctx, conn, t, func(dd, _ int) bool { return dd < keep }); err != nil {
			return 0, err
		}
	}
	return len(stale), nil
}

// intradaySeriesAt builds day d's series at cutoff:00 from the series at
// the hour before and the conversations active in that hour, then writes
// its completion row.
func intradaySeriesAt(ctx context.Context, conn warehouse.Conn, d time.Time, cutoff int) error {
	if err := dropPartition(ctx, conn, "metric_alert_intraday_series", fmt.Sprintf("(%d, %d)", yyyymmdd(d), cutoff)); err != nil {
		return err
	}
	stmt, err := render("alert_intraday_series", map[string]any{"Date": d.Format(time.DateOnly), "Cutoff": cutoff, "Prev": cutoff - 1})
	if err != nil {
		return err
	}
	if err := conn.Exec(ctx, stmt); err != nil {
		return fmt.Errorf("the day-so-far alert series of %s at %02d:00: %w", d.Format(time.DateOnly), cutoff, err)
	}
	return insertMarks(ctx, conn, "alert_intraday_series_mark", d, []int{cutoff}, func(int) []any { return []any{""} })
}

// refreshIntradayParts (re)computes the hours before hour whose rows of
// metric_alert_intraday_parts are missing, incomplete or computed from a
// different raw row count, and returns them in order.
func refreshIntradayParts(ctx context.Context, conn warehouse.Conn, d time.Time, hour int) ([]int, error) {
	cut := d.Add(time.Duration(hour) * time.Hour)
	raw, err := hourCounts(ctx, conn, "alert_intraday_raw_rows", map[string]any{
		"FromMs": d.UnixMilli(), "FromSec": d.Unix(), "CutoffMs": cut.UnixMilli(), "CutoffSec": cut.Unix()})
	if err != nil {
		return nil, err
	}
	marks, err := hourCounts(ctx, conn, "alert_intraday_marks", map[string]string{"Date": d.Format(time.DateOnly)})
	if err != nil {
		return nil, err
	}
	var stale []int
	for h := range hour {
		if rows, ok := marks[h]; !ok || rows != raw[h] {
			stale = append(stale, h)
		}
	}
	if len(stale) == 0 {
		return nil, nil
	}
	for _, h := range stale {
		if err := dropPartition(ctx, conn, "metric_alert_intraday_parts", fmt.Sprintf("(%d, %d)", yyyymmdd(d), h)); err != nil {
			return nil, err
		}
	}
	hours := make([]string, len(stale))
	for i, h := range stale {
		hours[i] = strconv.Itoa(h)
	}
	first, last := d.Add(time.Duration(stale[0])*time.Hour), d.Add(time.Duration(stale[len(stale)-1]+1)*time.Hour)
	stmt, err := render("alert_intraday_part", map[string]any{"Date": d.Format(time.DateOnly), "FromMs": d.UnixMilli(),
		"FromSec": first.Unix(), "ToSec": last.Unix(), "Hours": strings.Join(hours, ", ")})
	if err != nil {
		return nil, err
	}
	if err := conn.Exec(ctx, stmt); err != nil {
		return nil, fmt.Errorf("compute the hourly alert rows of %s: %w", d.Format(time.DateOnly), err)
	}
	// The completion rows go last: an hour interrupted before them has none
	// and is recomputed by the next evaluation.
	err = insertMarks(ctx, conn, "alert_intraday_mark_insert", d, stale, func(h int) []any { return []any{uint8(1), raw[h]} })
	return stale, err
}

// insertMarks writes completion rows (date, hour, rest(hour)...) with the
// INSERT header of file.
func insertMarks(ctx context.Context, conn warehouse.Conn, file string, d time.Time, hours []int, rest func(int) []any) error {
	date := utcDate(d)
	return insertFile(ctx, conn, file, func(b driver.Batch) error {
		for _, h := range hours {
			if err := b.Append(append([]any{date, uint8(h)}, rest(h)...)...); err != nil {
				return err
			}
		}
		return nil
	})
}

// hourCounts runs a query of (hour, count) rows.
func hourCounts(ctx context.Context, conn warehouse.Conn, file string, p any) (map[int]uint64, error) {
	rows, err := queryFile(ctx, conn, file, p)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]uint64{}
	for rows.Next() {
		var h uint8
		var n uint64
		if err := rows.Scan(&h, &n); err != nil {
			return nil, err
		}
		out[int(h)] = n
	}
	return out, rows.Err()
}

// ForgetIntraday drops day d's hourly rows and series on every shard, so
// the next hourly evaluation of d recomputes them all from the raw tables:
// after the day's messages were enriched again (a new NLP model changes
// labels, not row counts), or to time a first evaluation (convintel
// bench).
func ForgetIntraday(ctx context.Context, cl *warehouse.Cluster, d time.Time) error {
	day := yyyymmdd(d)
	for _, sh := range cl.Shards {
		for _, t := range []string{"metric_alert_intraday_parts", "metric_alert_intraday_series"} {
			if err := dropIntraday(ctx, sh, t, func(dd, _ int) bool { return dd == day }); err != nil {
				return err
			}
		}
	}
	return nil
}

// dropIntraday drops the (day, hour) partitions of table (yyyymmdd, hour)
// that drop says to.
func dropIntraday(ctx context.Context, conn warehouse.Conn, table string, drop func(day, hour int) bool) error {
	rows, err := queryFile(ctx, conn, "alert_intraday_partitions", map[string]string{"Table": table})
	if err != nil {
		return err
	}
	var old []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			rows.Close()
			return err
		}
		// "(20261003,5)": the day, then the hour.
		day, hour, ok := strings.Cut(strings.Trim(p, "()"), ",")
		dd, err1 := strconv.Atoi(day)
		hh, err2 := strconv.Atoi(hour)
		if ok && err1 == nil && err2 == nil && drop(dd, hh) {
			old = append(old, p)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, p := range old {
		if err := dropPartition(ctx, conn, table, p); err != nil {
			return err
		}
	}
	return nil
}

// yyyymmdd is d's day as the tables' partition key writes it.
func yyyymmdd(d time.Time) int { return d.Year()*10000 + int(d.Month())*100 + d.Day() }

// dropPartition drops one partition of table (a missing one is fine).
func dropPartition(ctx context.Context, conn warehouse.Conn, table, partition string) error {
	stmt, err := render("drop_day", map[string]string{"Table": table, "Partition": partition})
	if err != nil {
		return err
	}
	return conn.Exec(ctx, stmt)
}

// daySoFar brings every shard's hourly rows and series of day d up to date
// for the evaluation at hour:00 and reads, through conn, the series of the
// hourly rules for the day so far (alert_intraday.sql). It also returns
// how many shard-hours it computed.
func daySoFar(ctx context.Context, conn warehouse.Conn, shards []warehouse.Conn, d time.Time, hour int) (map[SeriesKey]point, int, error) {
	computed := 0
	for _, sh := range shards {
		n, err := refreshIntraday(ctx, sh, d, hour)
		if err != nil {
			return nil, 0, err
		}
		computed += n
	}
	rows, err := queryFile(ctx, conn, "alert_intraday", map[string]any{"Date": d.Format(time.DateOnly), "Hours": hour})
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := map[SeriesKey]point{}
	for rows.Next() {
		var k SeriesKey
		var pt point
		if err := rows.Scan(&k.Rule, &k.Shop, &k.Product, &k.Topic, &pt.num, &pt.den); err != nil {
			return nil, 0, err
		}
		out[k] = pt
	}
	return out, computed, rows.Err()
}
