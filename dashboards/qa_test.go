package dashboards

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/reporttest"
)

// TestDisputes: a supervisor marks a violation disputed from the QA page
// (a same-origin form post); it is stored beside the violation, shown
// apart, and a cross-site post is refused. The agent scoreboard serves too.
func TestDisputes(t *testing.T) {
	conn, from, to := loadSimulated(t)
	ctx := context.Background()
	srv, err := New(Options{Settings: DefaultSettings(), Source: reports.ShowSource(conn), Location: reporttest.Loc,
		Now:      func() time.Time { return to.Add(36 * time.Hour) },
		Disputes: func(ctx context.Context, d metrics.Dispute) error { return metrics.RecordDispute(ctx, conn, d) }})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	rows, err := metrics.Show(ctx, conn, "violations", metrics.Query{From: from, To: to})
	if err != nil || len(rows) == 0 {
		t.Fatalf("no violations to dispute (%v)", err)
	}
	id, _ := rows[0].Get("violation_id")
	rng := "from=" + from.Format(time.DateOnly) + "&to=" + to.Format(time.DateOnly)
	page := func(path string) string {
		res, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d %s", path, res.StatusCode, b)
		}
		return string(b)
	}
	if p := page("/qa?" + rng + "&lang=en"); !strings.Contains(p, `action="/qa/disputes"`) || !strings.Contains(p, "No disputed violations.") {
		t.Fatal("the QA page has no dispute form, or already lists a disputed violation")
	}
	post := func(origin string) int {
		req, _ := http.NewRequest("POST", ts.URL+"/qa/disputes", strings.NewReader(url.Values{"violation_id": {id.(string)}, "status": {"disputed"},
			"from": {from.Format(time.DateOnly)}, "to": {to.Format(time.DateOnly)}, "lang": {"en"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if code := post("https://evil.example"); code != http.StatusForbidden {
		t.Errorf("cross-origin dispute: %d, want 403", code)
	}
	if code := post(ts.URL); code != http.StatusSeeOther {
		t.Fatalf("dispute: %d, want 303", code)
	}
	rows, _ = metrics.Show(ctx, conn, "violations", metrics.Query{From: from, To: to})
	if d, _ := rows[0].Get("dispute"); d != metrics.DisputeDisputed {
		t.Errorf("stored dispute %q, want disputed", d)
	}
	if p := page("/qa?" + rng + "&lang=en"); strings.Contains(p, "No disputed violations.") {
		t.Error("the disputed violation is not listed apart")
	}
	if p := page("/agents?" + rng + "&lang=en"); !strings.Contains(p, "Bot") || !strings.Contains(p, "Replies within 3\u00a0min") { // a no-break space joins number and unit
		t.Error("the agent scoreboard lacks the bot row or the 3-minute rate")
	}
	// Undo, so the shared data set stays as other tests expect.
	_ = conn.Exec(ctx, "TRUNCATE TABLE qa_disputes")
}
