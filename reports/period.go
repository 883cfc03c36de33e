package reports

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// Period is a range of whole days [From, To] in the reporting time zone,
// From and To being local midnights.
type Period struct {
	From, To time.Time
	// Week is the ISO week label (2026-W47) when the period is one week.
	Week string
}

// Days is the number of days in p.
func (p Period) Days() int {
	return int(p.To.Sub(p.From).Hours()/24+0.5) + 1
}

// Previous is the period of the same length just before p.
func (p Period) Previous() Period {
	n := p.Days()
	prev := Period{From: p.From.AddDate(0, 0, -n), To: p.From.AddDate(0, 0, -1)}
	if p.Week != "" {
		prev.Week = ISOWeek(prev.From)
	}
	return prev
}

// Label is "2026-W47 (2026-11-16 – 2026-11-22)", "2026-11-01 – 2026-11-30",
// or one day's date: the daily early-warning page (serve's default, the
// scheduled archive) read "Period: 2026-10-04 – 2026-10-04".
func (p Period) Label() string {
	r := shortRange(p)
	if p.Week != "" {
		return p.Week + " (" + r + ")"
	}
	return r
}

var weekRe = regexp.MustCompile(`^(\d{4})-W(\d{2})$`)

// ParseWeek parses an ISO week such as 2026-W47 into its Monday–Sunday
// period in loc.
func ParseWeek(s string, loc *time.Location) (Period, error) {
	m := weekRe.FindStringSubmatch(s)
	if m == nil {
		return Period{}, fmt.Errorf("week %q: use the ISO form 2026-W47", s)
	}
	year, _ := strconv.Atoi(m[1])
	week, _ := strconv.Atoi(m[2])
	// 4 January is always in week 1.
	jan4 := time.Date(year, 1, 4, 0, 0, 0, 0, loc)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday())+6)%7)+(week-1)*7)
	if week < 1 || ISOWeek(monday) != s {
		return Period{}, fmt.Errorf("week %q: %d has no week %d", s, year, week)
	}
	return Period{From: monday, To: monday.AddDate(0, 0, 6), Week: s}, nil
}

// WeekOf returns the Monday–Sunday period containing t (in t's location).
func WeekOf(t time.Time) Period {
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
	monday := d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
	return Period{From: monday, To: monday.AddDate(0, 0, 6), Week: ISOWeek(monday)}
}

// ISOWeek returns the ISO week label of t: 2026-W47.
func ISOWeek(t time.Time) string {
	y, w := t.ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// ParseRange parses two dates (2006-01-02) in loc into a period.
func ParseRange(from, to string, loc *time.Location) (Period, error) {
	f, err := time.ParseInLocation(time.DateOnly, from, loc)
	if err != nil {
		return Period{}, fmt.Errorf("from %q: use 2006-01-02", from)
	}
	t, err := time.ParseInLocation(time.DateOnly, to, loc)
	if err != nil {
		return Period{}, fmt.Errorf("to %q: use 2006-01-02", to)
	}
	if t.Before(f) {
		return Period{}, fmt.Errorf("from %s is after to %s", from, to)
	}
	if t.Sub(f) > 366*24*time.Hour {
		return Period{}, fmt.Errorf("%s – %s: a report covers at most 366 days", from, to)
	}
	return Period{From: f, To: t}, nil
}

// Period kinds a reader names a comparison by: one Monday–Sunday ISO week
// ("vs previous week"), one calendar month ("vs previous month"), other
// days ("vs previous period").
const (
	kindDays  = ""
	kindWeek  = "week"
	kindMonth = "month"
)

// kind says whether p is one ISO week, one calendar month or other days,
// from its dates (a week chosen as two dates is a week).
func (p Period) kind() string {
	if w := WeekOf(p.From); w.From.Equal(p.From) && w.To.Equal(p.To) {
		return kindWeek
	}
	if p.From.Day() == 1 && p.To.Equal(p.From.AddDate(0, 1, -1)) {
		return kindMonth
	}
	return kindDays
}

// comparedSpan is what the GMV page compares: the days of p from its
// start to last (the last day with data; all of p when zero or later),
// with the same days of the period before p. A whole calendar month's
// period before is the month before, not as many days before (the 31
// days before December end on 30 November but begin on 31 October), so
// "vs previous month" is what the figures compare; its days run from the
// month's first for as many days as cur, at most to its last.
func comparedSpan(p Period, last time.Time) (cur, prev Period) {
	cur, prev, ok := span(p, last)
	if !ok {
		cur, prev = p, p.Previous()
	}
	if p.kind() == kindMonth {
		from := p.From.AddDate(0, -1, 0)
		prev = Period{From: from, To: minTime(p.From.AddDate(0, 0, -1), from.AddDate(0, 0, cur.Days()-1))}
	}
	return cur, prev
}
