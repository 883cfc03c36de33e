#!/usr/bin/env bash
# Start or stop the throw-away ClickHouse the tests use, on a loopback port.
# EXTRA, when given, is a file of XML inserted into the config (e.g. a
# <remote_servers> section; .ci/cluster.sh uses it).
#   .ci/clickhouse.sh start DIR PORT [EXTRA]   |   .ci/clickhouse.sh stop DIR
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?data directory}
port=${3:-19000}
extra=${4:-}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
case "$cmd" in
start)
  if [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
    echo "ClickHouse already running on 127.0.0.1:$port (pid $(cat "$dir/pid"))"; exit 0
  fi
  mkdir -p "$dir/log" "$dir/data" "$dir/tmp"
  cat > "$dir/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
    <logger><level>warning</level><log>$dir/log/server.log</log><errorlog>$dir/log/server.err.log</errorlog><size>100M</size><count>2</count></logger>
    <listen_host>127.0.0.1</listen_host>
    <tcp_port>$port</tcp_port>
    <http_port>$((port + 1))</http_port>
    <path>$dir/data/</path>
    <tmp_path>$dir/tmp/</tmp_path>
    <user_files_path>$dir/user_files/</user_files_path>
    <format_schema_path>$dir/format_schemas/</format_schema_path>
    <users_config>/etc/clickhouse-server/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <mark_cache_size>268435456</mark_cache_size>
    <max_concurrent_queries>200</max_concurrent_queries>
$( [ -n "$extra" ] && cat "$extra" )
</yandex>
XML
  nohup clickhouse-server --config-file="$dir/config.xml" >"$dir/log/stdout.log" 2>&1 &
  echo $! > "$dir/pid"
  for _ in $(seq 1 150); do
    if clickhouse-client --port "$port" -q 'SELECT 1' >/dev/null 2>&1; then
      echo "ClickHouse $(clickhouse-client --port "$port" -q 'SELECT version()') ready on 127.0.0.1:$port"; exit 0
    fi
    sleep 0.2
  done
  echo "ClickHouse did not start; see $dir/log" >&2; tail -20 "$dir/log/"*.log >&2 || true; exit 1
  ;;
stop)
  if [ -f "$dir/pid" ]; then
    pid=$(cat "$dir/pid"); kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$dir/pid"
  fi
  ;;
*) echo "usage: $0 start|stop DIR [PORT]" >&2; exit 2 ;;
esac
