package metrics

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/convintel/convintel/simulate"
	"github.com/convintel/convintel/warehouse"
	"github.com/convintel/convintel/warehouse/chtest"
)

// simulated loads a simulator run through the ingest path and returns its
// tally.
func simulated(t *testing.T, conn warehouse.Conn, cfg simulate.Config) *simulate.Tally {
	t.Helper()
	var tally *simulate.Tally
	loadLines(t, conn, func(emit func([]byte) error) error {
		var err error
		tally, err = simulate.Run(cfg, emit)
		return err
	}, enricher(t))
	return tally
}

// TestTallyMatch: conversion and GMV on simulated traffic (with duplicate
// deliveries and resent order events) equal the simulator's ground truth
// computed in Go by the same definitions.
func TestTallyMatch(t *testing.T) {
	conn, db := chtest.New(t)
	cfg := simulate.DefaultConfig()
	cfg.Seed = 7
	cfg.Days = 8
	cfg.Shops = 2
	cfg.ConsultationsPerShopDay = 80
	cfg.DuplicateRate = 0.03
	cfg.ResendRate = 0.05
	tally := simulated(t, conn, cfg)
	from := cfg.Start
	to := cfg.Start.AddDate(0, 0, cfg.Days-1)
	if _, err := Run(context.Background(), warehouse.Single(conn, db), DefaultSettings(), from, to, nil); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var want, got []string
	for _, r := range tally.ConversionDetail {
		want = append(want, fmt.Sprintf("%s %s %s %s %d %d %d %d %s", r.Date, r.ShopID, r.Channel, r.Responder,
			r.ConsultingBuyers, r.OrderedBuyers, r.SameDayPaidBuyers, r.FinalPaidBuyers, r.FinalPaidAmount))
	}
	rows, err := Show(ctx, conn, "conversion", Query{From: from, To: to, By: []string{"date", "shop_id", "channel", "responder"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		got = append(got, fields(r, "date", "shop_id", "channel", "responder", "consulting_buyers", "ordered_buyers",
			"same_day_paid_buyers", "final_paid_buyers", "final_paid_amount"))
	}
	if len(want) < 20 {
		t.Fatalf("tally has only %d conversion rows; the test needs more traffic", len(want))
	}
	expect(t, "conversion vs tally", got, want)

	want, got = nil, nil
	last := to.In(shanghai).Format(time.DateOnly)
	for _, r := range tally.GMV {
		if r.Date <= last {
			want = append(want, fmt.Sprintf("%s %s %s %d %s %s", r.Date, r.ShopID, r.Bucket, r.Orders, r.GMV, r.Refunded))
		}
	}
	rows, err = Show(ctx, conn, "gmv", Query{From: from, To: to, By: []string{"date", "shop_id", "bucket"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		got = append(got, fields(r, "date", "shop_id", "bucket", "orders", "gmv", "refunded"))
	}
	expect(t, "gmv vs tally", got, want)

	want, got = nil, nil
	for _, r := range tally.GMVByAgent {
		want = append(want, fmt.Sprintf("%s %s %s %d %s", r.Date, r.ShopID, r.AgentID, r.Orders, r.GMV))
	}
	rows, err = Show(ctx, conn, "gmv", Query{From: from, To: to, By: []string{"date", "shop_id", "bucket", "agent_id"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if b, _ := r.Get("bucket"); b == "human" {
			got = append(got, fields(r, "date", "shop_id", "agent_id", "orders", "gmv"))
		}
	}
	expect(t, "gmv by agent vs tally", got, want)
}

func fields(r Row, keys ...string) string {
	s := ""
	for i, k := range keys {
		v, _ := r.Get(k)
		if i > 0 {
			s += " "
		}
		s += fmt.Sprint(v)
	}
	return s
}
