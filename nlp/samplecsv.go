package nlp

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SampleHeader is the header of the CSV `convintel nlp sample` writes; a
// labeller fills the last column and `nlp train --labels` reads it back.
// order_referenced (1 or 0) is the context the message was read in: its
// event carried an order id (ingest's Context.OrderReferenced).
var SampleHeader = []string{"conversation_id", "event_id", "shop_id", "time", "text", "order_referenced", "predicted", "confidence", "model", "label"}

// SampledMessage is one stored customer message drawn for labelling.
type SampledMessage struct {
	ConversationID, EventID, ShopID string
	TsMs                            int64
	Text, Intent                    string
	Confidence                      float32
	Model                           string
	OrderReferenced                 bool
}

// PickSample takes from candidates (ordered by intent, most wanted first)
// up to each intent's quota, and orders the picks as a labeller reads them:
// a conversation's messages together, in time order.
func PickSample(candidates []SampledMessage, quotas map[string]int) []SampledMessage {
	var picked []SampledMessage
	taken := map[string]int{}
	for _, m := range candidates {
		if taken[m.Intent] < quotas[m.Intent] {
			taken[m.Intent]++
			picked = append(picked, m)
		}
	}
	slices.SortFunc(picked, func(a, b SampledMessage) int {
		if c := strings.Compare(a.ConversationID, b.ConversationID); c != 0 {
			return c
		}
		if a.TsMs != b.TsMs {
			return int(a.TsMs - b.TsMs)
		}
		return strings.Compare(a.EventID, b.EventID)
	})
	return picked
}

// WriteSampleCSV writes the sample with an empty label column, times in
// loc. The text is masked again: stored text is masked already, unless a
// site keeps raw text.
func WriteSampleCSV(dst io.Writer, sample []SampledMessage, loc *time.Location) error {
	cw := csv.NewWriter(dst)
	cw.Write(SampleHeader)
	for _, m := range sample {
		cw.Write([]string{m.ConversationID, m.EventID, m.ShopID,
			time.UnixMilli(m.TsMs).In(loc).Format("2006-01-02 15:04:05"),
			Mask(m.Text), flag01(m.OrderReferenced), m.Intent, strconv.FormatFloat(float64(m.Confidence), 'f', 3, 32), m.Model, ""})
	}
	cw.Flush()
	return cw.Error()
}

func flag01(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// parseFlag reads a 1/0 (true/false, yes/no) column; empty is false.
func parseFlag(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "0", "false", "no", "n":
		return false, nil
	case "1", "true", "yes", "y":
		return true, nil
	}
	return false, fmt.Errorf("%q is not 1 or 0", s)
}
