package dashboards

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
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
			return f, bi(fmt.Sprintf("unknown parameter %q: use %s", k, strings.Join(allowed, ", ")),
				fmt.Sprintf("不认识的参数 %q：可用的参数是 %s", k, strings.Join(allowed, "、")))
		}
		if len(v) != 1 {
			return f, bi(fmt.Sprintf("parameter %q given %d times: give it once", k, len(v)),
				fmt.Sprintf("参数 %q 出现了 %d 次：只能给一次", k, len(v)))
		}
	}
	f.week, f.from, f.to = normWeek(q.Get("week")), strings.TrimSpace(q.Get("from")), strings.TrimSpace(q.Get("to"))
	var err error
	switch {
	case f.week != "" && (f.from != "" || f.to != ""):
		return f, bi(fmt.Sprintf("choose either a week (%s) or dates (%s to %s), not both", f.week, f.from, f.to),
			fmt.Sprintf("请只选周（%s）或日期（%s 至 %s）其中一种", f.week, f.from, f.to))
	case f.week != "":
		if f.period, err = reports.ParseWeek(f.week, loc); err != nil {
			return f, weekError(f.week)
		}
	case f.from != "" || f.to != "":
		if f.from == "" || f.to == "" {
			return f, bi("from and to go together: give both dates (from=2026-09-28&to=2026-10-04), or a week (week=2026-W40)",
				"开始和结束日期要一起给（from=2026-09-28&to=2026-10-04），或者只给周（week=2026-W40）")
		}
		if f.period, err = reports.ParseRange(f.from, f.to, loc); err != nil {
			return f, rangeError(f.from, f.to, loc, err)
		}
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
		return f, bi(fmt.Sprintf("shop %q: letters, digits and _ . : @ - only, up to 128", f.shop),
			fmt.Sprintf("店铺 %q：只能含字母、数字和 _ . : @ -，最多 128 个字符", f.shop))
	}
	if f.channel = q.Get("channel"); f.channel != "" && !channelRe.MatchString(f.channel) {
		return f, bi(fmt.Sprintf("channel %q: lower-case letters, digits, _ and - only", f.channel),
			fmt.Sprintf("渠道 %q：只能含小写字母、数字、_ 和 -", f.channel))
	}
	f.lang = q.Get("lang")
	if f.lang == "" {
		f.lang = reports.LangZH
	}
	if _, err := reports.NewLocale(f.lang); err != nil {
		return f, bi(fmt.Sprintf("lang %q: zh-CN or en", f.lang), fmt.Sprintf("语言 %q：可选 zh-CN 或 en", f.lang))
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

// filterError is a refused filter in words for both languages: a Chinese
// page said "week \"2026-W99\": 2026 has no week 99" under its Chinese
// heading. Error is the English (the API's).
type filterError struct{ en, zh string }

func (e *filterError) Error() string { return e.en }

func bi(en, zh string) error { return &filterError{en: en, zh: zh} }

// inLang is err's message in lang.
func inLang(err error, lang string) string {
	var fe *filterError
	if errors.As(err, &fe) && lang == reports.LangZH {
		return fe.zh
	}
	return err.Error()
}

// weekError says why week is not an ISO week, and what would be.
func weekError(week string) error {
	m := isoWeek.FindStringSubmatch(week)
	if m == nil {
		return bi(fmt.Sprintf("week %q: write an ISO week such as 2026-W40", week),
			fmt.Sprintf("周 %q：请写成 ISO 周的形式，如 2026-W40", week))
	}
	year, _ := strconv.Atoi(m[1])
	last := reports.ISOWeek(time.Date(year, 12, 28, 0, 0, 0, 0, time.UTC)) // 28 December is in the last week
	return bi(fmt.Sprintf("week %q: %d has no week %s; its weeks run from %d-W01 to %s", week, year, m[2], year, last),
		fmt.Sprintf("周 %q：%d 年没有第 %s 周，该年的周是 %d-W01 到 %s", week, year, m[2], year, last))
}

// rangeError is err of reports.ParseRange(from, to) in both languages.
func rangeError(from, to string, loc *time.Location, err error) error {
	f, ferr := time.ParseInLocation(time.DateOnly, from, loc)
	t, terr := time.ParseInLocation(time.DateOnly, to, loc)
	switch {
	case ferr != nil:
		return bi(fmt.Sprintf("from %q: write a date as 2026-09-28", from), fmt.Sprintf("开始日期 %q：请写成 2026-09-28 的形式", from))
	case terr != nil:
		return bi(fmt.Sprintf("to %q: write a date as 2026-10-04", to), fmt.Sprintf("结束日期 %q：请写成 2026-10-04 的形式", to))
	case t.Before(f):
		return bi(fmt.Sprintf("from %s is after to %s: swap them", from, to), fmt.Sprintf("开始日期 %s 晚于结束日期 %s：请对调", from, to))
	case t.Sub(f) > 366*24*time.Hour:
		days := int(t.Sub(f).Hours()/24+0.5) + 1
		return bi(fmt.Sprintf("%s – %s is %d days: a page covers at most 366; choose a shorter range", from, to, days),
			fmt.Sprintf("%s – %s 共 %d 天：一页最多 366 天，请缩短日期范围", from, to, days))
	}
	return err
}

var (
	isoWeek   = regexp.MustCompile(`^(\d{4})-W(\d{2})$`)
	basicWeek = regexp.MustCompile(`^(\d{4})W(\d{2})$`)
)

// normWeek reads a week as a person types it: " 2026-w40", "2026W40"
// (ISO's basic form) are 2026-W40. They had been refused.
func normWeek(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	return basicWeek.ReplaceAllString(s, "$1-W$2")
}
