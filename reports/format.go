package reports

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/convintel/convintel/metrics"
)

// Minus is the sign of a negative number on a page, U+2212: an ASCII
// hyphen ("-3.5 %") is a dash to a reader, shorter than the plus beside
// it and set apart from the digits in some fonts. Exports and every value
// a machine reads keep the hyphen (metrics.Show, CSV, JSON, chart data);
// only what Locale writes for people uses this.
const Minus = "\u2212"

// minus writes a number's leading hyphen as Minus.
func minus(s string) string {
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		return Minus + rest
	}
	return s
}

// Money formats cents as ¥1,234.56.
func (l Locale) Money(m metrics.Money) string {
	v := int64(m)
	sign := ""
	if v < 0 {
		sign, v = Minus, -v
	}
	return fmt.Sprintf("%s¥%s.%02d", sign, group(v/100), v%100)
}

// AtStake formats an estimate of money at stake in cents as "≈ ¥12,400":
// three significant figures, whole yuan; an estimate is not accounting.
func (l Locale) AtStake(m metrics.Money) string {
	v := math.Round(float64(m) / 100)
	if v >= 1000 {
		p := math.Pow(10, math.Floor(math.Log10(v))-2)
		v = math.Round(v/p) * p
	}
	return "≈ ¥" + l.Count(int64(v))
}

// MoneyCompact formats cents as ¥1.2万 (zh-CN) or ¥12.3k (en); amounts
// under ten thousand yuan keep whole yuan.
func (l Locale) MoneyCompact(m metrics.Money) string {
	v := float64(m) / 100
	sign := ""
	if v < 0 {
		sign, v = Minus, -v
	}
	if v < 10_000 {
		return sign + "¥" + l.Count(int64(math.Round(v)))
	}
	return sign + "¥" + l.Compact(v)
}

// Count formats an integer with thousands separators: 12,345.
func (l Locale) Count(n int64) string {
	if n < 0 {
		return Minus + group(-n)
	}
	return group(n)
}

// Compact formats a large number briefly: 1.2万 / 3.45亿 in zh-CN, 12.3k /
// 4.5M / 1.35M in en. Numbers under 10,000 are written in full. Millions
// and 亿 keep two decimals: at one, the GMV dashboard's ¥1,351,000 read
// "¥1.4M" in English beside "¥135.1万" in Chinese.
func (l Locale) Compact(v float64) string {
	a := math.Abs(v)
	if a < 10_000 {
		return l.Count(int64(math.Round(v)))
	}
	if l.Lang == LangZH {
		if a >= 1e8 {
			return minus(trimZeros(v/1e8, 2)) + "亿"
		}
		return minus(trimZeros(v/1e4, 1)) + "万"
	}
	switch {
	case a >= 1e9:
		return minus(trimZeros(v/1e9, 2)) + "B"
	case a >= 1e6:
		return minus(trimZeros(v/1e6, 2)) + "M"
	}
	return minus(trimZeros(v/1e3, 1)) + "k"
}

// Percent formats a ratio as 44.0 %.
func (l Locale) Percent(r float64) string {
	if math.IsNaN(r) || math.IsInf(r, 0) {
		return "–"
	}
	return minus(strconv.FormatFloat(r*100, 'f', 1, 64)) + " %"
}

// Points formats the difference of two ratios in percentage points with a
// sign: +1.2 pp or −1.2 pp (en), +1.2 个百分点 (zh-CN).
func (l Locale) Points(cur, prev float64) string {
	d := (cur - prev) * 100
	unit := " pp"
	if l.Lang == LangZH {
		unit = " 个百分点"
	}
	return signed(d, 1) + unit
}

// Change formats the relative change of a count or amount: +12.5 % or
// −3.5 %; "–" when there was nothing before.
func (l Locale) Change(cur, prev float64) string {
	if prev == 0 {
		return "–"
	}
	return signed((cur-prev)/prev*100, 1) + " %"
}

// Trend classifies the change of a rate, as Points prints it, for
// colouring: "good", "bad" or "flat". riseIsGood says whether a rise is
// good news (conversion) or bad (abandonment). A change that prints as
// ±0.0 is flat: the demo's negative rate read "±0.0 pp" in red (10.04 %
// against 10.02 %).
func (l Locale) Trend(cur, prev float64, riseIsGood bool) string {
	return trend((cur-prev)*100, riseIsGood)
}

// ChangeTrend classifies the relative change of a count or amount, as
// Change prints it, for colouring; a change against nothing ("–") is flat.
func (l Locale) ChangeTrend(cur, prev float64, riseIsGood bool) string {
	if prev == 0 {
		return "flat"
	}
	return trend((cur-prev)/prev*100, riseIsGood)
}

// trend classifies a change d printed with one decimal.
func trend(d float64, riseIsGood bool) string { return trendAt(d, 1, riseIsGood) }

// trendAt classifies a change d printed with digits decimals: one that
// prints as zero is flat.
func trendAt(d float64, digits int, riseIsGood bool) string {
	switch {
	case math.IsNaN(d) || strings.Trim(strconv.FormatFloat(math.Abs(d), 'f', digits, 64), "0.") == "":
		return "flat"
	case (d > 0) == riseIsGood:
		return "good"
	}
	return "bad"
}

// Difference formats the difference of two values of a score with its
// sign and digits decimals: the mean sentiment score's +0.02, −0.01 or
// ±0.00; "–" when either is unknown.
func (l Locale) Difference(cur, prev float64, digits int) string {
	d := cur - prev
	if math.IsNaN(d) || math.IsInf(d, 0) {
		return "–"
	}
	return signed(d, digits)
}

// DifferenceTrend classifies Difference for colouring.
func (l Locale) DifferenceTrend(cur, prev float64, digits int, riseIsGood bool) string {
	return trendAt(cur-prev, digits, riseIsGood)
}

// MillisChange formats the change of a duration in milliseconds with its
// sign, in Millis's units: +120 ms, −1.5 s; ±0 ms under half a
// millisecond; "–" when either is unknown.
func (l Locale) MillisChange(cur, prev float64) string {
	d := cur - prev
	switch {
	case math.IsNaN(d) || math.IsInf(d, 0):
		return "–"
	case math.Abs(d) < 0.5:
		return "±0" + l.durationUnits().ms
	case d < 0:
		return Minus + l.Millis(-d)
	}
	return "+" + l.Millis(d)
}

// MillisTrend classifies MillisChange for colouring: a longer wait is
// bad news.
func (l Locale) MillisTrend(cur, prev float64) string {
	return trendAt(math.Round(cur-prev), 0, false)
}

// Millis formats a duration in milliseconds: 0 s, 850 ms, 12.5 s,
// 3.2 min, 4.5 h (a zero is no time at all, not a measured 0 ms). Chinese
// pages write the units in Chinese (12.5 秒, 3.2 分钟, 4.5 小时), as
// Locale.Hours does: the weekly funnel's "30.0 h" stood on the same pages
// as the bot-value card's "1,812 小时".
func (l Locale) Millis(ms float64) string {
	u := l.durationUnits()
	switch {
	case math.IsNaN(ms) || math.IsInf(ms, 0):
		return "–"
	case ms == 0:
		return "0" + u.s
	case ms < 0:
		return Minus + l.Millis(-ms)
	case ms < 1000:
		return strconv.FormatFloat(ms, 'f', 0, 64) + u.ms
	case ms < 60_000:
		return strconv.FormatFloat(ms/1000, 'f', 1, 64) + u.s
	case ms < 120*60_000:
		return strconv.FormatFloat(ms/60_000, 'f', 1, 64) + u.min
	}
	return strconv.FormatFloat(ms/3_600_000, 'f', 1, 64) + u.h
}

// durationUnits are Millis's units in the page's language.
func (l Locale) durationUnits() durationUnitNames {
	if l.Lang == LangZH {
		return durationUnitsByLang[1]
	}
	return durationUnitsByLang[0]
}

type durationUnitNames struct{ ms, s, min, h string }

// durationUnitsByLang are Millis's units in English and Chinese.
var durationUnitsByLang = [2]durationUnitNames{
	{" ms", " s", " min", " h"},
	{" 毫秒", " 秒", " 分钟", " 小时"},
}

// Seconds formats seconds like Millis.
func (l Locale) Seconds(s float64) string { return l.Millis(s * 1000) }

// Decimal formats v with digits decimals.
func (l Locale) Decimal(v float64, digits int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	s := strconv.FormatFloat(v, 'f', digits, 64)
	// A value that rounds to zero has no sign ("-0.00" read as negative).
	if rest, neg := strings.CutPrefix(s, "-"); neg && strings.Trim(rest, "0.") == "" {
		return rest
	}
	return minus(s)
}

// Hours formats a number of hours as the cards do other amounts: with
// thousands separators, whole hours from 100 on ("1,812 h", "1,812 小时";
// the bot-value card read "1812.0 h" in both languages), one decimal below.
func (l Locale) Hours(h float64) string {
	unit := " h"
	if l.Lang == LangZH {
		unit = " 小时"
	}
	if math.IsNaN(h) || math.IsInf(h, 0) {
		return "–"
	}
	if math.Abs(h) >= 100 {
		return l.Count(int64(math.Round(h))) + unit
	}
	return minus(strconv.FormatFloat(h, 'f', 1, 64)) + unit
}

// Ratio formats a multiple such as 3.4×.
func (l Locale) Ratio(v float64) string {
	return strconv.FormatFloat(v, 'f', 1, 64) + "×"
}

func group(n int64) string {
	s := strconv.FormatInt(n, 10)
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	pre := len(s) % 3
	if pre > 0 {
		b.WriteString(s[:pre])
	}
	for i := pre; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// trimZeros formats v with the given decimals, without trailing zeros:
// 1.35, 4.5, 2.
func trimZeros(v float64, digits int) string {
	s := strconv.FormatFloat(v, 'f', digits, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// signed writes a change with its sign, + or Minus; one that rounds to
// zero is ±0.0 (or ±0, ±0.00 with other digits).
func signed(v float64, digits int) string {
	s := strconv.FormatFloat(v, 'f', digits, 64)
	if strings.Trim(s, "-0.") == "" {
		return "±" + strings.TrimPrefix(s, "-")
	}
	if !strings.HasPrefix(s, "-") {
		return "+" + s
	}
	return minus(s)
}
