//! The CSV export's pages on SQLite: through the `ExportReader` (`export.rs`), or through sqlx for
//! a database in memory.

use std::sync::Arc;

use undersigned_core::CampaignId;
use undersigned_core::clock::micros;
use undersigned_core::signature::{ListCursor, Signature};
use undersigned_core::store::{StoreError, StoreResult};

use super::dialect::db;
use super::export::EXPORT_PAGE;
use super::portable::common::signature_row;
use super::store::SqliteStore;

impl SqliteStore {
    /// A page of the export: through the `ExportReader`, or through sqlx for a database in memory
    /// (which the reader's own connections could not see). Same SQL, same rows.
    pub(super) async fn export_page(
        &self,
        campaign: CampaignId,
        after: Option<ListCursor>,
        limit: u32,
    ) -> StoreResult<Vec<Signature>> {
        let (at, id) = after.map_or((i64::MIN, i64::MIN), |c| (micros(c.confirmed_at), c.id));
        if let Some(export) = &self.export {
            let export = Arc::clone(export);
            return tokio::task::spawn_blocking(move || export.page(campaign, at, id, limit))
                .await
                .map_err(|e| StoreError::Database(e.to_string()))?;
        }
        let rows = sqlx::query(EXPORT_PAGE)
            .bind(campaign)
            .bind(at)
            .bind(id)
            .bind(i64::from(limit))
            .fetch_all(&self.reader)
            .await
            .map_err(db)?;
        rows.iter().map(|r| signature_row(self.data_key(), r)).collect()
    }
}
