// Package kafkalocal runs an in-process Kafka (franz-go's kfake, which
// speaks the real wire protocol) for the zero-setup default and for tests.
// It is not a production broker: one node, data in memory unless a data
// directory is given.
package kafkalocal
