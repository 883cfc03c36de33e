package ingest

// Event types of the event contract (../shared/spec/events.md).
const (
	TypeConversationStarted = "conversation_started"
	TypeMessage             = "message"
	TypeHandoff             = "handoff"
	TypeConversationEnded   = "conversation_ended"
	TypeRating              = "rating"
	TypeOrder               = "order"
)

// EventTypes lists every contract type, in a stable order.
var EventTypes = []string{TypeConversationStarted, TypeMessage, TypeHandoff, TypeConversationEnded, TypeRating, TypeOrder}

// Senders of a message.
const (
	SenderCustomer = "customer"
	SenderBot      = "bot"
	SenderAgent    = "agent"
)

// Order statuses.
const (
	OrderCreated   = "created"
	OrderPaid      = "paid"
	OrderCancelled = "cancelled"
	OrderRefunded  = "refunded"
)

// Event is one decoded, validated contract event. Optional fields the
// source did not send are zero values; Resolved is -1 when unknown.
type Event struct {
	EventID    string
	Type       string
	TsMs       int64 // epoch milliseconds at the source
	ShopID     string
	CustomerID string
	Channel    string

	ConversationID string
	ProductID      string

	// message
	MessageID        string
	Sender           string
	AgentID          string
	Text             string
	OrderID          string // also for order events
	Intent           string
	IntentConfidence float32
	BotFallback      bool

	// handoff
	Reason string

	// conversation_ended: -1 unknown, 0 false, 1 true
	Resolved int8

	// rating
	Score uint8

	// order
	Status      string
	AmountCents int64
	Currency    string
	Items       []OrderItem

	// Extra holds unknown top-level fields as a JSON object ("" when none).
	Extra string

	// Enrichment, filled by the NLP stage for messages before storage.
	Enrichment Enrichment
}

// OrderItem is one line of an order.
type OrderItem struct {
	ProductID  string
	SKU        string
	Qty        uint32
	PriceCents int64
}

// Enrichment is what the NLP stage adds to a message. Text is replaced by
// its masked form in Event.Text; the fields here are the derived labels.
type Enrichment struct {
	IntentSource   string // "upstream", "model" or "" (not a customer message)
	Topics         []string
	SentimentScore float32
	SentimentLabel string
	Signature      string
	// Model is the NLP model version that produced the enrichment
	// (nlp.Model.Version; column nlp_model), "" when no model read it.
	Model string
}

// Enricher fills the enrichment of a message event in place (masking its
// text). It is the NLP slot in the ingest path; nil means no enrichment,
// which still must not store raw text unless configured (see Pipeline).
type Enricher func(e *Event)
