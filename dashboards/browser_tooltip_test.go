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

// TestChartTooltipsNameWhatTheyShow: hovering the weekly heat-map read
// "Consultations ● 21 596" (the hour beside the count, no weekday), and an
// alert's trend "2026-W40 ● value 64.4 %", in English on the zh page too;
// the GMV chart "stacked: the top line is the total" named a day's three
// parts but not the total its top line stands at (session 21, second
// pass). Read from the tooltips ECharts draws in Chromium.
func TestChartTooltipsNameWhatTheyShow(t *testing.T) {
	actx := chromiumAllocator(t)
	dir := t.TempDir()
	for _, lang := range reports.Langs {
		w := reporttest.Weekly()
		w.Hours = &reports.HoursHeat{}
		w.Hours.Consultations[3][21] = 596 // Thursday 21:00
		path := filepath.Join(dir, "weekly."+lang+".html")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := reports.RenderWeekly(f, w, reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		f.Close()
		alerts := filepath.Join(dir, "alerts."+lang+".html")
		if f, err = os.Create(alerts); err != nil {
			t.Fatal(err)
		}
		if err := reports.RenderAlerts(f, reporttest.Alerts(), reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		f.Close()
		gmv := filepath.Join(dir, "gmv."+lang+".html")
		if f, err = os.Create(gmv); err != nil {
			t.Fatal(err)
		}
		if err := reports.RenderGMV(f, reporttest.GMV(), reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		f.Close()
		ctx, cancel := chromedp.NewContext(actx)
		ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
		tip := func(url, script string) string {
			t.Helper()
			if err := chromedp.Do(ctx, chromedp.Navigate("file://"+url)); err != nil {
				t.Fatalf("open %s: %v", url, err)
			}
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
  `+script+`
  window.tipped = el;
  return true;
})()`)); err != nil {
				t.Fatalf("%s: %v", url, err)
			}
			if err := chromedp.Do(ctx, chromedp.Sleep(300*time.Millisecond)); err != nil {
				t.Fatal(err)
			}
			got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
  // richText tooltips (page.js) are drawn: their text is a zrender element's
  const texts = [];
  const walk = el => {
    if (el.style && typeof el.style.text === "string" && el.parent == null) texts.push(el.style.text);
    if (el.childrenRef) el.childrenRef().forEach(walk);
  };
  echarts.getInstanceByDom(window.tipped).getZr().storage.getRoots().forEach(walk);
  return texts.join(" # ").replace(/\{[a-zA-Z0-9_|]*\|/g, "").replace(/[{}]/g, "").replace(/\s+/g, " ").trim();
})()`))
			if err != nil {
				t.Fatalf("%s: %v", url, err)
			}
			return got
		}
		heat := tip(path, `const el = document.getElementById('chart-hours');
  echarts.getInstanceByDom(el).dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 3 * 24 + 21});`)
		trend := tip(alerts, `const el = [...document.querySelectorAll('.chart')].find(e => {
    const s = echarts.getInstanceByDom(e).getOption().series; return s.length && s[0].type === 'line'; });
  echarts.getInstanceByDom(el).dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 0});`)
		// the fixture's first day: ¥54,000.00 + ¥91,000.00 + ¥23,000.00
		stacked := tip(gmv, `const el = document.getElementById('chart-gmv');
  echarts.getInstanceByDom(el).dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 0});`)
		cancelTimeout()
		cancel()
		if want := map[string]string{
			reports.LangEN: "11-16 Bot ¥54,000.00 Agent ¥91,000.00 Unattributed ¥23,000.00 Total GMV ¥168,000.00",
			reports.LangZH: "11-16 机器人 ¥54,000.00 人工 ¥91,000.00 静默下单 ¥23,000.00 总 GMV ¥168,000.00",
		}[lang]; stacked != want {
			t.Errorf("%s: the stacked GMV chart's tooltip reads %q, want %q (the day's parts and the total its top line stands at)", lang, stacked, want)
		}
		if want := map[string]string{reports.LangEN: "Thu 21:00 · 596 consultations", reports.LangZH: "周四 21:00 · 596 次咨询"}[lang]; heat != want {
			t.Errorf("%s: the heat-map's tooltip reads %q, want %q", lang, heat, want)
		}
		l, _ := reports.NewLocale(lang)
		if strings.Contains(trend, "value") || !strings.Contains(trend, l.T("alerts.value_of.topic_surge")) && !strings.Contains(trend, l.T("alerts.value_of.dropoff_spike")) {
			t.Errorf("%s: an alert trend's tooltip reads %q", lang, trend)
		}
	}
}

// chromiumAllocator starts headless Chromium for a test that reads pages as
// drawn (skipped when chromiumPath is not installed); the allocator ends
// with the test. Each page then opens in a context of its own.
func chromiumAllocator(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("headless-browser test skipped: %s not found (apt-get install -y chromium)", chromiumPath)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromiumPath), chromedp.NoSandbox, chromedp.DisableGPU)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	return actx
}
