package reports

import "strings"

// FileNav is the navigation bar of report files written together (the
// demo's out/): each page links the other kinds in its language and
// itself in the other language, by relative file name, so a reader who
// opened one file offline reaches the others. Without it the files had no
// way to each other; the live dashboards have their own nav (dashboards).
//
// files maps each kind (of Kinds) and language to its file name; here is
// the kind of the page being written.
func FileNav(lang, here string, files map[[2]string]string) []NavLink {
	var list []NavFile
	for k, name := range files {
		list = append(list, NavFile{Kind: k[0], Lang: k[1], Name: name})
	}
	return PeriodFileNav(lang, here, Period{}, list)
}

// NavFile is a report file written beside others: its kind, language,
// name and the days it covers.
type NavFile struct {
	Kind, Lang, Name string
	Period           Period
}

// PeriodFileNav is FileNav over files of more than one period (the demo's
// last week and its four weeks), for a page of page's days: each kind
// links its file of the same days when one was written, else another,
// whose label then names its days ("GMV contribution · 09-07 – 10-04").
// The demo's W40 pages linked a four-week GMV dashboard under the same
// label, every amount about three times the scoreboard's, with only the
// small "Period" line saying why.
func PeriodFileNav(lang, here string, page Period, files []NavFile) []NavLink {
	l, err := NewLocale(lang)
	if err != nil {
		return nil
	}
	pick := map[[2]string]NavFile{}
	for _, f := range files {
		k := [2]string{f.Kind, f.Lang}
		if cur, ok := pick[k]; !ok || samePeriod(f.Period, page) && !samePeriod(cur.Period, page) {
			pick[k] = f
		}
	}
	var nav []NavLink
	for _, kind := range Kinds {
		if f, ok := pick[[2]string{kind, l.Lang}]; ok {
			label := l.T(titleKey(kind))
			if !samePeriod(f.Period, page) && !f.Period.From.IsZero() {
				// unbroken: a phone's nav wrapped the days apart from their page
				label += strings.ReplaceAll(" · "+shortDayRange(f.Period), " ", "\u00a0")
			}
			nav = append(nav, NavLink{Href: f.Name, Label: label, Kind: kind, Here: kind == here})
		}
	}
	for _, other := range Langs {
		if other == l.Lang {
			continue
		}
		if f, ok := pick[[2]string{here, other}]; ok {
			nav = append(nav, NavLink{Href: f.Name, Label: LangName(other)})
		}
	}
	return nav
}

// samePeriod says whether p and q cover the same days.
func samePeriod(p, q Period) bool { return p.From.Equal(q.From) && p.To.Equal(q.To) }

// titleKey is the message of a report kind's title.
func titleKey(kind string) string {
	if kind == "experiments" {
		return "exp.title"
	}
	return kind + ".title"
}

// LangName is a language's name in itself, as the filter form offers it
// (the report files' and the dashboards' navigation link the other one).
func LangName(lang string) string {
	if lang == LangZH {
		return "中文"
	}
	return "English"
}
