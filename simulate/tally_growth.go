package simulate

import (
	"cmp"
	"slices"
)

// ExperimentRow is §11 for one (experiment, variant) over the whole run,
// computed from the emitted events: buyers exposed at the start of their
// first consultation carrying the experiment, sticky to that variant,
// their orders created / paid in [exposure, exposure + 72h].
type ExperimentRow struct {
	Experiment    string `json:"experiment"`
	Variant       string `json:"variant"`
	ShopID        string `json:"shop_id"`
	Buyers        int64  `json:"buyers"`
	OrderedBuyers int64  `json:"ordered_buyers"`
	PaidBuyers    int64  `json:"paid_buyers"`
	PaidAmount    Money  `json:"paid_amount"`
	Crossovers    int64  `json:"crossovers"`
	Consultations int64  `json:"consultations"`
}

// expTag is an experiment seen on a conversation's event.
type expTag struct {
	ts                  int64
	experiment, variant string
}

// observeExperiment keeps the tags of a conversation's events.
func (cs *convSum) observeExperiment(e *event) {
	if e.emitsExperiment() {
		cs.tags = append(cs.tags, expTag{e.ts, e.experiment, e.variant})
	}
}

// experiments implements metrics.md §11's counts (what the simulator
// cannot know better than the events: no statistics here).
func (tl *tallier) experiments(byBuyer map[int32][]*orderSum) {
	type exposure struct {
		variant  string
		start    int64
		variants map[string]bool
		consults int64
	}
	type bk struct {
		buyer int32
		exp   string
	}
	exp := map[bk]*exposure{}
	var order []bk
	// consults are sorted by (buyer, start, seq): the first carrying the
	// experiment is the exposure.
	for _, c := range tl.consults {
		seen := map[string]bool{}
		for _, tg := range c.tags { // in event order
			k := bk{c.buyer, tg.experiment}
			x := exp[k]
			if x == nil {
				x = &exposure{variant: tg.variant, start: c.start, variants: map[string]bool{}}
				exp[k] = x
				order = append(order, k)
			}
			x.variants[tg.variant] = true
			if !seen[tg.experiment] {
				seen[tg.experiment] = true
				x.consults++
			}
		}
	}
	type rk struct{ exp, variant string }
	rows := map[rk]*ExperimentRow{}
	for _, k := range order {
		x := exp[k]
		r := rows[rk{k.exp, x.variant}]
		if r == nil {
			r = &ExperimentRow{Experiment: k.exp, Variant: x.variant, ShopID: tl.buyerShop[k.buyer]}
			rows[rk{k.exp, x.variant}] = r
		}
		r.Buyers++
		r.Consultations += x.consults
		if len(x.variants) > 1 {
			r.Crossovers++
		}
		var ordered, paid bool
		for _, o := range byBuyer[k.buyer] {
			created := o.created
			if created < 0 {
				created = o.paid
			}
			if created >= x.start && created <= x.start+tl.windowMs {
				ordered = true
			}
			if o.paid >= 0 && o.paid >= x.start && o.paid <= x.start+tl.windowMs {
				paid = true
				r.PaidAmount += Money(o.paidAmount)
			}
		}
		if ordered {
			r.OrderedBuyers++
		}
		if paid {
			r.PaidBuyers++
		}
	}
	tl.t.Experiments = []ExperimentRow{}
	for _, r := range rows {
		tl.t.Experiments = append(tl.t.Experiments, *r)
	}
	slices.SortFunc(tl.t.Experiments, func(a, b ExperimentRow) int {
		return cmp.Or(cmp.Compare(a.Experiment, b.Experiment), cmp.Compare(a.Variant, b.Variant))
	})
	tl.t.PlantedExperiments = append([]Experiment{}, tl.cfg.Experiments...)
}
