package simulate

import (
	"container/heap"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
)

const (
	msSecond = int64(1000)
	msMinute = 60 * msSecond
	msHour   = 60 * msMinute
	msDay    = 24 * msHour
)

// hourWeights is the daily traffic curve (Asia/Shanghai hours): quiet
// nights, a morning peak at 10–12h and the evening peak at 20–23h.
var hourWeights = [24]float64{0.6, 0.3, 0.15, 0.1, 0.1, 0.15, 0.3, 0.7, 1.3, 2.0, 2.9, 3.1, 2.6, 1.9, 2.0, 2.1, 2.0, 1.9, 1.9, 2.3, 3.1, 3.5, 3.3, 1.8}

type arrivalKind uint8

const (
	arriveConsult arrivalKind = iota
	arriveSilentOrder
	arriveIdleChat
	arriveSurge
)

// arrival is something that starts at ts: a consultation, a silent order…
type arrival struct {
	ts    int64
	shop  int
	kind  arrivalKind
	surge int // index into gen.surges for arriveSurge
}

type surgePlan struct {
	a        TopicSurge
	shop     int
	product  int
	baseline float64
	planted  int
}

type dropoffPlan struct {
	a         DropoffSpike
	shop      int
	truncated int
}

type fallbackPlan struct {
	a    FallbackSpike
	shop int
}

// order is an order's generator-side state, referenced by after-sale chats.
type order struct {
	id        string
	buyer     int
	product   int
	createdMs int64
	paidMs    int64 // -1: never paid
	amount    int64
	items     []item
	closed    bool // cancelled or refunded (or scheduled to be)
}

type shopState struct {
	idx    int
	shop   *Shop
	pool   int // buyers
	recent []*order
	next   int
}

type gen struct {
	cfg Config
	rng *rand.Rand
	// qaPhraseN numbers the planted phrases (phraseCategory draws their category from it).
	qaPhraseN int
	seedStr   string
	shops     []Shop
	ss        []*shopState
	startMs   int64
	endMs     int64

	pending evHeap
	seq     uint64
	convN   uint64
	msgN    uint64
	orderN  uint64
	eventN  uint64

	labels []string // reused scratch

	// counts of customer messages with product_id and topic per day,
	// for the surge baselines: key shop*1000+product, topic index.
	topicDaily map[[2]int][]int

	surges      []*surgePlan
	dropoffs    []*dropoffPlan
	fallbacks   []*fallbackPlan
	negatives   []*negativePlan
	conversions []*conversionPlan

	xrng *rand.Rand // growth draws (experiment crossovers), apart from rng

	emit    func([]byte) error
	buf     []byte
	idBuf   []byte
	tally   *tallier
	dropped int64
}

// Run generates the traffic of cfg, calling emit with one JSON event per
// call in timestamp order, and returns the ground-truth tally. The slice
// passed to emit is reused after emit returns. An error from emit stops
// the run and is returned.
func Run(cfg Config, emit func(line []byte) error) (*Tally, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("simulate: %w", err)
	}
	g := newGen(cfg, emit)
	g.orderHistory()
	for d := 0; d < cfg.Days; d++ {
		if err := g.day(d); err != nil {
			return nil, err
		}
	}
	if err := g.flushBefore(g.endMs); err != nil {
		return nil, err
	}
	g.dropped = int64(g.pending.Len())
	return g.finish(), nil
}

func newGen(cfg Config, emit func([]byte) error) *gen {
	g := &gen{
		cfg:        cfg,
		rng:        rand.New(rand.NewPCG(cfg.Seed, 0x9e3779b97f4a7c15)),
		seedStr:    strconv.FormatUint(cfg.Seed, 10),
		shops:      Shops(cfg.Shops),
		startMs:    cfg.Start.UnixMilli(),
		endMs:      cfg.End().UnixMilli(),
		topicDaily: map[[2]int][]int{},
		emit:       emit,
	}
	g.tally = newTallier(cfg)
	pool := max(400, cfg.ConsultationsPerShopDay*cfg.Days/3)
	for i := range g.shops {
		g.ss = append(g.ss, &shopState{idx: i, shop: &g.shops[i], pool: pool, recent: make([]*order, 0, 512)})
	}
	for _, a := range cfg.Anomalies {
		switch a := a.(type) {
		case TopicSurge:
			si, _ := shopIndex(cfg, a.Shop)
			pi, _ := g.shops[si].product(a.Product)
			g.surges = append(g.surges, &surgePlan{a: a, shop: si, product: pi})
		case DropoffSpike:
			si, _ := shopIndex(cfg, a.Shop)
			g.dropoffs = append(g.dropoffs, &dropoffPlan{a: a, shop: si})
		case FallbackSpike:
			si, _ := shopIndex(cfg, a.Shop)
			g.fallbacks = append(g.fallbacks, &fallbackPlan{a: a, shop: si})
		case NegativeSurge:
			si, _ := shopIndex(cfg, a.Shop)
			pi, _ := g.shops[si].product(a.Product)
			g.negatives = append(g.negatives, &negativePlan{a: a, shop: si, product: pi})
		case ConversionDrop:
			si, _ := shopIndex(cfg, a.Shop)
			g.conversions = append(g.conversions, &conversionPlan{a: a, shop: si})
		}
	}
	return g
}

// day generates the arrivals of day d in time order, emitting pending
// events as time passes, then flushes up to the end of the day.
func (g *gen) day(d int) error {
	dayMs := g.startMs + int64(d)*msDay
	var arr []arrival
	weekday := g.cfg.dayStart(d).Weekday()
	for s := range g.ss {
		vol := float64(g.cfg.ConsultationsPerShopDay)
		if weekday == 0 || weekday == 6 {
			vol *= 1.1
		}
		vol *= 0.93 + 0.14*g.rng.Float64()
		vol *= g.cfg.volumeFactor(s, d)
		n := g.poisson(vol)
		for range n {
			arr = append(arr, arrival{ts: g.dayTime(dayMs), shop: s, kind: arriveConsult})
		}
		for range g.poisson(vol * g.cfg.SilentOrderShare) {
			arr = append(arr, arrival{ts: g.dayTime(dayMs), shop: s, kind: arriveSilentOrder})
		}
		for range g.poisson(vol * g.cfg.IdleChatShare) {
			arr = append(arr, arrival{ts: g.dayTime(dayMs), shop: s, kind: arriveIdleChat})
		}
	}
	for i, sp := range g.surges {
		if sp.a.Day != d {
			continue
		}
		sp.baseline = g.topicBaseline(sp, d)
		// On a promotion day the surge rides on the day's volume: it is
		// Factor × what the topic would have had that day.
		expect := sp.a.Factor * sp.baseline * g.cfg.volumeFactor(sp.shop, d) * hoursShare(sp.a.StartHour)
		extra := max(30, int(math.Ceil(expect)))
		for range extra {
			arr = append(arr, arrival{ts: g.dayTimeFrom(dayMs, sp.a.StartHour), shop: sp.shop, kind: arriveSurge, surge: i})
		}
	}
	slices.SortStableFunc(arr, func(a, b arrival) int {
		if a.ts < b.ts {
			return -1
		}
		if a.ts > b.ts {
			return 1
		}
		return 0
	})
	for _, a := range arr {
		if err := g.flushBefore(a.ts); err != nil {
			return err
		}
		ss := g.ss[a.shop]
		switch a.kind {
		case arriveConsult:
			if g.rng.Float64() < g.cfg.PreSaleShare || !g.afterSale(ss, a.ts) {
				g.preSale(ss, a.ts, g.pickBuyer(ss), nil, 0, -1)
			}
		case arriveSilentOrder:
			b := g.rng.IntN(ss.pool) // silent buyers are anyone
			g.placeOrder(ss, b, g.rng.IntN(len(ss.shop.Products)), a.ts)
		case arriveIdleChat:
			g.idleChat(ss, a.ts)
		case arriveSurge:
			g.preSale(ss, a.ts, g.pickBuyer(ss), g.surges[a.surge], 0, -1)
		}
	}
	if err := g.flushBefore(dayMs + msDay); err != nil {
		return err
	}
	g.tally.sweep(dayMs + msDay - 12*msHour)
	return nil
}

// topicBaseline is the mean daily count of the surge's topic messages with
// the product's id on the ordinary (not promotion) days before day d (6
// when there is no such day yet).
func (g *gen) topicBaseline(sp *surgePlan, d int) float64 {
	counts := g.topicDaily[[2]int{sp.shop*1000 + sp.product, slices.Index(Topics, sp.a.Topic)}]
	sum, n := 0, 0
	for i := 0; i < d; i++ {
		if g.cfg.volumeFactor(sp.shop, i) != 1 {
			continue
		}
		n++
		if i < len(counts) {
			sum += counts[i]
		}
	}
	if n == 0 {
		return 6
	}
	return float64(sum) / float64(n)
}

func (g *gen) countTopic(shop, product int, topic string, ts int64) {
	ti := slices.Index(Topics, topic)
	if ti < 0 {
		return
	}
	d := int((ts - g.startMs) / msDay)
	if d < 0 || d >= g.cfg.Days {
		return
	}
	k := [2]int{shop*1000 + product, ti}
	c := g.topicDaily[k]
	if c == nil {
		c = make([]int, g.cfg.Days)
		g.topicDaily[k] = c
	}
	c[d]++
}

// dayTime samples a time of day from the daily curve.
func (g *gen) dayTime(dayMs int64) int64 {
	total := 0.0
	for _, w := range hourWeights {
		total += w
	}
	r := g.rng.Float64() * total
	h := 0
	for ; h < 23; h++ {
		r -= hourWeights[h]
		if r < 0 {
			break
		}
	}
	return dayMs + int64(h)*msHour + g.rng.Int64N(msHour)
}

// poisson samples a Poisson count (normal approximation for large means).
func (g *gen) poisson(mean float64) int {
	if mean <= 0 {
		return 0
	}
	if mean > 50 {
		n := int(math.Round(mean + math.Sqrt(mean)*g.rng.NormFloat64()))
		return max(0, n)
	}
	l := math.Exp(-mean)
	k, p := 0, 1.0
	for {
		p *= g.rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

func (g *gen) pickBuyer(ss *shopState) int {
	// A skewed pick: a core of regulars and a long tail of one-off buyers.
	if g.rng.Float64() < 0.12 {
		return g.rng.IntN(max(1, ss.pool/10))
	}
	return g.rng.IntN(ss.pool)
}

// buyer attributes derive from a hash so they stay stable without a table.
func (g *gen) buyerHash(shop, buyer int) uint64 {
	x := g.cfg.Seed ^ uint64(shop+1)<<40 ^ uint64(buyer)*0x9e3779b97f4a7c15
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

func (g *gen) buyerEnglish(shop, buyer int) bool {
	return float64(g.buyerHash(shop, buyer)>>11)/(1<<53) < g.cfg.EnglishShare
}

func (g *gen) buyerChannel(shop, buyer int, english bool) string {
	h := g.buyerHash(shop, buyer) * 0xd6e8feb86659fd93
	r := float64(h>>11) / (1 << 53)
	ws := g.shops[shop].channels
	if english {
		ws = englishChannels
	}
	for _, w := range ws {
		r -= w.w
		if r < 0 {
			return w.v
		}
	}
	return ws[len(ws)-1].v
}

func customerID(shop, buyer int) string {
	return fmt.Sprintf("c%02d%06d", shop+1, buyer)
}

func (g *gen) fallbackRate(shop int, ts int64) float64 {
	d := int((ts - g.startMs) / msDay)
	for _, f := range g.fallbacks {
		if f.shop == shop && f.a.Day == d && ts >= g.hourStart(d, f.a.StartHour) {
			return f.a.Rate
		}
	}
	return g.cfg.FallbackRate
}

func (g *gen) dropoffAt(shop int, ts int64) *dropoffPlan {
	d := int((ts - g.startMs) / msDay)
	if d < 0 || d >= g.cfg.Days {
		return nil
	}
	w := g.cfg.weekOf(d)
	for _, p := range g.dropoffs {
		if p.shop == shop && p.a.Week == w {
			return p
		}
	}
	return nil
}

func (g *gen) push(e *event) {
	g.seq++
	e.seq = g.seq
	if g.rng.Float64() < g.cfg.EpochMillisShare {
		e.epoch = true
	}
	if g.cfg.DuplicateRate > 0 && g.rng.Float64() < g.cfg.DuplicateRate {
		e.dup = true
	}
	heap.Push(&g.pending, e)
}

// flushBefore emits every pending event with ts < t in (ts, seq) order.
func (g *gen) flushBefore(t int64) error {
	for g.pending.Len() > 0 && g.pending[0].ts < t {
		e := heap.Pop(&g.pending).(*event)
		if e.ts >= g.endMs {
			heap.Push(&g.pending, e)
			return nil
		}
		g.eventN++
		g.idBuf = append(g.idBuf[:0], "sim-"...)
		g.idBuf = append(g.idBuf, g.seedStr...)
		g.idBuf = append(g.idBuf, '-')
		g.idBuf = strconv.AppendUint(g.idBuf, g.eventN, 10)
		g.buf = appendJSON(g.buf[:0], e, g.idBuf)
		if err := g.emit(g.buf); err != nil {
			return err
		}
		g.tally.observe(e, string(g.idBuf))
		if e.dup {
			g.buf = appendJSON(g.buf[:0], e, g.idBuf)
			if err := g.emit(g.buf); err != nil {
				return err
			}
			g.tally.duplicates++
		}
	}
	return nil
}

type evHeap []*event

func (h evHeap) Len() int { return len(h) }
func (h evHeap) Less(i, j int) bool {
	if h[i].ts != h[j].ts {
		return h[i].ts < h[j].ts
	}
	return h[i].seq < h[j].seq
}
func (h evHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *evHeap) Push(x any)   { *h = append(*h, x.(*event)) }
func (h *evHeap) Pop() any {
	old := *h
	n := len(old)
	e := old[n-1]
	old[n-1] = nil
	*h = old[:n-1]
	return e
}

func (g *gen) finish() *Tally {
	t := g.tally.result()
	t.DroppedAfterEnd = g.dropped
	date := func(d int) string { return g.cfg.dayStart(d).Format("2006-01-02") }
	for _, sp := range g.surges {
		t.Anomalies = append(t.Anomalies, PlantedAnomaly{
			Kind: sp.a.Kind(), ShopID: sp.a.Shop, ProductID: sp.a.Product, Topic: sp.a.Topic,
			Date: date(sp.a.Day), Factor: sp.a.Factor, StartHour: sp.a.StartHour,
			Promotion:    g.cfg.volumeFactor(sp.shop, sp.a.Day),
			BaselineMean: math.Round(sp.baseline*100) / 100, PlantedMessages: sp.planted,
		})
	}
	for _, p := range g.dropoffs {
		mon := g.cfg.WeekMonday(p.a.Week)
		t.Anomalies = append(t.Anomalies, PlantedAnomaly{
			Kind: p.a.Kind(), ShopID: p.a.Shop, Stage: p.a.Stage, Week: p.a.Week,
			WeekStart: mon.Format("2006-01-02"), WeekEnd: mon.AddDate(0, 0, 6).Format("2006-01-02"),
			ExtraAbandon: p.a.ExtraAbandon, TruncatedConsultations: p.truncated,
		})
	}
	for _, f := range g.fallbacks {
		t.Anomalies = append(t.Anomalies, PlantedAnomaly{
			Kind: f.a.Kind(), ShopID: f.a.Shop, Date: date(f.a.Day), Rate: f.a.Rate, StartHour: f.a.StartHour,
			Promotion: g.cfg.volumeFactor(f.shop, f.a.Day),
		})
	}
	for _, p := range g.negatives {
		t.Anomalies = append(t.Anomalies, PlantedAnomaly{
			Kind: p.a.Kind(), ShopID: p.a.Shop, ProductID: p.a.Product, Date: date(p.a.Day), Rate: p.a.Rate,
			StartHour: p.a.StartHour, Promotion: g.cfg.volumeFactor(p.shop, p.a.Day), PlantedMessages: p.planted,
		})
	}
	for _, p := range g.conversions {
		t.Anomalies = append(t.Anomalies, PlantedAnomaly{
			Kind: p.a.Kind(), ShopID: p.a.Shop, Date: date(p.a.Day), Drop: p.a.Drop,
			Promotion: g.cfg.volumeFactor(p.shop, p.a.Day),
		})
	}
	for _, p := range g.cfg.Promotions {
		for s := range g.cfg.Shops {
			if p.covers(ShopID(s)) {
				t.Promotions = append(t.Promotions, PlantedPromotion{Date: date(p.Day), ShopID: ShopID(s), Factor: p.Factor})
			}
		}
	}
	return t
}
