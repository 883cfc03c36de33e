package nlp

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
)

// BaseCorpus returns the training data of the embedded model of task:
// everything the repository carries (nlp/train) plus, when dataDir is not
// "", the public corpora read from it (see corpus.go). Without dataDir the
// corpus is the repository part only, and Sources says so. The result is
// deterministic. No held-out example is ever part of it (the JDDC sessions
// are split by session; of the laptop reviews only the development half,
// LaptopDev, is trained on).
//
// A shop's own labels are added with Corpus.Add before TrainCorpus.
func BaseCorpus(task, dataDir string) (*Corpus, error) {
	switch task {
	case TaskIntent:
		return intentCorpus(dataDir)
	case TaskSentiment:
		return sentimentCorpus(dataDir, laptopDevWeight)
	}
	return nil, fmt.Errorf("unknown task %q (want %s or %s)", task, TaskIntent, TaskSentiment)
}

// skipSession, when set (by development tests), drops JDDC training
// sessions so that they can serve as a validation split.
var skipSession func(session string) bool

func filterJDDCLabels(labels []byte, skip func(string) bool) []byte {
	var out []byte
	for i, line := range bytes.SplitAfter(labels, []byte("\n")) {
		if s, _, ok := bytes.Cut(line, []byte(",")); ok && i > 0 && skip(string(s)) {
			continue
		}
		out = append(out, line...)
	}
	return out
}

// jddcWeight is how many times each real JDDC buyer turn counts. 1 until
// session 10, when 1,000 more written buyer messages made the real turns a
// smaller share of the corpus: on the development split (3 seeds) weight 3
// took the validation turns 0.7305 -> 0.7413 in context and 0.7282 ->
// 0.7367 alone, with the written dev sets and probes equal or better
// (intent/dev 0.9437 -> 0.9455; probe d 0.9611 -> 0.9583); 2 and 4 gained
// less. Session 11's 570 more (buyer phrasing 8) took the validation
// turns 0.7423 -> 0.7393 in context and 0.7368 -> 0.7303 alone (4 seeds);
// weight 4 brought them to 0.7470 and 0.7354 with the written probes as
// high as with weight 3 (probe b 0.9593 -> 0.9741, buyer-dev 0.9778 ->
// 0.9863); weight 5 lost on both (0.7372, 0.7274).
var jddcWeight = 4

// jddcTextCopies: the JDDC rows are added once more read alone (ingest
// reads a message without its conversation; on the development split of the
// JDDC training sessions this took text-alone accuracy 0.692 -> 0.720).
var jddcTextCopies = true

// writtenFile is a training file written for the project: whether it is
// part of the corpus (a switch of the development harness), its path in
// the embedded train directory and its source name and detail.
type writtenFile struct {
	on         bool
	file, name string
	detail     string
}

// chatMaxRunes: examples up to this length are chat-shaped and augmented.
const chatMaxRunes = 40

func intentCorpus(dataDir string) (*Corpus, error) {
	c := &Corpus{Task: TaskIntent}
	hand, src, err := readEmbeddedLabels(embeddedTrain, "train/intent_train.csv")
	if err != nil {
		return nil, err
	}
	src.Name, src.Detail = "hand-written", "colloquial buyer messages written for the project, all rows"
	c.Add(src, hand)

	// Buyer messages written in later rounds count, are augmented and get
	// order context like the hand-written ones.
	for _, w := range []writtenFile{
		{useBuyerPhrasing, "train/intent_buyer_phrasing.csv", "buyer-phrasing", "buyer messages written for the project after reading the confusion pairs of the development split (greetings, pre-sale delivery questions, JD-style after-sale wording), none equal to a held-out or dev text, all rows"},
		{useBuyerPhrasing2, "train/intent_buyer_phrasing2.csv", "buyer-phrasing-2", "colloquial buyer messages written in the fourth round for wider vocabulary (在线/老板在不在, 分期/先用后付, 二手/使用痕迹, 经理/真人, 麻烦了/辛苦啦…), none equal to a held-out, dev or earlier training text, all rows"},
		{useBuyerPhrasing3, "train/intent_buyer_phrasing3.csv", "buyer-phrasing-3", "shelf-life, production-date and freshness questions written in session 8 (奶粉的保质期到什么时候呀, 开封以后能放几天, 是不是临期货; the brief's merchandiser example), with a few delivery and complaint rows that share their time words; none equal to a held-out, dev or earlier training text, all rows"},
		{useBuyerPhrasing4, "train/intent_buyer_phrasing4.csv", "buyer-phrasing-4", "colloquial buyer messages written in session 9 for what an independent generator's buyer questions showed misread: defects named without a complaint word (苹果烂了好几个, 书少了好几页), thanks and goodbyes in chat shorthand (thx, 886, 感恩), managers and bots (叫个负责的人来), couriers and cut-off times, payment channels (云闪付, 白条), body measures for sizes, merged or postponed shipping; none equal to a held-out, dev or earlier training text, all rows"},
		{useBuyerPhrasing5, "train/intent_buyer_phrasing5.csv", "buyer-phrasing-5", "buyer messages written in session 9 by a writer who saw no project data, 15 per intent, asked for the situations a development probe showed misread (polite long greetings, repairs and returns for an elderly parent, 钱呢 after a signed-for return, order-card fragments before a complaint, couriers to villages, gift cards and changed payment methods); rows equal to any held-out, dev, probe or earlier training text dropped (52 of 270)"},
		{useBuyerPhrasing6, "train/intent_buyer_phrasing6.csv", "buyer-phrasing-6", "buyer messages written in session 10 by a writer who saw no project data nor any probe, given the intents and the kinds of message misread on the development probes (is-anyone-there greetings, doubting the bot, refund progress, defects of use such as itching or lumps, cut and ring sizes, variants still sold, 到付/寄付, couriers to villages), 17 to 31 per intent; rows equal to any held-out, dev, probe or earlier training text dropped"},
		{useBuyerPhrasing8, "train/intent_buyer_phrasing8.csv", "buyer-phrasing-8", "buyer messages written in session 11 by a writer who saw no project data, in the proportions of a shop's traffic, for shops of many categories (fresh fruit and seafood, cosmetics, digital goods, large appliances, furniture, baby goods, pet food, books, cross-border, live-stream purchases), with voice-input homophones (再吗, 发飘, 腿货), pinyin initials and deliberate near-boundaries (几天能到 before and after ordering, refund vs return, cancel vs refund); rows equal to any held-out, dev, probe or earlier training text dropped"},
		{useBuyerPhrasing9, "train/intent_buyer_phrasing9.csv", "buyer-phrasing-9", "buyer messages written in session 12 by a writer who saw no project data, in the style of real JD chats (short, unpunctuated, pasted order cards, masked placeholders), for what the JDDC validation turns showed misread: product set-up and feature questions, other colours and styles in stock, rescheduled deliveries, refused deliveries, price-protection steps, invoices re-issued; rows equal to any held-out, dev, probe, training or JDDC text dropped, and rows echoing the examples the writer was given; plus 31 battery and charging questions and complaints and 14 how-do-I-use-it questions written by the project (the battery topic had 5 intent rows and no product_info row said 怎么操作; the simulator showed 充满电续航几个小时 read as a complaint and 第一次用怎么操作 as a return)"},
		{useBuyerPhrasing10, "train/intent_buyer_phrasing10.csv", "buyer-phrasing-10", "pre-sale buyer messages in English and mixed Chinese-English written in session 12 by a writer who saw no project data, for cross-border shops: product comparisons (what's the difference between…), tell-me-more requests, sizes, stock, prices, shipping to other countries, payment methods, with a few after-sale near-boundaries; rows equal to any other set's text dropped"},
		{useBuyerPhrasing11, "train/intent_buyer_phrasing11.csv", "buyer-phrasing-11", "buyer messages written in session 17 by a writer who saw no project data: a product named by a pasted listing title, a brand and model or a category noun with modifiers before a short request of any intent; words that are an attribute or a defect (色差, 异味, 起球, 缩水, 漏水, 临期…) asked about before buying and reported of a received item; warranty before buying and repair after; English and mixed Chinese-English product details and after-sale; short rows of the rarer intents; rows equal to any other set's text dropped (41 of 484)"},
		{useBuyerPhrasing7, "train/intent_buyer_phrasing7.csv", "buyer-phrasing-7", "buyer messages written late in session 10 by two writers who saw no project data, 20 per intent each: elderly, first-time, rural and dictating buyers with backstories, and young buyers with slang, pinyin initials, emoji, English, Cantonese and traditional characters; rows equal to any held-out, dev, probe or earlier training text dropped"},
	} {
		if !w.on {
			continue
		}
		more, src, err := readEmbeddedLabels(embeddedTrain, w.file)
		if err != nil {
			return nil, err
		}
		src.Name, src.Detail = w.name, w.detail
		c.Add(src, more)
		hand = append(hand[:len(hand):len(hand)], more...)
	}

	bt, src, err := readEmbeddedLabels(embeddedTrain, "train/bitext_intent.csv")
	if err != nil {
		return nil, err
	}
	src.Name, src.Detail = "bitext", "Bitext customer-support requests (CDLA-Sharing-1.0), intents mapped by BitextIntentMap, every row"
	c.Add(src, bt)

	var jd []Example
	if dataDir != "" {
		labels, err := embeddedTrain.ReadFile("train/jddc_intent_labels.csv")
		if err != nil {
			return nil, err
		}
		if skipSession != nil {
			labels = filterJDDCLabels(labels, skipSession)
		}
		jd, src, err = loadJDDC(dataDir, labels, "nlp/train/jddc_intent_labels.csv")
		if err != nil {
			return nil, err
		}
		src.Detail += "; sessions not held out; labels by reviewed rules then corrected by hand"
		c.Add(src, jd)
		// One pass decides, per turn, whether its words agree with its
		// label (textAloneExample): those are read alone once more, and
		// repeated and augmented (repeatContextLabelled).
		var alone, agree []Example
		for _, e := range jd {
			if l, ok := textAloneExample(e); ok {
				alone = append(alone, Example{Text: e.Text, Label: l})
				agree = append(agree, e)
			}
		}
		if jddcTextCopies {
			c.Add(Source{Name: "jddc-text-alone", Detail: "the JDDC rows once more without their conversation context, as ingest reads a message, except turns whose words cue another intent and not their label (textAloneExample); order_status turns asking how long (多久, 几天, 什么时候…) with no order in their own text become delivery_time (textAloneLabel)"}, alone)
		}
		if !repeatContextLabelled {
			jd = agree // the rows repeated and augmented below
		}
		c.addRepeat("jddc-repeat", jd, jddcWeight, "the JDDC rows whose words agree with their label (repeatContextLabelled)", ": real buyer text outweighs written text")
	}

	c.Add(Source{Name: "augmented", Detail: "2 noisy variants (prefixes, particles, emoji, typos, code-switching) of each hand-written and buyer-phrasing row and 1 of each JDDC row whose words agree with its label, seed 1; a variant equal to a held-out text is left out"},
		notHeldOut(TaskIntent, dataDir, append(Augment(hand, 2, chatMaxRunes, 1), Augment(jd, 1, chatMaxRunes, 2)...)))
	c.Add(Source{Name: "order-context", Detail: "each hand-written and buyer-phrasing row again with OrderReferenced set (delivery_time becomes order_status)"},
		orderContextCopies(hand))
	return c, nil
}

// handWeight is how many times the hand-written chat rows count in the
// sentiment corpus, against some twenty-five thousand reviews.
const handWeight = 8

// productReviewWeight is how many times the written product reviews
// (train/sentiment_product_reviews.csv) count. On the development split
// (laptop development half, JDDC neutral turns, sentiment/dev) weights 0, 1,
// 2 differ by less than noise (0.892-0.895 on the laptop half); 2 is equal to
// none on the other two sets. They are there for what the laptop half cannot
// show: the vocabulary of product reviews other than computers (色差, 开胶,
// 起球, 不新鲜, 尺码偏小…), which hotel and food-delivery reviews lack.
var productReviewWeight = 2

// useProductReviews2: train/sentiment_product_reviews2.csv (session 9) is
// part of the sentiment corpus.
var useProductReviews2 = true

// useProductReviews3: train/sentiment_product_reviews3.csv (session 10) is
// part of the sentiment corpus.
var useProductReviews3 = true

// useProductReviews4: train/sentiment_product_reviews4.csv (session 10,
// second round) is part of the sentiment corpus.
var useProductReviews4 = true

// useBuyerPhrasing5: train/intent_buyer_phrasing5.csv (session 9, second
// round) is part of the intent corpus.
var useBuyerPhrasing5 = true

// useBuyerPhrasing6: train/intent_buyer_phrasing6.csv (session 10) is part
// of the intent corpus.
var useBuyerPhrasing6 = true

// useBuyerPhrasing7: train/intent_buyer_phrasing7.csv (session 10, second
// round) is part of the intent corpus.
var useBuyerPhrasing7 = true

// useProductReviews5: train/sentiment_product_reviews5.csv (session 11) is
// part of the sentiment corpus.
var useProductReviews5 = true

// useBuyerPhrasing8: train/intent_buyer_phrasing8.csv (session 11) is part
// of the intent corpus.
var useBuyerPhrasing8 = true

// bookReviewWeight is how many times ChnSentiCorp's Dangdang book reviews
// (IsBookReview) count in the sentiment corpus. With the laptops they are
// the only real reviews of a product sold online in the data, and a book
// review retells a plot full of lexicon words, which the model must learn
// to read past. Session 12, on the development harness with ChnSentiCorp's
// dev file kept out (X_CSDEV, X_BOOKW; 3 seeds): weight 1/2/3 read its
// book reviews 0.806/0.823/0.827 and the whole file 0.866/0.869/0.871,
// while a category only writers covered (X_XDOMAIN=2: no real laptop
// review, the laptop development half) read 0.895/0.892/0.886 and the
// unseen food-delivery domain (X_OUTDOMAIN) 0.82 throughout: 2 takes most
// of the gain for the least loss.
var bookReviewWeight = 2

// repeatContextLabelled: the JDDC turns whose label comes from their
// conversation and not their words (textAloneExample: 「还没收到」 labelled
// invoice while the agent asks about an invoice) are repeated (jddcWeight)
// and augmented like the others. Since session 12 they count once: their
// context copy still teaches what the conversation says, but repeated it
// taught the words the conversation's intent as well, and read alone
// 「还没收到」 came out invoice. On the development split (4 seeds) counting
// them once read the validation turns alone 0.742 -> 0.747, in context
// 0.746 -> 0.753, intent/dev 0.945 -> 0.952, on the independent labellers'
// labels 0.527 -> 0.529.
var repeatContextLabelled = false

// useBuyerPhrasing11: train/intent_buyer_phrasing11.csv (session 17) is
// part of the intent corpus.
var useBuyerPhrasing11 = true

// useBuyerPhrasing10: train/intent_buyer_phrasing10.csv (session 12) is
// part of the intent corpus.
var useBuyerPhrasing10 = true

// useBuyerPhrasing9: train/intent_buyer_phrasing9.csv (session 12) is part
// of the intent corpus.
var useBuyerPhrasing9 = true

// CrossDomainSentimentCorpus is the sentiment corpus without any laptop
// review: a model trained on it has never seen a computer review, so its
// sentiment/laptop figure measures a domain it was not trained on (how the
// embedded model was trained up to the fourth round; trainmodels reports it
// beside the embedded model's in-domain figure).
func CrossDomainSentimentCorpus(dataDir string) (*Corpus, error) {
	return sentimentCorpus(dataDir, 0)
}

func sentimentCorpus(dataDir string, laptopWeight int) (*Corpus, error) {
	c := &Corpus{Task: TaskSentiment}
	hand, src, err := readEmbeddedLabels(embeddedTrain, "train/sentiment_train.csv")
	if err != nil {
		return nil, err
	}
	src.Name, src.Detail = "hand-written", "chat lines and short reviews written for the project, three classes, all rows"
	c.Add(src, hand)
	// Chat is short and mostly neutral; reviews are long and never neutral.
	// The hand-written rows are repeated so that the few thousand chat
	// lines are not drowned by twenty thousand reviews.
	c.addRepeat("hand-written-repeat", hand, handWeight, "the hand-written rows", "")
	c.Add(Source{Name: "augmented", Detail: "3 noisy variants of each hand-written row, seed 3; a variant equal to a held-out text is left out"}, notHeldOut(TaskSentiment, dataDir, Augment(hand, 3, chatMaxRunes, 3)))
	for _, w := range []writtenFile{
		{true, "train/sentiment_product_reviews.csv", "product-reviews", "short product reviews written for the project (fourth round): clothes, shoes, fruit, snacks, cosmetics, appliances, books, toys, baby goods…, clear and mild complaints and praise; none mentions a computer word (the laptop reviews stay cross-domain), all rows"},
		{useProductReviews2, "train/sentiment_product_reviews2.csv", "product-reviews-2", "product reviews written in session 9, 12 for each of 40 categories (rice, seafood, skincare, shoes, appliances, pet food…) with the praise and complaints of that category and negated defects (没有腥味, 不起球); the cross-domain corpus leaves out the rows that mention a computer"},
		{useProductReviews3, "train/sentiment_product_reviews3.csv", "product-reviews-3", "product reviews written in session 10 by a writer who saw no project data, 60 for each of 10 categories (books, tablets, phones, fruit, shampoo, water heaters, boxed milk, clothes, computers, hotels), short to long, mixed verdicts, sarcasm, slang and a few in traditional characters; the cross-domain corpus leaves out the rows that mention a computer"},
		{useProductReviews4, "train/sentiment_product_reviews4.csv", "product-reviews-4", "product reviews written late in session 10 by a writer who saw no project data, imitating real ones over more than 40 categories: formulaic praise and complaints, JD field lists (外形外观：… 运行速度：…), long stories, complaints about delivery or service only, sarcasm, slang and typos; a quarter of each label mixed; the cross-domain corpus leaves out the rows that mention a computer"},
		{useProductReviews5, "train/sentiment_product_reviews5.csv", "product-reviews-5", "product reviews written in session 11 by a writer who saw no project data, 35 positive and 35 negative for each of 10 categories (books, tablets, phones, fruit, shampoo, water heaters, boxed milk, clothes, computers, hotels): short ones, follow-ups (追评), template praise, sarcasm, mild complaints without strong words and praise naming a small flaw; the cross-domain corpus leaves out the rows that mention a computer"},
	} {
		if !w.on || productReviewWeight == 0 {
			continue
		}
		rv, src, err := readEmbeddedLabels(embeddedTrain, w.file)
		if err != nil {
			return nil, err
		}
		if laptopWeight == 0 {
			rv = slices.DeleteFunc(rv, func(e Example) bool { return mentionsComputer(e.Text) })
			src.Rows = len(rv)
		}
		src.Name, src.Detail = w.name, w.detail
		c.Add(src, rv)
		c.addRepeat(w.name+"-repeat", rv, productReviewWeight, "the written product reviews", "")
	}
	if dataDir == "" {
		return c, nil
	}

	seen := map[string]bool{}
	for _, f := range []string{FileHotel, FileWaimai, FileChnSentiTrain, FileChnSentiDev} {
		ex, src, err := readReviewFile(dataDir, f)
		if err != nil {
			return nil, err
		}
		var keep []Example
		for _, e := range ex {
			if mentionsComputer(e.Text) || seen[e.Text] || skipReview != nil && skipReview(e.Text) {
				continue
			}
			seen[e.Text] = true
			keep = append(keep, e)
		}
		src.Detail = "every review not mentioning a computer (laptop reviews are the held-out set) and not already taken from an earlier file"
		c.Add(src, keep)
		if bookReviewWeight > 1 && (f == FileChnSentiTrain || f == FileChnSentiDev) {
			var books []Example
			for _, e := range keep {
				if IsBookReview(e.Text) {
					books = append(books, e)
				}
			}
			c.addRepeat(src.Name+"-books-repeat", books, bookReviewWeight, "the Dangdang book reviews of "+f+" (IsBookReview)", ": real reviews of a product sold online")
		}
		if balanceReviews {
			c.Add(Source{Name: src.Name + "-balance", File: f,
				Detail: "the rarer label's rows of " + f + " repeated until both labels count alike (balanceCopies)"}, balanceCopies(keep))
		}
	}

	if laptopWeight > 0 {
		ld, src, err := laptopReviews(dataDir, false)
		if err != nil {
			return nil, err
		}
		if skipLaptopDev != nil {
			ld = slices.DeleteFunc(ld, func(e Example) bool { return skipLaptopDev(e.Text) })
		}
		if skipReview != nil {
			ld = slices.DeleteFunc(ld, func(e Example) bool { return skipReview(e.Text) })
		}
		src.Name = "chnsenticorp-laptop-dev"
		src.Detail = "the JD laptop reviews of chnsenticorp_train.tsv and chnsenticorp_dev.tsv (IsLaptopReview) whose text's SHA-256 starts with an even byte (LaptopDev); the odd half is the held-out sentiment/laptop set and is never trained on"
		c.Add(src, ld)
		c.addRepeat("chnsenticorp-laptop-dev-repeat", ld, laptopWeight, "the laptop development reviews", ": the only real product reviews of an e-commerce shop in the data")
	}

	// Real buyer chat turns the lexicon finds no opinion in are neutral.
	labels, err := embeddedTrain.ReadFile("train/jddc_intent_labels.csv")
	if err != nil {
		return nil, err
	}
	if skipSession != nil {
		labels = filterJDDCLabels(labels, skipSession)
	}
	jd, src, err := loadJDDC(dataDir, labels, "nlp/train/jddc_intent_labels.csv")
	if err != nil {
		return nil, err
	}
	p := mustPipeline()
	var neutral []Example
	for _, e := range jd {
		if e.Label == "quality_complaint" || e.Label == "thanks_bye" {
			continue
		}
		_, r := p.lex.score(string(normalize(nil, ToSimplified(e.Text))), nil)
		if r.pos == 0 && r.neg == 0 && !strings.ContainsAny(e.Text, "!！") {
			neutral = append(neutral, Example{Text: e.Text, Label: "neutral"})
		}
	}
	src.Detail = "buyer turns of the training sessions without a lexicon hit, '!' or a complaint/thanks intent, labelled neutral"
	c.Add(src, neutral)
	c.addRepeat("jddc-neutral-repeat", neutral, jddcNeutralWeight, "the JDDC neutral turns", ": chat lines are rarer than reviews and mostly neutral")
	return c, nil
}

// notHeldOut drops the generated variants (Augment) whose text equals a
// held-out text of task: a typo variant of 「谢谢」 is 「3q」, a held-out
// message of its own, and which row draws which variant moves whenever a
// training file grows.
func notHeldOut(task, dataDir string, ex []Example) []Example {
	held := map[string]bool{}
	for _, s := range HeldOutSets(task, dataDir) {
		for _, e := range s.Examples {
			held[e.Text] = true
		}
	}
	return slices.DeleteFunc(ex, func(e Example) bool { return held[e.Text] })
}

// TrainCorpus trains task's classifier on c and records c's sources in it.
func TrainCorpus(c *Corpus, opts TrainOptions) (*Classifier, error) {
	cl, err := Train(c.Task, c.Examples, opts)
	if err != nil {
		return nil, err
	}
	cl.Sources = c.Sources
	return cl, nil
}

// bitextPerLabel caps the Bitext rows per label: English requests are a
// minority of a Chinese shop's traffic, and "other" alone would be 1,100.
const bitextPerLabel = 150

// capPerLabel keeps at most n examples per label, evenly spaced over the
// input (so every source intent of a merged label is represented).
func capPerLabel(ex []Example, n int) []Example {
	count := map[string]int{}
	for _, e := range ex {
		count[e.Label]++
	}
	seen := map[string]int{}
	var out []Example
	for _, e := range ex {
		k := seen[e.Label]
		seen[e.Label]++
		c := count[e.Label]
		if c <= n || k*n/c != (k+1)*n/c {
			out = append(out, e)
		}
	}
	return out
}

// VendorBitext converts the Bitext CSV of dataDir into the `text,label`
// file the repository embeds (nlp/train/bitext_intent.csv).
func VendorBitext(dataDir string) ([]byte, int, error) {
	b, err := readDataFile(dataDir, FileBitext)
	if err != nil {
		return nil, 0, err
	}
	all, err := ReadBitext(bytes.NewReader(b))
	if err != nil {
		return nil, 0, err
	}
	ex := capPerLabel(all, bitextPerLabel)
	var out bytes.Buffer
	out.WriteString("text,label\n")
	for _, e := range ex {
		t := strings.ReplaceAll(e.Text, `"`, `""`)
		if strings.ContainsAny(t, ",\"\n") {
			t = `"` + t + `"`
		}
		out.WriteString(t + "," + e.Label + "\n")
	}
	return out.Bytes(), len(ex), nil
}

// relabelTextAlone: see textAloneLabel.
var relabelTextAlone = true

// aloneMode chooses the JDDC turns that are also trained on read alone:
// 0 all, 1 not those whose words cue another intent and not their own,
// 2 only those whose words cue their own label (or other/thanks/greeting
// turns whose words cue nothing else).
var aloneMode = 1

// textAloneExample returns the label of a JDDC turn read without its
// conversation, and whether it is trained on that way. A turn labelled from
// its conversation (「还没收到」 while asking about an invoice: invoice) read
// alone would teach the words the wrong intent; when its own words cue
// another intent and not its label, it is left to the in-context copy.
func textAloneExample(e Example) (string, bool) {
	l := textAloneLabel(e)
	if aloneMode == 0 {
		return l, true
	}
	cues := cueIntents(e.Text)
	if cues[l] {
		return l, true
	}
	other := len(cues) > 0
	switch aloneMode {
	case 1:
		return l, !other
	default:
		return l, !other && (l == "other" || l == "thanks_bye" || l == "greeting")
	}
}

// jddcNeutralWeight is how many times each neutral JDDC turn counts in the
// sentiment corpus. Reviews are never neutral and outnumber chat lines ten
// to one; with weight 1 a buyer's plain question (「能用信用卡吗」) read as
// negative. On the development split (validation-session turns without an
// opinion word) weight 3 took neutral 0.829 -> 0.930, laptop dev half
// 0.868 -> 0.863 (within noise), sentiment/dev 0.976 -> 0.964. With the
// reviews balanced (balanceReviews) weight 4: neutral 0.917 -> 0.930,
// laptop dev 0.879 -> 0.877 (noise). Session 10 added 600 written reviews
// (product-reviews-3), which pulled the neutral turns down 0.942 -> 0.933
// (mean of 3 seeds); weight 5 brings them back to 0.943 (laptop development
// half 0.922 -> 0.919 and written probe g 0.916 -> 0.924, against none of
// the new reviews at weight 4).
var jddcNeutralWeight = 5

// useBuyerPhrasing: train/intent_buyer_phrasing.csv is part of the corpus
// (and, like the hand-written rows, augmented and given order context).
var useBuyerPhrasing = true

// useBuyerPhrasing2: train/intent_buyer_phrasing2.csv is part of the corpus
// (fourth round; augmented and given order context like the others).
var useBuyerPhrasing2 = true

// useBuyerPhrasing3: train/intent_buyer_phrasing3.csv is part of the corpus
// (session 8: shelf-life questions with a time word, 保质期到什么时候, read
// as delivery_time; augmented and given order context like the others).
var useBuyerPhrasing3 = true

// useBuyerPhrasing4: train/intent_buyer_phrasing4.csv is part of the corpus
// (session 9: what a written probe of colloquial buyer questions showed
// misread; augmented and given order context like the others).
var useBuyerPhrasing4 = true

// textAloneLabel is the label of a JDDC turn read without its conversation:
// 「大概多久能到」 asked in a conversation about an order is order_status,
// but the same words alone ask how long delivery takes (delivery_time, a
// pre-sale question), the reading the hand-written data and the metric
// definitions use when no order is in sight.
func textAloneLabel(e Example) string {
	if !relabelTextAlone || e.Label != "order_status" || !e.Context.OrderReferenced || jddcOrderRef(e.Text) {
		return e.Label
	}
	for _, w := range []string{"多久", "几天", "什么时候", "啥时候", "何时", "多长时间", "几号"} {
		if strings.Contains(e.Text, w) {
			return "delivery_time"
		}
	}
	return e.Label
}

// laptopDevWeight is how many times the development half of ChnSentiCorp's
// JD laptop reviews (LaptopDev) counts in the sentiment corpus; 0 keeps
// every laptop review out, so that sentiment/laptop is a cross-domain test
// (as the embedded model was trained up to the fourth round). They are the
// only real product reviews of an online shop in the data, which is what a
// shop's sentiment reads. On the development split (trained with the half
// of LaptopDev whose second hash byte is even, scored on the other half:
// TestDevExperiment, X_LDW), weights 0/1/2/3/5/8 gave 0.8975/0.9087/
// 0.9101/0.9101/0.9115/0.9101 on those reviews, while the JDDC turns
// without an opinion word read neutral less often from weight 3 up
// (0.933/0.933/0.929/0.929/0.922/0.920) and sentiment/dev stayed at
// 0.960-0.964: 2 takes the gain and keeps chat lines neutral. Since
// session 11, 3: with the sentiment feature scale of session 11
// (sentimentScalePow) weight 2 cost the laptop development half about half
// a point; 3 holds it (0.9185 before, 0.9171 after; 2 seeds).
var laptopDevWeight = 3

// skipLaptopDev, when set (by the development harness), keeps those laptop
// development reviews out of training to validate on.
var skipLaptopDev func(text string) bool

// skipReview, when set (by the development harness), keeps those reviews
// of every review file, laptop reviews included, out of training.
var skipReview func(text string) bool

// balanceReviews: each review file is balanced to as many positive as
// negative rows. The hotel reviews are 69 % positive and the food-delivery
// ones 67 % negative, so unbalanced they teach that hotel words are praise
// and delivery words complaints; on another domain (the laptop development
// half) that cost: 0.863 -> 0.879 balanced, the rest unchanged.
var balanceReviews = true

// balanceCopies returns the rows to add so that the rarer label of a review
// file counts as often as the commoner one: its rows repeated in order
// (deterministic).
func balanceCopies(ex []Example) []Example {
	n := map[string]int{}
	for _, e := range ex {
		n[e.Label]++
	}
	var out []Example
	for l, c := range n {
		for o, d := range n {
			if o == l || c >= d {
				continue
			}
			need := d - c
			for i := 0; need > 0; i = (i + 1) % len(ex) {
				if ex[i].Label == l {
					out = append(out, ex[i])
					need--
				}
			}
		}
	}
	return out
}

// addRepeat adds ex weight−1 more times as the source name, so that ex
// counts weight times in training; what names the rows and why (with its
// leading ": ", or empty) says why they weigh more.
func (c *Corpus) addRepeat(name string, ex []Example, weight int, what, why string) {
	var rep []Example
	for i := 1; i < weight; i++ {
		rep = append(rep, ex...)
	}
	c.Add(Source{Name: name, Detail: fmt.Sprintf("%s %d times more (weight %d)%s", what, weight-1, weight, why)}, rep)
}
