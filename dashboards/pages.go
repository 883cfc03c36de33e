package dashboards

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
)

var pageParams = []string{"week", "from", "to", "shop", "channel", "lang"}

// Page is one live dashboard page. The navigation bar, the routes and the
// default periods are read from Pages, so a new page is one entry here
// (and its Build in package reports), not links scattered over templates.
type Page struct {
	// Path is where it is served, e.g. /weekly.
	Path string
	// TitleKey is the reports locale key of its title.
	TitleKey string
	// DefaultDays is the period without ?week or ?from/to (ending today);
	// Weekly pages default to the last complete week instead and offer a
	// week field.
	DefaultDays int
	Weekly      bool
	// Channel says whether the page takes a channel filter.
	Channel bool
	// Disputes says the page offers dispute buttons (申诉) when the server
	// stores verdicts (Options.Disputes).
	Disputes bool
	// Build reads the page's report for scope and renders it with o; it
	// returns the shops to offer in the filter.
	Build func(ctx context.Context, src reports.Source, scope reports.Scope, o reports.RenderOptions, w io.Writer) (shops []string, err error)
}

// Pages are the dashboard pages, in navigation order.
var Pages = []Page{
	{Path: "/weekly", TitleKey: "weekly.title", DefaultDays: 7, Weekly: true, Build: buildWeekly},
	{Path: "/alerts", TitleKey: "alerts.title", DefaultDays: 1, Build: buildAlerts},
	{Path: "/gmv", TitleKey: "gmv.title", DefaultDays: 28, Channel: true, Build: buildGMV},
	{Path: "/qa", TitleKey: "qa.title", DefaultDays: 7, Disputes: true, Build: buildQA},
	{Path: "/agents", TitleKey: "agents.title", DefaultDays: 7, Build: buildAgents},
	{Path: "/experiments", TitleKey: "exp.title", DefaultDays: 28, Build: buildExperiments},
}

// nav links every page, keeping the shop, language and period the reader
// chose: a week on a weekly page is passed to the others as its dates.
func (s *Server) nav(here string, f filters) []reports.NavLink {
	l, _ := reports.NewLocale(f.lang)
	var links []reports.NavLink
	var other reports.NavLink
	for _, pg := range Pages {
		q := url.Values{"lang": {f.lang}}
		if f.shop != "" {
			q.Set("shop", f.shop)
		}
		if f.channel != "" && pg.Channel {
			q.Set("channel", f.channel)
		}
		// A period the reader chose, or a week, goes along; a page's own
		// default that is not a week (the alerts' one day, the GMV's 28)
		// does not: /alerts opened bare linked a weekly report of one day.
		if !f.period.From.IsZero() && (!f.defaulted || weekOf(f.period) != "") {
			if week := weekOf(f.period); pg.Weekly && week != "" {
				q.Set("week", week)
			} else {
				q.Set("from", f.period.From.Format(time.DateOnly))
				q.Set("to", f.period.To.Format(time.DateOnly))
			}
		}
		links = append(links, reports.NavLink{Href: pg.Path + "?" + q.Encode(), Label: l.T(pg.TitleKey), Kind: strings.TrimPrefix(pg.Path, "/"), Here: pg.Path == here})
		if pg.Path == here {
			q.Set("lang", otherLang(f.lang))
			other = reports.NavLink{Href: pg.Path + "?" + q.Encode(), Label: reports.LangName(otherLang(f.lang))}
		}
	}
	// Last, this page in the other language with the same filters, as
	// the report files link theirs ("English" / "中文"): before, serve's
	// pages switched language only through the form's select and Apply.
	if other.Href != "" {
		links = append(links, other)
	}
	return links
}

// otherLang is the language a page links besides its own.
func otherLang(lang string) string {
	if lang == reports.LangEN {
		return reports.LangZH
	}
	return reports.LangEN
}

// weekOf is the ISO week p covers, "" when p is not one Monday–Sunday
// week. A week chosen on the weekly page reaches the other pages as its
// dates; their link back passes it as the week again. Before, the weekly
// page came back as a range of dates: its week field empty, every change
// "vs previous period" instead of "vs previous week".
func weekOf(p reports.Period) string {
	if p.Week != "" {
		return p.Week
	}
	if w := reports.WeekOf(p.From); w.From.Equal(p.From) && w.To.Equal(p.To) {
		return w.Week
	}
	return ""
}

// page serves one dashboard page. Without a period in the URL it opens on
// the default period, or on the latest like it that holds data. A bad
// request is answered with a page that says what was wrong (HTTP 400).
func (s *Server) page(pg Page) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		lang := r.URL.Query().Get("lang")
		if _, err := reports.NewLocale(lang); err != nil || lang == "" || len(r.URL.Query()["lang"]) > 1 {
			lang = reports.LangZH
		}
		f, err := parseFilters(r.URL.Query(), pageParams, s.o.Location, s.o.Now(), pg.DefaultDays, pg.Weekly)
		if err == nil && f.channel != "" && !pg.Channel {
			err = bi(fmt.Sprintf("%s has no channel filter: leave channel out (the GMV page has one)", pg.Path),
				fmt.Sprintf("%s 没有渠道筛选：请去掉 channel（GMV 贡献看板有渠道筛选）", pg.Path))
		}
		if err != nil {
			shop := r.URL.Query().Get("shop")
			if !shopRe.MatchString(shop) || len(r.URL.Query()["shop"]) > 1 {
				shop = ""
			}
			s.fail(w, pg, lang, shop, http.StatusBadRequest, inLang(err, lang))
			return
		}
		cov, err := s.coverage(r.Context())
		if err != nil {
			s.failPage(w, r, pg.Path, err)
			return
		}
		if f.defaulted {
			f.setPeriod(reports.LatestWithData(f.period, cov))
		}
		for _, c := range []struct {
			d           filterDim
			value, keep string // the value typed, the shop the error page keeps
		}{{shopDim, f.shop, ""}, {channelDim, f.channel, f.shop}} {
			if c.value == "" {
				continue
			}
			known, err := s.known(r.Context(), c.d, cov)
			if err != nil {
				s.failPage(w, r, pg.Path, err)
				return
			}
			if msg := unknown(c.d, c.value, known, cov, f.lang, s.o.Names); msg != "" {
				s.fail(w, pg, f.lang, c.keep, http.StatusBadRequest, msg)
				return
			}
		}
		// The form offers either the week or the dates, never both filled,
		// so Apply sends one of them (page.js clears the other on edit).
		filters := &reports.Filters{Action: pg.Path, ShowWeek: pg.Weekly, ShowChannel: pg.Channel, DisputeForm: pg.Disputes && s.o.Disputes != nil}
		if pg.Weekly && f.period.Week != "" {
			filters.Week = f.period.Week
		} else {
			filters.From, filters.To = f.from, f.to
		}
		o := reports.RenderOptions{Lang: f.lang, EChartsSrc: EChartsPath, Nav: s.nav(pg.Path, f), Filters: filters, Names: s.o.Names, DocsURL: DocsPath}
		scope := reports.Scope{Period: f.period, Shop: f.shop, Channel: f.channel, Coverage: cov, Retention: s.o.Retention, QA: s.o.QA, PromotionDays: s.o.PromotionDays}
		var buf bytes.Buffer
		if _, err := pg.Build(r.Context(), s.src, scope, o, &buf); err != nil {
			s.failPage(w, r, pg.Path, err)
			return
		}
		writePage(w, http.StatusOK, buf.Bytes())
	}
}

// writePage sends a page of the site: its Content-Security-Policy, never
// cached, with code.
func writePage(w http.ResponseWriter, code int, page []byte) {
	w.Header().Set("Content-Security-Policy", pageCSP(page))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	w.Write(page)
}

// requestLang is the page language a request asks for: en when lang=en,
// else zh-CN (the default, also for a language the pages do not have).
func requestLang(r *http.Request) string {
	if r.URL.Query().Get("lang") == reports.LangEN {
		return reports.LangEN
	}
	return reports.LangZH
}

// fail answers with an HTML page of the site that explains msg.
// shop is kept in the navigation and the retry link when it is a valid
// id that is not what was refused ("" otherwise): a refused week had sent
// a reader who chose a shop back to every shop.
func (s *Server) fail(w http.ResponseWriter, pg Page, lang, shop string, code int, msg string) {
	f := filters{lang: lang, shop: shop}
	retry := url.Values{"lang": {lang}}
	if shop != "" {
		retry.Set("shop", shop)
	}
	var buf bytes.Buffer
	o := reports.RenderOptions{Lang: lang, Nav: s.nav(pg.Path, f), DocsURL: DocsPath}
	if err := reports.RenderError(&buf, pg.TitleKey, msg, pg.Path+"?"+retry.Encode(), o); err != nil {
		http.Error(w, msg, code)
		return
	}
	writePage(w, code, buf.Bytes())
}

// withShop is the shop filter's choices: shops, and the selected shop,
// sorted, each once.
func withShop(shops []string, shop string) []string {
	if shop != "" {
		shops = append(shops, shop)
	}
	slices.Sort(shops)
	return slices.Compact(shops)
}

func buildWeekly(ctx context.Context, src reports.Source, scope reports.Scope, o reports.RenderOptions, w io.Writer) ([]string, error) {
	rep, err := reports.BuildWeekly(ctx, src, scope)
	if err != nil {
		return nil, err
	}
	var shops []string
	for _, l := range rep.ByShopChannel {
		shops = append(shops, l.Shop)
	}
	o.Filters.Shops = withShop(shops, scope.Shop)
	return o.Filters.Shops, reports.RenderWeekly(w, rep, o)
}

func buildAlerts(ctx context.Context, src reports.Source, scope reports.Scope, o reports.RenderOptions, w io.Writer) ([]string, error) {
	rep, err := reports.BuildAlerts(ctx, src, scope)
	if err != nil {
		return nil, err
	}
	var shops []string
	for _, g := range rep.Groups {
		shops = append(shops, g.Shop)
	}
	for _, a := range rep.Closed {
		shops = append(shops, a.Shop)
	}
	for _, a := range rep.Conduct {
		shops = append(shops, a.Shop)
	}
	o.Filters.Shops = withShop(shops, scope.Shop)
	return o.Filters.Shops, reports.RenderAlerts(w, rep, o)
}

func buildGMV(ctx context.Context, src reports.Source, scope reports.Scope, o reports.RenderOptions, w io.Writer) ([]string, error) {
	rep, err := reports.BuildGMV(ctx, src, scope)
	if err != nil {
		return nil, err
	}
	rep.Shops = withShop(rep.Shops, scope.Shop)
	return rep.Shops, reports.RenderGMV(w, rep, o)
}

var apiParams = []string{"from", "to", "week", "by", "shop", "channel", "level"}

// apiAnswer is the JSON of /api/v1/metrics/{name}.
type apiAnswer struct {
	Metric  string   `json:"metric"`
	From    string   `json:"from"`
	To      string   `json:"to"`
	By      []string `json:"by"`
	Shop    string   `json:"shop,omitempty"`
	Channel string   `json:"channel,omitempty"`
	Level   string   `json:"level,omitempty"`
	// Note says, for a period without data, which days hold some.
	Note string        `json:"note,omitempty"`
	Rows []metrics.Row `json:"rows"`
}

func (s *Server) api(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	fail := func(code int, msg string) { apiError(w, code, msg) }
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
	// Like the pages: without a period, the last 7 days or, when they hold
	// no data, the latest 7 that do (before: the last 7 days, "rows": []
	// on any database not written to this week, the demo's included). A
	// period without data says where the data is.
	cov, err := s.coverage(r.Context())
	if err != nil {
		s.o.Log.Error("api coverage failed", "metric", name, "err", err)
		fail(s.apiFailure(err))
		return
	}
	if f.defaulted {
		f.setPeriod(reports.LatestWithData(f.period, cov))
	}
	var note string
	if !cov.Empty() && !cov.Overlaps(f.period.From, f.period.To) {
		note = fmt.Sprintf("no data from %s to %s: the data cover %s to %s", f.from, f.to,
			cov.FirstDay.Format(time.DateOnly), cov.LastDay.Format(time.DateOnly))
	}
	if f.shop != "" && note == "" {
		// A shop without data on any day: rows [] said nothing of a typo.
		known, err := s.known(r.Context(), shopDim, cov)
		if err != nil {
			s.o.Log.Error("api shops failed", "metric", name, "err", err)
			fail(s.apiFailure(err))
			return
		}
		note = unknown(shopDim, f.shop, known, cov, "", nil)
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
		fail(http.StatusBadRequest, name+" takes no by or channel: leave them out")
		return
	}
	q := metrics.Query{From: f.period.From, To: f.period.To, By: by, Shop: f.shop, Level: f.level}
	rows, err := reports.ShowChannel(r.Context(), s.src, name, q, f.channel)
	if err != nil {
		if errors.Is(err, reports.ErrNoChannel) {
			fail(http.StatusBadRequest, fmt.Sprintf("%s has no channel: leave channel out (it covers every channel); the metrics with a channel are %s",
				name, strings.Join(withChannel(f.level), ", ")))
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
	json.NewEncoder(w).Encode(apiAnswer{Metric: name, From: f.from, To: f.to, By: by, Shop: f.shop, Channel: f.channel, Level: f.level, Note: note, Rows: rows})
}

// withChannel lists the metrics that can be filtered by channel.
func withChannel(level string) []string {
	var out []string
	for _, m := range metrics.Catalog() {
		if slices.Contains(metrics.Dimensions(m.Name, level), "channel") {
			out = append(out, m.Name)
		}
	}
	return out
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
