#!/usr/bin/env bash
# Start or stop a throw-away two-shard ClickHouse cluster on loopback ports:
# two servers, PORT and PORT+10, each with a <remote_servers> section naming
# both as the shards of cluster NAME (default convintel). No replicas, so no
# ZooKeeper: DDL is applied node by node (see docs/deployment.md). Each shard
# is an ordinary test server from .ci/clickhouse.sh.
#   .ci/cluster.sh start DIR PORT [NAME]   |   .ci/cluster.sh stop DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cmd=${1:?start|stop}
dir=${2:?data directory}
port=${3:-19100}
name=${4:-convintel}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
ports=("$port" "$((port + 10))")
case "$cmd" in
start)
  cat > "$dir/remote_servers.xml" <<XML
    <remote_servers>
        <$name>
            <shard><replica><host>127.0.0.1</host><port>${ports[0]}</port></replica></shard>
            <shard><replica><host>127.0.0.1</host><port>${ports[1]}</port></replica></shard>
        </$name>
    </remote_servers>
XML
  for i in 0 1; do
    "$here/clickhouse.sh" start "$dir/shard$((i + 1))" "${ports[$i]}" "$dir/remote_servers.xml"
  done
  echo "ClickHouse cluster $name ready: shards on 127.0.0.1:${ports[0]} and 127.0.0.1:${ports[1]}"
  ;;
stop)
  for i in 1 2; do
    "$here/clickhouse.sh" stop "$dir/shard$i"
  done
  ;;
*) echo "usage: $0 start|stop DIR [PORT [NAME]]" >&2; exit 2 ;;
esac
