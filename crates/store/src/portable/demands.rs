//! Demands (`undersigned_core::demand`): a campaign's one list, read with its texts and marks of
//! being met, replaced when the campaign is saved (keeping each kept demand's mark), and marked
//! met with its webhook event and its news in one transaction.

use async_trait::async_trait;
use time::{Date, OffsetDateTime};
use undersigned_core::demand::{Demand, DemandMet};
use undersigned_core::store::{DemandStore, News, StoreResult};
use undersigned_core::webhook::WebhookEvent;
use undersigned_core::{CampaignId, Lang};

use super::super::store::Backend;
use super::common::{db, dialect, get};
use super::updates::post_update_in;
use super::webhook_events;
use crate::rows::corrupt;

fn lang_of(r: &dialect::Row) -> StoreResult<Lang> {
    let lang: String = get(r, "lang")?;
    Lang::parse("lang", &lang).map_err(|e| corrupt("demand", e))
}

/// A campaign's demands, in order.
pub(super) async fn load(conn: &mut dialect::Conn, campaign: CampaignId) -> StoreResult<Vec<Demand>> {
    let rows = sqlx::query(
        "SELECT d.demand_key, d.met_on, t.lang, t.text FROM campaign_demands d
         JOIN demand_texts t ON t.campaign_id = d.campaign_id AND t.demand_key = d.demand_key
         WHERE d.campaign_id = $1 ORDER BY d.position, d.demand_key, t.lang",
    )
    .bind(campaign)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    let mut demands: Vec<Demand> = Vec::new();
    for r in &rows {
        let key: i64 = get(r, "demand_key")?;
        let key = u32::try_from(key).map_err(|e| corrupt("demand", e))?;
        let text = (lang_of(r)?, get::<String>(r, "text")?);
        match demands.last_mut() {
            Some(d) if d.key == key => d.texts.push(text),
            _ => {
                let met_on: Option<Date> = get(r, "met_on")?;
                let met = met_on.map(|on| DemandMet { on, notes: Vec::new() });
                demands.push(Demand { key, texts: vec![text], met });
            }
        }
    }
    if demands.iter().any(|d| d.met.is_some()) {
        let notes = sqlx::query(
            "SELECT demand_key, lang, note FROM demand_met_notes WHERE campaign_id = $1 ORDER BY demand_key, lang",
        )
        .bind(campaign)
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?;
        for r in &notes {
            let key: i64 = get(r, "demand_key")?;
            if let Some(met) =
                demands.iter_mut().find(|d| i64::from(d.key) == key).and_then(|d| d.met.as_mut())
            {
                met.notes.push((lang_of(r)?, get(r, "note")?));
            }
        }
    }
    Ok(demands)
}

/// Replaces a campaign's demands and their texts: a demand kept (by key) keeps its mark of being
/// met; one removed goes with its notes.
pub(super) async fn replace(
    tx: &mut dialect::Conn,
    campaign: CampaignId,
    demands: &[Demand],
) -> StoreResult<()> {
    let stored: Vec<i64> =
        sqlx::query_scalar("SELECT demand_key FROM campaign_demands WHERE campaign_id = $1")
            .bind(campaign)
            .fetch_all(&mut *tx)
            .await
            .map_err(db)?;
    for gone in stored.iter().filter(|k| !demands.iter().any(|d| i64::from(d.key) == **k)) {
        for table in ["demand_met_notes", "demand_texts", "campaign_demands"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE campaign_id = $1 AND demand_key = $2"))
                .bind(campaign)
                .bind(gone)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
    }
    sqlx::query("DELETE FROM demand_texts WHERE campaign_id = $1")
        .bind(campaign)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    for (position, d) in demands.iter().enumerate() {
        sqlx::query(
            "INSERT INTO campaign_demands (campaign_id, demand_key, position) VALUES ($1, $2, $3)
             ON CONFLICT (campaign_id, demand_key) DO UPDATE SET position = excluded.position",
        )
        .bind(campaign)
        .bind(i64::from(d.key))
        .bind(position as i64 + 1)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        for (lang, text) in &d.texts {
            sqlx::query(
                "INSERT INTO demand_texts (campaign_id, demand_key, lang, text) VALUES ($1, $2, $3, $4)",
            )
            .bind(campaign)
            .bind(i64::from(d.key))
            .bind(lang.as_str())
            .bind(text)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
    }
    Ok(())
}

#[async_trait]
impl DemandStore for Backend {
    async fn mark_demand(
        &self,
        campaign: CampaignId,
        key: u32,
        met: Option<&DemandMet>,
        news: Option<News<'_>>,
        now: OffsetDateTime,
    ) -> StoreResult<bool> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        let updated =
            sqlx::query("UPDATE campaign_demands SET met_on = $1 WHERE campaign_id = $2 AND demand_key = $3")
                .bind(met.map(|m| m.on))
                .bind(campaign)
                .bind(i64::from(key))
                .execute(&mut *tx)
                .await
                .map_err(db)?
                .rows_affected();
        if updated == 0 {
            return Ok(false);
        }
        sqlx::query("DELETE FROM demand_met_notes WHERE campaign_id = $1 AND demand_key = $2")
            .bind(campaign)
            .bind(i64::from(key))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        for (lang, note) in met.map(|m| m.notes.as_slice()).unwrap_or_default() {
            sqlx::query(
                "INSERT INTO demand_met_notes (campaign_id, demand_key, lang, note) VALUES ($1, $2, $3, $4)",
            )
            .bind(campaign)
            .bind(i64::from(key))
            .bind(lang.as_str())
            .bind(note)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        let position: i64 = sqlx::query_scalar(
            "SELECT position FROM campaign_demands WHERE campaign_id = $1 AND demand_key = $2",
        )
        .bind(campaign)
        .bind(i64::from(key))
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?;
        let detail = serde_json::json!({
            "demand": { "key": key, "number": position, "met": met.is_some(), "met_at": met.map(|m| m.on.to_string()) },
        })
        .to_string();
        webhook_events::queue(&mut tx, campaign, WebhookEvent::DemandMet, Some(campaign), Some(&detail), now)
            .await?;
        if let Some(news) = news {
            post_update_in(&mut tx, campaign, news.author, news.texts, true, now).await?;
        }
        tx.commit().await.map_err(db)?;
        Ok(true)
    }
}

/// `content` as a campaign's files give it (demands matched by position, keys the positions),
/// with the keys of the demands stored at the same positions: a campaign imported again keeps
/// each demand's identity and its mark of being met.
pub(super) async fn keyed_like_stored(
    tx: &mut dialect::Conn,
    campaign: CampaignId,
    content: &undersigned_core::CampaignContent,
) -> StoreResult<undersigned_core::CampaignContent> {
    let stored = load(tx, campaign).await?;
    let mut content = content.clone();
    undersigned_core::demand::keep_keys_by_position(&mut content.demands, &stored);
    Ok(content)
}
