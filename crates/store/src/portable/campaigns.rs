//! Campaigns: read with their language versions, created and saved from the organisers' pages
//! (keeping the text an edit replaces), and the target's response.

use async_trait::async_trait;
use time::OffsetDateTime;
use undersigned_core::account::Role;
use undersigned_core::campaign::TargetResponse;
use undersigned_core::demand::{Demand, read_in};
use undersigned_core::store::{CampaignStore, StoreError, StoreResult};
use undersigned_core::{Campaign, CampaignContent, CampaignId, CampaignVersion, Lang, Revision, Slug};

use super::super::store::Backend;
use super::common::{db, dialect, get};
use super::demands;
use super::organisers::upsert_role;
use super::webhook_events;
use crate::rows::{CampaignRow, VersionRow, corrupt};

const CAMPAIGN_COLUMNS: &str = "id, slug, status, opens_at, closes_at, dated, contact_name, contact_email, signature_goal, default_lang, withdrawn_at, embed_sites";

fn campaign_row(r: &dialect::Row) -> StoreResult<CampaignRow> {
    Ok(CampaignRow {
        id: get(r, "id")?,
        slug: get(r, "slug")?,
        status: get(r, "status")?,
        opens_at: dialect::opt_time_at(r, "opens_at")?,
        closes_at: dialect::opt_time_at(r, "closes_at")?,
        dated: get(r, "dated")?,
        contact_name: get(r, "contact_name")?,
        contact_email: get(r, "contact_email")?,
        signature_goal: get(r, "signature_goal")?,
        default_lang: get(r, "default_lang")?,
        withdrawn_at: dialect::opt_time_at(r, "withdrawn_at")?,
        embed_sites: get(r, "embed_sites")?,
    })
}

impl Backend {
    async fn versions(&self, campaign: CampaignId) -> StoreResult<(Vec<VersionRow>, Vec<Demand>)> {
        let mut conn = self.reader().acquire().await.map_err(db)?;
        let rows = sqlx::query(
            "SELECT lang, title, summary, target, body FROM campaign_versions WHERE campaign_id = $1 ORDER BY lang",
        )
        .bind(campaign)
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?;
        let versions = rows.iter().map(version_row).collect::<StoreResult<_>>()?;
        Ok((versions, demands::load(&mut conn, campaign).await?))
    }

    async fn campaign(&self, row: dialect::Row) -> StoreResult<Campaign> {
        let row = campaign_row(&row)?;
        let (versions, demands) = self.versions(row.id).await?;
        row.into_campaign(versions, demands)
    }

    async fn campaigns(&self, rows: Vec<dialect::Row>) -> StoreResult<Vec<Campaign>> {
        let mut campaigns = Vec::with_capacity(rows.len());
        for row in rows {
            campaigns.push(self.campaign(row).await?);
        }
        Ok(campaigns)
    }
}

#[async_trait]
impl CampaignStore for Backend {
    async fn has_no_campaigns(&self) -> StoreResult<bool> {
        let any: Option<i64> = sqlx::query_scalar("SELECT id FROM campaigns LIMIT 1")
            .fetch_optional(self.reader())
            .await
            .map_err(db)?;
        Ok(any.is_none())
    }

    async fn campaign_by_slug(&self, slug: &Slug) -> StoreResult<Option<Campaign>> {
        let row = sqlx::query(&format!("SELECT {CAMPAIGN_COLUMNS} FROM campaigns WHERE slug = $1"))
            .bind(slug.as_str())
            .fetch_optional(self.reader())
            .await
            .map_err(db)?;
        match row {
            Some(row) => Ok(Some(self.campaign(row).await?)),
            None => Ok(None),
        }
    }

    async fn campaign_by_id(&self, id: CampaignId) -> StoreResult<Option<Campaign>> {
        let row = sqlx::query(&format!("SELECT {CAMPAIGN_COLUMNS} FROM campaigns WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.reader())
            .await
            .map_err(db)?;
        match row {
            Some(row) => Ok(Some(self.campaign(row).await?)),
            None => Ok(None),
        }
    }

    async fn public_campaigns(&self) -> StoreResult<Vec<Campaign>> {
        let rows = sqlx::query(&format!(
            "SELECT {CAMPAIGN_COLUMNS} FROM campaigns WHERE status <> 'draft' AND withdrawn_at IS NULL ORDER BY coalesce(opens_at, created_at) DESC, id DESC"
        ))
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        self.campaigns(rows).await
    }

    async fn all_campaigns(&self) -> StoreResult<Vec<Campaign>> {
        let rows = sqlx::query(&format!(
            "SELECT {CAMPAIGN_COLUMNS} FROM campaigns ORDER BY coalesce(opens_at, created_at) DESC, id DESC"
        ))
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        self.campaigns(rows).await
    }

    async fn create_campaign(
        &self,
        content: &CampaignContent,
        owner: Option<i64>,
        now: OffsetDateTime,
    ) -> StoreResult<CampaignId> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        let id = insert_campaign(&mut tx, content, now).await?;
        if let Some(owner) = owner {
            upsert_role(&mut tx, id, owner, Role::Owner).await?;
        }
        tx.commit().await.map_err(db)?;
        Ok(id)
    }

    async fn save_campaign(
        &self,
        id: CampaignId,
        content: &CampaignContent,
        keep_revisions: bool,
        now: OffsetDateTime,
    ) -> StoreResult<()> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        save_in(&mut tx, id, content, keep_revisions, now).await?;
        tx.commit().await.map_err(db)
    }

    async fn revisions(&self, campaign: CampaignId) -> StoreResult<Vec<Revision>> {
        let rows = sqlx::query(
            "SELECT lang, title, summary, target, body, demands, replaced_at FROM campaign_revisions
             WHERE campaign_id = $1 ORDER BY id DESC",
        )
        .bind(campaign)
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                let demands: String = get(r, "demands")?;
                Ok(Revision {
                    version: version_row(r)?.into_version()?,
                    demands: demands.lines().map(str::to_owned).filter(|d| !d.is_empty()).collect(),
                    replaced_at: dialect::time_at(r, "replaced_at")?,
                })
            })
            .collect()
    }

    async fn set_response(
        &self,
        campaign: CampaignId,
        response: Option<&TargetResponse>,
        now: OffsetDateTime,
    ) -> StoreResult<()> {
        match response {
            Some(r) => upsert_response(self.writer(), campaign, r, now).await,
            None => {
                sqlx::query("DELETE FROM campaign_responses WHERE campaign_id = $1")
                    .bind(campaign)
                    .execute(self.writer())
                    .await
                    .map_err(db)?;
                Ok(())
            }
        }
    }

    async fn response(&self, campaign: CampaignId) -> StoreResult<Option<TargetResponse>> {
        let row =
            sqlx::query("SELECT text, responded_on, link FROM campaign_responses WHERE campaign_id = $1")
                .bind(campaign)
                .fetch_optional(self.reader())
                .await
                .map_err(db)?;
        row.map(|r| {
            Ok(TargetResponse {
                text: get(&r, "text")?,
                responded_on: get(&r, "responded_on")?,
                link: get(&r, "link")?,
            })
        })
        .transpose()
    }
}

/// Binds a campaign's settings as $1 to $10: status, opens_at, closes_at, dated, contact_name,
/// contact_email, signature_goal, default_lang, the time of the change, and embed_sites.
/// Inserts a campaign with its versions, in the caller's transaction; `Conflict` when its slug is
/// taken.
pub(super) async fn insert_campaign(
    tx: &mut dialect::Conn,
    c: &CampaignContent,
    now: OffsetDateTime,
) -> StoreResult<CampaignId> {
    let row = bind_settings(
        sqlx::query(&format!(
            "INSERT INTO campaigns (id, status, opens_at, closes_at, dated, contact_name, contact_email, signature_goal, default_lang, created_at, updated_at, embed_sites, slug)
             VALUES ({}, $1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11) ON CONFLICT (slug) DO NOTHING RETURNING id",
            dialect::new_id("campaigns")
        )),
        c,
        now,
    )
    .bind(c.slug.as_str())
    .fetch_optional(&mut *tx)
    .await
    .map_err(db)?;
    let id: Option<CampaignId> = row.map(|r| get(&r, "id")).transpose()?;
    let id = id.ok_or_else(|| StoreError::Conflict(format!("a campaign at {}", c.slug)))?;
    replace_versions(tx, id, &c.versions).await?;
    demands::replace(tx, id, &c.demands).await?;
    Ok(id)
}

pub(super) fn bind_settings<'q>(
    q: dialect::Query<'q>,
    c: &'q CampaignContent,
    now: OffsetDateTime,
) -> dialect::Query<'q> {
    q.bind(c.status.as_str())
        .bind(c.opens_at.map(dialect::at))
        .bind(c.closes_at.map(dialect::at))
        .bind(c.dated)
        .bind(&c.contact.name)
        .bind(c.contact.email.as_ref().map(|e| e.as_str()))
        .bind(c.signature_goal.map(i64::from))
        .bind(c.default_lang.as_str())
        .bind(dialect::at(now))
        .bind(c.embed_sites.lines())
}

/// Replaces a campaign's language versions (their demands are the campaign's: `demands::replace`).
pub(super) async fn replace_versions(
    tx: &mut dialect::Conn,
    id: CampaignId,
    versions: &[CampaignVersion],
) -> StoreResult<()> {
    sqlx::query("DELETE FROM campaign_versions WHERE campaign_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    for v in versions {
        sqlx::query(
            "INSERT INTO campaign_versions (campaign_id, lang, title, summary, target, body) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(v.lang.as_str())
        .bind(&v.title)
        .bind(&v.summary)
        .bind(&v.target)
        .bind(&v.body)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    }
    Ok(())
}

/// Saves a campaign's settings, status and versions (see [`CampaignStore::save_campaign`]).
pub(super) async fn save_in(
    tx: &mut dialect::Conn,
    id: CampaignId,
    content: &CampaignContent,
    keep_revisions: bool,
    now: OffsetDateTime,
) -> StoreResult<()> {
    let c = content;
    let before = webhook_events::stored_status(tx, id).await?;
    if keep_revisions {
        keep_replaced_text(tx, id, c, now).await?;
    }
    let sql = format!(
        // A withdrawn campaign keeps the status it had when it was withdrawn (see life.rs); one
        // that ends at its end date ended then.
        "UPDATE campaigns SET
             status = CASE WHEN $1 <> 'withdrawn' THEN $1 WHEN status = 'draft' THEN 'closed' ELSE status END,
             opens_at = $2, closes_at = $3, dated = $4, contact_name = $5, contact_email = $6,
             signature_goal = $7, default_lang = $8, updated_at = $9, embed_sites = $10,
             ended_at = CASE WHEN $1 IN ('closed', 'won', 'withdrawn') THEN coalesce(ended_at, {least}($9, coalesce($3, $9))) ELSE NULL END,
             withdrawn_at = CASE WHEN $1 = 'withdrawn' THEN coalesce(withdrawn_at, $9) END
         WHERE id = $11",
        least = dialect::LEAST
    );
    let updated = bind_settings(sqlx::query(&sql), c, now)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(db)?
        .rows_affected();
    if updated == 0 {
        return Err(StoreError::NotFound);
    }
    // A withdrawn campaign is stored so that it reads back withdrawn; any other status as given.
    if let Some(before) = before {
        webhook_events::status_changed(tx, id, &before, c.status.as_str(), now).await?;
    }
    replace_versions(tx, id, &c.versions).await?;
    demands::replace(tx, id, &c.demands).await
}

/// Keeps the text of every version an edit changes or removes, for the public history: its
/// demands as its readers read them (a demand added in another language changes this one's too).
async fn keep_replaced_text(
    tx: &mut dialect::Conn,
    id: CampaignId,
    c: &CampaignContent,
    now: OffsetDateTime,
) -> StoreResult<()> {
    let (old_versions, old_demands, old_default) = stored_versions(tx, id).await?;
    for old in old_versions {
        let lang = Lang::parse("lang", &old.lang).map_err(|e| corrupt("version", e))?;
        let old_read: Vec<&str> =
            read_in(&old_demands, &old_default, &lang).into_iter().map(|d| d.text).collect();
        let unchanged = c.versions.iter().any(|v| {
            v.lang == lang
                && v.title == old.title
                && v.summary == old.summary
                && v.target == old.target
                && v.body == old.body
                && c.demands_in(&lang).iter().map(|d| d.text).eq(old_read.iter().copied())
        });
        if unchanged {
            continue;
        }
        sqlx::query(
            "INSERT INTO campaign_revisions (campaign_id, lang, title, summary, target, body, demands, replaced_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(&old.lang)
        .bind(&old.title)
        .bind(&old.summary)
        .bind(&old.target)
        .bind(&old.body)
        .bind(old_read.join("\n"))
        .bind(dialect::at(now))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    }
    Ok(())
}

/// The versions, demands and default language as stored now, inside a transaction (to keep what
/// an edit replaces).
async fn stored_versions(
    tx: &mut dialect::Conn,
    id: CampaignId,
) -> StoreResult<(Vec<VersionRow>, Vec<Demand>, Lang)> {
    let rows = sqlx::query(
        "SELECT lang, title, summary, target, body FROM campaign_versions WHERE campaign_id = $1",
    )
    .bind(id)
    .fetch_all(&mut *tx)
    .await
    .map_err(db)?;
    let versions = rows.iter().map(version_row).collect::<StoreResult<_>>()?;
    let default: String = sqlx::query_scalar("SELECT default_lang FROM campaigns WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?;
    let default = Lang::parse("default_lang", &default).map_err(|e| corrupt("campaign", e))?;
    Ok((versions, demands::load(tx, id).await?, default))
}

fn version_row(r: &dialect::Row) -> StoreResult<VersionRow> {
    Ok(VersionRow {
        lang: get(r, "lang")?,
        title: get(r, "title")?,
        summary: get(r, "summary")?,
        target: get(r, "target")?,
        body: get(r, "body")?,
    })
}

/// Records (or replaces) the target's response.
pub(super) async fn upsert_response<'e>(
    ex: impl sqlx::Executor<'e, Database = dialect::Db>,
    campaign: CampaignId,
    r: &TargetResponse,
    now: OffsetDateTime,
) -> StoreResult<()> {
    sqlx::query("INSERT INTO campaign_responses (campaign_id, text, responded_on, link, recorded_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (campaign_id) DO UPDATE SET text = excluded.text, responded_on = excluded.responded_on, link = excluded.link, recorded_at = excluded.recorded_at")
        .bind(campaign)
        .bind(&r.text)
        .bind(r.responded_on)
        .bind(&r.link)
        .bind(dialect::at(now))
        .execute(ex)
        .await
        .map_err(db)?;
    Ok(())
}
