//! Sending over SMTP so that every failure is known by where it happened: the relay as a whole
//! (connecting, its greeting, STARTTLS, authentication, MAIL FROM, or silence past the timeout)
//! or one mail (a recipient refused at RCPT TO, a message refused after DATA). The conversation
//! is lettre's, one command at a time, on connections kept open for the next mail; the whole of
//! each send has a deadline, since lettre's own timeout covers only connecting.
//!
//! What is logged and stored of a failure is its code and class ("550 permanent, recipient",
//! "timeout, relay"), never the server's text, which often repeats the recipient's address.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context as TaskContext, Poll};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use lettre::Address;
use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::AsyncTokioStream;
use lettre::transport::smtp::client::{AsyncSmtpConnection, Tls, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::ServerName;

/// Connections unused for longer are closed rather than used again (relays drop idle ones).
const IDLE: Duration = Duration::from_secs(30);

/// Where a send failed: what else the failure says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The relay refuses or cannot be reached: every mail would fail alike.
    Relay,
    /// This recipient was refused (RCPT TO).
    Recipient,
    /// This message was refused (DATA).
    Message,
}

/// Why a send failed: an SMTP code and its class, or what happened instead of an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Failure {
    pub scope: Scope,
    /// The reply code, when the server answered.
    pub code: Option<u16>,
    /// A 5xx: the same send will fail again.
    pub permanent: bool,
    /// Without a code: "timeout", "connection", "tls" or "client".
    what: &'static str,
}

impl Failure {
    fn timeout() -> Self {
        Self { scope: Scope::Relay, code: None, permanent: false, what: "timeout" }
    }

    fn of(error: &lettre::transport::smtp::Error, scope: Scope) -> Self {
        match error.status() {
            Some(code) => Self { scope, code: Some(code.into()), permanent: error.is_permanent(), what: "" },
            None => {
                let what = if error.is_timeout() {
                    "timeout"
                } else if error.is_tls() {
                    "tls"
                } else if error.is_client() {
                    "client"
                } else {
                    "connection"
                };
                Self { scope: Scope::Relay, code: None, permanent: false, what }
            }
        }
    }

    /// Anything the relay as a whole answered (or did not): every mail would fail alike.
    pub fn relay(self) -> Self {
        Self { scope: Scope::Relay, ..self }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scope = match self.scope {
            Scope::Relay => "relay",
            Scope::Recipient => "recipient",
            Scope::Message => "message",
        };
        match self.code {
            Some(code) => {
                let class = if self.permanent { "permanent" } else { "transient" };
                write!(f, "{code} {class}, {scope}")
            }
            None => write!(f, "{}, {scope}", self.what),
        }
    }
}

/// An SMTP relay as `--smtp-url` names it, with the connections kept open to it.
pub struct Relay {
    host: String,
    port: u16,
    tls: Tls,
    hello: ClientId,
    credentials: Option<Credentials>,
    timeout: Duration,
    idle: Mutex<Vec<(AsyncSmtpConnection, Instant)>>,
    /// TLS from the first byte (`smtps://`), on our own socket (see `connect`).
    wrapper: TlsConnector,
    /// Whether the relay's greeting offered 8BITMIME (RFC 6152), as its last connection said
    /// (false until one is made).
    eight_bit: AtomicBool,
}

impl Relay {
    /// `smtp://[USER:PASS@]HOST[:PORT][?tls=required|opportunistic]` or `smtps://...`, as lettre
    /// reads them; `timeout` bounds each whole send.
    pub fn from_url(url: &str, timeout: Duration) -> anyhow::Result<Self> {
        let parsed = url::Url::parse(url).context("the SMTP URL is not valid (see --help for its forms)")?;
        let host = parsed.host_str().context("the SMTP URL names no host")?.to_owned();
        let tls_param = parsed.query_pairs().find(|(k, _)| k == "tls").map(|(_, v)| v.into_owned());
        let params = || TlsParameters::new(host.clone()).context("TLS for the SMTP server");
        let (port, tls) = match (parsed.scheme(), tls_param.as_deref()) {
            ("smtp", None) => (25, Tls::None),
            ("smtp", Some("required")) => (587, Tls::Required(params()?)),
            ("smtp", Some("opportunistic")) => (587, Tls::Opportunistic(params()?)),
            ("smtps", _) => (465, Tls::Wrapper(params()?)),
            (scheme, tls) => bail!("the SMTP URL's scheme {scheme} or tls={tls:?} is not known"),
        };
        let hello = match parsed.path().trim_matches('/') {
            "" => ClientId::default(),
            name => ClientId::Domain(name.to_owned()),
        };
        let decode = |s: &str| percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned();
        let credentials =
            parsed.password().map(|password| Credentials::new(decode(parsed.username()), decode(password)));
        Ok(Self {
            port: parsed.port().unwrap_or(port),
            host,
            tls,
            hello,
            credentials,
            timeout,
            idle: Mutex::new(Vec::new()),
            wrapper: TlsConnector::from(crate::tls::client_config(&[])),
            eight_bit: AtomicBool::new(false),
        })
    }

    /// The relay takes bodies of 8-bit text (it offered 8BITMIME when last connected to): a
    /// message may then carry its UTF-8 text as it is, not quoted-printable or base64.
    pub fn takes_8bit(&self) -> bool {
        self.eight_bit.load(Ordering::Relaxed)
    }

    /// Sends one message, within the timeout.
    pub async fn send(&self, envelope: &Envelope, message: &[u8]) -> Result<(), Failure> {
        tokio::time::timeout(self.timeout, self.send_now(envelope, message))
            .await
            .unwrap_or_else(|_| Err(Failure::timeout()))
    }

    async fn send_now(&self, envelope: &Envelope, message: &[u8]) -> Result<(), Failure> {
        if let Some(mut connection) = self.take_idle() {
            match transact(&mut connection, envelope, message).await {
                Ok(()) => {
                    self.put_back(connection);
                    return Ok(());
                }
                // The relay may have closed it meanwhile: a new connection says.
                Err(failure) if failure.scope == Scope::Relay => {}
                Err(failure) => return Err(failure),
            }
        }
        let mut connection = self.connect().await?;
        transact(&mut connection, envelope, message).await?;
        self.put_back(connection);
        Ok(())
    }

    fn take_idle(&self) -> Option<AsyncSmtpConnection> {
        let mut idle = self.idle.lock().expect("the idle connections");
        while let Some((connection, since)) = idle.pop() {
            if since.elapsed() < IDLE && !connection.has_broken() {
                return Some(connection);
            }
        }
        None
    }

    fn put_back(&self, connection: AsyncSmtpConnection) {
        if !connection.has_broken() {
            self.idle.lock().expect("the idle connections").push((connection, Instant::now()));
        }
    }

    /// A new connection, greeted, encrypted and authenticated as configured.
    ///
    /// The socket is ours, not lettre's, so that Nagle's algorithm can be turned off: lettre
    /// writes each command, and a message and its terminating `.`, in separate writes and waits for
    /// the answer, and with Nagle's algorithm on the second small write waits until the relay has
    /// acknowledged the first, which a relay delays (40 ms on Linux). That wait, not the CPU,
    /// bounded the mail rate at about 1,200 mails/s however many connections were open
    /// (`docs/benchmarks.md`).
    async fn connect(&self) -> Result<AsyncSmtpConnection, Failure> {
        let relay = |e: lettre::transport::smtp::Error| Failure::of(&e, Scope::Relay).relay();
        let connection_failed =
            Failure { scope: Scope::Relay, code: None, permanent: false, what: "connection" };
        let tcp = tokio::time::timeout(self.timeout, TcpStream::connect((self.host.as_str(), self.port)))
            .await
            .map_err(|_| Failure::timeout())?
            .map_err(|_| connection_failed)?;
        tcp.set_nodelay(true).map_err(|_| connection_failed)?;
        let stream: Box<dyn AsyncTokioStream> = match &self.tls {
            Tls::Wrapper(_) => {
                let name = ServerName::try_from(self.host.clone())
                    .map_err(|_| Failure { what: "tls", ..connection_failed })?;
                let tls = tokio::time::timeout(self.timeout, self.wrapper.connect(name, tcp))
                    .await
                    .map_err(|_| Failure::timeout())?
                    .map_err(|_| Failure { what: "tls", ..connection_failed })?;
                Box::new(Wrapped(tls))
            }
            _ => Box::new(tcp),
        };
        let mut connection =
            AsyncSmtpConnection::connect_with_transport(stream, &self.hello).await.map_err(relay)?;
        match &self.tls {
            Tls::Required(params) => connection.starttls(params.clone(), &self.hello).await.map_err(relay)?,
            Tls::Opportunistic(params) if connection.can_starttls() => {
                connection.starttls(params.clone(), &self.hello).await.map_err(relay)?;
            }
            _ => {}
        }
        if let Some(credentials) = &self.credentials {
            connection.auth(&[Mechanism::Plain, Mechanism::Login], credentials).await.map_err(relay)?;
        }
        self.eight_bit
            .store(connection.server_info().supports_feature(Extension::EightBitMime), Ordering::Relaxed);
        Ok(connection)
    }
}

/// A TLS stream to the relay (`smtps://`) as lettre takes a stream it did not open.
#[derive(Debug)]
struct Wrapped(tokio_rustls::client::TlsStream<TcpStream>);

impl AsyncRead for Wrapped {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut TaskContext<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl AsyncWrite for Wrapped {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

impl AsyncTokioStream for Wrapped {
    fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.0.get_ref().0.peer_addr()
    }
}

/// One mail's conversation on an open connection; each failure by where it came.
async fn transact(
    connection: &mut AsyncSmtpConnection,
    envelope: &Envelope,
    message: &[u8],
) -> Result<(), Failure> {
    let info = connection.server_info();
    let mut options = Vec::new();
    let ascii = |a: &Address| AsRef::<str>::as_ref(a).is_ascii();
    if !(envelope.from().is_none_or(ascii) && envelope.to().iter().all(ascii)) {
        if !info.supports_feature(Extension::SmtpUtfEight) {
            return Err(Failure { scope: Scope::Recipient, code: None, permanent: true, what: "address" });
        }
        options.push(MailParameter::SmtpUtfEight);
    }
    if !message.is_ascii() {
        if info.supports_feature(Extension::EightBitMime) {
            options.push(MailParameter::Body(MailBodyParameter::EightBitMime));
        } else if !options.contains(&MailParameter::SmtpUtfEight) {
            // 8-bit text written for a relay that offered 8BITMIME, sent on a connection whose
            // greeting did not (the relay changed): not sent, and written again in 7 bits for the
            // next try (`connect` noted what this relay offers).
            return Err(Failure { scope: Scope::Message, code: None, permanent: false, what: "8bit" });
        }
    }
    let result = async {
        let at = |scope| move |e: lettre::transport::smtp::Error| Failure::of(&e, scope);
        connection.command(Mail::new(envelope.from().cloned(), options)).await.map_err(at(Scope::Relay))?;
        for to in envelope.to() {
            connection.command(Rcpt::new(to.clone(), Vec::new())).await.map_err(at(Scope::Recipient))?;
        }
        connection.command(Data).await.map_err(at(Scope::Message))?;
        connection.message(message).await.map_err(at(Scope::Message))?;
        Ok(())
    }
    .await;
    if result.is_err() {
        // Mid-transaction: this connection is not used again.
        connection.abort().await;
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_written_as_code_and_class_only() {
        let f = Failure { scope: Scope::Recipient, code: Some(550), permanent: true, what: "" };
        assert_eq!(f.to_string(), "550 permanent, recipient");
        assert_eq!(Failure::timeout().to_string(), "timeout, relay");
        let auth = Failure { scope: Scope::Relay, code: Some(535), permanent: true, what: "" };
        assert_eq!(auth.to_string(), "535 permanent, relay");
    }

    #[test]
    fn urls_are_read_as_lettre_reads_them() {
        let t = Duration::from_secs(5);
        let r = Relay::from_url("smtp://u%40x:p%20w@mail.example:2525/helo.example", t).unwrap();
        assert_eq!((r.host.as_str(), r.port), ("mail.example", 2525));
        assert!(r.credentials.is_some());
        assert_eq!(Relay::from_url("smtps://mail.example", t).unwrap().port, 465);
        assert_eq!(Relay::from_url("smtp://mail.example?tls=required", t).unwrap().port, 587);
        assert!(Relay::from_url("ftp://mail.example", t).is_err());
        assert!(Relay::from_url("not a url", t).is_err());
    }
}
