//! What a campaign counts. Signatures come from the aggregated counts plus the journal not yet
//! folded (migration 0011): exact, and as cheap at ten million signatures as at ten. The fold
//! itself is the dialect's (`Backend::fold`).

use async_trait::async_trait;
use undersigned_core::CampaignId;
use undersigned_core::campaign::CampaignStats;
use undersigned_core::signature::Counts;
use undersigned_core::store::{CountStore, StoreResult};

use super::super::store::Backend;
use super::common::{db, dialect, get};

#[async_trait]
impl CountStore for Backend {
    async fn counts(&self, campaign: CampaignId) -> StoreResult<Counts> {
        let signatures: i64 = sqlx::query_scalar(
            "SELECT CAST((SELECT coalesce(sum(n), 0) FROM signature_counts WHERE campaign_id = $1)
                  + (SELECT coalesce(sum(delta), 0) FROM count_journal WHERE campaign_id = $1) AS BIGINT)",
        )
        .bind(campaign)
        .fetch_one(self.reader())
        .await
        .map_err(db)?;
        let row = sqlx::query(
            "SELECT CAST(coalesce(sum(individuals), 0) AS BIGINT) AS individuals, count(*) FILTER (WHERE kind = 'organisation') AS organisations
             FROM endorsements WHERE campaign_id = $1 AND status = 'approved'",
        )
        .bind(campaign)
        .fetch_one(self.reader())
        .await
        .map_err(db)?;
        Ok(Counts {
            signatures,
            offline_individuals: get(&row, "individuals")?,
            organisations: get(&row, "organisations")?,
        })
    }

    async fn confirmed_since(&self, campaign: CampaignId, since: time::OffsetDateTime) -> StoreResult<i64> {
        sqlx::query_scalar(
            "SELECT count(*) FROM signatures WHERE campaign_id = $1 AND confirmed_at >= $2 AND status = 'confirmed'",
        )
        .bind(campaign)
        .bind(dialect::at(since))
        .fetch_one(self.reader())
        .await
        .map_err(db)
    }

    async fn counts_by_country(&self, campaign: CampaignId) -> StoreResult<Vec<(String, i64)>> {
        counts_by(self, campaign, "country").await
    }

    async fn counts_by_language(&self, campaign: CampaignId) -> StoreResult<Vec<(String, i64)>> {
        counts_by(self, campaign, "lang").await
    }

    async fn fold_counts(&self) -> StoreResult<u64> {
        self.fold().await
    }

    async fn campaign_stats(&self, campaign: CampaignId) -> StoreResult<CampaignStats> {
        let days = sqlx::query(&format!(
            "SELECT {} AS day, count(*) AS n FROM signatures
             WHERE campaign_id = $1 AND status = 'confirmed' AND invalidation_id IS NULL GROUP BY day ORDER BY day",
            dialect::day("confirmed_at")
        ))
        .bind(campaign)
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        let per_day = days
            .iter()
            .map(|r| Ok((dialect::day_at(r, "day")?, get::<i64>(r, "n")?)))
            .collect::<StoreResult<_>>()?;
        let langs = sqlx::query(
            "SELECT lang, CAST(sum(n) AS BIGINT) AS n FROM (
                 SELECT lang, n FROM signature_counts WHERE campaign_id = $1
                 UNION ALL SELECT lang, delta FROM count_journal WHERE campaign_id = $1) AS counted
             GROUP BY lang HAVING sum(n) <> 0 ORDER BY n DESC, lang",
        )
        .bind(campaign)
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        let by_lang =
            langs.iter().map(|r| Ok((get(r, "lang")?, get(r, "n")?))).collect::<StoreResult<_>>()?;
        let pending: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM signatures WHERE campaign_id = $1 AND status = 'pending'",
        )
        .bind(campaign)
        .fetch_one(self.reader())
        .await
        .map_err(db)?;
        Ok(CampaignStats { per_day, by_lang, pending })
    }
}

/// Confirmed signatures per value of one column of the aggregated counts (`country`, or `lang`:
/// the language version signed), most first, from the sums plus the journal not yet folded.
async fn counts_by(
    store: &Backend,
    campaign: CampaignId,
    column: &'static str,
) -> StoreResult<Vec<(String, i64)>> {
    let rows = sqlx::query(&format!(
        "SELECT {column} AS value, CAST(sum(n) AS BIGINT) AS n FROM (
             SELECT {column}, n FROM signature_counts WHERE campaign_id = $1
             UNION ALL SELECT {column}, delta FROM count_journal WHERE campaign_id = $1) AS counted
         GROUP BY {column} HAVING sum(n) <> 0 ORDER BY n DESC, {column}"
    ))
    .bind(campaign)
    .fetch_all(store.reader())
    .await
    .map_err(db)?;
    rows.iter().map(|r| Ok((get(r, "value")?, get(r, "n")?))).collect()
}
