package metrics

import (
	"fmt"
	"math"
	"slices"
)

func toString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case Date:
		return x.String()
	case interface{ String() string }:
		return x.String()
	}
	return fmt.Sprint(v)
}

// percentile is quantileExact: the value at position floor(level·n) of
// the sorted values; 0 when there are none.
func percentile(v []uint32, level float64) uint32 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	i := int(level * float64(len(s)))
	if i >= len(s) {
		i = len(s) - 1
	}
	return s[i]
}

// medianSeconds is the median of times in ms, in seconds to the ms: the
// mean of the middle two of an even count (as §14's median), 0 for none.
func medianSeconds(ms []uint32) float64 {
	if len(ms) == 0 {
		return 0
	}
	s := slices.Clone(ms)
	slices.Sort(s)
	m := float64(s[len(s)/2])
	if len(s)%2 == 0 {
		m = (float64(s[len(s)/2-1]) + m) / 2
	}
	return math.Round(m) / 1000
}

func firstDistinct(v []string, n int) []string {
	out := []string{}
	for _, s := range v {
		if len(out) == n {
			break
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// top returns the key with the largest summed count (ties: smallest key).
func top(keys []string, counts []uint64) string {
	sum := map[string]uint64{}
	for i, k := range keys {
		if i < len(counts) {
			sum[k] += counts[i]
		}
	}
	best, bestN := "", uint64(0)
	for k, n := range sum {
		if n > bestN || (n == bestN && k < best) {
			best, bestN = k, n
		}
	}
	return best
}
