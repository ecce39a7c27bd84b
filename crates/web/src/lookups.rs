//! Requests whose answer must not tell whether an address is known (a manage link, a password
//! reset): the handler only hands the request over and answers at once, the same way and in the
//! same time for every address; a background task looks the address up and queues the mail, within
//! the address's mail budget. It does so after a random delay, so that the work a known address
//! causes does not slow the requests right after it (which would be an oracle too). Measured
//! before: answering after the lookup made `/c/{slug}/manage` about 1 ms slower for an address that
//! signed (it queued a mail), which eight requests could tell.

use std::sync::Arc;
use std::time::Duration;

use rand::Rng;
use tokio::sync::{Notify, mpsc};
use tokio::time::Instant;
use undersigned_core::keys::Keys;
use undersigned_core::signature::MailBudget;
use undersigned_core::store::{MailKind, StoreResult, now};
use undersigned_core::{CampaignId, Email, Store};

/// Requests that may wait before a new one is dropped (with a warning in the log).
const QUEUE: usize = 4_096;

/// Lookups done at once (each waits for the database).
const AT_ONCE: usize = 8;

/// A lookup is done this long after its request, at random.
const DELAY: std::ops::Range<Duration> = Duration::from_millis(100)..Duration::from_millis(600);

/// A request for a mail to an address that may or may not be known.
#[derive(Debug)]
pub enum Lookup {
    /// "Manage my signature": a link, if the address signed the campaign.
    ManageLink { campaign: CampaignId, email: Email },
    /// "Forgot my password": a link, if the address has an account.
    PasswordReset { email: Email },
}

/// Where handlers hand lookups over.
#[derive(Clone)]
pub struct Lookups(Option<mpsc::Sender<(Instant, Lookup)>>);

/// What the background task needs.
pub struct LookupWorker {
    pub store: Arc<dyn Store>,
    pub keys: Arc<Keys>,
    pub budget: MailBudget,
    pub mail_queued: Arc<Notify>,
}

impl Lookups {
    /// Starts the background task (on the current Tokio runtime; without one, lookups are dropped).
    pub fn start(worker: LookupWorker) -> Self {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return Self(None) };
        let (sender, receiver) = mpsc::channel(QUEUE);
        runtime.spawn(worker.run(receiver));
        Self(Some(sender))
    }

    /// Hands a lookup over without waiting for it.
    pub fn submit(&self, lookup: Lookup) {
        let due = Instant::now() + rand::thread_rng().gen_range(DELAY);
        let sent = self.0.as_ref().map(|sender| sender.try_send((due, lookup)));
        if !matches!(sent, Some(Ok(()))) {
            tracing::warn!("too many address lookups waiting: one was dropped");
        }
    }
}

impl LookupWorker {
    async fn run(self, mut lookups: mpsc::Receiver<(Instant, Lookup)>) {
        let worker = Arc::new(self);
        let running = Arc::new(tokio::sync::Semaphore::new(AT_ONCE));
        while let Some((due, lookup)) = lookups.recv().await {
            tokio::time::sleep_until(due).await;
            let Ok(permit) = running.clone().acquire_owned().await else { return };
            let worker = worker.clone();
            tokio::spawn(async move {
                match worker.handle(&lookup).await {
                    Ok(true) => worker.mail_queued.notify_one(),
                    Ok(false) => {}
                    Err(e) => tracing::error!(error = %e, "an address lookup failed"),
                }
                drop(permit);
            });
        }
    }

    /// Queues the mail the lookup calls for, if any and within the address's budget: whether it did.
    async fn handle(&self, lookup: &Lookup) -> StoreResult<bool> {
        let now = now();
        match lookup {
            Lookup::ManageLink { campaign, email } => {
                let key = self.keys.email_key(*campaign, &email.canonical());
                let Some(signature) = self.store.signature_by_key(&key).await? else { return Ok(false) };
                let budget = self.keys.budget_key(&format!("manage/{campaign}"), &email.canonical());
                if !self.store.take_mail_budget(&budget, self.budget, now).await? {
                    return Ok(false);
                }
                self.store.queue_mail(MailKind::ManageSignature, signature.id, None, now).await?;
                Ok(true)
            }
            Lookup::PasswordReset { email } => {
                let address = email.as_str().to_lowercase();
                if self.store.user_by_email(&address).await?.is_none() {
                    return Ok(false);
                }
                let budget = self.keys.budget_key("password-reset", &address);
                if !self.store.take_mail_budget(&budget, self.budget, now).await? {
                    return Ok(false);
                }
                self.store.request_password_reset(&address, now).await
            }
        }
    }
}
