package dashboards

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
)

// maxCacheEntries bounds the query cache; when full it is emptied (the
// dashboards ask few distinct queries, so this is rare).
const maxCacheEntries = 2048

type cacheEntry struct {
	rows    []metrics.Row
	expires time.Time
}

// cachedSource keeps results of src for ttl: dashboards reload the same
// queries on every page view, and the stored metric tables change only
// when the hourly run rewrites them.
func cachedSource(src reports.Source, ttl time.Duration) reports.Source {
	if ttl <= 0 {
		return src
	}
	var mu sync.Mutex
	entries := map[string]cacheEntry{}
	return func(ctx context.Context, name string, q metrics.Query) ([]metrics.Row, error) {
		key := fmt.Sprintf("%s|%s|%s|%s|%s|%s", name, q.From.Format(time.DateOnly), q.To.Format(time.DateOnly),
			strings.Join(q.By, ","), q.Shop, q.Level)
		now := time.Now()
		mu.Lock()
		e, ok := entries[key]
		mu.Unlock()
		if ok && now.Before(e.expires) {
			return e.rows, nil
		}
		rows, err := src(ctx, name, q)
		if err != nil {
			return nil, err
		}
		mu.Lock()
		if len(entries) >= maxCacheEntries {
			clear(entries)
		}
		entries[key] = cacheEntry{rows: rows, expires: now.Add(ttl)}
		mu.Unlock()
		return rows, nil
	}
}

// cachedCoverage keeps the coverage for ttl like cachedSource keeps rows;
// a nil f gives the zero (unknown) coverage.
func cachedCoverage(f reports.CoverageFunc, ttl time.Duration) reports.CoverageFunc {
	if f == nil {
		return func(context.Context) (metrics.Coverage, error) { return metrics.Coverage{}, nil }
	}
	if ttl <= 0 {
		return f
	}
	var mu sync.Mutex
	var last metrics.Coverage
	var expires time.Time
	return func(ctx context.Context) (metrics.Coverage, error) {
		mu.Lock()
		defer mu.Unlock()
		if time.Now().Before(expires) {
			return last, nil
		}
		c, err := f(ctx)
		if err != nil {
			return c, err
		}
		last, expires = c, time.Now().Add(ttl)
		return c, nil
	}
}
