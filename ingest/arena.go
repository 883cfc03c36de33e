package ingest

import "unsafe"

// strArena hands out strings backed by large chunks that are reused batch
// after batch: a decoded field costs a copy but no allocation of its own,
// and the chunks hold no pointers for the garbage collector to scan.
// Strings from it are valid until reset; whoever holds one past that
// reads whatever the next batch wrote there, so they live only in the
// Rows (and dead letters) of one batch. A nil arena makes heap strings.
type strArena struct {
	chunks [][]byte // chunks[:cur+1] are in use; chunks[cur] is filling
	cur    int
}

const (
	arenaChunk = 256 << 10
	// Strings over arenaChunk/4 get their own allocation: they would waste
	// most of a chunk.
	arenaMaxStr = arenaChunk / 4
)

func (a *strArena) str(b []byte) string {
	if a == nil || len(b) > arenaMaxStr {
		return string(b)
	}
	if len(b) == 0 {
		return ""
	}
	if len(a.chunks) == 0 {
		a.chunks = append(a.chunks, make([]byte, 0, arenaChunk))
	}
	c := a.chunks[a.cur]
	if cap(c)-len(c) < len(b) {
		a.cur++
		if a.cur == len(a.chunks) {
			a.chunks = append(a.chunks, make([]byte, 0, arenaChunk))
		}
		c = a.chunks[a.cur]
	}
	start := len(c)
	c = append(c, b...)
	a.chunks[a.cur] = c
	return unsafe.String(&c[start], len(b))
}

// clone is str of a string's bytes.
func (a *strArena) clone(s string) string {
	if s == "" {
		return ""
	}
	return a.str(unsafe.Slice(unsafe.StringData(s), len(s)))
}

// reset makes every chunk reusable: strings handed out so far are void.
func (a *strArena) reset() {
	for i := 0; i <= a.cur && i < len(a.chunks); i++ {
		a.chunks[i] = a.chunks[i][:0]
	}
	a.cur = 0
}
