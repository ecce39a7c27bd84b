#!/usr/bin/env bash
# Seeds the demo campaign with N confirmed signatures on SQLite (1,000,000 by default), then
# measures what issue 7 asks of a big campaign: the CSV export of all of them (seconds, server
# peak RSS), the campaign page and a deep page of the signatures list, and the server's memory.
#
#   bash bench/export.sh [N]             # SQLite, in a temporary data folder
#   BACKEND=postgres bash bench/export.sh  # PostgreSQL at 127.0.0.1:5432, in a database it creates
#
# Needs the sqlite3 shell (Debian: sqlite3) or psql to seed rows fast; builds the release binary.
set -euo pipefail
n=${1:-1000000}
root=$(cd "$(dirname "$0")/.." && pwd)
backend=${BACKEND:-sqlite}
if [ "$backend" = postgres ]; then
  admin=postgres://postgres@127.0.0.1:5432/postgres
  psql -q "$admin" -c "DROP DATABASE IF EXISTS undersigned_bench" -c "CREATE DATABASE undersigned_bench" 2>/dev/null
  export UNDERSIGNED_DATABASE=postgres://postgres@127.0.0.1:5432/undersigned_bench
else
  command -v sqlite3 >/dev/null || { echo "bench/export.sh needs sqlite3 (apt-get install sqlite3)" >&2; exit 1; }
fi
cargo build --release -p undersigned --manifest-path "$root/Cargo.toml" >&2
bin=$root/target/release/undersigned
dir=$(mktemp -d)
port=18099
base=http://127.0.0.1:$port
export UNDERSIGNED_DATA_DIR=$dir RUST_LOG=warn
cleanup() {
  kill $pid 2>/dev/null || true
  rm -rf "$dir"
  if [ "$backend" = postgres ]; then
    sleep 0.5
    psql -q "$admin" -c "DROP DATABASE IF EXISTS undersigned_bench" || true
  fi
}
trap cleanup EXIT
pid=

# First start: migrations and the demo campaign; then an admin to export with.
"$bin" serve --listen 127.0.0.1:$port >/dev/null 2>&1 & pid=$!
until curl -sf $base/healthz >/dev/null; do sleep 0.2; done
kill $pid; wait $pid 2>/dev/null || true
echo 'benchmark password 1' | "$bin" user add bench@example.org --admin >/dev/null
start=$(date +%s%N)
if [ "$backend" = postgres ]; then
  psql -q "$UNDERSIGNED_DATABASE" -c "
    INSERT INTO signatures (campaign_id, email_key, email, name, country, city, display, opt_in, lang,
                            status, mail_window_start, created_at, confirmed_at)
    SELECT 1, decode(md5(i::text), 'hex'), 'signer' || i || '@example.org', 'Signer ' || i, 'HK', 'Hong Kong',
           'full', i % 2 = 0, 'en', 'confirmed', now(), now() + i * interval '1 ms', now() + i * interval '1 ms'
    FROM generate_series(1, $n) AS i" -c "VACUUM ANALYZE signatures"
else
  sqlite3 "$dir/undersigned.db" "PRAGMA journal_mode=WAL;
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < $n)
    INSERT INTO signatures (campaign_id, email_key, email, name, country, city, display, opt_in, lang,
                            status, mail_window_start, created_at, confirmed_at)
    SELECT 1, randomblob(16), 'signer' || i || '@example.org', 'Signer ' || i, 'HK', 'Hong Kong', 'full',
           i % 2, 'en', 'confirmed', 1764000000000000, 1764000000000000 + i * 1000, 1764000000000000 + i * 1000 + 500
    FROM n;" >/dev/null
fi
echo "seeded $n signatures in $(( ($(date +%s%N) - start) / 1000000 )) ms"

"$bin" serve --listen 127.0.0.1:$port >/dev/null 2>&1 & pid=$!
until curl -sf $base/healthz >/dev/null; do sleep 0.2; done
echo "server RSS after start: $(awk '/VmRSS/ {print $2}' /proc/$pid/status) kB"
jar=$dir/jar
csrf=$(curl -s -c "$jar" -b "$jar" $base/login | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"//')
curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode email=bench@example.org \
  --data-urlencode "password=benchmark password 1" --data-urlencode next=/organise --data-urlencode "csrf=$csrf" $base/login
for _ in 1 2 3; do
  curl -s -b "$jar" -o "$dir/out.csv" -w "export: %{time_total} s, %{size_download} bytes\n" \
    "$base/organise/c/release-cai-guangye/export.csv?emails=1"
done
echo "export rows: $(($(wc -l <"$dir/out.csv") - 1)) (signatures and endorsements)"
echo "server peak RSS: $(awk '/VmHWM/ {print $2}' /proc/$pid/status) kB"
for what in "c/release-cai-guangye" "c/release-cai-guangye/count.json" "c/release-cai-guangye/signatures"; do
  curl -s -o /dev/null $base/$what
  curl -s -o /dev/null -w "$what: %{http_code} %{time_total} s (second request)\n" $base/$what
done
