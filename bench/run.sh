#!/usr/bin/env bash
# Issue 7's load benchmark, in one command. For each backend it seeds the demo campaign with N
# confirmed signatures, starts the release server (with a local SMTP sink, so that every signature's
# confirmation mail really goes out over SMTP), and measures for a fixed time each, with wrk:
#   1. a static file of the campaign page's size, served by nginx: this machine's ceiling;
#   2. the campaign page with its live count;
#   3. count.json, the read API's answer for the campaign (/api/v1/campaigns/{slug}), and the
#      signatures list half-way down the campaign (keyset cursor);
#   4. signing: POSTs with the form's token and unique addresses, each answered (303)
#      only after its commit; then how fast the confirmation mails reached the SMTP sink;
#   5. confirmations: POSTs of the links those mails carried;
#   6. the CSV export of every signature with addresses: seconds and the server's peak memory.
# It prints a table with the ratios the issue asks for, and checks at the end that the count shown
# equals a recount in the database. No timing is asserted anywhere: it measures.
#
#   bash bench/run.sh [-b sqlite|postgres|both] [-n SIGNATURES] [-d SECONDS] [-k] [-i INSTANCES]
#   defaults: both backends, 1000000 signatures, 10 s per measurement; SMTP_CONNECTIONS=N in the
#   environment is passed to the server as --smtp-connections (default 64); BENCH_BIN=DIR measures
#   the binaries in DIR instead of building this checkout's
#   -k: the campaign's owner has an age key (made with age-keygen), and every signature gives a
#       city, an affiliation and a comment, sealed to that key in the group commit (issue 14)
#   -i N: PostgreSQL only (-b postgres): N server instances on the one database, sharing the
#       secret and data keys, behind nginx (an upstream of the N with keepalive, as
#       docs/deploying.md has it); every measurement goes through nginx, -i 1 too, so that rows
#       of different N compare. CPU and memory are the instances' summed (issue 17)
#
# Needs wrk, nginx (Debian: wrk, nginx-light), sqlite3 and psql; PostgreSQL at 127.0.0.1:5432 with
# trust auth (it creates and drops the database undersigned_bench). Everything runs on loopback,
# load generator and server on the same machine.
set -euo pipefail
backends=both n=1000000 secs=10
owner_key= instances=
while getopts "b:n:d:ki:" opt; do
  case $opt in
    k) owner_key=1 ;;
    i) instances=$OPTARG ;;
    b) backends=$OPTARG ;;
    n) n=$OPTARG ;;
    d) secs=$OPTARG ;;
    *) sed -n '2,24p' "$0"; exit 2 ;;
  esac
done
[ "$backends" = both ] && backends="sqlite postgres"
if [ -n "$instances" ]; then
  [[ "$instances" =~ ^[1-9][0-9]*$ ]] || { echo "-i takes a number of instances, 1 or more (not $instances)" >&2; exit 2; }
  [ "$backends" = postgres ] || { echo "-i runs several instances on one PostgreSQL database: give -b postgres" >&2; exit 2; }
fi
for tool in wrk nginx sqlite3 psql curl; do
  command -v $tool >/dev/null || { echo "bench/run.sh needs $tool (apt-get install wrk nginx-light sqlite3 postgresql-client curl)" >&2; exit 1; }
done
root=$(cd "$(dirname "$0")/.." && pwd)
if [ -n "$instances" ]; then
  # Each instance keeps a pool of up to 16 connections to PostgreSQL; the export, psql and the
  # first start take a few more.
  pg_max=$(psql -qtA postgres://postgres@127.0.0.1:5432/postgres -c "SHOW max_connections")
  if ((instances * 16 + 8 > pg_max)); then
    echo "-i $instances: $instances instances take up to $((instances * 16)) connections; PostgreSQL's max_connections is $pg_max (raise it, or run fewer)" >&2
    exit 2
  fi
fi
# BENCH_BIN=DIR measures the binaries in DIR (undersigned, undersigned-smtp-sink) as they are,
# for comparing two builds without rebuilding either.
if [ -z "${BENCH_BIN:-}" ]; then
  cargo build --release -q -p undersigned -p undersigned-smtp-sink --manifest-path "$root/Cargo.toml"
fi
bin=${BENCH_BIN:-$root/target/release}/undersigned
sink=${BENCH_BIN:-$root/target/release}/undersigned-smtp-sink
port=18099 static_port=18097 smtp_port=18025
# With -i, the instances listen on 18101, 18102...; nginx takes $port in front of them.
first_instance_port=18101
base=http://127.0.0.1:$port
slug=release-cai-guangye
admin_db=postgres://postgres@127.0.0.1:5432/postgres
bench_db=postgres://postgres@127.0.0.1:5432/undersigned_bench
results=$(mktemp)
pids=()

stop_all() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}
trap 'stop_all; rm -f "$results"' EXIT

# The server processes (one, or with -i each instance): their CPU time in clock ticks, and a
# memory figure from /proc (VmRSS, VmHWM), summed.
servers=()
cpu_ticks() { local p t=0; for p in "${servers[@]}"; do t=$((t + $(awk '{print $14 + $15}' /proc/$p/stat))); done; echo $t; }
memory_kb() { local p t=0; for p in "${servers[@]}"; do t=$((t + $(awk "/$1/ {print \$2}" /proc/$p/status))); done; echo $t; }

# nginx's workers' CPU time (the children of its master, PID $1), in clock ticks.
nginx_ticks() { local p t=0; for p in $(pgrep -P "$1"); do t=$((t + $(awk '{print $14 + $15}' /proc/$p/stat))); done; echo $t; }

wait_for() { for _ in $(seq 600); do curl -sf "$1" >/dev/null && return 0; sleep 0.1; done; echo "$1 did not answer" >&2; exit 1; }

# sql BACKEND DIR QUERY: one value from the bench database.
sql() {
  if [ "$1" = postgres ]; then psql -qtA "$bench_db" -c "$3"; else sqlite3 "$2/undersigned.db" "$3"; fi
}

# measure BACKEND WHAT [wrk arguments...]: one wrk run; records requests/s, p50, p99, failures.
measure() {
  local backend=$1 what=$2 out
  shift 2
  out=$(wrk -t2 -c64 -d"${secs}s" --latency "$@")
  local rps p50 p99 failed
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  failed=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  failed=${failed:-0}
  printf '%s\t%s\t%.0f\t%s\t%s\t%s\n' "$backend" "$what" "$rps" "$p50" "$p99" "$failed" >>"$results"
  printf '  %-34s %9.0f/s  p50 %-8s p99 %-8s failed %s\n' "$what" "$rps" "$p50" "$p99" "$failed" >&2
}

csrf_of() { grep -o 'name="csrf" value="[^"]*"' "$1" | head -1 | sed 's/.*value="//; s/"//'; }

bench() {
  local backend=$1 dir label=$1
  [ -z "$instances" ] || label="$1 ×$instances (nginx)"
  dir=$(mktemp -d)
  echo "== $backend: $n signatures" >&2
  export UNDERSIGNED_DATA_DIR=$dir RUST_LOG=warn
  if [ "$backend" = postgres ]; then
    psql -q "$admin_db" -c "DROP DATABASE IF EXISTS undersigned_bench" -c "CREATE DATABASE undersigned_bench" 2>/dev/null
    export UNDERSIGNED_DATABASE=$bench_db
  else
    unset UNDERSIGNED_DATABASE
  fi

  # First start: migrations and the demo campaign; then an organiser to export with.
  "$bin" serve --listen 127.0.0.1:$port >/dev/null 2>&1 & pids+=($!)
  wait_for $base/healthz
  stop_all
  echo 'benchmark password 1' | "$bin" user add bench@example.org --admin >/dev/null
  if [ -n "$owner_key" ]; then
    # The organiser owns the campaign and has an active age key (as /organise/keys leaves it).
    local recipient key_values="x'00', 0, 0"
    [ "$backend" = postgres ] && key_values="decode('00', 'hex'), now(), now()"
    recipient=$(age-keygen 2>/dev/null | grep -o 'age1[0-9a-z]*')
    sql "$backend" "$dir" "INSERT INTO campaign_roles (campaign_id, user_id, role)
      SELECT c.id, u.id, 'owner' FROM campaigns c, users u WHERE c.slug = '$slug' AND u.email = 'bench@example.org'
      ON CONFLICT (campaign_id, user_id) DO UPDATE SET role = 'owner'"
    sql "$backend" "$dir" "INSERT INTO owner_keys (user_id, recipient, challenge, code_hash, created_at, activated_at)
      SELECT id, '$recipient', '', $key_values FROM users WHERE email = 'bench@example.org'"
    export PRIVATE_FIELDS="&city=Kowloon&affiliation=Transport+Workers+Union&comment=Free+him+now%2C+and+all+who+stood+with+him."
  else
    export PRIVATE_FIELDS=
  fi

  local start=$SECONDS
  # The rows go in through the count triggers; their journal is folded here, as the server's
  # aggregator would do in its first second, so that the measurements start from a settled state.
  local fold="INSERT INTO signature_counts (campaign_id, country, lang, n)
      SELECT campaign_id, country, lang, sum(delta) FROM count_journal WHERE true GROUP BY campaign_id, country, lang
      ON CONFLICT (campaign_id, country, lang) DO UPDATE SET n = signature_counts.n + excluded.n;
    DELETE FROM count_journal"
  if [ "$backend" = postgres ]; then
    psql -q "$bench_db" -c "
      INSERT INTO signatures (campaign_id, email_key, email, name, country, city, display, opt_in, lang,
                              status, mail_window_start, created_at, confirmed_at)
      SELECT 1, decode(md5(i::text), 'hex'), 'signer' || i || '@example.org', 'Signer ' || i,
             (ARRAY['HK','CN','TW','GB','US','FR'])[1 + i % 6], 'Hong Kong', 'full', i % 2 = 0,
             (ARRAY['en','zh-Hant'])[1 + i % 2], 'confirmed', now(),
             now() - interval '30 days' + i * interval '1 ms', now() - interval '30 days' + i * interval '1 ms'
      FROM generate_series(1, $n) AS i" -c "$fold" -c "VACUUM ANALYZE" -c "CHECKPOINT"
  else
    sqlite3 "$dir/undersigned.db" "PRAGMA journal_mode=WAL;
      WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $n)
      INSERT INTO signatures (campaign_id, email_key, email, name, country, city, display, opt_in, lang,
                              status, mail_window_start, created_at, confirmed_at)
      SELECT 1, randomblob(16), 'signer' || i || '@example.org', 'Signer ' || i,
             substr('HKCNTWGBUSFR', 1 + 2 * (i % 6), 2), 'Hong Kong', 'full', i % 2,
             CASE i % 2 WHEN 0 THEN 'en' ELSE 'zh-Hant' END, 'confirmed',
             1761000000000000, 1761000000000000 + i * 1000, 1761000000000000 + i * 1000
      FROM s; $fold; ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
  fi
  echo "  seeded in $((SECONDS - start)) s" >&2

  : >"$dir/mails.txt"
  "$sink" 127.0.0.1:$smtp_port "$dir/mails.txt" & pids+=($!)
  servers=()
  local page_from=$base
  if [ -z "$instances" ]; then
    "$bin" serve --listen 127.0.0.1:$port --sign-rate-limit 0 --smtp-url smtp://127.0.0.1:$smtp_port \
      --smtp-connections "${SMTP_CONNECTIONS:-64}" \
      >"$dir/server.log" 2>&1 & servers+=($!); pids+=($!)
    wait_for $base/healthz
  else
    # Each instance as on a machine of its own: its own data directory, the keys the first start
    # made given to all (as a deployment gives them: docs/deploying.md), nginx's address trusted.
    local i secret_key data_key
    secret_key=$(cat "$dir/secret.key") data_key=$(cat "$dir/data.key")
    for i in $(seq "$instances"); do
      UNDERSIGNED_DATA_DIR=$dir/instance-$i UNDERSIGNED_SECRET_KEY=$secret_key UNDERSIGNED_DATA_KEY=$data_key \
        "$bin" serve --listen 127.0.0.1:$((first_instance_port + i - 1)) --base-url $base \
        --trusted-proxies 127.0.0.1 --sign-rate-limit 0 --smtp-url smtp://127.0.0.1:$smtp_port \
        --smtp-connections "${SMTP_CONNECTIONS:-64}" \
        >"$dir/server-$i.log" 2>&1 & servers+=($!); pids+=($!)
    done
    for i in $(seq "$instances"); do wait_for http://127.0.0.1:$((first_instance_port + i - 1))/healthz; done
    page_from=http://127.0.0.1:$first_instance_port
  fi
  sleep 2 # the aggregator folds the seeded signatures' journal
  local rss_start
  rss_start=$(memory_kb VmRSS)

  # The ceiling: nginx serving a file of the campaign page's size. With -i, the same nginx is the
  # proxy in front of the instances, at $base.
  mkdir -p "$dir/www"
  curl -s $page_from/c/$slug >"$dir/www/page.html"
  local proxy=
  if [ -n "$instances" ]; then
    proxy="upstream undersigned {
$(for i in $(seq "$instances"); do echo "    server 127.0.0.1:$((first_instance_port + i - 1));"; done)
    keepalive 64;
    keepalive_timeout 5s;
  }
  server {
    listen 127.0.0.1:$port;
    client_max_body_size 64k;
    client_body_buffer_size 64k;
    proxy_http_version 1.1;
    proxy_set_header Connection \"\";
    proxy_set_header Host \$http_host;
    proxy_set_header X-Forwarded-For \$remote_addr;
    proxy_read_timeout 120s;
    proxy_max_temp_file_size 0;
    location / { proxy_pass http://undersigned; }
  }"
  fi
  cat >"$dir/nginx.conf" <<NGINX
user root;
worker_processes 2;
daemon off;
pid $dir/nginx.pid;
error_log $dir/nginx.err;
events { worker_connections 1024; }
http {
  access_log off;
  server { listen 127.0.0.1:$static_port; root $dir/www; }
  $proxy
}
NGINX
  nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/nginx.err" & local nginx=$!; pids+=($nginx)
  wait_for http://127.0.0.1:$static_port/page.html
  [ -z "$instances" ] || wait_for $base/healthz
  echo "  campaign page: $(wc -c <"$dir/www/page.html") bytes" >&2

  measure "$label" "static file (nginx)" http://127.0.0.1:$static_port/page.html
  measure "$label" "campaign page" $base/c/$slug
  measure "$label" "count.json" $base/c/$slug/count.json
  measure "$label" "read API, one campaign" $base/api/v1/campaigns/$slug
  local middle cursor
  middle=$(sql "$backend" "$dir" "SELECT id FROM signatures ORDER BY id LIMIT 1 OFFSET $((n / 2))")
  if [ "$backend" = postgres ]; then
    cursor=$(sql "$backend" "$dir" "SELECT (extract(epoch FROM confirmed_at) * 1000000)::BIGINT || '-' || id FROM signatures WHERE id = $middle")
  else
    cursor=$(sql "$backend" "$dir" "SELECT confirmed_at || '-' || id FROM signatures WHERE id = $middle")
  fi
  measure "$label" "signatures list, half-way down" "$base/c/$slug/signatures?after=$cursor"

  # Signing: the form's token (bound to the form, not to a browser: no cookie), a new address on
  # every POST.
  curl -s $base/c/$slug >"$dir/form.html"
  export CSRF COOKIE
  CSRF=$(csrf_of "$dir/form.html")
  local before after mails_start
  before=$(sql "$backend" "$dir" "SELECT count(*) FROM signatures")
  # The server's CPU time (user + system, from /proc, in clock ticks) over the measurement, per
  # signature stored: what an A/B of two binaries compares beside the rate, which on a shared
  # machine varies more (it includes the confirmation mails sent meanwhile).
  local cpu0 cpu1
  cpu0=$(cpu_ticks)
  # With -i, nginx's too (its workers'): what the proxy costs per signature.
  local nginx_cpu0=
  [ -z "$instances" ] || nginx_cpu0=$(nginx_ticks "$nginx")
  measure "$label" "signing (303 after the commit)" -s "$root/bench/sign.lua" $base
  cpu1=$(cpu_ticks)
  local nginx_cpu1=
  [ -z "$instances" ] || nginx_cpu1=$(nginx_ticks "$nginx")
  local mails_at_end signing_end
  mails_at_end=$(wc -l <"$dir/mails.txt") signing_end=$(date +%s%3N)
  after=$(sql "$backend" "$dir" "SELECT count(*) FROM signatures")
  echo "  new signatures stored: $((after - before))" >&2
  printf '%s\t%s\t%s\t\t\t\n' "$label" "signing: server CPU per signature, µs" \
    "$(( (cpu1 - cpu0) * 1000000 / $(getconf CLK_TCK) / (after - before) ))" >>"$results"
  if [ -n "$instances" ]; then
    printf '%s\t%s\t%s\t\t\t\n' "$label" "signing: nginx CPU per signature, µs" \
      "$(( (nginx_cpu1 - nginx_cpu0) * 1000000 / $(getconf CLK_TCK) / (after - before) ))" >>"$results"
  fi
  # Mail: wait for every confirmation mail to reach the sink (at most 3 minutes).
  for _ in $(seq 1800); do
    [ "$(wc -l <"$dir/mails.txt")" -ge $((after - before)) ] && break
    sleep 0.1
  done
  if [ "$(wc -l <"$dir/mails.txt")" -lt $((after - before)) ]; then
    echo "  not every mail arrived within 3 minutes; the server's log ends:" >&2
    tail -n 5 "$dir"/server*.log >&2
  fi
  local mails first last
  mails=$(wc -l <"$dir/mails.txt")
  # The server's CPU time per mail while it sends the rest once signing has stopped: what each
  # confirmation mail costs (composing it, and SMTP), apart from the signing.
  local cpu2
  cpu2=$(cpu_ticks)
  # Only where enough was left to send for the idle time waited to be small beside it.
  if [ "$mails" -gt $((mails_at_end + 1000)) ]; then
    printf '%s\t%s\t%s\t\t\t\n' "$label" "mail: server CPU per mail after signing, µs" \
      "$(( (cpu2 - cpu1) * 1000000 / $(getconf CLK_TCK) / (mails - mails_at_end) ))" >>"$results"
  fi
  first=$(head -1 "$dir/mails.txt" | cut -d' ' -f1)
  last=$(tail -1 "$dir/mails.txt" | cut -d' ' -f1)
  # Whether mail kept pace: how many of the signatures' mails were still to go when signing
  # stopped, and how long the last took to arrive after that.
  printf '%s\t%s\t%s\t\t\t\n' "$label" "mail: left to send when signing stopped" \
    "$((after - before - mails_at_end))" >>"$results"
  printf '%s\t%s\t%s\t\t\t\n' "$label" "mail: seconds from the end of signing to the last mail" \
    "$(echo "scale=1; ($last - $signing_end) / 1000" | bc -l)" >>"$results"
  printf '%s\t%s\t%.0f\t\t\t%s\n' "$label" "confirmation mails over SMTP" \
    "$(echo "$mails * 1000 / ($last - $first + 1)" | bc -l)" "$((after - before - mails))" >>"$results"
  echo "  $mails mails in $((last - first)) ms" >&2

  # Confirmations: POST the links from those mails (each thread its own share, once each).
  grep -o '/s/confirm/[^ ]*' "$dir/mails.txt" >"$dir/links.txt"
  export LINKS=$dir/links.txt
  # The confirmation page's form is bound to the browser: its CSRF cookie and token.
  curl -s -c "$dir/jar" "$base$(head -1 "$dir/links.txt")" >"$dir/confirm.html"
  CSRF=$(csrf_of "$dir/confirm.html")
  COOKIE=$(awk '$6 == "csrf" {print $7}' "$dir/jar")
  before=$(sql "$backend" "$dir" "SELECT count(*) FROM signatures WHERE status = 'confirmed'")
  measure "$label" "confirmations" -s "$root/bench/confirm.lua" $base
  after=$(sql "$backend" "$dir" "SELECT count(*) FROM signatures WHERE status = 'confirmed'")
  echo "  newly confirmed: $((after - before))" >&2

  # The export, twice (the second with warm caches), as an organiser.
  local jar=$dir/organiser
  curl -s -c "$jar" -b "$jar" $base/login >"$dir/login.html"
  curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode email=bench@example.org \
    --data-urlencode "password=benchmark password 1" --data-urlencode next=/organise \
    --data-urlencode "csrf=$(csrf_of "$dir/login.html")" $base/login
  local took peak export_peak
  peak=$(memory_kb VmHWM)
  # The export's own peak: Linux resets a process's peak RSS when 5 is written to clear_refs.
  local p
  for p in "${servers[@]}"; do echo 5 >/proc/$p/clear_refs; done
  # A POST with the CSRF token of the organiser's pages (a link cannot start an export).
  local export_csrf
  export_csrf=$(csrf_of "$dir/login.html")
  for _ in 1 2; do
    took=$(curl -s -b "$jar" -o "$dir/export.csv" -w '%{time_total}' --data-urlencode emails=1 \
      --data-urlencode "csrf=$export_csrf" "$base/organise/c/$slug/export.csv")
  done
  export_peak=$(memory_kb VmHWM)
  printf '%s\t%s\t%s\t%s\t\t\n' "$label" "CSV export, seconds and rows" "$took" \
    "$(($(wc -l <"$dir/export.csv") - 1))" >>"$results"
  local rss_what="server RSS, MB: after start, peak under load, peak in the export"
  [ -z "$instances" ] || rss_what="servers' RSS summed, MB: after start, peak under load, peak in the export"
  printf '%s\t%s\t%s\t%s\t%s\t\n' "$label" "$rss_what" \
    "$((rss_start / 1024))" "$((peak / 1024))" "$((export_peak / 1024))" >>"$results"

  # The count shown equals a recount.
  sleep 2
  local shown recount
  shown=$(curl -s $base/c/$slug/count.json | grep -o '"online_signature_count":[0-9]*' | cut -d: -f2)
  recount=$(sql "$backend" "$dir" "SELECT count(*) FROM signatures WHERE status = 'confirmed' AND invalidation_id IS NULL")
  echo "  count shown $shown, recount $recount" >&2
  [ "$shown" = "$recount" ] || { echo "the count shown is not the recount" >&2; exit 1; }
  stop_all
  rm -rf "$dir"
  if [ "$backend" = postgres ]; then psql -q "$admin_db" -c "DROP DATABASE IF EXISTS undersigned_bench"; fi
}

for backend in $backends; do bench "$backend"; done

echo
echo "$(date -u +%F), $(nproc) cores, $n seeded signatures${instances:+, $instances instance(s) behind nginx}, wrk -t2 -c64 -d${secs}s on the same machine"
echo
echo "| backend | what | result | p50 | p99 | failed | of the ceiling |"
echo "|---|---|---|---|---|---|---|"
awk -F'\t' '
  $2 == "static file (nginx)" { ceiling[$1] = $3 }
  {
    ratio = ""
    if (($2 == "campaign page" || $2 == "count.json" || $2 ~ /^read API/ || $2 ~ /^signatures list/) && ceiling[$1] > 0)
      ratio = sprintf("%.2f", $3 / ceiling[$1])
    printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, ratio
  }' "$results"
