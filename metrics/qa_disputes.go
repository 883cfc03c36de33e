package metrics

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/convintel/convintel/warehouse"
)

// Dispute verdicts (申诉) a supervisor records on a violation: disputed
// (申诉中: the agent contests it and it is under review, or it is judged a
// false match) and accepted (确认违规: the violation stands). The latest
// verdict wins; reports show disputed violations apart from the others.
const (
	DisputeDisputed = "disputed"
	DisputeAccepted = "accepted"
)

// Dispute is one verdict on the violation ViolationID (from `metrics show
// violations` or the QA page).
type Dispute struct {
	ViolationID string
	Status      string
	Note        string
	DecidedBy   string
	At          time.Time
}

var violationIDRe = regexp.MustCompile(`^[0-9a-f]{16}$`)

// RecordDispute stores d beside the violation it is about (table
// qa_disputes, never dropped by a metrics run: a recomputed violation
// keeps its id and so its verdict). The violation must exist.
func RecordDispute(ctx context.Context, conn warehouse.Conn, d Dispute) error {
	if !violationIDRe.MatchString(d.ViolationID) {
		return fmt.Errorf("violation id %q: expected 16 hex digits as `metrics show violations` prints them", d.ViolationID)
	}
	if d.Status != DisputeDisputed && d.Status != DisputeAccepted {
		return fmt.Errorf("dispute status %q: use %s or %s", d.Status, DisputeDisputed, DisputeAccepted)
	}
	d.Note = strings.TrimSpace(d.Note)
	if utf8.RuneCountInString(d.Note) > 500 || !utf8.ValidString(d.Note) {
		return fmt.Errorf("dispute note: at most 500 characters of UTF-8")
	}
	stmt, err := render("qa_violation_of", nil)
	if err != nil {
		return err
	}
	recs, err := queryRecords(ctx, conn, stmt, d.ViolationID)
	if err != nil {
		return err
	}
	if len(recs) == 0 {
		return fmt.Errorf("no violation %s is stored (run `metrics run` for its day, or check the id)", d.ViolationID)
	}
	if d.At.IsZero() {
		d.At = time.Now()
	}
	return insertFile(ctx, conn, "qa_disputes_insert", func(b driver.Batch) error {
		return b.Append(d.ViolationID, recs[0]["date"], recs[0]["shop_id"], d.Status, d.Note, d.DecidedBy, d.At.UnixMilli())
	})
}
