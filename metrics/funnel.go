package metrics

import (
	"fmt"
	"strings"
)

// funnelConds are the funnel event conditions, over the stream of
// funnel.sql: kind is msg, created or paid; stage is a message's stage.
var funnelConds = map[string]string{
	"consulted":     "kind = 'msg'",
	"product":       "kind = 'msg' AND stage = 'product'",
	"price":         "kind = 'msg' AND stage = 'price'",
	"shipping":      "kind = 'msg' AND stage = 'shipping'",
	"payment":       "kind = 'msg' AND stage = 'payment'",
	"order_created": "kind = 'created'",
	"order_paid":    "kind = 'paid'",
}

// funnelSteps turns the configured steps into per-step chains: step k is
// reached when the required steps before it and k itself happen in order;
// optional steps before k are left out of its chain, so a buyer may skip
// them. ReachSQL computes, link by link, the earliest time each link of the
// chain is reached (the earliest matching event at or after the previous
// link's time; "none" is 4294967295), over the buyer's arrays rels, kinds
// and stages of funnel.sql. Greedy earliest matching decides whether the
// events contain the chain in order; one event may satisfy consecutive
// links, as windowFunnel on current releases lets it (18.16's does not,
// which is why the chain is not left to windowFunnel).
func funnelSteps(steps []FunnelStep) []stepParam {
	var out []stepParam
	var required []string
	for i, st := range steps {
		cond := funnelConds[st.Name]
		chain := append(append([]string{}, required...), cond)
		var exprs []string
		prev := "toUInt32(0)"
		for j, c := range chain {
			alias := fmt.Sprintf("s%d_%d", i+1, j+1)
			exprs = append(exprs, fmt.Sprintf("arrayReduce('min', arrayPushBack(arrayFilter((rel, kind, stage) -> (%s) AND rel >= %s, rels, kinds, stages), toUInt32(4294967295))) AS %s", c, prev, alias))
			prev = alias
		}
		out = append(out, stepParam{Index: i + 1, Name: st.Name, Cond: cond, ReachSQL: strings.Join(exprs, ",\n        "), Reached: prev})
		if !st.Optional {
			required = append(required, cond)
		}
	}
	return out
}
