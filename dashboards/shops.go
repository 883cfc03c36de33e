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

// knownShops lists the shops with any conversion or GMV row over the days
// that hold data (cov), sorted; nil when the coverage is unknown or empty.
// It reads through the server's cache, so a page view costs no query
// while the cache holds it.
func (s *Server) knownShops(ctx context.Context, cov metrics.Coverage) ([]string, error) {
	if cov.Empty() {
		return nil, nil
	}
	var shops []string
	for _, name := range []string{"conversion", "gmv"} {
		rows, err := s.src.Show(ctx, name, metrics.Query{From: cov.FirstDay, To: cov.LastDay, By: []string{"shop_id"}})
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			if v, ok := r.Get("shop_id"); ok {
				if id, ok := v.(string); ok && id != "" {
					shops = append(shops, id)
				}
			}
		}
	}
	slices.Sort(shops)
	return slices.Compact(shops), nil
}

// unknownShop says, when shop holds no data on any day (a typo in the
// URL: shop=shop-1 for shop-01), which shops do, in lang; "" when shop is
// one of them or nothing is known; lang "" is the API's English. Before, such a page showed every
// figure as 0 with nothing saying why.
func unknownShop(shop string, known []string, cov metrics.Coverage, lang string, names *reports.Dimensions) string {
	if shop == "" || len(known) == 0 || slices.Contains(known, shop) {
		return ""
	}
	l, _ := reports.NewLocale(lang)
	l = l.WithNames(names)
	list := make([]string, len(known))
	for i, id := range known {
		list[i] = id
		if n := l.Display("shop", id); n != id {
			list[i] = n + " (" + id + ")"
		}
	}
	from, to := cov.FirstDay.Format(time.DateOnly), cov.LastDay.Format(time.DateOnly)
	if lang == reports.LangZH {
		return fmt.Sprintf("店铺 %q 在 %s – %s 没有任何数据。有数据的店铺：%s。请在筛选条件里选择店铺，或用默认条件打开（全部店铺）。", shop, from, to, strings.Join(list, "、"))
	}
	if lang == "" { // the API's
		return fmt.Sprintf("shop %q has no data on any day (%s – %s); the shops with data are %s", shop, from, to, strings.Join(list, ", "))
	}
	return fmt.Sprintf("shop %q has no data on any day (%s – %s). The shops with data are %s: choose one in the filter, or open the page with the default filters (every shop).", shop, from, to, strings.Join(list, ", "))
}

// knownChannels lists the channels with any conversion row over the days
// that hold data, sorted; nil when nothing is known.
func (s *Server) knownChannels(ctx context.Context, cov metrics.Coverage) ([]string, error) {
	if cov.Empty() {
		return nil, nil
	}
	rows, err := s.src.Show(ctx, "conversion", metrics.Query{From: cov.FirstDay, To: cov.LastDay, By: []string{"channel"}})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, r := range rows {
		if v, ok := r.Get("channel"); ok {
			if c, ok := v.(string); ok && c != "" {
				out = append(out, c)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// unknownChannel is unknownShop for a channel (channel=tabao for taobao:
// the GMV page's conversion by responder read 0 everywhere).
func unknownChannel(channel string, known []string, cov metrics.Coverage, lang string, names *reports.Dimensions) string {
	if channel == "" || len(known) == 0 || slices.Contains(known, channel) {
		return ""
	}
	l, _ := reports.NewLocale(lang)
	l = l.WithNames(names)
	list := make([]string, len(known))
	for i, id := range known {
		list[i] = id
		if n := l.Display("channel", id); n != id {
			list[i] = n + " (" + id + ")"
		}
	}
	from, to := cov.FirstDay.Format(time.DateOnly), cov.LastDay.Format(time.DateOnly)
	if lang == reports.LangZH {
		return fmt.Sprintf("渠道 %q 在 %s – %s 没有任何数据。有数据的渠道：%s。请在筛选条件里选择渠道，或用默认条件打开（全部渠道）。", channel, from, to, strings.Join(list, "、"))
	}
	return fmt.Sprintf("channel %q has no data on any day (%s – %s). The channels with data are %s: choose one in the filter, or open the page with the default filters (every channel).", channel, from, to, strings.Join(list, ", "))
}
