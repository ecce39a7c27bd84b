//! The HTTP client of webhook deliveries: one POST over HTTP/1.1, to the addresses the target
//! check resolved and allowed (never to the name resolved again, so a DNS answer that changes in
//! between cannot take the request to a private address), over TLS with Mozilla's roots for
//! https. No redirect is followed (an answer is an answer: a 3xx is a failure), no proxy is used,
//! nothing is pooled. All of it, connecting included, within the configured timeout; of the
//! answer only the status and a short excerpt of its body are read.

use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::ServerName;
use undersigned_core::webhook::WebhookUrl;

/// How much of an answer's body is read, and how much of it is kept (to show the organiser what
/// the receiver said, never a whole page).
const READ_AT_MOST: usize = 4_096;
const EXCERPT_CHARS: usize = 200;

/// What the receiver answered.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    /// The start of the body, printable characters only.
    pub excerpt: String,
}

pub struct Client {
    tls: TlsConnector,
    timeout: Duration,
}

impl Client {
    pub fn new(timeout: Duration) -> Self {
        Self { tls: TlsConnector::from(crate::tls::client_config(&[b"http/1.1"])), timeout }
    }

    /// POSTs `body` with `headers` to `url`, connecting to the first of `addresses` that takes the
    /// connection. An error says what went wrong in a few words (it is shown to the organiser).
    pub async fn post(
        &self,
        url: &WebhookUrl,
        addresses: &[SocketAddr],
        headers: &[(&str, String)],
        body: Vec<u8>,
    ) -> Result<Answer, String> {
        let exchange = async {
            let stream = connect(addresses).await?;
            let request = request(url, headers, body)?;
            if !url.is_https() {
                return exchange(stream, request).await;
            }
            let name =
                ServerName::try_from(url.host_name()).map_err(|_| "not a TLS server name".to_owned())?;
            let tls = self.tls.connect(name, stream).await.map_err(|e| format!("TLS: {e}"))?;
            exchange(tls, request).await
        };
        tokio::time::timeout(self.timeout, exchange)
            .await
            .unwrap_or_else(|_| Err(format!("no answer within {} s", self.timeout.as_secs())))
    }
}

async fn connect(addresses: &[SocketAddr]) -> Result<TcpStream, String> {
    let mut last = "no address to connect to".to_owned();
    for address in addresses {
        match TcpStream::connect(address).await {
            Ok(stream) => {
                let _ = stream.set_nodelay(true);
                return Ok(stream);
            }
            Err(e) => last = format!("connecting to {address}: {}", e.kind()),
        }
    }
    Err(last)
}

fn request(
    url: &WebhookUrl,
    headers: &[(&str, String)],
    body: Vec<u8>,
) -> Result<Request<Full<Bytes>>, String> {
    let mut request = Request::post(url.path_and_query()).header("host", url.authority());
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    request.body(Full::new(Bytes::from(body))).map_err(|e| format!("the request: {e}"))
}

/// Sends the request on a connection of its own and reads the answer's status and the start of
/// its body.
async fn exchange<S>(stream: S, request: Request<Full<Bytes>>) -> Result<Answer, String>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("HTTP: {e}"))?;
    let connection = tokio::spawn(connection);
    let response = sender.send_request(request).await.map_err(|e| format!("HTTP: {e}"));
    let result = match response {
        Ok(response) => {
            let status = response.status().as_u16();
            let mut body = response.into_body();
            let mut read = Vec::new();
            while read.len() < READ_AT_MOST {
                match body.frame().await {
                    Some(Ok(frame)) => read.extend(frame.into_data().unwrap_or_default()),
                    _ => break,
                }
            }
            Ok(Answer { status, excerpt: excerpt(&read) })
        }
        Err(e) => Err(e),
    };
    connection.abort();
    result
}

/// The start of a body as text: printable characters, whitespace folded, at most
/// [`EXCERPT_CHARS`].
fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let words: Vec<&str> = text.split_whitespace().collect();
    words.join(" ").chars().filter(|c| !c.is_control()).take(EXCERPT_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_is_short_and_printable() {
        assert_eq!(excerpt(b"  oops\n\t\x07broken  "), "oops broken");
        assert_eq!(excerpt(&[b'a'; 1000]).len(), EXCERPT_CHARS);
    }
}
