package dashboards

import (
	"bytes"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/convintel/convintel/reports"
)

// archive serves the scheduled reports under /archive/: a file as it is,
// a folder as a page of the site listing the reports by kind and period
// with a link per language (before: the file server's bare listing, with
// the scheduler's state file among the reports), a missing file as the
// site's 404 page.
func (s *Server) archive(files http.Handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		name := path.Clean("/" + strings.TrimPrefix(r.URL.Path, "/archive/"))
		f, err := http.Dir(s.o.ArchiveDir).Open(name)
		if err != nil {
			if name == "/" { // nothing archived yet: the page says so
				s.archiveIndex(w, r)
				return
			}
			s.notFound(w, r)
			return
		}
		st, err := f.Stat()
		f.Close()
		if err != nil || !st.IsDir() {
			if err != nil {
				s.notFound(w, r)
				return
			}
			files.ServeHTTP(w, r)
			return
		}
		s.archiveIndex(w, r)
	}
}

func (s *Server) archiveIndex(w http.ResponseWriter, r *http.Request) {
	lang := requestLang(r)
	l, _ := reports.NewLocale(lang)
	a := reports.ArchiveIndex{Title: "报告存档", Heading: "定时生成的报告",
		Intro: "调度器（serve 内置，或 convintel schedule）写下的报告文件：每周一 09:00 写上周的周报，每天 08:30 写前一天的预警报告，每份都有中文和英文两个文件。"}
	empty := "还没有定时生成的报告：调度器每周一 09:00 写周报，每天 08:30 写预警报告。看板页面（上方导航）随时可看任意时段。"
	if lang == reports.LangEN {
		a = reports.ArchiveIndex{Title: "Report archive", Heading: "Scheduled reports",
			Intro: "The report files the scheduler (inside serve, or convintel schedule) wrote: last week's weekly report every Monday at 09:00, the day before's early-warning report every day at 08:30, each in both languages."}
		empty = "No scheduled report has been written yet: the scheduler writes the weekly report every Monday at 09:00 and the early-warning report every day at 08:30. The dashboards (linked above) show any period at any time."
	}
	kinds, _ := os.ReadDir(s.o.ArchiveDir)
	order := map[string]int{} // a kind's place: its page's in the navigation, unknown kinds last
	for _, k := range kinds {
		if !k.IsDir() {
			continue // schedule-state.json
		}
		kind, place := reports.ArchiveKind{Title: k.Name()}, len(Pages)
		for i, pg := range Pages {
			if pg.Path == "/"+k.Name() {
				kind.Title, place = l.T(pg.TitleKey), i
			}
		}
		order[kind.Title] = place
		entries, _ := os.ReadDir(filepath.Join(s.o.ArchiveDir, k.Name()))
		byPeriod := map[string][]reports.NavLink{}
		for _, e := range entries {
			period, lg, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".html"), ".")
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".html") || !ok {
				continue
			}
			byPeriod[period] = append(byPeriod[period], reports.NavLink{Href: "/archive/" + k.Name() + "/" + e.Name(), Label: reports.LangName(lg)})
		}
		for period, links := range byPeriod {
			slices.SortFunc(links, func(x, y reports.NavLink) int { return strings.Compare(y.Label, x.Label) }) // 中文, English
			kind.Items = append(kind.Items, reports.ArchiveItem{Period: period, Links: links})
		}
		slices.SortFunc(kind.Items, func(x, y reports.ArchiveItem) int { return strings.Compare(y.Period, x.Period) })
		if len(kind.Items) > 0 {
			a.Kinds = append(a.Kinds, kind)
		}
	}
	slices.SortStableFunc(a.Kinds, func(x, y reports.ArchiveKind) int {
		if c := order[x.Title] - order[y.Title]; c != 0 {
			return c
		}
		return strings.Compare(x.Title, y.Title)
	})
	if len(a.Kinds) == 0 {
		a.Intro = empty
	}
	var buf bytes.Buffer
	o := reports.RenderOptions{Lang: lang, EChartsSrc: EChartsPath, Nav: s.nav("", filters{lang: lang}), DocsURL: DocsPath}
	if err := reports.RenderArchive(&buf, a, o); err != nil {
		s.o.Log.Error("archive page failed", "err", err)
		http.Error(w, "the archive page could not be built", http.StatusInternalServerError)
		return
	}
	writePage(w, http.StatusOK, buf.Bytes())
}
