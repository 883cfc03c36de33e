package reports_test

// What session 20 fixed of a newcomer's reading of the demo's pages and of
// serve's (2026-12-07, headless Chromium at 1400 px and on a 390 px phone,
// both languages).

import (
	"bytes"
	"context"
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/reporttest"
)

// TestWrappedLabelsKeepTheirCategoryWhole: a horizontal bar chart's
// category labels are broken into lines to fit (wrapLabel), and the
// categories themselves held the broken lines, so the tooltip named a bar
// on two lines: "转人工首响超时" over "（超过 30 秒）" on the zh QA page,
// "Missed takeover over" over "1 min (紧急接管)" on the English one. The
// categories are the labels whole; the axis draws them broken through
// "fmt:lines" and the label's lines.
func TestWrappedLabelsKeepTheirCategoryWhole(t *testing.T) {
	for _, lang := range reports.Langs {
		pages := map[string]string{
			"qa": renderPage(t, lang, func(b *bytes.Buffer, o reports.RenderOptions) error {
				return reports.RenderQA(b, reporttest.QA(), o)
			}),
			"agents": renderPage(t, lang, func(b *bytes.Buffer, o reports.RenderOptions) error {
				return reports.RenderAgents(b, reporttest.Agents(), o)
			}),
		}
		broken := 0
		for name, page := range pages {
			for id, opt := range pageCharts(t, page) {
				axes, _ := opt["yAxis"].([]any)
				for _, ax := range axes {
					am, _ := ax.(map[string]any)
					if am["type"] != "category" {
						continue
					}
					label, _ := am["axisLabel"].(map[string]any)
					lines, _ := label["lines"].(map[string]any)
					cats, _ := am["data"].([]any)
					for _, c := range cats {
						cat, _ := c.(string)
						if strings.Contains(cat, "\n") {
							t.Errorf("%s %s %s: the category %q holds line breaks: its tooltip reads it on several lines", lang, name, id, cat)
						}
						if w, ok := lines[cat].(string); ok {
							broken++
							if label["formatter"] != "fmt:lines" {
								t.Errorf("%s %s %s: lines without the formatter that draws them", lang, name, id)
							}
							flat := strings.NewReplacer("\n", "", " ", "", "\u00a0", "")
							if flat.Replace(w) != flat.Replace(cat) {
								t.Errorf("%s %s %s: %q is drawn as %q", lang, name, id, cat, w)
							}
						}
					}
				}
			}
		}
		if broken == 0 {
			t.Errorf("%s: no category label is drawn on several lines (the QA rules' are)", lang)
		}
	}
}

// TestChannelNoteAboveTheCards: the GMV page filtered to a channel read
// "Channel: Taobao" in its header, then cards and charts of every
// channel (the same ¥5,178,142.00 as without the filter); the one grey
// line saying that orders carry no channel came fifth among the notes
// under the cards. It stands above the cards now, highlighted, naming
// the channel and what does and does not follow it, and the conversion
// table that does follow it names the channel in its heading.
func TestChannelNoteAboveTheCards(t *testing.T) {
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		l = l.WithNames(reporttest.Names())
		g := reporttest.GMV()
		g.Channel = "taobao"
		page := renderPage(t, lang, func(b *bytes.Buffer, o reports.RenderOptions) error {
			return reports.RenderGMV(b, g, o)
		})
		note := `<p class="note maturity">` + html.EscapeString(l.Tf("gmv.channel_note", l.Display("channel", "taobao")))
		i, cards := strings.Index(page, note), strings.Index(page, `<div class="kpis">`)
		switch {
		case i < 0:
			t.Errorf("%s: no highlighted channel note naming %s (%q)", lang, l.Display("channel", "taobao"), note)
		case cards >= 0 && i > cards:
			t.Errorf("%s: the channel note comes after the cards", lang)
		}
		if h := "<h2>" + html.EscapeString(l.T("gmv.by_responder")+" · "+l.Display("channel", "taobao")) + "</h2>"; !strings.Contains(page, h) {
			t.Errorf("%s: the conversion by responder class does not name the channel it follows (want %q)", lang, h)
		}
	}
}

// TestWorstConversationsSayWhatEachViolationCost: a worst conversation
// was headed by its score ("Score 45") over its violations, none of them
// saying what it had cost: on the demo, two forbidden phrases scored 40,
// two forbidden phrases and a slow reply 45. Each row says the points it
// took off ("−30"), so the score reads as 100 minus the column.
func TestWorstConversationsSayWhatEachViolationCost(t *testing.T) {
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		q := reporttest.QA()
		page := renderPage(t, lang, func(b *bytes.Buffer, o reports.RenderOptions) error {
			return reports.RenderQA(b, q, o)
		})
		if h := `<th class="num">` + l.T("qa.points_off") + `</th>`; !strings.Contains(page, h) {
			t.Errorf("%s: the worst conversations have no column %q", lang, h)
		}
		for _, v := range q.Worst[0].Violations {
			if cell := `<td class="num">` + reports.Minus + strconv.FormatInt(v.Weight, 10) + `</td><td class="long">` + html.EscapeString(v.Evidence); !strings.Contains(page, cell) {
				t.Errorf("%s: the %s violation of %s does not say it took %d points off (want %q)", lang, v.Rule, q.Worst[0].Conversation, v.Weight, cell)
			}
		}
	}
}

func expRow(exp, variant string, control bool, buyers int64, first time.Time) metrics.Row {
	return metrics.Row{{Key: "shop_id", Value: "shop-01"}, {Key: "experiment", Value: exp}, {Key: "variant", Value: variant},
		{Key: "control", Value: control}, {Key: "buyers", Value: buyers}, {Key: "ordered_buyers", Value: buyers / 3},
		{Key: "order_rate", Value: 1.0 / 3}, {Key: "verdict", Value: "no_difference_yet"},
		{Key: "first_exposure", Value: first}, {Key: "last_exposure", Value: time.Date(2026, 10, 4, 0, 0, 0, 0, time.UTC)}}
}

// TestExperimentWeekSaysItIsPartOfTheTest: serve's experiments page over
// a week read the demo's limited-time test as 197 : 240 buyers, "no
// difference yet" and a planned sample of 4,510 (the smallest arm at
// 4.4 % of it), where its four weeks read 1,698 : 1,698, "leading" and
// 3,449: the week holds only the buyers first shown a script in it, and
// nothing said so. A test that had buyers before the period says that
// the period holds part of it, how many of its buyers, since when, and
// to read its whole run before deciding; a test that began inside the
// period does not.
func TestExperimentWeekSaysItIsPartOfTheTest(t *testing.T) {
	loc := time.UTC
	week := reports.WeekOf(time.Date(2026, 9, 28, 0, 0, 0, 0, loc))
	began, fresh := time.Date(2026, 9, 7, 0, 0, 0, 0, loc), time.Date(2026, 9, 29, 0, 0, 0, 0, loc)
	src := periodSource{}
	q := func(p reports.Period) metrics.Query {
		return metrics.Query{From: p.From, To: p.To, By: []string{"shop_id"}}
	}
	src[src.key("experiments", q(week))] = []metrics.Row{
		expRow("limited-time-script", "control", true, 197, week.From), expRow("limited-time-script", "limited-time", false, 240, week.From),
		expRow("new-greeting", "control", true, 300, fresh), expRow("new-greeting", "emoji", false, 310, fresh)}
	run := reports.Period{From: began, To: week.To}
	src[src.key("experiments", q(run))] = []metrics.Row{
		expRow("limited-time-script", "control", true, 1698, began), expRow("limited-time-script", "limited-time", false, 1698, began),
		expRow("new-greeting", "control", true, 300, fresh), expRow("new-greeting", "emoji", false, 310, fresh)}
	cov := metrics.Coverage{FirstDay: began, LastDay: week.To, Days: 28}
	e, err := reports.BuildExperiments(context.Background(), src, reports.Scope{Period: week, Coverage: cov})
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		page := renderPage(t, lang, func(b *bytes.Buffer, o reports.RenderOptions) error {
			return reports.RenderExperiments(b, e, o)
		})
		want := l.Tf("exp.part", l.Count(437), l.PeriodLabel(week), l.Count(3396), "2026-09-07", "2026-10-04")
		text := html.UnescapeString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(page, ""))
		if n := strings.Count(text, want); n != 1 {
			t.Errorf("%s: the note that the week holds part of the limited-time test appears %d times, want once: %q", lang, n, want)
		}
	}
	// the four weeks (the whole run) hold all of it: no note
	all, err := reports.BuildExperiments(context.Background(), src, reports.Scope{Period: run, Coverage: cov})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range all.Experiments {
		if x.Part != nil {
			t.Errorf("over the whole run, %s is said to be in part", x.Name)
		}
	}
}

// TestChineseGlossStaysWhole: the English QA page's worst conversations
// named a missed takeover "Missed takeover over 1 min (紧" over "急接管)" at
// 1400 px: Chromium breaks between any two Chinese characters. A
// bracketed Chinese gloss in the text is kept on one line, as dates and
// short ranges are.
func TestChineseGlossStaysWhole(t *testing.T) {
	page := renderPage(t, reports.LangEN, func(b *bytes.Buffer, o reports.RenderOptions) error {
		return reports.RenderQA(b, reporttest.QA(), o)
	})
	if want := `<td class="mid rule">Missed takeover over 1` + "\u00a0" + `min <span class="nw">(紧急接管)</span></td>`; !strings.Contains(page, want) {
		t.Errorf("the worst conversations' missed takeover can break inside (紧急接管): want %q", want)
	}
}

// TestNoSpaceBeforeFullWidthBracket: the zh experiments table read "197
// （45 %）": a no-break space before a full-width bracket, whose glyph
// holds a space of its own, left a double gap after each arm's count.
func TestNoSpaceBeforeFullWidthBracket(t *testing.T) {
	page := renderPage(t, reports.LangZH, func(b *bytes.Buffer, o reports.RenderOptions) error {
		return reports.RenderExperiments(b, reporttest.Experiments(), o)
	})
	for _, gap := range []string{"\u00a0（", " （", "&nbsp;（"} {
		if i := strings.Index(page, gap); i >= 0 {
			t.Errorf("a space before a full-width bracket: %q", page[max(0, i-40):min(len(page), i+40)])
		}
	}
}
