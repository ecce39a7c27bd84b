//! The queue in front of a backend's group commit: each request hands its signature to one writer
//! task and waits for the answer, which comes only after the COMMIT that holds it. The writer
//! (one per backend, in its crate) takes every signature waiting, up to [`GROUP`], into one
//! transaction: a crowd shares its fsyncs instead of paying one each.

use tokio::sync::{mpsc, oneshot};

use crate::signature::{MailBudget, SignOutcome};
use crate::store::{SignatureRecord, StoreError, StoreResult};

/// The most signatures one transaction holds.
pub const GROUP: usize = 1_000;

/// Signatures that may wait for the writer before a request waits to hand its own over.
const QUEUE: usize = 10_000;

/// A signature waiting for the group commit, and where its outcome goes once committed.
pub struct SignJob {
    pub record: SignatureRecord,
    pub budget: MailBudget,
    reply: oneshot::Sender<StoreResult<SignOutcome>>,
}

/// The requests' end of the queue.
#[derive(Clone)]
pub struct SigningQueue(mpsc::Sender<SignJob>);

/// The queue, and the receiving end for the writer task.
pub fn queue() -> (SigningQueue, mpsc::Receiver<SignJob>) {
    let (sender, receiver) = mpsc::channel(QUEUE);
    (SigningQueue(sender), receiver)
}

impl SigningQueue {
    /// Hands the signature over and waits until it is committed (or failed).
    pub async fn sign(&self, record: &SignatureRecord, budget: MailBudget) -> StoreResult<SignOutcome> {
        let stopped = || StoreError::Database("the signing writer has stopped".into());
        let (reply, answer) = oneshot::channel();
        self.0.send(SignJob { record: record.clone(), budget, reply }).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

/// Answers every job of a batch with its outcome, in order; a job without one failed.
pub fn answer(batch: &mut Vec<SignJob>, outcomes: Vec<StoreResult<SignOutcome>>) {
    let mut outcomes = outcomes.into_iter();
    for job in batch.drain(..) {
        let outcome = outcomes.next().unwrap_or_else(|| Err(StoreError::Database("not written".into())));
        let _ = job.reply.send(outcome);
    }
}
