//! The server's upkeep, beside the requests: every hour the keyed IP hashes past their time are
//! forgotten, the campaigns past their retention period anonymised and the webhook deliveries
//! done with a month ago forgotten; every second the count
//! journal is folded and the rate limits' counts added to the shared ones; every ten seconds the campaigns past their end date are closed; every few
//! seconds the list of the site's own pages is read again.

use std::time::Duration;

use tokio::sync::watch;
use undersigned_core::store::now;
use undersigned_web::AppState;

use crate::commands::retention;

/// How long a webhook delivery done with (delivered or given up) stays in its endpoint's log.
pub const WEBHOOK_LOG_KEPT: time::Duration = time::Duration::days(30);

/// How long a proposal its proposer never confirmed is kept.
pub const UNCONFIRMED_PROPOSALS_KEPT: time::Duration = time::Duration::days(30);

/// How often the server looks for campaigns past their end date (a read, nearly always empty).
pub const EVERY: Duration = Duration::from_secs(10);

/// Hourly, until `stop`: forget the keyed IP hashes older than `ip_hash_days`, anonymise campaigns
/// whose retention period is over, forget old webhook deliveries and the rate limits' ended
/// windows.
pub async fn hourly(
    state: AppState,
    ip_hash_days: i64,
    retention_days: i64,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        if let Err(e) = retention::run(state.store.as_ref(), retention_days, false).await {
            tracing::warn!(error = %e, "could not anonymise ended campaigns");
        }
        let before = now() - time::Duration::days(ip_hash_days);
        match state.store.forget_ip_hashes(before).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(forgotten = n, "forgot the IP hashes of older signatures"),
            Err(e) => tracing::warn!(error = %e, "could not forget old IP hashes"),
        }
        match state.store.forget_webhook_deliveries(now() - WEBHOOK_LOG_KEPT).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(forgotten = n, "forgot the webhook deliveries done with a month ago"),
            Err(e) => tracing::warn!(error = %e, "could not forget old webhook deliveries"),
        }
        // A proposal whose proposer never confirmed their address is forgotten after a month.
        match state.store.forget_unconfirmed_proposals(now() - UNCONFIRMED_PROPOSALS_KEPT).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(forgotten = n, "forgot the proposals never confirmed"),
            Err(e) => tracing::warn!(error = %e, "could not forget the proposals never confirmed"),
        }
        match state.store.forget_hits(now().unix_timestamp()).await {
            Ok(0) => {}
            Ok(n) => tracing::debug!(forgotten = n, "forgot the rate limits' ended windows"),
            Err(e) => tracing::warn!(error = %e, "could not forget the rate limits' ended windows"),
        }
        tokio::select! {
            () = tokio::time::sleep(Duration::from_secs(3600)) => {}
            _ = stop.changed() => return,
        }
    }
}

/// How often the server looks for thresholds reached (a few reads per open campaign that has any)
/// and for organisers' digests due (one read of a small index).
pub const NOTICES_EVERY: Duration = Duration::from_secs(3);

/// Every few seconds until `stop`: record the thresholds the open campaigns have reached
/// (`undersigned_web::thresholds::cross`), which tells their teams, and queue the digests of the
/// organisers whose last was `digest_every` ago or more.
pub async fn thresholds(state: AppState, digest_every: time::Duration, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            () = tokio::time::sleep(NOTICES_EVERY) => {}
            _ = stop.changed() => return,
        }
        if let Err(e) = undersigned_web::thresholds::cross(&state).await {
            tracing::warn!(error = %e, "could not record the thresholds reached");
        }
        match state.store.queue_digests(digest_every, now()).await {
            Ok(0) => {}
            Ok(n) => {
                tracing::info!(digests = n, "queued the organisers' digests");
                state.mail_queued.notify_one();
            }
            Err(e) => tracing::warn!(error = %e, "could not queue the organisers' digests"),
        }
    }
}

/// Every second until `stop`, and once more then: add the rate limits' counts of this instance to
/// those shared by every instance, and read back their totals ([`undersigned_web::rate_limit`]).
pub async fn flush_limits(state: AppState, mut stop: watch::Receiver<bool>) {
    loop {
        let stopping = tokio::select! {
            () = tokio::time::sleep(Duration::from_secs(1)) => false,
            _ = stop.changed() => true,
        };
        if let Err(e) = state.limits.flush().await {
            tracing::warn!(error = %e, "could not add the rate limits' counts");
        }
        if stopping {
            return;
        }
    }
}

/// Every second: fold the count journal into the aggregated counts (as the UK petitions site's
/// batch counter does), so that the journal a count reads stays short. Counts are exact whether
/// or not this has run; it only keeps them cheap. What it folds, and when it last did, is counted
/// for `/metrics`.
pub async fn fold_counts(state: AppState, mut stop: watch::Receiver<bool>) {
    use crate::scrape::names::{COUNT_FOLD_FAILURES, COUNT_FOLD_LAST, COUNT_FOLDED};
    let (folded, failed, last) = (
        metrics::counter!(COUNT_FOLDED),
        metrics::counter!(COUNT_FOLD_FAILURES),
        metrics::gauge!(COUNT_FOLD_LAST),
    );
    loop {
        tokio::select! {
            () = tokio::time::sleep(Duration::from_secs(1)) => {}
            _ = stop.changed() => return,
        }
        match state.store.fold_counts().await {
            Ok(entries) => {
                folded.increment(entries);
                last.set(now().unix_timestamp_nanos() as f64 / 1e9);
            }
            Err(e) => {
                failed.increment(1);
                tracing::warn!(error = %e, "could not fold the count journal");
            }
        }
    }
}

/// A campaign's life without a request: campaigns close at their end date. Reading a campaign
/// past its end date already says it is closed (the core does that); this records it, so that
/// its retention period runs and the audit log shows when. Now and every [`EVERY`] until `stop`.
pub async fn close_ended(state: AppState, mut stop: watch::Receiver<bool>) {
    loop {
        match state.store.close_ended_campaigns(now()).await {
            Ok(closed) if closed.is_empty() => {}
            Ok(closed) => tracing::info!(campaigns = ?closed, "closed the campaigns whose end date passed"),
            Err(e) => tracing::warn!(error = %e, "could not close the campaigns whose end date passed"),
        }
        tokio::select! {
            () = tokio::time::sleep(EVERY) => {}
            _ = stop.changed() => return,
        }
    }
}

/// A reminder goes to a signer who signed at most this long before it is due: one who signed
/// months ago, before the campaign asked for reminders, is not written to out of the blue.
pub const REMIND_WITHIN: time::Duration = time::Duration::days(6);

/// Reminders claimed per turn (the rest at the next).
const REMINDERS_PER_TURN: u32 = 500;

/// Until `stop`: queue a reminder to each signer who has not confirmed `after` signing, where the
/// campaign asks for it, once, within their address's mail budget
/// (`ReminderStore::queue_reminders`; several instances may run it: each is claimed once). Every
/// tenth of `after`, at least every second and at most every minute.
pub async fn remind(state: AppState, after: time::Duration, mut stop: watch::Receiver<bool>) {
    let every = Duration::try_from(after / 10).unwrap_or(Duration::from_secs(60));
    let every = every.clamp(Duration::from_secs(1), Duration::from_secs(60));
    loop {
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            _ = stop.changed() => return,
        }
        let budget = state.config.mail_budget;
        match state.store.queue_reminders(after, REMIND_WITHIN, budget, now(), REMINDERS_PER_TURN).await {
            Ok(queued) if queued.is_empty() => {}
            Ok(queued) => {
                tracing::info!(
                    reminders = queued.len(),
                    "queued reminders to signers who have not confirmed"
                );
                state.mail_queued.notify_one();
            }
            Err(e) => tracing::warn!(error = %e, "could not queue the reminders"),
        }
    }
}

/// The list of the site's own pages (which every footer links to), now and every
/// `SitePages::FRESH` until `stop`: a change saved through another instance shows here too.
pub async fn read_site_pages(state: AppState, mut stop: watch::Receiver<bool>) {
    loop {
        if let Err(e) = state.pages.site_pages.reload(state.store.as_ref()).await {
            tracing::warn!(error = %e, "could not read the list of the site's pages");
        }
        tokio::select! {
            () = tokio::time::sleep(undersigned_web::render::site_pages::SitePages::FRESH) => {}
            _ = stop.changed() => return,
        }
    }
}
