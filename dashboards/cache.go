package dashboards

import (
	"container/list"
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
)

// cachedSource keeps results of src for ttl, at most maxBytes of them
// (estimated): dashboards reload the same queries on every page view, and
// the stored metric tables change only when the hourly run rewrites them.
// Expired entries are dropped on a timer, not only when asked for again,
// and the least recently used go first when the bound is reached: a
// thousand distinct heavy queries cost maxBytes, not a thousand results.
func cachedSource(src reports.Source, ttl time.Duration, maxBytes int64) *cache {
	if ttl <= 0 || maxBytes <= 0 {
		return nil
	}
	return &cache{src: src, ttl: ttl, max: maxBytes, lru: list.New(), entries: map[string]*list.Element{}}
}

type cacheEntry struct {
	key     string
	rows    []metrics.Row
	alerts  []metrics.Alert
	bytes   int64
	expires time.Time
}

type cache struct {
	src     reports.Source
	ttl     time.Duration
	max     int64
	mu      sync.Mutex
	lru     *list.List // front: most recently used
	entries map[string]*list.Element
	bytes   int64
}

func (c *cache) Show(ctx context.Context, name string, q metrics.Query) ([]metrics.Row, error) {
	key := "show|" + name + "|" + queryKey(q)
	if e := c.get(key); e != nil {
		return e.rows, nil
	}
	rows, err := c.src.Show(ctx, name, q)
	if err == nil {
		c.put(&cacheEntry{key: key, rows: rows, bytes: rowsBytes(rows)})
	}
	return rows, err
}

func (c *cache) Alerts(ctx context.Context, q metrics.Query) ([]metrics.Alert, error) {
	key := "alerts|" + queryKey(q)
	if e := c.get(key); e != nil {
		return e.alerts, nil
	}
	alerts, err := c.src.Alerts(ctx, q)
	if err == nil {
		c.put(&cacheEntry{key: key, alerts: alerts, bytes: alertsBytes(alerts)})
	}
	return alerts, err
}

func queryKey(q metrics.Query) string {
	return fmt.Sprintf("%s|%s|%s|%s|%s", q.From.Format(time.DateOnly), q.To.Format(time.DateOnly),
		strings.Join(q.By, ","), q.Shop, q.Level)
}

func (c *cache) get(key string) *cacheEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	if !ok {
		return nil
	}
	e := el.Value.(*cacheEntry)
	if !time.Now().Before(e.expires) {
		c.remove(el)
		return nil
	}
	c.lru.MoveToFront(el)
	return e
}

func (c *cache) put(e *cacheEntry) {
	e.bytes += int64(len(e.key)) + 200 // entry, list element, map slot
	if e.bytes > c.max/4 {
		return // one result may not push out everything else
	}
	e.expires = time.Now().Add(c.ttl)
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.entries[e.key]; ok {
		c.remove(old)
	}
	c.entries[e.key] = c.lru.PushFront(e)
	c.bytes += e.bytes
	for c.bytes > c.max {
		c.remove(c.lru.Back())
	}
}

func (c *cache) remove(el *list.Element) {
	e := c.lru.Remove(el).(*cacheEntry)
	delete(c.entries, e.key)
	c.bytes -= e.bytes
}

// expire drops every expired entry.
func (c *cache) expire(now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for el := c.lru.Back(); el != nil; {
		prev := el.Prev()
		if !now.Before(el.Value.(*cacheEntry).expires) {
			c.remove(el)
		}
		el = prev
	}
}

// run expires entries every ttl/2 until ctx ends.
func (c *cache) run(ctx context.Context) {
	t := time.NewTicker(max(c.ttl/2, time.Second))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			c.expire(now)
		}
	}
}

// size returns the entries and estimated bytes held.
func (c *cache) size() (int, int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries), c.bytes
}

// rowsBytes estimates the memory a result holds: slice headers, the
// fields' strings and the boxed values (an estimate, kept on the high side;
// what matters is that it grows with the result).
func rowsBytes(rows []metrics.Row) int64 {
	n := int64(len(rows)) * int64(unsafe.Sizeof(metrics.Row{}))
	for _, r := range rows {
		n += int64(len(r)) * int64(unsafe.Sizeof(metrics.Field{}))
		for _, f := range r {
			n += int64(len(f.Key)) + valueBytes(f.Value)
		}
	}
	return n
}

func valueBytes(v any) int64 {
	switch x := v.(type) {
	case string:
		return int64(len(x)) + 16
	case []string:
		n := int64(len(x)) * 16
		for _, s := range x {
			n += int64(len(s))
		}
		return n + 24
	case [][]string:
		n := int64(24)
		for _, s := range x {
			n += valueBytes(s)
		}
		return n
	case []uint64:
		return int64(len(x))*8 + 24
	case []int64:
		return int64(len(x))*8 + 24
	case []float64:
		return int64(len(x))*8 + 24
	}
	return 16
}

func alertsBytes(alerts []metrics.Alert) int64 {
	n := int64(len(alerts)) * int64(unsafe.Sizeof(metrics.Alert{}))
	for _, a := range alerts {
		n += int64(len(fmt.Sprint(a))) // strings, slices and maps the alert holds
	}
	return n
}
