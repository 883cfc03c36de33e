package ingest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/sasl"
	"github.com/segmentio/kafka-go/sasl/plain"
	"github.com/segmentio/kafka-go/sasl/scram"
)

// KafkaConfig says where events come from. No brokers means the embedded
// broker (see ingest/kafkalocal).
type KafkaConfig struct {
	Brokers         []string `yaml:"brokers"`
	Topic           string   `yaml:"topic"`
	DeadLetterTopic string   `yaml:"dead_letter_topic"`
	Group           string   `yaml:"group"`
	// Partitions is used when convintel creates the topic itself.
	Partitions int `yaml:"partitions"`
	// SessionTimeout is how long the group waits for a silent member
	// (e.g. one killed with SIGKILL) before giving its partitions to the
	// others; the partitions are not consumed meanwhile.
	SessionTimeout time.Duration `yaml:"session_timeout"`
	SASL           SASLConfig    `yaml:"sasl"`
	TLS            TLSConfig     `yaml:"tls"`
}

// SASLConfig enables SASL authentication.
type SASLConfig struct {
	// Mechanism is "", PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.
	Mechanism string `yaml:"mechanism"`
	Username  string `yaml:"username"`
	Password  string `yaml:"password"`
}

// TLSConfig enables TLS to the brokers.
type TLSConfig struct {
	Enabled            bool   `yaml:"enabled"`
	CAFile             string `yaml:"ca_file"`
	CertFile           string `yaml:"cert_file"`
	KeyFile            string `yaml:"key_file"`
	InsecureSkipVerify bool   `yaml:"insecure_skip_verify"`
}

// DefaultKafkaConfig returns the defaults.
func DefaultKafkaConfig() KafkaConfig {
	return KafkaConfig{
		Topic:           "convintel.events",
		DeadLetterTopic: "convintel.dead-letters",
		Group:           "convintel-ingest",
		Partitions:      4,
		SessionTimeout:  10 * time.Second,
	}
}

// Validate checks the Kafka settings.
func (c KafkaConfig) Validate() error {
	var errs []error
	if c.Topic == "" {
		errs = append(errs, errors.New("kafka.topic: must not be empty"))
	}
	if c.Group == "" {
		errs = append(errs, errors.New("kafka.group: must not be empty"))
	}
	if c.Partitions < 1 || c.Partitions > 1024 {
		errs = append(errs, fmt.Errorf("kafka.partitions %d: use 1..1024", c.Partitions))
	}
	if c.SessionTimeout < time.Second || c.SessionTimeout > 30*time.Minute {
		errs = append(errs, fmt.Errorf("kafka.session_timeout %s: use 1s..30m (brokers allow 6s..5m by default)", c.SessionTimeout))
	}
	switch c.SASL.Mechanism {
	case "", "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512":
	default:
		errs = append(errs, fmt.Errorf("kafka.sasl.mechanism %q: use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512", c.SASL.Mechanism))
	}
	if (c.TLS.CertFile == "") != (c.TLS.KeyFile == "") {
		errs = append(errs, errors.New("kafka.tls: cert_file and key_file go together"))
	}
	return errors.Join(errs...)
}

func (c KafkaConfig) mechanism() (sasl.Mechanism, error) {
	switch c.SASL.Mechanism {
	case "":
		return nil, nil
	case "PLAIN":
		return plain.Mechanism{Username: c.SASL.Username, Password: c.SASL.Password}, nil
	case "SCRAM-SHA-256":
		return scram.Mechanism(scram.SHA256, c.SASL.Username, c.SASL.Password)
	case "SCRAM-SHA-512":
		return scram.Mechanism(scram.SHA512, c.SASL.Username, c.SASL.Password)
	}
	return nil, fmt.Errorf("unknown SASL mechanism %q", c.SASL.Mechanism)
}

func (c KafkaConfig) tlsConfig() (*tls.Config, error) {
	if !c.TLS.Enabled {
		return nil, nil
	}
	tc := &tls.Config{InsecureSkipVerify: c.TLS.InsecureSkipVerify, MinVersion: tls.VersionTLS12}
	if c.TLS.CAFile != "" {
		pem, err := os.ReadFile(c.TLS.CAFile)
		if err != nil {
			return nil, fmt.Errorf("kafka.tls.ca_file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("kafka.tls.ca_file %s: no PEM certificates", c.TLS.CAFile)
		}
		tc.RootCAs = pool
	}
	if c.TLS.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(c.TLS.CertFile, c.TLS.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("kafka.tls client certificate: %w", err)
		}
		tc.Certificates = []tls.Certificate{cert}
	}
	return tc, nil
}

// auth returns the SASL mechanism and TLS config (either may be nil).
func (c KafkaConfig) auth() (sasl.Mechanism, *tls.Config, error) {
	mech, err := c.mechanism()
	if err != nil {
		return nil, nil, err
	}
	tc, err := c.tlsConfig()
	return mech, tc, err
}

// Dialer returns a kafka-go dialer with the SASL/TLS settings.
func (c KafkaConfig) Dialer() (*kafka.Dialer, error) {
	mech, tc, err := c.auth()
	if err != nil {
		return nil, err
	}
	return &kafka.Dialer{Timeout: 10 * time.Second, DualStack: true, SASLMechanism: mech, TLS: tc, ClientID: "convintel"}, nil
}

// Transport returns a kafka-go transport (for writers) with SASL/TLS.
func (c KafkaConfig) Transport() (*kafka.Transport, error) {
	mech, tc, err := c.auth()
	if err != nil {
		return nil, err
	}
	return &kafka.Transport{SASL: mech, TLS: tc, ClientID: "convintel", DialTimeout: 10 * time.Second}, nil
}

// EnsureTopics creates the event and dead-letter topics when missing.
func (c KafkaConfig) EnsureTopics(ctx context.Context) error {
	d, err := c.Dialer()
	if err != nil {
		return err
	}
	var conn *kafka.Conn
	for _, b := range c.Brokers {
		if conn, err = d.DialContext(ctx, "tcp", b); err == nil {
			break
		}
	}
	if conn == nil {
		return fmt.Errorf("no Kafka broker of %v answers (check kafka.brokers / CONVINTEL_KAFKA_BROKERS or --brokers; leave them empty for the embedded broker): %w", c.Brokers, err)
	}
	defer conn.Close()
	ctl, err := conn.Controller()
	if err != nil {
		return fmt.Errorf("find Kafka controller: %w", err)
	}
	cc, err := d.DialContext(ctx, "tcp", ctl.Host+":"+strconv.Itoa(ctl.Port))
	if err != nil {
		return fmt.Errorf("dial Kafka controller: %w", err)
	}
	defer cc.Close()
	topics := []kafka.TopicConfig{{Topic: c.Topic, NumPartitions: c.Partitions, ReplicationFactor: 1}}
	if c.DeadLetterTopic != "" {
		topics = append(topics, kafka.TopicConfig{Topic: c.DeadLetterTopic, NumPartitions: 1, ReplicationFactor: 1})
	}
	if err := cc.CreateTopics(topics...); err != nil && !errors.Is(err, kafka.TopicAlreadyExists) {
		return fmt.Errorf("create topics: %w", err)
	}
	return nil
}

// NewDeadLetterTopicSink returns a sink that produces dead letters to the
// dead-letter topic (value: raw bytes; headers: reason, detail, location).
func NewDeadLetterTopicSink(c KafkaConfig) (DeadLetterSink, func() error, error) {
	tr, err := c.Transport()
	if err != nil {
		return nil, nil, err
	}
	w := &kafka.Writer{Addr: kafka.TCP(c.Brokers...), Topic: c.DeadLetterTopic, Transport: tr,
		RequiredAcks: kafka.RequireAll, BatchTimeout: 10 * time.Millisecond, AllowAutoTopicCreation: true}
	sink := func(ctx context.Context, dls []DeadLetter) error {
		msgs := make([]kafka.Message, len(dls))
		for i, d := range dls {
			d = d.Masked() // a no-op for the pipeline's, masked already
			raw := d.Raw
			msgs[i] = kafka.Message{Key: []byte(d.Location), Value: raw, Headers: []kafka.Header{
				{Key: "reason", Value: []byte(d.Reason)},
				{Key: "detail", Value: []byte(d.Detail)},
				{Key: "source", Value: []byte(d.Source)},
				{Key: "location", Value: []byte(d.Location)},
			}}
		}
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if err := w.WriteMessages(wctx, msgs...); err != nil {
			return fmt.Errorf("produce %d dead letters to %s: %w", len(msgs), c.DeadLetterTopic, err)
		}
		return nil
	}
	return sink, w.Close, nil
}

// NewProducer returns a writer to the event topic, keyed by buyer so one
// buyer's events stay in one partition, in order.
func NewProducer(c KafkaConfig) (*kafka.Writer, error) {
	tr, err := c.Transport()
	if err != nil {
		return nil, err
	}
	return &kafka.Writer{Addr: kafka.TCP(c.Brokers...), Topic: c.Topic, Transport: tr,
		Balancer: &kafka.Hash{}, RequiredAcks: kafka.RequireAll, BatchSize: 5000, BatchBytes: 8 << 20,
		BatchTimeout: 20 * time.Millisecond, Compression: kafka.Lz4, AllowAutoTopicCreation: true}, nil
}
