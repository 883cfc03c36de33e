package reports

// FileNav is the navigation bar of report files written together (the
// demo's out/): each page links the other kinds in its language and
// itself in the other language, by relative file name, so a reader who
// opened one file offline reaches the others. Without it the files had no
// way to each other; the live dashboards have their own nav (dashboards).
//
// files maps each kind (of Kinds) and language to its file name; here is
// the kind of the page being written.
func FileNav(lang, here string, files map[[2]string]string) []NavLink {
	l, err := NewLocale(lang)
	if err != nil {
		return nil
	}
	var nav []NavLink
	for _, kind := range Kinds {
		if f, ok := files[[2]string{kind, l.Lang}]; ok {
			nav = append(nav, NavLink{Href: f, Label: l.T(titleKey(kind)), Kind: kind, Here: kind == here})
		}
	}
	for _, other := range Langs {
		if other == l.Lang {
			continue
		}
		if f, ok := files[[2]string{here, other}]; ok {
			nav = append(nav, NavLink{Href: f, Label: langName(other)})
		}
	}
	return nav
}

// titleKey is the message of a report kind's title.
func titleKey(kind string) string {
	if kind == "experiments" {
		return "exp.title"
	}
	return kind + ".title"
}

// langName is a language's name in itself, as the filter form offers it.
func langName(lang string) string {
	if lang == LangZH {
		return "中文"
	}
	return "English"
}
