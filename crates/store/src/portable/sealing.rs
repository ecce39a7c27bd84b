//! Sealing what a version before the data key left in clear (`undersigned data seal`): table by
//! table, in batches of rows after a cursor, each batch its own transaction, so that the command
//! can be stopped at any point and run again. A row is written back only if its values are still
//! those read (the server runs meanwhile: an address anonymised in between stays anonymised). The
//! records that named whole IP hashes (invalidations, the audit log) are cut to what
//! `SignatureFilter::describe` now writes. Last, the private fields of signatures written before
//! they were sealed: the city, affiliation, comment and a name not shown in full go into
//! `private_sealed`, and the name column keeps its public form. Then what was sealed later
//! (`sealing_later`): endorsements' contact names, imports' identifiers, the IP hashes of trending
//! alerts and block lists. Last, the private fields sealed under the data key (of signatures and
//! endorsements' contacts) of campaigns whose owners have keys now are sealed again to those keys
//! (`undersigned_core::private_fields::reseal`), one age header per batch and campaign.

use std::collections::BTreeSet;

use async_trait::async_trait;
use undersigned_core::CampaignId;
use undersigned_core::moderation::shorten_ip_hashes;
use undersigned_core::store::{SealBatch, SealCursor, SealingStore, StoreResult};

use super::super::store::Backend;
use super::common::{db, dialect, get};
use super::sealing_later::Later;
use super::sign_batch::recipients;
use crate::owner_sealing::PrivateSealer;
use crate::rows::public_name;
use crate::sealed::{
    COMMENTER_EMAIL, Column, ENDORSEMENT_EMAIL, ENDORSEMENT_IP, SIGNATURE_EMAIL, SIGNATURE_IP,
    is_clear_email, is_clear_ip, open_private, private_digest, seal_email, seal_ip,
};
use undersigned_core::private_fields::PrivateFields;

/// A table whose rows hold addresses (and IP hashes) to seal.
struct Sealed {
    table: &'static str,
    email: &'static str,
    email_column: Column,
    ip_column: Option<Column>,
}

/// A table whose rows may name whole IP hashes in a text column.
struct Record {
    table: &'static str,
    text: &'static str,
}

/// The private fields of signatures (`crate::sealed::seal_private`): the last step.
struct Private;

/// Private fields under the data key, to seal again to the owners' keys: a table and its columns.
struct Reseal {
    table: &'static str,
    sealed: &'static str,
    key_ids: &'static str,
}

/// The steps, in order: a cursor's `table` is an index into this list (new steps go last, so
/// that a cursor from an older version still names its step).
enum Step {
    Seal(Sealed),
    Shorten(Record),
    Private(Private),
    Later(Later),
    Reseal(Reseal),
}

const STEPS: [Step; 12] = [
    Step::Seal(Sealed {
        table: "signatures",
        email: "email",
        email_column: SIGNATURE_EMAIL,
        ip_column: Some(SIGNATURE_IP),
    }),
    Step::Seal(Sealed {
        table: "endorsements",
        email: "contact_email",
        email_column: ENDORSEMENT_EMAIL,
        ip_column: Some(ENDORSEMENT_IP),
    }),
    Step::Seal(Sealed {
        table: "commenters",
        email: "email",
        email_column: COMMENTER_EMAIL,
        ip_column: None,
    }),
    Step::Shorten(Record { table: "invalidations", text: "conditions" }),
    Step::Shorten(Record { table: "audit_log", text: "detail" }),
    Step::Private(Private),
    Step::Later(Later::ContactNames),
    Step::Later(Later::Identifiers),
    Step::Later(Later::Trends),
    Step::Later(Later::Blocks),
    Step::Reseal(Reseal { table: "signatures", sealed: "private_sealed", key_ids: "private_key_ids" }),
    Step::Reseal(Reseal {
        table: "endorsements",
        sealed: "contact_name_sealed",
        key_ids: "contact_name_key_ids",
    }),
];

/// The campaigns whose owners have an active key (as `sign_batch::recipients` reads them).
const WITH_KEYS: &str = "campaign_id IN (SELECT r.campaign_id FROM campaign_roles r
     JOIN owner_keys k ON k.user_id = r.user_id AND k.activated_at IS NOT NULL AND k.retired_at IS NULL
     JOIN users u ON u.id = r.user_id AND u.disabled_at IS NULL
     WHERE r.role = 'owner')";

/// One sealer for the campaigns of `rows` (their `campaign_id`), with their owners' keys.
async fn sealer_for<'k>(
    b: &'k Backend,
    conn: &mut dialect::Conn,
    rows: &[dialect::Row],
) -> StoreResult<PrivateSealer<'k>> {
    let campaigns: BTreeSet<CampaignId> =
        rows.iter().map(|r| get(r, "campaign_id")).collect::<StoreResult<_>>()?;
    let mut keys = Vec::with_capacity(campaigns.len());
    for campaign in campaigns {
        keys.push((campaign, recipients(conn, campaign).await?));
    }
    Ok(PrivateSealer::new(b.data_key(), keys.iter().map(|(c, r)| (*c, r))))
}

impl Reseal {
    fn condition(&self) -> String {
        format!("{} LIKE 'datakey:%' AND {WITH_KEYS}", self.sealed)
    }

    async fn batch(&self, b: &Backend, after: i64, limit: u32) -> StoreResult<(u64, Option<i64>, usize)> {
        let (table, column, ids) = (self.table, self.sealed, self.key_ids);
        let mut tx = b.writer().begin().await.map_err(db)?;
        let rows = sqlx::query(&format!(
            "SELECT id, campaign_id, email_key, {column} AS sealed FROM {table}
             WHERE id > $1 AND {} ORDER BY id LIMIT $2",
            self.condition()
        ))
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
        let sealer = sealer_for(b, &mut tx, &rows).await?;
        let mut sealed = 0;
        for r in &rows {
            let (id, campaign): (i64, CampaignId) = (get(r, "id")?, get(r, "campaign_id")?);
            let row = get::<Option<Vec<u8>>>(r, "email_key")?.unwrap_or_default();
            let stored: String = get(r, "sealed")?;
            let fields = open_private(b.data_key(), &row, Some(&stored))?;
            let resealed = sealer.seal(campaign, &row, &fields);
            // Written back only if the row is still as read (the server runs meanwhile).
            sealed += sqlx::query(&format!(
                "UPDATE {table} SET {column} = $1, {ids} = $2 WHERE id = $3 AND {column} = $4"
            ))
            .bind(resealed.sealed)
            .bind(resealed.key_ids)
            .bind(id)
            .bind(&stored)
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected();
        }
        tx.commit().await.map_err(db)?;
        let last = rows.last().map(|r| get::<i64>(r, "id")).transpose()?;
        Ok((sealed, last, rows.len()))
    }

    async fn count(&self, conn: &mut dialect::Conn) -> StoreResult<i64> {
        sqlx::query_scalar(&format!("SELECT count(*) FROM {} WHERE {}", self.table, self.condition()))
            .fetch_one(conn)
            .await
            .map_err(db)
    }
}

impl Sealed {
    /// The condition of a row still in clear: an address with an `@`, an IP hash of 16 bytes.
    fn in_clear(&self) -> String {
        match self.ip_column {
            Some(_) => format!("({} LIKE '%@%' OR length(ip_key) = 16)", self.email),
            None => format!("{} LIKE '%@%'", self.email),
        }
    }

    /// The IP hash column, as selected (NULL where the table has none).
    fn ip(&self) -> &'static str {
        if self.ip_column.is_some() { "ip_key" } else { "NULL" }
    }

    async fn batch(&self, b: &Backend, after: i64, limit: u32) -> StoreResult<(u64, Option<i64>, usize)> {
        let (table, email) = (self.table, self.email);
        let mut tx = b.writer().begin().await.map_err(db)?;
        let rows = sqlx::query(&format!(
            "SELECT id, email_key, {email} AS email, {} AS ip_key FROM {table}
             WHERE id > $1 AND {} ORDER BY id LIMIT $2",
            self.ip(),
            self.in_clear()
        ))
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
        let key = b.data_key();
        let mut sealed = 0;
        for r in &rows {
            let row = get::<Option<Vec<u8>>>(r, "email_key")?.unwrap_or_default();
            let stored_email: Option<String> = get(r, "email")?;
            let sealed_email = stored_email.as_deref().map(|e| match is_clear_email(e) {
                true => seal_email(key, self.email_column, &row, e),
                false => e.to_owned(),
            });
            let stored_ip: Option<Vec<u8>> = match self.ip_column {
                Some(_) => get(r, "ip_key")?,
                None => None,
            };
            let ip = match (self.ip_column, &stored_ip) {
                (Some(column), Some(ip)) if is_clear_ip(ip) => Some(seal_ip(key, column, &row, ip)),
                _ => stored_ip.clone(),
            };
            let id: i64 = get(r, "id")?;
            let set_email = format!("{email} = CASE WHEN {email} = $2 THEN $1 ELSE {email} END");
            let sql = match self.ip_column {
                Some(_) => format!(
                    "UPDATE {table} SET {set_email}, ip_key = CASE WHEN ip_key = $4 THEN $3 ELSE ip_key END
                     WHERE id = $5"
                ),
                None => format!("UPDATE {table} SET {set_email} WHERE id = $3"),
            };
            let update = sqlx::query(&sql).bind(sealed_email).bind(stored_email);
            let update = match self.ip_column {
                Some(_) => update.bind(ip).bind(stored_ip).bind(id),
                None => update.bind(id),
            };
            sealed += update.execute(&mut *tx).await.map_err(db)?.rows_affected();
        }
        tx.commit().await.map_err(db)?;
        let last = rows.last().map(|r| get::<i64>(r, "id")).transpose()?;
        Ok((sealed, last, rows.len()))
    }

    async fn count(&self, conn: &mut dialect::Conn) -> StoreResult<i64> {
        sqlx::query_scalar(&format!("SELECT count(*) FROM {} WHERE {}", self.table, self.in_clear()))
            .fetch_one(conn)
            .await
            .map_err(db)
    }
}

impl Record {
    /// The rows after `after` that may name an IP hash (a few: invalidations by IP hash), with
    /// their text cut where it names a whole one.
    async fn candidates(
        &self,
        conn: &mut dialect::Conn,
        after: i64,
        limit: u32,
    ) -> StoreResult<(Vec<(i64, String, String)>, Option<i64>, usize)> {
        let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
            "SELECT id, {} FROM {} WHERE id > $1 AND {} LIKE '%IP hash %' ORDER BY id LIMIT $2",
            self.text, self.table, self.text
        ))
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(conn)
        .await
        .map_err(db)?;
        let last = rows.last().map(|(id, _)| *id);
        let n = rows.len();
        let cut = rows
            .into_iter()
            .filter_map(|(id, text)| shorten_ip_hashes(&text).map(|short| (id, text, short)))
            .collect();
        Ok((cut, last, n))
    }

    async fn batch(&self, b: &Backend, after: i64, limit: u32) -> StoreResult<(u64, Option<i64>, usize)> {
        let mut tx = b.writer().begin().await.map_err(db)?;
        let (cut, last, n) = self.candidates(&mut tx, after, limit).await?;
        let mut sealed = 0;
        for (id, text, short) in cut {
            let sql =
                format!("UPDATE {} SET {} = $1 WHERE id = $2 AND {} = $3", self.table, self.text, self.text);
            sealed += sqlx::query(&sql)
                .bind(short)
                .bind(id)
                .bind(text)
                .execute(&mut *tx)
                .await
                .map_err(db)?
                .rows_affected();
        }
        tx.commit().await.map_err(db)?;
        Ok((sealed, last, n))
    }

    async fn count(&self, conn: &mut dialect::Conn) -> StoreResult<i64> {
        let (mut count, mut after) = (0, 0);
        loop {
            let (cut, last, _) = self.candidates(conn, after, 1_000).await?;
            count += cut.len() as i64;
            match last {
                Some(last) => after = last,
                None => return Ok(count),
            }
        }
    }
}

impl Private {
    /// A signature written before its private fields were sealed: a city, an affiliation or a
    /// comment in clear, or a name not shown in full.
    const IN_CLEAR: &str = "private_sealed IS NULL AND (city IS NOT NULL OR affiliation IS NOT NULL
         OR comment IS NOT NULL OR (display <> 'full' AND name <> ''))";

    async fn batch(&self, b: &Backend, after: i64, limit: u32) -> StoreResult<(u64, Option<i64>, usize)> {
        let mut tx = b.writer().begin().await.map_err(db)?;
        let rows = sqlx::query(&format!(
            "SELECT id, campaign_id, email_key, name, display, city, affiliation, comment FROM signatures
             WHERE id > $1 AND {} ORDER BY id LIMIT $2",
            Self::IN_CLEAR
        ))
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
        let sealer = sealer_for(b, &mut tx, &rows).await?;
        let mut sealed = 0;
        for r in &rows {
            let (id, campaign): (i64, CampaignId) = (get(r, "id")?, get(r, "campaign_id")?);
            let row = get::<Option<Vec<u8>>>(r, "email_key")?.unwrap_or_default();
            let (name, display): (String, String) = (get(r, "name")?, get(r, "display")?);
            let (city, affiliation, comment): (Option<String>, Option<String>, Option<String>) =
                (get(r, "city")?, get(r, "affiliation")?, get(r, "comment")?);
            let fields = PrivateFields {
                name: (display != "full" && !name.is_empty()).then(|| name.clone()),
                city: city.clone(),
                affiliation: affiliation.clone(),
                comment: comment.clone(),
                contact_name: None,
                answers: Default::default(),
            };
            let private = sealer.seal(campaign, &row, &fields);
            // Written back only if the row is still as read (the server runs meanwhile).
            sealed += sqlx::query(
                "UPDATE signatures SET name = $1, private_sealed = $2, private_digest = $3,
                     private_key_ids = $10, city = NULL, affiliation = NULL, comment = NULL
                 WHERE id = $4 AND private_sealed IS NULL
                   AND (name, display, city, affiliation, comment) IS NOT DISTINCT FROM ($5, $6, $7, $8, $9)",
            )
            .bind(public_name(id, &name, &display)?)
            .bind(private.sealed)
            .bind(private_digest(b.data_key(), &row, &fields))
            .bind(id)
            .bind(&name)
            .bind(&display)
            .bind(city)
            .bind(affiliation)
            .bind(comment)
            .bind(private.key_ids)
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected();
        }
        tx.commit().await.map_err(db)?;
        let last = rows.last().map(|r| get::<i64>(r, "id")).transpose()?;
        Ok((sealed, last, rows.len()))
    }

    async fn count(&self, conn: &mut dialect::Conn) -> StoreResult<i64> {
        sqlx::query_scalar(&format!("SELECT count(*) FROM signatures WHERE {}", Self::IN_CLEAR))
            .fetch_one(conn)
            .await
            .map_err(db)
    }
}

#[async_trait]
impl SealingStore for Backend {
    async fn seal_in_clear(&self, from: SealCursor, limit: u32) -> StoreResult<SealBatch> {
        let Some(step) = STEPS.get(from.table) else { return Ok(SealBatch { sealed: 0, next: None }) };
        let limit = limit.max(1);
        let (sealed, last, read) = match step {
            Step::Seal(table) => table.batch(self, from.after, limit).await?,
            Step::Shorten(record) => record.batch(self, from.after, limit).await?,
            Step::Private(private) => private.batch(self, from.after, limit).await?,
            Step::Later(later) => later.batch(self, from.after, limit).await?,
            Step::Reseal(reseal) => reseal.batch(self, from.after, limit).await?,
        };
        let next = match last {
            Some(after) if read == limit as usize => SealCursor { table: from.table, after },
            _ => SealCursor { table: from.table + 1, after: 0 },
        };
        Ok(SealBatch { sealed, next: (next.table < STEPS.len()).then_some(next) })
    }

    async fn rows_in_clear(&self) -> StoreResult<u64> {
        let mut conn = self.reader().acquire().await.map_err(db)?;
        let mut count = 0;
        for step in &STEPS {
            count += match step {
                Step::Seal(table) => table.count(&mut conn).await?,
                Step::Shorten(record) => record.count(&mut conn).await?,
                Step::Private(private) => private.count(&mut conn).await?,
                Step::Later(later) => later.count(&mut conn).await?,
                // Sealed (under the data key), not in clear: `rows_to_reseal`.
                Step::Reseal(_) => 0,
            };
        }
        Ok(count as u64)
    }

    async fn rows_to_reseal(&self) -> StoreResult<u64> {
        let mut conn = self.reader().acquire().await.map_err(db)?;
        let mut count = 0;
        for step in &STEPS {
            if let Step::Reseal(reseal) = step {
                count += reseal.count(&mut conn).await?;
            }
        }
        Ok(count as u64)
    }
}
