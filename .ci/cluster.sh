#!/usr/bin/env bash
# Start or stop a throw-away ClickHouse cluster NAME (default convintel) on
# loopback ports; each node is an ordinary test server from
# .ci/clickhouse.sh under DIR/node-PORT, with its cluster XML in
# DIR/node-PORT.xml.
#
#   .ci/cluster.sh start DIR PORT [NAME]
#       two shards, no replicas, no ZooKeeper (DDL goes node by node):
#       nodes on PORT and PORT+10.
#   .ci/cluster.sh replicated DIR PORT [NAME]
#       two shards of two replicas (internal_replication) with ZooKeeper
#       from Debian's zookeeper package on PORT+50, the {shard} and
#       {replica} macros and the distributed DDL queue (DDL goes ON
#       CLUSTER): shard 1 on PORT and PORT+10, shard 2 on PORT+20 and
#       PORT+30.
#   .ci/cluster.sh node DIR kill|start PORT
#       kill one node at once (SIGKILL, as a crash) or start it again.
#   .ci/cluster.sh stop DIR
#       stop every node and ZooKeeper under DIR.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cmd=${1:?start|replicated|node|stop}
dir=${2:?data directory}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

zk_jar=/usr/share/java/zookeeper.jar

# zk_start PORT: a standalone ZooKeeper under $dir/zookeeper, ready when
# it answers srvr with its mode (ruok answers before it serves sessions).
zk_start() {
  local port=$1 zk=$dir/zookeeper
  if [ -f "$zk/pid" ] && kill -0 "$(cat "$zk/pid")" 2>/dev/null; then return 0; fi
  if ! command -v java >/dev/null || [ ! -f "$zk_jar" ]; then
    echo "ZooKeeper is not installed: run make deps (apt-get install -y zookeeper)" >&2; exit 1
  fi
  mkdir -p "$zk/data"
  cat > "$zk/zoo.cfg" <<CFG
tickTime=1000
dataDir=$zk/data
clientPort=$port
clientPortAddress=127.0.0.1
admin.enableServer=false
4lw.commands.whitelist=srvr
CFG
  nohup java -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$zk_jar:/usr/share/java/slf4j-simple.jar" org.apache.zookeeper.server.ZooKeeperServerMain "$zk/zoo.cfg" \
    >"$zk/zookeeper.log" 2>&1 &
  echo $! > "$zk/pid"
  for _ in $(seq 1 150); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port" && printf srvr >&3 && grep -q '^Mode:' <&3) 2>/dev/null; then
      echo "ZooKeeper ready on 127.0.0.1:$port"; return 0
    fi
    sleep 0.2
  done
  echo "ZooKeeper did not start; see $zk/zookeeper.log" >&2; exit 1
}

# cluster SHARDS REPLICAS PORT NAME: writes each node's cluster XML and
# starts the nodes.
cluster() {
  local shards=$1 replicas=$2 port=$3 name=$4 s r p remote="" zk=""
  for ((s = 0; s < shards; s++)); do
    remote+="<shard>"
    [ "$replicas" -gt 1 ] && remote+="<internal_replication>true</internal_replication>"
    for ((r = 0; r < replicas; r++)); do
      remote+="<replica><host>127.0.0.1</host><port>$((port + 10 * (s * replicas + r)))</port></replica>"
    done
    remote+="</shard>"$'\n'
  done
  if [ "$replicas" -gt 1 ]; then
    zk_start $((port + 50))
    zk="<zookeeper><node><host>127.0.0.1</host><port>$((port + 50))</port></node><session_timeout_ms>10000</session_timeout_ms></zookeeper>
<distributed_ddl><path>/clickhouse/task_queue/ddl</path></distributed_ddl>"
  fi
  for ((s = 0; s < shards; s++)); do
    for ((r = 0; r < replicas; r++)); do
      p=$((port + 10 * (s * replicas + r)))
      {
        echo "<interserver_http_port>$((p + 2))</interserver_http_port><interserver_http_host>127.0.0.1</interserver_http_host>"
        echo "<remote_servers><$name>"$'\n'"$remote</$name></remote_servers>"
        if [ -n "$zk" ]; then
          printf '<macros><shard>%02d</shard><replica>s%dr%d</replica></macros>\n%s\n' $((s + 1)) $((s + 1)) $((r + 1)) "$zk"
        fi
      } > "$dir/node-$p.xml"
      "$here/clickhouse.sh" start "$dir/node-$p" "$p" "$dir/node-$p.xml"
    done
  done
  echo "ClickHouse cluster $name ready: $shards shards × $replicas replicas from 127.0.0.1:$port"
}

case "$cmd" in
start) cluster 2 1 "${3:-19100}" "${4:-convintel}" ;;
replicated) cluster 2 2 "${3:-19200}" "${4:-convintel}" ;;
node)
  verb=${3:?kill|start}
  p=${4:?port}
  case "$verb" in
  kill) kill -9 "$(cat "$dir/node-$p/pid")"; rm -f "$dir/node-$p/pid" ;;
  start) "$here/clickhouse.sh" start "$dir/node-$p" "$p" "$dir/node-$p.xml" ;;
  *) echo "usage: $0 node DIR kill|start PORT" >&2; exit 2 ;;
  esac
  ;;
stop)
  for n in "$dir"/node-*/; do
    [ -d "$n" ] && "$here/clickhouse.sh" stop "$n"
  done
  if [ -f "$dir/zookeeper/pid" ]; then
    pid=$(cat "$dir/zookeeper/pid"); kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$dir/zookeeper/pid"
  fi
  ;;
*) echo "usage: $0 start|replicated|node|stop DIR …" >&2; exit 2 ;;
esac
