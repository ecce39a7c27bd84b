//! Comments: each waits for its own confirmation link, then is shown or held as the campaign
//! chose (the rules are [`CommentStatus`]'s), reported, moderated and answered; commenters'
//! addresses are forgotten on request and with retention.

use async_trait::async_trait;
use time::OffsetDateTime;
use undersigned_core::CampaignId;
use undersigned_core::account::Role;
use undersigned_core::clock::now;
use undersigned_core::comment::{Comment, CommentStatus, NewComment};
use undersigned_core::notice::NoticeKind;
use undersigned_core::outbox::MailKind;
use undersigned_core::store::{CommentStore, StoreError, StoreResult};

use super::super::store::Backend;
use super::common::{db, dialect, enqueue, get};
use super::notices::{notify, team};
use crate::rows::comment_status;
use crate::sealed::{COMMENTER_EMAIL, open_email, seal_email};

const COMMENT_COLUMNS: &str = "c.id, c.campaign_id, c.parent_id, c.name, c.website, c.body, c.organiser, c.status, c.reports, c.created_at";

fn comment_row(r: &dialect::Row) -> StoreResult<Comment> {
    Ok(Comment {
        id: get(r, "id")?,
        campaign_id: get(r, "campaign_id")?,
        parent_id: get(r, "parent_id")?,
        name: get(r, "name")?,
        website: get(r, "website")?,
        body: get(r, "body")?,
        organiser: get(r, "organiser")?,
        status: comment_status(&get::<String>(r, "status")?)?,
        reports: get(r, "reports")?,
        created_at: dialect::time_at(r, "created_at")?,
    })
}

#[async_trait]
impl CommentStore for Backend {
    async fn add_comment(&self, c: &NewComment) -> StoreResult<i64> {
        let email = seal_email(self.data_key(), COMMENTER_EMAIL, &c.email_key, c.email.as_str());
        let mut tx = self.writer().begin().await.map_err(db)?;
        sqlx::query("INSERT INTO commenters (email_key, email, created_at) VALUES ($1, $2, $3) ON CONFLICT (email_key) DO NOTHING")
            .bind(&c.email_key[..])
            .bind(email)
            .bind(dialect::at(c.now))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        let commenter: i64 = sqlx::query_scalar("SELECT id FROM commenters WHERE email_key = $1")
            .bind(&c.email_key[..])
            .fetch_one(&mut *tx)
            .await
            .map_err(db)?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO comments (campaign_id, parent_id, commenter_id, name, website, body, status, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(c.campaign_id)
        .bind(c.parent_id)
        .bind(commenter)
        .bind(&c.name)
        .bind(&c.website)
        .bind(&c.body)
        .bind(CommentStatus::on_arrival().as_str())
        .bind(dialect::at(c.now))
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?;
        enqueue(&mut tx, MailKind::ConfirmComment, id, c.now).await?;
        tx.commit().await.map_err(db)?;
        Ok(id)
    }

    async fn comment(&self, id: i64) -> StoreResult<Option<(Comment, Option<(Vec<u8>, String)>)>> {
        let row = sqlx::query(&format!(
            "SELECT {COMMENT_COLUMNS}, k.email_key, k.email FROM comments c LEFT JOIN commenters k ON k.id = c.commenter_id WHERE c.id = $1"
        ))
        .bind(id)
        .fetch_optional(self.reader())
        .await
        .map_err(db)?;
        let Some(r) = row else { return Ok(None) };
        let key: Option<Vec<u8>> = get(&r, "email_key")?;
        let email = match (&key, get::<Option<String>>(&r, "email")?) {
            (Some(key), Some(stored)) => Some(open_email(self.data_key(), COMMENTER_EMAIL, key, &stored)?),
            _ => None,
        };
        Ok(Some((comment_row(&r)?, key.zip(email))))
    }

    async fn confirm_comment(
        &self,
        comment: i64,
        pre_moderation: bool,
        now: OffsetDateTime,
    ) -> StoreResult<CommentStatus> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        let commenter: Option<i64> = sqlx::query_scalar("SELECT commenter_id FROM comments WHERE id = $1")
            .bind(comment)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?
            .flatten();
        let Some(commenter) = commenter else { return Err(StoreError::NotFound) };
        sqlx::query("UPDATE commenters SET verified_at = coalesce(verified_at, $1) WHERE id = $2")
            .bind(dialect::at(now))
            .bind(commenter)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        // This comment only: others from the address have links of their own.
        sqlx::query("UPDATE comments SET status = $1 WHERE id = $2 AND status = 'unverified'")
            .bind(CommentStatus::on_verify(pre_moderation).as_str())
            .bind(comment)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        let status: String = sqlx::query_scalar("SELECT status FROM comments WHERE id = $1")
            .bind(comment)
            .fetch_one(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)?;
        comment_status(&status)
    }

    async fn comments(&self, campaign: CampaignId, states: &[CommentStatus]) -> StoreResult<Vec<Comment>> {
        let rows = sqlx::query(&format!(
            "SELECT {COMMENT_COLUMNS} FROM comments c WHERE c.campaign_id = $1 ORDER BY c.id"
        ))
        .bind(campaign)
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        let all = rows.iter().map(comment_row).collect::<StoreResult<Vec<_>>>()?;
        Ok(all.into_iter().filter(|c| states.contains(&c.status)).collect())
    }

    async fn set_comment_status(
        &self,
        campaign: CampaignId,
        id: i64,
        status: CommentStatus,
    ) -> StoreResult<bool> {
        let updated = sqlx::query("UPDATE comments SET status = $1, reports = 0 WHERE id = $2 AND campaign_id = $3 AND status <> 'unverified'")
            .bind(status.as_str())
            .bind(id)
            .bind(campaign)
            .execute(self.writer())
            .await
            .map_err(db)?
            .rows_affected();
        Ok(updated > 0)
    }

    async fn delete_comment(&self, campaign: CampaignId, id: i64) -> StoreResult<bool> {
        let deleted = sqlx::query("DELETE FROM comments WHERE id = $1 AND campaign_id = $2")
            .bind(id)
            .bind(campaign)
            .execute(self.writer())
            .await
            .map_err(db)?
            .rows_affected();
        Ok(deleted > 0)
    }

    async fn report_comment(&self, campaign: CampaignId, id: i64) -> StoreResult<bool> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        let reports: Option<i64> = sqlx::query_scalar(
            "UPDATE comments SET reports = reports + 1 WHERE id = $1 AND campaign_id = $2 AND status = 'visible' RETURNING reports",
        )
        .bind(id)
        .bind(campaign)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
        if reports == Some(1) {
            // The first report: the moderators hear of it (later ones add to the same queue).
            let team = team(&mut tx, campaign, &Role::ALL).await?;
            notify(&mut tx, NoticeKind::Comment, id, &team, now()).await?;
        }
        tx.commit().await.map_err(db)?;
        Ok(reports.is_some())
    }

    async fn add_organiser_reply(
        &self,
        campaign: CampaignId,
        parent: i64,
        name: &str,
        body: &str,
        now: OffsetDateTime,
    ) -> StoreResult<i64> {
        sqlx::query_scalar(
            "INSERT INTO comments (campaign_id, parent_id, organiser, name, body, status, created_at)
             SELECT $1, $2, TRUE, $3, $4, 'visible', $5 WHERE EXISTS (SELECT 1 FROM comments WHERE id = $2 AND campaign_id = $1) RETURNING id",
        )
        .bind(campaign)
        .bind(parent)
        .bind(name)
        .bind(body)
        .bind(dialect::at(now))
        .fetch_optional(self.writer())
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound)
    }

    async fn pre_moderation(&self, campaign: CampaignId) -> StoreResult<bool> {
        let mode: Option<String> =
            sqlx::query_scalar("SELECT comment_moderation FROM campaigns WHERE id = $1")
                .bind(campaign)
                .fetch_optional(self.reader())
                .await
                .map_err(db)?;
        Ok(mode.as_deref() == Some("pre"))
    }

    async fn set_pre_moderation(&self, campaign: CampaignId, pre: bool) -> StoreResult<()> {
        sqlx::query("UPDATE campaigns SET comment_moderation = $1 WHERE id = $2")
            .bind(if pre { "pre" } else { "post" })
            .bind(campaign)
            .execute(self.writer())
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn forget_commenter(&self, campaign: CampaignId, email_key: &[u8]) -> StoreResult<u64> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        let forgotten = forget_comment_addresses(&mut tx, campaign, Some(email_key)).await?;
        tx.commit().await.map_err(db)?;
        Ok(forgotten)
    }
}

/// Forgets the addresses behind a campaign's comments (of one commenter, or of all): the comments
/// keep their name and text; those never confirmed, and their mails, go; an address no other
/// comment needs goes too. How many comments it touched.
pub(super) async fn forget_comment_addresses(
    tx: &mut dialect::Conn,
    campaign: CampaignId,
    email_key: Option<&[u8]>,
) -> StoreResult<u64> {
    const OF: &str =
        "campaign_id = $1 AND commenter_id IN (SELECT id FROM commenters WHERE $2 IS NULL OR email_key = $2)";
    sqlx::query(&format!(
        "DELETE FROM outbox WHERE kind = 'confirm-comment' AND ref_id IN (SELECT id FROM comments WHERE {OF} AND status = 'unverified')"
    ))
    .bind(campaign)
    .bind(email_key)
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    let commenters: Vec<i64> =
        sqlx::query_scalar(&format!("SELECT DISTINCT commenter_id FROM comments WHERE {OF}"))
            .bind(campaign)
            .bind(email_key)
            .fetch_all(&mut *tx)
            .await
            .map_err(db)?;
    let deleted = sqlx::query(&format!("DELETE FROM comments WHERE {OF} AND status = 'unverified'"))
        .bind(campaign)
        .bind(email_key)
        .execute(&mut *tx)
        .await
        .map_err(db)?
        .rows_affected();
    let kept = sqlx::query(&format!("UPDATE comments SET commenter_id = NULL WHERE {OF}"))
        .bind(campaign)
        .bind(email_key)
        .execute(&mut *tx)
        .await
        .map_err(db)?
        .rows_affected();
    sqlx::query(&format!(
        "DELETE FROM commenters WHERE {} AND NOT EXISTS (SELECT 1 FROM comments WHERE commenter_id = commenters.id)",
        dialect::in_ids("id", "$1")
    ))
    .bind(dialect::ids(&commenters)?)
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    Ok(deleted + kept)
}
