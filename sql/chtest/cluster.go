package chtest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/convintel/convintel/sql"
	"github.com/convintel/convintel/sql/chlocal"
)

// EnvCluster names a running two-shard cluster to test against (a DSN base
// such as clickhouse://127.0.0.1:19100 of one of its nodes, whose
// <remote_servers> has cluster ClusterName), as `make test-cluster` starts
// with .ci/cluster.sh. Without it, NewCluster starts two servers itself.
const EnvCluster = "CONVINTEL_TEST_CLUSTER"

// ClusterName is the <remote_servers> name of the test cluster.
const ClusterName = "convintel"

var (
	clusterOnce sync.Once
	clusterErr  error
	clusterDir  string
	clusterBase string
	shardProcs  []*exec.Cmd
)

// clusterDSNBase returns "clickhouse://host:port" of a node of the cluster.
func clusterDSNBase() (string, error) {
	if env := os.Getenv(EnvCluster); env != "" {
		return strings.TrimRight(env, "/"), nil
	}
	clusterOnce.Do(func() { clusterErr = startCluster() })
	return clusterBase, clusterErr
}

// startCluster starts two servers on free loopback ports, each naming both
// as the two shards of ClusterName (no replicas, so no ZooKeeper).
func startCluster() error {
	bin, err := chlocal.FindBinary()
	if err != nil {
		return err
	}
	if clusterDir, err = os.MkdirTemp("", "convintel-cluster-"); err != nil {
		return err
	}
	// Hold six free ports (tcp, http, interserver per shard) while the
	// configs are written, then free them for the servers.
	ports := make([]int, 6)
	var held []net.Listener
	for i := range ports {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		ports[i] = l.Addr().(*net.TCPAddr).Port
		held = append(held, l)
	}
	remote := fmt.Sprintf(`<remote_servers><%s>
  <shard><replica><host>127.0.0.1</host><port>%d</port></replica></shard>
  <shard><replica><host>127.0.0.1</host><port>%d</port></replica></shard>
</%s></remote_servers>`, ClusterName, ports[0], ports[3], ClusterName)
	var cfgs []string
	for i := 0; i < 2; i++ {
		dir := filepath.Join(clusterDir, fmt.Sprintf("shard%d", i+1))
		if err := os.MkdirAll(filepath.Join(dir, "log"), 0o755); err != nil {
			return err
		}
		cfg := filepath.Join(dir, "config.xml")
		xml := fmt.Sprintf(`<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>%[1]s/log/server.log</log><errorlog>%[1]s/log/server.err.log</errorlog></logger>
  <listen_host>127.0.0.1</listen_host>
  <tcp_port>%[2]d</tcp_port><http_port>%[3]d</http_port><interserver_http_port>%[4]d</interserver_http_port>
  <path>%[1]s/data/</path><tmp_path>%[1]s/tmp/</tmp_path>
  <user_files_path>%[1]s/user_files/</user_files_path><format_schema_path>%[1]s/format_schemas/</format_schema_path>
  <users_config>/etc/clickhouse-server/users.xml</users_config>
  <default_profile>default</default_profile><default_database>default</default_database>
  <timezone>UTC</timezone><mark_cache_size>268435456</mark_cache_size>
  %[5]s
</yandex>
`, dir, ports[3*i], ports[3*i+1], ports[3*i+2], remote)
		if err := os.WriteFile(cfg, []byte(xml), 0o644); err != nil {
			return err
		}
		cfgs = append(cfgs, cfg)
	}
	for _, l := range held {
		l.Close()
	}
	for _, cfg := range cfgs {
		args := []string{"--config-file=" + cfg}
		if filepath.Base(bin) == "clickhouse" {
			args = append([]string{"server"}, args...)
		}
		cmd := exec.Command(bin, args...)
		cmd.Dir = filepath.Dir(cfg)
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
		if err := cmd.Start(); err != nil {
			StopCluster()
			return fmt.Errorf("start %s: %w", bin, err)
		}
		shardProcs = append(shardProcs, cmd)
	}
	for i := 0; i < 2; i++ {
		if err := waitPort(ports[3*i], 60*time.Second); err != nil {
			StopCluster()
			return fmt.Errorf("test cluster shard %d: %w (logs under %s)", i+1, err, clusterDir)
		}
	}
	clusterBase = fmt.Sprintf("clickhouse://127.0.0.1:%d", ports[0])
	return nil
}

func waitPort(port int, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{fmt.Sprintf("127.0.0.1:%d", port)}, DialTimeout: time.Second})
		if err == nil {
			err = conn.Ping(context.Background())
			conn.Close()
			if err == nil {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no answer on port %d after %s: %v", port, limit, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// StopCluster stops the servers NewCluster started, if any. Call it from
// TestMain after m.Run.
func StopCluster() {
	for _, cmd := range shardProcs {
		_ = cmd.Process.Signal(syscall.SIGTERM)
	}
	for _, cmd := range shardProcs {
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	}
	shardProcs = nil
	if clusterDir != "" {
		os.RemoveAll(clusterDir)
		clusterDir = ""
	}
}

// NewCluster returns a migrated cluster layout (sql.Cluster) in a fresh
// database on a two-shard cluster; both databases are dropped on every
// node when the test ends.
func NewCluster(t testing.TB) *sql.Cluster {
	t.Helper()
	base, err := clusterDSNBase()
	if err != nil {
		t.Fatalf("chtest: no ClickHouse cluster: %v", err)
	}
	db := fmt.Sprintf("c_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, seq.Add(1))
	ctx := context.Background()
	cl, err := sql.OpenCluster(ctx, base+"/"+db+"?dial_timeout=5s", sql.Topology{Cluster: ClusterName})
	if err != nil {
		t.Fatalf("chtest: open cluster: %v", err)
	}
	t.Cleanup(func() {
		for _, n := range cl.Nodes {
			conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{n.Addr}, DialTimeout: 5 * time.Second})
			if err != nil {
				continue
			}
			_ = conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+cl.DB)
			_ = conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+cl.LocalDB)
			conn.Close()
		}
		cl.Close()
	})
	if _, err := cl.Migrate(ctx, nil); err != nil {
		t.Fatalf("chtest: migrate cluster %s: %v", db, err)
	}
	return cl
}
