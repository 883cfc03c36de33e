package dashboards

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/reporttest"
)

// TestNarrowChartOfDaysKeepsThePageAlive: page.js names a chart's days
// with a step it searches for (labelEnds); laid out at no width (its
// section hidden, then a resize) or narrower than two day labels, the
// search never ended and the page froze: no click, no scroll, no script.
// Each width here froze the weekly page's daily chart before.
func TestNarrowChartOfDaysKeepsThePageAlive(t *testing.T) {
	actx := chromiumAllocator(t)
	path := filepath.Join(t.TempDir(), "weekly.html")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := reports.RenderWeekly(f, reporttest.Weekly(), reports.RenderOptions{Lang: reports.LangEN}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, width := range []string{"0px", "60px"} {
		ctx, cancel := chromedp.NewContext(actx)
		if err := chromedp.Do(ctx, chromedp.Navigate("file://"+path)); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
  document.getElementById('chart-daily').style.width = '`+width+`';
  setTimeout(() => window.dispatchEvent(new Event('resize')), 10);
  return true;
})()`)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(500 * time.Millisecond)
		tctx, cancelT := context.WithTimeout(ctx, 5*time.Second)
		if _, err := chromedp.Run(tctx, chromedp.Evaluate[int](`1 + 1`)); err != nil {
			t.Errorf("the daily chart laid out %s wide froze the page: %v", width, err)
		}
		cancelT()
		cancel()
	}
}
