package dashboards

import (
	"bytes"
	"encoding/json"
	"errors"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
)

var pageParams = []string{"week", "from", "to", "shop", "channel", "lang"}

func (s *Server) nav(here string, f filters) []reports.NavLink {
	l, _ := reports.NewLocale(f.lang)
	var links []reports.NavLink
	for _, p := range []struct{ path, key string }{{"/weekly", "weekly.title"}, {"/alerts", "alerts.title"}, {"/gmv", "gmv.title"}} {
		q := url.Values{"lang": {f.lang}}
		if f.shop != "" {
			q.Set("shop", f.shop)
		}
		links = append(links, reports.NavLink{Href: p.path + "?" + q.Encode(), Label: l.T(p.key), Here: p.path == here})
	}
	return links
}

func (s *Server) page(w http.ResponseWriter, r *http.Request, here string, defaultDays int, weekDefault bool,
	render func(f filters, o reports.RenderOptions, buf *bytes.Buffer) error) {
	f, err := parseFilters(r.URL.Query(), pageParams, s.o.Location, s.o.Now(), defaultDays, weekDefault)
	if err != nil {
		// text/plain with nosniff already, but the message quotes the
		// user's value: escape it anyway.
		http.Error(w, html.EscapeString(err.Error()), http.StatusBadRequest)
		return
	}
	o := reports.RenderOptions{Lang: f.lang, EChartsSrc: EChartsPath, Nav: s.nav(here, f),
		Filters: &reports.Filters{Action: here, Week: f.week, From: f.from, To: f.to, ShowWeek: weekDefault}}
	var buf bytes.Buffer
	if err := render(f, o, &buf); err != nil {
		s.failPage(w, here, err)
		return
	}
	w.Header().Set("Content-Security-Policy", pageCSP(buf.Bytes()))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}

func withShop(shops []string, shop string) []string {
	if shop != "" && !slices.Contains(shops, shop) {
		shops = append(shops, shop)
	}
	slices.Sort(shops)
	return shops
}

func (s *Server) weekly(w http.ResponseWriter, r *http.Request) {
	s.page(w, r, "/weekly", 7, true, func(f filters, o reports.RenderOptions, buf *bytes.Buffer) error {
		if f.channel != "" {
			return errors.New("the weekly report has no channel filter: it is broken down by channel")
		}
		rep, err := reports.BuildWeekly(r.Context(), s.src, reports.Scope{Period: f.period, Shop: f.shop})
		if err != nil {
			return err
		}
		var shops []string
		for _, l := range rep.ByShopChannel {
			if !slices.Contains(shops, l.Shop) {
				shops = append(shops, l.Shop)
			}
		}
		o.Filters.Shops = withShop(shops, f.shop)
		return reports.RenderWeekly(buf, rep, o)
	})
}

func (s *Server) alerts(w http.ResponseWriter, r *http.Request) {
	s.page(w, r, "/alerts", 1, false, func(f filters, o reports.RenderOptions, buf *bytes.Buffer) error {
		if f.channel != "" {
			return errors.New("alerts have no channel filter")
		}
		rep, err := reports.BuildAlerts(r.Context(), s.src, reports.Scope{Period: f.period, Shop: f.shop})
		if err != nil {
			return err
		}
		var shops []string
		for _, g := range rep.Groups {
			if !slices.Contains(shops, g.Shop) {
				shops = append(shops, g.Shop)
			}
		}
		o.Filters.Shops = withShop(shops, f.shop)
		return reports.RenderAlerts(buf, rep, o)
	})
}

func (s *Server) gmv(w http.ResponseWriter, r *http.Request) {
	s.page(w, r, "/gmv", 28, false, func(f filters, o reports.RenderOptions, buf *bytes.Buffer) error {
		rep, err := reports.BuildGMV(r.Context(), s.src, reports.Scope{Period: f.period, Shop: f.shop, Channel: f.channel})
		if err != nil {
			return err
		}
		rep.Shops = withShop(rep.Shops, f.shop)
		return reports.RenderGMV(buf, rep, o)
	})
}

var apiParams = []string{"from", "to", "week", "by", "shop", "channel", "level"}

// apiAnswer is the JSON of /api/v1/metrics/{name}.
type apiAnswer struct {
	Metric  string        `json:"metric"`
	From    string        `json:"from"`
	To      string        `json:"to"`
	By      []string      `json:"by"`
	Shop    string        `json:"shop,omitempty"`
	Channel string        `json:"channel,omitempty"`
	Level   string        `json:"level,omitempty"`
	Rows    []metrics.Row `json:"rows"`
}

func (s *Server) api(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	fail := func(code int, msg string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		json.NewEncoder(w).Encode(map[string]string{"error": msg})
	}
	m, ok := metrics.Lookup(name)
	if !ok {
		fail(http.StatusNotFound, "unknown metric; choose one of "+strings.Join(metrics.Names(), ", "))
		return
	}
	f, err := parseFilters(r.URL.Query(), apiParams, s.o.Location, s.o.Now(), 7, false)
	if err != nil {
		fail(http.StatusBadRequest, err.Error())
		return
	}
	if f.level != "" && len(m.Levels) == 0 {
		fail(http.StatusBadRequest, "level applies to "+strings.Join(leveled(), ", ")+" only")
		return
	}
	by, err := parseBy(name, f.level, r.URL.Query().Get("by"))
	if err != nil {
		fail(http.StatusBadRequest, err.Error())
		return
	}
	if !m.RollsUp() && (len(by) > 0 || f.channel != "") {
		fail(http.StatusBadRequest, name+" take no by or channel")
		return
	}
	q := metrics.Query{From: f.period.From, To: f.period.To, By: by, Shop: f.shop, Level: f.level}
	rows, err := reports.ShowChannel(r.Context(), s.src, name, q, f.channel)
	if err != nil {
		if errors.Is(err, reports.ErrNoChannel) {
			fail(http.StatusBadRequest, err.Error())
			return
		}
		s.o.Log.Error("api query failed", "metric", name, "err", err)
		fail(s.apiFailure(err))
		return
	}
	if rows == nil {
		rows = []metrics.Row{}
	}
	if by == nil {
		by = []string{}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(apiAnswer{Metric: name, From: f.from, To: f.to, By: by, Shop: f.shop, Channel: f.channel, Level: f.level, Rows: rows})
}

// leveled lists the metrics stored at several levels.
func leveled() []string {
	var out []string
	for _, m := range metrics.Catalog() {
		if len(m.Levels) > 0 {
			out = append(out, m.Name)
		}
	}
	return out
}
