package metrics

import (
	"context"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/convintel/convintel/warehouse"
)

// Bounded statements (docs/metrics.md "Bounded statements").
//
// The jobs that join each buyer's consultations with the buyer's orders
// (slicedJobs) build hash tables over every buyer of the statement's days.
// One statement over a month of a large shop makes those tables too big for
// the processor's caches and for memory: per buyer, a month of 34 M messages
// cost a third more than one of 10 M, and the conversion statement alone
// held 2.7 GB. So a statement whose days hold more than
// Settings.StatementConsultations consultations is cut into buyer slices:
// ranges of (shop_id, customer_id) in sort order, each run as its own INSERT
// with the buyer_slice condition on every table it reads. A buyer's
// consultations and orders all fall in one slice, so the slices' rows add up
// to the unsliced statement's, as a cluster's shards do (every reader sums
// a job's rows over shards already), and the sort order lets each slice read
// only its own granules. A part of a statement that reads a table without
// buyers (agents: metric_gmv, metric_qa) goes with the first slice only
// ({{if not .Slice.Lo}}).

// slicedJobs are the jobs whose SQL applies buyer_slice to every table it
// reads (TestSlicedJobsMatchUnsliced compares them with one statement).
var slicedJobs = map[string]bool{
	"conversion": true, "dropoff": true, "alert_money": true, "gmv": true, "retention": true, "hourly": true, "funnel": true,
	"experiments": true, "agents": true,
}

// buyerKey is a point of the (shop_id, customer_id) sort order.
type buyerKey struct{ Shop, Customer string }

// buyerSlice is the buyers in [Lo, Hi); a nil bound is open. The zero
// slice is every buyer: the statement renders without a condition.
type buyerSlice struct{ Lo, Hi *buyerKey }

// args binds the slice's bounds to buyer_slice's parameters.
func (s buyerSlice) args() []any {
	var out []any
	if s.Lo != nil {
		out = append(out, clickhouse.Named("slice_lo_shop", s.Lo.Shop), clickhouse.Named("slice_lo_customer", s.Lo.Customer))
	}
	if s.Hi != nil {
		out = append(out, clickhouse.Named("slice_hi_shop", s.Hi.Shop), clickhouse.Named("slice_hi_customer", s.Hi.Customer))
	}
	return out
}

// samplePerSlice is how many sampled buyers a slice boundary is chosen
// from: enough that slices come out within a few per cent of equal.
const samplePerSlice = 256

// sliceSource names the SQL that sizes a statement and samples its
// buyers: slice_size/slice_sample read the consultation summary (the jobs
// after it), slice_size_messages/slice_sample_messages the raw messages
// (the summary itself).
type sliceSource struct{ size, sample string }

var (
	consultationSlices = sliceSource{"slice_size", "slice_sample"}
	messageSlices      = sliceSource{"slice_size_messages", "slice_sample_messages"}
)

// buyerSlices cuts the buyers of p's range into slices of about limit rows
// of src each; one zero slice when the range holds no more.
func buyerSlices(ctx context.Context, conn warehouse.Conn, src sliceSource, p any, limit int) ([]buyerSlice, error) {
	stmt, err := render(src.size, p)
	if err != nil {
		return nil, err
	}
	var total uint64
	if err := conn.QueryRow(ctx, stmt).Scan(&total); err != nil {
		return nil, err
	}
	if limit <= 0 || total <= uint64(limit) {
		return []buyerSlice{{}}, nil
	}
	k := int((total + uint64(limit) - 1) / uint64(limit))
	every := max(1, total/uint64(k*samplePerSlice))
	rows, err := queryFile(ctx, conn, src.sample, struct {
		Range any
		Every uint64
	}{p, every})
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type sampled struct {
		key buyerKey
		n   uint64
	}
	var sample []sampled
	var sum uint64
	for rows.Next() {
		var s sampled
		if err := rows.Scan(&s.key.Shop, &s.key.Customer, &s.n); err != nil {
			return nil, err
		}
		sample = append(sample, s)
		sum += s.n
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// A boundary where the running count passes each k-th of the sample's
	// consultations; the first and last slices are open.
	out := make([]buyerSlice, 0, k)
	var lo *buyerKey
	var run uint64
	next := 1
	for _, s := range sample {
		if next < k && run >= sum*uint64(next)/uint64(k) {
			key := s.key
			out = append(out, buyerSlice{Lo: lo, Hi: &key})
			lo = &key
			for next < k && run >= sum*uint64(next)/uint64(k) {
				next++
			}
		}
		run += s.n
	}
	return append(out, buyerSlice{Lo: lo}), nil
}

// replaceDays replaces table's partitions for the days first..last with
// one statement per slice, render's for that slice with its bounds bound,
// and returns the days' rows. Every statement is rendered before a day is
// dropped, so a template error loses nothing.
func replaceDays(ctx context.Context, conn warehouse.Conn, table string, first, last time.Time,
	slices []buyerSlice, render func(buyerSlice) (string, error)) (uint64, error) {
	return writeDays(ctx, conn, table, first, last, true, slices, render)
}

// writeDays is replaceDays, dropping the days' partitions only with drop:
// days known to hold no rows (the summary's backfill) have none to drop.
func writeDays(ctx context.Context, conn warehouse.Conn, table string, first, last time.Time, drop bool,
	slices []buyerSlice, render func(buyerSlice) (string, error)) (uint64, error) {
	stmts := make([]string, len(slices))
	for i, sl := range slices {
		var err error
		if stmts[i], err = render(sl); err != nil {
			return 0, err
		}
	}
	for d := first; drop && !d.After(last); d = d.AddDate(0, 0, 1) {
		if err := dropDay(ctx, conn, table, d); err != nil {
			return 0, err
		}
	}
	for i, stmt := range stmts {
		if err := conn.Exec(ctx, stmt, slices[i].args()...); err != nil {
			return 0, err
		}
	}
	return dayRows(ctx, conn, table, first, last)
}
