package dashboards

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/reporttest"
	"github.com/convintel/convintel/warehouse/chtest"
)

// growthServer serves simulated traffic with the growth cases on
// (experiments, night staffing, order history): the growth pages'
// data. Its server lives until the test binary ends.
func growthServer(t *testing.T) (*httptest.Server, time.Time, time.Time) {
	t.Helper()
	growth.once.Do(func() {
		conn, db := chtest.New(&keepAlive{t})
		from, to := reporttest.Load(t, conn, db, reporttest.GrowthConfig())
		// the experiments and arms named as the demo names them (TestBrowser:
		// "Current script (control)" wrapped in a table with room)
		names, err := reports.ReadDimensions(strings.NewReader("kind,id,zh,en\n" +
			"experiment,limited-time-script,限时优惠话术,Limited-time offer script\n" +
			"experiment,free-shipping-hint,包邮提示话术,Free-shipping hint script\n" +
			"arm,control,原话术,Current script\n" +
			"arm,limited-time-script/limited-time,限时优惠,Limited-time offer\n" +
			"arm,free-shipping-hint/free-shipping-hint,提示包邮,Free-shipping hint\n"))
		if err != nil {
			t.Fatal(err)
		}
		srv, err := New(Options{Settings: DefaultSettings(), Source: reports.ShowSource(conn), Location: reporttest.Loc,
			Names: names, Now: func() time.Time { return to.Add(36 * time.Hour) }})
		if err != nil {
			t.Fatal(err)
		}
		growth.ts, growth.from, growth.to = httptest.NewServer(srv), from, to
	})
	if growth.ts == nil {
		t.Fatal("the growth simulation failed to load")
	}
	return growth.ts, growth.from, growth.to
}

// growth is the shared growth server (loaded once per test binary).
var growth struct {
	once     sync.Once
	ts       *httptest.Server
	from, to time.Time
}

// growthTargets are the growth pages TestBrowser opens and photographs.
func growthTargets(t *testing.T) [][2]string {
	ts, from, to := growthServer(t)
	rng := "from=" + from.Format(time.DateOnly) + "&to=" + to.Format(time.DateOnly)
	week := reports.WeekOf(from.AddDate(0, 0, 14))
	return [][2]string{
		{"dashboard-experiments.zh-CN", ts.URL + "/experiments?" + rng},
		{"dashboard-experiments.en", ts.URL + "/experiments?" + rng + "&lang=en"},
		// the last 7 days, so the cards have the 7 days before to compare with
		{"dashboard-gmv-growth.zh-CN", ts.URL + "/gmv?from=" + to.AddDate(0, 0, -6).Format(time.DateOnly) + "&to=" + to.Format(time.DateOnly)},
		{"dashboard-weekly-hours.en", ts.URL + "/weekly?week=" + week.Week + "&lang=en"},
	}
}

// TestGrowthPages: on simulated traffic with the growth cases the
// experiments page names the planted winner, flags the broken split and
// says a null result is not yet a difference; the GMV dashboard shows the
// bot value with its assumptions, the night share and bot-guided
// repurchase; the weekly report has the hours heat-map; in both languages.
func TestGrowthPages(t *testing.T) {
	if testing.Short() {
		t.Skip("needs ClickHouse")
	}
	ts, from, to := growthServer(t)
	rng := "from=" + from.Format(time.DateOnly) + "&to=" + to.Format(time.DateOnly)
	get := func(path string) string {
		t.Helper()
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
		}
		return string(b)
	}
	has := func(page, what string, parts ...string) {
		t.Helper()
		for _, p := range parts {
			if !strings.Contains(page, p) {
				t.Errorf("%s lacks %q", what, p)
			}
		}
	}
	week := reports.WeekOf(from.AddDate(0, 0, 14))
	has(get("/experiments?"+rng+"&lang=en"), "experiments (en)", "limited-time-script", "Broken split.",
		"What these numbers do not prove", "free-shipping-hint")
	has(get("/experiments?"+rng), "experiments (zh)", "分流异常", "这些数字不能证明什么")
	// The simulated arms are far below the planned sample: the planted
	// winner is labelled provisional and the peeking note is shown.
	has(get("/experiments?"+rng+"&lang=en"), "experiments (en)", "Leading, not final yet.", "Read before the planned sample")
	has(get("/experiments?"+rng), "experiments (zh)", "暂时领先，尚未定论。", "未达计划样本即查看")
	has(get("/gmv?"+rng+"&lang=en"), "gmv (en)", "Agent hours saved", "Assumptions: an agent hour costs", "Night order share",
		"Bot-guided repurchase GMV")
	has(get("/weekly?week="+week.Week), "weekly (zh)", "全时段", "chart-hours")
}
