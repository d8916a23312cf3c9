#!/usr/bin/env bash
# HTTP throughput benchmark: how fast does Pathway answer, next to nginx serving the
# same bytes as a static file on the same machine?
#
# It starts build/release/pathway on a fresh temporary database and a free port, saves
# the start page it renders, and starts nginx (master + 2 workers, keep-alive, access
# log on, like Pathway) serving that page from a temporary folder. Then wrk (2 threads,
# 64 keep-alive connections, BENCH_SECONDS seconds each, default 10) loads, in turn:
#   pathway_healthz  Pathway /healthz: the cheapest route (server and routing overhead)
#   pathway_start    Pathway /: the start page, rendered from templates on each request
#   nginx_static     nginx /index.html: the same start-page bytes, read from a file
#   pathway_account  Pathway /account, signed in (the individual of a 2,000-person demo)
#   pathway_people   Pathway /people, signed in as the demo's HR partner (a page of 50
#                    people of their department, with filters)
#
# Output, one key=value line per target (wrk and servers share the machine's cores, so
# compare the numbers with each other, not with other machines):
#   bench=http target=NAME requests_per_s=N p99_ms=N
# Each target is loaded BENCH_ROUNDS times (default 3), the targets taking turns, so that
# a moment of load elsewhere on the machine does not decide a ratio: the line gives the
# median rate (each round's after each=) and the worst p99 of the rounds, and every ratio
# below is of medians.
# then the rates of /healthz and the start page as fractions of nginx's static rate (the
# target is the start page's; /healthz reads the database, its line has no target):
#   bench=http ratio_healthz_vs_nginx=R
#   bench=http ratio_start_vs_nginx=R target_ratio=0.5 meets_target=yes|no
# The target is for the start page to reach half of nginx's static rate; signed-in pages
# are compared with the anonymous start page (which is rendered once and kept):
#   bench=http ratio_account_vs_start=R target_ratio=0.25 meets_target=yes|no
#   bench=http ratio_people_vs_start=R target_ratio=0.1 meets_target=yes|no
# and each run's p99 is held against 50 ms (p99_target_ms=50). A "warning"
# line means wrk saw errors or non-2xx answers, and that run's numbers are suspect.
#
#   make bench                        installs wrk and nginx, builds release, runs this
#   BENCH_SECONDS=3 bench/http.sh     shorter runs
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${BENCH_SECONDS:-10}
rounds=${BENCH_ROUNDS:-3}
target_ratio=0.5
pathway_bin=${PATHWAY_BIN:-$root/build/release/pathway}
nginx_bin=/usr/sbin/nginx

for tool in wrk curl python3 "$nginx_bin" "$pathway_bin"; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "bench/http.sh: $tool is missing (run: make bench)" >&2
    exit 1
  }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pathway-bench.XXXXXX")
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Polls until `curl URL` answers 200, or gives up after about 30 seconds. Fails at once
# if the server process (PID) has exited.
wait_for_200() {
  local url=$1 pid=$2 name=$3 i
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2>/dev/null || {
      echo "bench/http.sh: $name exited before answering $url" >&2
      return 1
    }
    [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url" || true) == 200 ]] && return 0
    sleep 0.1
  done
  echo "bench/http.sh: $name did not answer 200 at $url" >&2
  return 1
}

# --- Pathway -----------------------------------------------------------------------
: >"$tmp/pathway.err"
"$pathway_bin" demo --db "$tmp/bench.db" --root "$root" --people 2000 >"$tmp/demo.out" 2>&1
"$pathway_bin" serve --db "$tmp/bench.db" --listen 127.0.0.1:0 --root "$root" \
  --access-log "$tmp/access.log" >"$tmp/pathway.out" 2>"$tmp/pathway.err" &
pids+=($!)
pathway_pid=$!

pathway_port=
for ((i = 0; i < 300; i++)); do
  if [[ $(cat "$tmp/pathway.err") =~ listening\ on\ http://127\.0\.0\.1:([0-9]+) ]]; then
    pathway_port=${BASH_REMATCH[1]}
    break
  fi
  kill -0 "$pathway_pid" 2>/dev/null || break
  sleep 0.1
done
if [[ -z $pathway_port ]]; then
  echo "bench/http.sh: pathway did not start:" >&2
  cat "$tmp/pathway.err" >&2
  exit 1
fi
pathway=http://127.0.0.1:$pathway_port
wait_for_200 "$pathway/healthz" "$pathway_pid" pathway

# --- nginx serving the start page's bytes -----------------------------------------
mkdir -p "$tmp/www" "$tmp/nginx"
# Run as root, nginx's workers switch to user nobody: let them reach the page (mktemp
# makes the folder 0700).
chmod 755 "$tmp" "$tmp/www"
curl -sSf -o "$tmp/www/index.html" "$pathway/"
chmod 644 "$tmp/www/index.html"
nginx_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$tmp/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes 2;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events {
  worker_connections 1024;
}
http {
  access_log $tmp/nginx/access.log;
  client_body_temp_path $tmp/nginx/client_body;
  proxy_temp_path $tmp/nginx/proxy;
  fastcgi_temp_path $tmp/nginx/fastcgi;
  uwsgi_temp_path $tmp/nginx/uwsgi;
  scgi_temp_path $tmp/nginx/scgi;
  keepalive_timeout 65;
  keepalive_requests 1000000;
  sendfile on;
  tcp_nopush on;
  server {
    listen 127.0.0.1:$nginx_port;
    root $tmp/www;
    location / {
      types { }
      default_type "text/html; charset=utf-8";
    }
  }
}
EOF
# -e: nginx 1.19.5+ would otherwise open the compiled-in error log under /var first.
"$nginx_bin" -p "$tmp/nginx" -e "$tmp/nginx/error.log" -c "$tmp/nginx.conf" \
  >"$tmp/nginx/stdout.log" 2>&1 &
pids+=($!)
nginx_pid=$!
nginx=http://127.0.0.1:$nginx_port
wait_for_200 "$nginx/index.html" "$nginx_pid" nginx || {
  tail -n 20 "$tmp/nginx/stdout.log" "$tmp/nginx/error.log" >&2 || true
  exit 1
}

# --- signed-in sessions ------------------------------------------------------------
# Signs in as the demo user whose role is $1 and prints the session cookie (NAME=VALUE).
session_for() {
  local role=$1 email password token cookie
  read -r email password < <(awk -v r="$role" 'index($0, "  " r " ") == 1 {
    for (i = 1; i <= NF; i++) if ($i ~ /@/) { print $i, $(i + 1); exit } }' "$tmp/demo.out")
  [[ -n $email ]] || { echo "bench/http.sh: no demo sign-in for $role" >&2; return 1; }
  # The sign-in form's token is paired with a cookie of its own, sent back with the form.
  local page signin
  page=$(curl -sS -D "$tmp/signin.headers" "$pathway/sign-in")
  token=$(sed -n 's/.*name="signin-token" value="\([^"]*\)".*/\1/p' <<<"$page" | head -1)
  signin=$(awk 'tolower($1) == "set-cookie:" { split($2, c, ";"); print c[1]; exit }' "$tmp/signin.headers")
  cookie=$(curl -sS -o /dev/null -D - -H "Origin: $pathway" -H "Cookie: $signin" \
    --data-urlencode "signin-token=$token" --data-urlencode "email=$email" \
    --data-urlencode "password=$password" --data-urlencode "next=/account" "$pathway/sign-in" |
    awk 'tolower($1) == "set-cookie:" && $2 ~ /^__Host-pathway-session=/ { split($2, c, ";"); print c[1]; exit }')
  [[ -n $cookie ]] || { echo "bench/http.sh: could not sign in as $role" >&2; return 1; }
  printf '%s\n' "$cookie"
}
individual_cookie=$(session_for Individual)
hr_cookie=$(session_for "HR partner")
for check in "$individual_cookie /account" "$hr_cookie /people"; do
  read -r cookie path <<<"$check"
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$pathway$path")
  [[ $code == 200 ]] || { echo "bench/http.sh: $path answered $code when signed in" >&2; exit 1; }
done

# --- runs ------------------------------------------------------------------------
# Converts wrk's latency ("812.00us", "4.56ms", "1.02s", "2.00m") to milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.2f", n
  }'
}

declare -A rps p99s rates worst
run() {
  local name=$1 url=$2 cookie=${3:-} out rate p99 errors non2xx
  local headers=()
  [[ -n $cookie ]] && headers=(-H "Cookie: $cookie")
  out=$(wrk -t2 -c64 -d"${seconds}s" --latency "${headers[@]}" "$url")
  printf '%s\n' "$out" >>"$tmp/wrk-$name.txt"
  rate=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
  [[ -n $rate && -n $p99 ]] || {
    echo "bench/http.sh: could not parse wrk's output for $name:" >&2
    printf '%s\n' "$out" >&2
    exit 1
  }
  rates[$name]+="$rate "
  p99=$(to_ms "$p99")
  worst[$name]=$(awk -v a="${worst[$name]:-0}" -v b="$p99" 'BEGIN { print (b > a ? b : a) }')
  errors=$(grep -E '^ *Socket errors:' <<<"$out" || true)
  non2xx=$(grep -E '^ *Non-2xx or 3xx responses:' <<<"$out" || true)
  if [[ -n $errors || -n $non2xx ]]; then
    echo "bench=http target=$name warning=\"$(echo "$errors" "$non2xx" | xargs)\""
  fi
}

# The median of the rates each round measured, and its line.
report() {
  local name=$1
  rps[$name]=$(tr ' ' '\n' <<<"${rates[$name]}" | awk 'NF' | sort -g |
    awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }')
  p99s[$name]=${worst[$name]}
  local each
  each=$(awk 'NF' <<<"${rates[$name]}" | xargs | tr ' ' ',')
  echo "bench=http target=$name requests_per_s=${rps[$name]} p99_ms=${p99s[$name]} p99_target_ms=50 rounds=$rounds each=$each"
}

targets=(pathway_healthz pathway_start nginx_static pathway_account pathway_people)
for ((round = 1; round <= rounds; round++)); do
  run pathway_healthz "$pathway/healthz"
  run pathway_start "$pathway/"
  run nginx_static "$nginx/index.html"
  run pathway_account "$pathway/account" "$individual_cookie"
  run pathway_people "$pathway/people" "$hr_cookie"
done
for name in "${targets[@]}"; do report "$name"; done

# A rate as a fraction of nginx's static rate; against `target` when one is given.
ratio_line() {
  local label=$1 name=$2 target=${3:-}
  awk -v a="${rps[$name]}" -v b="${rps[nginx_static]}" -v t="$target" -v l="$label" 'BEGIN {
    r = b > 0 ? a / b : 0
    if (t == "") printf "bench=http ratio_%s_vs_nginx=%.2f\n", l, r
    else printf "bench=http ratio_%s_vs_nginx=%.2f target_ratio=%s meets_target=%s\n", l, r, t, (r >= t ? "yes" : "no")
  }'
}
# /healthz reads the database on every request: its ratio is for information, with no
# target; the target is the start page's.
ratio_line healthz pathway_healthz
ratio_line start pathway_start "$target_ratio"
versus_start() {
  local label=$1 name=$2 target=$3
  awk -v a="${rps[$name]}" -v b="${rps[pathway_start]}" -v t="$target" -v l="$label" 'BEGIN {
    r = b > 0 ? a / b : 0
    printf "bench=http ratio_%s_vs_start=%.3f target_ratio=%s meets_target=%s\n", l, r, t, (r >= t ? "yes" : "no")
  }'
}
versus_start account pathway_account 0.25
versus_start people pathway_people 0.1
