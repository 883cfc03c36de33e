package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/convintel/convintel/ingest"
	"github.com/convintel/convintel/simulate"
	"github.com/convintel/convintel/warehouse"
)

// benchIngest runs the broker and two ingest runs (NLP on, off) as
// separate processes on the same produced data.
func benchIngest(ctx context.Context, o Options, r *Results, cfg simulate.Config) error {
	port, err := freeLoopbackPort()
	if err != nil {
		return err
	}
	broker := exec.CommandContext(ctx, o.Self, "broker", "--memory", "--port", strconv.Itoa(port), "--home", o.Home)
	broker.Stdout, broker.Stderr = io.Discard, os.Stderr
	broker.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := broker.Start(); err != nil {
		return err
	}
	defer func() { broker.Process.Kill(); broker.Wait() }()
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	if err := waitPort(ctx, addr, 10*time.Second); err != nil {
		return fmt.Errorf("bench broker: %w", err)
	}
	kc := o.Kafka
	kc.Brokers = []string{addr}
	kc.Topic = "bench.events"
	kc.DeadLetterTopic = "bench.dead-letters"
	fmt.Fprintf(o.Log, "==> producing simulated traffic to the bench broker (%d days × %d shops)\n", cfg.Days, cfg.Shops)
	t0 := time.Now()
	tally, err := o.Produce(ctx, kc, cfg)
	if err != nil {
		return err
	}
	r.EventsProduced = tally.LinesEmitted
	r.ProduceEventsPerS = round0(float64(tally.LinesEmitted) / time.Since(t0).Seconds())
	for _, run := range []struct {
		key   string
		dst   **IngestRun
		extra []string
	}{{"ingest_nlp", &r.IngestNLP, nil}, {"ingest_raw", &r.IngestRaw, []string{"--no-nlp"}}} {
		res, err := ingestRun(ctx, o, kc, broker.Process.Pid, run.key, run.extra, tally.LinesEmitted)
		if err != nil {
			return err
		}
		*run.dst = res
	}
	r.IngestPeakRSSBytes = max(r.IngestNLP.PeakRSSBytes, r.IngestRaw.PeakRSSBytes)
	r.IngestNLPVsRaw = round3(r.IngestNLP.MsgsPerS / r.IngestRaw.MsgsPerS)
	return nil
}

// ingestRun runs one `convintel ingest` process until the produced events
// are consumed, into a fresh database, and reads its summary.
func ingestRun(ctx context.Context, o Options, kc ingest.KafkaConfig, brokerPID int, key string, extra []string, produced int64) (*IngestRun, error) {
	c, dsn, err := freshDB(ctx, o, "bench_"+strings.TrimPrefix(key, "ingest_"))
	if err != nil {
		return nil, err
	}
	c.Close()
	sum := filepath.Join(o.Home, key+".summary.json")
	args := append([]string{"ingest", "--brokers", kc.Brokers[0], "--clickhouse", dsn, "--listen", "off",
		"--stop-when-idle", "3s", "--summary", sum, "--home", o.Home, "--log-level", "warn"}, extra...)
	shown := slices.Clone(args)
	shown[slices.Index(args, dsn)] = warehouse.RedactDSN(dsn) // the local server's password stays out of the log
	fmt.Fprintf(o.Log, "==> %s: convintel %s\n", key, strings.Join(shown, " "))
	cmd := exec.CommandContext(ctx, o.Self, args...)
	// The last, partial batch waits out ingest.batch_age for events that
	// never come; at the default 1 s that idle wait would be a third of a
	// 1 M-event run's active time.
	cmd.Env = append(os.Environ(), "CONVINTEL_INGEST_BATCH_AGE=100ms",
		"CONVINTEL_KAFKA_TOPIC="+kc.Topic, "CONVINTEL_KAFKA_DEAD_LETTER_TOPIC="+kc.DeadLetterTopic,
		"CONVINTEL_KAFKA_GROUP=bench-"+key+"-"+strconv.FormatInt(time.Now().UnixNano(), 36))
	cmd.Stdout, cmd.Stderr = o.Log, o.Log
	brokerCPU, chCPU := ProcessCPU(brokerPID), o.ClickHouseCPU()
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s: %w", key, err)
	}
	brokerCPU, chCPU = ProcessCPU(brokerPID)-brokerCPU, o.ClickHouseCPU()-chCPU
	var s IngestSummary
	b, err := os.ReadFile(sum)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, err
	}
	if s.Consumed != produced {
		return nil, fmt.Errorf("%s consumed %d of %d produced events", key, s.Consumed, produced)
	}
	// Where the cores went during the run (ClickHouse only when it is the
	// local server whose process we can see).
	return &IngestRun{
		MsgsPerS: round0(float64(s.Consumed) / s.ActiveSeconds), Seconds: round3(s.ActiveSeconds),
		PeakRSSBytes: s.PeakRSSBytes, CPUIngestS: round3(s.CPUSeconds), CPUBrokerS: round3(brokerCPU),
		CPUClickHouse: round3(chCPU),
	}, nil
}

func freeLoopbackPort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func waitPort(ctx context.Context, addr string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return fmt.Errorf("%s did not open within %s", addr, limit)
}
