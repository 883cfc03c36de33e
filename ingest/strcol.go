package ingest

import (
	"slices"
	"unsafe"
)

// strCol is a String column of a batch held as one byte buffer and the end
// offset of each row. A []string holds a pointer per row, and the garbage
// collector scans every one of them in every cycle while the batch is
// held (two or three batches at a time, 20 string columns per message):
// a strCol holds no pointer at all, so a larger batch costs the collector
// nothing more to mark. Each value is copied in once; the writer hands
// clickhouse-go views of a block's rows (strings), which it copies into
// its own column at once.
type strCol struct {
	data []byte
	ends []int // ends[i] is where row i ends in data; it starts where row i-1 ends
}

func (c *strCol) add(s string) {
	c.data = append(c.data, s...)
	c.ends = append(c.ends, len(c.data))
}

func (c *strCol) addBytes(b []byte) {
	c.data = append(c.data, b...)
	c.ends = append(c.ends, len(c.data))
}

func (c *strCol) len() int { return len(c.ends) }

func (c *strCol) reset() { c.data, c.ends = c.data[:0], c.ends[:0] }

// start is where row i begins in data.
func (c *strCol) start(i int) int {
	if i == 0 {
		return 0
	}
	return c.ends[i-1]
}

// at returns row i (a view, valid until the column is reset or grown).
func (c *strCol) at(i int) string {
	lo, hi := c.start(i), c.ends[i]
	if lo == hi {
		return ""
	}
	return unsafe.String(&c.data[lo], hi-lo)
}

// bytesIn is the number of value bytes in rows [lo, hi).
func (c *strCol) bytesIn(lo, hi int) int {
	if lo == hi {
		return 0
	}
	return c.ends[hi-1] - c.start(lo)
}

// strings returns rows [lo, hi) as views in dst's storage (grown when
// short). The views are valid until the column is reset or appended to:
// for a consumer that copies them at once.
func (c *strCol) strings(lo, hi int, dst []string) []string {
	dst = slices.Grow(dst[:0], hi-lo)[:hi-lo]
	for i := lo; i < hi; i++ {
		dst[i-lo] = c.at(i)
	}
	return dst
}

func resetStrs(cols ...*strCol) {
	for _, c := range cols {
		c.reset()
	}
}
