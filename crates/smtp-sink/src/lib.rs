//! A real SMTP server for the tests (mailin-embedded, over TCP on a free port of 127.0.0.1): the
//! server under test sends through lettre as it would to any mail server, and tests read what
//! arrived. No mock transport anywhere.

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mailin_embedded::response::OK;
use mailin_embedded::{Handler, Response, Server, SslConfig};

/// One message as it arrived.
#[derive(Clone, Debug)]
pub struct ReceivedMail {
    pub from: String,
    pub to: Vec<String>,
    pub raw: Vec<u8>,
    /// The sender said the message holds 8-bit text (`MAIL FROM:<...> BODY=8BITMIME`, RFC 6152).
    pub declared_8bit: bool,
}

impl ReceivedMail {
    fn parsed(&self) -> mailparse::ParsedMail<'_> {
        mailparse::parse_mail(&self.raw).expect("a well-formed message")
    }

    pub fn header(&self, name: &str) -> Option<String> {
        use mailparse::MailHeaderMap;
        self.parsed().headers.get_first_value(name)
    }

    pub fn subject(&self) -> String {
        self.header("Subject").unwrap_or_default()
    }

    /// The decoded body of the first part of this MIME type (`text/plain`, `text/html`).
    pub fn body(&self, mime: &str) -> Option<String> {
        fn find(part: &mailparse::ParsedMail<'_>, mime: &str) -> Option<String> {
            if part.subparts.is_empty() {
                return (part.ctype.mimetype == mime).then(|| part.get_body().expect("a decodable body"));
            }
            part.subparts.iter().find_map(|p| find(p, mime))
        }
        find(&self.parsed(), mime)
    }

    /// The attached files: (file name, MIME type, decoded bytes), in order.
    pub fn attachments(&self) -> Vec<(String, String, Vec<u8>)> {
        fn walk(part: &mailparse::ParsedMail<'_>, out: &mut Vec<(String, String, Vec<u8>)>) {
            let disposition = part.get_content_disposition();
            if disposition.disposition == mailparse::DispositionType::Attachment {
                let name = disposition.params.get("filename").cloned().unwrap_or_default();
                out.push((
                    name,
                    part.ctype.mimetype.clone(),
                    part.get_body_raw().expect("a decodable attachment"),
                ));
            }
            for sub in &part.subparts {
                walk(sub, out);
            }
        }
        let mut out = Vec::new();
        walk(&self.parsed(), &mut out);
        out
    }

    pub fn text(&self) -> String {
        self.body("text/plain").expect("a text/plain part")
    }

    pub fn html(&self) -> String {
        self.body("text/html").expect("a text/html part")
    }

    /// The first address in the text part starting with `prefix`.
    pub fn link(&self, prefix: &str) -> Option<String> {
        let text = self.text();
        let start = text.find(prefix)?;
        Some(text[start..].split_whitespace().next()?.to_owned())
    }
}

#[derive(Default)]
struct Inbox {
    mails: Mutex<Vec<ReceivedMail>>,
}

/// What becomes of each message once it has arrived.
type Deliver = Arc<dyn Fn(ReceivedMail) + Send + Sync>;

/// What the server refuses, as a real relay might: everything (a 550 to MAIL FROM, as after a
/// password change), or some recipients (a 550 to RCPT TO). Its refusals repeat the address, as
/// real ones do.
#[derive(Default)]
struct Refusals {
    all: AtomicBool,
    recipients: Mutex<Vec<String>>,
    /// Every `RCPT TO` heard, refused or not (lower-cased): whether mail to an address was tried.
    tried: Mutex<Vec<String>>,
}

#[derive(Clone)]
struct Collector {
    deliver: Deliver,
    current: Option<ReceivedMail>,
    refuse: Arc<Refusals>,
}

impl Handler for Collector {
    fn mail(&mut self, _ip: IpAddr, _domain: &str, from: &str) -> Response {
        if self.refuse.all.load(Ordering::SeqCst) {
            return Response::custom(550, format!("5.7.1 <{from}>: Sender address rejected"));
        }
        self.current = Some(ReceivedMail {
            from: from.to_owned(),
            to: Vec::new(),
            raw: Vec::new(),
            declared_8bit: false,
        });
        OK
    }

    fn rcpt(&mut self, to: &str) -> Response {
        self.refuse.tried.lock().expect("refusals lock").push(to.to_ascii_lowercase());
        if self.refuse.recipients.lock().expect("refusals lock").iter().any(|r| to.eq_ignore_ascii_case(r)) {
            return Response::custom(550, format!("5.1.1 <{to}>: Recipient address rejected"));
        }
        OK
    }

    fn data_start(&mut self, _domain: &str, from: &str, is8bit: bool, to: &[String]) -> Response {
        self.current = Some(ReceivedMail {
            from: from.to_owned(),
            to: to.to_vec(),
            raw: Vec::new(),
            declared_8bit: is8bit,
        });
        OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        if let Some(mail) = &mut self.current {
            mail.raw.extend_from_slice(buf);
        }
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        if let Some(mail) = self.current.take() {
            (self.deliver)(mail);
        }
        OK
    }
}

/// A plain SMTP server on `listener` handing each message it receives to `deliver`.
pub fn serve(listener: TcpListener, threads: usize, deliver: Deliver) -> Server<impl Handler + Clone + Send> {
    serve_refusing(listener, threads, deliver, Arc::default())
}

fn serve_refusing(
    listener: TcpListener,
    threads: usize,
    deliver: Deliver,
    refuse: Arc<Refusals>,
) -> Server<impl Handler + Clone + Send> {
    let mut server = Server::new(Collector { deliver, current: None, refuse });
    server.with_name("sink.test").with_num_threads(threads as u32).with_tcp_listener(listener);
    server.with_ssl(SslConfig::None).expect("plain SMTP");
    server
}

/// An SMTP server that keeps every message it receives. It runs until the test process ends.
pub struct SmtpSink {
    pub addr: SocketAddr,
    inbox: Arc<Inbox>,
    refuse: Arc<Refusals>,
}

impl SmtpSink {
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let addr = listener.local_addr().expect("its address");
        let inbox = Arc::new(Inbox::default());
        let kept = inbox.clone();
        let refuse = Arc::new(Refusals::default());
        let deliver: Deliver = Arc::new(move |mail| kept.mails.lock().expect("inbox lock").push(mail));
        // One thread serves one connection for as long as it is open, and the server under test
        // keeps its connections open between mails (up to --smtp-connections, 64 by default): with
        // fewer threads than that, a new connection waits unserved until the client times out.
        let server = serve_refusing(listener, 64, deliver, refuse.clone());
        std::thread::spawn(move || {
            if let Err(e) = server.serve() {
                eprintln!("the test SMTP server stopped: {e}");
            }
        });
        Self { addr, inbox, refuse }
    }

    /// From now on, refuses every mail (550 to MAIL FROM), or accepts them again.
    pub fn refuse_all(&self, refuse: bool) {
        self.refuse.all.store(refuse, Ordering::SeqCst);
    }

    /// From now on, refuses mail to `to` (550 to RCPT TO), or accepts it again.
    pub fn refuse_recipient(&self, to: &str, refuse: bool) {
        let mut recipients = self.refuse.recipients.lock().expect("refusals lock");
        recipients.retain(|r| !r.eq_ignore_ascii_case(to));
        if refuse {
            recipients.push(to.to_owned());
        }
    }

    /// How many times mail to `to` was offered (`RCPT TO`), accepted or refused.
    pub fn tried(&self, to: &str) -> usize {
        let to = to.to_ascii_lowercase();
        self.refuse.tried.lock().expect("refusals lock").iter().filter(|t| **t == to).count()
    }

    /// The `--smtp-url` that reaches this server.
    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    /// Every message received so far.
    pub fn all(&self) -> Vec<ReceivedMail> {
        self.inbox.mails.lock().expect("inbox lock").clone()
    }

    /// Waits until `count` messages to `to` have arrived (or 10 s pass), and returns those there are.
    /// Async, so that a server running on the test's own runtime goes on meanwhile.
    pub async fn wait_for(&self, to: &str, count: usize) -> Vec<ReceivedMail> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let found: Vec<ReceivedMail> =
                self.all().into_iter().filter(|m| m.to.iter().any(|t| t.eq_ignore_ascii_case(to))).collect();
            if found.len() >= count || Instant::now() >= deadline {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Waits for one message to `to`; panics if none comes.
    pub async fn one_for(&self, to: &str) -> ReceivedMail {
        self.wait_for(to, 1).await.into_iter().next().unwrap_or_else(|| {
            let arrived: Vec<_> = self.all().into_iter().map(|m| m.to).collect();
            panic!("no mail to {to} arrived; mail arrived for {arrived:?}")
        })
    }
}
