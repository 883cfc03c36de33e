package metrics

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/convintel/convintel/warehouse"
)

// The hourly evaluation's day so far is kept as one row per conversation
// and finished hour in metric_alert_intraday_parts (migration 0070), so
// that an evaluation at hour H reads a row per conversation-hour instead of
// every raw event since midnight, and its cost stays flat through a
// 双十一 day. Each hour is computed once from the events stamped in it; an
// hour whose raw row count changed since (late or re-delivered events) is
// recomputed, so the rows always equal a fresh read of the raw tables.

// refreshIntradayParts brings day d's rows of metric_alert_intraday_parts
// up to date for the hours before hour, on one shard (conn reads and
// writes its local tables: a conversation's events are all on one shard,
// sharded by shop and buyer). It returns how many hours it (re)computed.
func refreshIntradayParts(ctx context.Context, conn warehouse.Conn, d time.Time, hour int) (int, error) {
	cut := d.Add(time.Duration(hour) * time.Hour)
	raw, err := hourCounts(ctx, conn, "alert_intraday_raw_rows", map[string]any{
		"FromMs": d.UnixMilli(), "FromSec": d.Unix(), "CutoffMs": cut.UnixMilli(), "CutoffSec": cut.Unix()})
	if err != nil {
		return 0, err
	}
	marks, err := intradayMarks(ctx, conn, d)
	if err != nil {
		return 0, err
	}
	var stale []int
	for h := range hour {
		if m, ok := marks[h]; !ok || m.marks != 1 || m.rows != raw[h] {
			stale = append(stale, h)
		}
	}
	if len(stale) == 0 {
		return 0, dropOldIntradayParts(ctx, conn, d)
	}
	day := d.Format("20060102")
	for _, h := range stale {
		if err := dropPartition(ctx, conn, "metric_alert_intraday_parts", fmt.Sprintf("(%s, %d)", day, h)); err != nil {
			return 0, err
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
		return 0, err
	}
	if err := conn.Exec(ctx, stmt); err != nil {
		return 0, fmt.Errorf("compute the hourly alert rows of %s: %w", d.Format(time.DateOnly), err)
	}
	// The completion rows go last: an hour interrupted before them has none
	// and is recomputed by the next evaluation.
	header, err := render("alert_intraday_mark_insert", nil)
	if err != nil {
		return 0, err
	}
	b, err := conn.PrepareBatch(ctx, withoutComments(header))
	if err != nil {
		return 0, err
	}
	date := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	for _, h := range stale {
		if err := b.Append(date, uint8(h), uint8(1), raw[h]); err != nil {
			b.Abort()
			return 0, err
		}
	}
	if err := b.Send(); err != nil {
		return 0, err
	}
	return len(stale), dropOldIntradayParts(ctx, conn, d)
}

// hourCounts runs a query of (hour, count) rows.
func hourCounts(ctx context.Context, conn warehouse.Conn, file string, p map[string]any) (map[int]uint64, error) {
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

type intradayMark struct{ marks, rows uint64 }

// intradayMarks reads day d's completion rows per hour.
func intradayMarks(ctx context.Context, conn warehouse.Conn, d time.Time) (map[int]intradayMark, error) {
	rows, err := queryFile(ctx, conn, "alert_intraday_marks", map[string]string{"Date": d.Format(time.DateOnly)})
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]intradayMark{}
	for rows.Next() {
		var h uint8
		var m intradayMark
		if err := rows.Scan(&h, &m.marks, &m.rows); err != nil {
			return nil, err
		}
		out[int(h)] = m
	}
	return out, rows.Err()
}

// dropOldIntradayParts drops the hours of days before d's eve: the
// evaluation reads only the day so far (and, at midnight, the day before).
// An older day evaluated again is recomputed from the raw tables.
func dropOldIntradayParts(ctx context.Context, conn warehouse.Conn, d time.Time) error {
	keep, _ := strconv.Atoi(d.AddDate(0, 0, -1).Format("20060102"))
	return dropIntradayParts(ctx, conn, func(day int) bool { return day < keep })
}

// ForgetIntraday drops day d's hourly rows on every shard, so the next
// hourly evaluation of d recomputes them all from the raw tables: after
// the day's messages were enriched again (a new NLP model changes labels,
// not row counts), or to time a first evaluation (convintel bench).
func ForgetIntraday(ctx context.Context, cl *warehouse.Cluster, d time.Time) error {
	day, _ := strconv.Atoi(d.Format("20060102"))
	for _, sh := range cl.Shards {
		if err := dropIntradayParts(ctx, sh, func(n int) bool { return n == day }); err != nil {
			return err
		}
	}
	return nil
}

// dropIntradayParts drops the partitions of metric_alert_intraday_parts
// whose day (yyyymmdd) drop says to.
func dropIntradayParts(ctx context.Context, conn warehouse.Conn, drop func(day int) bool) error {
	rows, err := queryFile(ctx, conn, "alert_intraday_partitions", nil)
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
		day, _, ok := strings.Cut(strings.TrimPrefix(p, "("), ",")
		if n, err := strconv.Atoi(day); ok && err == nil && drop(n) {
			old = append(old, p)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, p := range old {
		if err := dropPartition(ctx, conn, "metric_alert_intraday_parts", p); err != nil {
			return err
		}
	}
	return nil
}

// dropPartition drops one partition of table (a missing one is fine).
func dropPartition(ctx context.Context, conn warehouse.Conn, table, partition string) error {
	stmt, err := render("drop_day", map[string]string{"Table": table, "Partition": partition})
	if err != nil {
		return err
	}
	return conn.Exec(ctx, stmt)
}

// daySoFar brings every shard's hourly rows of day d up to date for the
// hours before hour and sums them, through conn, into the series of the
// hourly rules for the day so far (alert_intraday.sql). It also returns
// how many shard-hours it computed.
func daySoFar(ctx context.Context, conn warehouse.Conn, shards []warehouse.Conn, d time.Time, hour int) (map[SeriesKey]point, int, error) {
	computed := 0
	for _, sh := range shards {
		n, err := refreshIntradayParts(ctx, sh, d, hour)
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
