//! Deliveries: one recorded with its mail in one transaction (once per form, and not twice to an
//! address within the repeat window); a campaign's, the latest first.

use async_trait::async_trait;
use time::OffsetDateTime;
use undersigned_core::delivery::{Delivery, NewDelivery, REPEAT_WINDOW, Refused};
use undersigned_core::outbox::MailKind;
use undersigned_core::store::{DeliveryStore, StoreError, StoreResult};
use undersigned_core::{CampaignId, Lang};

use super::super::store::Backend;
use super::common::{db, dialect, enqueue, get};

const COLUMNS: &str = "id, campaign_id, email, langs, csv, sent_by, sent_at";

fn delivery_row(r: &dialect::Row) -> StoreResult<Delivery> {
    let langs: String = get(r, "langs")?;
    let langs = langs
        .split(',')
        .map(|l| {
            Lang::parse("langs", l).map_err(|_| StoreError::Corrupt(format!("a delivery's language {l:?}")))
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(Delivery {
        id: get(r, "id")?,
        campaign_id: get(r, "campaign_id")?,
        email: get(r, "email")?,
        langs,
        csv: get(r, "csv")?,
        sent_by: get(r, "sent_by")?,
        sent_at: dialect::time_at(r, "sent_at")?,
    })
}

#[async_trait]
impl DeliveryStore for Backend {
    async fn record_delivery(
        &self,
        campaign: CampaignId,
        delivery: &NewDelivery,
        sent_by: i64,
        now: OffsetDateTime,
    ) -> StoreResult<Result<Delivery, Refused>> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        let sql = format!("SELECT {COLUMNS} FROM deliveries WHERE campaign_id = $1 AND form_key = $2");
        let same_form = sqlx::query(&sql)
            .bind(campaign)
            .bind(&delivery.key)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
        if let Some(row) = same_form {
            return Ok(Ok(delivery_row(&row)?));
        }
        let recent: Option<dialect::Time> = sqlx::query_scalar(
            "SELECT max(sent_at) FROM deliveries WHERE campaign_id = $1 AND email = $2 AND sent_at > $3",
        )
        .bind(campaign)
        .bind(delivery.email.as_str())
        .bind(dialect::at(now - REPEAT_WINDOW))
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?;
        if let Some(at) = recent {
            return Ok(Err(Refused::TooSoon(dialect::from_time(at)?)));
        }
        let langs: Vec<&str> = delivery.langs.iter().map(Lang::as_str).collect();
        let sql = format!(
            "INSERT INTO deliveries (campaign_id, email, langs, csv, sent_by, sent_at, form_key)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {COLUMNS}"
        );
        let row = sqlx::query(&sql)
            .bind(campaign)
            .bind(delivery.email.as_str())
            .bind(langs.join(","))
            .bind(delivery.csv)
            .bind(sent_by)
            .bind(dialect::at(now))
            .bind(&delivery.key)
            .fetch_one(&mut *tx)
            .await
            .map_err(db)?;
        let recorded = delivery_row(&row)?;
        enqueue(&mut tx, MailKind::Delivery, recorded.id, now).await?;
        tx.commit().await.map_err(db)?;
        Ok(Ok(recorded))
    }

    async fn delivery(&self, id: i64) -> StoreResult<Option<Delivery>> {
        let sql = format!("SELECT {COLUMNS} FROM deliveries WHERE id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_optional(self.reader()).await.map_err(db)?;
        row.as_ref().map(delivery_row).transpose()
    }

    async fn deliveries(&self, campaign: CampaignId) -> StoreResult<Vec<Delivery>> {
        let sql =
            format!("SELECT {COLUMNS} FROM deliveries WHERE campaign_id = $1 ORDER BY sent_at DESC, id DESC");
        let rows = sqlx::query(&sql).bind(campaign).fetch_all(self.reader()).await.map_err(db)?;
        rows.iter().map(delivery_row).collect()
    }
}
