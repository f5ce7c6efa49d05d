# Shared by the bench/*.sh scripts of issue 17: the local target (nginx), packages, load average,
# and the section of docs/benchmarks.md each script owns. Source it; it sets `set -euo pipefail`.
# Every process started here is on loopback, bounded in time, and stopped by the caller's trap.
set -euo pipefail
BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH_RUN="$BENCH_ROOT/run/bench"
mkdir -p "$BENCH_RUN" "$BENCH_ROOT/bench/results"

# need_pkg BINARY PACKAGE: installs the Debian package when the binary is missing (root, apt).
need_pkg() {
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "bench: installing $2 (Debian)..." >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=120 "$2" >/dev/null \
    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
         -o DPkg::Lock::Timeout=120 "$2" >/dev/null; }
  command -v "$1" >/dev/null 2>&1 || { echo "bench: $1 still missing after installing $2" >&2; exit 1; }
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
loadavg() { cut -d' ' -f1 /proc/loadavg; }
# cpu_ms PID: user+system CPU milliseconds of a process so far (USER_HZ 100)
cpu_ms() { awk '{ s = $0; sub(/^.*\) /, "", s); split(s, f, " "); print (f[12] + f[13]) * 10 }' "/proc/$1/stat"; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
machine() { echo "$(nproc) cores, $(awk '/MemTotal/ { printf "%d GiB", $2/1048576 }' /proc/meminfo), $(java -version 2>&1 | head -1 | tr -d '"')"; }

# start_nginx: nginx on a free loopback port answering 200 "ok" to every path, NGINX_WORKERS workers
# (default 1), no access log; sets NGINX_PORT and NGINX_PID. With NGINX_LISTENERS=N (default 1) it
# listens on N ports, each a host of its own to a prober (whose connection limits are per host:port),
# and NGINX_TARGETS lists their base URLs, comma-separated. Stop it with stop_nginx.
start_nginx() {
  need_pkg nginx nginx-light
  local dir="$BENCH_RUN/nginx" listen="" p
  mkdir -p "$dir/tmp"
  NGINX_PORT="$(free_port)"
  NGINX_TARGETS="http://127.0.0.1:$NGINX_PORT"
  listen="listen 127.0.0.1:$NGINX_PORT backlog=4096;"
  for _ in $(seq 2 "${NGINX_LISTENERS:-1}"); do
    p="$(free_port)"
    NGINX_TARGETS="$NGINX_TARGETS,http://127.0.0.1:$p"
    listen="$listen listen 127.0.0.1:$p backlog=4096;"
  done
  cat > "$dir/nginx.conf" <<CONF
worker_processes ${NGINX_WORKERS:-1};
pid $dir/nginx.pid;
error_log $dir/error.log warn;
daemon on;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/tmp; proxy_temp_path $dir/tmp; fastcgi_temp_path $dir/tmp;
  uwsgi_temp_path $dir/tmp; scgi_temp_path $dir/tmp;
  server {
    $listen
    location / { default_type text/plain; return 200 "ok\n"; }
  }
}
CONF
  nginx -c "$dir/nginx.conf" -p "$dir"
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$NGINX_PORT/" >/dev/null && break; sleep 0.1; done
  NGINX_PID="$(cat "$dir/nginx.pid")"
}
stop_nginx() { [ -n "${NGINX_PID:-}" ] && kill "$NGINX_PID" 2>/dev/null || true; NGINX_PID=; }

# pharos_jar: builds the distribution jar when needed (through ./pharos) and prints nothing.
pharos_build() { "$BENCH_ROOT/pharos" --version >/dev/null; }
# The controllers' JVM flags for bench-trio: CONTROLLER_JVM when set (even empty), else what
# `pharos controller` runs with: jvm/controller.args and the script's heap cap.
controller_jvm() {
  if [ -n "${CONTROLLER_JVM+set}" ]; then echo "$CONTROLLER_JVM"; return; fi
  echo "$(grep -v '^#' "$BENCH_ROOT/jvm/controller.args" | tr '\n' ' ')-Xmx512m"
}

# doc_section NAME TITLE MARKDOWN_FILE [INTRO [NOTE]]: replaces (or appends) <!-- NAME:begin --> ...
# <!-- NAME:end --> in docs/benchmarks.md with "## TITLE", the INTRO paragraph (the command, date and
# machine), the Markdown of the run and a NOTE after it.
doc_section() {
  python3 - "$1" "$2" "$3" "$BENCH_ROOT/docs/benchmarks.md" "${4:-}" "${5:-}" <<'PY'
import re, sys, pathlib
name, title, md, doc = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3]).read_text(), pathlib.Path(sys.argv[4])
intro, note = sys.argv[5], sys.argv[6]
text = doc.read_text() if doc.exists() else "# Benchmarks\n"
begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
body = (intro + "\n\n" if intro else "") + md.rstrip() + ("\n\n" + note if note else "")
section = f"{begin}\n## {title}\n\n{body}\n{end}"
if begin in text:
    text = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda m: section, text, flags=re.S)
else:
    text = text.rstrip() + "\n\n" + section + "\n"
doc.write_text(text)
print(f"updated docs/benchmarks.md ({name})")
PY
}
