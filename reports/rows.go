package reports

import (
	"context"
	"fmt"
	"time"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/warehouse"
)

// Source reads the stored metrics: the rows of one metric (metrics.Show)
// and the alerts in their latest state (metrics.Alerts, typed). It is a
// connection in production (ShowSource), a cache in the dashboards.
type Source interface {
	Show(ctx context.Context, name string, q metrics.Query) ([]metrics.Row, error)
	Alerts(ctx context.Context, q metrics.Query) ([]metrics.Alert, error)
}

// ShowSource reads the stored metric tables of conn.
func ShowSource(conn warehouse.Conn) Source { return connSource{conn} }

type connSource struct{ conn warehouse.Conn }

func (c connSource) Show(ctx context.Context, name string, q metrics.Query) ([]metrics.Row, error) {
	return metrics.Show(ctx, c.conn, name, q)
}

func (c connSource) Alerts(ctx context.Context, q metrics.Query) ([]metrics.Alert, error) {
	return metrics.Alerts(ctx, c.conn, q)
}

// The helpers below read a field of a metric row whatever numeric type
// Show gave it; a missing field reads as zero.

func fInt(r metrics.Row, k string) int64 {
	v, _ := r.Get(k)
	n, _ := metrics.Int(v)
	return n
}

func fFloat(r metrics.Row, k string) float64 {
	v, _ := r.Get(k)
	f, _ := metrics.Float(v)
	return f
}

func fMoney(r metrics.Row, k string) metrics.Money { return metrics.Money(fInt(r, k)) }

func fString(r metrics.Row, k string) string {
	v, _ := r.Get(k)
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

func fStrings(r metrics.Row, k string) []string {
	v, _ := r.Get(k)
	s, _ := v.([]string)
	return s
}

func fDate(r metrics.Row, k string, loc *time.Location) time.Time {
	v, _ := r.Get(k)
	var t time.Time
	switch x := v.(type) {
	case metrics.Date:
		t = time.Time(x)
	case time.Time:
		t = x
	case string:
		t, _ = time.Parse(time.DateOnly, x)
	default:
		return time.Time{}
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
}

func conversionOf(r metrics.Row) Conversion {
	return Conversion{
		ConsultingBuyers:  fInt(r, "consulting_buyers"),
		OrderedBuyers:     fInt(r, "ordered_buyers"),
		SameDayPaidBuyers: fInt(r, "same_day_paid_buyers"),
		FinalPaidBuyers:   fInt(r, "final_paid_buyers"),
		FinalPaidAmount:   fMoney(r, "final_paid_amount"),
		OrderRate:         fFloat(r, "order_rate"),
		SameDayPayRate:    fFloat(r, "same_day_pay_rate"),
		FinalPayRate:      fFloat(r, "final_pay_rate"),
	}
}

func sentimentOf(r metrics.Row) Sentiment {
	return Sentiment{
		Consultations: fInt(r, "consultations"),
		Negative:      fInt(r, "negative"),
		Recovered:     fInt(r, "recovered"),
		NegativeRate:  fFloat(r, "negative_rate"),
		RecoveryRate:  fFloat(r, "recovery_rate"),
		AvgScore:      fFloat(r, "avg_score"),
	}
}

func serviceOf(r metrics.Row) Service {
	return Service{
		Consultations:        fInt(r, "consultations"),
		BotConsultations:     fInt(r, "bot_consultations"),
		Handoffs:             fInt(r, "handoffs"),
		HandoffRate:          fFloat(r, "handoff_rate"),
		ContainmentRate:      fFloat(r, "containment_rate"),
		FRTBotP50:            fFloat(r, "frt_bot_p50_ms"),
		FRTBotP90:            fFloat(r, "frt_bot_p90_ms"),
		FRTHumanP50:          fFloat(r, "frt_human_p50_ms"),
		FRTHumanP90:          fFloat(r, "frt_human_p90_ms"),
		CSAT:                 fFloat(r, "csat"),
		AvgRating:            fFloat(r, "avg_rating"),
		Ratings:              fInt(r, "ratings"),
		FallbackRate:         fFloat(r, "fallback_rate"),
		RepeatedQuestionRate: fFloat(r, "repeated_question_rate"),
	}
}
