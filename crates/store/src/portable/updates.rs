//! Updates: news posted by organisers (a text per language), mailed in turns to the signers who
//! asked for it.

use async_trait::async_trait;
use time::OffsetDateTime;
use undersigned_core::signature::Signature;
use undersigned_core::store::{StoreResult, UpdateStore};
use undersigned_core::update::{Update, UpdateText};
use undersigned_core::{CampaignId, Lang};

use super::super::store::Backend;
use super::common::{SIGNATURE_COLUMNS, db, dialect, get, signature_row};
use crate::rows::corrupt;

impl Backend {
    async fn update_with_texts(&self, r: &dialect::Row) -> StoreResult<Update> {
        let id: i64 = get(r, "id")?;
        let texts =
            sqlx::query("SELECT lang, title, body FROM update_texts WHERE update_id = $1 ORDER BY lang")
                .bind(id)
                .fetch_all(self.reader())
                .await
                .map_err(db)?;
        let texts = texts
            .iter()
            .map(|t| {
                Ok(UpdateText {
                    lang: Lang::parse("lang", &get::<String>(t, "lang")?)
                        .map_err(|e| corrupt("update", e))?,
                    title: get(t, "title")?,
                    body: get(t, "body")?,
                })
            })
            .collect::<StoreResult<_>>()?;
        Ok(Update {
            id,
            campaign_id: get(r, "campaign_id")?,
            author: get(r, "author")?,
            published_at: dialect::time_at(r, "published_at")?,
            texts,
        })
    }
}

#[async_trait]
impl UpdateStore for Backend {
    async fn post_update(
        &self,
        campaign: CampaignId,
        author: &str,
        texts: &[UpdateText],
        mail: bool,
        now: OffsetDateTime,
    ) -> StoreResult<i64> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        let id = post_update_in(&mut tx, campaign, author, texts, mail, now).await?;
        tx.commit().await.map_err(db)?;
        Ok(id)
    }

    async fn updates(&self, campaign: Option<CampaignId>, limit: u32) -> StoreResult<Vec<Update>> {
        let rows = sqlx::query(
            "SELECT id, campaign_id, author, published_at FROM updates WHERE ($1 IS NULL OR campaign_id = $1)
             ORDER BY published_at DESC, id DESC LIMIT $2",
        )
        .bind(campaign)
        .bind(i64::from(limit))
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        let mut updates = Vec::with_capacity(rows.len());
        for r in &rows {
            updates.push(self.update_with_texts(r).await?);
        }
        Ok(updates)
    }

    async fn update(&self, id: i64) -> StoreResult<Option<Update>> {
        let row = sqlx::query("SELECT id, campaign_id, author, published_at FROM updates WHERE id = $1")
            .bind(id)
            .fetch_optional(self.reader())
            .await
            .map_err(db)?;
        match row {
            Some(r) => Ok(Some(self.update_with_texts(&r).await?)),
            None => Ok(None),
        }
    }

    async fn opted_in(&self, campaign: CampaignId, after: i64, limit: u32) -> StoreResult<Vec<Signature>> {
        let rows = sqlx::query(&format!(
            "SELECT {SIGNATURE_COLUMNS} FROM signatures WHERE campaign_id = $1 AND opt_in = {yes} AND status = 'confirmed'
             AND invalidation_id IS NULL AND id > $2 ORDER BY id LIMIT $3",
            yes = dialect::TRUE
        ))
        .bind(campaign)
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        rows.iter().map(|r| signature_row(self.data_key(), r)).collect()
    }

    async fn unsubscribe(&self, signature: i64) -> StoreResult<bool> {
        let updated = sqlx::query("UPDATE signatures SET opt_in = FALSE WHERE id = $1")
            .bind(signature)
            .execute(self.writer())
            .await
            .map_err(db)?
            .rows_affected();
        Ok(updated > 0)
    }
}

/// Publishes an update at `now` and, with `mail`, queues it for the signers who asked for news;
/// its id (see [`UpdateStore::post_update`]).
pub(super) async fn post_update_in(
    tx: &mut dialect::Conn,
    campaign: CampaignId,
    author: &str,
    texts: &[UpdateText],
    mail: bool,
    now: OffsetDateTime,
) -> StoreResult<i64> {
    let id = insert_update(tx, campaign, author, texts, now).await?;
    if mail {
        sqlx::query("INSERT INTO outbox (kind, ref_id, cursor, next_attempt_at, created_at) VALUES ($1, $2, 0, $3, $3)")
            .bind(undersigned_core::outbox::MailKind::UpdateBatch.as_str())
            .bind(id)
            .bind(dialect::at(now))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
    }
    Ok(id)
}

/// Stores an update and its texts, published at `at`; its id.
pub(super) async fn insert_update(
    tx: &mut dialect::Conn,
    campaign: CampaignId,
    author: &str,
    texts: &[UpdateText],
    at: OffsetDateTime,
) -> StoreResult<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO updates (campaign_id, author, published_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(campaign)
    .bind(author)
    .bind(dialect::at(at))
    .fetch_one(&mut *tx)
    .await
    .map_err(db)?;
    for text in texts {
        sqlx::query("INSERT INTO update_texts (update_id, lang, title, body) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(text.lang.as_str())
            .bind(&text.title)
            .bind(&text.body)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
    }
    Ok(id)
}
