//! Webhooks: an organiser's endpoint that hears of a campaign's events (a signature confirmed or
//! withdrawn, an endorsement approved, the campaign's status changed or a milestone reached),
//! and the deliveries queued for it in the same transaction as each event.
//!
//! A delivery is signed the Standard Webhooks way (<https://www.standardwebhooks.com>): headers
//! `webhook-id` (the delivery's, the same on every attempt: the receiver's idempotency key),
//! `webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`
//! with the endpoint's secret (`whsec_` and base64). What goes in the body is the web layer's;
//! sending it is the server's. This owns the words both speak: events, secrets, the signature,
//! which addresses an endpoint may not point at, the retry schedule and the milestones.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use time::{Duration, OffsetDateTime};

use crate::campaign::CampaignId;
use crate::validation::ValidationError;

/// What an endpoint may hear of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WebhookEvent {
    SignatureConfirmed,
    /// Its signer withdrew it: the row is gone, so the payload has its identifiers only.
    SignatureWithdrawn,
    /// An organiser approved an endorsement sent through the form, or entered one that came by
    /// email or on paper (listed at once).
    EndorsementApproved,
    CampaignStatusChanged,
    /// The campaign's confirmed online signatures reached a round number (100, 1,000, ...) or its
    /// goal ([`milestones_crossed`]).
    CampaignMilestone,
    /// The campaign reached one of its thresholds (`crate::threshold`), as its page counts
    /// (online and offline).
    ThresholdCrossed,
    /// A signer withdrew their consent to a partner (`crate::organisation`): the partner's own
    /// endpoint and the campaign's hear of it; the detail names the organisation.
    ConsentWithdrawn,
    /// An organiser marked one of the campaign's demands met (or took the mark back).
    DemandMet,
    /// Sent from the organiser's page to try an endpoint; never subscribed to.
    Test,
}

impl WebhookEvent {
    /// The events an endpoint chooses from, in the order the form lists them.
    pub const SUBSCRIBABLE: [Self; 8] = [
        Self::SignatureConfirmed,
        Self::SignatureWithdrawn,
        Self::EndorsementApproved,
        Self::CampaignStatusChanged,
        Self::CampaignMilestone,
        Self::ThresholdCrossed,
        Self::ConsentWithdrawn,
        Self::DemandMet,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignatureConfirmed => "signature.confirmed",
            Self::SignatureWithdrawn => "signature.withdrawn",
            Self::EndorsementApproved => "endorsement.approved",
            Self::CampaignStatusChanged => "campaign.status_changed",
            Self::CampaignMilestone => "campaign.milestone",
            Self::ThresholdCrossed => "campaign.threshold_crossed",
            Self::ConsentWithdrawn => "consent.withdrawn",
            Self::DemandMet => "demand.met",
            Self::Test => "webhook.test",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::SUBSCRIBABLE.into_iter().chain([Self::Test]).find(|e| e.as_str() == value)
    }

    /// Its bit in an endpoint's [`EventSet`] (as stored: `events & bit <> 0` in SQL).
    pub fn bit(self) -> i64 {
        match self {
            Self::SignatureConfirmed => 1,
            Self::SignatureWithdrawn => 2,
            Self::EndorsementApproved => 4,
            Self::CampaignStatusChanged => 8,
            Self::CampaignMilestone => 16,
            Self::ThresholdCrossed => 32,
            Self::ConsentWithdrawn => 64,
            Self::DemandMet => 128,
            Self::Test => 0,
        }
    }
}

/// The events an endpoint subscribes to, as a set of bits (stored as one integer).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EventSet(i64);

impl EventSet {
    pub fn of(events: impl IntoIterator<Item = WebhookEvent>) -> Self {
        Self(events.into_iter().fold(0, |bits, e| bits | e.bit()))
    }

    /// As stored; bits no event has are dropped.
    pub fn from_bits(bits: i64) -> Self {
        Self::of(WebhookEvent::SUBSCRIBABLE.into_iter().filter(|e| bits & e.bit() != 0))
    }

    pub fn bits(self) -> i64 {
        self.0
    }

    pub fn contains(self, event: WebhookEvent) -> bool {
        self.0 & event.bit() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn events(self) -> impl Iterator<Item = WebhookEvent> {
        WebhookEvent::SUBSCRIBABLE.into_iter().filter(move |e| self.contains(*e))
    }
}

/// Whether an endpoint is sent its events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndpointState {
    Active,
    /// By an organiser: no event is queued for it meanwhile, and what was queued before waits.
    Paused,
    /// By the server, after a delivery was given up with no success since it was queued (the
    /// endpoint failed for the whole retry schedule); like paused until an organiser resumes it.
    Disabled,
}

impl EndpointState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Paused => "paused",
            Self::Disabled => "disabled",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [Self::Active, Self::Paused, Self::Disabled].into_iter().find(|s| s.as_str() == value)
    }
}

/// An endpoint's signing secret: 32 random bytes, shown once as `whsec_` and their base64.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookSecret([u8; 32]);

impl WebhookSecret {
    pub const PREFIX: &'static str = "whsec_";

    pub fn generate() -> Self {
        Self(rand::random())
    }

    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// As the organiser copies it into the receiver: `whsec_` and standard base64.
    pub fn encoded(&self) -> String {
        format!("{}{}", Self::PREFIX, STANDARD.encode(self.0))
    }
}

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSecret(..)")
    }
}

/// The `webhook-signature` header: `v1,` and the base64 HMAC-SHA256 of `{id}.{timestamp}.{body}`
/// under each secret (the current one, and the one it replaced for a day after a rotation),
/// separated by spaces.
pub fn signature_header(secrets: &[&[u8]], id: &str, timestamp: i64, body: &[u8]) -> String {
    secrets
        .iter()
        .map(|secret| {
            let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes a key of any length");
            mac.update(format!("{id}.{timestamp}.").as_bytes());
            mac.update(body);
            format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// How long the secret an endpoint had before a rotation still signs beside the new one, so that
/// the receiver can be given the new one without losing a delivery.
pub const PREVIOUS_SECRET_FOR: Duration = Duration::hours(24);

/// An endpoint's address, parsed: `https://` (or `http://` where the operator allows private
/// addresses, for tests and a receiver on the same machine), a host, no user or password (they
/// would be shown and logged; the signature is how a receiver knows us), no fragment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebhookUrl {
    url: String,
    /// The host (an IPv6 address in brackets) and the port if the address names one: the `Host`
    /// header.
    authority: String,
    host: WebhookHost,
    port: u16,
    https: bool,
}

/// The host an endpoint names: resolved before each connection, or an address as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WebhookHost {
    Domain(String),
    Ip(IpAddr),
}

impl WebhookUrl {
    pub const MAX_LEN: usize = 2_000;

    pub fn parse(field: &str, value: &str, allow_http: bool) -> Result<Self, ValidationError> {
        let value = value.trim();
        let refuse = |reason: &str| ValidationError::new(field, reason);
        if value.is_empty() || value.len() > Self::MAX_LEN {
            return Err(refuse("must be an https:// address of at most 2,000 characters"));
        }
        let url = url::Url::parse(value).map_err(|_| refuse("must be an https:// address"))?;
        let https = match url.scheme() {
            "https" => true,
            "http" if allow_http => false,
            _ => return Err(refuse("must be an https:// address")),
        };
        if !url.username().is_empty() || url.password().is_some() || url.fragment().is_some() {
            return Err(refuse("must have no user, password or #fragment"));
        }
        let host = match url.host() {
            Some(url::Host::Domain(d)) => WebhookHost::Domain(d.to_owned()),
            Some(url::Host::Ipv4(a)) => WebhookHost::Ip(IpAddr::V4(a)),
            Some(url::Host::Ipv6(a)) => WebhookHost::Ip(IpAddr::V6(a)),
            None => return Err(refuse("must name a host")),
        };
        let port = url.port_or_known_default().ok_or_else(|| refuse("must name a port"))?;
        let authority = match url.port() {
            Some(p) => format!("{}:{p}", url.host_str().unwrap_or_default()),
            None => url.host_str().unwrap_or_default().to_owned(),
        };
        Ok(Self { url: url.to_string(), authority, host, port, https })
    }

    /// As stored and shown (normalised: the host lower-cased and in ASCII).
    pub fn as_str(&self) -> &str {
        &self.url
    }

    pub fn host(&self) -> &WebhookHost {
        &self.host
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn is_https(&self) -> bool {
        self.https
    }

    /// The `Host` header: the host, and the port if the address names one.
    pub fn authority(&self) -> &str {
        &self.authority
    }

    /// The host as TLS names it (an IPv6 address without brackets).
    pub fn host_name(&self) -> String {
        match &self.host {
            WebhookHost::Domain(d) => d.clone(),
            WebhookHost::Ip(ip) => ip.to_string(),
        }
    }

    /// The path and query, as the request line wants them.
    pub fn path_and_query(&self) -> String {
        let url = url::Url::parse(&self.url).expect("parsed before");
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        }
    }
}

/// Whether an endpoint may not point at an address unless the operator allows private ones: this
/// host's and its networks' (loopback, RFC 1918, link-local with the cloud metadata service,
/// carrier-grade NAT, unique-local, "this network"), and whatever else is not on the internet
/// (documentation, benchmarking, multicast, reserved), also written as IPv6 forms that carry an
/// IPv4 address (mapped, compatible, NAT64, 6to4).
pub fn is_forbidden_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => forbidden_v4(a),
        IpAddr::V6(a) => forbidden_v6(a),
    }
}

fn forbidden_v4(a: Ipv4Addr) -> bool {
    let [a0, a1, a2, _] = a.octets();
    a0 == 0 // "this network", 0.0.0.0
        || a0 == 10
        || a0 == 127
        || (a0 == 100 && a1 & 0xc0 == 64) // carrier-grade NAT, 100.64/10
        || (a0 == 169 && a1 == 254) // link-local, with 169.254.169.254
        || (a0 == 172 && a1 & 0xf0 == 16)
        || (a0 == 192 && a1 == 168)
        || (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2)) // IETF assignments; documentation
        || (a0 == 198 && a1 & 0xfe == 18) // benchmarking
        || (a0 == 198 && a1 == 51 && a2 == 100)
        || (a0 == 203 && a1 == 0 && a2 == 113)
        || a0 >= 224 // multicast, reserved, broadcast
}

fn forbidden_v6(a: Ipv6Addr) -> bool {
    let s = a.segments();
    let v4 = |hi: u16, lo: u16| Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
    if let Some(mapped) = a.to_ipv4_mapped() {
        return forbidden_v4(mapped);
    }
    s[..6] == [0; 6] // ::, ::1 and the IPv4-compatible ::/96
        || s[0] & 0xfe00 == 0xfc00 // unique-local, fc00::/7
        || s[0] & 0xffc0 == 0xfe80 // link-local
        || s[0] & 0xffc0 == 0xfec0 // site-local (deprecated)
        || s[0] & 0xff00 == 0xff00 // multicast
        || (s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0; 4] && forbidden_v4(v4(s[6], s[7]))) // NAT64
        || (s[0] == 0x64 && s[1] == 0xff9b && s[2] == 1) // local-use NAT64
        || (s[0] == 0x2002 && forbidden_v4(v4(s[1], s[2]))) // 6to4
        || (s[0] == 0x2001 && (s[1] == 0 || s[1] == 0x0db8)) // Teredo; documentation
        || (s[0] == 0x0100 && s[1..4] == [0; 3]) // discard
}

/// An endpoint as its page shows it (never its secret).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    pub id: i64,
    pub campaign_id: CampaignId,
    pub url: String,
    pub events: EventSet,
    /// Its payloads carry the signers' and endorsers' names and addresses.
    pub personal_data: bool,
    pub state: EndpointState,
    pub created_at: OffsetDateTime,
    pub last_success_at: Option<OffsetDateTime>,
    /// When its secret was last replaced (the old one signs beside it for [`PREVIOUS_SECRET_FOR`]).
    pub rotated_at: Option<OffsetDateTime>,
    /// A partner's own endpoint: it hears only of the signers who consented to this organisation.
    pub organisation_id: Option<i64>,
}

/// An endpoint as an organiser registers it.
#[derive(Clone, Debug)]
pub struct NewEndpoint {
    pub campaign_id: CampaignId,
    pub url: WebhookUrl,
    pub events: EventSet,
    pub personal_data: bool,
    pub secret: WebhookSecret,
    pub now: OffsetDateTime,
    /// A partner's own endpoint (see [`Endpoint::organisation_id`]).
    pub organisation_id: Option<i64>,
}

/// A delivery taken by a worker under a lease, with what sending it needs.
#[derive(Clone, Debug)]
pub struct ClaimedDelivery {
    pub id: i64,
    /// `msg_` and 32 hex digits, random: the `webhook-id` and the payload's idempotency key.
    pub message_id: String,
    pub event: WebhookEvent,
    /// The signature, endorsement or campaign the event is about (none for a test).
    pub ref_id: Option<i64>,
    /// What the event fixed when it happened (a status's change, a milestone), as JSON.
    pub detail: Option<String>,
    /// Attempts so far, this one included.
    pub attempts: i64,
    pub created_at: OffsetDateTime,
    /// Until when this claim holds it: recording the outcome must match.
    pub lease: OffsetDateTime,
    pub endpoint_id: i64,
    pub campaign_id: CampaignId,
    pub url: String,
    pub personal_data: bool,
    /// The secrets to sign with: the current one, and the one before it within a day of a rotation.
    pub secrets: Vec<Vec<u8>>,
}

/// Where a delivery stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeliveryState {
    Pending,
    Delivered,
    /// Given up after the whole retry schedule; an organiser may send it again.
    Failed,
}

impl DeliveryState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [Self::Pending, Self::Delivered, Self::Failed].into_iter().find(|s| s.as_str() == value)
    }
}

/// A delivery as the endpoint's log shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeliveryRecord {
    pub id: i64,
    pub message_id: String,
    pub event: WebhookEvent,
    pub state: DeliveryState,
    pub attempts: i64,
    pub created_at: OffsetDateTime,
    pub last_attempt_at: Option<OffsetDateTime>,
    /// The HTTP status of the last answer, if one came.
    pub last_status: Option<i64>,
    /// What went wrong last: no answer, or a short excerpt of an answer that was not 2xx.
    pub last_error: Option<String>,
    /// When it is tried next, while pending.
    pub next_attempt_at: Option<OffsetDateTime>,
}

/// How an attempt went, as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttemptOutcome {
    /// The HTTP status, if an answer came.
    pub status: Option<u16>,
    /// What went wrong (none for a 2xx): a timeout, a refused address, an excerpt of the answer.
    pub error: Option<String>,
    pub at: OffsetDateTime,
}

impl AttemptOutcome {
    /// A 2xx answer: delivered.
    pub fn delivered(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// What recording a failed attempt did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailureRecorded {
    /// Tried again later.
    Retrying,
    /// Given up.
    Failed,
    /// Given up, and its endpoint disabled (no success since the delivery was queued).
    EndpointDisabled,
    /// The lease no longer held it: another worker has it.
    LeaseLost,
}

/// When a failed delivery is tried again: the wait after each failed attempt, in order; after the
/// last, it is given up. Default: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (eight attempts over
/// about 28 hours: the schedule of Svix, whence Standard Webhooks came).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetrySchedule(Vec<Duration>);

impl RetrySchedule {
    pub const DEFAULT: &'static str = "5s,5m,30m,2h,5h,10h,10h";

    /// A comma-separated list of waits, each a whole number and a unit (`s`, `m`, `h`).
    pub fn parse(text: &str) -> Result<Self, String> {
        let waits = text
            .split(',')
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .map(|w| {
                let (number, unit) = w.split_at(w.len() - 1);
                let n: i64 = number.parse().map_err(|_| format!("{w} is not a number and a unit"))?;
                match unit {
                    "s" => Ok(Duration::seconds(n)),
                    "m" => Ok(Duration::minutes(n)),
                    "h" => Ok(Duration::hours(n)),
                    _ => Err(format!("{w}: the unit must be s, m or h")),
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        if waits.iter().any(|w| w.is_negative()) {
            return Err("a wait cannot be negative".into());
        }
        Ok(Self(waits))
    }

    /// The wait after `attempts` failed attempts, before the next; `None`: give up.
    pub fn after(&self, attempts: i64) -> Option<Duration> {
        let index = usize::try_from(attempts.checked_sub(1)?).ok()?;
        self.0.get(index).copied()
    }

    /// A wait stretched by `fraction` (0 to 1) of a fifth, so that the deliveries that failed
    /// together (a receiver down) are not all tried again in the same second.
    pub fn jittered(wait: Duration, fraction: f64) -> Duration {
        wait + wait * (fraction.clamp(0.0, 1.0) / 5.0)
    }
}

impl Default for RetrySchedule {
    fn default() -> Self {
        Self::parse(Self::DEFAULT).expect("the default schedule parses")
    }
}

/// Round numbers of confirmed signatures that are milestones, besides the campaign's goal.
pub const ROUND_MILESTONES: [i64; 5] = [100, 1_000, 10_000, 100_000, 1_000_000];

/// The milestones a count that went from `before` to `after` reached: each round number, and the
/// goal, in `(before, after]`, in order, once each (a goal of 1,000 is one milestone).
pub fn milestones_crossed(before: i64, after: i64, goal: Option<i64>) -> Vec<i64> {
    let mut reached: Vec<i64> = ROUND_MILESTONES
        .into_iter()
        .chain(goal.filter(|g| *g > 0))
        .filter(|m| before < *m && *m <= after)
        .collect();
    reached.sort_unstable();
    reached.dedup();
    reached
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_standard_webhooks_own_example() {
        // From the Standard Webhooks reference libraries' tests.
        let secret = STANDARD.decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let header = signature_header(
            &[&secret],
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            br#"{"test": 2432232314}"#,
        );
        assert_eq!(header, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        let two = signature_header(&[b"a", b"b"], "msg_1", 1, b"{}");
        assert_eq!(two.split(' ').count(), 2);
        assert!(two.split(' ').all(|s| s.starts_with("v1,")));
    }

    #[test]
    fn a_secret_is_shown_as_whsec_and_base64() {
        let secret = WebhookSecret::from_bytes([0; 32]);
        assert_eq!(secret.encoded(), "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        assert_ne!(WebhookSecret::generate(), WebhookSecret::generate());
        assert_eq!(format!("{secret:?}"), "WebhookSecret(..)");
    }

    #[test]
    fn private_addresses_in_every_form_are_forbidden() {
        for ip in [
            "127.0.0.1",
            "127.255.0.9",
            "0.0.0.0",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.254",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "::127.0.0.1",
            "64:ff9b::7f00:1",
            "2002:7f00:1::",
            "ff02::1",
        ] {
            assert!(is_forbidden_ip(ip.parse().unwrap()), "{ip} is allowed");
        }
        for ip in
            ["93.184.216.34", "172.32.0.1", "100.128.0.1", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8"]
        {
            assert!(!is_forbidden_ip(ip.parse().unwrap()), "{ip} is forbidden");
        }
    }

    #[test]
    fn an_endpoint_address_is_https_with_a_host_and_nothing_secret_in_it() {
        let url = WebhookUrl::parse("url", " https://Hooks.Example.org/in?x=1 ", false).unwrap();
        assert_eq!(url.as_str(), "https://hooks.example.org/in?x=1");
        assert_eq!(url.host(), &WebhookHost::Domain("hooks.example.org".into()));
        assert_eq!((url.port(), url.is_https()), (443, true));
        assert_eq!(url.path_and_query(), "/in?x=1");
        let ip = WebhookUrl::parse("url", "https://[::ffff:7f00:1]:8443/", false).unwrap();
        assert_eq!(ip.host(), &WebhookHost::Ip("::ffff:127.0.0.1".parse().unwrap()));
        assert_eq!(ip.authority(), "[::ffff:7f00:1]:8443");
        assert_eq!(url.authority(), "hooks.example.org");
        // The WHATWG forms of an IPv4 address are that address.
        let hex = WebhookUrl::parse("url", "https://0x7f.1/", false).unwrap();
        assert_eq!(hex.host(), &WebhookHost::Ip("127.0.0.1".parse().unwrap()));
        for bad in [
            "http://example.org/",
            "ftp://example.org/",
            "https://u:p@example.org/",
            "https://e.org/#x",
            "",
            "nope",
        ] {
            assert!(WebhookUrl::parse("url", bad, false).is_err(), "{bad}");
        }
        let plain = WebhookUrl::parse("url", "http://127.0.0.1:9000/hook", true).unwrap();
        assert_eq!((plain.port(), plain.is_https(), plain.host_name()), (9000, false, "127.0.0.1".into()));
    }

    #[test]
    fn the_retry_schedule_is_explicit_and_ends() {
        let schedule = RetrySchedule::default();
        assert_eq!(schedule.after(1), Some(Duration::seconds(5)));
        assert_eq!(schedule.after(2), Some(Duration::minutes(5)));
        assert_eq!(schedule.after(7), Some(Duration::hours(10)));
        assert_eq!(schedule.after(8), None);
        assert_eq!(schedule.after(0), None);
        assert_eq!(RetrySchedule::parse("1s, 2s").unwrap().after(2), Some(Duration::seconds(2)));
        assert!(RetrySchedule::parse("5x").is_err());
        assert!(RetrySchedule::parse("s").is_err());
        assert_eq!(RetrySchedule::jittered(Duration::seconds(10), 1.0), Duration::seconds(12));
    }

    #[test]
    fn milestones_are_round_numbers_and_the_goal_each_once() {
        assert_eq!(milestones_crossed(99, 100, None), [100]);
        assert_eq!(milestones_crossed(100, 101, None), Vec::<i64>::new());
        assert_eq!(milestones_crossed(90, 1_500, Some(500)), [100, 500, 1_000]);
        assert_eq!(milestones_crossed(999, 1_000, Some(1_000)), [1_000]);
        assert_eq!(milestones_crossed(5, 3, Some(4)), Vec::<i64>::new());
    }

    #[test]
    fn event_sets_keep_only_known_events() {
        let set = EventSet::of([WebhookEvent::SignatureConfirmed, WebhookEvent::CampaignMilestone]);
        assert_eq!(set.bits(), 17);
        assert_eq!(EventSet::from_bits(17 | 1024), set);
        assert!(set.contains(WebhookEvent::CampaignMilestone) && !set.contains(WebhookEvent::Test));
        assert_eq!(WebhookEvent::parse("webhook.test"), Some(WebhookEvent::Test));
        assert_eq!(set.events().count(), 2);
    }
}
