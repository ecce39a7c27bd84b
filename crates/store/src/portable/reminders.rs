//! Reminders to signers who have not confirmed (claimed once each, by whichever instance gets
//! there first, within the address's mail budget), and addresses mail cannot reach.

use async_trait::async_trait;
use time::{Duration, OffsetDateTime};
use undersigned_core::CampaignId;
use undersigned_core::outbox::MailKind;
use undersigned_core::signature::MailBudget;
use undersigned_core::store::{ReminderStore, StoreResult};

use super::super::store::Backend;
use super::common::{db, dialect, enqueue};

#[async_trait]
impl ReminderStore for Backend {
    async fn reminds(&self, campaign: CampaignId) -> StoreResult<bool> {
        let remind: Option<bool> =
            sqlx::query_scalar("SELECT remind_unconfirmed FROM campaigns WHERE id = $1")
                .bind(campaign)
                .fetch_optional(self.reader())
                .await
                .map_err(db)?;
        Ok(remind.unwrap_or(false))
    }

    async fn set_reminds(&self, campaign: CampaignId, remind: bool) -> StoreResult<()> {
        sqlx::query("UPDATE campaigns SET remind_unconfirmed = $1 WHERE id = $2")
            .bind(remind)
            .bind(campaign)
            .execute(self.writer())
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn queue_reminders(
        &self,
        after: Duration,
        within: Duration,
        budget: MailBudget,
        now: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<i64>> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        // The campaign's unconfirmed rows come from its list's index (`confirmed_at IS NULL`):
        // no index of their own, which every signature would have paid for. The budget as
        // `MailBudget::spend` counts it: a window that is over starts again with this mail.
        let ids: Vec<i64> = sqlx::query_scalar(
            "UPDATE signatures SET reminded_at = $1,
                 mails_sent = CASE WHEN mail_window_start < $2 THEN 1 ELSE mails_sent + 1 END,
                 mail_window_start = CASE WHEN mail_window_start < $2 THEN $1 ELSE mail_window_start END
             WHERE id IN (
                 SELECT s.id FROM signatures s JOIN campaigns c ON c.id = s.campaign_id
                 WHERE c.remind_unconfirmed AND c.status = 'open'
                   AND s.confirmed_at IS NULL AND s.status = 'pending' AND s.reminded_at IS NULL
                   AND s.created_at <= $3 AND s.created_at > $4
                   AND (s.mail_window_start < $2 OR s.mails_sent < $5)
                 ORDER BY s.id LIMIT $6)
               AND reminded_at IS NULL AND status = 'pending'
               AND (mail_window_start < $2 OR mails_sent < $5)
             RETURNING id",
        )
        .bind(dialect::at(now))
        .bind(dialect::at(now - budget.window))
        .bind(dialect::at(now - after))
        .bind(dialect::at(now - after - within))
        .bind(budget.max)
        .bind(i64::from(limit))
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
        for id in &ids {
            enqueue(&mut tx, MailKind::RemindSignature, *id, now).await?;
        }
        tx.commit().await.map_err(db)?;
        Ok(ids)
    }

    async fn undeliverable(&self, address_keys: &[&[u8]]) -> StoreResult<Vec<Vec<u8>>> {
        if address_keys.is_empty() {
            return Ok(Vec::new());
        }
        // A parameter a key: a batch holds at most a few hundred.
        let params: Vec<String> = (1..=address_keys.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT address_key FROM undeliverable_addresses WHERE address_key IN ({})",
            params.join(", ")
        );
        let mut query = sqlx::query_scalar(&sql);
        for key in address_keys {
            query = query.bind(*key);
        }
        query.fetch_all(self.reader()).await.map_err(db)
    }

    async fn mark_undeliverable(
        &self,
        address_key: &[u8],
        outbox_id: i64,
        signature_keys: &[Vec<u8>],
        now: OffsetDateTime,
    ) -> StoreResult<()> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        sqlx::query(
            "INSERT INTO undeliverable_addresses (address_key, outbox_id, marked_at) VALUES ($1, $2, $3)
             ON CONFLICT (address_key) DO UPDATE SET outbox_id = excluded.outbox_id, marked_at = excluded.marked_at",
        )
        .bind(address_key)
        .bind(outbox_id)
        .bind(dialect::at(now))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        for key in signature_keys {
            sqlx::query(
                "UPDATE signatures SET undeliverable_at = $1 WHERE email_key = $2 AND undeliverable_at IS NULL",
            )
            .bind(dialect::at(now))
            .bind(key)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    async fn undeliverable_signers(&self, campaign: CampaignId) -> StoreResult<i64> {
        sqlx::query_scalar(
            "SELECT count(*) FROM signatures WHERE campaign_id = $1 AND undeliverable_at IS NOT NULL",
        )
        .bind(campaign)
        .fetch_one(self.reader())
        .await
        .map_err(db)
    }

    async fn campaign_ids(&self) -> StoreResult<Vec<CampaignId>> {
        sqlx::query_scalar("SELECT id FROM campaigns ORDER BY id").fetch_all(self.reader()).await.map_err(db)
    }
}
