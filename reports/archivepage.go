package reports

import "io"

// ArchiveIndex is what the dashboards' /archive/ page lists: the report
// files the scheduler wrote, by kind, in words the caller chose (the
// dashboards hold its texts in both languages).
type ArchiveIndex struct {
	Title, Heading, Intro string
	Kinds                 []ArchiveKind
}

// ArchiveKind is one kind of archived report, newest period first.
type ArchiveKind struct {
	Title string
	Items []ArchiveItem
}

// ArchiveItem is one period's files, one link per language.
type ArchiveItem struct {
	Period string
	Links  []NavLink
}

// RenderArchive writes the dashboards' page listing the report archive:
// before, /archive/ was the file server's bare listing (alerts/,
// schedule-state.json, weekly/) without the site's navigation.
func RenderArchive(w io.Writer, a ArchiveIndex, o RenderOptions) error {
	p, err := newPage(o, "error.title", "error.audience", Scope{})
	if err != nil {
		return err
	}
	p.Title, p.Audience, p.PeriodLabel, p.Filters, p.Data = a.Title, "", "", nil, a
	return p.execute(w, "archive")
}
