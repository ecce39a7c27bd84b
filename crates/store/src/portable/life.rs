//! A campaign's life: closing at its end date, unpublishing, republishing and deleting drafts.
//! The rules are the core's ([`CampaignStatus::unpublished`], [`CampaignStatus::republished`],
//! [`CampaignStatus::may_delete`]); here they are read and applied in one transaction.
//!
//! A withdrawn campaign is stored with `withdrawn_at` set and `status` left as it was when it was
//! withdrawn: open, closed or won (so that republishing can put it back as it was). It has ended
//! all the same (`ended_at` is set: its retention period runs), and nothing that looks for open
//! campaigns looks at a withdrawn one. Campaigns withdrawn while open before this was so were
//! stored closed, and come back closed.

use async_trait::async_trait;
use time::OffsetDateTime;
use undersigned_core::account::AuditEntry;
use undersigned_core::outbox::MailKind;
use undersigned_core::store::{LifeStore, StoreResult};
use undersigned_core::{CampaignId, CampaignStatus};

use super::super::store::Backend;
use super::common::{db, dialect, get};
use super::organisers::insert_audit;
use super::webhook_events;
use crate::rows::corrupt;

#[async_trait]
impl LifeStore for Backend {
    async fn close_ended_campaigns(&self, now: OffsetDateTime) -> StoreResult<Vec<CampaignId>> {
        // A read first: nearly always nothing is due, and SQLite's one writer is not taken for
        // nothing.
        let due: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM campaigns WHERE status = 'open' AND withdrawn_at IS NULL AND closes_at <= $1 LIMIT 1",
        )
        .bind(dialect::at(now))
        .fetch_optional(self.reader())
        .await
        .map_err(db)?;
        if due.is_none() {
            return Ok(Vec::new());
        }
        let mut tx = self.writer().begin().await.map_err(db)?;
        // Several instances may run this at once: the row locks make each campaign closed, and
        // audited, by one of them.
        let closed = sqlx::query(
            "UPDATE campaigns SET status = 'closed', ended_at = coalesce(ended_at, closes_at), updated_at = $1
             WHERE status = 'open' AND withdrawn_at IS NULL AND closes_at <= $1 RETURNING id, slug, closes_at",
        )
        .bind(dialect::at(now))
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
        let mut ids = Vec::new();
        for row in &closed {
            let id: i64 = get(row, "id")?;
            let slug: String = get(row, "slug")?;
            let closes_at = dialect::time_at(row, "closes_at")?;
            insert_audit(&mut *tx, &AuditEntry::closed_at_end_date(id, &slug, closes_at, now)).await?;
            webhook_events::status_changed(&mut tx, id, "open", "closed", now).await?;
            ids.push(id);
        }
        tx.commit().await.map_err(db)?;
        Ok(ids)
    }

    async fn has_signatures(&self, campaign: CampaignId) -> StoreResult<bool> {
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM signatures WHERE campaign_id = $1)")
            .bind(campaign)
            .fetch_one(self.reader())
            .await
            .map_err(db)
    }

    async fn unpublish_campaign(
        &self,
        campaign: CampaignId,
        now: OffsetDateTime,
    ) -> StoreResult<Option<CampaignStatus>> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        let (status, signed) = stored_status(&mut tx, campaign).await?;
        let Some(next) = status.unpublished(signed) else { return Ok(None) };
        if next == CampaignStatus::Withdrawn {
            withdraw(&mut tx, campaign, now).await?;
        } else {
            sqlx::query(
                "UPDATE campaigns SET status = 'draft', ended_at = NULL, updated_at = $1 WHERE id = $2",
            )
            .bind(dialect::at(now))
            .bind(campaign)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        webhook_events::status_changed(&mut tx, campaign, status.as_str(), next.as_str(), now).await?;
        tx.commit().await.map_err(db)?;
        Ok(Some(next))
    }

    async fn withdrawn_from(&self, campaign: CampaignId) -> StoreResult<Option<CampaignStatus>> {
        let status: Option<String> =
            sqlx::query_scalar("SELECT status FROM campaigns WHERE id = $1 AND withdrawn_at IS NOT NULL")
                .bind(campaign)
                .fetch_optional(self.reader())
                .await
                .map_err(db)?;
        status.map(|s| parse_status(campaign, &s)).transpose()
    }

    async fn republish_campaign(
        &self,
        campaign: CampaignId,
        to: CampaignStatus,
        now: OffsetDateTime,
    ) -> StoreResult<bool> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        let row = sqlx::query(&format!(
            "SELECT status, closes_at FROM campaigns WHERE id = $1 AND withdrawn_at IS NOT NULL{}",
            dialect::FOR_UPDATE
        ))
        .bind(campaign)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
        let Some(row) = row else { return Ok(false) };
        let had = parse_status(campaign, &get::<String>(&row, "status")?)?;
        let closes_at = dialect::opt_time_at(&row, "closes_at")?;
        if CampaignStatus::republished(had, closes_at, now) != Some(to) {
            return Ok(false);
        }
        // Open again: it has not ended. Closed or won: it ended when it did.
        sqlx::query(
            "UPDATE campaigns SET status = $1, withdrawn_at = NULL, updated_at = $2,
                 ended_at = CASE WHEN $1 = 'open' THEN NULL ELSE ended_at END
             WHERE id = $3",
        )
        .bind(to.as_str())
        .bind(dialect::at(now))
        .bind(campaign)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        // Public again: no longer taken down.
        sqlx::query("DELETE FROM takedowns WHERE campaign_id = $1")
            .bind(campaign)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        webhook_events::status_changed(&mut tx, campaign, "withdrawn", to.as_str(), now).await?;
        tx.commit().await.map_err(db)?;
        Ok(true)
    }

    async fn take_down(
        &self,
        campaign: CampaignId,
        reason: &str,
        by: &str,
        now: OffsetDateTime,
    ) -> StoreResult<bool> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        let (status, _) = stored_status(&mut tx, campaign).await?;
        if !status.is_public() {
            return Ok(false);
        }
        // Withdrawn as by its owner, signed or not.
        withdraw(&mut tx, campaign, now).await?;
        sqlx::query(
            "INSERT INTO takedowns (campaign_id, reason, taken_by, taken_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (campaign_id) DO UPDATE SET reason = excluded.reason, taken_by = excluded.taken_by, taken_at = excluded.taken_at",
        )
        .bind(campaign)
        .bind(reason)
        .bind(by)
        .bind(dialect::at(now))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        // Every confirmed signer is told, in one statement (the mail worker sends them at its pace).
        sqlx::query(
            "INSERT INTO outbox (kind, ref_id, next_attempt_at, created_at)
             SELECT $1, id, $2, $2 FROM signatures WHERE campaign_id = $3 AND status = 'confirmed'",
        )
        .bind(MailKind::TakenDown.as_str())
        .bind(dialect::at(now))
        .bind(campaign)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        webhook_events::status_changed(
            &mut tx,
            campaign,
            status.as_str(),
            CampaignStatus::Withdrawn.as_str(),
            now,
        )
        .await?;
        tx.commit().await.map_err(db)?;
        Ok(true)
    }

    async fn takedown(&self, campaign: CampaignId) -> StoreResult<Option<(String, OffsetDateTime)>> {
        let row = sqlx::query("SELECT reason, taken_at FROM takedowns WHERE campaign_id = $1")
            .bind(campaign)
            .fetch_optional(self.reader())
            .await
            .map_err(db)?;
        row.map(|r| Ok((get(&r, "reason")?, dialect::time_at(&r, "taken_at")?))).transpose()
    }

    async fn delete_draft(&self, campaign: CampaignId) -> StoreResult<bool> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        let (status, signed) = stored_status(&mut tx, campaign).await?;
        if !status.may_delete(signed) {
            return Ok(false);
        }
        delete_campaign(&mut tx, campaign).await?;
        tx.commit().await.map_err(db)?;
        Ok(true)
    }
}

/// Withdraws a campaign at `now`, in the caller's transaction: it has ended (its retention period
/// runs from its end date, or from now), and its status stays what it was, for republishing.
async fn withdraw(tx: &mut dialect::Conn, campaign: CampaignId, now: OffsetDateTime) -> StoreResult<()> {
    let sql = format!(
        "UPDATE campaigns SET
             ended_at = coalesce(ended_at, {}($1, coalesce(closes_at, $1))), withdrawn_at = $1, updated_at = $1
         WHERE id = $2",
        dialect::LEAST
    );
    sqlx::query(&sql).bind(dialect::at(now)).bind(campaign).execute(&mut *tx).await.map_err(db)?;
    Ok(())
}

/// Deletes a campaign with everything it holds, in the caller's transaction: its rows that
/// reference it go with it (foreign keys), and those kept by its id alone are deleted here.
pub(super) async fn delete_campaign(tx: &mut dialect::Conn, campaign: CampaignId) -> StoreResult<()> {
    for sql in [
        "DELETE FROM count_journal WHERE campaign_id = $1",
        "DELETE FROM signature_counts WHERE campaign_id = $1",
        "DELETE FROM thresholds WHERE scope = $1",
        "DELETE FROM campaigns WHERE id = $1",
    ] {
        sqlx::query(sql).bind(campaign).execute(&mut *tx).await.map_err(db)?;
    }
    Ok(())
}

/// The campaign's status as stored (a campaign past its end date that no upkeep has closed yet
/// is still open here, and unpublishes like one) and whether anyone signed it. Locks the
/// campaign's row first, where the dialect locks rows: a signature being made meanwhile (its
/// foreign key shares that lock) is committed before, and so seen.
async fn stored_status(tx: &mut dialect::Conn, campaign: CampaignId) -> StoreResult<(CampaignStatus, bool)> {
    sqlx::query(&format!("SELECT 1 FROM campaigns WHERE id = $1{}", dialect::FOR_UPDATE))
        .bind(campaign)
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?;
    let row = sqlx::query(
        "SELECT status, withdrawn_at IS NOT NULL AS withdrawn,
                EXISTS (SELECT 1 FROM signatures WHERE campaign_id = $1) AS signed
         FROM campaigns WHERE id = $1",
    )
    .bind(campaign)
    .fetch_one(&mut *tx)
    .await
    .map_err(db)?;
    let status = if get::<bool>(&row, "withdrawn")? {
        CampaignStatus::Withdrawn
    } else {
        parse_status(campaign, &get::<String>(&row, "status")?)?
    };
    Ok((status, get(&row, "signed")?))
}

fn parse_status(campaign: CampaignId, status: &str) -> StoreResult<CampaignStatus> {
    CampaignStatus::parse("status", status).map_err(|e| corrupt(&format!("campaign {campaign}"), e))
}
