package dashboards

import (
	"context"
	"io"
	"net/http"
	"net/url"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
)

// buildQA renders the quality-inspection page (metrics.md §9).
func buildQA(ctx context.Context, src reports.Source, scope reports.Scope, o reports.RenderOptions, w io.Writer) ([]string, error) {
	rep, err := reports.BuildQA(ctx, src, scope)
	if err != nil {
		return nil, err
	}
	rep.Shops = withShop(rep.Shops, scope.Shop)
	return rep.Shops, reports.RenderQA(w, rep, o)
}

// buildAgents renders the agent scoreboard (metrics.md §10).
func buildAgents(ctx context.Context, src reports.Source, scope reports.Scope, o reports.RenderOptions, w io.Writer) ([]string, error) {
	rep, err := reports.BuildAgents(ctx, src, scope)
	if err != nil {
		return nil, err
	}
	rep.Shops = withShop(rep.Shops, scope.Shop)
	return rep.Shops, reports.RenderAgents(w, rep, o)
}

// dispute records a supervisor's verdict (申诉) on one violation, posted
// from the QA page's form, and goes back to the page. Only same-origin
// form posts are taken (a page elsewhere cannot post with the
// supervisor's credentials).
func (s *Server) dispute(w http.ResponseWriter, r *http.Request) {
	if s.o.Disputes == nil {
		http.Error(w, "disputes are not stored by this server", http.StatusNotFound)
		return
	}
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" {
		http.Error(w, "cross-site form posts are refused", http.StatusForbidden)
		return
	}
	if origin := r.Header.Get("Origin"); origin != "" {
		if u, err := url.Parse(origin); err != nil || u.Host != r.Host {
			http.Error(w, "cross-origin form posts are refused", http.StatusForbidden)
			return
		}
	}
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	// Who decided: the basic-auth user, "token" for a bearer token, the
	// configured user for a login-cookie session, else "local" (no
	// authentication configured: loopback only).
	who := "local"
	if u, _, ok := r.BasicAuth(); ok {
		who = u
	} else if r.Header.Get("Authorization") != "" {
		who = "token"
	} else if s.o.Settings.BasicUser != "" {
		who = s.o.Settings.BasicUser
	}
	d := metrics.Dispute{ViolationID: r.PostForm.Get("violation_id"), Status: r.PostForm.Get("status"), Note: r.PostForm.Get("note"), DecidedBy: who}
	if err := s.o.Disputes(r.Context(), d); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if c, ok := s.src.(*cache); ok {
		c.forget("violations")
	}
	back := url.Values{}
	for _, k := range []string{"from", "to", "shop", "lang"} {
		if v := r.PostForm.Get(k); v != "" {
			back.Set(k, v)
		}
	}
	http.Redirect(w, r, "/qa?"+back.Encode(), http.StatusSeeOther)
}
