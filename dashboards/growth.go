package dashboards

import (
	"bytes"
	"errors"
	"net/http"

	"github.com/convintel/convintel/reports"
)

// experiments serves the 话术 A/B page (metrics §11): experiments with
// exposures in the period (default the last 28 days).
func (s *Server) experiments(w http.ResponseWriter, r *http.Request) {
	s.page(w, r, "/experiments", 28, false, func(f filters, o reports.RenderOptions, buf *bytes.Buffer) error {
		if f.channel != "" {
			return errors.New("experiments have no channel filter: an arm is per buyer")
		}
		rep, err := reports.BuildExperiments(r.Context(), s.src, reports.Scope{Period: f.period, Shop: f.shop})
		if err != nil {
			return err
		}
		for _, e := range rep.Experiments {
			rep.Shops = append(rep.Shops, e.Shop)
		}
		rep.Shops = withShop(uniq(rep.Shops), f.shop)
		return reports.RenderExperiments(buf, rep, o)
	})
}

func uniq(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}
