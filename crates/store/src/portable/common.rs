//! What the use cases of many areas share, and what the dialect's own modules (the group-commit
//! writer, the export, the store) take from here: reading a column, a signature's columns and row,
//! queueing a mail in the caller's transaction. A leaf among the portable modules: it uses none of
//! them, nor the store, only the dialect and `crate::rows`.

use sqlx::Row as _;
use time::OffsetDateTime;
use undersigned_core::data_key::DataKey;
use undersigned_core::outbox::MailKind;
use undersigned_core::signature::Signature;
use undersigned_core::store::StoreResult;

pub(super) use super::super::dialect::{self, db};
use crate::rows::SignatureRow;

/// A column of a row.
pub(crate) fn get<'r, T>(row: &'r dialect::Row, column: &str) -> StoreResult<T>
where
    T: sqlx::Decode<'r, dialect::Db> + sqlx::Type<dialect::Db>,
{
    row.try_get(column).map_err(db)
}

pub(crate) const SIGNATURE_COLUMNS: &str = "id, campaign_id, email_key, email, name, country, city, affiliation, comment, \
     private_sealed, display, opt_in, lang, status, created_at, confirmed_at, revision, via, src";

/// A signature's row read back, its address opened with the data key.
pub(crate) fn signature_row(key: &DataKey, r: &dialect::Row) -> StoreResult<Signature> {
    SignatureRow {
        id: get(r, "id")?,
        campaign_id: get(r, "campaign_id")?,
        email_key: get(r, "email_key")?,
        email: get(r, "email")?,
        name: get(r, "name")?,
        country: get(r, "country")?,
        city: get(r, "city")?,
        affiliation: get(r, "affiliation")?,
        comment: get(r, "comment")?,
        private_sealed: get(r, "private_sealed")?,
        display: get(r, "display")?,
        opt_in: get(r, "opt_in")?,
        lang: get(r, "lang")?,
        status: get(r, "status")?,
        created_at: dialect::time_at(r, "created_at")?,
        confirmed_at: dialect::opt_time_at(r, "confirmed_at")?,
        revision: get(r, "revision")?,
        via: get(r, "via")?,
        src: get(r, "src")?,
    }
    .into_signature(key)
}

/// Queues a mail of a kind about a row, due at once, in the caller's transaction.
pub(crate) async fn enqueue(
    conn: &mut dialect::Conn,
    kind: MailKind,
    ref_id: i64,
    now: OffsetDateTime,
) -> StoreResult<()> {
    sqlx::query("INSERT INTO outbox (kind, ref_id, next_attempt_at, created_at) VALUES ($1, $2, $3, $3)")
        .bind(kind.as_str())
        .bind(ref_id)
        .bind(dialect::at(now))
        .execute(conn)
        .await
        .map_err(db)?;
    Ok(())
}
