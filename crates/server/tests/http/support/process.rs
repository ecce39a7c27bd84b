//! The `undersigned` binary as a process of its own, for tests that kill it, start it twice or
//! read what it holds from outside: one way to start it and to wait for it.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// A port nobody listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// `undersigned ARGS` on this data directory, with the tests' data key and `RUST_LOG=warn`;
/// `database` when given (the default, SQLite in the data directory, otherwise).
pub fn undersigned(database: Option<&str>, data_dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_undersigned"));
    command
        .args(args)
        .env("UNDERSIGNED_DATA_KEY", undersigned_store_tests::TEST_DATA_KEY)
        .env("UNDERSIGNED_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn");
    if let Some(database) = database {
        command.env("UNDERSIGNED_DATABASE", database);
    }
    command
}

/// `undersigned serve` on `port`, with `extra` arguments, its output dropped.
pub fn serve(database: Option<&str>, data_dir: &Path, port: u16, extra: &[&str]) -> Command {
    let listen = format!("127.0.0.1:{port}");
    let mut command = undersigned(database, data_dir, &["serve", "--listen", &listen]);
    command.args(extra).stdout(Stdio::null()).stderr(Stdio::null());
    command
}

/// Waits (up to 20 s) for the server at `base` to answer its health check.
pub async fn wait_up(base: &str) {
    for _ in 0..400 {
        if reqwest::get(format!("{base}/healthz")).await.is_ok_and(|r| r.status() == 200) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not come up at {base}");
}
