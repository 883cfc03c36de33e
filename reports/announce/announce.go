package announce

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Kinds of webhook.
const (
	DingTalk = "dingtalk"
	WeCom    = "wecom"
	Feishu   = "feishu"
	Slack    = "slack"
)

// Webhook is one configured chat webhook.
type Webhook struct {
	// Kind is dingtalk, wecom, feishu or slack.
	Kind string `yaml:"kind"`
	URL  string `yaml:"url"`
	// Secret signs DingTalk ("加签") and Feishu ("签名校验") requests.
	Secret string `yaml:"secret"`
	// Reports limits the webhook to some of weekly, alerts; empty: all.
	Reports []string `yaml:"reports"`
}

// Validate checks the webhook's settings.
func (w Webhook) Validate() error {
	switch w.Kind {
	case DingTalk, WeCom, Feishu, Slack:
	default:
		return fmt.Errorf("kind %q: use dingtalk, wecom, feishu or slack", w.Kind)
	}
	u, err := url.Parse(w.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("url %q: give the webhook's https URL", w.URL)
	}
	if w.Secret != "" && w.Kind != DingTalk && w.Kind != Feishu {
		return fmt.Errorf("secret: only dingtalk and feishu sign requests")
	}
	return nil
}

// Wants says whether the webhook announces report kind.
func (w Webhook) Wants(kind string) bool {
	if len(w.Reports) == 0 {
		return true
	}
	for _, r := range w.Reports {
		if r == kind {
			return true
		}
	}
	return false
}

// Message is what to announce: a title, a few plain lines and a link.
type Message struct {
	Title    string
	Lines    []string
	Link     string
	LinkText string
}

// Request returns the URL and JSON body to post for m; now is the signing
// time.
func (w Webhook) Request(m Message, now time.Time) (string, []byte, error) {
	target := w.URL
	var body any
	switch w.Kind {
	case DingTalk:
		var b strings.Builder
		fmt.Fprintf(&b, "#### %s\n\n", mdText(m.Title))
		for _, l := range m.Lines {
			fmt.Fprintf(&b, "- %s\n", mdText(l))
		}
		if m.Link != "" {
			fmt.Fprintf(&b, "\n[%s](%s)\n", mdText(m.LinkText), m.Link)
		}
		body = map[string]any{"msgtype": "markdown", "markdown": map[string]string{"title": plain(m.Title), "text": b.String()}}
		if w.Secret != "" {
			ts := strconv.FormatInt(now.UnixMilli(), 10)
			mac := hmac.New(sha256.New, []byte(w.Secret))
			mac.Write([]byte(ts + "\n" + w.Secret))
			sign := base64.StdEncoding.EncodeToString(mac.Sum(nil))
			sep := "?"
			if strings.Contains(target, "?") {
				sep = "&"
			}
			target += sep + "timestamp=" + ts + "&sign=" + url.QueryEscape(sign)
		}
	case WeCom:
		var b strings.Builder
		fmt.Fprintf(&b, "**%s**\n", mdText(m.Title))
		for _, l := range m.Lines {
			fmt.Fprintf(&b, "> %s\n", mdText(l))
		}
		if m.Link != "" {
			fmt.Fprintf(&b, "[%s](%s)", mdText(m.LinkText), m.Link)
		}
		body = map[string]any{"msgtype": "markdown", "markdown": map[string]string{"content": b.String()}}
	case Feishu:
		var content [][]map[string]string
		for _, l := range m.Lines {
			content = append(content, []map[string]string{{"tag": "text", "text": plain(l)}})
		}
		if m.Link != "" {
			content = append(content, []map[string]string{{"tag": "a", "text": plain(m.LinkText), "href": m.Link}})
		}
		msg := map[string]any{"msg_type": "post", "content": map[string]any{"post": map[string]any{
			"zh_cn": map[string]any{"title": plain(m.Title), "content": content},
		}}}
		if w.Secret != "" {
			ts := strconv.FormatInt(now.Unix(), 10)
			mac := hmac.New(sha256.New, []byte(ts+"\n"+w.Secret))
			msg["timestamp"] = ts
			msg["sign"] = base64.StdEncoding.EncodeToString(mac.Sum(nil))
		}
		body = msg
	case Slack:
		var b strings.Builder
		fmt.Fprintf(&b, "*%s*\n", slackText(m.Title))
		for _, l := range m.Lines {
			fmt.Fprintf(&b, "• %s\n", slackText(l))
		}
		if m.Link != "" {
			fmt.Fprintf(&b, "<%s|%s>", m.Link, slackText(m.LinkText))
		}
		body = map[string]any{"text": b.String()}
	default:
		return "", nil, fmt.Errorf("webhook kind %q: use dingtalk, wecom, feishu or slack", w.Kind)
	}
	raw, err := json.Marshal(body)
	return target, raw, err
}

// permanentError is a rejection that retrying will not fix.
type permanentError struct{ error }

// Send posts m, retrying network errors and 5xx answers with a doubling
// backoff (three attempts); a rejection by the service (4xx, or an error
// code in its JSON answer) is returned at once.
func Send(ctx context.Context, client *http.Client, w Webhook, m Message) error {
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	backoff := 500 * time.Millisecond
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		if attempt > 0 {
			select {
			case <-time.After(backoff):
			case <-ctx.Done():
				return ctx.Err()
			}
			backoff *= 2
		}
		if err = post(ctx, client, w, m); err == nil {
			return nil
		}
		var pe permanentError
		if errors.As(err, &pe) {
			return pe.error
		}
	}
	return err
}

func post(ctx context.Context, client *http.Client, w Webhook, m Message) error {
	target, body, err := w.Request(m, time.Now())
	if err != nil {
		return permanentError{err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return permanentError{err}
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("%s webhook: %w", w.Kind, err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode >= 500 {
		return fmt.Errorf("%s webhook: HTTP %d: %s", w.Kind, resp.StatusCode, short(answer))
	}
	if resp.StatusCode >= 300 {
		return permanentError{fmt.Errorf("%s webhook: HTTP %d: %s", w.Kind, resp.StatusCode, short(answer))}
	}
	return checkAnswer(w.Kind, answer)
}

// checkAnswer reads the service's own error code: DingTalk and WeCom
// answer {"errcode":0}, Feishu {"code":0}, Slack the text "ok".
func checkAnswer(kind string, answer []byte) error {
	if kind == Slack {
		if s := strings.TrimSpace(string(answer)); s != "ok" && s != "" {
			return permanentError{fmt.Errorf("slack webhook: %s", short(answer))}
		}
		return nil
	}
	var r struct {
		ErrCode    *int   `json:"errcode"`
		ErrMsg     string `json:"errmsg"`
		Code       *int   `json:"code"`
		StatusCode *int   `json:"StatusCode"`
		Msg        string `json:"msg"`
	}
	if err := json.Unmarshal(answer, &r); err != nil {
		return permanentError{fmt.Errorf("%s webhook: unreadable answer %s", kind, short(answer))}
	}
	for _, c := range []*int{r.ErrCode, r.Code, r.StatusCode} {
		if c != nil && *c != 0 {
			return permanentError{fmt.Errorf("%s webhook: error %d: %s%s", kind, *c, r.ErrMsg, r.Msg)}
		}
	}
	return nil
}

func short(b []byte) string {
	if len(b) > 300 {
		b = b[:300]
	}
	return strings.TrimSpace(string(b))
}

// plain drops control characters from user text.
func plain(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' {
			return ' '
		}
		return r
	}, s)
}

// mdText keeps user text from forming Markdown links, images or HTML.
func mdText(s string) string {
	return strings.NewReplacer("[", "［", "]", "］", "<", "‹", ">", "›", "`", "'").Replace(plain(s))
}

// slackText escapes the three characters Slack's mrkdwn reserves.
func slackText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(plain(s))
}
