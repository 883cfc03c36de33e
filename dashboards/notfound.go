package dashboards

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
)

// notFound answers an address that is no page or endpoint: a page of the
// site with the navigation for a browser, JSON naming the endpoint for a
// path under /api/. A known page asked with another method is 405.
// Before, every such address answered the bare text "404 page not found".
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead && routeOf(r.URL.Path) != "other" {
		w.Header().Set("Allow", "GET")
		http.Error(w, "method not allowed: use GET", http.StatusMethodNotAllowed)
		return
	}
	if strings.HasPrefix(r.URL.Path, "/api/") {
		apiError(w, http.StatusNotFound, fmt.Sprintf("no endpoint at %s: use /api/v1/metrics/{name}, name one of %s, e.g. /api/v1/metrics/conversion?week=2026-W40&by=shop_id",
			r.URL.Path, strings.Join(metrics.Names(), ", ")))
		return
	}
	lang := requestLang(r)
	title, msg := "页面不存在", fmt.Sprintf("没有 %s 这个页面。所有看板都在上方的导航里；数据接口是 /api/v1/metrics/{指标名}。", r.URL.Path)
	if lang == reports.LangEN {
		title, msg = "Page not found", fmt.Sprintf("There is no page at %s. Every dashboard is linked above; the JSON API is /api/v1/metrics/{name}.", r.URL.Path)
	}
	var buf bytes.Buffer
	o := reports.RenderOptions{Lang: lang, Nav: s.nav("", filters{lang: lang}), DocsURL: DocsPath}
	if err := reports.RenderNotice(&buf, title, msg, o); err != nil {
		http.NotFound(w, r)
		return
	}
	writePage(w, http.StatusNotFound, buf.Bytes())
}

// apiError writes the API's {"error": msg} answer.
func apiError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	// "week=2026-W40&by=shop_id", not "\u0026"; < and > stay escaped, so
	// an echoed parameter never reads as markup (TestInjection).
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(map[string]string{"error": msg})
	w.Write([]byte(strings.NewReplacer("<", `\u003c`, ">", `\u003e`).Replace(b.String())))
}
