package dashboards

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
)

// A filter dimension a reader types into the URL: the shop or the channel.
type filterDim struct {
	dim     string   // the metrics dimension: shop_id, channel
	kind    string   // reports.Display's kind
	metrics []string // the metrics whose rows name its values
	// the page's words: its name in English and Chinese, and "every …"
	en, zh, enAll, zhAll string
}

var (
	shopDim    = filterDim{dim: "shop_id", kind: "shop", metrics: []string{"conversion", "gmv"}, en: "shop", zh: "店铺", enAll: "every shop", zhAll: "全部店铺"}
	channelDim = filterDim{dim: "channel", kind: "channel", metrics: []string{"conversion"}, en: "channel", zh: "渠道", enAll: "every channel", zhAll: "全部渠道"}
)

// known lists the values of d with any row over the days that hold data
// (cov), sorted; nil when the coverage is unknown or empty. It reads
// through the server's cache, so a page view costs no query while the
// cache holds it.
func (s *Server) known(ctx context.Context, d filterDim, cov metrics.Coverage) ([]string, error) {
	if cov.Empty() {
		return nil, nil
	}
	var out []string
	for _, name := range d.metrics {
		rows, err := s.src.Show(ctx, name, metrics.Query{From: cov.FirstDay, To: cov.LastDay, By: []string{d.dim}})
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			if v, ok := r.Get(d.dim); ok {
				if id, ok := v.(string); ok && id != "" {
					out = append(out, id)
				}
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// unknown says, when value holds no data on any day (a typo in the URL:
// shop=shop-1 for shop-01, channel=tabao for taobao), which values do, in
// lang; "" when value is one of them or nothing is known; lang "" is the
// API's English. Before, such a page showed every figure as 0 with
// nothing saying why.
func unknown(d filterDim, value string, known []string, cov metrics.Coverage, lang string, names *reports.Dimensions) string {
	if value == "" || len(known) == 0 || slices.Contains(known, value) {
		return ""
	}
	l, _ := reports.NewLocale(lang)
	l = l.WithNames(names)
	list := make([]string, len(known))
	for i, id := range known {
		list[i] = id
		if n := l.Display(d.kind, id); n != id {
			list[i] = n + " (" + id + ")"
		}
	}
	from, to := cov.FirstDay.Format(time.DateOnly), cov.LastDay.Format(time.DateOnly)
	switch lang {
	case reports.LangZH:
		return fmt.Sprintf("%s %q 在 %s – %s 没有任何数据。有数据的%s：%s。请在筛选条件里选择%s，或用默认条件打开（%s）。", d.zh, value, from, to, d.zh, strings.Join(list, "、"), d.zh, d.zhAll)
	case "": // the API's
		return fmt.Sprintf("%s %q has no data on any day (%s – %s); the %ss with data are %s", d.en, value, from, to, d.en, strings.Join(list, ", "))
	}
	return fmt.Sprintf("%s %q has no data on any day (%s – %s). The %ss with data are %s: choose one in the filter, or open the page with the default filters (%s).", d.en, value, from, to, d.en, strings.Join(list, ", "), d.enAll)
}
