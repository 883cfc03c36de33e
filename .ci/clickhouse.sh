#!/usr/bin/env bash
# Start or stop a throw-away ClickHouse on a loopback port.
#   .ci/clickhouse.sh start DIR [PORT] [EXTRA]   |   .ci/clickhouse.sh stop DIR
# PORT "" or "auto" picks a free port (make test does); an explicit PORT that
# something else already listens on is refused. The server is started with a
# random instance token in its <macros>, and is only used once the server
# answering on the port returns that token: whatever else answers there (a
# developer's own ClickHouse, another checkout's test server) is never
# mistaken for ours. The chosen port is written to DIR/port.
# EXTRA, when given, is a file of XML inserted into the config (e.g. a
# <remote_servers> section; .ci/cluster.sh uses it).
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?data directory}
port=${3:-}
extra=${4:-}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

# listening PORT: something accepts connections on 127.0.0.1:PORT.
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ours PORT: the server on PORT carries this directory's instance token.
ours() {
  [ -f "$dir/token" ] || return 1
  local got
  got=$(clickhouse-client --port "$1" -q "SELECT substitution FROM system.macros WHERE macro = 'convintel_instance'" 2>/dev/null) || return 1
  [ "$got" = "$(cat "$dir/token")" ]
}

case "$cmd" in
start)
  if [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null && [ -f "$dir/port" ] && ours "$(cat "$dir/port")"; then
    echo "ClickHouse already running on 127.0.0.1:$(cat "$dir/port") (pid $(cat "$dir/pid"))"; exit 0
  fi
  if [ -z "$port" ] || [ "$port" = auto ]; then
    port=""
    for _ in $(seq 1 50); do
      p=$((20000 + RANDOM % 30000))
      if ! listening "$p" && ! listening $((p + 1)); then port=$p; break; fi
    done
    [ -n "$port" ] || { echo "no free loopback port found for the test ClickHouse" >&2; exit 1; }
  elif listening "$port" || listening $((port + 1)); then
    echo "127.0.0.1:$port (or $((port + 1))) is already in use by another process; the tests will not run against a server they did not start." >&2
    echo "Leave CH_PORT unset to pick a free port, or stop whatever listens there." >&2
    exit 1
  fi
  od -An -N8 -tx8 /dev/urandom | tr -d ' \n' > "$dir/token"
  echo "$port" > "$dir/port"
  mkdir -p "$dir/log" "$dir/data" "$dir/tmp"
  # One <macros> element: the token joins the cluster's macros when EXTRA has some.
  mine="<convintel_instance>$(cat "$dir/token")</convintel_instance>"
  macros="<macros>$mine</macros>"
  if [ -n "$extra" ]; then
    if grep -q '<macros>' "$extra"; then macros=$(sed "s|<macros>|<macros>$mine|" "$extra"); else macros="$macros
$(cat "$extra")"; fi
  fi
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
$macros
</yandex>
XML
  nohup clickhouse-server --config-file="$dir/config.xml" >"$dir/log/stdout.log" 2>&1 &
  echo $! > "$dir/pid"
  for _ in $(seq 1 150); do
    if ! kill -0 "$(cat "$dir/pid")" 2>/dev/null; then break; fi
    if ours "$port"; then
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
    rm -f "$dir/pid" "$dir/port" "$dir/token"
  fi
  ;;
*) echo "usage: $0 start|stop DIR [PORT]" >&2; exit 2 ;;
esac
