//! The real binary under connection abuse: connections that never finish their headers neither
//! keep others out nor keep the server from stopping, and a crowd of failed logins does not run
//! argon2 for all of them at once (the server's peak memory is measured).

use std::io::Write;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use crate::support::process::{free_port, serve, wait_up};

fn start(data_dir: &std::path::Path, port: u16, extra: &[&str]) -> Child {
    serve(None, data_dir, port, extra).spawn().unwrap()
}

/// The most memory the process has held (VmHWM), in MiB.
fn peak_rss_mib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse::<u64>().unwrap() / 1024
}

/// Sends SIGTERM and waits at most `limit` for the process to exit; how long it took.
fn terminate(child: &mut Child, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    assert!(Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success());
    while started.elapsed() < limit {
        if child.try_wait().unwrap().is_some() {
            return Some(started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_sent_headers_neither_keep_others_out_nor_block_shutdown() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = start(dir.path(), port, &["--header-read-timeout-seconds", "2"]);
    wait_up(&base).await;
    let mut idle = Vec::new();
    for _ in 0..1_100 {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.write_all(b"GET /c/release-cai-guangye HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: ").unwrap();
        idle.push(stream);
    }
    let client = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap();
    let started = Instant::now();
    let answer = client.get(format!("{base}/healthz")).send().await.expect("an answer despite 1,100 idle");
    assert_eq!(answer.status(), 200);
    eprintln!("a normal request was answered in {:?} beside 1,100 idle connections", started.elapsed());
    for _ in 0..100 {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n").unwrap();
        idle.push(stream);
    }
    let took = terminate(&mut server, Duration::from_secs(8)).expect("the server stops on SIGTERM");
    eprintln!("stopped {took:?} after SIGTERM with idle connections open");
    drop(idle);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_failed_logins_do_not_hash_all_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = start(dir.path(), port, &["--trusted-proxies", "127.0.0.1"]);
    wait_up(&base).await;
    let before = peak_rss_mib(server.id());
    let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let page = client.get(format!("{base}/login")).send().await.unwrap().text().await.unwrap();
    let csrf = page.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let mut requests = Vec::new();
    for i in 0..200 {
        let (client, base, csrf) = (client.clone(), base.clone(), csrf.clone());
        requests.push(tokio::spawn(async move {
            let fields = [
                ("email", format!("nobody{i}@example.org")),
                ("password", "guess guess guess".to_owned()),
                ("csrf", csrf),
            ];
            let request = client
                .post(format!("{base}/login"))
                .header("x-forwarded-for", format!("10.1.{}.{}", i / 200, i % 200 + 1));
            request.form(&fields).send().await.unwrap().status().as_u16()
        }));
    }
    let mut statuses = std::collections::BTreeMap::new();
    for request in requests {
        *statuses.entry(request.await.unwrap()).or_insert(0) += 1;
    }
    let peak = peak_rss_mib(server.id());
    eprintln!(
        "peak RSS {before} MiB before, {peak} MiB after 200 concurrent failed logins; answers {statuses:?}"
    );
    assert!(statuses.keys().all(|s| *s == 401 || *s == 503), "{statuses:?}");
    assert!(peak < before + 200, "peak RSS {peak} MiB (from {before} MiB)");
    terminate(&mut server, Duration::from_secs(10));
}
