package simulate

import "strconv"

const recentOrders = 512 // per shop, for after-sale chats to refer to

// placeOrder writes the life of one order of buyer b created at createdMs:
// created (sometimes missing), paid (usually), cancelled or refunded.
func (g *gen) placeOrder(ss *shopState, b, product int, createdMs int64) {
	g.orderN++
	o := &order{
		id:        "ord-" + g.seedStr + "-" + strconv.FormatUint(g.orderN, 10),
		buyer:     b,
		product:   product,
		createdMs: createdMs,
		paidMs:    -1,
	}
	o.items = append(o.items, g.orderItem(ss, product))
	if g.rng.Float64() < 0.2 && len(ss.shop.Products) > 1 {
		other := (product + 1 + g.rng.IntN(len(ss.shop.Products)-1)) % len(ss.shop.Products)
		o.items = append(o.items, g.orderItem(ss, other))
	}
	for _, it := range o.items {
		o.amount += int64(it.qty) * it.cents
	}
	switch r := g.rng.Float64(); {
	case o.amount >= 19900 && r < 0.4:
		o.amount -= 2000 // 满199减20
	case o.amount >= 9900 && r < 0.6:
		o.amount -= 500
	}

	en := g.buyerEnglish(ss.idx, b)
	base := event{typ: evOrder, shop: ss.shop.ID, customer: customerID(ss.idx, b), channel: g.buyerChannel(ss.idx, b, en), orderID: o.id, amount: o.amount, items: o.items, resolved: -1}
	if g.rng.Float64() < 0.1 {
		base.channel = "" // the order system does not always say
	}
	status := func(s string, ts int64, amount int64) {
		e := base
		e.status, e.ts, e.amount = s, ts, amount
		g.push(&e)
		if (s == "created" || s == "paid") && g.rng.Float64() < g.cfg.ResendRate {
			again := e
			again.ts = ts + 30*msSecond + g.rng.Int64N(10*msMinute)
			g.push(&again)
		}
	}

	paid := g.rng.Float64() < g.cfg.PayRate
	if paid {
		var delay int64
		switch r := g.rng.Float64(); {
		case r < 0.72:
			delay = 5*msSecond + g.rng.Int64N(30*msMinute)
		case r < 0.9:
			delay = 30*msMinute + g.rng.Int64N(6*msHour)
		case r < 0.97:
			delay = 16*msHour + g.rng.Int64N(14*msHour) // next day
		default:
			delay = 40*msHour + g.rng.Int64N(16*msHour) // two days later
		}
		o.paidMs = createdMs + delay
	}
	if !paid || g.rng.Float64() >= g.cfg.NoCreatedShare {
		status("created", createdMs, o.amount)
	}
	if paid {
		status("paid", o.paidMs, o.amount)
		if g.rng.Float64() < g.cfg.RefundRate {
			g.refund(o, o.paidMs+msDay+g.rng.Int64N(6*msDay), &base)
		}
	} else if g.rng.Float64() < g.cfg.CancelRate {
		status("cancelled", createdMs+15*msMinute+g.rng.Int64N(24*msHour), o.amount)
		o.closed = true
	}
	if len(ss.recent) < recentOrders {
		ss.recent = append(ss.recent, o)
	} else {
		ss.recent[ss.next] = o
		ss.next = (ss.next + 1) % recentOrders
	}
}

func (g *gen) orderItem(ss *shopState, product int) item {
	p := &ss.shop.Products[product]
	it := item{product: p.ID, qty: 1, cents: p.PriceCents}
	if len(p.SKUs) > 0 {
		it.sku = p.Slug + "-" + p.SKUs[g.rng.IntN(len(p.SKUs))]
	}
	if p.Kind == KindFood && g.rng.Float64() < 0.35 {
		it.qty = 2 + g.rng.IntN(2)
	} else if g.rng.Float64() < 0.08 {
		it.qty = 2
	}
	return it
}

// refund schedules a refunded event: in full, or one unit of the first item.
func (g *gen) refund(o *order, ts int64, base *event) {
	e := *base
	e.status, e.ts, e.amount = "refunded", ts, o.amount
	if g.rng.Float64() < 0.4 {
		e.amount = min(o.amount, o.items[0].cents)
	}
	g.push(&e)
	o.closed = true
}

var qualityShelfLife = phrases{
	zh: []string{"收到的{p}生产日期是半年前的，保质期快到了，订单{o}", "{p}快过期了吧，保质期只剩一个月 {o}"},
	en: []string{"The {p} I got is close to the end of its shelf life, order {o}"},
}

var stillWaiting = phrases{
	zh: []string{"怎么还没处理", "到底什么时候能好", "麻烦快点", "等了好几天了"},
	en: []string{"Why is this taking so long?", "Any update?"},
}

// afterSale writes an after-sale consultation about a recent order of the
// shop; false when there is no order to talk about yet.
func (g *gen) afterSale(ss *shopState, ts int64) bool {
	var o *order
	for range 6 {
		if len(ss.recent) == 0 {
			return false
		}
		cand := ss.recent[g.rng.IntN(len(ss.recent))]
		if cand.createdMs+30*msMinute < ts && (cand.paidMs < 0 || cand.paidMs < ts) {
			o = cand
			break
		}
	}
	if o == nil {
		return false
	}
	c := g.newConvo(ss, ts, o.buyer)
	c.pi = o.product
	c.product = &ss.shop.Products[o.product]
	pid := ""
	if g.rng.Float64() < 0.3 {
		pid = c.product.ID
	}
	c.start(pid)
	if g.rng.Float64() < g.cfg.GreetingRate*0.6 {
		c.say(intentGreeting, c.pick(buyerSays[intentGreeting]), "", "", "")
		c.reply(intentGreeting, "")
	}

	var intent string
	r := g.rng.Float64()
	if o.paidMs >= 0 {
		switch {
		case r < 0.3:
			intent = intentOrderStatus
		case r < 0.45:
			intent = intentReturn
		case r < 0.6:
			intent = intentRefund
		case r < 0.74:
			intent = intentQuality
		case r < 0.84:
			intent = intentModifyOrder
		default:
			intent = intentInvoice
		}
	} else {
		switch {
		case r < 0.45:
			intent = intentCancelOrder
		case r < 0.7:
			intent = intentModifyOrder
		case r < 0.85:
			intent = intentOrderStatus
		default:
			intent = intentInvoice
		}
	}
	tpls := buyerSays[intent]
	topic := ""
	if intent == intentQuality && c.product.Kind == KindFood && g.rng.Float64() < 0.35 {
		tpls, topic = qualityShelfLife, "shelf_life"
	}
	list := tpls.zh
	if c.en {
		list = tpls.en
	}
	text := c.fill(list[g.rng.IntN(len(list))], o.id)
	if topic != "" {
		pid = c.product.ID
	} else if g.rng.Float64() >= 0.3 {
		pid = ""
	}
	c.say(intent, text, pid, o.id, topic)
	if intent == intentQuality {
		c.negative = true
	}
	fb := c.reply(intent, "")
	if c.plan == planHandoff {
		reason := "business_rule"
		if fb {
			reason = "low_confidence"
		} else if c.negative {
			reason = "negative_sentiment"
		} else if g.rng.Float64() < 0.4 {
			reason = "customer_request"
		}
		c.handoff(reason, reason == "customer_request")
		c.reply(intent, "")
	}
	if g.rng.Float64() < 0.45 {
		c.say(intent, c.pick(stillWaiting), "", "", "")
		c.reply(intent, "")
	}
	if c.plan != planUnanswered && g.rng.Float64() < 0.4 {
		c.say(intentThanksBye, c.pick(buyerSays[intentThanksBye]), "", "", "")
		c.reply(intentThanksBye, "")
	}
	c.end()

	if !o.closed {
		switch {
		case intent == intentCancelOrder && o.paidMs < 0 && g.rng.Float64() < 0.8:
			e := event{typ: evOrder, ts: c.t + msMinute + g.rng.Int64N(20*msMinute), shop: ss.shop.ID, customer: c.customer,
				channel: c.channel, orderID: o.id, status: "cancelled", amount: o.amount, items: o.items, resolved: -1}
			g.push(&e)
			o.closed = true
		case (intent == intentRefund || intent == intentReturn || intent == intentQuality) && o.paidMs >= 0 && g.rng.Float64() < 0.2:
			base := event{typ: evOrder, shop: ss.shop.ID, customer: c.customer, channel: c.channel, orderID: o.id, items: o.items, resolved: -1}
			g.refund(o, c.t+2*msHour+g.rng.Int64N(3*msDay), &base)
		}
	}
	return true
}
