package dashboards

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/reporttest"
)

// BenchmarkAPI measures the JSON API on simulated data, uncached (every
// request reaches ClickHouse) and with the default one-minute cache.
func BenchmarkAPI(b *testing.B) {
	conn, from, to := loadSimulated(b)
	rng := "from=" + from.Format(time.DateOnly) + "&to=" + to.Format(time.DateOnly)
	for _, c := range []struct {
		name string
		ttl  time.Duration
	}{{"uncached", 0}, {"cached", time.Minute}} {
		b.Run(c.name, func(b *testing.B) {
			s := DefaultSettings()
			s.CacheTTL = c.ttl
			srv, err := New(Options{Settings: s, Source: reports.ShowSource(conn), Location: reporttest.Loc})
			if err != nil {
				b.Fatal(err)
			}
			ts := httptest.NewServer(srv)
			defer ts.Close()
			p50, p95 := apiLatency(b, ts.URL+"/api/v1/metrics/conversion?"+rng+"&by=date,shop_id,channel", max(b.N, 20))
			b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(p95.Microseconds())/1000, "p95-ms")
		})
	}
}

// BenchmarkWeeklyReport builds and renders the weekly report (both
// languages) from the stored metrics of simulated data.
func BenchmarkWeeklyReport(b *testing.B) {
	conn, from, _ := loadSimulated(b)
	week := reports.WeekOf(from.AddDate(0, 0, 14))
	src := reports.ShowSource(conn)
	var buf bytes.Buffer
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		buf.Reset()
		if err := reports.Generate(context.Background(), src, "weekly", reports.Scope{Period: week}, &buf, reports.RenderOptions{Lang: reports.LangZH}); err != nil {
			b.Fatal(err)
		}
	}
}

// apiLatency sends n sequential GET requests to url and returns the
// median and 95th-percentile latency.
func apiLatency(b *testing.B, url string, n int) (p50, p95 time.Duration) {
	lat := make([]time.Duration, 0, n)
	for range n {
		start := time.Now()
		resp, err := http.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("%s: HTTP %d", url, resp.StatusCode)
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	return lat[len(lat)/2], lat[min(len(lat)-1, len(lat)*95/100)]
}
