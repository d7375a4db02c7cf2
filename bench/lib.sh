# Shell functions the bench scripts share: free ports, waiting for a listener, CPU and memory of a server.
# A free loopback port: one nobody answers on (other work on the machine may hold fixed ones).
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}
wait_port() { # port, name, log file
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "$2 does not listen on port $1 after 10 s; its log:" >&2; tail -20 "$3" >&2 || true; return 1
}
# All processes of a server: the one we started and its children (nginx workers).
server_pids() { echo "$1" $(pgrep -P "$1" 2>/dev/null || true); }
cpu_ticks() { local total=0 pid; for pid in $(server_pids "$1"); do
  [ -r "/proc/$pid/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done; echo "$total"; }
rss_mb() { local total=0 pid; for pid in $(server_pids "$1"); do
  [ -r "/proc/$pid/status" ] && total=$((total + $(awk '/VmRSS/ {print $2}' "/proc/$pid/status"))); done; echo $((total / 1024)); }

# CPU per handshake: server CPU time spent during `openssl s_time`, divided by the connections it made.
handshake_cost() { # server pid, port, protocol flag, -new|-reuse, [extra s_time arguments]
  local before after connections pid=$1 port=$2 protocol=$3 mode=$4
  shift 4
  before=$(cpu_ticks "$pid")
  connections=$(openssl s_time -connect "127.0.0.1:$port" "$protocol" "$mode" -time "$HANDSHAKE_SECONDS" "$@" 2>/dev/null | awk '/connections in/ {print $1; exit}')
  after=$(cpu_ticks "$pid")
  awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="${connections:-0}" 'BEGIN { if (n > 0) printf "%.3f", t * 1000 / hz / n; else print "nan" }'
}
