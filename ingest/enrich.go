package ingest

import "github.com/convintel/convintel/nlp"

// NLPEnricher returns the enrichment stage for model: customer messages
// get intent (upstream label trusted), topics, sentiment and a question
// signature; every message's text is PII-masked. With model nil only the
// masking runs (the "NLP off" mode). With keepRawText the text is stored
// unmasked (a deployment setting for sites that are allowed to).
//
// Each enriched message records model.Version() (computed once here, so
// the per-event cost is one string header copy).
//
// Short customer messages go through an nlp.Cache of the model (exact
// text; chat repeats 在吗, 好的, 包邮吗): the same Analysis, computed once.
// A new model gets a new enricher and so a new cache.
func NLPEnricher(model *nlp.Model, keepRawText bool) Enricher {
	var version string
	var cache *nlp.Cache
	if model != nil {
		version = model.Version()
		cache = nlp.NewCache(model, nlp.DefaultCacheEntries)
	}
	return func(e *Event) {
		if e.Sender != SenderCustomer || model == nil {
			if !keepRawText {
				e.Text = nlp.Mask(e.Text)
			}
			return
		}
		// Context only from the event itself: a message that carries an
		// order id is about that order (「什么时候到」 → order_status, not
		// delivery_time). What the enricher has seen of the conversation
		// is not used: it depends on batch boundaries, restarts and which
		// consumer of the group read the conversation, and a stored label
		// must not (the crash, rebalance and cluster tests compare rows
		// byte for byte). See docs/nlp.md, "Conversation context".
		a := cache.AnalyzeInContext(e.Text, nlp.Context{OrderReferenced: e.OrderID != ""}, e.Intent, e.IntentConfidence)
		if !keepRawText {
			e.Text = a.MaskedText
		}
		e.Intent = a.Intent
		e.IntentConfidence = a.IntentConfidence
		e.Enrichment = Enrichment{
			IntentSource:   a.IntentSource,
			Topics:         a.Topics,
			SentimentScore: a.SentimentScore,
			SentimentLabel: a.SentimentLabel,
			Signature:      a.Signature,
			Model:          version,
		}
	}
}
