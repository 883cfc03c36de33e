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

# free_port: a port whose pair (PORT, PORT+1) nobody listens on, below the
# kernel's ephemeral range: a port inside it can be the local end of an
# outgoing connection, which no listener check sees, and the server's bind
# then fails ("Address already in use", seen in a clean-clone make test).
free_port() {
  local low=32768 p
  read -r low _ < /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
  [ "$low" -gt 12000 ] || low=32768
  for _ in $(seq 1 50); do
    p=$((10000 + RANDOM % (low - 10002)))
    if ! listening "$p" && ! listening $((p + 1)); then echo "$p"; return 0; fi
  done
  echo "no free loopback port found for the test ClickHouse" >&2; return 1
}

case "$cmd" in
start)
  if [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null && [ -f "$dir/port" ] && ours "$(cat "$dir/port")"; then
    echo "ClickHouse already running on 127.0.0.1:$(cat "$dir/port") (pid $(cat "$dir/pid"))"; exit 0
  fi
  auto=""
  if [ -z "$port" ] || [ "$port" = auto ]; then
    auto=1
    port=$(free_port)
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
  for attempt in 1 2 3; do
    nohup clickhouse-server --config-file="$dir/config.xml" >"$dir/log/stdout.log" 2>&1 &
    echo $! > "$dir/pid"
    for _ in $(seq 1 150); do
      if ! kill -0 "$(cat "$dir/pid")" 2>/dev/null; then break; fi
      if ours "$port"; then
        echo "ClickHouse $(clickhouse-client --port "$port" -q 'SELECT version()') ready on 127.0.0.1:$port"; exit 0
      fi
      sleep 0.2
    done
    # A port taken between the check and the bind: another free port, when
    # the caller let us choose.
    if [ -n "$auto" ] && [ "$attempt" -lt 3 ] && grep -q "Address already in use" "$dir/log/server.err.log" 2>/dev/null; then
      kill "$(cat "$dir/pid")" 2>/dev/null || true
      old=$port; port=$(free_port); echo "$port" > "$dir/port"
      sed -i "s|<tcp_port>$old</tcp_port>|<tcp_port>$port</tcp_port>|; s|<http_port>$((old + 1))</http_port>|<http_port>$((port + 1))</http_port>|" "$dir/config.xml"
      : > "$dir/log/server.err.log"
      echo "127.0.0.1:$old was taken while ClickHouse started; trying $port" >&2
      continue
    fi
    break
  done
  echo "ClickHouse did not start; see $dir/log" >&2; tail -n 20 "$dir/log/"*.log >&2 || true; exit 1
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
