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

// TestShadeLabelOffTheLines: a shaded band's label ("promo" / 大促) stands
// at the top of the plot, where a line peaking on the promotion day is
// drawn: the demo's QA page had its violations peak under the label, and
// on a phone an alert's spike the day after the promotion ran through it
// (the label reaches past a band narrower than itself). No point of a
// line lies under the label now, at a laptop's width or a phone's.
func TestShadeLabelOffTheLines(t *testing.T) {
	actx := chromiumAllocator(t)
	dir := t.TempDir()
	for _, lang := range reports.Langs {
		q := reporttest.QA()
		q.Scope.PromotionDays = []string{"2026-11-18"}
		for i := range q.Daily {
			if i == 2 { // the promotion day: the week's peak, as on the demo
				q.Daily[i].Violations, q.Daily[i].WithViolation = 170, 160
			}
		}
		path := filepath.Join(dir, "qa."+lang+".html")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := reports.RenderQA(f, q, reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		f.Close()
		for _, width := range []int64{1400, 390} {
			ctx, cancel := chromedp.NewContext(actx)
			ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
			var emu []chromedp.EmulateViewportOption
			if width < 600 {
				emu = append(emu, chromedp.EmulateMobile)
			}
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900, emu...)); err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(ctx, chromedp.Navigate("file://"+path)); err != nil {
				t.Fatal(err)
			}
			under, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => {
  const inst = echarts.getInstanceByDom(document.getElementById('chart-qa-trend'));
  const boxes = [];
  inst.getZr().storage.getDisplayList(true).forEach(e => {
    if (!e.style || typeof e.style.text !== 'string' || !/^(promo|大促)$/.test(e.style.text)) return;
    const r = e.getBoundingRect().clone(), m = e.getComputedTransform();
    if (m) r.applyTransform(m);
    boxes.push(r);
  });
  if (!boxes.length) { const all = []; inst.getZr().storage.getDisplayList(true).forEach(e => { if (e.style && typeof e.style.text === "string") all.push(JSON.stringify(e.style.text)); }); return ["the label is not drawn whole, its texts: " + all.join(" ")]; }
  const out = [];
  inst.getModel().eachSeries(sm => {
    const pts = sm.subType === 'line' && sm.getData().getLayout('points');
    if (!pts) return;
    for (let i = 0; i + 1 < pts.length; i += 2) {
      boxes.forEach(r => {
        if (pts[i] >= r.x - 2 && pts[i] <= r.x + r.width + 2 && pts[i + 1] <= r.y + r.height + 2)
          out.push(sm.name + ' point ' + (i / 2) + ' at y ' + Math.round(pts[i + 1]) + ', label to y ' + Math.round(r.y + r.height));
      });
    }
  });
  return out;
})()`))
			cancelTimeout()
			cancel()
			if err != nil {
				t.Fatalf("%s %d px: %v", lang, width, err)
			}
			for _, u := range under {
				t.Errorf("%s %d px: under the promotion day's label: %s", lang, width, u)
			}
		}
	}
}
