//! Campaigns: read with their language versions, created and saved from the organisers' pages
//! (keeping the text an edit replaces), and the target's response.

use async_trait::async_trait;
use time::OffsetDateTime;
use undersigned_core::account::Role;
use undersigned_core::campaign::TargetResponse;
use undersigned_core::store::{CampaignStore, StoreError, StoreResult};
use undersigned_core::{Campaign, CampaignContent, CampaignId, CampaignVersion, Revision, Slug};

use super::super::store::Backend;
use super::common::{db, dialect, get};
use super::organisers::upsert_role;
use super::webhook_events;
use crate::rows::{CampaignRow, VersionRow};

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
    async fn versions(&self, campaign: CampaignId) -> StoreResult<Vec<VersionRow>> {
        let rows = sqlx::query(
            "SELECT lang, title, summary, target, body FROM campaign_versions WHERE campaign_id = $1 ORDER BY lang",
        )
        .bind(campaign)
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        let demands =
            sqlx::query("SELECT lang, text FROM demands WHERE campaign_id = $1 ORDER BY lang, position")
                .bind(campaign)
                .fetch_all(self.reader())
                .await
                .map_err(db)?;
        rows.iter()
            .map(|r| {
                let lang: String = get(r, "lang")?;
                let demands = demands
                    .iter()
                    .filter(|d| get::<&str>(d, "lang").is_ok_and(|l| l == lang))
                    .map(|d| get(d, "text"))
                    .collect::<StoreResult<_>>()?;
                Ok(VersionRow {
                    lang,
                    title: get(r, "title")?,
                    summary: get(r, "summary")?,
                    target: get(r, "target")?,
                    body: get(r, "body")?,
                    demands,
                })
            })
            .collect()
    }

    async fn campaign(&self, row: dialect::Row) -> StoreResult<Campaign> {
        let row = campaign_row(&row)?;
        let versions = self.versions(row.id).await?;
        row.into_campaign(versions)
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
                let row = VersionRow {
                    lang: get(r, "lang")?,
                    title: get(r, "title")?,
                    summary: get(r, "summary")?,
                    target: get(r, "target")?,
                    body: get(r, "body")?,
                    demands: demands.lines().map(str::to_owned).filter(|d| !d.is_empty()).collect(),
                };
                Ok(Revision {
                    version: row.into_version()?,
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
        sqlx::query(
            "INSERT INTO campaigns (status, opens_at, closes_at, dated, contact_name, contact_email, signature_goal, default_lang, created_at, updated_at, embed_sites, slug)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11) ON CONFLICT (slug) DO NOTHING RETURNING id",
        ),
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

/// Replaces a campaign's language versions and their demands.
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
        for (position, text) in v.demands.iter().enumerate() {
            sqlx::query("INSERT INTO demands (campaign_id, lang, position, text) VALUES ($1, $2, $3, $4)")
                .bind(id)
                .bind(v.lang.as_str())
                .bind(position as i64 + 1)
                .bind(text)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
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
    replace_versions(tx, id, &c.versions).await
}

/// Keeps the text of every version an edit changes or removes, for the public history.
async fn keep_replaced_text(
    tx: &mut dialect::Conn,
    id: CampaignId,
    c: &CampaignContent,
    now: OffsetDateTime,
) -> StoreResult<()> {
    for old in stored_versions(tx, id).await? {
        let unchanged = c.versions.iter().any(|v| {
            v.lang.as_str() == old.lang
                && v.title == old.title
                && v.summary == old.summary
                && v.target == old.target
                && v.body == old.body
                && v.demands == old.demands
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
        .bind(old.demands.join("\n"))
        .bind(dialect::at(now))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    }
    Ok(())
}

/// The versions as stored now, inside a transaction (to keep what an edit replaces).
async fn stored_versions(tx: &mut dialect::Conn, id: CampaignId) -> StoreResult<Vec<VersionRow>> {
    let rows = sqlx::query(
        "SELECT lang, title, summary, target, body FROM campaign_versions WHERE campaign_id = $1",
    )
    .bind(id)
    .fetch_all(&mut *tx)
    .await
    .map_err(db)?;
    let mut versions = Vec::with_capacity(rows.len());
    for r in &rows {
        let lang: String = get(r, "lang")?;
        let demands: Vec<String> = sqlx::query_scalar(
            "SELECT text FROM demands WHERE campaign_id = $1 AND lang = $2 ORDER BY position",
        )
        .bind(id)
        .bind(&lang)
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
        versions.push(VersionRow {
            lang,
            title: get(r, "title")?,
            summary: get(r, "summary")?,
            target: get(r, "target")?,
            body: get(r, "body")?,
            demands,
        });
    }
    Ok(versions)
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
