package metrics

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/convintel/convintel/simulate"
	"github.com/convintel/convintel/warehouse"
	"github.com/convintel/convintel/warehouse/chtest"
)

// TestSlicedJobsMatchUnsliced: the consultation summary and the
// buyer-joining jobs computed in buyer slices give, summed per key as every
// reader sums them, exactly the tables one statement gives; the slices
// partition the buyers (every consultation in exactly one) and come out of
// about equal size.
func TestSlicedJobsMatchUnsliced(t *testing.T) {
	conn, db := chtest.New(t)
	ctx := context.Background()
	cfg := simulate.DefaultConfig().WithGrowth() // a year of order history: repurchases for retention
	cfg.Days, cfg.ConsultationsPerShopDay = 4, 150
	simulated(t, conn, cfg)
	from, to := cfg.Start, cfg.Start.AddDate(0, 0, cfg.Days-1)
	cl := warehouse.Single(conn, db)

	one := DefaultSettings()
	if _, err := Run(ctx, cl, one, from, to, nil); err != nil {
		t.Fatal(err)
	}
	tables := []string{summaryJob.table}
	for name := range slicedJobs {
		tables = append(tables, tableOf(t, name))
	}
	want := map[string][]string{}
	for _, table := range tables {
		want[table] = tableSums(t, conn, table)
	}

	p := paramsFor(one, from, to)
	total := sliceConsultations(t, conn, p, buyerSlice{}) // the zero slice: every buyer
	if total < 1000 {
		t.Fatalf("only %d consultations; the test needs more", total)
	}
	limit := int(total / 5)
	sl, err := buyerSlices(ctx, conn, consultationSlices, p, limit)
	if err != nil {
		t.Fatal(err)
	}
	if len(sl) < 5 || len(sl) > 6 || sl[0].Lo != nil || sl[len(sl)-1].Hi != nil {
		t.Fatalf("%d consultations in slices of %d: got %d slices, want 5 or 6, open at both ends", total, limit, len(sl))
	}
	// Each slice holds about a fifth; together exactly all.
	var sum uint64
	for i, s := range sl {
		if i > 0 && *sl[i-1].Hi != *s.Lo {
			t.Fatalf("slice %d starts at %v, the one before ends at %v", i, *s.Lo, *sl[i-1].Hi)
		}
		n := sliceConsultations(t, conn, p, s)
		if n == 0 || n > uint64(limit)*3/2 {
			t.Errorf("slice %d holds %d consultations; want about %d", i, n, limit)
		}
		sum += n
	}
	if sum != total {
		t.Fatalf("slices hold %d consultations in all, the days %d", sum, total)
	}

	// The summary's passes (10 days: here the 4 days with the look-back)
	// in slices of a quarter of their messages.
	sp := summaryParamsFor(one, from.AddDate(0, 0, -2), to)
	msgs, err := buyerSlices(ctx, conn, messageSlices, sp, 1<<40)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("one slice for an unbounded statement: %v, %v", msgs, err)
	}
	sliced := one
	sliced.StatementConsultations = limit
	sliced.StatementMessages = 4000
	if msgs, err = buyerSlices(ctx, conn, messageSlices, sp, sliced.StatementMessages); err != nil || len(msgs) < 3 {
		t.Fatalf("the summary pass in slices of %d messages: %d slices (%v), want several", sliced.StatementMessages, len(msgs), err)
	}
	if _, err := Run(ctx, cl, sliced, from, to, nil); err != nil {
		t.Fatal(err)
	}
	for _, table := range tables {
		got := tableSums(t, conn, table)
		if len(got) < 10 {
			t.Errorf("%s: only %d keys; the test needs more", table, len(got))
		}
		expect(t, table+" in slices vs one statement", got, want[table])
	}
}

// tableOf is the table job name writes.
func tableOf(t *testing.T, name string) string {
	t.Helper()
	for _, j := range jobs() {
		if j.name == name {
			return j.table
		}
	}
	t.Fatalf("no job %s", name)
	return ""
}

// testdata holds the test's own SQL files (rendered like the project's,
// with buyer_slice defined).
var testdata = os.DirFS("testdata").(FS)

// sliceConsultations counts the consultations of p's days in slice s.
func sliceConsultations(t *testing.T, conn warehouse.Conn, p rangeParams, s buyerSlice) uint64 {
	t.Helper()
	p.Slice = s
	stmt, err := renderFrom(testdata, "slice_count", p)
	if err != nil {
		t.Fatal(err)
	}
	var n uint64
	if err := conn.QueryRow(context.Background(), stmt, s.args()...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// tableSums reads table summed per key (testdata/table_sums.sql): its
// counts and amounts summed, its lists concatenated, over the rows of
// each date, name and code.
func tableSums(t *testing.T, conn warehouse.Conn, table string) []string {
	t.Helper()
	ctx := context.Background()
	cols, err := renderFrom(testdata, "table_columns", nil)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := conn.Query(ctx, cols, clickhouse.Named("table", table))
	if err != nil {
		t.Fatal(err)
	}
	var keys, sums []string
	for rows.Next() {
		var name, how string
		if err := rows.Scan(&name, &how); err != nil {
			t.Fatal(err)
		}
		switch how {
		case "key":
			keys = append(keys, name)
		case "array":
			sums = append(sums, "arraySort(groupArrayArray("+name+"))")
		default:
			sums = append(sums, "sum("+name+")")
		}
	}
	rows.Close()
	stmt, err := renderFrom(testdata, "table_sums", map[string]string{
		"Table": table, "Keys": strings.Join(keys, ", "), "Sums": strings.Join(sums, ", "),
	})
	if err != nil {
		t.Fatal(err)
	}
	rows, err = conn.Query(ctx, stmt)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
