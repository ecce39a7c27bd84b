//! A campaign's life without a request: campaigns close at their end date. Reading a campaign
//! past its end date already says it is closed (the core does that); this records it, so that
//! its retention period runs and the audit log shows when.

use std::time::Duration;

use undersigned_web::AppState;

/// How often the server looks for campaigns past their end date (a read, nearly always empty).
pub const EVERY: Duration = Duration::from_secs(10);

/// Closes the campaigns whose end date has passed, now and every [`EVERY`] until `stop`.
pub async fn close_ended(state: AppState, mut stop: tokio::sync::watch::Receiver<bool>) {
    loop {
        match state.store.close_ended_campaigns(undersigned_core::store::now()).await {
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
