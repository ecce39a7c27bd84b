//! The outbox: a mail is queued in the transaction that calls for it (`common::enqueue`), claimed
//! by a worker under a lease (`locked_until`), and finished or released only under that lease; ids
//! are never reused (migration 14), so a worker whose lease ran out cannot touch a newer mail.
//! Finishing a batch is the dialect's (`Backend::finish`).

use async_trait::async_trait;
use time::{Duration, OffsetDateTime};
use undersigned_core::clock::now;
use undersigned_core::outbox::{FailedMail, MailKind, QueuedMail};
use undersigned_core::signature::MailBudget;
use undersigned_core::store::{OutboxStore, StoreResult};

use super::super::store::Backend;
use super::common::{db, dialect, get};
use crate::rows::mail_kind;

/// Which campaign a mail is about, by its kind (an SQL expression over `outbox`).
const CAMPAIGN_OF_MAIL: &str = "(SELECT slug FROM campaigns WHERE id = CASE
        WHEN kind IN ('confirm-signature', 'already-signed', 'manage-signature', 'update-one')
            THEN (SELECT campaign_id FROM signatures WHERE id = outbox.ref_id)
        WHEN kind = 'confirm-endorsement' THEN (SELECT campaign_id FROM endorsements WHERE id = outbox.ref_id)
        WHEN kind = 'confirm-comment' THEN (SELECT campaign_id FROM comments WHERE id = outbox.ref_id)
        WHEN kind = 'update-batch' THEN (SELECT campaign_id FROM updates WHERE id = outbox.ref_id)
    END)";

fn queued(r: &dialect::Row) -> StoreResult<QueuedMail> {
    Ok(QueuedMail {
        id: get(r, "id")?,
        kind: mail_kind(&get::<String>(r, "kind")?)?,
        ref_id: get(r, "ref_id")?,
        attempts: get(r, "attempts")?,
        cursor: get(r, "cursor")?,
        created_at: dialect::time_at(r, "created_at")?,
        lease: dialect::time_at(r, "locked_until")?,
    })
}

#[async_trait]
impl OutboxStore for Backend {
    async fn claim_mail(
        &self,
        now: OffsetDateTime,
        lease: Duration,
        limit: u32,
    ) -> StoreResult<Vec<QueuedMail>> {
        let rows = sqlx::query(&format!(
            "UPDATE outbox SET locked_until = $1, attempts = attempts + 1
             WHERE id IN (SELECT id FROM outbox WHERE failed = {no} AND next_attempt_at <= $2
                          AND (locked_until IS NULL OR locked_until <= $2) ORDER BY next_attempt_at LIMIT $3{skip})
             RETURNING id, kind, ref_id, attempts, cursor, created_at, locked_until",
            no = dialect::FALSE,
            skip = dialect::SKIP_LOCKED,
        ))
        .bind(dialect::at(now + lease))
        .bind(dialect::at(now))
        .bind(i64::from(limit))
        .fetch_all(self.writer())
        .await
        .map_err(db)?;
        rows.iter().map(queued).collect()
    }

    async fn mail_done(&self, mail: &QueuedMail) -> StoreResult<bool> {
        Ok(self.finish(std::slice::from_ref(mail)).await? == 1)
    }

    async fn mails_done(&self, mails: &[QueuedMail]) -> StoreResult<()> {
        self.finish(mails).await.map(drop)
    }

    async fn mail_failed(
        &self,
        mail: &QueuedMail,
        error: &str,
        retry_at: Option<OffsetDateTime>,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE outbox SET last_error = $1, locked_until = NULL, next_attempt_at = coalesce($2, next_attempt_at),
                 failed = $3, failed_at = CASE WHEN $3 THEN $4 END
             WHERE id = $5 AND locked_until = $6",
        )
        .bind(error)
        .bind(retry_at.map(dialect::at))
        .bind(retry_at.is_none())
        .bind(dialect::at(now()))
        .bind(mail.id)
        .bind(dialect::at(mail.lease))
        .execute(self.writer())
        .await
        .map_err(db)?;
        Ok(done.rows_affected() == 1)
    }

    async fn failed_mail(&self, limit: u32) -> StoreResult<Vec<FailedMail>> {
        let rows = sqlx::query(&format!(
            "SELECT id, kind, created_at, failed_at, attempts, last_error, {CAMPAIGN_OF_MAIL} AS campaign
             FROM outbox WHERE failed ORDER BY coalesce(failed_at, created_at) DESC, id DESC LIMIT $1"
        ))
        .bind(i64::from(limit))
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok(FailedMail {
                    id: get(r, "id")?,
                    kind: mail_kind(&get::<String>(r, "kind")?)?,
                    created_at: dialect::time_at(r, "created_at")?,
                    failed_at: dialect::opt_time_at(r, "failed_at")?,
                    attempts: get(r, "attempts")?,
                    error: get(r, "last_error")?,
                    campaign: get(r, "campaign")?,
                })
            })
            .collect()
    }

    async fn retry_failed_mail(&self, ids: Option<&[i64]>, now: OffsetDateTime) -> StoreResult<u64> {
        let chosen = match ids {
            None => String::new(),
            Some([]) => return Ok(0),
            Some(_) => format!(" AND {}", dialect::in_ids("id", "$2")),
        };
        let mut tx = self.writer().begin().await.map_err(db)?;
        // Sending a mail again says its address works now: the mark its failure set goes, and
        // with it its signature's (that mail's; others made with the address keep theirs).
        let lifted = format!(
            "DELETE FROM undeliverable_addresses WHERE $1 = $1 AND outbox_id IN (SELECT id FROM outbox WHERE failed{chosen})"
        );
        let unmarked = format!(
            "UPDATE signatures SET undeliverable_at = NULL WHERE $1 = $1 AND undeliverable_at IS NOT NULL
               AND id IN (SELECT ref_id FROM outbox WHERE failed{chosen} AND kind IN ('confirm-signature', 'already-signed', 'remind-signature'))"
        );
        let sql = format!(
            "UPDATE outbox SET failed = FALSE, failed_at = NULL, attempts = 0, locked_until = NULL, next_attempt_at = $1
             WHERE failed{chosen}"
        );
        let mut retried = 0;
        for sql in [&lifted, &unmarked, &sql] {
            let mut query = sqlx::query(sql).bind(dialect::at(now));
            if let Some(ids) = ids {
                query = query.bind(dialect::ids(ids)?);
            }
            retried = query.execute(&mut *tx).await.map_err(db)?.rows_affected();
        }
        tx.commit().await.map_err(db)?;
        Ok(retried)
    }

    async fn mail_progress(&self, job: &QueuedMail, cursor: i64, now: OffsetDateTime) -> StoreResult<()> {
        sqlx::query(
            "UPDATE outbox SET cursor = $1, locked_until = NULL, next_attempt_at = $2, attempts = 0
             WHERE id = $3 AND locked_until = $4",
        )
        .bind(cursor)
        .bind(dialect::at(now))
        .bind(job.id)
        .bind(dialect::at(job.lease))
        .execute(self.writer())
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn queue_mail(
        &self,
        kind: MailKind,
        ref_id: i64,
        cursor: Option<i64>,
        now: OffsetDateTime,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO outbox (kind, ref_id, cursor, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $4)",
        )
        .bind(kind.as_str())
        .bind(ref_id)
        .bind(cursor)
        .bind(dialect::at(now))
        .execute(self.writer())
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn take_mail_budget(
        &self,
        key: &[u8],
        budget: MailBudget,
        now: OffsetDateTime,
    ) -> StoreResult<bool> {
        // A window that is over starts again with this mail (as `MailBudget::spend` says, in one
        // statement, so that concurrent mails to one address count each).
        let sent: i64 = sqlx::query_scalar(
            "INSERT INTO mail_budgets AS b (budget_key, mails_sent, window_start) VALUES ($1, 1, $2)
             ON CONFLICT (budget_key) DO UPDATE SET
                 mails_sent = CASE WHEN $2 - b.window_start > $3 THEN 1 ELSE b.mails_sent + 1 END,
                 window_start = CASE WHEN $2 - b.window_start > $3 THEN $2 ELSE b.window_start END
             RETURNING mails_sent",
        )
        .bind(key)
        .bind(dialect::at(now))
        .bind(dialect::span(budget.window))
        .fetch_one(self.writer())
        .await
        .map_err(db)?;
        Ok(sent <= budget.max)
    }
}
