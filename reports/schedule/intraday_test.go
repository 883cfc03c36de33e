package schedule

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/announce"
	"github.com/convintel/convintel/reports/reporttest"
	"github.com/convintel/convintel/simulate"
	"github.com/convintel/convintel/warehouse"
	"github.com/convintel/convintel/warehouse/chtest"
)

// TestIntradayAnnouncedOnce: the hourly job posts a shop's new intraday
// alert as one digest; rerunning the slot, the next hours (still firing)
// and the day's alert run (the intraday alert became the day's) do not
// post it again; a muted rule is shown as muted and never posted.
func TestIntradayAnnouncedOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("needs ClickHouse")
	}
	conn, db := chtest.New(t)
	cfg := simulate.DefaultConfig()
	cfg.Seed, cfg.Days, cfg.Shops, cfg.ConsultationsPerShopDay = 5, 16, 2, 200
	// Buyers who ask about a product topic order less (on the baseline
	// days too): what makes the surge's money at stake > 0. Without it the
	// askers' baseline conversion is the others' plus noise.
	cfg.TopicOrderFactor = 0.5
	cfg.Anomalies = []simulate.Anomaly{
		simulate.TopicSurge{Shop: "shop-01", Product: "p01-milk-powder", Topic: "shelf_life", Day: 15, Factor: 80, StartHour: 10},
		simulate.FallbackSpike{Shop: "shop-02", Day: 15, Rate: 0.6, StartHour: 9},
	}
	from, to := reporttest.Load(t, conn, db, cfg)
	ctx := context.Background()
	// The fallback spike's shop is muted: computed, shown, never posted.
	if _, err := metrics.SaveMute(ctx, conn, metrics.Mute{Shop: "shop-02", Rule: metrics.RuleFallbackSpike, From: to.AddDate(0, 0, -1), To: to, Reason: "bot retraining"}); err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	var posts []string
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		mu.Lock()
		posts = append(posts, string(raw))
		mu.Unlock()
		io.WriteString(w, "ok")
	}))
	defer hook.Close()
	rs := reports.DefaultSettings()
	rs.Languages = []string{reports.LangEN}
	rs.Webhooks = []announce.Webhook{{Kind: announce.Slack, URL: hook.URL + "/slack"}}
	now := to.Add(13*time.Hour + 10*time.Minute)
	s, err := New(Options{Cluster: warehouse.Single(conn, db), Metrics: metrics.DefaultSettings(), Reports: rs, ArchiveDir: t.TempDir(),
		HTTPClient: hook.Client(), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	count := func() int { mu.Lock(); defer mu.Unlock(); return len(posts) }
	if err := s.RunSlot(ctx, JobIntraday, now); err != nil {
		t.Fatal(err)
	}
	if count() != 1 {
		t.Fatalf("first hourly run: %d posts, want one digest for shop-01: %q", count(), posts)
	}
	// The digest names the subject for people ("p01-milk-powder · Shelf life").
	const surgeLine = "p01-milk-powder · Shelf life"
	if !strings.Contains(posts[0], "shop-01") || !strings.Contains(posts[0], surgeLine) || !strings.Contains(posts[0], "at stake") {
		t.Errorf("digest: %s", posts[0])
	}
	if strings.Contains(posts[0], "shop-02") {
		t.Errorf("a muted rule was posted: %s", posts[0])
	}
	// Rerun, later hours, the day's run: nothing new.
	for _, h := range []time.Duration{13, 14, 16} {
		now = to.Add(h*time.Hour + 10*time.Minute)
		if err := s.RunSlot(ctx, JobIntraday, now); err != nil {
			t.Fatal(err)
		}
	}
	now = to.AddDate(0, 0, 1).Add(9 * time.Hour)
	if err := s.RunSlot(ctx, JobAlerts, now); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	for _, p := range posts[1:] {
		// Other alerts may be new later (the surge's worried buyers make
		// the product's negative rate rise too): the surge is not.
		if strings.Contains(p, surgeLine) || strings.Contains(p, "shop-02 · ") && strings.Contains(p, "Fallback") {
			t.Errorf("posted again (or muted): %s", p)
		}
	}
	mu.Unlock()
	rows, err := metrics.Show(ctx, conn, "alerts", metrics.Query{From: from, To: to})
	if err != nil {
		t.Fatal(err)
	}
	var surge, muted bool
	for _, r := range rows {
		rule, _ := r.Get("rule")
		m, _ := r.Get("muted")
		h, _ := r.Get("intraday_hour")
		g, _ := r.Get("gmv_at_stake")
		if rule == metrics.RuleTopicSurge {
			surge = h.(int64) >= 11 && h.(int64) <= 13 && g.(metrics.Money) > 0
		}
		if rule == metrics.RuleFallbackSpike {
			muted = m == true
		}
	}
	if !surge || !muted {
		t.Errorf("the day's alerts: surge from an hourly run with money %v, muted fallback spike %v:\n%v", surge, muted, rows)
	}
}
