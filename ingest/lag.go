package ingest

import (
	"context"
	"fmt"

	"github.com/segmentio/kafka-go"
)

// GroupLag returns how many events of the topic the consumer group has not
// committed yet, in total and per partition.
func (c KafkaConfig) GroupLag(ctx context.Context) (int64, map[int]int64, error) {
	tr, err := c.Transport()
	if err != nil {
		return 0, nil, err
	}
	cl := &kafka.Client{Addr: kafka.TCP(c.Brokers...), Transport: tr}
	md, err := cl.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{c.Topic}})
	if err != nil {
		return 0, nil, fmt.Errorf("kafka metadata: %w", err)
	}
	var parts []int
	for _, t := range md.Topics {
		if t.Name == c.Topic {
			for _, p := range t.Partitions {
				parts = append(parts, p.ID)
			}
		}
	}
	if len(parts) == 0 {
		return 0, map[int]int64{}, nil
	}
	reqs := make([]kafka.OffsetRequest, len(parts))
	for i, p := range parts {
		reqs[i] = kafka.LastOffsetOf(p)
	}
	lo, err := cl.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{c.Topic: reqs}})
	if err != nil {
		return 0, nil, fmt.Errorf("kafka list offsets: %w", err)
	}
	of, err := cl.OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: c.Group, Topics: map[string][]int{c.Topic: parts}})
	if err != nil {
		return 0, nil, fmt.Errorf("kafka committed offsets of group %s: %w", c.Group, err)
	}
	committed := map[int]int64{}
	for _, p := range of.Topics[c.Topic] {
		committed[p.Partition] = p.CommittedOffset
	}
	lag := map[int]int64{}
	var total int64
	for _, p := range lo.Topics[c.Topic] {
		end := p.LastOffset
		com := committed[p.Partition]
		if com < 0 {
			com = p.FirstOffset
		}
		l := max(end-com, 0)
		lag[p.Partition] = l
		total += l
	}
	return total, lag, nil
}
