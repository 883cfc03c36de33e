package dashboards

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/convintel/convintel/ingest/simulate"
	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/reporttest"
)

const chromiumPath = "/usr/bin/chromium"

// screenshotDir is ./out/screenshots at the repository root.
var screenshotDir = filepath.Join("..", "out", "screenshots")

// pageState is what the browser test reads from a page after it drew.
type pageState struct {
	Charts int      `json:"charts"`
	Drawn  int      `json:"drawn"`
	Bad    []string `json:"bad"`
	Pwned  bool     `json:"pwned"`
	Scroll int      `json:"scroll"`
	Width  int      `json:"width"`
}

const pageProbe = `(() => {
  const divs = Array.from(document.querySelectorAll('.chart'));
  const bad = divs.filter(d => !(d.querySelector('canvas, svg') && window.echarts && echarts.getInstanceByDom(d))).map(d => d.id);
  return {charts: divs.length, drawn: (window.convintelChartsDrawn === undefined ? -1 : window.convintelChartsDrawn),
    bad: bad, pwned: !!window.__pwned, scroll: document.documentElement.scrollWidth, width: window.innerWidth};
})()`

// TestBrowser opens every report file and every dashboard page in a real
// headless Chromium, on a laptop and a phone viewport: no JavaScript
// error, every chart drew (a canvas inside and an ECharts instance), the
// hostile fixture text did not run, the page does not scroll sideways.
// Screenshots go to out/screenshots for review.
func TestBrowser(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("headless-browser test skipped: %s not found (apt-get install -y chromium)", chromiumPath)
	}
	if err := os.MkdirAll(screenshotDir, 0o755); err != nil {
		t.Fatal(err)
	}
	type target struct{ name, url string }
	var targets []target

	// The self-contained report files, rendered from fixed data with
	// ECharts inline, opened from disk with no server at all.
	dir := t.TempDir()
	for _, lang := range reports.Langs {
		for _, kind := range reports.Kinds {
			path := filepath.Join(dir, kind+"."+lang+".html")
			f, err := os.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			o := reports.RenderOptions{Lang: lang}
			switch kind {
			case "weekly":
				err = reports.RenderWeekly(f, reporttest.Weekly(), o)
			case "alerts":
				err = reports.RenderAlerts(f, reporttest.Alerts(), o)
			case "gmv":
				err = reports.RenderGMV(f, reporttest.GMV(), o)
			case "qa":
				err = reports.RenderQA(f, reporttest.QA(), o)
			case "agents":
				err = reports.RenderAgents(f, reporttest.Agents(), o)
			case "experiments":
				err = reports.RenderExperiments(f, reporttest.Experiments(), o)
			}
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			targets = append(targets, target{"report-" + kind + "." + lang, "file://" + path})
		}
	}

	// The live dashboards on simulated data.
	if !testing.Short() {
		conn, from, to := loadSimulated(t)
		srv, err := New(Options{Settings: DefaultSettings(), Source: reports.ShowSource(conn), Location: reporttest.Loc,
			Now: func() time.Time { return to.Add(36 * time.Hour) }})
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(srv)
		defer ts.Close()
		week := reports.WeekOf(from.AddDate(0, 0, 14))
		rng := "from=" + from.Format(time.DateOnly) + "&to=" + to.Format(time.DateOnly)
		targets = append(targets,
			target{"dashboard-weekly.zh-CN", ts.URL + "/weekly?week=" + week.Week},
			target{"dashboard-weekly.en", ts.URL + "/weekly?week=" + week.Week + "&lang=en"},
			target{"dashboard-alerts.en", ts.URL + "/alerts?" + rng + "&lang=en"},
			target{"dashboard-gmv.zh-CN", ts.URL + "/gmv?" + rng},
			target{"dashboard-gmv.en", ts.URL + "/gmv?" + rng + "&lang=en&shop=" + simulate.ShopID(0)},
			target{"dashboard-qa.zh-CN", ts.URL + "/qa?" + rng},
			target{"dashboard-agents.en", ts.URL + "/agents?" + rng + "&lang=en"},
		)
		for _, g := range growthTargets(t) {
			targets = append(targets, target{g[0], g[1]})
		}
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	viewports := []struct {
		name          string
		width, height int64
		mobile        bool
	}{{"laptop", 1366, 900, false}, {"phone", 390, 844, true}}
	for _, tg := range targets {
		for _, vp := range viewports {
			// The phone layout is checked on the Chinese pages (longer
			// labels in fewer pixels), which keeps the test short.
			if vp.mobile && !strings.Contains(tg.name, "zh-CN") {
				continue
			}
			name := tg.name + "." + vp.name
			t.Run(name, func(t *testing.T) {
				ctx, cancel := chromedp.NewContext(bctx)
				defer cancel()
				ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
				defer cancelTimeout()
				var mu sync.Mutex
				var problems []string
				var emuOpts []chromedp.EmulateViewportOption
				if vp.mobile {
					emuOpts = append(emuOpts, chromedp.EmulateMobile)
				}
				if err := chromedp.Do(ctx, chromedp.EmulateViewport(vp.width, vp.height, emuOpts...)); err != nil {
					t.Fatal(err)
				}
				messages := chromedp.Console(ctx)
				go func() {
					for m, err := range messages {
						if err != nil {
							return
						}
						if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
							mu.Lock()
							problems = append(problems, m.String())
							mu.Unlock()
						}
					}
				}()
				if err := chromedp.Do(ctx, chromedp.Navigate(tg.url)); err != nil {
					t.Fatalf("open %s: %v", tg.url, err)
				}
				var st pageState
				deadline := time.Now().Add(20 * time.Second)
				for {
					var err error
					st, err = chromedp.Run(ctx, chromedp.Evaluate[pageState](pageProbe))
					if err != nil {
						t.Fatalf("probe: %v", err)
					}
					if st.Drawn >= 0 || time.Now().After(deadline) {
						break
					}
					time.Sleep(100 * time.Millisecond)
				}
				shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
				if err != nil {
					t.Fatalf("screenshot: %v", err)
				}
				if err := os.WriteFile(filepath.Join(screenshotDir, name+".png"), shot, 0o644); err != nil {
					t.Fatal(err)
				}
				time.Sleep(200 * time.Millisecond) // let late console messages arrive
				mu.Lock()
				defer mu.Unlock()
				if len(problems) > 0 {
					t.Errorf("JavaScript errors:\n%s", strings.Join(problems, "\n"))
				}
				if st.Drawn != st.Charts || len(st.Bad) > 0 {
					t.Errorf("%d of %d charts drew; not drawn: %v", st.Drawn, st.Charts, st.Bad)
				}
				if strings.HasPrefix(tg.name, "report-") && st.Charts < 3 {
					t.Errorf("only %d charts on a fixture report", st.Charts)
				}
				if st.Pwned {
					t.Error("hostile user text ran as script")
				}
				if st.Scroll > st.Width+1 {
					t.Errorf("page scrolls sideways: content %d px wide in a %d px viewport", st.Scroll, st.Width)
				}
				t.Log(fmt.Sprintf("%d charts drawn, %d px wide", st.Drawn, st.Scroll))
			})
		}
	}
}
