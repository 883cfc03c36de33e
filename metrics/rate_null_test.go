package metrics

import (
	"strings"
	"testing"
)

// TestRateWithoutDenominatorIsNull: `metrics show` printed 0 for a rate
// whose denominator is empty (a shop without bot consultations read
// handoff_rate 0, as if the bot had handed nobody over). Over a roll-up
// row of nothing, every rate, average, percentile and median of every
// metric is nil (–, an empty CSV cell, JSON null); a rate over a
// denominator stays a number, 0 included.
func TestRateWithoutDenominatorIsNull(t *testing.T) {
	rate := func(k string) bool {
		for _, s := range []string{"_rate", "_share", "csat", "avg_", "conversion_from_", "_p50_", "_p90_", "median_"} {
			if strings.Contains(k, s) {
				return true
			}
		}
		return false
	}
	n := 0
	for _, m := range Catalog() {
		if m.Derive == nil {
			continue
		}
		for _, f := range m.Derive(Record{}) {
			if !rate(f.Key) {
				continue
			}
			n++
			if f.Value != nil {
				t.Errorf("%s.%s over no denominator = %#v, want nil", m.Name, f.Key, f.Value)
			}
		}
	}
	if n < 10 {
		t.Fatalf("only %d rates found: the check would prove little", n)
	}
	// a percentile over values is a number, 0 ms included
	if v := percentile([]uint32{0, 0, 5}, 0.5); v != uint32(0) {
		t.Errorf("p50 of 0, 0, 5 ms = %#v, want 0", v)
	}
	if v := percentileSeconds([]uint32{1500, 2500}, 0.9); v != 2.5 {
		t.Errorf("p90 of 1.5 s, 2.5 s = %#v, want 2.5", v)
	}
	if v := (Record{"a": uint64(0), "b": uint64(4)}).Ratio("a", "b"); v != 0.0 {
		t.Errorf("0 of 4 = %#v, want 0", v)
	}
	if v := (Record{"a": uint64(1), "b": uint64(4)}).Ratio("a", "b"); v != 0.25 {
		t.Errorf("1 of 4 = %#v, want 0.25", v)
	}
	// the roll-ups that fill rates after Derive
	rows := []Row{{{"step", "consulted"}, {"buyers", int64(0)}}, {{"step", "ordered"}, {"buyers", int64(0)}}}
	finishFunnel([]string{"step"}, rows)
	for _, r := range rows {
		if v, _ := r.Get("conversion_from_start"); v != nil {
			t.Errorf("funnel step of no buyers: conversion_from_start %#v, want nil", v)
		}
	}
}
