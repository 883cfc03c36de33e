package dashboards

import (
	"bytes"
	"context"
	"net/http/httptest"
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
			p50, p95, err := BenchAPI(context.Background(), ts.URL+"/api/v1/metrics/conversion?"+rng+"&by=date,shop_id,channel", max(b.N, 20), nil)
			if err != nil {
				b.Fatal(err)
			}
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
