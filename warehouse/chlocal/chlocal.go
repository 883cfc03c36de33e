package chlocal

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
)

// InstallHint says how to get the server binary on Debian/Ubuntu.
const InstallHint = "clickhouse-server is not installed: run `sudo apt-get install -y clickhouse-server clickhouse-client` (or `make deps`), or point convintel at a running server with --clickhouse clickhouse://host:9000/convintel"

// Server is a running local ClickHouse.
type Server struct {
	Dir  string
	Port int
	// auth holds the generated passwords of a locked-down server (Start);
	// nil for a test-cluster node (StartWith), whose users need none.
	auth *credentials
	pid  int
	cmd  *exec.Cmd // nil when the server was started by another process
	log  *slog.Logger
	done chan struct{}
}

// DSN returns the native-protocol DSN for database db, as the
// administrative user (default, with its generated password).
func (s *Server) DSN(db string) string {
	return fmt.Sprintf("%s/%s?dial_timeout=5s", s.BaseDSN(), db)
}

// BaseDSN is DSN without a database: clickhouse://default:…@127.0.0.1:PORT.
func (s *Server) BaseDSN() string {
	if s.auth == nil {
		return fmt.Sprintf("clickhouse://127.0.0.1:%d", s.Port)
	}
	return fmt.Sprintf("clickhouse://%s:%s@127.0.0.1:%d", AdminUser, s.auth.admin, s.Port)
}

// ReaderDSN returns the DSN of the read-only user (convintel_reader) for
// database db: serve's dashboards and API read through it. Without
// lock-down it is DSN.
func (s *Server) ReaderDSN(db string) string {
	if s.auth == nil {
		return s.DSN(db)
	}
	return fmt.Sprintf("clickhouse://%s:%s@127.0.0.1:%d/%s?dial_timeout=5s", ReaderUser, s.auth.reader, s.Port, db)
}

// PID returns the server's process id.
func (s *Server) PID() int { return s.pid }

// Owned reports whether this process started the server (and stops it).
func (s *Server) Owned() bool { return s.cmd != nil }

// FindBinary returns the path of clickhouse-server or an error with the
// install hint.
func FindBinary() (string, error) {
	for _, name := range []string{"clickhouse-server", "clickhouse"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	for _, p := range []string{"/usr/bin/clickhouse-server", "/usr/bin/clickhouse"} {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", errors.New(InstallHint)
}

// Start starts (or reuses) the server for dir and waits until it answers.
func Start(ctx context.Context, dir string, log *slog.Logger) (*Server, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	// The data directory is the owner's only (0700), also when it exists.
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create ClickHouse data directory: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, err
	}
	auth, err := ensureCredentials(dir)
	if err != nil {
		return nil, err
	}
	if s := reuse(ctx, dir, auth, log); s != nil {
		return s, nil
	}
	if s, err := awaitBusy(ctx, dir, auth, log, 60*time.Second); s != nil || err != nil {
		return s, err
	}
	for attempt := 1; ; attempt++ {
		tcpPort, err := pickPort()
		if err != nil {
			return nil, err
		}
		httpPort, err := pickPort()
		if err != nil {
			return nil, err
		}
		errLog := filepath.Join(dir, "log", "clickhouse-server.err.log")
		logged := fileSize(errLog)
		s, err := start(ctx, dir, tcpPort, httpPort, "", auth, log)
		// A free port can be taken between the check and the server's
		// bind (the local end of another program's connection): the
		// server exits with "Address already in use". Other ports then.
		if err == nil || attempt == 3 || !loggedSince(errLog, logged, "Address already in use") {
			return s, err
		}
		log.Info("a port was taken while the local ClickHouse started; trying others", "tcp", tcpPort, "http", httpPort)
	}
}

func fileSize(path string) int64 {
	if fi, err := os.Stat(path); err == nil {
		return fi.Size()
	}
	return 0
}

// loggedSince reports whether the file holds text after its first from
// bytes.
func loggedSince(path string, from int64, text string) bool {
	b, err := os.ReadFile(path)
	if err != nil || int64(len(b)) < from {
		return false
	}
	return bytes.Contains(b[from:], []byte(text))
}

// StartWith starts a server for dir on the given ports, with extra XML
// inserted into its config (see WriteConfig), and waits until it answers.
// Unlike Start it never reuses a running server: test clusters start their
// nodes with it, and restart a stopped node by calling it again. Its users
// are the system's (passwordless default, so that the nodes of a test
// cluster reach each other): it is for tests, never for data.
func StartWith(ctx context.Context, dir string, tcpPort, httpPort int, extra string, log *slog.Logger) (*Server, error) {
	return start(ctx, dir, tcpPort, httpPort, extra, nil, log)
}

func start(ctx context.Context, dir string, tcpPort, httpPort int, extra string, auth *credentials, log *slog.Logger) (*Server, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(dir, "log"), 0o755); err != nil {
		return nil, fmt.Errorf("create ClickHouse data directory: %w", err)
	}
	bin, err := FindBinary()
	if err != nil {
		return nil, err
	}
	var cfgPath string
	if auth != nil {
		cfgPath, err = writeLockedConfig(dir, tcpPort, httpPort, auth)
	} else {
		cfgPath, err = WriteConfig(dir, tcpPort, httpPort, extra)
	}
	if err != nil {
		return nil, err
	}
	args := []string{"--config-file=" + cfgPath}
	if filepath.Base(bin) == "clickhouse" {
		args = append([]string{"server"}, args...)
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = serverEnv(os.Environ())
	logFile, err := os.OpenFile(filepath.Join(dir, "log", "stdout.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	// Own process group so Ctrl-C in a terminal reaches convintel first and
	// convintel stops the server in order; Pdeathsig stops it if convintel dies.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	s := &Server{Dir: dir, Port: tcpPort, auth: auth, pid: cmd.Process.Pid, cmd: cmd, log: log, done: make(chan struct{})}
	go func() { cmd.Wait(); logFile.Close(); close(s.done) }()
	if err := os.WriteFile(filepath.Join(dir, "server.port"), []byte(strconv.Itoa(tcpPort)+"\n"+strconv.Itoa(cmd.Process.Pid)+"\n"), 0o644); err != nil {
		s.Stop()
		return nil, err
	}
	if err := s.wait(ctx, 60*time.Second); err != nil {
		s.Stop()
		return nil, err
	}
	log.Info("started local ClickHouse", "dir", dir, "port", tcpPort, "pid", cmd.Process.Pid)
	return s, nil
}

// awaitBusy waits, up to limit, for the server of dir that another
// convintel command is stopping or still starting: its process is alive
// but does not answer. A second server on the same files would exit at
// once ("another server instance in same directory is already running").
// It returns that server once it answers, nothing once it has exited (the
// caller starts a new one), and an error if it does neither in time.
func awaitBusy(ctx context.Context, dir string, auth *credentials, log *slog.Logger, limit time.Duration) (*Server, error) {
	pid := busyPID(dir)
	if pid == 0 {
		return nil, nil
	}
	log.Info("waiting for the local ClickHouse another command is starting or stopping", "dir", dir, "pid", pid)
	deadline := time.Now().Add(limit)
	for serverProcess(pid, dir) {
		if s := reuse(ctx, dir, auth, log); s != nil {
			return s, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("the local ClickHouse of %s (pid %d) neither answers nor stops after %v: another convintel command may be using it; let it finish, or stop the server (kill %d) and try again", dir, pid, limit, pid)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	return nil, nil
}

// busyPID returns the pid server.port names for dir when that process is
// alive and is a ClickHouse server of dir, else 0.
func busyPID(dir string) int {
	if _, pid := readServerPort(dir); pid != 0 && serverProcess(pid, dir) {
		return pid
	}
	return 0
}

// serverProcess reports whether pid is alive and runs with a config file
// under dir (so a stale server.port naming a pid the system has since given
// to another program is not waited for).
func serverProcess(pid int, dir string) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	cmdline, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "cmdline"))
	if err != nil {
		return false
	}
	st, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err == nil {
		// A zombie (state Z) has exited; its parent has not reaped it yet.
		if i := strings.LastIndexByte(string(st), ')'); i >= 0 && i+2 < len(st) && st[i+2] == 'Z' {
			return false
		}
	}
	return strings.Contains(string(cmdline), "--config-file="+dir+string(filepath.Separator))
}

// readServerPort returns the port and pid server.port of dir names, or
// zeros when it is missing or malformed.
func readServerPort(dir string) (port, pid int) {
	b, err := os.ReadFile(filepath.Join(dir, "server.port"))
	if err != nil {
		return 0, 0
	}
	fields := strings.Fields(string(b))
	if len(fields) != 2 {
		return 0, 0
	}
	port, _ = strconv.Atoi(fields[0])
	pid, _ = strconv.Atoi(fields[1])
	return port, pid
}

// stoppingFile names, while Stop runs, the pid of the server it is
// stopping: between SIGTERM and its exit a server may still answer a ping
// (its connection threads run before its signal handler does), and a
// command that reused it then would lose it a moment later.
const stoppingFile = "server.stopping"

// stopping reports whether a Stop of dir is under way for pid.
func stopping(dir string, pid int) bool {
	b, err := os.ReadFile(filepath.Join(dir, stoppingFile))
	return err == nil && strings.TrimSpace(string(b)) == strconv.Itoa(pid)
}

// reuse returns the server another process started for dir, if it answers
// and is not being stopped.
func reuse(ctx context.Context, dir string, auth *credentials, log *slog.Logger) *Server {
	port, pid := readServerPort(dir)
	if port == 0 || pid == 0 || syscall.Kill(pid, 0) != nil || stopping(dir, pid) {
		return nil
	}
	s := &Server{Dir: dir, Port: port, auth: auth, pid: pid, log: log}
	if s.ping(ctx) != nil {
		return nil
	}
	// A ping sent before a Stop began can be answered after it: the
	// server's connection threads run before its signal handler does.
	if stopping(dir, pid) {
		return nil
	}
	log.Info("reusing local ClickHouse", "dir", dir, "port", port, "pid", pid)
	return s
}

func (s *Server) ping(ctx context.Context) error {
	opts := &clickhouse.Options{Addr: []string{"127.0.0.1:" + strconv.Itoa(s.Port)}, DialTimeout: time.Second}
	if s.auth != nil {
		opts.Auth = clickhouse.Auth{Username: AdminUser, Password: s.auth.admin}
	}
	conn, err := clickhouse.Open(opts)
	if err != nil {
		return err
	}
	defer conn.Close()
	pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return conn.Ping(pctx)
}

func (s *Server) wait(ctx context.Context, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		if err := s.ping(ctx); err == nil {
			return nil
		}
		select {
		case <-s.done:
			return fmt.Errorf("clickhouse-server exited during start-up; see %s", filepath.Join(s.Dir, "log"))
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("clickhouse-server did not answer within %s; see %s", limit, filepath.Join(s.Dir, "log"))
		}
	}
}

// Stop terminates a server this process started (SIGTERM, then SIGKILL
// after 15 s). It does nothing for a reused server.
func (s *Server) Stop() {
	if s == nil || s.cmd == nil || s.cmd.Process == nil {
		return
	}
	marker := filepath.Join(s.Dir, stoppingFile)
	_ = os.WriteFile(marker, []byte(strconv.Itoa(s.pid)+"\n"), 0o644)
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(15 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
	// A command waiting for this server may already have started the
	// next one: leave its files alone.
	if _, pid := readServerPort(s.Dir); pid == s.pid {
		os.Remove(filepath.Join(s.Dir, "server.port"))
	}
	if stopping(s.Dir, s.pid) {
		os.Remove(marker)
	}
	s.log.Info("stopped local ClickHouse", "dir", s.Dir)
}

// Kill stops a server this process started at once (SIGKILL), as a crash
// would; tests of failover use it. It does nothing for a reused server.
func (s *Server) Kill() {
	if s == nil || s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	<-s.done
	if _, pid := readServerPort(s.Dir); pid == s.pid {
		os.Remove(filepath.Join(s.Dir, "server.port"))
	}
}

// pickPort is how Start picks a port (a test makes it pick a taken one).
var pickPort = freePort

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free loopback port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// WriteConfig writes dir/config.xml for a server that keeps all its files
// under dir and listens on 127.0.0.1 only, and returns its path. Tests that
// must stop and restart a server in place use it with Start's layout.
// extra, when given, is XML inserted into the config as is: a cluster
// node's <remote_servers>, <macros>, <zookeeper> and interserver port.
func WriteConfig(dir string, tcpPort, httpPort int, extra ...string) (string, error) {
	path := filepath.Join(dir, "config.xml")
	return path, os.WriteFile(path, []byte(configXML(dir, tcpPort, httpPort, strings.Join(extra, "\n"))), 0o644)
}

func configXML(dir string, tcpPort, httpPort int, extra string) string {
	return configXMLUsers(dir, tcpPort, httpPort, extra, "/etc/clickhouse-server/users.xml")
}

func configXMLUsers(dir string, tcpPort, httpPort int, extra, users string) string {
	return fmt.Sprintf(`<?xml version="1.0"?>
<yandex>
    <logger>
        <level>warning</level>
        <log>%[1]s/log/clickhouse-server.log</log>
        <errorlog>%[1]s/log/clickhouse-server.err.log</errorlog>
        <size>100M</size>
        <count>3</count>
    </logger>
    <listen_host>127.0.0.1</listen_host>
    <tcp_port>%[2]d</tcp_port>
    <http_port>%[3]d</http_port>
    <path>%[1]s/data/</path>
    <tmp_path>%[1]s/tmp/</tmp_path>
    <user_files_path>%[1]s/user_files/</user_files_path>
    <format_schema_path>%[1]s/format_schemas/</format_schema_path>
    <users_config>%[5]s</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <mark_cache_size>268435456</mark_cache_size>
    <uncompressed_cache_size>268435456</uncompressed_cache_size>
    <max_concurrent_queries>100</max_concurrent_queries>
%[4]s
</yandex>
`, dir, tcpPort, httpPort, extra, users)
}
