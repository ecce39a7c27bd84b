//! The queue in front of a backend's group commit: each request hands its signature (or its
//! confirmation) to one writer task and waits for the answer, which comes only after the COMMIT
//! that holds it. The writer (one per dialect, in its module) takes every write waiting, up to
//! [`GROUP`], into one transaction: a crowd shares its fsyncs instead of paying one each.
//!
//! What it does is counted for `/metrics` ([`Counted`], [`BatchMetrics`]): each signature's and
//! confirmation's outcome and wait, each batch's size and transaction time. The handles are
//! registered once, so that a signature costs an atomic add or two (nothing with no recorder).

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, oneshot};

use time::OffsetDateTime;

use undersigned_core::data_key::DataKey;
use undersigned_core::signature::{Confirmation, MailBudget, SignOutcome, SignatureRecord};
use undersigned_core::store::{StoreError, StoreResult};

use undersigned_core::private_fields::PrivateFields;

use crate::sealed::{SIGNATURE_EMAIL, SIGNATURE_IP, private_digest, seal_email, seal_ip};

/// The most signatures one transaction holds.
pub const GROUP: usize = 1_000;

/// Signatures that may wait for the writer before a request waits to hand its own over.
const QUEUE: usize = 10_000;

/// A signature waiting for the group commit, and where its outcome goes once committed.
pub struct SignJob {
    pub record: SignatureRecord,
    pub budget: MailBudget,
    /// The address and the IP hash as stored: sealed under the data key (`crate::sealed`) by the
    /// request's task as it hands the signature over, so that the one writer does none of it.
    pub email: String,
    pub ip_key: Option<Vec<u8>>,
    /// The name in its public form (empty when hidden), and the private fields' keyed digest
    /// (`crate::sealed::private_digest`).
    pub name: String,
    pub private_digest: Option<Vec<u8>>,
    /// The private fields in clear, in memory only: the writer seals them, one header per batch
    /// and campaign (`crate::owner_sealing`), into `private` and `private_key_ids`, and forgets
    /// them. No clear city, affiliation, comment or hidden name goes to the database.
    pub fields: PrivateFields,
    pub private: Option<String>,
    pub private_key_ids: Option<String>,
    reply: oneshot::Sender<StoreResult<SignOutcome>>,
}

/// A confirmation waiting for the group commit.
pub struct ConfirmJob {
    pub id: i64,
    /// Confirm only this revision (as shown to the signer); `None`: whatever is pending.
    pub revision: Option<i64>,
    pub now: OffsetDateTime,
    reply: oneshot::Sender<StoreResult<Confirmation>>,
}

/// What the writer is handed.
pub enum Job {
    Sign(Box<SignJob>),
    Confirm(ConfirmJob),
}

/// The requests' end of the queue.
#[derive(Clone)]
pub struct SigningQueue(mpsc::Sender<Job>, Arc<WriteHealth>, Arc<DataKey>, Arc<Counted>);

/// The queue (whose signatures are sealed under `data_key`), and the receiving end for the
/// writer task.
pub fn queue(data_key: Arc<DataKey>) -> (SigningQueue, mpsc::Receiver<Job>) {
    let (sender, receiver) = mpsc::channel(QUEUE);
    (SigningQueue(sender, Arc::default(), data_key, Arc::new(Counted::new())), receiver)
}

/// The metrics' names (documented in docs/operating.md, "Metrics").
pub mod names {
    pub const SIGNATURES: &str = "undersigned_signatures_total";
    pub const CONFIRMATIONS: &str = "undersigned_confirmations_total";
    pub const WAIT: &str = "undersigned_group_commit_wait_seconds";
    pub const BATCH_SIZE: &str = "undersigned_group_commit_batch_size";
    pub const TRANSACTION: &str = "undersigned_group_commit_transaction_seconds";
}

/// The outcome of each signature and confirmation the queue answered, and how long each waited
/// for its COMMIT. Labels name outcomes only: nothing about the campaign or the signer.
struct Counted {
    created: metrics::Counter,
    pending_again: metrics::Counter,
    already_confirmed: metrics::Counter,
    sign_failed: metrics::Counter,
    confirmed: metrics::Counter,
    confirmed_before: metrics::Counter,
    changed: metrics::Counter,
    not_found: metrics::Counter,
    confirm_failed: metrics::Counter,
    sign_wait: metrics::Histogram,
    confirm_wait: metrics::Histogram,
}

impl Counted {
    fn new() -> Self {
        use names::{CONFIRMATIONS, SIGNATURES, WAIT};
        Self {
            created: metrics::counter!(SIGNATURES, "outcome" => "created"),
            pending_again: metrics::counter!(SIGNATURES, "outcome" => "pending_again"),
            already_confirmed: metrics::counter!(SIGNATURES, "outcome" => "already_confirmed"),
            sign_failed: metrics::counter!(SIGNATURES, "outcome" => "failed"),
            confirmed: metrics::counter!(CONFIRMATIONS, "outcome" => "confirmed"),
            confirmed_before: metrics::counter!(CONFIRMATIONS, "outcome" => "already_confirmed"),
            changed: metrics::counter!(CONFIRMATIONS, "outcome" => "changed"),
            not_found: metrics::counter!(CONFIRMATIONS, "outcome" => "not_found"),
            confirm_failed: metrics::counter!(CONFIRMATIONS, "outcome" => "failed"),
            sign_wait: metrics::histogram!(WAIT, "kind" => "sign"),
            confirm_wait: metrics::histogram!(WAIT, "kind" => "confirm"),
        }
    }

    fn signed(&self, outcome: &StoreResult<SignOutcome>, waited: Duration) {
        self.sign_wait.record(waited);
        match outcome {
            Ok(SignOutcome::Created { .. }) => &self.created,
            Ok(SignOutcome::StillPending { .. }) => &self.pending_again,
            Ok(SignOutcome::AlreadyConfirmed { .. }) => &self.already_confirmed,
            Err(_) => &self.sign_failed,
        }
        .increment(1);
    }

    fn confirmed(&self, outcome: &StoreResult<Confirmation>, waited: Duration) {
        self.confirm_wait.record(waited);
        match outcome {
            Ok(Confirmation::Confirmed { .. }) => &self.confirmed,
            Ok(Confirmation::AlreadyConfirmed) => &self.confirmed_before,
            Ok(Confirmation::Changed) => &self.changed,
            Ok(Confirmation::NotFound) => &self.not_found,
            Err(_) => &self.confirm_failed,
        }
        .increment(1);
    }
}

/// A writer's batches, for `/metrics`: how many signatures and confirmations each held, and how
/// long its transaction took (sealing, statements and COMMIT). Made once by each writer task.
pub struct BatchMetrics {
    signs: metrics::Histogram,
    confirms: metrics::Histogram,
    transaction: metrics::Histogram,
}

impl Default for BatchMetrics {
    fn default() -> Self {
        use names::{BATCH_SIZE, TRANSACTION};
        Self {
            signs: metrics::histogram!(BATCH_SIZE, "kind" => "sign"),
            confirms: metrics::histogram!(BATCH_SIZE, "kind" => "confirm"),
            transaction: metrics::histogram!(TRANSACTION),
        }
    }
}

impl BatchMetrics {
    /// A transaction that held `signs` signatures and `confirms` confirmations (an empty kind is
    /// not counted as a batch of it), begun at `started`.
    pub fn written(&self, signs: usize, confirms: usize, started: Instant) {
        if signs > 0 {
            self.signs.record(signs as f64);
        }
        if confirms > 0 {
            self.confirms.record(confirms as f64);
        }
        self.transaction.record(started.elapsed());
    }
}

/// When the database last refused the writer's batch for want of room or of itself (a full disk,
/// an I/O error, a server away), as long as no batch has been written since. A database can refuse
/// signatures (new rows want new room) and still take `/healthz`'s heartbeat (one row rewritten in
/// place), so the heartbeat reports this too: unhealthy until a batch is written again, for a
/// minute at most (so that a site with no signers for a while is not kept out of its load
/// balancer's rotation by an old failure).
#[derive(Default)]
pub struct WriteHealth(std::sync::Mutex<Option<Instant>>);

impl WriteHealth {
    const WINDOW: Duration = Duration::from_secs(60);

    /// Notes how a batch went.
    pub fn record<T>(&self, written: &StoreResult<T>) {
        let mut refused = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match written {
            Ok(_) => *refused = None,
            Err(StoreError::Unavailable(_)) => *refused = Some(Instant::now()),
            Err(_) => {}
        }
    }

    /// An error while the last batch was refused and none has been written since.
    pub fn check(&self) -> StoreResult<()> {
        let refused = *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match refused {
            Some(at) if at.elapsed() < Self::WINDOW => Err(StoreError::Unavailable(format!(
                "the database refused a write {} s ago and none has been written since",
                at.elapsed().as_secs()
            ))),
            _ => Ok(()),
        }
    }
}

impl SigningQueue {
    /// Hands the signature over and waits until it is committed (or failed).
    pub async fn sign(&self, record: &SignatureRecord, budget: MailBudget) -> StoreResult<SignOutcome> {
        let (key, row) = (&*self.2, &record.email_key[..]);
        let email = seal_email(key, SIGNATURE_EMAIL, row, record.signer.email.as_str());
        let ip_key = record.ip_key.map(|ip| seal_ip(key, SIGNATURE_IP, row, &ip));
        let signer = &record.signer;
        let name = signer.display.public_name(&signer.name).unwrap_or_default();
        let fields = PrivateFields::of_signature(signer);
        let private_digest = private_digest(key, row, &fields);
        let handed = Instant::now();
        let outcome = self
            .hand_over(|reply| {
                Job::Sign(Box::new(SignJob {
                    record: record.clone(),
                    budget,
                    email,
                    ip_key,
                    name,
                    private_digest,
                    fields,
                    private: None,
                    private_key_ids: None,
                    reply,
                }))
            })
            .await;
        self.3.signed(&outcome, handed.elapsed());
        outcome
    }

    /// Hands a confirmation over and waits until it is committed (or failed).
    pub async fn confirm(
        &self,
        id: i64,
        revision: Option<i64>,
        now: OffsetDateTime,
    ) -> StoreResult<Confirmation> {
        let handed = Instant::now();
        let outcome = self.hand_over(|reply| Job::Confirm(ConfirmJob { id, revision, now, reply })).await;
        self.3.confirmed(&outcome, handed.elapsed());
        outcome
    }

    /// Jobs handed over and not yet taken by the writer (for `/metrics`).
    pub fn waiting(&self) -> usize {
        self.0.max_capacity() - self.0.capacity()
    }

    /// Whether the writer task is still there to take signatures.
    pub fn is_running(&self) -> bool {
        !self.0.is_closed()
    }

    /// How the writer's last batches went (see [`WriteHealth`]).
    pub fn health(&self) -> Arc<WriteHealth> {
        self.1.clone()
    }

    async fn hand_over<T>(&self, job: impl FnOnce(oneshot::Sender<StoreResult<T>>) -> Job) -> StoreResult<T> {
        let stopped = || StoreError::Database("the signing writer has stopped".into());
        let (reply, answer) = oneshot::channel();
        self.0.send(job(reply)).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

/// The next batch to write, split by kind: the signatures held back from the last batch first,
/// then the jobs waiting, up to [`GROUP`] (waiting for one only when none was held back). A batch
/// holds each address once: a later signature from an address already in it is held back for the
/// next, and so is one with another mail budget window than the batch's first (so that a writer
/// can write the batch, new and known addresses alike, with one statement: PostgreSQL refuses an
/// upsert that meets a row twice, and the window is one parameter). `None` once the queue is
/// closed and nothing is held back.
pub async fn next_batch(
    jobs: &mut mpsc::Receiver<Job>,
    held: &mut Vec<SignJob>,
) -> Option<(Vec<SignJob>, Vec<ConfirmJob>)> {
    let mut taken = Vec::new();
    if held.is_empty() {
        if jobs.recv_many(&mut taken, GROUP).await == 0 {
            return None;
        }
    } else {
        while held.len() + taken.len() < GROUP {
            let Ok(job) = jobs.try_recv() else { break };
            taken.push(job);
        }
    }
    let (signs, confirms) = split(&mut taken);
    let mut batch = Vec::with_capacity(held.len() + signs.len());
    let mut addresses = std::collections::HashSet::with_capacity(batch.capacity());
    let waiting: Vec<SignJob> = held.drain(..).chain(signs).collect();
    let window = waiting.first().map(|job| job.budget.window);
    for job in waiting {
        if Some(job.budget.window) == window && addresses.insert(job.record.email_key) {
            batch.push(job);
        } else {
            held.push(job);
        }
    }
    Some((batch, confirms))
}

/// A batch taken from the queue, split by kind (each kind is written with statements of its own).
pub fn split(jobs: &mut Vec<Job>) -> (Vec<SignJob>, Vec<ConfirmJob>) {
    let (mut signs, mut confirms) = (Vec::new(), Vec::new());
    for job in jobs.drain(..) {
        match job {
            Job::Sign(job) => signs.push(*job),
            Job::Confirm(job) => confirms.push(job),
        }
    }
    (signs, confirms)
}

/// The outcome of each confirmation of a batch: `confirmed` are the ids the batch's UPDATE turned
/// from pending to confirmed (with each one's entry in its campaign's log), `existing` those that
/// exist at all, `pending` those still pending
/// after it (a revision that was replaced). A signature confirmed twice in one batch is confirmed
/// by the first and "already confirmed" for the second.
pub fn confirmations(
    confirms: &[ConfirmJob],
    mut confirmed: std::collections::HashMap<i64, Option<u64>>,
    existing: &std::collections::HashSet<i64>,
    pending: &std::collections::HashSet<i64>,
) -> Vec<StoreResult<Confirmation>> {
    confirms
        .iter()
        .map(|job| {
            Ok(if let Some(leaf) = confirmed.remove(&job.id) {
                Confirmation::Confirmed { leaf }
            } else if pending.contains(&job.id) {
                Confirmation::Changed
            } else if existing.contains(&job.id) {
                Confirmation::AlreadyConfirmed
            } else {
                Confirmation::NotFound
            })
        })
        .collect()
}

/// A job that is answered once its batch is written.
pub trait Answered {
    type Outcome;
    fn answer(self, outcome: StoreResult<Self::Outcome>);
}

impl Answered for SignJob {
    type Outcome = SignOutcome;
    fn answer(self, outcome: StoreResult<SignOutcome>) {
        let _ = self.reply.send(outcome);
    }
}

impl Answered for ConfirmJob {
    type Outcome = Confirmation;
    fn answer(self, outcome: StoreResult<Confirmation>) {
        let _ = self.reply.send(outcome);
    }
}

/// Answers every job of a batch with its outcome, in order; a job without one failed.
pub fn answer<J: Answered>(batch: &mut Vec<J>, outcomes: Vec<StoreResult<J::Outcome>>) {
    let mut outcomes = outcomes.into_iter();
    for job in batch.drain(..) {
        job.answer(outcomes.next().unwrap_or_else(|| Err(StoreError::Database("not written".into()))));
    }
}
