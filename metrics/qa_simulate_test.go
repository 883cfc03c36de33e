package metrics

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/convintel/convintel/ingest"
	"github.com/convintel/convintel/simulate"
	"github.com/convintel/convintel/warehouse"
	"github.com/convintel/convintel/warehouse/chtest"
)

// TestSimulatorTextsAgainstMatcher: every planted sentence matches its
// category and nothing else, no near-miss matches, and nothing the
// simulator's agents and bot say outside the plan matches (so the tally,
// which cannot run the matcher, knows every phrase violation).
func TestSimulatorTextsAgainstMatcher(t *testing.T) {
	r, err := newQARules(DefaultQASettings())
	if err != nil {
		t.Fatal(err)
	}
	cats := func(text string) []string {
		var out []string
		for _, h := range r.shared.matcher.match(text, nil) {
			out = append(out, PhraseCategories[h.category])
		}
		return out
	}
	for cat, texts := range simulate.PlantedPhraseTexts() {
		for _, text := range texts {
			if got := cats(text); !slices.Equal(got, []string{cat}) {
				t.Errorf("planted %q matches %v, want [%s]", text, got, cat)
			}
		}
	}
	for _, text := range append(simulate.NearMissTexts(), simulate.AgentAndBotTexts()...) {
		if got := cats(text); len(got) > 0 {
			t.Errorf("%q matches %v; it must not", text, got)
		}
	}
}

// TestQASimulated: on simulated traffic with agents who break every rule
// (and say near-misses), the stored violations are exactly the
// simulator's ground truth: every planted one found and nothing else.
// Sentiment is pinned to the texts the simulator means as negative and
// every customer message carries its upstream intent, so the comparison
// tests the rules, not the NLP.
func TestQASimulated(t *testing.T) {
	conn, db := chtest.New(t)
	cfg := simulate.DefaultConfig()
	cfg.Seed = 11
	cfg.Days = 3
	cfg.Shops = 2
	cfg.ConsultationsPerShopDay = 150
	cfg.UnlabelledShare = 0
	cfg.DuplicateRate = 0.02
	cfg.QA = simulate.QAPlan{Enabled: true, PhraseRate: 0.05, NearMissRate: 0.1, SlowReplyRate: 0.05, SlowFirstResponseRate: 0.2}
	negative := map[string]bool{}
	for _, s := range simulate.NegativeTexts() {
		negative[s] = true
	}
	base := enricher(t)
	var tally *simulate.Tally
	loadLines(t, conn, func(emit func([]byte) error) error {
		var err error
		tally, err = simulate.Run(cfg, emit)
		return err
	}, func(e *ingest.Event) {
		raw := e.Text
		base(e)
		if e.Sender == ingest.SenderCustomer {
			e.Enrichment.SentimentLabel = "neutral"
			if negative[raw] {
				e.Enrichment.SentimentLabel = "negative"
			}
		}
	})
	from, to := cfg.Start, cfg.Start.AddDate(0, 0, cfg.Days-1)
	if _, err := Run(context.Background(), warehouse.Single(conn, db), DefaultSettings(), from, to, nil); err != nil {
		t.Fatal(err)
	}
	var want []string
	perRule := map[string]int{}
	for _, v := range tally.QAViolations {
		want = append(want, fmt.Sprintf("%s %s %s %s %s %s %s", v.Date, v.ShopID, v.ConversationID, v.EventID, v.Responder, v.Rule, v.Category))
		perRule[v.Rule+" "+v.Category]++
	}
	for _, k := range []string{"forbidden_phrase rude", "forbidden_phrase absolute_claim", "forbidden_phrase diversion",
		"forbidden_phrase inducement", "slow_reply ", "slow_first_response ", "missed_takeover ", "left_unanswered "} {
		if perRule[k] == 0 {
			t.Errorf("the simulator planted no %s violation; the test needs some", strings.TrimSpace(k))
		}
	}
	t.Logf("planted: %v", perRule)
	got := pick(t, conn, "violations", Query{From: from, To: to}, "date", "shop_id", "conversation_id", "event_id", "responder", "rule", "category")
	expectSorted(t, "violations vs tally", got, want)
}
