package reports_test

// Checks of what a reader of the simulated reports sees: artifacts a
// newcomer opening `convintel demo`'s pages would distrust. Each is called
// from TestBuildFromSimulation on its data.

import (
	"bytes"
	"encoding/csv"
	"html"
	"strings"
	"testing"

	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/simulate"
)

// simNames names the simulated shops and products as the demo's
// dimension file does.
func simNames(t *testing.T, shops int) *reports.Dimensions {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"kind", "id", "zh", "en"})
	for _, s := range simulate.Shops(shops) {
		_ = w.Write([]string{"shop", s.ID, s.Name, s.NameEN})
		for _, p := range s.Products {
			_ = w.Write([]string{"product", p.ID, p.Name, p.NameEN})
		}
	}
	w.Flush()
	d, err := reports.ReadDimensions(&b)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// checkActionNames: an alert's "what to do" names the product as the
// merchandiser knows it, not by the id the metric job stored ("Add shelf
// life … to p01-milk-powder's product page"), and points at a report, not
// at a command line ("metrics show gaps").
func checkActionNames(t *testing.T, a *reports.Alerts, names *reports.Dimensions) {
	t.Helper()
	var all []reports.Alert
	for _, g := range a.Groups {
		all = append(all, g.Alerts...)
	}
	all = append(all, a.Closed...)
	withProduct := 0
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		l = l.WithNames(names)
		var page bytes.Buffer
		if err := reports.RenderAlerts(&page, a, reports.RenderOptions{Lang: lang, Names: names}); err != nil {
			t.Fatal(err)
		}
		for _, al := range all {
			text := reports.ActionText(l, al)
			if strings.Contains(text, "metrics show") {
				t.Errorf("%s action of %s points at the command line: %q", lang, al.Rule, text)
			}
			if al.Product == "" || !strings.Contains(al.Action(lang), al.Product) {
				continue
			}
			withProduct++
			if strings.Contains(text, al.Product) || !strings.Contains(text, l.Display("product", al.Product)) {
				t.Errorf("%s action of %s shows the product id %s: %q", lang, al.Rule, al.Product, text)
			}
			if strings.Contains(page.String(), html.EscapeString(al.Action(lang))) || !strings.Contains(page.String(), html.EscapeString(text)) {
				t.Errorf("%s alerts page shows the stored action %q, not %q", lang, al.Action(lang), text)
			}
		}
	}
	if withProduct == 0 {
		t.Error("no alert names a product in its action: the planted topic surge should")
	}
}
