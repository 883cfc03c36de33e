package reliability

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/valyala/fastjson"

	"github.com/convintel/convintel/ingest"
	"github.com/convintel/convintel/simulate"
	"github.com/convintel/convintel/warehouse"
	"github.com/convintel/convintel/warehouse/chlocal"
)

// Environment that steers the suite.
const (
	// EnvMode = "full" runs the long versions (1 M events, 30 s outage).
	EnvMode = "CONVINTEL_RELIABILITY"
	// EnvFigures names a file the measured figures are appended to (JSON lines).
	EnvFigures = "CONVINTEL_RELIABILITY_FIGURES"
	// EnvBin is the convintel binary to test (default: built by the test).
	EnvBin = "CONVINTEL_BIN"
	// EnvClickHouse is a running server (clickhouse://127.0.0.1:PORT) for
	// the scenarios that do not stop it.
	EnvClickHouse = "CONVINTEL_TEST_CLICKHOUSE"
)

// sessionTimeout is the consumer-group session timeout the ingest
// processes run with: the broker's minimum, so that the partitions of a
// SIGKILLed member move on as soon as the broker allows.
const sessionTimeout = 6 * time.Second

func fullMode() bool { return os.Getenv(EnvMode) == "full" }

func modeName() string {
	if fullMode() {
		return "full"
	}
	return "short"
}

var (
	tmpRoot string

	buildOnce sync.Once
	binPath   string
	buildErr  error

	chOnce   sync.Once
	sharedCH *clickHouse
	chErr    error

	dbSeq atomic.Int64
)

func TestMain(m *testing.M) {
	var err error
	tmpRoot, err = os.MkdirTemp("", "convintel-reliability-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	if sharedCH != nil {
		sharedCH.stop()
	}
	os.RemoveAll(tmpRoot)
	os.Exit(code)
}

func skipShort(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("reliability scenarios run the real binary against real servers; skipped with -short")
	}
}

// binary returns the convintel binary: $CONVINTEL_BIN, or one built once
// from this module.
func binary(t testing.TB) string {
	t.Helper()
	if p := os.Getenv(EnvBin); p != "" {
		return p
	}
	buildOnce.Do(func() {
		goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
		if _, err := os.Stat(goBin); err != nil {
			goBin = "go"
		}
		binPath = filepath.Join(tmpRoot, "convintel")
		out, err := exec.Command(goBin, "build", "-o", binPath, "github.com/convintel/convintel/cmd/convintel").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build ./cmd/convintel: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// figure records a measured figure: in the test log and, with
// $CONVINTEL_RELIABILITY_FIGURES, as a JSON line for docs/reliability.md.
func figure(t testing.TB, scenario, key string, v any) {
	t.Helper()
	t.Logf("figure %s/%s = %v", scenario, key, v)
	p := os.Getenv(EnvFigures)
	if p == "" {
		return
	}
	b, _ := json.Marshal(map[string]any{"mode": modeName(), "scenario": scenario, "key": key, "value": v, "at": time.Now().UTC().Format(time.RFC3339)})
	f, err := os.OpenFile(p, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		t.Logf("figures file: %v", err)
		return
	}
	defer f.Close()
	f.Write(append(b, '\n'))
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitFor polls cond every interval until it says done, returns an error,
// or limit passes.
func waitFor(t testing.TB, what string, limit, interval time.Duration, cond func() (bool, error)) {
	t.Helper()
	deadline := time.Now().Add(limit)
	var last error
	for {
		ok, err := cond()
		if ok {
			return
		}
		last = err
		if time.Now().After(deadline) {
			t.Fatalf("%s: not reached within %s (last error: %v)", what, limit, last)
		}
		time.Sleep(interval)
	}
}

// proc is a child process whose output goes to a log file. It is killed
// (with its process group) when the test ends, and dies with the test
// binary (Pdeathsig) if that is killed.
type proc struct {
	name    string
	cmd     *exec.Cmd
	logPath string
	done    chan struct{}
	waitErr error
}

func startProc(t testing.TB, dir, name string, env []string, bin string, args ...string) *proc {
	t.Helper()
	logPath := filepath.Join(dir, name+".log")
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		logf.Close()
		t.Fatalf("start %s: %v", name, err)
	}
	p := &proc{name: name, cmd: cmd, logPath: logPath, done: make(chan struct{})}
	go func() {
		p.waitErr = cmd.Wait()
		logf.Close()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.kill()
		if t.Failed() {
			t.Logf("--- last lines of %s (%s) ---\n%s", name, logPath, tailFile(logPath, 30))
		}
	})
	return p
}

func (p *proc) pid() int { return p.cmd.Process.Pid }

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// kill sends SIGKILL to the process group and waits for the exit.
func (p *proc) kill() {
	if p.exited() {
		return
	}
	_ = syscall.Kill(-p.pid(), syscall.SIGKILL)
	<-p.done
}

// term sends SIGTERM and waits up to limit for a clean exit.
func (p *proc) term(limit time.Duration) error {
	if p.exited() {
		return fmt.Errorf("%s had already exited: %v", p.name, p.waitErr)
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		return p.waitErr
	case <-time.After(limit):
		p.kill()
		return fmt.Errorf("%s did not exit within %s of SIGTERM", p.name, limit)
	}
}

func tailFile(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	for i, l := range lines {
		if len(l) > 400 {
			lines[i] = l[:400] + "…"
		}
	}
	return strings.Join(lines, "\n")
}

// rssKB reads VmRSS of pid from /proc.
func rssKB(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		}
	}
	return 0, errors.New("no VmRSS line")
}

// clickHouse is a clickhouse-server child on a fixed loopback port and
// data directory, so it can be stopped and started again in place.
type clickHouse struct {
	dir, bin string
	port     int
	mu       sync.Mutex
	cmd      *exec.Cmd
	done     chan struct{}
}

func newClickHouse(dir string, port, httpPort int) (*clickHouse, error) {
	bin, err := chlocal.FindBinary()
	if err != nil {
		return nil, err
	}
	for _, d := range []string{"log", "data", "tmp"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return nil, err
		}
	}
	if _, err := chlocal.WriteConfig(dir, port, httpPort); err != nil {
		return nil, err
	}
	c := &clickHouse{dir: dir, bin: bin, port: port}
	return c, c.start()
}

func (c *clickHouse) base() string { return "clickhouse://127.0.0.1:" + strconv.Itoa(c.port) }

// start runs the server and waits until it answers.
func (c *clickHouse) start() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	args := []string{"--config-file=" + filepath.Join(c.dir, "config.xml")}
	if filepath.Base(c.bin) == "clickhouse" {
		args = append([]string{"server"}, args...)
	}
	cmd := exec.Command(c.bin, args...)
	cmd.Dir = c.dir
	logf, err := os.OpenFile(filepath.Join(c.dir, "log", "stdout.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return err
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); logf.Close(); close(done) }()
	c.cmd, c.done = cmd, done
	deadline := time.Now().Add(60 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		conn, _, err := warehouse.Open(ctx, c.base()+"/default?dial_timeout=1s")
		cancel()
		if err == nil {
			conn.Close()
			return nil
		}
		select {
		case <-done:
			return fmt.Errorf("clickhouse-server exited during start-up:\n%s", tailFile(filepath.Join(c.dir, "log", "clickhouse-server.err.log"), 5))
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("clickhouse-server on port %d did not answer within 60 s: %v", c.port, err)
		}
	}
}

// stop terminates the server (SIGTERM, SIGKILL after 20 s).
func (c *clickHouse) stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cmd == nil {
		return
	}
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.done:
	case <-time.After(20 * time.Second):
		_ = syscall.Kill(-c.cmd.Process.Pid, syscall.SIGKILL)
		<-c.done
	}
	c.cmd = nil
}

// sharedClickHouse returns the base DSN of the server the non-outage
// scenarios share: $CONVINTEL_TEST_CLICKHOUSE or one started here.
func sharedClickHouse(t testing.TB) string {
	t.Helper()
	if env := os.Getenv(EnvClickHouse); env != "" {
		return strings.TrimRight(env, "/")
	}
	chOnce.Do(func() {
		// A free port can be taken between the check and the server's
		// bind; try a few.
		for attempt := 0; attempt < 3; attempt++ {
			sharedCH, chErr = newClickHouse(filepath.Join(tmpRoot, "clickhouse"), freePort(t), freePort(t))
			if chErr == nil {
				return
			}
		}
	})
	if chErr != nil {
		t.Fatalf("no ClickHouse: %v", chErr)
	}
	return sharedCH.base()
}

// world is one scenario's setup: the binary, a ClickHouse, a broker
// process and a scratch directory.
type world struct {
	t      *testing.T
	bin    string
	dir    string
	chBase string
	broker *proc
	addr   string // broker host:port
}

// newWorld starts a broker process and picks the ClickHouse (chBase ""
// means the shared one).
func newWorld(t *testing.T, chBase string) *world {
	t.Helper()
	skipShort(t)
	w := &world{t: t, bin: binary(t), dir: t.TempDir(), chBase: chBase}
	if w.chBase == "" {
		w.chBase = sharedClickHouse(t)
	}
	port := freePort(t)
	w.addr = "127.0.0.1:" + strconv.Itoa(port)
	w.broker = startProc(t, w.dir, "broker", nil, w.bin, "broker", "--memory", "--port", strconv.Itoa(port), "--home", w.dir)
	waitFor(t, "broker listening on "+w.addr, 20*time.Second, 50*time.Millisecond, func() (bool, error) {
		if w.broker.exited() {
			t.Fatalf("broker exited: %v\n%s", w.broker.waitErr, tailFile(w.broker.logPath, 20))
		}
		c, err := net.DialTimeout("tcp", w.addr, time.Second)
		if err != nil {
			return false, err
		}
		c.Close()
		return true, nil
	})
	return w
}

// database returns the DSN of a fresh database (dropped at cleanup) and a
// connection to it for the checks.
func (w *world) database(label string) (string, warehouse.Conn) {
	w.t.Helper()
	name := fmt.Sprintf("rel_%s_%d_%d", label, os.Getpid(), dbSeq.Add(1))
	dsn := w.chBase + "/" + name + "?dial_timeout=5s"
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, _, err := warehouse.Open(ctx, dsn)
	if err != nil {
		w.t.Fatal(err)
	}
	if _, err := warehouse.Migrate(ctx, conn, name, warehouse.Topology{}, nil); err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name)
		conn.Close()
	})
	return dsn, conn
}

func (w *world) kafkaConfig(group string) ingest.KafkaConfig {
	kc := ingest.DefaultKafkaConfig()
	kc.Brokers = []string{w.addr}
	kc.Group = group
	return kc
}

// ingestProc is a running `convintel ingest`.
type ingestProc struct {
	*proc
	listen string
}

// startIngest starts `convintel ingest` into dsn as a member of group.
func (w *world) startIngest(name, dsn, group string, env ...string) *ingestProc {
	w.t.Helper()
	listen := "127.0.0.1:" + strconv.Itoa(freePort(w.t))
	env = append([]string{
		"CONVINTEL_KAFKA_GROUP=" + group,
		"CONVINTEL_KAFKA_SESSION_TIMEOUT=" + sessionTimeout.String(),
	}, env...)
	p := startProc(w.t, w.dir, name, env, w.bin, "ingest", "--brokers", w.addr, "--clickhouse", dsn, "--listen", listen, "--home", w.dir)
	return &ingestProc{proc: p, listen: listen}
}

var httpClient = &http.Client{Timeout: 2 * time.Second}

// metric returns the value of an unlabelled series from /metrics.
func (p *ingestProc) metric(name string) (float64, error) {
	resp, err := httpClient.Get("http://" + p.listen + "/metrics")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			return strconv.ParseFloat(strings.TrimSpace(v), 64)
		}
	}
	return 0, fmt.Errorf("%s not in /metrics", name)
}

// healthz returns the HTTP status and the "status" field of /healthz.
func (p *ingestProc) healthz() (int, string, error) {
	resp, err := httpClient.Get("http://" + p.listen + "/healthz")
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	var body struct {
		Status string `json:"status"`
	}
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &body); err != nil {
		return resp.StatusCode, "", fmt.Errorf("healthz body %q: %w", b, err)
	}
	return resp.StatusCode, body.Status, nil
}

// statusReport is `convintel status --format json`.
type statusReport struct {
	Events              map[string]uint64 `json:"events"`
	EventsTotal         uint64            `json:"events_total"`
	DeadLetters         uint64            `json:"dead_letters"`
	DeadLettersByReason map[string]uint64 `json:"dead_letters_by_reason"`
	ConsumerLag         *int64            `json:"consumer_lag"`
	LagNote             string            `json:"consumer_lag_note"`
}

// run runs the binary to completion and returns its stdout.
func (w *world) run(limit time.Duration, env []string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, w.bin, args...)
	cmd.Dir = w.dir
	cmd.Env = append(os.Environ(), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.Bytes(), fmt.Errorf("convintel %s: %v\n%s", strings.Join(args, " "), err, tailString(stderr.String(), 2000))
	}
	return stdout.Bytes(), nil
}

func tailString(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// status runs `convintel status --format json` for dsn and group.
func (w *world) status(dsn, group string) statusReport {
	w.t.Helper()
	out, err := w.run(time.Minute, []string{"CONVINTEL_KAFKA_GROUP=" + group}, "status", "--format", "json", "--brokers", w.addr, "--clickhouse", dsn, "--home", w.dir)
	if err != nil {
		w.t.Fatal(err)
	}
	var st statusReport
	if err := json.Unmarshal(out, &st); err != nil {
		w.t.Fatalf("status output %q: %v", out, err)
	}
	return st
}

// simulation is produced traffic: its lines, in order, and the tally.
type simulation struct {
	lines [][]byte
	tally simulate.Tally
}

// simulate runs `convintel simulate --out` with args and reads the result.
func (w *world) simulate(args ...string) simulation {
	w.t.Helper()
	out := filepath.Join(w.dir, fmt.Sprintf("sim-%d.jsonl", time.Now().UnixNano()))
	tally := out + ".tally.json"
	if _, err := w.run(5*time.Minute, nil, append([]string{"simulate", "--out", out, "--tally", tally}, args...)...); err != nil {
		w.t.Fatal(err)
	}
	var s simulation
	b, err := os.ReadFile(tally)
	if err != nil {
		w.t.Fatal(err)
	}
	if err := json.Unmarshal(b, &s.tally); err != nil {
		w.t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		w.t.Fatal(err)
	}
	os.Remove(out)
	for len(data) > 0 {
		line, rest, _ := bytes.Cut(data, []byte{'\n'})
		if len(line) > 0 {
			s.lines = append(s.lines, line)
		}
		data = rest
	}
	if int64(len(s.lines)) != s.tally.LinesEmitted {
		w.t.Fatalf("simulation file has %d lines, tally says %d", len(s.lines), s.tally.LinesEmitted)
	}
	return s
}

// produce writes values to the event topic, keyed by shop/customer like
// `convintel simulate --kafka` (one buyer's events in one partition, in
// order); values that are not JSON objects get a key of their own.
func (w *world) produce(values [][]byte) {
	w.t.Helper()
	kc := w.kafkaConfig("")
	pw := &kafka.Writer{Addr: kafka.TCP(kc.Brokers...), Topic: kc.Topic, Balancer: &kafka.Hash{},
		RequiredAcks: kafka.RequireAll, BatchSize: 5000, BatchBytes: 32 << 20, BatchTimeout: 10 * time.Millisecond}
	defer pw.Close()
	var p fastjson.Parser
	msgs := make([]kafka.Message, 0, 5000)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	flush := func() {
		if len(msgs) == 0 {
			return
		}
		if err := pw.WriteMessages(ctx, msgs...); err != nil {
			w.t.Fatalf("produce %d messages: %v", len(msgs), err)
		}
		msgs = msgs[:0]
	}
	for i, v := range values {
		key := []byte("raw-" + strconv.Itoa(i))
		if pv, err := p.ParseBytes(v); err == nil && pv.Type() == fastjson.TypeObject {
			if shop, cust := pv.GetStringBytes("shop_id"), pv.GetStringBytes("customer_id"); len(shop)+len(cust) > 0 {
				key = append(append(append([]byte(nil), shop...), '/'), cust...)
			}
		}
		msgs = append(msgs, kafka.Message{Key: key, Value: v})
		if len(msgs) == cap(msgs) || len(v) > 1<<20 {
			flush()
		}
	}
	flush()
}

// progress is what a consumer group has achieved so far: distinct events
// stored in the database and the group's lag.
func (w *world) progress(conn warehouse.Conn, group string) (stored uint64, lag int64, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := conn.QueryRow(ctx, `SELECT
		(SELECT uniqExact(event_id) FROM messages) + (SELECT uniqExact(event_id) FROM conversations) +
		(SELECT uniqExact(event_id) FROM handoffs) + (SELECT uniqExact(event_id) FROM ratings) +
		(SELECT uniqExact(event_id) FROM orders)`).Scan(&stored); err != nil {
		return 0, 0, err
	}
	lag, _, err = w.kafkaConfig(group).GroupLag(ctx)
	return stored, lag, err
}

// waitDrained waits until the group has no lag and want distinct events
// are stored; it returns how long that took.
func (w *world) waitDrained(conn warehouse.Conn, group string, want uint64, limit time.Duration, alive ...*ingestProc) time.Duration {
	w.t.Helper()
	start := time.Now()
	waitFor(w.t, fmt.Sprintf("group %s drained with %d events stored", group, want), limit, 100*time.Millisecond, func() (bool, error) {
		for _, p := range alive {
			if p.exited() {
				w.t.Fatalf("%s exited early: %v\n%s", p.name, p.waitErr, tailFile(p.logPath, 20))
			}
		}
		stored, lag, err := w.progress(conn, group)
		if err != nil {
			return false, err
		}
		if stored > want {
			w.t.Fatalf("%d distinct events stored, only %d produced", stored, want)
		}
		return stored == want && lag == 0, fmt.Errorf("stored %d of %d, lag %d", stored, want, lag)
	})
	return time.Since(start)
}

// checkStatus compares `convintel status` with the simulator's tally.
func checkStatus(t *testing.T, st statusReport, tally simulate.Tally, deadLetters uint64) {
	t.Helper()
	for typ, want := range tally.EventsByType {
		if got := st.Events[typ]; got != uint64(want) {
			t.Errorf("status: %d %s events stored, %d produced", got, typ, want)
		}
	}
	if st.EventsTotal != uint64(tally.Events) {
		t.Errorf("status: %d distinct events stored, %d produced", st.EventsTotal, tally.Events)
	}
	if st.DeadLetters != deadLetters {
		t.Errorf("status: %d dead letters, want %d (%v)", st.DeadLetters, deadLetters, st.DeadLettersByReason)
	}
	if st.ConsumerLag == nil || *st.ConsumerLag != 0 {
		t.Errorf("status: consumer lag %v (%s), want 0", st.ConsumerLag, st.LagNote)
	}
}

// rawTables are the tables ingest writes, with the key that identifies a
// stored input and the column that differs between deliveries.
var rawTables = []struct{ name, key, perDelivery string }{
	{"messages", "event_id", "ingested_at"},
	{"conversations", "event_id", "ingested_at"},
	{"handoffs", "event_id", "ingested_at"},
	{"ratings", "event_id", "ingested_at"},
	{"orders", "event_id", "ingested_at"},
	{"dead_letters", "source, location", "received_at"},
}

// tableDigest summarises a table's content independently of duplicates
// and insertion order.
type tableDigest struct {
	Rows, Keys, KeyContents, Hash uint64
}

// digest reads the digest of table t: rows, distinct keys, distinct
// (key, content) pairs and a sum of the distinct contents' hashes. Two
// databases hold the same data iff Keys, KeyContents and Hash agree;
// Keys == KeyContents says every duplicate delivery stored the same content.
func digest(t testing.TB, conn warehouse.Conn, table, key, perDelivery string) tableDigest {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rows, err := conn.Query(ctx, "SELECT name, type FROM system.columns WHERE database = currentDatabase() AND table = ?", table)
	if err != nil {
		t.Fatal(err)
	}
	var cols []string
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			t.Fatal(err)
		}
		if name == perDelivery {
			continue
		}
		if strings.Contains(typ, "Decimal") {
			name = "toString(" + name + ")"
		}
		cols = append(cols, name)
	}
	rows.Close()
	if len(cols) == 0 {
		t.Fatalf("table %s has no columns", table)
	}
	q := fmt.Sprintf(`SELECT
		(SELECT count() FROM %[1]s),
		uniqExact(%[2]s), count(), sum(h)
		FROM (SELECT DISTINCT %[2]s, cityHash64(%[3]s) AS h FROM %[1]s)`, table, key, strings.Join(cols, ", "))
	var d tableDigest
	if err := conn.QueryRow(ctx, q).Scan(&d.Rows, &d.Keys, &d.KeyContents, &d.Hash); err != nil {
		t.Fatalf("digest of %s: %v", table, err)
	}
	return d
}

// compareDatabases checks that a and b hold the same events with the same
// content, and that within each every duplicate delivery is identical.
// It returns the rows of a beyond its distinct keys (re-deliveries).
func compareDatabases(t *testing.T, a, b warehouse.Conn) (redelivered uint64) {
	t.Helper()
	for _, tb := range rawTables {
		da := digest(t, a, tb.name, tb.key, tb.perDelivery)
		db := digest(t, b, tb.name, tb.key, tb.perDelivery)
		if da.Keys != da.KeyContents || db.Keys != db.KeyContents {
			t.Errorf("%s: some %s was stored with two different contents (%+v vs %+v)", tb.name, tb.key, da, db)
		}
		if da.Keys != db.Keys || da.Hash != db.Hash {
			t.Errorf("%s differs from the uninterrupted run: %+v vs %+v", tb.name, da, db)
		}
		redelivered += da.Rows - da.Keys
	}
	return redelivered
}

// paidGMV returns the sum of distinct paid order amounts in cents, as SQL
// sees it with and without dedup by event_id.
func paidGMV(t testing.TB, conn warehouse.Conn) (dedup, raw int64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := conn.QueryRow(ctx, `SELECT
		(SELECT toInt64(sum(amount) * 100) FROM (SELECT amount FROM orders WHERE status = 'paid' LIMIT 1 BY event_id)),
		(SELECT toInt64(sum(amount) * 100) FROM orders WHERE status = 'paid')`).Scan(&dedup, &raw); err != nil {
		t.Fatal(err)
	}
	return dedup, raw
}

// expectedPaidGMV decodes the produced lines with the contract decoder and
// sums the amounts of distinct paid order events, in cents.
func expectedPaidGMV(t testing.TB, lines [][]byte) int64 {
	t.Helper()
	dec := ingest.NewDecoder()
	seen := map[string]bool{}
	var sum int64
	var e ingest.Event
	for _, l := range lines {
		if dec.Decode(l, &e) != nil || e.Type != ingest.TypeOrder || e.Status != ingest.OrderPaid || seen[e.EventID] {
			continue
		}
		seen[e.EventID] = true
		sum += e.AmountCents
	}
	return sum
}

// checkMergedUnique forces the ReplacingMergeTree merges and checks that
// every stored key is then one row: re-deliveries collapse, nothing else does.
func checkMergedUnique(t *testing.T, conn warehouse.Conn) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for _, tb := range rawTables {
		if err := conn.Exec(ctx, "OPTIMIZE TABLE "+tb.name+" FINAL"); err != nil {
			t.Fatalf("optimize %s: %v", tb.name, err)
		}
		var rows, keys uint64
		if err := conn.QueryRow(ctx, fmt.Sprintf("SELECT count(), uniqExact(%s) FROM %s", tb.key, tb.name)).Scan(&rows, &keys); err != nil {
			t.Fatal(err)
		}
		if rows != keys {
			t.Errorf("%s after OPTIMIZE FINAL: %d rows for %d distinct %s", tb.name, rows, keys, tb.key)
		}
	}
}
