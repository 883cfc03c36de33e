package dashboards

import (
	"context"
	"io"

	"github.com/convintel/convintel/reports"
)

// buildExperiments renders the 话术 A/B page (metrics §11): experiments
// with exposures in the period (default the last 28 days).
func buildExperiments(ctx context.Context, src reports.Source, scope reports.Scope, o reports.RenderOptions, w io.Writer) ([]string, error) {
	rep, err := reports.BuildExperiments(ctx, src, scope)
	if err != nil {
		return nil, err
	}
	for _, e := range rep.Experiments {
		rep.Shops = append(rep.Shops, e.Shop)
	}
	rep.Shops = withShop(rep.Shops, scope.Shop)
	return rep.Shops, reports.RenderExperiments(w, rep, o)
}
