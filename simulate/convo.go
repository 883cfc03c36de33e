package simulate

import (
	"slices"
	"strconv"
	"strings"
)

// Responder classes the generator plans (metrics.md §Common terms).
const (
	planBotOnly = iota
	planHandoff
	planHumanOnly
	planUnanswered
)

const (
	phaseNone = iota
	phaseBot
	phaseAgent
)

// Funnel stages; stageNone means the buyer only chatted.
const (
	stageNone = iota
	stageProduct
	stagePrice
	stageShipping
	stagePayment
)

// convo is one conversation being written: a time cursor and who answers.
type convo struct {
	g        *gen
	ss       *shopState
	buyer    int
	en       bool
	customer string
	channel  string
	id       string
	product  *Product
	pi       int
	t        int64
	plan     int
	phase    int
	agent    string
	agentNm  string
	fbRate   float64
	decided  bool // a substantive intent was sent (labels become optional)
	handed   bool
	botMsgs  int
	fallback int
	negative bool
	custMsgs int
	lastCust int64
	height   int
	weight   int
	surge    bool // a topic surge's extra chat: every question has product_id
	arm      *arm // the experiment arm of a bot chat (nil: none)
}

func (g *gen) newConvo(ss *shopState, ts int64, buyer int) *convo {
	g.convN++
	en := g.buyerEnglish(ss.idx, buyer)
	c := &convo{
		g: g, ss: ss, buyer: buyer, en: en,
		customer: customerID(ss.idx, buyer),
		channel:  g.buyerChannel(ss.idx, buyer, en),
		id:       "conv-" + g.seedStr + "-" + strconv.FormatUint(g.convN, 10),
		t:        ts,
		fbRate:   g.fallbackRate(ss.idx, ts),
		height:   155 + g.rng.IntN(31),
	}
	c.weight = 90 + g.rng.IntN(90)
	if en {
		c.weight = c.weight / 2
	}
	c.plan = g.nightPlan(ss.idx, ts, g.pickPlan())
	if c.plan == planBotOnly || c.plan == planHandoff {
		c.arm = g.assign(ss.idx, buyer)
	}
	switch c.plan {
	case planBotOnly, planHandoff:
		c.phase = phaseBot
	case planHumanOnly:
		c.phase = phaseAgent
		c.pickAgent()
	}
	return c
}

func (g *gen) pickPlan() int {
	c := g.cfg
	total := c.BotOnlyShare + c.HandoffShare + c.HumanOnlyShare + c.UnansweredShare
	r := g.rng.Float64() * total
	for i, w := range []float64{c.BotOnlyShare, c.HandoffShare, c.HumanOnlyShare} {
		if r < w {
			return i
		}
		r -= w
	}
	return planUnanswered
}

func (c *convo) pickAgent() {
	agents := c.ss.shop.Agents
	k := c.g.rng.IntN(len(agents))
	c.agent = agents[k]
	c.agentNm = agentNames[(c.ss.idx*3+k)%len(agentNames)]
}

func (c *convo) ev(typ eventType) *event {
	e := &event{typ: typ, ts: c.t, shop: c.ss.shop.ID, customer: c.customer, channel: c.channel, conv: c.id, resolved: -1}
	c.arm.tag(e)
	return e
}

func (c *convo) advance(minMs, maxMs int64) {
	c.t += minMs + c.g.rng.Int64N(maxMs-minMs+1)
}

func (c *convo) pick(p phrases) string {
	list := p.zh
	if c.en {
		list = p.en
	}
	return c.fill(list[c.g.rng.IntN(len(list))], "")
}

func (c *convo) fill(tpl, orderID string) string {
	if !strings.Contains(tpl, "{") {
		return tpl
	}
	var b strings.Builder
	for i := 0; i < len(tpl); i++ {
		if tpl[i] == '{' && i+2 < len(tpl) && tpl[i+2] == '}' {
			switch tpl[i+1] {
			case 'p':
				if c.product != nil {
					if c.en {
						b.WriteString(c.product.NameEN)
					} else {
						b.WriteString(c.product.Name)
					}
				} else if c.en {
					b.WriteString("item")
				} else {
					b.WriteString("这个")
				}
			case 'o':
				b.WriteString(orderID)
			case 's':
				if c.en {
					b.WriteString(c.ss.shop.NameEN)
				} else {
					b.WriteString(c.ss.shop.Name)
				}
			case 'a':
				b.WriteString(c.agentNm)
			case 'h':
				b.WriteString(strconv.Itoa(c.height))
			case 'w':
				b.WriteString(strconv.Itoa(c.weight))
			}
			i += 2
			continue
		}
		b.WriteByte(tpl[i])
	}
	return b.String()
}

func substantive(intent string) bool {
	switch intent {
	case intentGreeting, intentThanksBye, intentHumanRequest, intentOther:
		return false
	}
	return true
}

// say writes a customer message. Every message up to and including the
// first substantive one carries the upstream intent; later ones mostly do.
func (c *convo) say(intent, text, productID, orderID, topic string) {
	if c.custMsgs == 0 {
		c.advance(2*msSecond, 30*msSecond)
	} else {
		c.advance(4*msSecond, 75*msSecond)
	}
	e := c.ev(evMessage)
	c.g.msgN++
	e.messageID = "msg-" + c.g.seedStr + "-" + strconv.FormatUint(c.g.msgN, 10)
	e.sender = "customer"
	e.text = text
	e.product = productID
	e.orderID = orderID
	e.topic = topic
	if !c.decided || c.g.rng.Float64() >= c.g.cfg.UnlabelledShare {
		e.intent = intent
		e.conf = float32(0.55 + 0.44*c.g.rng.Float64())
	}
	if substantive(intent) {
		c.decided = true
	}
	if topic != "" && productID != "" {
		c.g.countTopic(c.ss.idx, c.pi, topic, c.t)
	}
	c.custMsgs++
	c.lastCust = c.t
	c.g.push(e)
}

// reply answers the last customer message by whoever serves the chat and
// reports whether the bot fell back.
func (c *convo) reply(intent, topic string) bool {
	switch c.phase {
	case phaseBot:
		c.advance(400, 2500)
		e := c.ev(evMessage)
		e.sender = "bot"
		fb := substantive(intent) && c.g.rng.Float64() < c.fbRate
		switch {
		case fb:
			e.text = c.pick(botFallback)
			e.fallback = true
			c.fallback++
		case topic != "" && topicAnswers[topic].zh != nil:
			e.text = c.pick(topicAnswers[topic])
		case botSays[intent].zh != nil:
			e.text = c.pick(botSays[intent])
		case substantive(intent):
			e.text = c.pick(botSays["after_sale"])
		default:
			e.text = c.pick(botSays[intentOther])
		}
		c.botMsgs++
		c.g.push(e)
		return fb
	case phaseAgent:
		if q := c.g.cfg.QA; q.Enabled && c.g.rng.Float64() < q.SlowReplyRate {
			c.advance(181*msSecond, 600*msSecond)
		} else {
			c.advance(6*msSecond, 80*msSecond)
		}
		e := c.ev(evMessage)
		e.sender = "agent"
		e.agent = c.agent
		planted, category := c.agentText()
		switch {
		case planted != "":
			e.text, e.qaCategory = planted, category
		case intent == intentThanksBye:
			e.text = c.pick(agentSays[intentThanksBye])
		case topic != "" && topicAnswers[topic].zh != nil && c.g.rng.Float64() < 0.6:
			e.text = c.pick(topicAnswers[topic])
		case botSays[intent].zh != nil && preSaleIntents[intent] && c.g.rng.Float64() < 0.6:
			e.text = c.pick(botSays[intent])
		default:
			e.text = c.pick(agentSays["answer"])
		}
		c.g.push(e)
	}
	return false
}

func (c *convo) botSay(key string) {
	c.advance(300, 1500)
	e := c.ev(evMessage)
	e.sender = "bot"
	e.text = c.pick(botSays[key])
	c.botMsgs++
	c.g.push(e)
}

// handoff moves a bot chat to an agent: the bot announces it, the handoff
// event follows and the agent greets after a queue wait.
func (c *convo) handoff(reason string, preamble bool) {
	if c.handed || c.phase != phaseBot {
		return
	}
	if preamble && reason == "customer_request" {
		c.say(intentHumanRequest, c.pick(buyerSays[intentHumanRequest]), "", "", "")
		c.botSay(intentHumanRequest)
	} else {
		if preamble && reason == "negative_sentiment" {
			c.say(intentOther, c.pick(annoyed), "", "", "")
			c.negative = true
		}
		c.botSay("handoff")
	}
	c.pickAgent()
	c.advance(200, 800)
	e := c.ev(evHandoff)
	e.reason = reason
	if c.g.rng.Float64() < 0.6 {
		e.agent = c.agent
	}
	c.g.push(e)
	c.handed = true
	c.phase = phaseAgent
	switch q := c.g.cfg.QA; {
	case !q.Enabled:
		c.advance(15*msSecond, 240*msSecond)
	case c.g.rng.Float64() < q.SlowFirstResponseRate:
		c.advance(31*msSecond, 240*msSecond)
	default:
		c.advance(3*msSecond, 25*msSecond)
	}
	h := c.ev(evMessage)
	h.sender = "agent"
	h.agent = c.agent
	h.text = c.pick(agentSays["hello"])
	c.g.push(h)
}

func (c *convo) handoffReason() string {
	r := c.g.rng.Float64()
	if c.fallback > 0 {
		if r < 0.5 {
			return "repeated_question"
		}
		return "low_confidence"
	}
	switch {
	case r < 0.45:
		return "customer_request"
	case r < 0.6:
		return "negative_sentiment"
	case r < 0.85:
		return "business_rule"
	case r < 0.93:
		return "low_confidence"
	}
	return "other"
}

// start writes conversation_started and, for bot chats, sometimes a welcome.
func (c *convo) start(productID string) {
	e := c.ev(evStarted)
	e.product = productID
	c.g.push(e)
	if c.phase == phaseBot && c.g.rng.Float64() < 0.15 {
		c.botSay("welcome")
	}
}

// end writes conversation_ended and perhaps a rating.
func (c *convo) end() {
	answered := c.plan != planUnanswered
	if c.g.rng.Float64() < 0.9 || (!answered && c.g.rng.Float64() < 0.5) {
		c.advance(30*msSecond, 8*msMinute)
		e := c.ev(evEnded)
		switch {
		case !answered:
			e.resolved = 0
		case c.g.rng.Float64() < 0.15:
			e.resolved = -1
		case c.fallback > 0 || c.negative:
			e.resolved = int8(c.g.rng.IntN(2))
		default:
			e.resolved = 1
			if c.g.rng.Float64() < 0.08 {
				e.resolved = 0
			}
		}
		c.g.push(e)
	}
	if answered && c.custMsgs > 0 && c.g.rng.Float64() < c.g.cfg.RatingRate {
		c.advance(5*msSecond, 90*msSecond)
		e := c.ev(evRating)
		score := 5 - c.g.rng.IntN(2)
		if c.plan == planBotOnly && c.g.rng.Float64() < 0.3 {
			score--
		}
		score -= c.fallback
		if c.negative {
			score -= 1 + c.g.rng.IntN(2)
		}
		if c.g.rng.Float64() < 0.04 {
			score = 1
		}
		e.score = uint8(min(5, max(1, score)))
		c.g.push(e)
	}
}

func (g *gen) idleChat(ss *shopState, ts int64) {
	c := g.newConvo(ss, ts, g.pickBuyer(ss))
	p := g.rng.IntN(len(ss.shop.Products))
	c.start(ss.shop.Products[p].ID)
	if c.g.rng.Float64() < 0.5 {
		c.advance(30*msSecond, 10*msMinute)
		e := c.ev(evEnded)
		c.g.push(e)
	}
}

type question struct {
	intent, topic string
	stage         int
}

func stageOf(intent string) int {
	switch intent {
	case intentProductInfo, intentSizeFit, intentStock:
		return stageProduct
	case intentPricePromo:
		return stagePrice
	case intentShippingFee, intentDelivery:
		return stageShipping
	case intentPayment:
		return stagePayment
	}
	return stageNone
}

// path picks the stages a pre-sale buyer goes through, in funnel order.
func (g *gen) path(returning bool) []int {
	var p []int
	r := g.rng.Float64()
	cur := stageProduct
	switch {
	case returning && r < 0.4:
		cur = stageShipping
	case returning && r < 0.7:
		cur = stagePayment
	case returning:
		cur = stagePrice
	case r < 0.06:
		return nil
	case r < 0.74:
	case r < 0.86:
		cur = stagePrice
	case r < 0.96:
		cur = stageShipping
	default:
		cur = stagePayment
	}
	for {
		p = append(p, cur)
		r = g.rng.Float64()
		switch cur {
		case stageProduct:
			switch {
			case r < 0.4:
				cur = stagePrice
			case r < 0.62:
				cur = stageShipping
			case r < 0.7:
				cur = stagePayment
			default:
				return p
			}
		case stagePrice:
			switch {
			case r < 0.45:
				cur = stageShipping
			case r < 0.62:
				cur = stagePayment
			default:
				return p
			}
		case stageShipping:
			if r < 0.35 {
				cur = stagePayment
			} else {
				return p
			}
		default:
			return p
		}
	}
}

func (g *gen) questions(stage int, p *Product) []question {
	n := 1
	if g.rng.Float64() < 0.3 {
		n = 2
	}
	qs := make([]question, 0, n)
	for range n {
		q := question{stage: stage}
		r := g.rng.Float64()
		switch stage {
		case stageProduct:
			switch {
			case p.Kind == KindClothing && r < 0.4:
				q.intent, q.topic = intentSizeFit, "size"
			case r < 0.6:
				ts := kindTopics[p.Kind]
				q.intent, q.topic = intentProductInfo, ts[g.rng.IntN(len(ts))]
			case r < 0.8:
				q.intent = intentProductInfo
			default:
				q.intent = intentStock
			}
		case stagePrice:
			q.intent = intentPricePromo
		case stageShipping:
			q.intent = intentShippingFee
			if r < 0.4 {
				q.intent = intentDelivery
			}
		case stagePayment:
			q.intent = intentPayment
		}
		qs = append(qs, q)
	}
	return qs
}

func (c *convo) ask(q question) {
	text := ""
	if q.topic != "" {
		text = c.pick(topicAsks[q.topic])
	} else {
		text = c.pick(buyerSays[q.intent])
	}
	pid := ""
	if q.stage == stageProduct && c.product != nil && (c.surge || c.g.rng.Float64() < 0.7) {
		pid = c.product.ID
	}
	c.say(q.intent, text, pid, "", q.topic)
}

// preSale writes a pre-sale consultation of buyer b starting at ts and
// decides whether it leads to an order. surge, when set, makes it one of a
// topic surge's extra chats; returning marks a return visit.
func (g *gen) preSale(ss *shopState, ts int64, b int, surge *surgePlan, visit, product int) {
	c := g.newConvo(ss, ts, b)
	c.pi = product
	if product < 0 {
		c.pi = g.rng.IntN(len(ss.shop.Products))
	}
	if surge != nil {
		c.pi = surge.product
	}
	c.product = &ss.shop.Products[c.pi]
	c.surge = surge != nil
	startPID := ""
	if surge != nil || g.rng.Float64() < 0.8 {
		startPID = c.product.ID
	}
	c.start(startPID)

	qs, last, forceNoOrder := g.preSaleQuestions(ss, c, ts, surge, visit)
	g.askAll(c, qs, surge)
	complained := g.complain(ss, c, ts, surge)
	p := g.orderChance(ss, c, qs, last, surge, visit, ts, complained)
	if forceNoOrder {
		p = 0
	}
	ordering := g.rng.Float64() < p
	g.closing(c, ordering)
	c.end()

	if ordering {
		g.placeOrder(ss, b, c.pi, c.lastCust+g.orderDelay())
		return
	}
	if !forceNoOrder && visit < 2 && surge == nil && g.rng.Float64() < g.cfg.ReturnVisitRate {
		back := c.t + msHour + g.rng.Int64N(59*msHour)
		if back < g.endMs {
			g.preSale(ss, back, b, nil, visit+1, c.pi)
		}
	}
}

// preSaleQuestions plans what the buyer asks: a planted surge's topic, or
// a funnel path (cut short at a planted drop-off node, which then forbids
// the order). last is the deepest funnel stage asked about.
func (g *gen) preSaleQuestions(ss *shopState, c *convo, ts int64, surge *surgePlan, visit int) (qs []question, last int, forceNoOrder bool) {
	if surge != nil {
		n := 1
		if g.rng.Float64() < 0.3 {
			n = 2
		}
		intent := intentProductInfo
		if surge.a.Topic == "size" {
			intent = intentSizeFit
		}
		for range n {
			qs = append(qs, question{intent: intent, topic: surge.a.Topic, stage: stageProduct})
		}
		return qs, stageProduct, false
	}
	p := g.path(visit > 0)
	if dp := g.dropoffAt(ss.idx, ts); dp != nil {
		target := slices.Index(stages, dp.a.Stage) + 1
		for i, s := range p {
			if s == target && g.rng.Float64() < dp.a.ExtraAbandon {
				p = p[:i+1]
				forceNoOrder = true
				dp.truncated++
				break
			}
		}
	}
	for _, s := range p {
		qs = append(qs, g.questions(s, c.product)...)
		last = s
	}
	return qs, last, forceNoOrder
}

// askAll plays the questions: a greeting, each question answered (and
// sometimes rephrased), the handoff of a handoff plan at a random point,
// a lone buyer's "still there?" when nobody answers.
func (g *gen) askAll(c *convo, qs []question, surge *surgePlan) {
	if g.rng.Float64() < g.cfg.GreetingRate || len(qs) == 0 {
		c.say(intentGreeting, c.pick(buyerSays[intentGreeting]), "", "", "")
		c.reply(intentGreeting, "")
	}
	handAt := -1
	if c.plan == planHandoff {
		handAt = 1 + g.rng.IntN(len(qs)+1)
		if len(qs) == 0 {
			c.handoff("customer_request", true)
		}
	}
	if c.plan == planUnanswered && len(qs) == 0 && g.rng.Float64() < 0.5 {
		c.say(intentOther, c.pick(buyerSays[intentOther]), "", "", "")
	}
	for i, q := range qs {
		if i == handAt && !c.handed {
			c.handoff(c.handoffReason(), true)
		}
		c.ask(q)
		if surge != nil {
			surge.planted++
		}
		if c.reply(q.intent, q.topic) && g.rng.Float64() < 0.55 {
			c.ask(q) // rephrased
			if surge != nil {
				surge.planted++
			}
			if c.reply(q.intent, q.topic) && c.plan == planHandoff && !c.handed {
				c.handoff("repeated_question", true)
				c.reply(q.intent, q.topic)
			}
		}
	}
	if c.plan == planHandoff && !c.handed {
		c.handoff(c.handoffReason(), true)
		if len(qs) > 0 {
			c.reply(qs[len(qs)-1].intent, "")
		}
	}
	if c.plan == planUnanswered && c.custMsgs > 0 && g.rng.Float64() < 0.35 {
		c.say(intentGreeting, c.pick(stillThere), "", "", "")
	}
}

// complain plays a planted negative surge's complaint about the product
// (never in a topic surge's conversation) and reports whether it did.
func (g *gen) complain(ss *shopState, c *convo, ts int64, surge *surgePlan) bool {
	np := g.negativeAt(ss.idx, c.pi, ts)
	if np == nil || surge != nil || g.rng.Float64() >= np.a.Rate {
		return false
	}
	c.say(intentQuality, c.pick(complaints), c.product.ID, "", "")
	c.reply(intentQuality, "")
	c.negative = true
	np.planted++
	return true
}

// orderChance is the probability that the conversation ends in an order:
// the propensity of the deepest stage asked about, scaled by who answered,
// a surge's product (a worse page), the script arm's lift, bot fallbacks,
// a return visit, negative moods and complaints, questions about a topic
// and a planted conversion drop.
func (g *gen) orderChance(ss *shopState, c *convo, qs []question, last int, surge *surgePlan, visit int, ts int64, complained bool) float64 {
	prop := g.cfg.OrderPropensity
	p := [...]float64{prop.None, prop.Product, prop.Price, prop.Shipping, prop.Payment}[last]
	f := g.cfg.ResponderFactor
	p *= [...]float64{f.BotOnly, f.BotToHuman, f.HumanOnly, f.Unanswered}[c.plan]
	if surge != nil {
		p *= 0.6
	}
	p = min(1, p*c.arm.liftFactor())
	if c.fallback > 0 && c.plan == planBotOnly {
		p *= 0.7
	}
	if visit > 0 {
		p = min(1, p*1.4)
	}
	if c.negative {
		p *= g.cfg.NegativeOrderFactor
	}
	if surge == nil && slices.ContainsFunc(qs, func(q question) bool { return q.topic != "" }) {
		p *= g.cfg.TopicOrderFactor
	}
	if complained {
		p *= complaintOrderFactor
	}
	return p * g.conversionFactor(ss.idx, ts)
}

// closing is the buyer's last words: "ordered" or thanks, when someone
// was answering.
func (g *gen) closing(c *convo, ordering bool) {
	if c.plan == planUnanswered {
		return
	}
	r := g.rng.Float64()
	switch {
	case ordering && r < 0.4:
		c.say(intentOther, c.pick(ordered), "", "", "")
		c.reply(intentOther, "")
	case r < 0.55:
		c.say(intentThanksBye, c.pick(buyerSays[intentThanksBye]), "", "", "")
		c.reply(intentThanksBye, "")
	}
}

// orderDelay is how long after the buyer's last message the order is
// placed: mostly within 20 minutes, some within 3 hours, a tail to 30 h.
func (g *gen) orderDelay() int64 {
	r := g.rng.Float64()
	switch {
	case r < 0.6:
		return msMinute + g.rng.Int64N(19*msMinute)
	case r < 0.85:
		return 20*msMinute + g.rng.Int64N(160*msMinute)
	default:
		return 3*msHour + g.rng.Int64N(27*msHour)
	}
}
