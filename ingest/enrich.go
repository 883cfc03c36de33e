package ingest

import "github.com/convintel/convintel/nlp"

// NLPEnricher returns the enrichment stage for model: customer messages
// get intent (upstream label trusted), topics, sentiment and a question
// signature; every message's text is PII-masked. With model nil only the
// masking runs (the "NLP off" mode). With keepRawText the text is stored
// unmasked (a deployment setting for sites that are allowed to).
//
// A customer message is read in its conversation's context (does the
// conversation reference an order, what did the bot or agent last say; see
// nlp.Context), which the enricher remembers from the messages it has seen.
//
// Each enriched message records model.Version() (computed once here, so
// the per-event cost is one string header copy).
func NLPEnricher(model *nlp.Model, keepRawText bool) Enricher {
	var version string
	if model != nil {
		version = model.Version()
	}
	convs := newConvContexts()
	return func(e *Event) {
		if e.Sender != SenderCustomer || model == nil {
			if !keepRawText {
				e.Text = nlp.Mask(e.Text)
			}
			if model != nil {
				convs.observe(e) // after masking: the reply kept is masked
			}
			return
		}
		a := model.AnalyzeInContext(e.Text, convs.observe(e), e.Intent, e.IntentConfidence)
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
