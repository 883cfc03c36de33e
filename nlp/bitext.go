package nlp

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
)

// BitextIntentMap maps the intents of the Bitext customer-support set
// (English, generated requests) onto the taxonomy. Intents without a
// counterpart (place_order, review, set_up_shipping_address) are dropped;
// the account intents become "other", as a shop's chat has them too.
var BitextIntentMap = map[string]string{
	"cancel_order":             "cancel_order",
	"check_cancellation_fee":   "cancel_order",
	"change_order":             "modify_order",
	"change_shipping_address":  "modify_order",
	"track_order":              "order_status",
	"delivery_period":          "delivery_time",
	"delivery_options":         "delivery_time",
	"check_invoice":            "invoice",
	"get_invoice":              "invoice",
	"get_refund":               "refund",
	"track_refund":             "refund",
	"check_refund_policy":      "refund",
	"check_payment_methods":    "payment",
	"payment_issue":            "payment",
	"complaint":                "quality_complaint",
	"contact_human_agent":      "human_request",
	"contact_customer_service": "human_request",
	"create_account":           "other",
	"delete_account":           "other",
	"edit_account":             "other",
	"switch_account":           "other",
	"recover_password":         "other",
	"registration_problems":    "other",
	"newsletter_subscription":  "other",
}

// ReadBitext reads the Bitext CSV (columns include instruction and intent;
// responses span lines) and returns the requests whose intent
// BitextIntentMap maps, labelled with our intent.
func ReadBitext(r io.Reader) ([]Example, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("bitext header: %w", err)
	}
	ti, ii := -1, -1
	for i, h := range head {
		switch h {
		case "instruction":
			ti = i
		case "intent":
			ii = i
		}
	}
	if ti < 0 || ii < 0 {
		return nil, fmt.Errorf("bitext header %q lacks instruction and intent", strings.Join(head, ","))
	}
	var out []Example
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("bitext: %w", err)
		}
		if len(rec) <= max(ti, ii) {
			continue
		}
		if l, ok := BitextIntentMap[rec[ii]]; ok {
			if t := strings.TrimSpace(rec[ti]); t != "" {
				out = append(out, Example{Text: t, Label: l})
			}
		}
	}
	return out, nil
}
