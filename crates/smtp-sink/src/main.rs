//! The benchmark's mail server (`bench/run.sh`): receives over SMTP what the server under load
//! sends and, for each message, appends a line to a file: the milliseconds since the Unix epoch at
//! which it arrived and the first signature-confirmation path in its text, for the benchmark to
//! follow. Nothing is kept in memory, so it runs for any number of messages.
//!
//!   undersigned-smtp-sink 127.0.0.1:2525 mails.txt

use std::io::Write;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(listen), Some(out)) = (args.next(), args.next()) else {
        eprintln!("usage: undersigned-smtp-sink LISTEN-ADDRESS OUT-FILE");
        std::process::exit(2);
    };
    let listener = TcpListener::bind(&listen).unwrap_or_else(|e| {
        eprintln!("cannot listen on {listen}: {e}");
        std::process::exit(1);
    });
    let file = std::fs::OpenOptions::new().create(true).append(true).open(&out).unwrap_or_else(|e| {
        eprintln!("cannot open {out}: {e}");
        std::process::exit(1);
    });
    let file = Arc::new(Mutex::new(file));
    let server = undersigned_smtp_sink::serve(
        listener,
        // One thread per connection in mailin: more than the sender's pool ever opens (lettre's
        // default is 10), so that no connection waits unanswered.
        1024,
        Arc::new(move |mail| {
            let at = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis());
            let link = mail.body("text/plain").and_then(|text| {
                let start = text.find("/s/confirm/")?;
                Some(text[start..].split_whitespace().next()?.to_owned())
            });
            if let Ok(mut file) = file.lock() {
                let _ = writeln!(file, "{at} {}", link.as_deref().unwrap_or("-"));
            }
        }),
    );
    if let Err(e) = server.serve() {
        eprintln!("the SMTP sink stopped: {e}");
        std::process::exit(1);
    }
}
