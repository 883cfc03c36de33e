package chtest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"golang.org/x/sync/errgroup"

	"github.com/convintel/convintel/warehouse"
	"github.com/convintel/convintel/warehouse/chlocal"
)

// EnvCluster names a running two-shard cluster to test against (a DSN base
// such as clickhouse://127.0.0.1:19100 of one of its nodes, whose
// <remote_servers> has cluster ClusterName), as `make test-cluster` starts
// with .ci/cluster.sh. Without it, NewCluster starts two servers itself.
const EnvCluster = "CONVINTEL_TEST_CLUSTER"

// EnvReplicatedCluster names a running cluster of two shards of two
// replicas with ZooKeeper (`.ci/cluster.sh replicated`), and
// EnvReplicatedClusterCtl the command that kills or starts one of its
// nodes when given "kill PORT" or "start PORT" (`.ci/cluster.sh node
// DIR`). Without them, NewReplicatedCluster starts ZooKeeper and four
// servers itself.
const (
	EnvReplicatedCluster    = "CONVINTEL_TEST_REPLICATED_CLUSTER"
	EnvReplicatedClusterCtl = "CONVINTEL_TEST_REPLICATED_CLUSTER_CTL"
)

// ClusterName is the <remote_servers> name of the test clusters.
const ClusterName = "convintel"

// testCluster is a cluster of local servers: started here, or by
// .ci/cluster.sh and named by the environment.
type testCluster struct {
	once sync.Once
	err  error
	base string // clickhouse://host:port of the first node

	dir   string
	zk    *zooKeeper
	nodes []*node
	ctl   string // the node control command of a cluster started elsewhere
}

// node is one server of a testCluster that chtest started.
type node struct {
	dir             string
	tcp, http, peer int // peer: interserver HTTP, where replicas fetch parts
	extra           string
	srv             *chlocal.Server
}

var plainCluster, replicatedCluster testCluster

// start starts shards × replicas servers on free loopback ports, each
// naming all of them in <remote_servers> as ClusterName; with replicas,
// also a ZooKeeper, the {shard} and {replica} macros and the distributed
// DDL queue.
func (c *testCluster) start(shards, replicas int) error {
	var err error
	if c.dir, err = os.MkdirTemp("", "convintel-cluster-"); err != nil {
		return err
	}
	n := shards * replicas
	var held []net.Listener
	// Hold the free ports (three per node, one for ZooKeeper) while the
	// configs are written, then free them for the servers.
	ports := make([]int, 3*n+1)
	for i := range ports {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		defer l.Close() // a second Close below is harmless
		ports[i] = l.Addr().(*net.TCPAddr).Port
		held = append(held, l)
	}
	for i := range n {
		c.nodes = append(c.nodes, &node{tcp: ports[3*i], http: ports[3*i+1], peer: ports[3*i+2],
			dir: filepath.Join(c.dir, fmt.Sprintf("s%dr%d", i/replicas+1, i%replicas+1))})
	}
	var remote strings.Builder
	for s := range shards {
		remote.WriteString("<shard>")
		if replicas > 1 {
			// The Distributed table writes one replica, replication copies it.
			remote.WriteString("<internal_replication>true</internal_replication>")
		}
		for r := range replicas {
			fmt.Fprintf(&remote, "<replica><host>127.0.0.1</host><port>%d</port></replica>", c.nodes[s*replicas+r].tcp)
		}
		remote.WriteString("</shard>\n")
	}
	zkPort := ports[3*n]
	for i, nd := range c.nodes {
		nd.extra = fmt.Sprintf(`<interserver_http_port>%d</interserver_http_port><interserver_http_host>127.0.0.1</interserver_http_host>
<remote_servers><%s>
%s</%s></remote_servers>`, nd.peer, ClusterName, remote.String(), ClusterName)
		if replicas > 1 {
			nd.extra += fmt.Sprintf(`
<macros><shard>%02d</shard><replica>s%dr%d</replica></macros>
<zookeeper><node><host>127.0.0.1</host><port>%d</port></node><session_timeout_ms>10000</session_timeout_ms></zookeeper>
<distributed_ddl><path>/clickhouse/task_queue/ddl</path></distributed_ddl>`, i/replicas+1, i/replicas+1, i%replicas+1, zkPort)
		}
	}
	for _, l := range held {
		l.Close()
	}
	return c.boot(replicas > 1, zkPort)
}

// boot starts ZooKeeper (if wanted) and every node, in parallel.
func (c *testCluster) boot(withZK bool, zkPort int) error {
	if withZK {
		zk, err := startZooKeeper(filepath.Join(c.dir, "zookeeper"), zkPort)
		if err != nil {
			return err
		}
		c.zk = zk
	}
	var g errgroup.Group
	for _, nd := range c.nodes {
		g.Go(nd.start)
	}
	if err := g.Wait(); err != nil {
		return fmt.Errorf("test cluster: %w (logs under %s)", err, c.dir)
	}
	c.base = fmt.Sprintf("clickhouse://127.0.0.1:%d", c.nodes[0].tcp)
	return nil
}

func (nd *node) start() error {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	srv, err := chlocal.StartWith(ctx, nd.dir, nd.tcp, nd.http, nd.extra, nil)
	nd.srv = srv
	return err
}

func (c *testCluster) stop() {
	var wg sync.WaitGroup
	for _, nd := range c.nodes {
		wg.Add(1)
		go func() { defer wg.Done(); nd.srv.Stop() }()
	}
	wg.Wait()
	c.zk.stop()
	if c.dir != "" {
		os.RemoveAll(c.dir)
	}
	*c = testCluster{}
}

// StopCluster stops the servers NewCluster and NewReplicatedCluster
// started, if any. Call it from TestMain after m.Run.
func StopCluster() {
	plainCluster.stop()
	replicatedCluster.stop()
}

// NewCluster returns a migrated cluster layout (warehouse.Cluster) in a fresh
// database on a two-shard cluster without replicas (so no ZooKeeper, and
// migrations go node by node); both databases are dropped on every node
// when the test ends.
func NewCluster(t testing.TB) *warehouse.Cluster {
	t.Helper()
	plainCluster.once.Do(func() {
		if env := os.Getenv(EnvCluster); env != "" {
			plainCluster.base = strings.TrimRight(env, "/")
			return
		}
		plainCluster.err = plainCluster.start(2, 1)
	})
	if plainCluster.err != nil {
		t.Fatalf("chtest: no ClickHouse cluster: %v", plainCluster.err)
	}
	return newClusterDB(t, plainCluster.base)
}

// ReplicatedCluster is a migrated cluster layout on two shards of two
// replicas, whose nodes a test may stop and start again.
type ReplicatedCluster struct {
	*warehouse.Cluster
	tc     *testCluster
	mu     sync.Mutex
	killed map[string]bool
}

// NewReplicatedCluster is NewCluster on a cluster of two shards of two
// replicas with ZooKeeper: Replicated*MergeTree tables, migrations ON
// CLUSTER. The test is skipped when ZooKeeper is not installed (and no
// cluster is named by EnvReplicatedCluster).
func NewReplicatedCluster(t testing.TB) *ReplicatedCluster {
	t.Helper()
	if os.Getenv(EnvReplicatedCluster) == "" && !zooKeeperInstalled() {
		t.Skip("replicated cluster test skipped: " + errNoZooKeeper.Error())
	}
	replicatedCluster.once.Do(func() {
		if env := os.Getenv(EnvReplicatedCluster); env != "" {
			replicatedCluster.base = strings.TrimRight(env, "/")
			replicatedCluster.ctl = os.Getenv(EnvReplicatedClusterCtl)
			return
		}
		t0 := time.Now()
		replicatedCluster.err = replicatedCluster.start(2, 2)
		t.Logf("chtest: ZooKeeper and 2×2 ClickHouse started in %s", time.Since(t0).Round(time.Millisecond))
	})
	if replicatedCluster.err != nil {
		t.Fatalf("chtest: no replicated ClickHouse cluster: %v", replicatedCluster.err)
	}
	rc := &ReplicatedCluster{tc: &replicatedCluster, killed: map[string]bool{}}
	// Registered before the database cleanup, so it runs after it: a node
	// a failed test left down is back before the drop.
	t.Cleanup(func() {
		for addr := range rc.killed {
			rc.StartNode(t, addr)
		}
	})
	rc.Cluster = newClusterDB(t, replicatedCluster.base)
	return rc
}

// KillNode stops the node at addr (host:port, as in Cluster.Nodes) at
// once, as a crash would (SIGKILL).
func (rc *ReplicatedCluster) KillNode(t testing.TB, addr string) {
	t.Helper()
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if err := rc.tc.control("kill", addr); err != nil {
		t.Fatalf("chtest: kill %s: %v", addr, err)
	}
	rc.killed[addr] = true
}

// StartNode starts the node at addr again and waits until it answers.
func (rc *ReplicatedCluster) StartNode(t testing.TB, addr string) {
	t.Helper()
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if err := rc.tc.control("start", addr); err != nil {
		t.Fatalf("chtest: start %s: %v", addr, err)
	}
	delete(rc.killed, addr)
}

func (c *testCluster) control(verb, addr string) error {
	_, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	port, _ := strconv.Atoi(portStr)
	if c.ctl != "" {
		args := strings.Fields(c.ctl)
		out, err := exec.Command(args[0], append(args[1:], verb, portStr)...).CombinedOutput()
		if err != nil {
			return fmt.Errorf("%s %s %s: %w\n%s", c.ctl, verb, portStr, err, out)
		}
		return nil
	}
	for _, nd := range c.nodes {
		if nd.tcp != port {
			continue
		}
		if verb == "kill" {
			nd.srv.Kill()
			return nil
		}
		return nd.start()
	}
	return fmt.Errorf("no node of the test cluster listens on %s (set %s to control a cluster started elsewhere)", addr, EnvReplicatedClusterCtl)
}

// newClusterDB opens and migrates a fresh database on the cluster of the
// node at base; both databases are dropped on every node at cleanup.
func newClusterDB(t testing.TB, base string) *warehouse.Cluster {
	t.Helper()
	db := fmt.Sprintf("c_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, seq.Add(1))
	ctx := context.Background()
	cl, err := warehouse.OpenCluster(ctx, base+"/"+db+"?dial_timeout=5s", warehouse.Topology{Cluster: ClusterName})
	if err != nil {
		t.Fatalf("chtest: open cluster: %v", err)
	}
	t.Cleanup(func() {
		// Dropping a replicated table removes its replica from ZooKeeper,
		// and the table's path with its last replica.
		var wg sync.WaitGroup
		for _, n := range cl.Nodes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{n.Addr}, DialTimeout: 5 * time.Second})
				if err != nil {
					return
				}
				_ = warehouse.DropDatabase(context.Background(), conn, cl.DB)
				_ = warehouse.DropDatabase(context.Background(), conn, cl.LocalDB)
				conn.Close()
			}()
		}
		wg.Wait()
		cl.Close()
	})
	t0 := time.Now()
	if _, err := cl.Migrate(ctx, nil); err != nil {
		t.Fatalf("chtest: migrate cluster %s: %v", db, err)
	}
	how := "node by node"
	if cl.OnCluster {
		how = "ON CLUSTER"
	}
	t.Logf("chtest: %s migrated %s in %s", db, how, time.Since(t0).Round(time.Millisecond))
	return cl
}
