package reports

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/convintel/convintel/metrics"
)

// The QA page and the scoreboard name the configured reply SLA
// (metrics.qa.reply_sla, a shop's own under metrics.qa.shops) in every
// label that states it: "Replies within 3 min" was written into the texts
// and stayed so when a shop set 60 s, beside figures computed with 60 s.
// The texts hold {reply_sla}, which Locale.T fills.

// qaSettings are the QA settings of the scope; the zero value (a caller
// that passed none) is the defaults.
func (s Scope) qaSettings() metrics.QASettings {
	if s.QA.ReplySLA == 0 {
		return metrics.DefaultQASettings()
	}
	return s.QA
}

// ReplySLA is the reply SLA of shop under q: its own, else the shared one.
func ReplySLA(q metrics.QASettings, shop string) time.Duration {
	for _, s := range q.Shops {
		if s.ShopID == shop && s.ReplySLA > 0 {
			return s.ReplySLA
		}
	}
	return q.ReplySLA
}

// FirstResponseSLA is the first-response SLA after a handoff of shop under
// q: its own, else the shared one.
func FirstResponseSLA(q metrics.QASettings, shop string) time.Duration {
	for _, s := range q.Shops {
		if s.ShopID == shop && s.FirstResponseSLA > 0 {
			return s.FirstResponseSLA
		}
	}
	return q.FirstResponseSLA
}

// replySLAs are the limits of one rule (the reply SLA, the first-response
// SLA) of the shops a page covers (the scope's shop, else the shops with
// data), shop by shop in their order.
type replySLAs struct {
	Shops []string
	SLAs  []time.Duration
	// note is the message listing the shops' limits when they differ
	note string
}

func scopeReplySLAs(s Scope, shops []string) replySLAs {
	return scopeSLAs(s, shops, ReplySLA, "sla.per_shop")
}

func scopeFirstResponseSLAs(s Scope, shops []string) replySLAs {
	return scopeSLAs(s, shops, FirstResponseSLA, "sla.handoff_per_shop")
}

func scopeSLAs(s Scope, shops []string, limit func(metrics.QASettings, string) time.Duration, note string) replySLAs {
	q := s.qaSettings()
	if s.Shop != "" {
		shops = []string{s.Shop}
	}
	r := replySLAs{note: note}
	for _, shop := range shops {
		r.Shops, r.SLAs = append(r.Shops, shop), append(r.SLAs, limit(q, shop))
	}
	if len(shops) == 0 {
		r.SLAs = []time.Duration{limit(q, "")}
	}
	return r
}

// uniform says whether every shop of the page has the same SLA.
func (r replySLAs) uniform() bool {
	return len(slices.Compact(slices.Clone(r.SLAs))) == 1
}

// Note lists each shop's SLA when they differ (the labels then say "the
// shop's limit"); "" when one SLA holds for the page.
func (r replySLAs) Note(l Locale) string {
	if r.uniform() {
		return ""
	}
	parts := make([]string, len(r.Shops))
	for i, s := range r.Shops {
		parts[i] = l.Display("shop", s) + " " + l.Duration(r.SLAs[i])
	}
	sep := ", "
	if l.Lang == LangZH {
		sep = "，"
	}
	return l.Tf(r.note, strings.Join(parts, sep))
}

// withReplySLAs returns l with {reply_sla} naming r's SLA, or the shop's
// limit when the shops' differ.
func (l Locale) withReplySLAs(r replySLAs) Locale {
	return l.withSLAs("reply_sla", r)
}

// withQALimits returns l with every configured limit a QA label states:
// {reply_sla}, {first_response_sla} (each the shop's limit when the page's
// shops differ) and {takeover_within}. "Slow first response after
// handoff" beside first replies of about 15 s did not say its 30 s.
func (l Locale) withQALimits(s Scope, shops []string) Locale {
	return l.withSLAs("reply_sla", scopeReplySLAs(s, shops)).
		withSLAs("first_response_sla", scopeFirstResponseSLAs(s, shops)).
		with("takeover_within", l.Duration(s.qaSettings().TakeoverWithin))
}

func (l Locale) withSLAs(name string, r replySLAs) Locale {
	v := l.T("sla.shop_limit")
	if r.uniform() {
		v = l.Duration(r.SLAs[0])
	}
	return l.with(name, v)
}

// with returns l with the placeholder {name} filled by v.
func (l Locale) with(name, v string) Locale {
	vars := map[string]string{name: v}
	for k, x := range l.vars {
		if k != name {
			vars[k] = x
		}
	}
	l.vars = vars
	return l
}

// Duration names a configured time limit: "3 min", "90 s" ("3 分钟",
// "90 秒"), the number and its unit joined by a no-break space: the QA
// table's header read "Slow reply (over 3" over "min)".
func (l Locale) Duration(d time.Duration) string {
	minUnit, secUnit := "\u00a0min", "\u00a0s"
	if l.Lang == LangZH {
		minUnit, secUnit = "\u00a0分钟", "\u00a0秒"
	}
	switch {
	case d >= time.Minute && d%time.Minute == 0:
		return strconv.FormatInt(int64(d/time.Minute), 10) + minUnit
	case d%time.Second == 0:
		return strconv.FormatInt(int64(d/time.Second), 10) + secUnit
	}
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + secUnit
}

// defaultVars fill the placeholders of a Locale without page settings.
var defaultVars = map[string]func(Locale) string{
	"reply_sla":          func(l Locale) string { return l.Duration(metrics.DefaultQASettings().ReplySLA) },
	"first_response_sla": func(l Locale) string { return l.Duration(metrics.DefaultQASettings().FirstResponseSLA) },
	"takeover_within":    func(l Locale) string { return l.Duration(metrics.DefaultQASettings().TakeoverWithin) },
	"window":             func(l Locale) string { return windowText(l, 0) },
	"slow_reply_cap":     func(Locale) string { return strconv.Itoa(metrics.DefaultQASettings().SlowReplyCap) },
}

// expand fills the {name} placeholders of s. A value that begins with a
// Chinese character drops the space written before the placeholder
// ("超过 {reply_sla}的" reads "超过 3 分钟的" and "超过店铺时限的").
func (l Locale) expand(s string) string {
	if !strings.Contains(s, "{") {
		return s
	}
	for name, def := range defaultVars {
		ph := "{" + name + "}"
		if !strings.Contains(s, ph) {
			continue
		}
		v, ok := l.vars[name]
		if !ok {
			v = def(l)
		}
		if r, _ := utf8.DecodeRuneInString(v); unicode.Is(unicode.Han, r) {
			s = strings.ReplaceAll(s, " "+ph, ph)
		}
		s = strings.ReplaceAll(s, ph, v)
	}
	return s
}

// scopeServiceHours names the service hours (metrics.qa.service_hours, a
// shop's own under shops) of the shops a page covers: "08:00–24:00", or
// "each shop's own" when they differ.
func scopeServiceHours(l Locale, s Scope, shops []string) string {
	q := s.qaSettings()
	if s.Shop != "" {
		shops = []string{s.Shop}
	}
	hours := func(shop string) string {
		for _, x := range q.Shops {
			if x.ShopID == shop && x.ServiceHours != "" {
				return x.ServiceHours
			}
		}
		return q.ServiceHours
	}
	h := q.ServiceHours
	for i, shop := range shops {
		if i == 0 {
			h = hours(shop)
		} else if hours(shop) != h {
			return l.T("sla.shop_hours")
		}
	}
	return strings.ReplaceAll(strings.ReplaceAll(h, " ", ""), "-", "–")
}
