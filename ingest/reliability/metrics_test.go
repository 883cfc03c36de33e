package reliability

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/convintel/convintel/simulate"
)

func itoa(n int) string { return strconv.Itoa(n) }

func durations(ds []time.Duration) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = d.Round(100 * time.Millisecond).String()
	}
	return strings.Join(parts, " ")
}

// metricNames are the metrics compared between a disturbed and an
// uninterrupted run.
var metricNames = []string{"conversion", "gmv", "sentiment", "dropoff", "funnel", "service", "gaps", "topics"}

// compareMetrics computes every metric in both databases with `convintel
// metrics run` and compares `metrics show … --format json` byte for byte.
// Without a metrics command in the binary it says so: the raw tables were
// compared in full by then.
func compareMetrics(t *testing.T, w *world, disturbedDSN, cleanDSN string, tally simulate.Tally) {
	t.Helper()
	help, err := w.run(time.Minute, nil, "--help")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(help, []byte("\n  metrics ")) {
		t.Log("this binary has no `metrics` command yet: only the raw tables were compared")
		return
	}
	start, err := time.Parse(time.DateOnly, tally.Start)
	if err != nil {
		t.Fatal(err)
	}
	from, to := tally.Start, start.AddDate(0, 0, tally.Days-1).Format(time.DateOnly)
	show := map[string][2][]byte{}
	for i, dsn := range []string{disturbedDSN, cleanDSN} {
		if _, err := w.run(10*time.Minute, nil, "metrics", "run", "--from", from, "--to", to, "--clickhouse", dsn, "--home", w.dir); err != nil {
			t.Fatal(err)
		}
		for _, m := range metricNames {
			out, err := w.run(2*time.Minute, nil, "metrics", "show", m, "--from", from, "--to", to, "--format", "json", "--clickhouse", dsn, "--home", w.dir)
			if err != nil {
				t.Fatal(err)
			}
			v := show[m]
			v[i] = out
			show[m] = v
		}
	}
	compared := 0
	for _, m := range metricNames {
		a, b := show[m][0], show[m][1]
		// Some metrics (knowledge gaps, topics) may have no rows for a
		// short simulation; the executive ones must have some.
		if len(bytes.TrimSpace(a)) < 3 && (m == "conversion" || m == "gmv" || m == "funnel") {
			t.Errorf("metrics show %s: empty output %q", m, a)
		}
		compared += len(a)
		if !bytes.Equal(a, b) {
			t.Errorf("metric %s differs from the uninterrupted run:\n%s\nvs\n%s", m, tailString(string(a), 600), tailString(string(b), 600))
		}
	}
	t.Logf("metrics compared: %s (%d bytes of JSON, identical)", strings.Join(metricNames, ", "), compared)
}
