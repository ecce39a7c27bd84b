//! Bot defence: the mode, the solutions taken, the block lists, the tallies and the trending
//! alerts with their mails. The times are plain numbers (seconds, minutes, hours since 1970), the
//! same on both databases. The IP hashes the lists and the alerts name are sealed under the data
//! key (`crate::sealed`): the block lists are matched in memory once read and opened (every
//! instance reads them whole, every few seconds), so no lookup needs them in clear; an alert's
//! uniqueness goes through a keyed digest of its hash.

use async_trait::async_trait;
use time::OffsetDateTime;
use undersigned_core::account::Role;
use undersigned_core::defence::{
    AttackCause, BlockKind, Pace, Tally, Trend, TrendAlert, TrendKind, UnderAttack,
};
use undersigned_core::notice::NoticeKind;
use undersigned_core::store::{DefenceStore, StoreError, StoreResult};

use super::super::store::Backend;
use super::common::{db, dialect, get};
use crate::sealed::{BLOCKED_IP_HASH, TREND_IP_HASH, digest, open_ip_text, scope_row, seal_ip_text};
use undersigned_core::data_key::DataKey;

const ALERT_COLUMNS: &str = "id, campaign_id, kind, shown, shown_sealed, hour, count, notified";

/// An alert as stored: about an IP hash, the hash sealed in `shown_sealed` (`shown` keeps its
/// digest), or in clear in `shown` from before they were sealed.
fn alert_row(key: &DataKey, r: &dialect::Row) -> StoreResult<TrendAlert> {
    let kind: String = get(r, "kind")?;
    let campaign_id: i64 = get(r, "campaign_id")?;
    let shown = match get::<Option<String>>(r, "shown_sealed")? {
        Some(sealed) => open_ip_text(key, TREND_IP_HASH, &scope_row(campaign_id), &sealed)?,
        None => get(r, "shown")?,
    };
    Ok(TrendAlert {
        id: get(r, "id")?,
        campaign_id,
        kind: TrendKind::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("trend kind {kind}")))?,
        shown,
        hour: get(r, "hour")?,
        count: get(r, "count")?,
        notified: get(r, "notified")?,
    })
}

#[async_trait]
impl DefenceStore for Backend {
    async fn under_attack(&self) -> StoreResult<Vec<UnderAttack>> {
        let rows =
            sqlx::query("SELECT scope, since, cause, detail, busy_at FROM under_attack ORDER BY scope")
                .fetch_all(self.reader())
                .await
                .map_err(db)?;
        rows.iter()
            .map(|r| {
                let cause: String = get(r, "cause")?;
                Ok(UnderAttack {
                    scope: get(r, "scope")?,
                    since: get(r, "since")?,
                    cause: AttackCause::parse(&cause)
                        .ok_or_else(|| StoreError::Corrupt(format!("attack cause {cause}")))?,
                    detail: get(r, "detail")?,
                    busy_at: get(r, "busy_at")?,
                })
            })
            .collect()
    }

    async fn set_under_attack(&self, scope: i64, mode: Option<&UnderAttack>) -> StoreResult<()> {
        let query = match mode {
            None => sqlx::query("DELETE FROM under_attack WHERE scope = $1").bind(scope),
            Some(m) => sqlx::query(
                "INSERT INTO under_attack (scope, since, cause, detail, busy_at) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (scope) DO UPDATE SET since = excluded.since, cause = excluded.cause,
                     detail = excluded.detail, busy_at = excluded.busy_at",
            )
            .bind(scope)
            .bind(m.since)
            .bind(m.cause.as_str())
            .bind(&m.detail)
            .bind(m.busy_at),
        };
        query.execute(self.writer()).await.map_err(db)?;
        Ok(())
    }

    async fn spend_solution(&self, challenge: &[u8], expires_at: i64, now: i64) -> StoreResult<bool> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        sqlx::query("DELETE FROM pow_spent WHERE expires_at < $1")
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        let taken = sqlx::query(
            "INSERT INTO pow_spent (challenge, expires_at) VALUES ($1, $2) ON CONFLICT (challenge) DO NOTHING",
        )
        .bind(challenge)
        .bind(expires_at)
        .execute(&mut *tx)
        .await
        .map_err(db)?
        .rows_affected();
        tx.commit().await.map_err(db)?;
        Ok(taken == 1)
    }

    async fn block_lists(&self) -> StoreResult<Vec<(i64, BlockKind, String)>> {
        let rows = sqlx::query("SELECT scope, kind, value FROM block_list ORDER BY scope, kind, value")
            .fetch_all(self.reader())
            .await
            .map_err(db)?;
        rows.iter()
            .map(|r| {
                let kind: String = get(r, "kind")?;
                let kind = BlockKind::parse(&kind)
                    .ok_or_else(|| StoreError::Corrupt(format!("block kind {kind}")))?;
                let (scope, value): (i64, String) = (get(r, "scope")?, get(r, "value")?);
                let value = match kind {
                    // Sealed, or in clear from before: matched in memory once opened.
                    BlockKind::IpHash => {
                        open_ip_text(self.data_key(), BLOCKED_IP_HASH, &scope_row(scope), &value)?
                    }
                    _ => value,
                };
                Ok((scope, kind, value))
            })
            .collect()
    }

    async fn set_block_list(&self, scope: i64, kind: BlockKind, entries: &[String]) -> StoreResult<()> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        sqlx::query("DELETE FROM block_list WHERE scope = $1 AND kind = $2")
            .bind(scope)
            .bind(kind.as_str())
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        let mut entries = entries.to_vec();
        entries.sort();
        entries.dedup();
        for entry in &entries {
            // An IP hash sealed (randomised: equal ones would not meet as duplicates, hence the
            // dedup above).
            let entry = match kind {
                BlockKind::IpHash => seal_ip_text(self.data_key(), BLOCKED_IP_HASH, &scope_row(scope), entry),
                _ => entry.clone(),
            };
            sqlx::query(
                "INSERT INTO block_list (scope, kind, value) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(scope)
            .bind(kind.as_str())
            .bind(&entry)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    async fn add_tallies(&self, tallies: &[Tally], keep_from: i64) -> StoreResult<()> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        for t in tallies {
            sqlx::query(
                "INSERT INTO signing_tally (campaign_id, minute, kind, key, count) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (campaign_id, minute, kind, key) DO UPDATE SET count = signing_tally.count + excluded.count",
            )
            .bind(t.campaign_id)
            .bind(t.minute)
            .bind(t.kind)
            .bind(&t.key)
            .bind(t.count)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        for table in ["signing_tally", "unsolved_budget"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE minute < $1"))
                .bind(keep_from)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    async fn pace(&self, campaign: i64, from: i64) -> StoreResult<Pace> {
        let row = sqlx::query(
            "SELECT CAST(coalesce(sum(CASE WHEN kind = 'all' THEN count END), 0) AS BIGINT) AS signatures,
                    count(DISTINCT CASE WHEN kind = 'ip' THEN key END) AS distinct_ips
             FROM signing_tally WHERE campaign_id = $1 AND minute >= $2",
        )
        .bind(campaign)
        .bind(from)
        .fetch_one(self.reader())
        .await
        .map_err(db)?;
        Ok(Pace { signatures: get(&row, "signatures")?, distinct_ips: get(&row, "distinct_ips")? })
    }

    async fn busy_keys(
        &self,
        campaign: i64,
        kind: &str,
        keys: &[String],
        from: i64,
        at_least: i64,
    ) -> StoreResult<Vec<(String, i64)>> {
        let rows = sqlx::query(
            "SELECT key, CAST(sum(count) AS BIGINT) AS n FROM signing_tally
             WHERE campaign_id = $1 AND kind = $2 AND minute >= $3
             GROUP BY key HAVING sum(count) >= $4",
        )
        .bind(campaign)
        .bind(kind)
        .bind(from)
        .bind(at_least)
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        let mut busy = Vec::new();
        for r in &rows {
            let key: String = get(r, "key")?;
            if keys.contains(&key) {
                busy.push((key, get(r, "n")?));
            }
        }
        Ok(busy)
    }

    async fn take_unsolved(&self, campaign: i64, minute: i64) -> StoreResult<i64> {
        sqlx::query_scalar(
            "INSERT INTO unsolved_budget (campaign_id, minute, count) VALUES ($1, $2, 1)
             ON CONFLICT (campaign_id, minute) DO UPDATE SET count = unsolved_budget.count + 1
             RETURNING count",
        )
        .bind(campaign)
        .bind(minute)
        .fetch_one(self.writer())
        .await
        .map_err(db)
    }

    async fn record_trend(&self, trend: &Trend, notify: bool, now: OffsetDateTime) -> StoreResult<()> {
        // An IP hash is kept sealed, its keyed digest standing in for it where alerts are told apart.
        let (shown, sealed) = match trend.kind {
            TrendKind::IpHash => {
                let key = self.data_key();
                let row = scope_row(trend.campaign_id);
                (
                    digest(key, TREND_IP_HASH, &trend.shown),
                    Some(seal_ip_text(key, TREND_IP_HASH, &row, &trend.shown)),
                )
            }
            TrendKind::Domain => (trend.shown.clone(), None),
        };
        let mut tx = self.writer().begin().await.map_err(db)?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO trend_alerts (campaign_id, kind, shown, hour, count, created_at, shown_sealed)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (campaign_id, kind, shown, hour) DO UPDATE SET count =
                 CASE WHEN excluded.count > trend_alerts.count THEN excluded.count ELSE trend_alerts.count END
             RETURNING id",
        )
        .bind(trend.campaign_id)
        .bind(trend.kind.as_str())
        .bind(&shown)
        .bind(trend.hour)
        .bind(trend.count)
        .bind(now.unix_timestamp())
        .bind(sealed)
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?;
        if notify {
            // Whichever instance flips `notified` queues the mails: once, however many saw it.
            let flipped = sqlx::query(&format!(
                "UPDATE trend_alerts SET notified = {} WHERE id = $1 AND notified = {}",
                dialect::TRUE,
                dialect::FALSE
            ))
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected();
            if flipped == 1 {
                let users =
                    super::notices::team(&mut tx, trend.campaign_id, &[Role::Owner, Role::Moderator]).await?;
                for user in users {
                    let mail: i64 = sqlx::query_scalar(
                        "INSERT INTO trend_alert_mails (alert_id, user_id) VALUES ($1, $2) RETURNING id",
                    )
                    .bind(id)
                    .bind(user)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(db)?;
                    // As the organiser chose: at once, in their digest, or not at all.
                    super::notices::notify(&mut tx, NoticeKind::Trend, mail, &[user], now).await?;
                }
            }
        }
        tx.commit().await.map_err(db)
    }

    async fn trend_alerts(&self, campaign: i64, from: i64) -> StoreResult<Vec<TrendAlert>> {
        let rows = sqlx::query(&format!(
            "SELECT {ALERT_COLUMNS} FROM trend_alerts WHERE campaign_id = $1 AND hour >= $2
             ORDER BY hour DESC, count DESC, id"
        ))
        .bind(campaign)
        .bind(from)
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        rows.iter().map(|r| alert_row(self.data_key(), r)).collect()
    }

    async fn trend_alert_mail(&self, id: i64) -> StoreResult<Option<(TrendAlert, i64)>> {
        let row = sqlx::query(&format!(
            "SELECT m.user_id, {} FROM trend_alert_mails m JOIN trend_alerts a ON a.id = m.alert_id WHERE m.id = $1",
            ALERT_COLUMNS.split(", ").map(|c| format!("a.{c}")).collect::<Vec<_>>().join(", ")
        ))
        .bind(id)
        .fetch_optional(self.reader())
        .await
        .map_err(db)?;
        row.map(|r| Ok((alert_row(self.data_key(), &r)?, get(&r, "user_id")?))).transpose()
    }
}
