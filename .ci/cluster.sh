#!/usr/bin/env bash
# Start or stop a throw-away two-shard ClickHouse cluster on loopback ports:
# two servers, PORT and PORT+10, each with a <remote_servers> section naming
# both as the shards of cluster NAME (default convintel). No replicas, so no
# ZooKeeper: DDL is applied node by node (see docs/deployment.md).
#   .ci/cluster.sh start DIR PORT [NAME]   |   .ci/cluster.sh stop DIR
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?data directory}
port=${3:-19100}
name=${4:-convintel}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
ports=("$port" "$((port + 10))")
case "$cmd" in
start)
  for i in 0 1; do
    d="$dir/shard$((i + 1))"; p=${ports[$i]}
    if [ -f "$d/pid" ] && kill -0 "$(cat "$d/pid")" 2>/dev/null; then
      echo "shard $((i + 1)) already running on 127.0.0.1:$p (pid $(cat "$d/pid"))"; continue
    fi
    mkdir -p "$d/log" "$d/data" "$d/tmp"
    cat > "$d/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
    <logger><level>warning</level><log>$d/log/server.log</log><errorlog>$d/log/server.err.log</errorlog><size>100M</size><count>2</count></logger>
    <listen_host>127.0.0.1</listen_host>
    <tcp_port>$p</tcp_port>
    <http_port>$((p + 1))</http_port>
    <interserver_http_port>$((p + 2))</interserver_http_port>
    <path>$d/data/</path>
    <tmp_path>$d/tmp/</tmp_path>
    <user_files_path>$d/user_files/</user_files_path>
    <format_schema_path>$d/format_schemas/</format_schema_path>
    <users_config>/etc/clickhouse-server/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <mark_cache_size>268435456</mark_cache_size>
    <max_concurrent_queries>200</max_concurrent_queries>
    <remote_servers>
        <$name>
            <shard><replica><host>127.0.0.1</host><port>${ports[0]}</port></replica></shard>
            <shard><replica><host>127.0.0.1</host><port>${ports[1]}</port></replica></shard>
        </$name>
    </remote_servers>
</yandex>
XML
    nohup clickhouse-server --config-file="$d/config.xml" >"$d/log/stdout.log" 2>&1 &
    echo $! > "$d/pid"
  done
  for i in 0 1; do
    p=${ports[$i]}; ok=""
    for _ in $(seq 1 150); do
      if clickhouse-client --port "$p" -q 'SELECT 1' >/dev/null 2>&1; then ok=1; break; fi
      sleep 0.2
    done
    if [ -z "$ok" ]; then
      echo "shard $((i + 1)) did not start; see $dir/shard$((i + 1))/log" >&2
      tail -20 "$dir/shard$((i + 1))/log/"*.log >&2 || true; exit 1
    fi
  done
  echo "ClickHouse cluster $name ready: shards on 127.0.0.1:${ports[0]} and 127.0.0.1:${ports[1]}"
  ;;
stop)
  for d in "$dir"/shard1 "$dir"/shard2; do
    [ -f "$d/pid" ] || continue
    pid=$(cat "$d/pid"); kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$d/pid"
  done
  ;;
*) echo "usage: $0 start|stop DIR [PORT [NAME]]" >&2; exit 2 ;;
esac
