package chtest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// zooKeeperJar is where Debian's zookeeper package installs the server;
// its manifest names the jars it needs, so it runs with java -cp alone.
const zooKeeperJar = "/usr/share/java/zookeeper.jar"

// slf4jSimple makes ZooKeeper log (warnings) to its stderr; without it
// slf4j drops everything.
const slf4jSimple = "/usr/share/java/slf4j-simple.jar"

// errNoZooKeeper says how to get ZooKeeper, which replicated test clusters
// need.
var errNoZooKeeper = errors.New("ZooKeeper is not installed: run `make deps` (apt-get install -y zookeeper; it needs java)")

// zooKeeperInstalled reports whether a replicated test cluster can start.
func zooKeeperInstalled() bool {
	_, err := zooKeeperCommand()
	return err == nil
}

func zooKeeperCommand() (string, error) {
	java, err := exec.LookPath("java")
	if err != nil {
		return "", errNoZooKeeper
	}
	if _, err := os.Stat(zooKeeperJar); err != nil {
		return "", errNoZooKeeper
	}
	return java, nil
}

// zooKeeper is a standalone ZooKeeper server on a loopback port, with its
// data under dir.
type zooKeeper struct {
	port int
	cmd  *exec.Cmd
	done chan struct{}
}

func startZooKeeper(dir string, port int) (*zooKeeper, error) {
	java, err := zooKeeperCommand()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		return nil, err
	}
	cfg := filepath.Join(dir, "zoo.cfg")
	// No admin HTTP server (it would take port 8080); srvr answers the
	// readiness probe.
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(`tickTime=1000
dataDir=%s/data
clientPort=%d
clientPortAddress=127.0.0.1
admin.enableServer=false
4lw.commands.whitelist=srvr
`, dir, port)), 0o644); err != nil {
		return nil, err
	}
	out, err := os.Create(filepath.Join(dir, "zookeeper.log"))
	if err != nil {
		return nil, err
	}
	// A small heap and the client JIT: ZooKeeper idles here, and starts in
	// about half a second.
	cmd := exec.Command(java, "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
		"-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", zooKeeperJar+":"+slf4jSimple, "org.apache.zookeeper.server.ZooKeeperServerMain", cfg)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		out.Close()
		return nil, fmt.Errorf("start ZooKeeper: %w", err)
	}
	z := &zooKeeper{port: port, cmd: cmd, done: make(chan struct{})}
	go func() { cmd.Wait(); out.Close(); close(z.done) }()
	deadline := time.Now().Add(30 * time.Second)
	for !z.ok() {
		select {
		case <-z.done:
			return nil, fmt.Errorf("ZooKeeper exited during start-up; see %s", out.Name())
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			z.stop()
			return nil, fmt.Errorf("ZooKeeper did not answer on port %d within 30 s; see %s", port, out.Name())
		}
	}
	return z, nil
}

// ok asks ZooKeeper for "srvr" and expects its mode: before it serves
// requests it answers (and ruok answers imok) but closes every session
// handshake, and ClickHouse 18.16 may crash on that at start-up.
func (z *zooKeeper) ok() bool {
	c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", z.port), time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("srvr")); err != nil {
		return false
	}
	reply, _ := io.ReadAll(c)
	return bytes.Contains(reply, []byte("Mode: "))
}

func (z *zooKeeper) stop() {
	if z == nil {
		return
	}
	_ = z.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-z.done:
	case <-time.After(10 * time.Second):
		_ = z.cmd.Process.Kill()
		<-z.done
	}
}
