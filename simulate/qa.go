package simulate

import (
	"cmp"
	"slices"
)

// QAPlan makes agents break the quality-inspection rules of metrics.md §9
// now and then, and say near-misses that must not match, so the demo shows
// every rule and the tests have ground truth (Tally.QAViolations). Off (the
// zero value) the traffic is exactly what it was without it.
type QAPlan struct {
	Enabled bool `json:"enabled"`
	// PhraseRate: agent answers carrying a forbidden phrase (one of the four
	// categories, drawn by phraseCategoryWeights); NearMissRate: answers
	// that look like one but must not match.
	PhraseRate   float64 `json:"phrase_rate"`
	NearMissRate float64 `json:"near_miss_rate"`
	// SlowReplyRate: agent replies later than 180 s; SlowFirstResponseRate:
	// agents greeting a handoff later than 30 s. Otherwise agents answer a
	// handoff within 3–25 s.
	SlowReplyRate         float64 `json:"slow_reply_rate"`
	SlowFirstResponseRate float64 `json:"slow_first_response_rate"`
}

// DemoQAPlan is the demo's: a few violations of every kind a day.
func DemoQAPlan() QAPlan {
	return QAPlan{Enabled: true, PhraseRate: 0.01, NearMissRate: 0.03, SlowReplyRate: 0.02, SlowFirstResponseRate: 0.08}
}

// Forbidden phrases agents slip into answers, by category (metrics.md §9);
// each sentence contains a phrase of convintel's default lists.
var plantedPhrases = [4][]string{
	{"你烦不烦啊，详情页都写了", "爱买不买，就这个价", "自己看详情页", "不知道，你自己去问快递"},
	{"这款全网最低价了亲", "绝对正品，假一赔十", "我们家是全网第一", "100%有效的哦"},
	{"亲加我微信，给您优惠", "加我v发你链接", "vx同号，私聊", "可以支付宝转账，不走平台"},
	{"好评返现5元哦", "五星好评返现，截图给我", "晒图返现10元"},
}

var phraseCategoryNames = [4]string{"rude", "absolute_claim", "diversion", "inducement"}

// phraseCategoryWeights: how often each category is planted. Taken in turn
// they came out 30/30/30/32 a week on the demo's QA page, a count no real
// team produces; rude answers and off-platform diversion are what platform
// inspection finds most, review inducement least.
var phraseCategoryWeights = [4]float64{0.35, 0.2, 0.3, 0.15}

// phraseCategory draws the category of the n-th planted phrase from a hash
// of n (splitmix64), not from the generator's random stream, so the rest of
// the traffic is what it was.
func phraseCategory(n int) int {
	z := uint64(n) + 0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	z ^= z >> 31
	u := float64(z>>11) / (1 << 53)
	for i, w := range phraseCategoryWeights {
		if u < w {
			return i
		}
		u -= w
	}
	return len(phraseCategoryWeights) - 1
}

// nearMisses look like violations but contain none of the default
// phrases: 微信支付 is not 加微信, V领 is not vx, 知道 is not 不知道, a
// number or e-mail is masked before matching.
var nearMisses = []string{
	"支持微信支付和支付宝付款哦",
	"这款V领的更显瘦",
	"亲，您知道吗，这款是新品",
	"好评是对我们最大的鼓励",
	"您可以点开详情页的尺码表看看",
	"售后电话13800138000",
	"发票发您邮箱service@qq.com了",
	"销量一直很好，回购率很高",
}

// PlantedPhraseTexts and NearMissTexts are exported for tests that hold
// them against the matcher of package metrics.
func PlantedPhraseTexts() map[string][]string {
	out := map[string][]string{}
	for i, l := range plantedPhrases {
		out[phraseCategoryNames[i]] = slices.Clone(l)
	}
	return out
}

// NearMissTexts: see nearMisses.
func NearMissTexts() []string { return slices.Clone(nearMisses) }

// AgentAndBotTexts lists every text the generator can give an agent or
// the bot outside the QA plan (with {…} placeholders unfilled): none may
// contain a forbidden phrase.
func AgentAndBotTexts() []string {
	var out []string
	add := func(p phrases) { out = append(append(out, p.zh...), p.en...) }
	for _, p := range botSays {
		add(p)
	}
	for _, p := range agentSays {
		add(p)
	}
	for _, p := range topicAnswers {
		add(p)
	}
	add(botFallback)
	return out
}

// NegativeTexts are the customer texts the generator means as negative;
// tests pin sentiment with them so §9's negative rule does not depend on
// model weights.
func NegativeTexts() []string { return append(slices.Clone(annoyed.zh), annoyed.en...) }

// agentText picks an agent answer under the QA plan: a forbidden phrase
// (returned with its category), a near-miss, or "" for the usual answer.
func (c *convo) agentText() (text, category string) {
	q := c.g.cfg.QA
	if !q.Enabled || c.en {
		return "", ""
	}
	r := c.g.rng.Float64()
	switch {
	case r < q.PhraseRate:
		c.g.qaPhraseN++
		ci := phraseCategory(c.g.qaPhraseN)
		l := plantedPhrases[ci]
		return l[c.g.rng.IntN(len(l))], phraseCategoryNames[ci]
	case r < q.PhraseRate+q.NearMissRate:
		return nearMisses[c.g.rng.IntN(len(nearMisses))], ""
	}
	return "", ""
}

// QAViolationRow is one §9 violation of the emitted traffic: the planted
// phrases as the generator wrote them, the other rules computed from the
// emitted events (service hours 08:00–24:00, SLAs 180 s and 30 s, takeover
// within 60 s; sentiment negative exactly for NegativeTexts; intents as
// labelled upstream, so runs checked against it use unlabelled_share 0).
type QAViolationRow struct {
	Date           string `json:"date"`
	ShopID         string `json:"shop_id"`
	ConversationID string `json:"conversation_id"`
	EventID        string `json:"event_id"`
	Responder      string `json:"responder"`
	Rule           string `json:"rule"`
	Category       string `json:"category,omitempty"`
}

// qaEvent is what the tally keeps of a conversation's event for §9.
type qaEvent struct {
	ts               int64
	id, kind, who    string
	intent, category string
	negative         bool
}

var negativeText = func() map[string]bool {
	m := map[string]bool{}
	for _, t := range NegativeTexts() {
		m[t] = true
	}
	return m
}()

func (tl *tallier) observeQA(cs *convSum, e *event, id string) {
	if !tl.cfg.QA.Enabled {
		return
	}
	q := qaEvent{ts: e.ts, id: id}
	switch e.typ {
	case evMessage:
		q.kind, q.who, q.category = e.sender, e.agent, e.qaCategory
		if e.sender == "customer" {
			if e.intent != intentGreeting && e.intent != intentThanksBye && e.intent != intentOther {
				q.intent = e.intent
			}
			q.negative = negativeText[e.text]
		}
	case evHandoff:
		q.kind = "handoff"
	default:
		return
	}
	cs.qa = append(cs.qa, q)
}

// inHours: 08:00 ≤ local time of day < 24:00.
func inHours(ms int64) bool {
	tod := (ms + 8*msHour) % msDay
	return tod >= 8*msHour
}

// qaViolations implements §9's rules on one consultation's events.
func (tl *tallier) qaViolations(cs *convSum, shop, conv string) {
	ev := cs.qa
	slices.SortFunc(ev, func(a, b qaEvent) int { return cmp.Or(cmp.Compare(a.ts, b.ts), cmp.Compare(a.id, b.id)) })
	date := tl.date(cs.start)
	add := func(e qaEvent, resp, rule, cat string) {
		tl.t.QAViolations = append(tl.t.QAViolations, QAViolationRow{date, shop, conv, e.id, resp, rule, cat})
	}
	resp := func(e qaEvent) string {
		if e.kind == "bot" {
			return "bot"
		}
		return e.who
	}
	var pending, handoffAt *qaEvent
	hasBot, lastResp := false, "unassigned"
	for i := range ev {
		e := &ev[i]
		switch e.kind {
		case "customer":
			if pending == nil {
				pending = e
			}
		case "handoff":
			if handoffAt == nil {
				handoffAt = e
			}
		case "bot", "agent":
			if e.category != "" {
				add(*e, resp(*e), "forbidden_phrase", e.category)
			}
			if e.kind == "bot" {
				hasBot = true
			}
			if e.kind == "agent" && pending != nil && inHours(pending.ts) && e.ts-pending.ts > 180_000 {
				add(*e, e.who, "slow_reply", "")
			}
			if e.kind == "agent" && handoffAt != nil {
				if inHours(handoffAt.ts) && e.ts-handoffAt.ts > 30_000 {
					add(*e, e.who, "slow_first_response", "")
				}
				handoffAt = nil
			}
			pending = nil
			lastResp = resp(*e)
		}
	}
	// 紧急接管: customer messages before the first agent message or handoff.
	take := -1
	for i, e := range ev {
		if e.kind == "agent" || e.kind == "handoff" {
			take = i
			break
		}
	}
	if hasBot {
		count := map[string]int{}
		prevNeg := false
		var custs []int
		for i, e := range ev {
			if e.kind == "customer" {
				custs = append(custs, i)
			}
		}
		for k, i := range custs {
			e := ev[i]
			rep := false
			if e.intent != "" {
				count[e.intent]++
				rep = count[e.intent] == 3
			}
			neg := e.negative && prevNeg
			prevNeg = e.negative
			if take >= 0 && i > take {
				break
			}
			if !rep && !neg {
				continue
			}
			taken := take >= 0 && ev[take].ts <= e.ts+60_000 && (k+1 == len(custs) || ev[take].ts < ev[custs[k+1]].ts)
			if !taken {
				add(e, "bot", "missed_takeover", "")
			}
		}
	}
	// left unanswered: the last customer message got no bot/agent message.
	for i := len(ev) - 1; i >= 0; i-- {
		if ev[i].kind == "bot" || ev[i].kind == "agent" {
			break
		}
		if ev[i].kind == "customer" {
			if inHours(ev[i].ts) {
				add(ev[i], lastResp, "left_unanswered", "")
			}
			break
		}
	}
	cs.qa = nil
}
