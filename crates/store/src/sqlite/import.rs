//! Importing campaigns from their files as planned (see `undersigned_core::records`), in one
//! transaction.

use sqlx::{Sqlite, SqlitePool, Transaction};
use time::OffsetDateTime;
use undersigned_core::clock::now;
use undersigned_core::records::{CampaignImport, CampaignRecords};
use undersigned_core::store::{StoreError, StoreResult};
use undersigned_core::{CampaignId, EndorsementSource};

use super::{
    db, import_one, insert_approved_endorsement, insert_audit, insert_endorsement, insert_update, save_in,
    upsert_response,
};

pub(super) async fn apply(writer: &SqlitePool, imports: &[CampaignImport]) -> StoreResult<Vec<CampaignId>> {
    let now = now();
    let mut tx = writer.begin().await.map_err(db)?;
    let mut ids = Vec::with_capacity(imports.len());
    for import in imports {
        let c = &import.spec.content;
        let status: Option<(CampaignId, String)> =
            sqlx::query_as("SELECT id, status FROM campaigns WHERE slug = ?")
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
                save_in(&mut tx, id, c, import.keep_revisions, now).await?;
                if import.replace_file_endorsements {
                    sqlx::query("DELETE FROM endorsements WHERE campaign_id = ? AND from_file = 1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                    for e in &import.spec.endorsements {
                        insert_endorsement(&mut tx, id, e, true, now).await?;
                    }
                }
                id
            }
        };
        add_records(&mut tx, id, &import.add, now).await?;
        let entry = undersigned_core::account::AuditEntry { campaign_id: Some(id), ..import.audit.clone() };
        insert_audit(&mut *tx, &entry).await?;
        ids.push(id);
    }
    tx.commit().await.map_err(db)?;
    Ok(ids)
}

async fn add_records(
    tx: &mut Transaction<'_, Sqlite>,
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
        upsert_response(&mut **tx, id, r, now).await?;
    }
    Ok(())
}
