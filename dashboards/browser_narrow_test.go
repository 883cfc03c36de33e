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

// TestNarrowDateChartKeepsThePageAlive: a date chart squeezed too narrow
// for two of its day labels (a hidden or zero-width box, then a resize)
// froze the page: page.js searched for a label step above the number of
// days and never ended. Now it names the first and the last day. Drawn in
// Chromium; a frozen page fails on the time limit.
func TestNarrowDateChartKeepsThePageAlive(t *testing.T) {
	actx := chromiumAllocator(t)
	path := filepath.Join(t.TempDir(), "gmv.html")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := reports.RenderGMV(f, reporttest.GMV(), reports.RenderOptions{Lang: reports.LangEN}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 30*time.Second)
	defer cancelTimeout()
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+path)); err != nil {
		t.Fatal(err)
	}
	for _, width := range []string{"0px", "8px", "900px"} {
		got, err := chromedp.Run(ctx, chromedp.Evaluate[[]any](`(() => {
  const el = document.getElementById('chart-gmv');
  el.style.width = '`+width+`';
  window.dispatchEvent(new Event('resize'));
  const x = echarts.getInstanceByDom(el).getOption().xAxis[0];
  const f = x.axisLabel.interval, n = x.data.length;
  if (typeof f !== 'function') return [n, String(f)];
  return [n, f(0), f(1), f(n - 1)];
})()`))
		if err != nil {
			t.Fatalf("width %s: the page did not answer (frozen?): %v", width, err)
		}
		if width == "900px" {
			continue // wide enough: whatever step fits; only that it answered
		}
		if len(got) != 4 || got[1] != true || got[2] != false || got[3] != true {
			t.Errorf("width %s: labels [days, first, second, last] = %v, want the first and the last day only", width, got)
		}
	}
}
