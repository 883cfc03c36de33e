// Command presale measures what the NLP changes downstream: on the
// simulator's traffic, whose customer messages carry their true intent, it
// classifies every consultation as pre-sale or not the way metrics.md does
// (no order id in the conversation, and the first customer message whose
// intent is substantive has a pre-sale intent) twice: once with the true
// intents and once with the intents a model predicts from the text alone
// (the upstream labels removed), and reports how often the two agree, and
// the message-level intent accuracy on the decisive messages.
//
//	go run ./nlp/cmd/presale [-days 7] [-models DIR]...
//
// Each -models DIR (a directory with intent.model, e.g. an older model
// extracted from git) is measured beside the embedded model.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/convintel/convintel/nlp"
	"github.com/convintel/convintel/simulate"
)

type line struct {
	Type   string `json:"type"`
	Conv   string `json:"conversation_id"`
	Sender string `json:"sender"`
	Text   string `json:"text"`
	Order  string `json:"order_id"`
	Intent string `json:"intent"`
}

type msg struct {
	text, truth string
	ctx         nlp.Context // the conversation so far (order seen, last reply)
	own         nlp.Context // what the event itself carries (its order_id), as ingest passes it
}

type conv struct {
	orderRef bool
	msgs     []msg
	reply    string
}

var preSale = map[string]bool{"product_info": true, "size_fit": true, "stock": true, "price_promo": true,
	"shipping_fee": true, "delivery_time": true, "payment": true}

func substantive(in string) bool {
	switch in {
	case "greeting", "thanks_bye", "human_request", "other":
		return false
	}
	return true
}

type modelDirs []string

func (m *modelDirs) String() string     { return strings.Join(*m, ",") }
func (m *modelDirs) Set(s string) error { *m = append(*m, s); return nil }

func main() {
	days := flag.Int("days", 7, "days of simulated traffic")
	var dirs modelDirs
	flag.Var(&dirs, "models", "directory with an intent.model to measure beside the embedded one (repeatable)")
	flag.Parse()

	cfg := simulate.DefaultConfig()
	cfg.Days = *days
	convs := map[string]*conv{}
	var order []string
	_, err := simulate.Run(cfg, func(b []byte) error {
		var l line
		if err := json.Unmarshal(b, &l); err != nil {
			return err
		}
		if l.Type != "message" {
			return nil
		}
		c := convs[l.Conv]
		if c == nil {
			c = &conv{}
			convs[l.Conv] = c
			order = append(order, l.Conv)
		}
		if l.Order != "" {
			c.orderRef = true
		}
		if l.Sender != "customer" {
			c.reply = l.Text
			return nil
		}
		c.msgs = append(c.msgs, msg{l.Text, l.Intent, nlp.Context{OrderReferenced: c.orderRef, PrevReply: c.reply},
			nlp.Context{OrderReferenced: l.Order != ""}})
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}

	type named struct {
		name string
		m    *nlp.Model
	}
	def, err := nlp.Default()
	if err != nil {
		log.Fatal(err)
	}
	models := []named{}
	for _, d := range dirs {
		m, err := nlp.Load(d, "")
		if err != nil {
			log.Fatal(err)
		}
		models = append(models, named{d, m})
	}
	models = append(models, named{"embedded", def})

	fmt.Printf("simulator: seed %d, %d days, %d conversations with a customer message\n", cfg.Seed, cfg.Days, len(order))
	fmt.Printf("%-34s %-12s %12s %14s %16s %12s\n", "model", "context", "agree (all)", "agree (no ord)", "decisive msgs ok", "all msgs ok")
	for _, nm := range models {
		for _, mode := range []string{"none", "event", "conversation"} {
			var n, agree, nNo, agreeNo, dec, decOK, all, allOK int
			cross := map[string]int{}
			for _, id := range order {
				c := convs[id]
				if len(c.msgs) == 0 {
					continue
				}
				truthDecided, truthPre := false, false
				predDecided, predPre := false, false
				for _, m := range c.msgs {
					ctx := nlp.Context{}
					switch mode {
					case "event":
						ctx = m.own
					case "conversation":
						ctx = m.ctx
					}
					p := nm.m.AnalyzeInContext(m.text, ctx, "", 0).Intent
					if m.truth != "" && mode == "event" && os.Getenv("PRESALE_DUMP") != "" {
						fmt.Fprintf(os.Stderr, "%s\t%s\t%s\t%s\n", nm.name, m.truth, p, m.text)
					}
					if m.truth != "" {
						all++
						if p == m.truth {
							allOK++
						}
					}
					if !truthDecided && m.truth != "" && substantive(m.truth) {
						truthDecided, truthPre = true, preSale[m.truth]
						dec++
						if p == m.truth {
							decOK++
						} else if preSale[p] != truthPre {
							cross[m.truth+" -> "+p]++
							if os.Getenv("PRESALE_EXAMPLES") != "" && cross[m.truth+" -> "+p] <= 2 {
								fmt.Printf("    %s -> %s: %s\n", m.truth, p, m.text)
							}
						}
					}
					if !predDecided && substantive(p) {
						predDecided, predPre = true, preSale[p]
					}
				}
				truth := !c.orderRef && (!truthDecided || truthPre)
				pred := !c.orderRef && (!predDecided || predPre)
				n++
				if truth == pred {
					agree++
				}
				if !c.orderRef {
					nNo++
					if truth == pred {
						agreeNo++
					}
				}
			}
			fmt.Printf("%-34s %-12s %12.4f %14.4f %16.4f %12.4f\n", nm.name, mode,
				float64(agree)/float64(n), float64(agreeNo)/float64(nNo), float64(decOK)/float64(dec), float64(allOK)/float64(all))
			if os.Getenv("PRESALE_EXAMPLES") != "" {
				fmt.Println("   decisive messages misread across the pre/after-sale line:", cross)
			}
		}
	}
}
