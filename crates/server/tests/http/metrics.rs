//! `/metrics`, as an operator's Prometheus sees it. On both backends: scraped again and again
//! while a crowd signs, each scrape valid for Prometheus' own checker (`promtool check metrics`,
//! Debian's `prometheus`) and read with Prometheus' Python parser (`prometheus_client`, Debian's
//! `python3-prometheus-client`); what it counts is what was signed, confirmed and mailed, and no
//! label names the campaign or a signer. Never public by default: a 404 when not turned on, a 401
//! without the token or with a wrong one, and a listener of its own that serves nothing else.
//!
//! The signing story runs the real binary in a process of its own: the recorder is the process's,
//! and this test binary's other servers would count into it.

use std::collections::HashMap;
use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use undersigned::config::Options;
use undersigned_smtp_sink::SmtpSink;
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::support::load::{sign, signer};
use crate::support::process::{serve, wait_up};
use crate::support::{Browser, TestApp};

const TOKEN: &str = "test-metrics-token-0123456789";
const SLUG: &str = "release-cai-guangye";

/// The families every scrape carries (as `prometheus_client` names them: a counter without its
/// `_total`), whatever has happened yet.
const FAMILIES: [&str; 22] = [
    "undersigned_build_info",
    "process_start_time_seconds",
    "process_open_fds",
    "undersigned_http_request_duration_seconds",
    "undersigned_http_requests_in_flight",
    "undersigned_signatures",
    "undersigned_confirmations",
    "undersigned_group_commit_wait_seconds",
    "undersigned_group_commit_batch_size",
    "undersigned_group_commit_transaction_seconds",
    "undersigned_signing_queue_jobs",
    "undersigned_mails_sent",
    "undersigned_outbox_mails",
    "undersigned_outbox_oldest_due_age_seconds",
    "undersigned_cache_requests",
    "undersigned_db_pool_connections",
    "undersigned_db_pool_max_connections",
    "undersigned_count_journal_entries",
    "undersigned_count_fold_entries",
    "undersigned_count_fold_failures",
    "undersigned_count_fold_last_success_timestamp_seconds",
    "undersigned_scrape_database_ok",
];

/// The server binary, killed when the test ends (passed or not).
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(db: &TestDb, data_dir: &std::path::Path, port: u16, smtp: &str) -> Running {
    let child = serve(Some(&db.url), data_dir, port, &["--sign-rate-limit", "0"])
        .env("UNDERSIGNED_SMTP_URL", smtp)
        .env("UNDERSIGNED_METRICS_TOKEN", TOKEN)
        .spawn()
        .unwrap();
    Running(child)
}

async fn scrape(client: &reqwest::Client, url: &str) -> String {
    let response = client.get(url).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let kind = response.headers()["content-type"].to_str().unwrap().to_owned();
    assert_eq!(kind, "text/plain; version=0.0.4; charset=utf-8");
    response.text().await.unwrap()
}

/// Prometheus' own checker: the text parses, and follows its naming rules (a counter's `_total`,
/// help on every metric, base units); any problem fails.
fn promtool_check(text: &str) {
    let mut child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("promtool (Debian's prometheus package) is installed");
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "promtool check metrics: {}{}\n{text}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// One sample, as Prometheus' Python parser read it.
#[derive(Debug, serde::Deserialize)]
struct Sample {
    family: String,
    name: String,
    labels: HashMap<String, String>,
    value: f64,
}

const PARSE: &str = "import json, sys\n\
from prometheus_client.parser import text_string_to_metric_families\n\
json.dump([{'family': f.name, 'name': s.name, 'labels': s.labels, 'value': s.value}\n\
           for f in text_string_to_metric_families(sys.stdin.read()) for s in f.samples], sys.stdout)\n";

/// The samples of a scrape, read by `prometheus_client`'s parser (the first Python that has it:
/// Debian's, or one where it was installed with pip).
fn parse(text: &str) -> Vec<Sample> {
    for python in ["python3", "/usr/bin/python3"] {
        let Ok(mut child) = Command::new(python)
            .args(["-c", PARSE])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
        else {
            continue;
        };
        child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        if out.status.success() {
            return serde_json::from_slice(&out.stdout).unwrap();
        }
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("No module named 'prometheus_client'"), "{python}: {err}\n{text}");
    }
    panic!(
        "no Python with prometheus_client (Debian's python3-prometheus-client, or pip install prometheus_client)"
    );
}

/// The value of the sample `name` whose labels include `labels` (0 when there is none).
fn value(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> f64 {
    samples
        .iter()
        .filter(|s| {
            s.name == name && labels.iter().all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v))
        })
        .map(|s| s.value)
        .sum()
}

async fn metrics_scraped_while_signing_count_what_was_signed(db: &TestDb) {
    let sink = SmtpSink::start();
    let dir = tempfile::tempdir().unwrap();
    let port = crate::support::process::free_port();
    let base = format!("http://127.0.0.1:{port}");
    let _server = start(db, dir.path(), port, &sink.url());
    wait_up(&base).await;
    let metrics_url = format!("{base}/metrics");

    // A crowd signs, and Prometheus scrapes meanwhile.
    let (client, csrf) = signer(&base).await;
    let signed = Arc::new(Mutex::new(Vec::new()));
    let mut crowd = Vec::new();
    for worker in 0..8 {
        let (client, base, csrf, signed) = (client.clone(), base.clone(), csrf.clone(), signed.clone());
        crowd.push(tokio::spawn(async move {
            for i in 0..15 {
                let email = format!("metrics-w{worker}-{i}@example.org");
                assert_eq!(sign(&client, &base, &csrf, &email).await.unwrap(), 303);
                signed.lock().unwrap().push(email);
            }
        }));
    }
    let scraper = {
        let (client, url) = (client.clone(), metrics_url.clone());
        tokio::spawn(async move {
            let mut scrapes = Vec::new();
            for _ in 0..20 {
                scrapes.push(scrape(&client, &url).await);
                tokio::time::sleep(Duration::from_millis(25)).await;
            }
            scrapes
        })
    };
    for worker in crowd {
        worker.await.unwrap();
    }
    let during = scraper.await.unwrap();
    let signed = signed.lock().unwrap().clone();
    assert_eq!(signed.len(), 120);
    for text in &during {
        promtool_check(text);
        let samples = parse(text);
        let created = value(&samples, "undersigned_signatures_total", &[("outcome", "created")]);
        assert!((0.0..=120.0).contains(&created), "{created}");
    }

    // Three of them confirm, from their mails.
    let browser = Browser::new(&base);
    for email in &signed[..3] {
        let mail = sink.one_for(email).await;
        let link = mail.link(&format!("{base}/s/confirm/")).expect("a confirmation link");
        let path = browser.path_of(&link);
        let page = browser.get(&path).await;
        assert_eq!(browser.post(&path, &[("csrf", &page.csrf())]).await.status, 303);
    }
    for email in &signed {
        sink.wait_for(email, 1).await;
    }

    // Afterwards: every family, and the counts of what happened. A mail is counted once the relay
    // took it, a moment after the sink has it.
    let mut samples = Vec::new();
    for _ in 0..100 {
        let text = scrape(&client, &metrics_url).await;
        promtool_check(&text);
        for private in [SLUG, "example.org", "@", TOKEN] {
            assert!(!text.contains(private), "{private} in the metrics:\n{text}");
        }
        samples = parse(&text);
        if value(&samples, "undersigned_mails_sent_total", &[("kind", "confirm-signature")]) >= 120.0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for family in FAMILIES {
        assert!(samples.iter().any(|s| s.family == family), "no {family} in {samples:?}");
    }
    for sample in &samples {
        for label in sample.labels.values() {
            assert!(!label.contains(SLUG) && !label.contains('@'), "{sample:?}");
        }
    }
    assert_eq!(value(&samples, "undersigned_signatures_total", &[("outcome", "created")]), 120.0);
    assert_eq!(value(&samples, "undersigned_signatures_total", &[("outcome", "failed")]), 0.0);
    assert_eq!(value(&samples, "undersigned_confirmations_total", &[("outcome", "confirmed")]), 3.0);
    assert_eq!(value(&samples, "undersigned_mails_sent_total", &[("kind", "confirm-signature")]), 120.0);
    let signing = [("route", "/c/{slug}/sign"), ("method", "POST"), ("status", "303")];
    assert_eq!(value(&samples, "undersigned_http_request_duration_seconds_count", &signing), 120.0);
    // The batches held every signature written, each once.
    assert_eq!(value(&samples, "undersigned_group_commit_batch_size_sum", &[("kind", "sign")]), 120.0);
    let batches = value(&samples, "undersigned_group_commit_batch_size_count", &[("kind", "sign")]);
    assert!((1.0..=120.0).contains(&batches), "{batches}");
    assert_eq!(value(&samples, "undersigned_group_commit_wait_seconds_count", &[("kind", "sign")]), 120.0);
    assert_eq!(value(&samples, "undersigned_group_commit_wait_seconds_count", &[("kind", "confirm")]), 3.0);
    assert_eq!(value(&samples, "undersigned_outbox_mails", &[("state", "given_up")]), 0.0);
    assert_eq!(value(&samples, "undersigned_scrape_database_ok", &[]), 1.0);
    assert!(value(&samples, "undersigned_db_pool_max_connections", &[]) >= 1.0);
    assert!(value(&samples, "undersigned_cache_requests_total", &[("cache", "campaign")]) >= 120.0);
    assert_eq!(value(&samples, "undersigned_build_info", &[("version", env!("CARGO_PKG_VERSION"))]), 1.0);
    // The 404 of an address no route knows is "other", never the address.
    assert_eq!(reqwest::get(format!("{base}/c/{SLUG}/no-such-page")).await.unwrap().status(), 404);
    let text = scrape(&client, &metrics_url).await;
    let samples = parse(&text);
    let unknown = [("route", "other"), ("method", "GET"), ("status", "404")];
    assert!(value(&samples, "undersigned_http_request_duration_seconds_count", &unknown) >= 1.0);
    assert!(!text.contains("no-such-page"), "{text}");
}

async fn metrics_are_a_404_unless_turned_on(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let page = app.get("/metrics").await;
    assert_eq!(page.status, 404);
    assert!(page.header("content-type").starts_with("text/html"), "the site's own 404 page");
    assert_eq!(app.get_with("/metrics", &[("authorization", &format!("Bearer {TOKEN}"))]).await.status, 404);
    app.stop().await;
    // A listener of its own does not open it on the main address.
    let options = Options { metrics_listen: Some("127.0.0.1:0".into()), ..Default::default() };
    let app = TestApp::spawn_with(db, options).await;
    assert_eq!(app.get("/metrics").await.status, 404);
    app.stop().await;
}

async fn the_token_opens_metrics_on_the_main_address(db: &TestDb) {
    let options = Options { metrics_token: Some(TOKEN.into()), ..Default::default() };
    let app = TestApp::spawn_with(db, options).await;
    let none = app.get("/metrics").await;
    assert_eq!(none.status, 401);
    assert_eq!(none.header("www-authenticate"), "Bearer realm=\"metrics\"");
    assert!(none.body.contains("Authorization: Bearer"), "{}", none.body);
    let wrong = format!("Bearer {TOKEN}x");
    for refused in [wrong.as_str(), "Bearer ", "Basic dGVzdDp0ZXN0", TOKEN, "Bearer test-metrics-token"] {
        let page = app.get_with("/metrics", &[("authorization", refused)]).await;
        assert_eq!(page.status, 401, "{refused}");
        assert!(page.header("www-authenticate").starts_with("Bearer realm=\"metrics\""), "{refused}");
        assert!(!page.body.contains("# TYPE"), "{refused}");
    }
    let wrong = app.get_with("/metrics", &[("authorization", &format!("Bearer {TOKEN}x"))]).await;
    assert_eq!(wrong.header("www-authenticate"), "Bearer realm=\"metrics\", error=\"invalid_token\"");
    // The scheme in any case, as HTTP has it.
    for right in [format!("Bearer {TOKEN}"), format!("bearer {TOKEN}")] {
        let page = app.get_with("/metrics", &[("authorization", &right)]).await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert_eq!(page.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
        assert!(page.body.contains("# TYPE undersigned_signatures_total counter"), "{}", page.body);
    }
    // The rest of the site is as it was.
    assert_eq!(app.get(&format!("/c/{SLUG}")).await.status, 200);
    assert_eq!(app.get("/no-such-page").await.status, 404);
    app.stop().await;
}

async fn the_metrics_address_serves_metrics_only(db: &TestDb) {
    let options = Options { metrics_listen: Some("127.0.0.1:0".into()), ..Default::default() };
    let app = TestApp::spawn_with(db, options).await;
    let own = Browser::new(&format!("http://{}", app.metrics_addr.expect("the metrics address")));
    assert_eq!(app.get(&format!("/c/{SLUG}")).await.status, 200);
    let page = own.get("/metrics").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("# TYPE undersigned_http_request_duration_seconds histogram"),
        "{}",
        page.body
    );
    promtool_check(&page.body);
    for elsewhere in ["/", &format!("/c/{SLUG}"), "/healthz", "/metrics/more"] {
        let page = own.get(elsewhere).await;
        assert_eq!(page.status, 404, "{elsewhere}");
        assert_eq!(page.body, "404 Not Found: this address serves /metrics only\n");
    }
    app.stop().await;

    // With a token, the address of its own asks for it too.
    let options = Options {
        metrics_listen: Some("127.0.0.1:0".into()),
        metrics_token: Some(TOKEN.into()),
        ..Default::default()
    };
    let app = TestApp::spawn_with(db, options).await;
    let own = Browser::new(&format!("http://{}", app.metrics_addr.unwrap()));
    assert_eq!(own.get("/metrics").await.status, 401);
    let page = own.get_with("/metrics", &[("authorization", &format!("Bearer {TOKEN}"))]).await;
    assert_eq!(page.status, 200);
    assert_eq!(app.get_with("/metrics", &[("authorization", &format!("Bearer {TOKEN}"))]).await.status, 200);
    app.stop().await;
}

on_both_backends!(
    metrics_scraped_while_signing_count_what_was_signed,
    metrics_are_a_404_unless_turned_on,
    the_token_opens_metrics_on_the_main_address,
    the_metrics_address_serves_metrics_only,
);

/// The sample Grafana dashboard (docs/grafana-dashboard.json) is valid JSON, takes its Prometheus
/// data source from a variable, and every query in it is PromQL that Prometheus' own checker
/// parses (as a recording rule's expression), naming only metrics the server exposes.
#[test]
fn the_sample_dashboard_queries_what_the_server_exposes() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/grafana-dashboard.json");
    let dashboard: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let variables = dashboard["templating"]["list"].as_array().unwrap();
    assert!(
        variables
            .iter()
            .any(|v| v["name"] == "datasource" && v["type"] == "datasource" && v["query"] == "prometheus")
    );
    let mut rules = String::from("groups:\n  - name: dashboard\n    rules:\n");
    let mut queries = 0;
    for panel in dashboard["panels"].as_array().unwrap().iter().filter(|p| p["type"] != "row") {
        assert_eq!(panel["datasource"]["uid"], "${datasource}", "{}", panel["title"]);
        for target in panel["targets"].as_array().unwrap() {
            let expr = target["expr"].as_str().unwrap();
            let known = FAMILIES.iter().chain(
                ["undersigned_mails_failed", "process_max_fds", "process_resident_memory_bytes"].iter(),
            );
            assert!(known.clone().any(|f| expr.contains(f)), "{expr} names no metric of the server's");
            let expr = expr.replace("$__rate_interval", "5m").replace("$instance", ".*");
            rules.push_str(&format!("      - record: dashboard:query{queries}\n        expr: '{expr}'\n"));
            queries += 1;
        }
    }
    assert!(queries > 20, "{queries}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dashboard.yml");
    std::fs::write(&file, &rules).unwrap();
    let out = Command::new("promtool").args(["check", "rules"]).arg(&file).output().expect("promtool");
    assert!(
        out.status.success(),
        "{}{}\n{rules}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
