package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"
)

// apiLatency sends n sequential GET requests to url (a dashboard or API
// URL of a running server; header carries credentials) and returns the
// median and 95th-percentile latency; the target is p95 ≤ 200 ms.
func apiLatency(ctx context.Context, url string, n int, header http.Header) (p50, p95 time.Duration, err error) {
	if n < 1 {
		return 0, 0, fmt.Errorf("bench: n must be positive")
	}
	client := &http.Client{Timeout: 30 * time.Second}
	lat := make([]time.Duration, 0, n)
	for i := 0; i < n; i++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return 0, 0, err
		}
		for k, v := range header {
			req.Header[k] = v
		}
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, 0, err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return 0, 0, fmt.Errorf("bench %s: HTTP %d", url, resp.StatusCode)
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	return lat[len(lat)/2], lat[min(len(lat)-1, len(lat)*95/100)], nil
}
