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
// the sorted values, as a uint32; no value (nil) when there are none: the
// median reply time of a shop nobody replied in is not 0 ms, as a rate of
// nothing is not 0 (rateOf).
func percentile(v []uint32, level float64) any {
	if len(v) == 0 {
		return nil
	}
	s := slices.Clone(v)
	slices.Sort(s)
	i := int(level * float64(len(s)))
	if i >= len(s) {
		i = len(s) - 1
	}
	return s[i]
}

// percentileSeconds is percentile of times in ms, in seconds to the ms.
func percentileSeconds(ms []uint32, level float64) any {
	p, ok := percentile(ms, level).(uint32)
	if !ok {
		return nil
	}
	return round(float64(p) / 1000)
}

// medianSeconds is the median of times in ms, in seconds to the ms: the
// mean of the middle two of an even count (as §14's median); no value
// (nil) for none.
func medianSeconds(ms []uint32) any {
	if len(ms) == 0 {
		return nil
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
