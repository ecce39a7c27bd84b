//! The outbox worker: takes queued mail from the database, has the web layer write it in the
//! recipient's language (`undersigned_web::mail::Composer`: what each mail says and where it
//! links), and sends it over SMTP (lettre, pooled connections), several at a time. Failures are retried with
//! a growing delay; the outbox lives in the database, so nothing is lost when the server restarts,
//! and leases keep two instances from sending the same mail.
//!
//! With no SMTP server configured, mail is written as `.eml` files under `DATA_DIR/mail` (named by
//! the mail's id, never reused, and written whole or not at all) and the link it asks its reader to
//! open is logged, so that a site run with nothing else installed still works.
//!
//! A relay that refuses everything (a password changed, a 5xx greeting) or says nothing is retried
//! for as long as it takes, with a capped back-off; only a mail refused for itself (its recipient
//! or its content) is given up. `undersigned mail retry` and the admin pages send those again.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration as StdDuration;

use anyhow::Context;
use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Body, Mailbox, MultiPart};
use time::Duration;
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;
use undersigned_core::Store;
use undersigned_core::keys::{Keys, ShortKey};
use undersigned_core::signature::Signature;
use undersigned_core::store::{MailKind, QueuedMail, micros, now};
use undersigned_web::mail::{ComposeError, ComposedMail, Composer};

use crate::smtp::{Failure, Relay, Scope};

/// Mails taken from the outbox at once, and sent concurrently. Batches go on side by side (as many
/// as `--smtp-connections` allows), so that while one waits for its slowest mail the others go on.
/// (Four batches of 16 kept pace better on SQLite but twice left PostgreSQL's mail stalled for
/// minutes in the benchmark, cause not found: `docs/benchmarks.md`.)
const BATCH: u32 = 32;
/// After this many failed attempts a mail is given up (and kept in the outbox with its error), unless
/// the relay as a whole failed: that is retried for as long as it takes.
const MAX_ATTEMPTS: i64 = 10;
/// The longest wait between two tries of a mail.
const MAX_RETRY_DELAY: StdDuration = StdDuration::from_secs(3600);
/// How many signers one turn of an update's batch job writes to.
const UPDATE_BATCH: u32 = 100;

/// `List-Unsubscribe` (RFC 2369): where a mail client unsubscribes its reader.
#[derive(Clone)]
struct ListUnsubscribe(String);

impl lettre::message::header::Header for ListUnsubscribe {
    fn name() -> lettre::message::header::HeaderName {
        lettre::message::header::HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.to_owned()))
    }

    fn display(&self) -> lettre::message::header::HeaderValue {
        lettre::message::header::HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `List-Unsubscribe-Post` (RFC 8058): the unsubscribe link takes one click, by POST.
#[derive(Clone)]
struct ListUnsubscribePost;

impl lettre::message::header::Header for ListUnsubscribePost {
    fn name() -> lettre::message::header::HeaderName {
        lettre::message::header::HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }

    fn display(&self) -> lettre::message::header::HeaderValue {
        lettre::message::header::HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_owned())
    }
}

pub enum Transport {
    Smtp(Relay),
    Files(PathBuf),
}

impl Transport {
    /// `timeout`: the longest one mail may take to send (connecting included).
    pub fn new(smtp_url: Option<&str>, data_dir: &Path, timeout: StdDuration) -> anyhow::Result<Self> {
        match smtp_url {
            Some(url) => Ok(Self::Smtp(Relay::from_url(url, timeout)?)),
            None => Ok(Self::Files(data_dir.join("mail"))),
        }
    }
}

/// Why a mail did not go out.
enum SendError {
    /// Worth trying again later (the database busy, a file that could not be written).
    Transient(String),
    /// Will never work (an address lettre cannot write, a template that failed).
    Permanent(String),
    /// What the SMTP relay answered, and to what.
    Smtp(Failure),
    /// Mail to the address failed for good before (a permanent SMTP failure): not tried.
    Undeliverable,
}

impl SendError {
    /// Its class, as `/metrics` counts it.
    fn class(&self) -> &'static str {
        match self {
            Self::Transient(_) => "transient",
            Self::Permanent(_) => "permanent",
            Self::Smtp(Failure { scope: Scope::Relay, .. }) => "relay",
            Self::Smtp(Failure { scope: Scope::Recipient, .. }) => "recipient",
            Self::Smtp(Failure { scope: Scope::Message, .. }) => "message",
            Self::Undeliverable => "undeliverable",
        }
    }

    /// Counted for `/metrics`: by the mail's kind, the failure's class, and whether it is tried again.
    fn count(&self, kind: MailKind, given_up: bool) {
        let outcome = if given_up { "given_up" } else { "retry" };
        metrics::counter!(
            crate::scrape::names::MAILS_FAILED,
            "kind" => kind.as_str(),
            "class" => self.class(),
            "outcome" => outcome
        )
        .increment(1);
    }

    /// What is logged and stored: never an SMTP server's text (it often holds the address).
    fn logged(&self) -> String {
        match self {
            Self::Transient(e) | Self::Permanent(e) => e.clone(),
            Self::Smtp(failure) => failure.to_string(),
            Self::Undeliverable => "undeliverable address (not sent)".to_owned(),
        }
    }
}

impl From<undersigned_core::StoreError> for SendError {
    fn from(e: undersigned_core::StoreError) -> Self {
        Self::Transient(e.to_string())
    }
}

impl From<ComposeError> for SendError {
    fn from(e: ComposeError) -> Self {
        match e {
            ComposeError::Store(e) => Self::Transient(e.to_string()),
            template @ (ComposeError::Template(_) | ComposeError::Document(_)) => {
                Self::Permanent(template.to_string())
            }
        }
    }
}

pub struct MailWorker {
    pub store: Arc<dyn Store>,
    /// What each mail says: the web layer's, beside the pages its links lead to.
    pub composer: Composer,
    /// For the keyed hash of an address mail cannot reach.
    pub keys: Arc<Keys>,
    pub from: Mailbox,
    pub transport: Transport,
    pub retry_base: StdDuration,
    pub wake: Arc<Notify>,
    /// Mails under way at once (`--smtp-connections`).
    pub concurrency: u32,
    /// How long a claimed mail is held before another worker may take it (a worker that died).
    pub lease: Duration,
    /// The relay failed as a whole, and that was logged (once, until it sends again).
    pub relay_down: AtomicBool,
}

/// A mail ready to go, and the link it asks its reader to open (logged when it is written to a
/// file; none for a mail that only informs).
struct Composed {
    message: Message,
    link: Option<String>,
    /// Its (one) recipient's canonical address and the key a permanent failure marks it by
    /// (`Keys::undeliverable_key`).
    recipient: Option<(String, ShortKey)>,
}

/// Which of a batch's recipients mail cannot reach (their keys), or why that could not be read.
type Unreachable = Result<HashSet<Vec<u8>>, String>;

impl MailWorker {
    /// Sends until `stop` turns true, waking when mail is queued and every few seconds (for mail
    /// queued by other instances, and retries), with enough batches under way at once to fill
    /// `concurrency`.
    pub async fn run(self: Arc<Self>, stop: watch::Receiver<bool>) {
        let mut senders = JoinSet::new();
        for _ in 0..self.concurrency.div_ceil(BATCH).max(1) {
            senders.spawn(self.clone().send_batches(stop.clone()));
        }
        senders.join_all().await;
    }

    /// Batch after batch while there is mail; asleep until woken otherwise. While the relay fails
    /// as a whole, one mail at a time is tried, every `retry_base`, and new mail does not wake it:
    /// with a crowd signing and the relay down, claiming, writing and failing every queued mail
    /// in turn kept a core busy for minutes (found by the benchmark with a relay that went away),
    /// and the server could not stop meanwhile.
    async fn send_batches(self: Arc<Self>, mut stop: watch::Receiver<bool>) {
        while !*stop.borrow() {
            let handled = self.tick().await;
            let relay_down = self.relay_down.load(Ordering::Relaxed);
            if handled > 0 && !relay_down {
                continue;
            }
            if relay_down {
                tokio::select! {
                    () = tokio::time::sleep(self.retry_base) => {}
                    _ = stop.changed() => {}
                }
            } else {
                tokio::select! {
                    () = self.wake.notified() => {}
                    () = tokio::time::sleep(StdDuration::from_secs(5)) => {}
                    _ = stop.changed() => {}
                }
            }
        }
    }

    /// Claims one batch and handles it; how many mails it held. While the relay is down, the
    /// batch is one mail: whether the relay is back is learnt from it alone.
    pub async fn tick(self: &Arc<Self>) -> usize {
        let size = if self.relay_down.load(Ordering::Relaxed) { 1 } else { BATCH.min(self.concurrency) };
        let mails = match self.store.claim_mail(now(), self.lease, size).await {
            Ok(mails) => mails,
            Err(e) => {
                tracing::warn!(error = %e, "the outbox could not be read");
                tokio::time::sleep(StdDuration::from_secs(1)).await;
                return 0;
            }
        };
        let count = mails.len();
        // The batch's signers in one query rather than one each.
        let signer_ids: Vec<i64> = mails
            .iter()
            .filter(|m| {
                matches!(
                    m.kind,
                    MailKind::ConfirmSignature | MailKind::AlreadySigned | MailKind::RemindSignature
                )
            })
            .map(|m| m.ref_id)
            .collect();
        let signers: Arc<HashMap<i64, Signature>> =
            Arc::new(match self.store.signatures(&signer_ids).await {
                Ok(signers) => signers.into_iter().map(|s| (s.id, s)).collect(),
                Err(_) => HashMap::new(), // each mail reads its own, below
            });
        // Each mail written first (CPU only: its campaign is kept for a second), then which of
        // their recipients mail cannot reach, in one read for the batch (a read a mail, on
        // SQLite a hand-over to its thread and back, was a third of the mail worker's CPU).
        let mut batch = Vec::with_capacity(count);
        let mut turns = Vec::new();
        for mail in mails {
            if mail.kind == MailKind::UpdateBatch {
                turns.push(mail);
                continue;
            }
            let composed = self.compose(&mail, signers.get(&mail.ref_id)).await;
            batch.push((mail, composed));
        }
        let unreachable = Arc::new(self.unreachable(batch.iter().map(|(_, c)| c)).await);
        let mut sending = JoinSet::new();
        for turn in turns {
            let worker = self.clone();
            sending.spawn(async move {
                worker.update_batch(turn).await;
                None
            });
        }
        for (mail, composed) in batch {
            let worker = self.clone();
            let unreachable = unreachable.clone();
            sending.spawn(async move { worker.deliver(mail, composed, &unreachable).await });
        }
        // What went out leaves the outbox in one write for the whole batch.
        let mut done = Vec::with_capacity(count);
        while let Some(result) = sending.join_next().await {
            if let Ok(Some(mail)) = result {
                done.push(mail);
            }
        }
        if let Err(e) = self.store.mails_done(&done).await {
            tracing::warn!(error = %e, "the outbox could not be updated; the mails may go out twice");
        }
        count
    }

    /// One turn of an update's batch job: the next signers who asked for news, written to
    /// concurrently; a mail that fails is queued on its own, to be retried like any other.
    async fn update_batch(self: &Arc<Self>, job: QueuedMail) {
        let outcome = async {
            let Some(update) = self.store.update(job.ref_id).await? else {
                return self.store.mail_done(&job).await.map(drop);
            };
            let signers =
                self.store.opted_in(update.campaign_id, job.cursor.unwrap_or(0), UPDATE_BATCH).await?;
            let Some(last) = signers.last().map(|s| s.id) else {
                return self.store.mail_done(&job).await.map(drop);
            };
            let mut batch = Vec::with_capacity(signers.len());
            for signer in signers {
                let one = QueuedMail {
                    id: 0,
                    kind: MailKind::UpdateOne,
                    ref_id: signer.id,
                    attempts: 1,
                    cursor: Some(update.id),
                    ..job
                };
                let composed = self.compose(&one, None).await;
                batch.push((signer.id, composed));
            }
            let unreachable = Arc::new(self.unreachable(batch.iter().map(|(_, c)| c)).await);
            let mut sending = JoinSet::new();
            for (signer, composed) in batch {
                let worker = self.clone();
                let unreachable = unreachable.clone();
                let update_id = update.id;
                sending.spawn(async move {
                    // One file per signer and job: a turn taken again writes none twice.
                    let name = format!("{}-{}-{}", micros(job.created_at), job.id, signer);
                    let sent = match composed {
                        Ok(Some(composed)) => worker
                            .send_checked(composed, &name, job.id, &unreachable)
                            .await
                            .map(|()| sent(MailKind::UpdateOne)),
                        Ok(None) => Ok(()),
                        Err(e) => Err(e),
                    };
                    if let Err(e) = sent {
                        e.count(MailKind::UpdateOne, false);
                        tracing::info!(signature = signer, error = %e.logged(), "an update mail failed; queued on its own");
                        let _ = worker.store.queue_mail(MailKind::UpdateOne, signer, Some(update_id), now()).await;
                    }
                });
            }
            while sending.join_next().await.is_some() {}
            self.store.mail_progress(&job, last, now()).await
        };
        if let Err(e) = outcome.await {
            tracing::warn!(job = job.id, error = %e, "an update's batch failed; it is taken up again after its lease");
        }
    }

    /// Sends one mail, as composed; the mail when it is done with.
    async fn deliver(
        self: &Arc<Self>,
        mail: QueuedMail,
        composed: Result<Option<Composed>, SendError>,
        unreachable: &Unreachable,
    ) -> Option<QueuedMail> {
        let result = match composed {
            Ok(None) => Ok(()),
            Ok(Some(composed)) => self
                .send_checked(
                    composed,
                    &format!("{}-{}", micros(mail.created_at), mail.id),
                    mail.id,
                    unreachable,
                )
                .await
                .map(|()| sent(mail.kind)),
            Err(e) => Err(e),
        };
        match &result {
            Err(SendError::Smtp(failure)) if failure.scope == Scope::Relay => self.relay_failed(failure),
            Err(SendError::Smtp(_)) | Ok(()) if matches!(self.transport, Transport::Smtp(_)) => {
                self.relay_works()
            }
            _ => {}
        }
        let error = match result {
            Ok(()) => return Some(mail),
            Err(e) => e,
        };
        let logged = error.logged();
        let retry_in = |attempts: i64| {
            self.retry_base.saturating_mul(1 << (attempts - 1).clamp(0, 16)).min(MAX_RETRY_DELAY)
        };
        let given_up = match &error {
            SendError::Smtp(failure) if failure.scope == Scope::Relay => false,
            SendError::Permanent(_)
            | SendError::Undeliverable
            | SendError::Smtp(Failure { permanent: true, .. }) => true,
            _ => mail.attempts >= MAX_ATTEMPTS,
        };
        error.count(mail.kind, given_up);
        let outcome = match error {
            SendError::Smtp(failure) if failure.scope == Scope::Relay => {
                // Not this mail's fault: tried again for as long as it takes.
                let delay = retry_in(mail.attempts);
                tracing::info!(mail = mail.id, error = %logged, retry_in = ?delay, "the relay failed; the mail will be tried again");
                self.store.mail_failed(&mail, &logged, Some(now() + delay)).await
            }
            SendError::Permanent(_)
            | SendError::Undeliverable
            | SendError::Smtp(Failure { permanent: true, .. }) => {
                tracing::warn!(mail = mail.id, kind = mail.kind.as_str(), error = %logged, "a mail could not be sent and was given up");
                self.store.mail_failed(&mail, &logged, None).await
            }
            _ if mail.attempts >= MAX_ATTEMPTS => {
                tracing::warn!(mail = mail.id, kind = mail.kind.as_str(), error = %logged, "a mail failed too often and was given up");
                self.store.mail_failed(&mail, &logged, None).await
            }
            _ => {
                let delay = retry_in(mail.attempts);
                tracing::info!(mail = mail.id, error = %logged, retry_in = ?delay, "a mail will be tried again");
                self.store.mail_failed(&mail, &logged, Some(now() + delay)).await
            }
        };
        if let Err(e) = outcome {
            tracing::warn!(mail = mail.id, error = %e, "the outbox could not be updated");
        }
        None
    }

    /// Said loudly once, when the relay starts failing as a whole.
    fn relay_failed(&self, failure: &Failure) {
        if !self.relay_down.swap(true, Ordering::Relaxed) {
            tracing::error!(
                error = %failure,
                "the SMTP relay refuses or does not answer: no mail goes out until it does (it is tried \
                 again and again; check --smtp-url, its password and the relay)"
            );
        }
    }

    fn relay_works(&self) {
        if self.relay_down.swap(false, Ordering::Relaxed) {
            tracing::warn!("the SMTP relay accepts mail again");
        }
    }

    /// Sends a mail (as [`Self::send`]) unless its address failed for good before; marks the
    /// address so when the relay refuses it for good now (a 5xx to RCPT TO or to the message,
    /// `outbox_id` being the mail that failed), so that no mail of any kind goes to it again.
    /// Temporary failures (4xx) are retried as any other.
    async fn send_checked(
        &self,
        composed: Composed,
        name: &str,
        outbox_id: i64,
        unreachable: &Unreachable,
    ) -> Result<(), SendError> {
        let Some((canonical, key)) = composed.recipient.clone() else {
            return self.send(composed, name).await;
        };
        match unreachable {
            Ok(keys) if keys.contains(key.as_slice()) => return Err(SendError::Undeliverable),
            Ok(_) => {}
            Err(e) => return Err(SendError::Transient(e.clone())),
        }
        let sent = self.send(composed, name).await;
        if let Err(SendError::Smtp(failure)) = &sent
            && failure.permanent
            && failure.code.is_some()
            && matches!(failure.scope, Scope::Recipient | Scope::Message)
        {
            // Its signatures too (their keys are per campaign), for the dashboards' count.
            let keys: Vec<Vec<u8>> = self
                .store
                .campaign_ids()
                .await?
                .into_iter()
                .map(|c| self.keys.email_key(c, &canonical).to_vec())
                .collect();
            self.store.mark_undeliverable(key.as_slice(), outbox_id, &keys, now()).await?;
            tracing::info!(mail = outbox_id, error = %failure, "the address was refused for good: no mail goes to it again");
        }
        sent
    }

    /// Sends a mail, or writes it to the file `name`.eml: written whole (to a temporary file,
    /// flushed, then linked to its name) or not at all, never over another file. A file that is
    /// there already is this very mail, written before (its lease ran out meanwhile).
    async fn send(&self, composed: Composed, name: &str) -> Result<(), SendError> {
        let dir = match &self.transport {
            Transport::Smtp(relay) => {
                let envelope = composed.message.envelope().clone();
                return relay.send(&envelope, &composed.message.formatted()).await.map_err(SendError::Smtp);
            }
            Transport::Files(dir) => dir.clone(),
        };
        let path = dir.join(format!("{name}.eml"));
        let bytes = composed.message.formatted();
        let target = path.clone();
        let written = tokio::task::spawn_blocking(move || -> std::io::Result<bool> {
            use std::io::Write;
            std::fs::create_dir_all(&dir)?;
            let mut file = tempfile::Builder::new().prefix(".writing-").tempfile_in(&dir)?;
            file.write_all(&bytes)?;
            file.as_file().sync_all()?;
            match file.persist_noclobber(&target) {
                Ok(_) => Ok(true),
                Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
                Err(e) => Err(e.error),
            }
        })
        .await
        .map_err(|e| SendError::Transient(format!("writing the mail: {e}")))?
        .map_err(|e| SendError::Transient(format!("writing {}: {}", path.display(), e.kind())))?;
        if written {
            tracing::info!(
                path = %path.display(),
                link = composed.link.as_deref().map(tracing::field::display),
                "no SMTP server is configured (--smtp-url): the mail was written to a file"
            );
        }
        Ok(())
    }

    /// The mail a queued entry stands for, as lettre sends it; `None` when it is moot.
    async fn compose(
        &self,
        mail: &QueuedMail,
        signer: Option<&Signature>,
    ) -> Result<Option<Composed>, SendError> {
        let Some(mail) = self.composer.compose(mail, signer).await? else { return Ok(None) };
        let link = mail.link.clone();
        let message = self.message(mail)?;
        let recipient = canonical_recipient(&message).map(|canonical| {
            let key = self.keys.undeliverable_key(&canonical);
            (canonical, key)
        });
        Ok(Some(Composed { message, link, recipient }))
    }

    /// Which of these mails' recipients mail failed to reach for good, in one read.
    async fn unreachable<'a>(
        &self,
        composed: impl Iterator<Item = &'a Result<Option<Composed>, SendError>>,
    ) -> Unreachable {
        let keys: Vec<&[u8]> = composed
            .filter_map(|c| c.as_ref().ok()?.as_ref()?.recipient.as_ref())
            .map(|(_, key)| key.as_slice())
            .collect();
        match self.store.undeliverable(&keys).await {
            Ok(marked) => Ok(marked.into_iter().collect()),
            Err(e) => Err(e.to_string()),
        }
    }

    fn message(&self, mail: ComposedMail) -> Result<Message, SendError> {
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(mailbox(&mail.to_name, &mail.to_email)?)
            .subject(mail.subject);
        if let Some(unsubscribe) = mail.unsubscribe {
            builder = builder.header(ListUnsubscribe(format!("<{unsubscribe}>"))).header(ListUnsubscribePost);
        }
        // Copies (the delivery's, to the organisers) as Bcc: in the envelope, not in the message.
        for (name, email) in &mail.copies {
            builder = builder.bcc(mailbox(name, email)?);
        }
        if let Some((name, email)) = &mail.reply_to {
            builder = builder.reply_to(mailbox(name, email)?);
        }
        let eight_bit = matches!(&self.transport, Transport::Smtp(relay) if relay.takes_8bit());
        let body = |text: String| match eight_bit.then(|| eight_bit_body(&text)).flatten() {
            Some(body) => body,
            None => Body::new(text),
        };
        let text = MultiPart::alternative_plain_html(body(mail.text), body(mail.html));
        let built = if mail.attachments.is_empty() {
            builder.multipart(text)
        } else {
            let mut mixed = MultiPart::mixed().multipart(text);
            for a in mail.attachments {
                let kind = ContentType::parse(a.content_type)
                    .map_err(|e| SendError::Permanent(format!("an attachment's type: {e}")))?;
                mixed = mixed.singlepart(Attachment::new(a.filename).body(Body::new(a.bytes), kind));
            }
            builder.multipart(mixed)
        };
        built.map_err(|e| SendError::Permanent(format!("building the message: {e}")))
    }
}

/// A mail of `kind` went out: counted for `/metrics` (by kind only: never its recipient).
fn sent(kind: MailKind) {
    metrics::counter!(crate::scrape::names::MAILS_SENT, "kind" => kind.as_str()).increment(1);
}

/// A body of UTF-8 text as it is (`Content-Transfer-Encoding: 8bit`, RFC 6152), for a relay that
/// takes 8-bit text: lines end in CRLF and none is longer than RFC 5322's 998 octets; `None` for
/// a text that cannot be sent so (a longer line, a NUL or a bare CR), which lettre then encodes.
///
/// lettre's own choice (`Body::new`) makes every line of 76 characters or more quoted-printable
/// or base64, as for a relay that takes 7 bits only: our mails' links and HTML lines are longer, so
/// every mail was quoted-printable, which tripled each CJK character and was, with lettre's
/// line-ending conversion, the largest share of the mail worker's work (callgrind, session 11).
fn eight_bit_body(text: &str) -> Option<Body> {
    // Our templates write lines ending in LF alone, and what signers type has no control
    // characters (validation): a CR or a NUL anywhere is left to lettre.
    if memchr::memchr2(b'\r', b'\0', text.as_bytes()).is_some() {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() + text.len() / 16);
    let mut lines = text.split('\n').peekable();
    while let Some(line) = lines.next() {
        if line.len() > 998 {
            return None;
        }
        out.extend_from_slice(line.as_bytes());
        if lines.peek().is_some() {
            out.extend_from_slice(b"\r\n");
        }
    }
    Some(Body::dangerous_pre_encoded(out, lettre::message::header::ContentTransferEncoding::EightBit))
}

/// The recipient. Names were checked for control characters when they were typed, and lettre
/// encodes what a header needs, so no field can inject a header.
fn mailbox(name: &str, email: &str) -> Result<Mailbox, SendError> {
    let address =
        email.parse().map_err(|e| SendError::Permanent(format!("the address cannot be written: {e}")))?;
    // No display name where the name is not known (sealed to the campaign's owners).
    Ok(Mailbox::new((!name.is_empty()).then(|| name.to_owned()), address))
}

/// The canonical form of a mail's (one) recipient, as signatures key it.
fn canonical_recipient(message: &Message) -> Option<String> {
    let to = message.envelope().to().first()?;
    Some(undersigned_core::Email::parse("to", to.as_ref()).ok()?.canonical())
}

/// The sender: the configured mailbox, or `Undersigned <noreply@HOST>` for the base URL's host.
pub fn sender(configured: Option<&str>, base_url: &str) -> anyhow::Result<Mailbox> {
    if let Some(from) = configured {
        return from.parse().with_context(|| format!("--mail-from is not a mailbox: {from}"));
    }
    let host =
        base_url.split("://").nth(1).unwrap_or("localhost").split(['/', ':']).next().unwrap_or("localhost");
    let host =
        if host.parse::<std::net::IpAddr>().is_ok() || !host.contains('.') { "localhost" } else { host };
    format!("Undersigned <noreply@{host}>").parse().context("the default sender")
}
