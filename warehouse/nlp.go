package warehouse

import (
	"context"
	"fmt"
	"time"
)

// Queries of the NLP labelling loop (`convintel nlp sample`, status).
var (
	nlpSampleStrata   = embedded("nlp/sample_strata.sql")
	nlpSampleMessages = embedded("nlp/sample_messages.sql")
	nlpModelVersions  = embedded("nlp/model_versions.sql")
)

// SampleWindow selects the customer messages `nlp sample` draws from:
// [From, To) and one shop ("" = every shop).
type SampleWindow struct {
	From, To time.Time
	Shop     string
}

func (w SampleWindow) args() []any {
	return []any{w.From.Unix(), w.To.Unix(), w.From.UnixMilli(), w.To.UnixMilli(), w.Shop, w.Shop}
}

// IntentCount is the number of model-predicted messages of one intent.
type IntentCount struct {
	Intent   string
	Messages uint64
}

// SampleStrata counts the model-predicted customer messages of the window
// per predicted intent (distinct event_id).
func SampleStrata(ctx context.Context, conn Conn, w SampleWindow) ([]IntentCount, error) {
	rows, err := conn.Query(ctx, nlpSampleStrata, w.args()...)
	if err != nil {
		return nil, fmt.Errorf("count messages per intent: %w", err)
	}
	defer rows.Close()
	var out []IntentCount
	for rows.Next() {
		var c IntentCount
		if err := rows.Scan(&c.Intent, &c.Messages); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SampledMessage is one candidate for labelling.
type SampledMessage struct {
	ConversationID, EventID, ShopID string
	TsMs                            int64
	Text, Intent                    string
	Confidence                      float32
	Model                           string
	OrderReferenced                 bool    // the message event carried an order id (its NLP context)
	Key                             float64 // the sampling key; larger is drawn first
}

// SampleMessages returns, per predicted intent, the perIntent messages of
// the window with the largest sampling keys (see sample_messages.sql),
// ordered by intent and descending key.
func SampleMessages(ctx context.Context, conn Conn, w SampleWindow, perIntent int) ([]SampledMessage, error) {
	rows, err := conn.Query(ctx, nlpSampleMessages, append(w.args(), perIntent)...)
	if err != nil {
		return nil, fmt.Errorf("sample messages: %w", err)
	}
	defer rows.Close()
	var out []SampledMessage
	for rows.Next() {
		var m SampledMessage
		var order uint8
		if err := rows.Scan(&m.ConversationID, &m.EventID, &m.ShopID, &m.TsMs, &m.Text, &m.Intent, &m.Confidence, &m.Model, &order, &m.Key); err != nil {
			return nil, err
		}
		m.OrderReferenced = order != 0
		out = append(out, m)
	}
	return out, rows.Err()
}

// ModelUse is how many stored customer messages one NLP model version
// enriched, and when.
type ModelUse struct {
	Model       string    `json:"model"` // "" = not enriched by a recorded model
	Messages    uint64    `json:"messages"`
	First, Last time.Time `json:"-"`
	FirstTs     string    `json:"first"`
	LastTs      string    `json:"last"`
}

// ModelVersions lists the NLP model versions of the stored customer
// messages, the most recently used first.
func ModelVersions(ctx context.Context, conn Conn) ([]ModelUse, error) {
	return ModelVersionsIn(ctx, conn, time.Unix(0, 0), time.Unix(1<<32-1, 0))
}

// ModelVersionsIn is ModelVersions for the messages of [from, to).
func ModelVersionsIn(ctx context.Context, conn Conn, from, to time.Time) ([]ModelUse, error) {
	rows, err := conn.Query(ctx, nlpModelVersions, from.Unix(), to.Unix())
	if err != nil {
		return nil, fmt.Errorf("model versions of stored messages: %w", err)
	}
	defer rows.Close()
	var out []ModelUse
	for rows.Next() {
		var u ModelUse
		if err := rows.Scan(&u.Model, &u.Messages, &u.First, &u.Last); err != nil {
			return nil, err
		}
		u.FirstTs, u.LastTs = u.First.UTC().Format(time.RFC3339), u.Last.UTC().Format(time.RFC3339)
		out = append(out, u)
	}
	return out, rows.Err()
}
