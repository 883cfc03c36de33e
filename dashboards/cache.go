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

// cachedSource keeps results of src for ttl: dashboards reload the same
// queries on every page view, and the stored metric tables change only
// when the hourly run rewrites them.
func cachedSource(src reports.Source, ttl time.Duration) reports.Source {
	if ttl <= 0 {
		return src
	}
	return &cache{src: src, ttl: ttl, rows: map[string]cacheEntry[[]metrics.Row]{}, alerts: map[string]cacheEntry[[]metrics.Alert]{}}
}

type cacheEntry[T any] struct {
	v       T
	expires time.Time
}

type cache struct {
	src    reports.Source
	ttl    time.Duration
	mu     sync.Mutex
	rows   map[string]cacheEntry[[]metrics.Row]
	alerts map[string]cacheEntry[[]metrics.Alert]
}

func (c *cache) Show(ctx context.Context, name string, q metrics.Query) ([]metrics.Row, error) {
	return cached(c, c.rows, name+"|"+queryKey(q), func() ([]metrics.Row, error) { return c.src.Show(ctx, name, q) })
}

func (c *cache) Alerts(ctx context.Context, q metrics.Query) ([]metrics.Alert, error) {
	return cached(c, c.alerts, queryKey(q), func() ([]metrics.Alert, error) { return c.src.Alerts(ctx, q) })
}

func queryKey(q metrics.Query) string {
	return fmt.Sprintf("%s|%s|%s|%s|%s", q.From.Format(time.DateOnly), q.To.Format(time.DateOnly),
		strings.Join(q.By, ","), q.Shop, q.Level)
}

// cached returns entries[key] while fresh, else load's result, kept.
func cached[T any](c *cache, entries map[string]cacheEntry[T], key string, load func() (T, error)) (T, error) {
	now := time.Now()
	c.mu.Lock()
	e, ok := entries[key]
	c.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.v, nil
	}
	v, err := load()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if len(entries) >= maxCacheEntries {
		clear(entries)
	}
	entries[key] = cacheEntry[T]{v: v, expires: now.Add(c.ttl)}
	c.mu.Unlock()
	return v, nil
}
