package dashboards

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/reporttest"
)

// TestChartFormattersMinus: the charts' own number formatters (page.js,
// "fmt:<name>") write a negative value with the minus sign U+2212, as the
// page's text does (reports.Minus); they wrote "-3.5 %" and "-¥1,234.50".
// Read from the charts of report files as drawn in Chromium: the
// formatters ECharts holds after the page script replaced the markers.
func TestChartFormattersMinus(t *testing.T) {
	actx := chromiumAllocator(t)
	dir := t.TempDir()
	write := func(name string, render func(f *os.File) error) string {
		path := filepath.Join(dir, name)
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := render(f); err != nil {
			t.Fatal(err)
		}
		return "file://" + path
	}
	for _, lang := range reports.Langs {
		o := reports.RenderOptions{Lang: lang}
		gmv := write("gmv."+lang+".html", func(f *os.File) error { return reports.RenderGMV(f, reporttest.GMV(), o) })
		qa := write("qa."+lang+".html", func(f *os.File) error { return reports.RenderQA(f, reporttest.QA(), o) })
		ctx, cancel := chromedp.NewContext(actx)
		ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
		read := func(url, script string) []string {
			t.Helper()
			if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
				t.Fatalf("open %s: %v", url, err)
			}
			got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => {
  const opt = id => echarts.getInstanceByDom(document.getElementById(id)).getOption();
  return `+script+`;
})()`))
			if err != nil {
				t.Fatalf("%s: %v", url, err)
			}
			return got
		}
		got := read(gmv, `[opt('chart-gmv').tooltip[0].valueFormatter(-1234.5), opt('chart-gmv').yAxis[0].axisLabel.formatter(-25000),
  opt('chart-share').tooltip[0].valueFormatter(-0.035), opt('chart-share').yAxis[0].axisLabel.formatter(-0.04),
  opt('chart-gmv').tooltip[0].valueFormatter(1234.5)]`)
		got = append(got, read(qa, `[opt('chart-qa-rules').xAxis[0].axisLabel.formatter(-12345), opt('chart-qa-rules').xAxis[0].axisLabel.formatter(-12)]`)...)
		cancelTimeout()
		cancel()
		want := map[string][]string{
			reports.LangEN: {"−¥1,234.50", "−¥25k", "−3.5 %", "−4 %", "¥1,234.50", "−12.3k", "−12"},
			reports.LangZH: {"−¥1,234.50", "−¥2.5万", "−3.5 %", "−4 %", "¥1,234.50", "−1.2万", "−12"},
		}[lang]
		if strings.Join(got, " | ") != strings.Join(want, " | ") {
			t.Errorf("%s: chart formatters of negative values wrote %q, want %q", lang, got, want)
		}
	}
}
