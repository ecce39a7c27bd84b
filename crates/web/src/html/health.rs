//! `GET /healthz`, for load balancers and monitoring: 200 when the database can write (a real small
//! write through the writer, not a SELECT, which a full disk would still answer), every migration
//! this binary knows is applied, and no mail has been due for longer than the configured time;
//! otherwise 503. The plain-text body says, one line a check, which failed (no error text: the
//! details are logged). The answer is kept for a second, so that polling costs at most one write
//! a second however often it comes.

use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use undersigned_core::Store;

use crate::AppState;
use crate::error::OwnBody;

/// How long an answer is given again.
const KEEP: Duration = Duration::from_secs(1);
/// How long the checks may take before the database counts as not answering.
const PATIENCE: Duration = Duration::from_secs(5);

pub async fn check(State(state): State<AppState>) -> impl IntoResponse {
    let (healthy, body) = {
        // One check at a time; those who waited take its answer.
        let mut last = state.health.0.lock().await;
        match &*last {
            Some((at, healthy, body)) if at.elapsed() < KEEP => (*healthy, body.clone()),
            _ => {
                let (healthy, body) = run_checks(state.store.as_ref(), state.config.mail_due_alarm).await;
                *last = Some((Instant::now(), healthy, body.clone()));
                (healthy, body)
            }
        }
    };
    let status = if healthy { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    let headers = [(header::CONTENT_TYPE, "text/plain; charset=utf-8"), (header::CACHE_CONTROL, "no-store")];
    (status, headers, axum::Extension(OwnBody), body)
}

/// Every check, each a line of the body; whether all passed.
async fn run_checks(store: &dyn Store, mail_due_alarm: Option<Duration>) -> (bool, String) {
    let now = undersigned_core::store::now();
    let write = tokio::time::timeout(PATIENCE, store.heartbeat(now)).await;
    let write = match write {
        Ok(Ok(())) => Ok("write: ok".to_owned()),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "health check: the database cannot write");
            Err("write: FAILED, the database cannot write".to_owned())
        }
        Err(_) => Err(format!("write: FAILED, the database did not answer within {} s", PATIENCE.as_secs())),
    };
    let migrations = match tokio::time::timeout(PATIENCE, store.missing_migrations()).await {
        Ok(Ok(missing)) if missing.is_empty() => Ok("migrations: ok".to_owned()),
        Ok(Ok(missing)) => Err(format!("migrations: FAILED, not applied: {missing:?}")),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "health check: the migrations could not be read");
            Err("migrations: FAILED, could not be read".to_owned())
        }
        Err(_) => Err("migrations: FAILED, the database did not answer".to_owned()),
    };
    let mail = match (mail_due_alarm, tokio::time::timeout(PATIENCE, store.oldest_due_mail(now)).await) {
        (None, _) => Ok("mail: not checked".to_owned()),
        (Some(_), Ok(Ok(None))) => Ok("mail: ok, none due".to_owned()),
        (Some(alarm), Ok(Ok(Some(due)))) => {
            let waited = (now - due).whole_seconds().max(0);
            if waited as u64 > alarm.as_secs() {
                Err(format!(
                    "mail: FAILED, a mail has been due for {waited} s (more than {} s)",
                    alarm.as_secs()
                ))
            } else {
                Ok(format!("mail: ok, the oldest due for {waited} s"))
            }
        }
        (Some(_), Ok(Err(e))) => {
            tracing::warn!(error = %e, "health check: the outbox could not be read");
            Err("mail: FAILED, the outbox could not be read".to_owned())
        }
        (Some(_), Err(_)) => Err("mail: FAILED, the database did not answer".to_owned()),
    };
    let checks = [write, migrations, mail];
    let healthy = checks.iter().all(Result::is_ok);
    let mut body = String::from(if healthy { "ok\n" } else { "unhealthy\n" });
    for line in checks {
        body.push_str(&line.unwrap_or_else(|failed| failed));
        body.push('\n');
    }
    (healthy, body)
}
