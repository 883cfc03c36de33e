package announce

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

var msg = Message{
	Title:    "询单转化周报 2026-W47",
	Lines:    []string{"询单→下单 35.0 % (+1.2 个百分点)", "product [x](http://evil) <b>&"},
	Link:     "https://ci.example.com/archive/weekly/2026-W47.zh-CN.html",
	LinkText: "打开报告",
}

// TestFormats posts to a local server that checks each service's message
// shape and answers the way the service does.
func TestFormats(t *testing.T) {
	f := func(kind, secret string, check func(t *testing.T, r *http.Request, body map[string]any), answer string) {
		t.Helper()
		var hits atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			if r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
				t.Errorf("%s: %s with content type %q", kind, r.Method, r.Header.Get("Content-Type"))
			}
			raw, _ := io.ReadAll(r.Body)
			var body map[string]any
			if err := json.Unmarshal(raw, &body); err != nil {
				t.Errorf("%s: body is not JSON: %s", kind, raw)
			}
			check(t, r, body)
			io.WriteString(w, answer)
		}))
		defer srv.Close()
		w := Webhook{Kind: kind, URL: srv.URL + "/hook?access_token=abc", Secret: secret}
		if err := w.Validate(); err != nil {
			t.Fatal(err)
		}
		if err := Send(context.Background(), srv.Client(), w, msg); err != nil {
			t.Errorf("%s: %v", kind, err)
		}
		if hits.Load() != 1 {
			t.Errorf("%s: %d requests, want 1", kind, hits.Load())
		}
	}
	f(DingTalk, "SECdingsecret", func(t *testing.T, r *http.Request, b map[string]any) {
		md := b["markdown"].(map[string]any)
		text := md["text"].(string)
		if b["msgtype"] != "markdown" || md["title"] != msg.Title || !strings.Contains(text, "[打开报告]("+msg.Link+")") {
			t.Errorf("dingtalk body %v", b)
		}
		if strings.Contains(text, "[x](http://evil)") || strings.Contains(text, "<b>") {
			t.Errorf("dingtalk: user text forms markdown: %q", text)
		}
		q := r.URL.Query()
		mac := hmac.New(sha256.New, []byte("SECdingsecret"))
		mac.Write([]byte(q.Get("timestamp") + "\nSECdingsecret"))
		if want := base64.StdEncoding.EncodeToString(mac.Sum(nil)); q.Get("sign") != want || q.Get("access_token") != "abc" {
			t.Errorf("dingtalk signature %q, want %q", q.Get("sign"), want)
		}
	}, `{"errcode":0,"errmsg":"ok"}`)
	f(WeCom, "", func(t *testing.T, r *http.Request, b map[string]any) {
		content := b["markdown"].(map[string]any)["content"].(string)
		if b["msgtype"] != "markdown" || !strings.HasPrefix(content, "**"+msg.Title+"**") || !strings.Contains(content, "> 询单→下单") {
			t.Errorf("wecom body %v", b)
		}
	}, `{"errcode":0,"errmsg":"ok"}`)
	f(Feishu, "feishusecret", func(t *testing.T, r *http.Request, b map[string]any) {
		post := b["content"].(map[string]any)["post"].(map[string]any)["zh_cn"].(map[string]any)
		content := post["content"].([]any)
		last := content[len(content)-1].([]any)[0].(map[string]any)
		if b["msg_type"] != "post" || post["title"] != msg.Title || last["tag"] != "a" || last["href"] != msg.Link {
			t.Errorf("feishu body %v", b)
		}
		mac := hmac.New(sha256.New, []byte(b["timestamp"].(string)+"\nfeishusecret"))
		if b["sign"] != base64.StdEncoding.EncodeToString(mac.Sum(nil)) {
			t.Errorf("feishu signature %v", b["sign"])
		}
	}, `{"code":0,"msg":"success","data":{}}`)
	f(Slack, "", func(t *testing.T, r *http.Request, b map[string]any) {
		text := b["text"].(string)
		if !strings.HasPrefix(text, "*"+msg.Title+"*") || !strings.Contains(text, "<"+msg.Link+"|打开报告>") || !strings.Contains(text, "&lt;b&gt;&amp;") {
			t.Errorf("slack body %q", text)
		}
	}, "ok")
}

// TestRejections: a service's error code is an error and is not retried;
// a 5xx is retried.
func TestRejections(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := hits.Add(1)
		switch r.URL.Path {
		case "/denied":
			io.WriteString(w, `{"errcode":310000,"errmsg":"keywords not in content"}`)
		case "/flaky":
			if n%2 == 1 {
				w.WriteHeader(http.StatusBadGateway)
				return
			}
			io.WriteString(w, `{"code":0}`)
		case "/gone":
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	defer srv.Close()
	err := Send(context.Background(), srv.Client(), Webhook{Kind: DingTalk, URL: srv.URL + "/denied"}, msg)
	if err == nil || !strings.Contains(err.Error(), "310000") || hits.Load() != 1 {
		t.Errorf("denied: err %v after %d requests", err, hits.Load())
	}
	hits.Store(0)
	if err := Send(context.Background(), srv.Client(), Webhook{Kind: Feishu, URL: srv.URL + "/flaky"}, msg); err != nil || hits.Load() != 2 {
		t.Errorf("flaky: err %v after %d requests, want success after 2", err, hits.Load())
	}
	hits.Store(0)
	if err := Send(context.Background(), srv.Client(), Webhook{Kind: Slack, URL: srv.URL + "/gone"}, msg); err == nil || hits.Load() != 1 {
		t.Errorf("gone: err %v after %d requests", err, hits.Load())
	}
}

func TestValidate(t *testing.T) {
	f := func(w Webhook, ok bool) {
		t.Helper()
		if err := w.Validate(); (err == nil) != ok {
			t.Errorf("%+v: err %v", w, err)
		}
	}
	f(Webhook{Kind: "dingtalk", URL: "https://oapi.dingtalk.com/robot/send?access_token=x"}, true)
	f(Webhook{Kind: "teams", URL: "https://x"}, false)
	f(Webhook{Kind: "slack", URL: "hooks.slack.com"}, false)
	f(Webhook{Kind: "wecom", URL: "https://qyapi.weixin.qq.com/x", Secret: "s"}, false)
}
