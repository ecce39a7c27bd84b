//! The CSV export's pages on SQLite, read straight through SQLite's C API (the store's
//! `export_page`, in `export_page.rs`, pages through here).

use std::time::Duration;

use time::OffsetDateTime;
use undersigned_core::CampaignId;
use undersigned_core::data_key::DataKey;
use undersigned_core::signature::Signature;
use undersigned_core::store::{StoreError, StoreResult};

use super::dialect::from_time;
use crate::rows::SignatureRow;

/// Reads the CSV export's pages straight through SQLite's C API (rusqlite) in a blocking task.
/// sqlx hands each row from its SQLite thread to the async task and copies every value of it,
/// which the profile of an export of a million signatures showed costing more than SQLite's own
/// work (6.6 s, against the 5 s); here a page of rows costs one hand-off. Same SQL, same
/// rows; its connections are read-only, and keep a small cache (2 MB): an export reads each page
/// once, in order, so the OS's file cache serves it as well, and the server stays small.
pub(super) struct ExportReader {
    pub(super) path: std::path::PathBuf,
    pub(super) idle: std::sync::Mutex<Vec<rusqlite::Connection>>,
    /// What the addresses are opened with.
    pub(super) data_key: std::sync::Arc<DataKey>,
}

pub(super) const EXPORT_PAGE: &str = "SELECT id, campaign_id, email_key, email, name, country, city, affiliation, comment, display, opt_in, lang, status, created_at, confirmed_at, revision, private_sealed, via, src
     FROM signatures WHERE campaign_id = ?1 AND status = 'confirmed' AND invalidation_id IS NULL
       AND confirmed_at >= ?2 AND (confirmed_at > ?2 OR id > ?3)
     ORDER BY confirmed_at, id LIMIT ?4";

impl ExportReader {
    pub(super) fn page(
        &self,
        campaign: CampaignId,
        at: i64,
        id: i64,
        limit: u32,
    ) -> StoreResult<Vec<Signature>> {
        let failed = |e: rusqlite::Error| StoreError::Database(e.to_string());
        let conn = match self.idle.lock().ok().and_then(|mut idle| idle.pop()) {
            Some(conn) => conn,
            None => {
                let conn = rusqlite::Connection::open_with_flags(
                    &self.path,
                    rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )
                .map_err(failed)?;
                conn.busy_timeout(Duration::from_secs(10)).map_err(failed)?;
                conn.pragma_update(None, "cache_size", -2048).map_err(failed)?;
                conn
            }
        };
        let rows = (|| {
            let mut statement = conn.prepare_cached(EXPORT_PAGE)?;
            let rows = statement.query_map(rusqlite::params![campaign, at, id, i64::from(limit)], |r| {
                Ok((
                    SignatureRow {
                        id: r.get(0)?,
                        campaign_id: r.get(1)?,
                        email_key: r.get(2)?,
                        email: r.get(3)?,
                        name: r.get(4)?,
                        country: r.get(5)?,
                        city: r.get(6)?,
                        affiliation: r.get(7)?,
                        comment: r.get(8)?,
                        private_sealed: r.get(16)?,
                        display: r.get(9)?,
                        opt_in: r.get(10)?,
                        lang: r.get(11)?,
                        status: r.get(12)?,
                        created_at: OffsetDateTime::UNIX_EPOCH,
                        confirmed_at: None,
                        revision: r.get(15)?,
                        via: r.get(17)?,
                        src: r.get(18)?,
                    },
                    r.get::<_, i64>(13)?,
                    r.get::<_, Option<i64>>(14)?,
                ))
            })?;
            rows.collect::<Result<Vec<_>, _>>()
        })()
        .map_err(failed)?;
        if let Ok(mut idle) = self.idle.lock()
            && idle.is_empty()
        {
            idle.push(conn);
        }
        rows.into_iter()
            .map(|(mut row, created_at, confirmed_at)| {
                row.created_at = from_time(created_at)?;
                row.confirmed_at = confirmed_at.map(from_time).transpose()?;
                row.into_signature(&self.data_key)
            })
            .collect()
    }
}
