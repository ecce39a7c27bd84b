//! Requests timed for `/metrics`: one histogram by route pattern, method and status (its `_count`
//! is the number of requests), and the requests under way. The route is the pattern that matched
//! (`/c/{slug}`), never the path asked for: a draft's slug is secret and a path may carry a
//! token; a request no route matched is `other`.
//!
//! A tower layer of our own rather than `axum::middleware::from_fn`: only inside the router is
//! the matched route known, so it wraps every route, and `from_fn` boxes its future and clones
//! the route's stack for each request. This one adds no allocation beyond the route's label
//! (`MatchedPath` does not hand out its shared string) and the label list. It is only put in
//! place when metrics are on ([`crate::WebConfig::metrics`]).

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use metrics::{Gauge, SharedString};
use tower::{Layer, Service};

pub const REQUEST_SECONDS: &str = "undersigned_http_request_duration_seconds";
pub const IN_FLIGHT: &str = "undersigned_http_requests_in_flight";

/// The route label of a request no route matched (the 404 page, a method refused).
pub const UNMATCHED: &str = "other";

/// The layer wrapped around every route.
#[derive(Clone)]
pub struct RequestMetricsLayer {
    in_flight: Gauge,
}

impl RequestMetricsLayer {
    /// Registers the gauge of requests under way with the recorder installed now.
    pub fn new() -> Self {
        Self { in_flight: metrics::gauge!(IN_FLIGHT) }
    }
}

impl Default for RequestMetricsLayer {
    fn default() -> Self {
        Self::new()
    }
}

impl<S> Layer<S> for RequestMetricsLayer {
    type Service = RequestMetrics<S>;

    fn layer(&self, inner: S) -> RequestMetrics<S> {
        RequestMetrics { inner, in_flight: self.in_flight.clone() }
    }
}

#[derive(Clone)]
pub struct RequestMetrics<S> {
    inner: S,
    in_flight: Gauge,
}

impl<S> Service<Request> for RequestMetrics<S>
where
    S: Service<Request, Response = Response>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Timed<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let seen = Seen {
            route: request.extensions().get::<MatchedPath>().cloned(),
            method: method_label(request.method()),
            started: Instant::now(),
            in_flight: self.in_flight.clone(),
        };
        seen.in_flight.increment(1.0);
        Timed { inner: self.inner.call(request), seen: Some(seen) }
    }
}

/// What is known of a request when it comes in.
struct Seen {
    route: Option<MatchedPath>,
    method: &'static str,
    started: Instant,
    in_flight: Gauge,
}

impl Seen {
    /// The request is answered with `status`, or ended without an answer (`None`: the router's
    /// timeout or the client gave up, and the handler was dropped).
    fn record(self, status: Option<StatusCode>) {
        self.in_flight.decrement(1.0);
        let route: SharedString = match &self.route {
            Some(path) => path.as_str().to_owned().into(),
            None => UNMATCHED.into(),
        };
        let status = status.map_or(Cow::Borrowed("none"), status_label);
        metrics::histogram!(REQUEST_SECONDS, "route" => route, "method" => self.method, "status" => status)
            .record(self.started.elapsed());
    }
}

pin_project_lite::pin_project! {
    /// The route's future, timed: recorded when it answers, or when it is dropped unanswered.
    pub struct Timed<F> {
        #[pin]
        inner: F,
        seen: Option<Seen>,
    }

    impl<F> PinnedDrop for Timed<F> {
        fn drop(this: Pin<&mut Self>) {
            if let Some(seen) = this.project().seen.take() {
                seen.record(None);
            }
        }
    }
}

impl<F, E> Future for Timed<F>
where
    F: Future<Output = Result<Response, E>>,
{
    type Output = Result<Response, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let output = ready!(this.inner.poll(cx));
        if let (Ok(response), Some(seen)) = (&output, this.seen.take()) {
            seen.record(Some(response.status()));
        }
        Poll::Ready(output)
    }
}

fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::OPTIONS => "OPTIONS",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        _ => "other",
    }
}

/// The status as its three digits: the codes this site answers with are static strings (no
/// allocation), any other is written out.
fn status_label(status: StatusCode) -> Cow<'static, str> {
    Cow::Borrowed(match status.as_u16() {
        200 => "200",
        201 => "201",
        204 => "204",
        206 => "206",
        301 => "301",
        302 => "302",
        303 => "303",
        304 => "304",
        307 => "307",
        308 => "308",
        400 => "400",
        401 => "401",
        403 => "403",
        404 => "404",
        405 => "405",
        408 => "408",
        409 => "409",
        410 => "410",
        413 => "413",
        415 => "415",
        422 => "422",
        429 => "429",
        500 => "500",
        502 => "502",
        503 => "503",
        504 => "504",
        other => return Cow::Owned(other.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_its_three_digits() {
        for code in 100..600 {
            let status = StatusCode::from_u16(code).unwrap();
            assert_eq!(status_label(status), status.as_str());
        }
    }
}
