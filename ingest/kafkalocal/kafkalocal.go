package kafkalocal

import (
	"fmt"

	"github.com/twmb/franz-go/pkg/kfake"
)

// Broker is a running embedded Kafka.
type Broker struct {
	c *kfake.Cluster
}

// Options for Start.
type Options struct {
	// Port to listen on (0: a free loopback port).
	Port int
	// DataDir keeps topics and offsets across restarts ("" = memory only).
	DataDir string
	// Partitions of auto-created topics.
	Partitions int
	// Topics to create up front.
	Topics []string
}

// Start starts an embedded broker on 127.0.0.1.
func Start(o Options) (*Broker, error) {
	if o.Partitions <= 0 {
		o.Partitions = 4
	}
	opts := []kfake.Opt{
		kfake.NumBrokers(1),
		kfake.DefaultNumPartitions(o.Partitions),
		kfake.AllowAutoTopicCreation(),
	}
	if o.Port != 0 {
		opts = append(opts, kfake.Ports(o.Port))
	}
	if o.DataDir != "" {
		opts = append(opts, kfake.DataDir(o.DataDir))
	}
	if len(o.Topics) > 0 {
		opts = append(opts, kfake.SeedTopics(int32(o.Partitions), o.Topics...))
	}
	c, err := kfake.NewCluster(opts...)
	if err != nil {
		return nil, fmt.Errorf("start embedded Kafka: %w", err)
	}
	return &Broker{c: c}, nil
}

// Addrs returns the listen addresses (host:port).
func (b *Broker) Addrs() []string { return b.c.ListenAddrs() }

// Close stops the broker.
func (b *Broker) Close() { b.c.Close() }
