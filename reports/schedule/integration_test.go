package schedule

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/announce"
	"github.com/convintel/convintel/reports/reporttest"
	"github.com/convintel/convintel/warehouse"
	"github.com/convintel/convintel/warehouse/chtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	chtest.Stop()
	os.Exit(code)
}

// TestArchiveAndAnnounce runs the weekly and alert slots on simulated
// data: the files land in the archive, a rerun of the slot rewrites the
// same bytes, and every webhook kind receives the announcement.
var examplesRe = regexp.MustCompile(`<ul class="examples">.*?</ul>`)

func withoutExamples(b []byte) []byte { return examplesRe.ReplaceAll(b, nil) }

func TestArchiveAndAnnounce(t *testing.T) {
	if testing.Short() {
		t.Skip("needs ClickHouse")
	}
	conn, db := chtest.New(t)
	cfg := reporttest.SmallConfig()
	from, to := reporttest.Load(t, conn, db, cfg)

	var mu sync.Mutex
	got := map[string][]string{}
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		kind := strings.TrimPrefix(r.URL.Path, "/")
		mu.Lock()
		got[kind] = append(got[kind], string(raw))
		mu.Unlock()
		switch kind {
		case "slack":
			io.WriteString(w, "ok")
		case "feishu":
			io.WriteString(w, `{"code":0}`)
		default:
			io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
		}
	}))
	defer hook.Close()

	rs := reports.DefaultSettings()
	rs.PublicURL = "https://ci.example.com/archive"
	for _, k := range []string{announce.DingTalk, announce.WeCom, announce.Feishu, announce.Slack} {
		rs.Webhooks = append(rs.Webhooks, announce.Webhook{Kind: k, URL: hook.URL + "/" + k})
	}
	rs.Webhooks[3].Reports = []string{"weekly"} // Slack gets the weekly report only
	dir := t.TempDir()
	reg := prometheus.NewRegistry()
	now := to.AddDate(0, 0, 1).Add(12 * time.Hour)
	s, err := New(Options{Cluster: warehouse.Single(conn, db), Metrics: metrics.DefaultSettings(), Reports: rs, ArchiveDir: dir,
		Registerer: reg, HTTPClient: hook.Client(), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// The Monday after the third simulated week reports on that week.
	week := reports.WeekOf(from.AddDate(0, 0, 14))
	slot := week.To.AddDate(0, 0, 1).Add(9 * time.Hour)
	if err := s.RunSlot(ctx, JobWeekly, slot); err != nil {
		t.Fatal(err)
	}
	var first [][]byte
	for _, lang := range rs.Languages {
		b, err := os.ReadFile(ArchivePath(dir, "weekly", week.Week, lang))
		if err != nil {
			t.Fatal(err)
		}
		first = append(first, b)
	}
	if err := s.RunSlot(ctx, JobWeekly, slot.Add(30*time.Minute)); err != nil { // same slot, later trigger
		t.Fatal(err)
	}
	for i, lang := range rs.Languages {
		b, _ := os.ReadFile(ArchivePath(dir, "weekly", week.Week, lang))
		// metrics.Show picks the knowledge-gap examples from an unordered
		// ClickHouse array, so which three appear can vary between queries;
		// everything else must be byte-identical.
		if !bytes.Equal(withoutExamples(b), withoutExamples(first[i])) {
			t.Errorf("weekly %s: rerunning the slot changed the file", lang)
		}
	}
	alertDay := to
	if err := s.RunSlot(ctx, JobAlerts, alertDay.AddDate(0, 0, 1).Add(9*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(ArchivePath(dir, "alerts", alertDay.Format(time.DateOnly), reports.LangEN)); err != nil {
		t.Fatal(err)
	}
	// A week and a day without data (serve started over an old database)
	// are neither archived nor announced: an empty page had been the
	// archive's only entry, and the webhooks had read "Consulting buyers
	// 0". Slack, which takes the weekly report, must still count 2 below.
	idle := reports.WeekOf(to.AddDate(0, 0, 60))
	if err := s.RunSlot(ctx, JobWeekly, idle.To.AddDate(0, 0, 1).Add(9*time.Hour)); err != nil {
		t.Fatal(err)
	}
	idleDay := to.AddDate(0, 0, 60)
	if err := s.RunSlot(ctx, JobAlerts, idleDay.AddDate(0, 0, 1).Add(9*time.Hour)); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{ArchivePath(dir, "weekly", idle.Week, reports.LangEN), ArchivePath(dir, "alerts", idleDay.Format(time.DateOnly), reports.LangEN)} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s archived for a period without data", p)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for _, k := range []string{announce.DingTalk, announce.WeCom, announce.Feishu, announce.Slack} {
		if len(got[k]) < 2 {
			t.Errorf("%s received %d weekly announcements, want 2 (one per slot run)", k, len(got[k]))
			continue
		}
		var body map[string]any
		if err := json.Unmarshal([]byte(got[k][0]), &body); err != nil {
			t.Errorf("%s: %v", k, err)
		}
		if !strings.Contains(got[k][0], week.Week) || !strings.Contains(got[k][0], "https://ci.example.com/archive/weekly/"+week.Week+".zh-CN.html") {
			t.Errorf("%s announcement lacks the week or the link: %s", k, got[k][0])
		}
	}
	t.Logf("announcements: dingtalk %d, wecom %d, feishu %d, slack %d", len(got["dingtalk"]), len(got["wecom"]), len(got["feishu"]), len(got["slack"]))
	if len(got["slack"]) != 2 {
		t.Errorf("slack, limited to weekly, received %d posts", len(got["slack"]))
	}
	if s.LastCompleted(JobWeekly).IsZero() || s.LastCompleted(JobAlerts).IsZero() {
		t.Error("state not recorded")
	}
}

// TestSlotsSharedThroughTheDatabase: two schedulers, as on two `serve`
// replicas with their own state files, share one database. A slot the
// first completed is not run again by the second (no repeated report or
// webhook after a leader change), which runs only the next slot, with the
// first one's slot as its previous; the first, leading again, resumes
// after that.
func TestSlotsSharedThroughTheDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("needs ClickHouse")
	}
	conn, db := chtest.New(t)
	ctx := context.Background()
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	now := at("2026-11-02 10:00")
	type run struct{ slot, prev time.Time }
	replica := func() (*Scheduler, *[]run) {
		s, err := New(Options{Cluster: warehouse.Single(conn, db), Metrics: metrics.DefaultSettings(), Reports: reports.DefaultSettings(),
			ArchiveDir: t.TempDir(), Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		runs := &[]run{}
		s.run = func(_ context.Context, job string, slot, prev time.Time) error {
			*runs = append(*runs, run{slot, prev})
			return nil
		}
		return s, runs
	}
	// Both start before either ran anything.
	a, aRuns := replica()
	b, bRuns := replica()
	expect := func(name string, runs *[]run, want ...run) {
		t.Helper()
		ok := len(*runs) == len(want)
		for i := 0; ok && i < len(want); i++ {
			ok = (*runs)[i].slot.Equal(want[i].slot) && (*runs)[i].prev.Equal(want[i].prev)
		}
		if !ok {
			t.Fatalf("%s ran %v, want %v", name, *runs, want)
		}
		*runs = nil
	}
	for _, s := range []*Scheduler{a, b} {
		if err := s.RunDue(ctx, JobWeekly); err != nil {
			t.Fatal(err)
		}
	}
	expect("first leader", aRuns, run{at("2026-11-02 09:00"), time.Time{}})
	expect("second replica, same slot", bRuns)
	if got := b.LastCompleted(JobWeekly); !got.Equal(at("2026-11-02 09:00")) {
		t.Fatalf("second replica's last completed weekly slot %s, want the first one's", got)
	}

	now = at("2026-11-09 10:00") // the second leads now
	if err := b.RunDue(ctx, JobWeekly); err != nil {
		t.Fatal(err)
	}
	expect("second leader", bRuns, run{at("2026-11-09 09:00"), at("2026-11-02 09:00")})
	if err := a.RunDue(ctx, JobWeekly); err != nil {
		t.Fatal(err)
	}
	expect("first replica after the second led", aRuns)

	// A scheduler started afresh (a new replica, no state file) resumes
	// from the database too.
	c, cRuns := replica()
	now = at("2026-11-16 10:00")
	if err := c.RunDue(ctx, JobWeekly); err != nil {
		t.Fatal(err)
	}
	expect("new replica", cRuns, run{at("2026-11-16 09:00"), at("2026-11-09 09:00")})
}
