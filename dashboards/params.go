package dashboards

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
)

var (
	// Shop ids and channels are free text upstream; the dashboards accept
	// what real ids look like and nothing that could be markup or SQL.
	shopRe    = regexp.MustCompile(`^[\p{L}\p{N}_.:@\-]{1,128}$`)
	channelRe = regexp.MustCompile(`^[a-z0-9_\-]{1,32}$`)
)

// filters are the validated query parameters of a page or API call.
type filters struct {
	period         reports.Period
	shop, channel  string
	lang, level    string
	by             []string
	week, from, to string
	// defaulted: the URL named no period, so the default one was taken.
	defaulted bool
}

// setPeriod replaces the period and the week/from/to texts that show it.
func (f *filters) setPeriod(p reports.Period) {
	f.period, f.week = p, p.Week
	f.from, f.to = p.From.Format(time.DateOnly), p.To.Format(time.DateOnly)
}

// parseFilters reads and validates the allowed parameters of q; any
// other parameter is an error, so a typo does not silently show
// unfiltered numbers. defaultDays is the period length without from/to.
func parseFilters(q url.Values, allowed []string, loc *time.Location, now time.Time, defaultDays int, weekDefault bool) (filters, error) {
	var f filters
	for k, v := range q {
		if !slices.Contains(allowed, k) {
			return f, fmt.Errorf("unknown parameter %q: use %s", k, strings.Join(allowed, ", "))
		}
		if len(v) != 1 {
			return f, fmt.Errorf("parameter %q given %d times", k, len(v))
		}
	}
	f.week, f.from, f.to = q.Get("week"), q.Get("from"), q.Get("to")
	var err error
	switch {
	case f.week != "" && (f.from != "" || f.to != ""):
		return f, fmt.Errorf("choose either a week (%s) or dates (%s to %s), not both", f.week, f.from, f.to)
	case f.week != "":
		f.period, err = reports.ParseWeek(f.week, loc)
	case f.from != "" || f.to != "":
		if f.from == "" || f.to == "" {
			return f, fmt.Errorf("from and to go together: give both dates (from=2026-09-28&to=2026-10-04), or a week (week=2026-W40)")
		}
		f.period, err = reports.ParseRange(f.from, f.to, loc)
	case weekDefault:
		f.period, f.defaulted = reports.WeekOf(now.In(loc).AddDate(0, 0, -7)), true
	default:
		f.defaulted = true
		n := now.In(loc)
		today := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, loc)
		f.period = reports.Period{From: today.AddDate(0, 0, -(defaultDays - 1)), To: today}
	}
	if err != nil {
		return f, err
	}
	if f.from == "" {
		f.from, f.to = f.period.From.Format(time.DateOnly), f.period.To.Format(time.DateOnly)
	}
	if f.week == "" && f.period.Week != "" {
		f.week = f.period.Week
	}
	if f.shop = q.Get("shop"); f.shop != "" && !shopRe.MatchString(f.shop) {
		return f, fmt.Errorf("shop %q: letters, digits and _ . : @ - only, up to 128", f.shop)
	}
	if f.channel = q.Get("channel"); f.channel != "" && !channelRe.MatchString(f.channel) {
		return f, fmt.Errorf("channel %q: lower-case letters, digits, _ and - only", f.channel)
	}
	f.lang = q.Get("lang")
	if f.lang == "" {
		f.lang = reports.LangZH
	}
	if _, err := reports.NewLocale(f.lang); err != nil {
		return f, err
	}
	f.level = q.Get("level")
	if f.level != "" && f.level != "node" && f.level != "intent" && f.level != "product" {
		return f, fmt.Errorf("level %q: node, intent or product", f.level)
	}
	return f, nil
}

// parseBy validates the grouping dimensions of metric name.
func parseBy(name, level, raw string) ([]string, error) {
	if raw == "" {
		return nil, nil
	}
	allowed := metrics.Dimensions(name, level)
	if len(allowed) == 0 {
		return nil, fmt.Errorf("%s takes no by: leave it out", name)
	}
	var by []string
	for _, d := range strings.Split(raw, ",") {
		d = strings.TrimSpace(d)
		if !slices.Contains(allowed, d) {
			return nil, fmt.Errorf("%s cannot be grouped by %q: choose from %s", name, d, strings.Join(allowed, ", "))
		}
		if !slices.Contains(by, d) {
			by = append(by, d)
		}
	}
	return by, nil
}
