package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/convintel/convintel/ingest/kafkalocal"
)

func newBrokerCmd(a *app) *cobra.Command {
	var port int
	var memory bool
	cmd := &cobra.Command{
		Use:   "broker",
		Short: "Run the embedded Kafka as its own process (local development, reliability tests)",
		Long: `broker runs the in-process Kafka that ingest uses by default (franz-go kfake,
which speaks the real Kafka protocol) as a standalone process, so that
producers and several ingest processes can share it, and killing ingest
does not kill the broker. Topics and offsets persist under --home unless
--memory is given. It is a development broker, not a production one.`,
		Example: `  convintel broker --port 9092 &
  convintel ingest --brokers 127.0.0.1:9092`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o := kafkalocal.Options{Port: port, Partitions: a.cfg.Kafka.Partitions, Topics: []string{a.cfg.Kafka.Topic, a.cfg.Kafka.DeadLetterTopic}}
			if !memory {
				o.DataDir = filepath.Join(a.cfg.Home, "kafka")
			}
			b, err := kafkalocal.Start(o)
			if err != nil {
				return err
			}
			defer b.Close()
			fmt.Fprintf(cmd.OutOrStdout(), "embedded Kafka listening on %s (Ctrl-C to stop)\n", strings.Join(b.Addrs(), ","))
			<-cmd.Context().Done()
			return nil
		},
	}
	cmd.Flags().IntVar(&port, "port", 9092, "port on 127.0.0.1")
	cmd.Flags().BoolVar(&memory, "memory", false, "keep topics in memory only")
	return cmd
}
