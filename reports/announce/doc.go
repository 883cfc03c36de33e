// Package announce posts short report announcements to chat webhooks:
// DingTalk (钉钉), WeCom (企业微信), Feishu/Lark (飞书) and Slack, each in
// its own message format and signing scheme. It knows nothing about how
// reports are built; callers hand it a Message.
package announce
