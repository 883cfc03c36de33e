package ingest

import (
	"sync/atomic"

	"github.com/convintel/convintel/nlp"
)

// ModelHolder holds the NLP model of a running ingest so that a model
// activated in the registry (`convintel nlp models activate`, or a newly
// accepted `nlp train`) takes over without a restart. Each enriched row
// records the version of the model that read it, so the switch is visible
// in the data.
type ModelHolder struct {
	keepRawText bool
	cur         atomic.Pointer[liveModel]
}

type liveModel struct {
	version string
	enrich  Enricher
}

// NewModelHolder holds model (nil = masking only, as NLPEnricher).
func NewModelHolder(model *nlp.Model, keepRawText bool) *ModelHolder {
	h := &ModelHolder{keepRawText: keepRawText}
	h.Swap(model)
	return h
}

// Swap makes model the one the holder's enricher uses from the next event
// on and returns the version it replaced.
func (h *ModelHolder) Swap(model *nlp.Model) (previous string) {
	lm := &liveModel{enrich: NLPEnricher(model, h.keepRawText)}
	if model != nil {
		lm.version = model.Version()
	}
	if old := h.cur.Swap(lm); old != nil {
		previous = old.version
	}
	return previous
}

// Version is the version of the held model ("" = none).
func (h *ModelHolder) Version() string { return h.cur.Load().version }

// Enricher enriches with whichever model is held when an event is read
// (one atomic load per event).
func (h *ModelHolder) Enricher() Enricher {
	return func(e *Event) { h.cur.Load().enrich(e) }
}
