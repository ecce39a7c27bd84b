//! The PostgreSQL store: its pool and the signing queue; connecting, and the use cases
//! PostgreSQL runs its own way (the export's keyset query, folding counts under an advisory
//! lock, finishing mails with `unnest`).

use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};
use time::OffsetDateTime;
use undersigned_core::CampaignId;
use undersigned_core::data_key::DataKey;
use undersigned_core::outbox::QueuedMail;
use undersigned_core::signature::{ListCursor, Signature};
use undersigned_core::store::StoreResult;

use super::dialect::db;
use super::group_commit;
use super::portable::common::{SIGNATURE_COLUMNS, signature_row};
use super::portable::{data_key, webhook_events};
use super::standby::{self, Standby};
use crate::OpenError;
use crate::group_commit::SigningQueue;
use crate::migrate::{self, Dialect};
use crate::owner_sealing::{RecipientCache, Sealing};

/// The store the portable use cases are compiled for.
pub(super) type Backend = PostgresStore;

/// The advisory lock held by the one aggregator of counts (any fixed number of ours).
const COUNTS_LOCK: i64 = 0x756e_6465_7273_0001;

pub struct PostgresStore {
    pool: PgPool,
    /// Signatures go to one task that commits them in groups (see `group_commit`).
    pub(super) signing: SigningQueue,
    /// What addresses and IP hashes are sealed under (`crate::sealed`).
    data_key: Arc<DataKey>,
    /// The owners' keys of campaigns, as private fields are sealed to them (`crate::owner_sealing`).
    recipients: Arc<RecipientCache>,
    /// The hot standby the reads that may lag go to (`--database-replica`), if any: this store on
    /// the standby's pool.
    standby: Option<Arc<Standby<PostgresStore>>>,
}

impl PostgresStore {
    /// Connects to a `postgres://` URL, runs the migrations (one instance at a time: sqlx's
    /// advisory lock is held while they are checked and run, `crate::migrate::run`), and takes
    /// the data key `choose` gives if it is the database's (see `crate::open`). With a `replica`
    /// URL, the reads that may lag go to that hot standby (see `standby`).
    pub async fn connect<K>(
        url: &str,
        replica: Option<&str>,
        choose: K,
        upgrade: crate::Upgrade,
    ) -> Result<Self, OpenError>
    where
        K: FnOnce(Option<&str>) -> Result<DataKey, String>,
    {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(3))
            .connect(url)
            .await?;
        migrate::run(&mut *pool.acquire().await?, Dialect::Postgres, migrate::MIGRATIONS, upgrade.backed_up)
            .await?;
        let data_key = Arc::new(data_key::check(&mut *pool.acquire().await?, choose).await?);
        let (signing, jobs) = crate::group_commit::queue(data_key.clone());
        let recipients = Arc::new(RecipientCache::default());
        let sealing = Sealing { data_key: data_key.clone(), recipients: recipients.clone() };
        tokio::spawn(group_commit::group_commit(pool.clone(), jobs, signing.health(), sealing));
        let standby = match replica {
            None => None,
            Some(url) => {
                let on_standby = Self {
                    pool: standby::pool(url)?,
                    signing: signing.clone(),
                    data_key: data_key.clone(),
                    recipients: recipients.clone(),
                    standby: None,
                };
                tracing::info!("the public lists are read from the database replica");
                Some(Arc::new(Standby::new(on_standby)))
            }
        };
        Ok(Self { pool, signing, data_key, recipients, standby })
    }

    pub(super) fn data_key(&self) -> &DataKey {
        &self.data_key
    }

    pub(super) fn recipient_cache(&self) -> &RecipientCache {
        &self.recipients
    }

    pub(super) fn reader(&self) -> &PgPool {
        &self.pool
    }

    pub(super) fn writer(&self) -> &PgPool {
        &self.pool
    }

    /// A read that may lag (`portable/replica.rs`): on the standby when there is one and it
    /// answers, else on this store.
    pub(super) async fn lagging<'a, T, F, R>(&'a self, read: F) -> StoreResult<T>
    where
        F: Fn(&'a Self) -> R,
        R: Future<Output = StoreResult<T>>,
    {
        match &self.standby {
            Some(standby) => standby.read(self, read).await,
            None => read(self).await,
        }
    }

    /// The pool's use, for `/metrics`.
    pub(super) fn pools(&self) -> Vec<undersigned_core::store::PoolUse> {
        vec![crate::pool_use("main", &self.pool)]
    }

    /// A page of the export: confirmed, valid signatures after the cursor, oldest first.
    pub(super) async fn export_page(
        &self,
        campaign: CampaignId,
        after: Option<ListCursor>,
        limit: u32,
    ) -> StoreResult<Vec<Signature>> {
        let (at, id) = after.map_or((None, i64::MIN), |c| (Some(c.confirmed_at), c.id));
        let rows = sqlx::query(&format!(
            "SELECT {SIGNATURE_COLUMNS} FROM signatures WHERE campaign_id = $1 AND status = 'confirmed' AND invalidation_id IS NULL
               AND ($2::TIMESTAMPTZ IS NULL OR (confirmed_at >= $3 AND (confirmed_at > $3 OR id > $4)))
             ORDER BY confirmed_at, id LIMIT $5"
        ))
        .bind(campaign)
        .bind(at)
        .bind(at)
        .bind(id)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter().map(|r| signature_row(self.data_key(), r)).collect()
    }

    /// Folds the count journal into the aggregated counts, under an advisory lock.
    pub(super) async fn fold(&self) -> StoreResult<u64> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        // One aggregator at a time across instances; the others skip this round. (Without the
        // lock the result would still be exact, each journal row being deleted once, but two
        // aggregators would wait on each other's rows.)
        let ours: bool = sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1)")
            .bind(COUNTS_LOCK)
            .fetch_one(&mut *tx)
            .await
            .map_err(db)?;
        if !ours {
            return Ok(0);
        }
        let watched = webhook_events::milestones_before(&mut tx).await?;
        let folded: i64 = sqlx::query_scalar(
            "WITH folded AS (DELETE FROM count_journal RETURNING campaign_id, country, lang, delta),
                  sums AS (SELECT campaign_id, country, lang, sum(delta)::BIGINT AS n, count(*) AS entries
                           FROM folded GROUP BY campaign_id, country, lang),
                  added AS (INSERT INTO signature_counts (campaign_id, country, lang, n)
                            SELECT campaign_id, country, lang, n FROM sums
                            ON CONFLICT (campaign_id, country, lang) DO UPDATE SET n = signature_counts.n + excluded.n)
             SELECT coalesce(sum(entries), 0)::BIGINT FROM sums",
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?;
        webhook_events::milestones_after(&mut tx, &watched, undersigned_core::clock::now()).await?;
        tx.commit().await.map_err(db)?;
        Ok(folded as u64)
    }

    /// Drops finished mails from the outbox, each only under the lease it was claimed with; how
    /// many.
    pub(super) async fn finish(&self, mails: &[QueuedMail]) -> StoreResult<u64> {
        if mails.is_empty() {
            return Ok(0);
        }
        let ids: Vec<i64> = mails.iter().map(|m| m.id).collect();
        let leases: Vec<OffsetDateTime> = mails.iter().map(|m| m.lease).collect();
        let query = sqlx::query(
            "DELETE FROM outbox USING unnest($1::BIGINT[], $2::TIMESTAMPTZ[]) AS done (id, lease)
             WHERE outbox.id = done.id AND outbox.locked_until = done.lease",
        )
        .bind(ids)
        .bind(leases);
        Ok(query.execute(&self.pool).await.map_err(db)?.rows_affected())
    }
}
