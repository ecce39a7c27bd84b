//! Campaigns brought in from their files: created or replaced by slug, and imports as planned
//! by `undersigned_core::records` (each campaign saved, its files' endorsements replaced, the
//! records added, and its audit entry), all or nothing, in one transaction.

use async_trait::async_trait;
use time::OffsetDateTime;
use undersigned_core::account::AuditEntry;
use undersigned_core::clock::now;
use undersigned_core::records::{CampaignImport, CampaignRecords};
use undersigned_core::store::{ImportStore, StoreError, StoreResult};
use undersigned_core::{CampaignId, CampaignSpec, EndorsementSource, EndorsementSpec};

use super::super::store::Backend;
use super::campaigns::{bind_settings, replace_versions, save_in, upsert_response};
use super::common::{db, dialect, get};
use super::demands::{keyed_like_stored, replace as replace_demands};
use super::endorsements::{
    ENDORSEMENT_COLUMNS, endorsement_row, insert_approved_endorsement, insert_endorsement,
};
use super::log_append::revoke_endorsement;
use super::organisers::insert_audit;
use super::updates::{insert_update, post_update_in};

#[async_trait]
impl ImportStore for Backend {
    async fn import_campaigns(&self, specs: &[CampaignSpec]) -> StoreResult<Vec<CampaignId>> {
        let now = now();
        let mut tx = self.writer().begin().await.map_err(db)?;
        let mut ids = Vec::with_capacity(specs.len());
        for spec in specs {
            ids.push(import_one(&mut tx, spec, now).await?);
        }
        tx.commit().await.map_err(db)?;
        Ok(ids)
    }

    async fn apply_import(&self, imports: &[CampaignImport]) -> StoreResult<Vec<CampaignId>> {
        let now = now();
        let mut tx = self.writer().begin().await.map_err(db)?;
        let mut ids = Vec::with_capacity(imports.len());
        for import in imports {
            let c = &import.spec.content;
            // A withdrawn campaign is stored with the status it had (see life.rs).
            let status: Option<(CampaignId, String)> = sqlx::query_as(
                "SELECT id, CASE WHEN withdrawn_at IS NULL THEN status ELSE 'withdrawn' END FROM campaigns WHERE slug = $1",
            )
            .bind(c.slug.as_str())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
            let planned = import.replaces.map(|(id, s)| (id, s.as_str().to_owned()));
            if status != planned {
                return Err(StoreError::Conflict(format!(
                    "campaign {} changed while the import was prepared; import again",
                    c.slug
                )));
            }
            let id = match import.replaces {
                None => {
                    let id = import_one(&mut tx, &import.spec, now).await?;
                    // Created closed or won: its retention clock starts now.
                    save_in(&mut tx, id, c, false, now).await?;
                    id
                }
                Some((id, _)) => {
                    let c = &keyed_like_stored(&mut tx, id, c).await?;
                    save_in(&mut tx, id, c, import.keep_revisions, now).await?;
                    if import.replace_file_endorsements {
                        replace_file_endorsements(&mut tx, id, &import.spec, now).await?;
                    }
                    id
                }
            };
            add_records(&mut tx, id, &import.add, now).await?;
            if import.declares_won && !import.win.is_empty() {
                // As the browser announces a win: an update, mailed to those who asked for news.
                post_update_in(&mut tx, id, &c.contact.name, &import.win, true, now).await?;
            }
            let entry = AuditEntry { campaign_id: Some(id), ..import.audit.clone() };
            insert_audit(&mut *tx, &entry).await?;
            ids.push(id);
        }
        tx.commit().await.map_err(db)?;
        Ok(ids)
    }
}

/// Creates or replaces a campaign by slug, keeping its identity (and so its signatures). A
/// withdrawn one arrives closed (what it had before it was withdrawn is not known), its
/// `withdrawn_at` set by [`save_in`].
async fn import_one(
    tx: &mut dialect::Conn,
    spec: &CampaignSpec,
    now: OffsetDateTime,
) -> StoreResult<CampaignId> {
    let c = &spec.content;
    let row = bind_settings(
        sqlx::query(&format!(
            "INSERT INTO campaigns (id, status, opens_at, closes_at, dated, contact_name, contact_email, signature_goal, default_lang, created_at, updated_at, embed_sites, slug)
             VALUES ({}, CASE WHEN $1 = 'withdrawn' THEN 'closed' ELSE $1 END, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11)
             ON CONFLICT (slug) DO UPDATE SET status = excluded.status, opens_at = excluded.opens_at,
                 closes_at = excluded.closes_at, dated = excluded.dated, contact_name = excluded.contact_name,
                 contact_email = excluded.contact_email, signature_goal = excluded.signature_goal,
                 default_lang = excluded.default_lang, updated_at = excluded.updated_at,
                 embed_sites = excluded.embed_sites
             RETURNING id",
            dialect::new_id("campaigns")
        )),
        c,
        now,
    )
    .bind(c.slug.as_str())
    .fetch_one(&mut *tx)
    .await
    .map_err(db)?;
    let id: CampaignId = get(&row, "id")?;
    replace_versions(tx, id, &c.versions).await?;
    let c = keyed_like_stored(tx, id, c).await?;
    replace_demands(tx, id, &c.demands).await?;
    replace_file_endorsements(tx, id, spec, now).await?;
    Ok(id)
}

/// The endorsements that came with the campaign's files, replaced by those of `spec`: those the
/// files still list as they were stay as they are; the others go, each revoked in the signature
/// log, and those new or edited are added (each a new leaf).
async fn replace_file_endorsements(
    tx: &mut dialect::Conn,
    id: CampaignId,
    spec: &CampaignSpec,
    now: OffsetDateTime,
) -> StoreResult<()> {
    let rows = sqlx::query(&format!(
        "SELECT {ENDORSEMENT_COLUMNS} FROM endorsements WHERE campaign_id = $1 AND from_file ORDER BY id"
    ))
    .bind(id)
    .fetch_all(&mut *tx)
    .await
    .map_err(db)?;
    let mut added: Vec<&EndorsementSpec> = spec.endorsements.iter().collect();
    for row in &rows {
        let (kept, _) = endorsement_row(row)?;
        if let Some(same) = added.iter().position(|e| **e == kept.spec) {
            added.remove(same);
            continue;
        }
        revoke_endorsement(tx, kept.id, now).await?;
        sqlx::query("DELETE FROM endorsements WHERE id = $1")
            .bind(kept.id)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
    }
    for e in added {
        insert_endorsement(tx, id, e, true, now).await?;
    }
    Ok(())
}

async fn add_records(
    tx: &mut dialect::Conn,
    id: CampaignId,
    add: &CampaignRecords,
    now: OffsetDateTime,
) -> StoreResult<()> {
    for e in &add.endorsements {
        let offline = e.source != EndorsementSource::Online;
        insert_approved_endorsement(tx, id, &e.spec, offline, false, e.added).await?;
    }
    for u in &add.updates {
        insert_update(tx, id, &u.author, &u.texts, u.published_at).await?;
    }
    if let Some(r) = &add.response {
        upsert_response(&mut *tx, id, r, now).await?;
    }
    Ok(())
}
