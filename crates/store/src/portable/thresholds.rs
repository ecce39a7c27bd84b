//! Thresholds: a scope's labels, and the crossings recorded, each with its webhook event and the
//! team's mails in its transaction.

use async_trait::async_trait;
use time::OffsetDateTime;
use undersigned_core::account::Role;
use undersigned_core::notice::NoticeKind;
use undersigned_core::store::{News, StoreError, StoreResult, ThresholdStore};
use undersigned_core::threshold::{Crossing, ThresholdLabel};
use undersigned_core::webhook::WebhookEvent;
use undersigned_core::{CampaignId, Lang};

use super::super::store::Backend;
use super::common::{db, dialect, get};
use super::notices::{notify, team};
use super::updates::post_update_in;
use super::webhook_events;

fn crossing_row(r: &dialect::Row) -> StoreResult<Crossing> {
    Ok(Crossing {
        id: get(r, "id")?,
        campaign_id: get(r, "campaign_id")?,
        count: get(r, "count")?,
        crossed_at: dialect::time_at(r, "crossed_at")?,
    })
}

#[async_trait]
impl ThresholdStore for Backend {
    async fn thresholds(&self, scope: i64) -> StoreResult<Vec<ThresholdLabel>> {
        let rows =
            sqlx::query("SELECT count, lang, label FROM thresholds WHERE scope = $1 ORDER BY count, lang")
                .bind(scope)
                .fetch_all(self.reader())
                .await
                .map_err(db)?;
        rows.iter()
            .map(|r| {
                let lang: String = get(r, "lang")?;
                Ok(ThresholdLabel {
                    count: get(r, "count")?,
                    lang: Lang::parse("lang", &lang)
                        .map_err(|_| StoreError::Corrupt(format!("a threshold's language {lang:?}")))?,
                    label: get(r, "label")?,
                })
            })
            .collect()
    }

    async fn threshold_scopes(&self) -> StoreResult<Vec<i64>> {
        sqlx::query_scalar("SELECT DISTINCT scope FROM thresholds ORDER BY scope")
            .fetch_all(self.reader())
            .await
            .map_err(db)
    }

    async fn set_thresholds(&self, scope: i64, lang: &Lang, labels: &[ThresholdLabel]) -> StoreResult<()> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        sqlx::query("DELETE FROM thresholds WHERE scope = $1 AND lang = $2")
            .bind(scope)
            .bind(lang.as_str())
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        for t in labels {
            sqlx::query("INSERT INTO thresholds (scope, count, lang, label) VALUES ($1, $2, $3, $4)")
                .bind(scope)
                .bind(t.count)
                .bind(lang.as_str())
                .bind(&t.label)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    async fn crossings(&self, campaign: CampaignId) -> StoreResult<Vec<Crossing>> {
        let rows = sqlx::query(
            "SELECT id, campaign_id, count, crossed_at FROM threshold_crossings WHERE campaign_id = $1 ORDER BY count",
        )
        .bind(campaign)
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        rows.iter().map(crossing_row).collect()
    }

    async fn crossing(&self, id: i64) -> StoreResult<Option<Crossing>> {
        let row =
            sqlx::query("SELECT id, campaign_id, count, crossed_at FROM threshold_crossings WHERE id = $1")
                .bind(id)
                .fetch_optional(self.reader())
                .await
                .map_err(db)?;
        row.as_ref().map(crossing_row).transpose()
    }

    async fn cross_threshold(
        &self,
        campaign: CampaignId,
        count: i64,
        news: Option<News<'_>>,
        now: OffsetDateTime,
    ) -> StoreResult<Option<Crossing>> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        let row = sqlx::query(
            "INSERT INTO threshold_crossings (campaign_id, count, crossed_at) VALUES ($1, $2, $3)
             ON CONFLICT (campaign_id, count) DO NOTHING RETURNING id, campaign_id, count, crossed_at",
        )
        .bind(campaign)
        .bind(count)
        .bind(dialect::at(now))
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
        let Some(row) = row else { return Ok(None) };
        let crossing = crossing_row(&row)?;
        let detail = serde_json::json!({ "threshold": count }).to_string();
        webhook_events::queue(
            &mut tx,
            campaign,
            WebhookEvent::ThresholdCrossed,
            Some(campaign),
            Some(&detail),
            now,
        )
        .await?;
        // The team hears of it, each member as they chose.
        let team = team(&mut tx, campaign, &Role::ALL).await?;
        notify(&mut tx, NoticeKind::Threshold, crossing.id, &team, now).await?;
        // Its signers too, when the organisers chose this milestone: once, as the crossing is.
        if let Some(news) = news {
            post_update_in(&mut tx, campaign, news.author, news.texts, true, now).await?;
        }
        tx.commit().await.map_err(db)?;
        Ok(Some(crossing))
    }

    async fn milestone_mails(&self, campaign: CampaignId) -> StoreResult<Vec<i64>> {
        sqlx::query_scalar("SELECT count FROM milestone_mails WHERE campaign_id = $1 ORDER BY count")
            .bind(campaign)
            .fetch_all(self.reader())
            .await
            .map_err(db)
    }

    async fn set_milestone_mails(&self, campaign: CampaignId, counts: &[i64]) -> StoreResult<()> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        sqlx::query("DELETE FROM milestone_mails WHERE campaign_id = $1")
            .bind(campaign)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        for count in counts {
            sqlx::query(
                "INSERT INTO milestone_mails (campaign_id, count) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            )
            .bind(campaign)
            .bind(count)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }
}
