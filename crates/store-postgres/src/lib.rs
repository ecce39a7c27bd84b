//! The PostgreSQL backend: for several server instances sharing one database.

use std::borrow::Cow;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::postgres::{PgPool, PgPoolOptions, PgRow};
use sqlx::{Postgres, Row, Transaction};
use time::OffsetDateTime;
use undersigned_core::store::{CampaignRow, EndorsementRow, StoreResult, VersionRow, endorser_columns};
use undersigned_core::{Campaign, CampaignId, CampaignSpec, Endorsement, Slug, Store, StoreError};

const MIGRATIONS: &[(i64, &str, &str)] =
    &[(1, "campaigns", include_str!("../migrations/0001_campaigns.sql"))];

fn migrator() -> Migrator {
    // Built by hand rather than with `sqlx::migrate!`, which would pull sqlx's macros (and a second
    // build of the drivers) into every build for no other use.
    let migrations = MIGRATIONS
        .iter()
        .map(|(version, name, sql)| {
            Migration::new(*version, Cow::Borrowed(name), MigrationType::Simple, Cow::Borrowed(sql), false)
        })
        .collect::<Vec<_>>();
    Migrator { migrations: Cow::Owned(migrations), ..Migrator::DEFAULT }
}

fn db(e: sqlx::Error) -> StoreError {
    match e {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        e => StoreError::Database(e.to_string()),
    }
}

#[derive(Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

impl PostgresStore {
    /// Connects to a `postgres://` URL and runs the migrations (one instance at a time: sqlx
    /// holds an advisory lock while it migrates).
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(5))
            .connect(url)
            .await?;
        migrator().run(&pool).await?;
        Ok(Self { pool })
    }

    async fn versions(&self, campaign: CampaignId) -> StoreResult<Vec<VersionRow>> {
        let rows = sqlx::query("SELECT lang, title, summary, target, body FROM campaign_versions WHERE campaign_id = $1 ORDER BY lang")
            .bind(campaign)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        let demands =
            sqlx::query("SELECT lang, text FROM demands WHERE campaign_id = $1 ORDER BY lang, position")
                .bind(campaign)
                .fetch_all(&self.pool)
                .await
                .map_err(db)?;
        rows.iter()
            .map(|r| {
                let lang: String = r.try_get("lang")?;
                let demands = demands
                    .iter()
                    .filter(|d| d.get::<&str, _>("lang") == lang)
                    .map(|d| d.try_get("text"))
                    .collect::<Result<_, _>>()?;
                Ok(VersionRow {
                    lang,
                    title: r.try_get("title")?,
                    summary: r.try_get("summary")?,
                    target: r.try_get("target")?,
                    body: r.try_get("body")?,
                    demands,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(db)
    }

    async fn campaign(&self, row: PgRow) -> StoreResult<Campaign> {
        let row = campaign_row(&row).map_err(db)?;
        let versions = self.versions(row.id).await?;
        row.into_campaign(versions)
    }
}

const CAMPAIGN_COLUMNS: &str =
    "id, slug, status, opens_at, closes_at, dated, contact_name, contact_email, signature_goal, default_lang";

fn campaign_row(r: &PgRow) -> Result<CampaignRow, sqlx::Error> {
    Ok(CampaignRow {
        id: r.try_get("id")?,
        slug: r.try_get("slug")?,
        status: r.try_get("status")?,
        opens_at: r.try_get("opens_at")?,
        closes_at: r.try_get("closes_at")?,
        dated: r.try_get("dated")?,
        contact_name: r.try_get("contact_name")?,
        contact_email: r.try_get("contact_email")?,
        signature_goal: r.try_get("signature_goal")?,
        default_lang: r.try_get("default_lang")?,
    })
}

async fn import_one(
    tx: &mut Transaction<'_, Postgres>,
    spec: &CampaignSpec,
    now: OffsetDateTime,
) -> Result<CampaignId, sqlx::Error> {
    let c = &spec.content;
    let id: CampaignId = sqlx::query_scalar(
        "INSERT INTO campaigns (slug, status, opens_at, closes_at, dated, contact_name, contact_email, signature_goal, default_lang, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (slug) DO UPDATE SET status = excluded.status, opens_at = excluded.opens_at,
             closes_at = excluded.closes_at, dated = excluded.dated, contact_name = excluded.contact_name,
             contact_email = excluded.contact_email, signature_goal = excluded.signature_goal,
             default_lang = excluded.default_lang, updated_at = excluded.updated_at
         RETURNING id",
    )
    .bind(c.slug.as_str())
    .bind(c.status.as_str())
    .bind(c.opens_at)
    .bind(c.closes_at)
    .bind(c.dated)
    .bind(&c.contact.name)
    .bind(c.contact.email.as_ref().map(|e| e.as_str()))
    .bind(c.signature_goal.map(i64::from))
    .bind(c.default_lang.as_str())
    .bind(now)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM campaign_versions WHERE campaign_id = $1").bind(id).execute(&mut **tx).await?;
    for v in &c.versions {
        sqlx::query("INSERT INTO campaign_versions (campaign_id, lang, title, summary, target, body) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(id)
            .bind(v.lang.as_str())
            .bind(&v.title)
            .bind(&v.summary)
            .bind(&v.target)
            .bind(&v.body)
            .execute(&mut **tx)
            .await?;
        for (position, text) in v.demands.iter().enumerate() {
            sqlx::query("INSERT INTO demands (campaign_id, lang, position, text) VALUES ($1, $2, $3, $4)")
                .bind(id)
                .bind(v.lang.as_str())
                .bind(position as i64 + 1)
                .bind(text)
                .execute(&mut **tx)
                .await?;
        }
    }
    sqlx::query("DELETE FROM endorsements WHERE campaign_id = $1 AND from_file")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for e in &spec.endorsements {
        let (kind, name, org_type, website, individuals) = endorser_columns(&e.endorser);
        sqlx::query(
            "INSERT INTO endorsements (campaign_id, kind, name, org_type, website, individuals, country, statement, source_note, offline, from_file, status, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, TRUE, TRUE, 'approved', $10)",
        )
        .bind(id)
        .bind(kind)
        .bind(name)
        .bind(org_type)
        .bind(website)
        .bind(individuals)
        .bind(&e.country)
        .bind(&e.statement)
        .bind(&e.source_note)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(id)
}

#[async_trait]
impl Store for PostgresStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map_err(db)?;
        Ok(())
    }

    async fn has_no_campaigns(&self) -> StoreResult<bool> {
        let any: Option<i64> = sqlx::query_scalar("SELECT id FROM campaigns LIMIT 1")
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        Ok(any.is_none())
    }

    async fn import_campaigns(&self, specs: &[CampaignSpec]) -> StoreResult<Vec<CampaignId>> {
        let now = OffsetDateTime::now_utc();
        let mut tx = self.pool.begin().await.map_err(db)?;
        let mut ids = Vec::with_capacity(specs.len());
        for spec in specs {
            ids.push(import_one(&mut tx, spec, now).await.map_err(db)?);
        }
        tx.commit().await.map_err(db)?;
        Ok(ids)
    }

    async fn campaign_by_slug(&self, slug: &Slug) -> StoreResult<Option<Campaign>> {
        let row = sqlx::query(&format!("SELECT {CAMPAIGN_COLUMNS} FROM campaigns WHERE slug = $1"))
            .bind(slug.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        match row {
            Some(row) => Ok(Some(self.campaign(row).await?)),
            None => Ok(None),
        }
    }

    async fn public_campaigns(&self) -> StoreResult<Vec<Campaign>> {
        let rows = sqlx::query(&format!(
            "SELECT {CAMPAIGN_COLUMNS} FROM campaigns WHERE status <> 'draft' ORDER BY coalesce(opens_at, created_at) DESC, id DESC"
        ))
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        let mut campaigns = Vec::with_capacity(rows.len());
        for row in rows {
            campaigns.push(self.campaign(row).await?);
        }
        Ok(campaigns)
    }

    async fn endorsements(&self, campaign: CampaignId) -> StoreResult<Vec<Endorsement>> {
        let rows = sqlx::query(
            "SELECT id, campaign_id, kind, name, org_type, website, individuals, country, statement, source_note, offline, from_file, created_at
             FROM endorsements WHERE campaign_id = $1 AND status = 'approved' ORDER BY id",
        )
        .bind(campaign)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok(EndorsementRow {
                    id: r.try_get("id")?,
                    campaign_id: r.try_get("campaign_id")?,
                    kind: r.try_get("kind")?,
                    name: r.try_get("name")?,
                    org_type: r.try_get("org_type")?,
                    website: r.try_get("website")?,
                    individuals: r.try_get("individuals")?,
                    country: r.try_get("country")?,
                    statement: r.try_get("statement")?,
                    source_note: r.try_get("source_note")?,
                    offline: r.try_get("offline")?,
                    from_file: r.try_get("from_file")?,
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()
            .map_err(db)?
            .into_iter()
            .map(EndorsementRow::into_endorsement)
            .collect()
    }
}
