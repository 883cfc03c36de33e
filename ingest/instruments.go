package ingest

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// Metrics are the ingest path's Prometheus instruments.
type Metrics struct {
	Consumed      prometheus.Counter
	Inserted      *prometheus.CounterVec
	DeadLettered  *prometheus.CounterVec
	InsertRetries prometheus.Counter
	InsertSeconds *prometheus.HistogramVec
	BatchSeconds  prometheus.Histogram
	BatchEvents   prometheus.Histogram
	Lag           prometheus.Gauge
	Healthy       prometheus.Gauge
}

// NewMetrics registers the ingest instruments on reg (nil: not registered).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	f := promauto.With(reg)
	return &Metrics{
		Consumed: f.NewCounter(prometheus.CounterOpts{Name: "convintel_ingest_consumed_total",
			Help: "Raw events read from Kafka or files."}),
		Inserted: f.NewCounterVec(prometheus.CounterOpts{Name: "convintel_ingest_inserted_rows_total",
			Help: "Rows accepted by ClickHouse, per table (retried batches count again)."}, []string{"table"}),
		DeadLettered: f.NewCounterVec(prometheus.CounterOpts{Name: "convintel_ingest_dead_letters_total",
			Help: "Events set aside as dead letters, per reason."}, []string{"reason"}),
		InsertRetries: f.NewCounter(prometheus.CounterOpts{Name: "convintel_ingest_insert_retries_total",
			Help: "Failed insert attempts that were retried with backoff."}),
		InsertSeconds: f.NewHistogramVec(prometheus.HistogramOpts{Name: "convintel_ingest_insert_seconds",
			Help: "Latency of one INSERT, per table.", Buckets: prometheus.ExponentialBuckets(0.001, 2, 16)}, []string{"table"}),
		BatchSeconds: f.NewHistogram(prometheus.HistogramOpts{Name: "convintel_ingest_batch_seconds",
			Help: "Time from a batch's decode start to its ack.", Buckets: prometheus.ExponentialBuckets(0.001, 2, 16)}),
		BatchEvents: f.NewHistogram(prometheus.HistogramOpts{Name: "convintel_ingest_batch_events",
			Help: "Raw events per batch.", Buckets: prometheus.ExponentialBuckets(1, 4, 10)}),
		Lag: f.NewGauge(prometheus.GaugeOpts{Name: "convintel_ingest_consumer_lag",
			Help: "Messages behind the end of the topic, summed over assigned partitions."}),
		Healthy: f.NewGauge(prometheus.GaugeOpts{Name: "convintel_ingest_healthy",
			Help: "1 while ClickHouse accepts inserts, 0 while retrying."}),
	}
}
