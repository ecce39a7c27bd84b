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
            // Found in the message as it came (8-bit text, as a server told of 8BITMIME sends
            // it) without parsing it, so that the sink costs the machine it shares with the
            // server under load little; parsed only when it is encoded (the first mails a server
            // writes, before it has heard whether the relay takes 8-bit text).
            let link = confirm_path(&mail.raw).filter(|path| !path.ends_with('=')).or_else(|| {
                // Quoted-printable (a soft line break in the link): decoded.
                let text = mail.body("text/plain")?;
                confirm_path(text.as_bytes())
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

/// The first signature-confirmation path in `text`, up to the next white space.
fn confirm_path(text: &[u8]) -> Option<String> {
    const PATH: &[u8] = b"/s/confirm/";
    let start = text.windows(PATH.len()).position(|w| w == PATH)?;
    let end = text[start..].iter().position(|b| b.is_ascii_whitespace()).map_or(text.len(), |n| start + n);
    Some(String::from_utf8_lossy(&text[start..end]).into_owned())
}
