#!/usr/bin/env bash
# A quick load measurement (not yet issue 7's full benchmark): starts the release server on SQLite
# in a fresh data directory and measures, with wrk (Debian's package), the campaign page, count.json,
# a static file (the ceiling), and signing (GET for the CSRF token, then POSTs with unique addresses).
# Usage: bash bench/quick.sh [seconds]   (loopback only; every run is bounded by its duration)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)"; exit 1; }
cargo build --release -q -p undersigned
dir=$(mktemp -d)
port=18096
target/release/undersigned --listen "127.0.0.1:$port" --data-dir "$dir" --sign-rate-limit 0 >"$dir/log.txt" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$port"
run() { echo "== $1"; shift; wrk -t2 -c64 -d"${seconds}s" --latency "$@" | grep -E "Requests/sec|50%|99%|Non-2xx"; }
run "campaign page" "$base/c/release-cai-guangye"
run "count.json" "$base/c/release-cai-guangye/count.json"
run "static file (ceiling)" "$base/static/style.css"
curl -s -c "$dir/jar" "$base/c/release-cai-guangye" >"$dir/page.html"
token=$(grep -o 'name="csrf" value="[^"]*"' "$dir/page.html" | head -1 | sed 's/.*value="//; s/"//')
cookie=$(grep csrf "$dir/jar" | awk '{print $7}')
cat >"$dir/sign.lua" <<LUA
local threads = 0
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
function init(args) counter = 0 end
request = function()
  counter = counter + 1
  local body = "name=Load+Test&country=HK&display=full&csrf=$token&email=t" .. tid .. "-" .. counter .. "%40example.org"
  return wrk.format("POST", "/c/release-cai-guangye/sign",
    {["Content-Type"]="application/x-www-form-urlencoded", ["Cookie"]="csrf=$cookie"}, body)
end
LUA
run "signing (each answered after its COMMIT)" -s "$dir/sign.lua" "$base"
echo "signatures stored: $(sqlite3 "$dir/undersigned.db" 'select count(*) from signatures' 2>/dev/null || echo '?')"
