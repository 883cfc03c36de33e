package main

import (
	"net/url"
	"strings"

	"gopkg.in/yaml.v3"
)

// redacted is what `convintel config` prints instead of a secret.
const redacted = "xxxxx (redacted; --show-secrets prints it)"

// secretKey says whether a YAML key holds a secret: passwords, tokens,
// webhook signing secrets, and webhook URLs (DingTalk, WeCom, Feishu and
// Slack carry the access token in the URL).
func secretKey(key string, inWebhook bool) bool {
	k := strings.ToLower(key)
	return strings.Contains(k, "password") || strings.Contains(k, "token") || strings.Contains(k, "secret") ||
		inWebhook && k == "url"
}

// redactYAML replaces secret values in a marshalled configuration, and
// the password inside a DSN (clickhouse://user:pass@host/db).
func redactYAML(n *yaml.Node, inWebhook bool) {
	switch n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode:
		for _, c := range n.Content {
			redactYAML(c, inWebhook)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			switch {
			case v.Kind == yaml.ScalarNode && v.Value != "" && secretKey(k.Value, inWebhook):
				v.Value, v.Tag, v.Style = redacted, "!!str", 0
			case v.Kind == yaml.ScalarNode && strings.Contains(v.Value, "://"):
				v.Value = redactURL(v.Value)
			default:
				redactYAML(v, inWebhook || k.Value == "webhooks")
			}
		}
	}
}

// redactURL hides a URL's password and its query (where tokens travel).
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return s
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	for k := range u.Query() {
		if secretKey(k, false) || strings.Contains(strings.ToLower(k), "key") {
			q := u.Query()
			q.Set(k, "xxxxx")
			u.RawQuery = q.Encode()
		}
	}
	return u.String()
}
