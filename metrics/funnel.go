package metrics

import "strings"

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

// funnelSteps turns the configured steps into per-step windowFunnel
// chains: step k is reached when the required steps before it and k itself
// happen in order; optional steps before k are left out of its chain, so a
// buyer may skip them.
func funnelSteps(steps []FunnelStep) []stepParam {
	var out []stepParam
	var required []string
	for i, st := range steps {
		cond := funnelConds[st.Name]
		chain := append(append([]string{}, required...), cond)
		out = append(out, stepParam{Index: i + 1, Name: st.Name, Cond: cond, ChainSQL: strings.Join(chain, ", "), ChainSize: len(chain)})
		if !st.Optional {
			required = append(required, cond)
		}
	}
	return out
}
