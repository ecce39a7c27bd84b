//! Appending to the campaigns' signature logs inside the caller's transaction (the group commit's
//! confirmations, an endorsement approved, a revocation). Below the store, as `sign_batch`: it
//! uses only `common`.
//!
//! Per campaign of a batch: one read of the log's row (its size and right edge), one INSERT of
//! the leaves, one of the kept nodes when the batch finished any (every fourth level, so one in
//! sixteen leaves), one write of the log's row. No tree is recomputed.

use std::collections::{BTreeMap, HashMap};

use undersigned_core::signature_log::{LeafRecord, signature_record};
use undersigned_core::store::{Receipt, StoreError, StoreResult};
use undersigned_core::tlog::{self, Frontier};

use super::common::{db, dialect, get};

/// A leaf to append: its campaign, its canonical record, and the row it stands for.
pub(crate) struct NewLeaf {
    pub campaign_id: i64,
    pub record: String,
    pub signature_id: Option<i64>,
    pub endorsement_id: Option<i64>,
}

/// The columns of a signature's row its record is made of ([`record_of`]), for a SELECT or a
/// RETURNING.
pub(crate) const RECORD_COLUMNS: &str = "campaign_id, created_at, name, country, log_digests, log_record";

/// A signature's canonical record from its row ([`RECORD_COLUMNS`]): made from its digests (see
/// `SignedLeaf`), or as kept by a row from before them; `None` for one signed before the log
/// began.
pub(crate) fn record_of(row: &dialect::Row) -> StoreResult<Option<String>> {
    if let Some(digests) = get::<Option<Vec<u8>>>(row, "log_digests")? {
        let record = signature_record(
            get(row, "campaign_id")?,
            dialect::time_at(row, "created_at")?,
            &get::<String>(row, "name")?,
            &get::<String>(row, "country")?,
            &digests,
        );
        return record
            .map(Some)
            .ok_or_else(|| StoreError::Corrupt("a signature's log digests are not 64 bytes".into()));
    }
    get(row, "log_record")
}

/// Each row's (id, campaign, record) ([`record_of`]), from rows with `id` and [`RECORD_COLUMNS`]:
/// what [`append_confirmed`] takes.
pub(crate) fn records_of(rows: &[dialect::Row]) -> StoreResult<Vec<(i64, i64, Option<String>)>> {
    rows.iter().map(|row| Ok((get(row, "id")?, get(row, "campaign_id")?, record_of(row)?))).collect()
}

/// A signature's receipt from its row ([`RECORD_COLUMNS`] and `log_salt`), with its entry in the
/// log if known; `None` for one signed before the log began.
pub(crate) fn receipt_of(row: &dialect::Row, index: Option<u64>) -> StoreResult<Option<Receipt>> {
    let Some(record) = record_of(row)? else { return Ok(None) };
    let salt: Option<Vec<u8>> = get(row, "log_salt")?;
    Ok(Some(Receipt {
        campaign: get(row, "campaign_id")?,
        salt: salt.and_then(|s| s.try_into().ok()),
        record,
        index,
    }))
}

/// Appends the leaves of the signatures a batch confirmed, from their (id, campaign, record), in
/// the order of their ids; returns each one's entry in its campaign's log (none for those signed
/// before the log began, which have no record).
pub(crate) async fn append_confirmed(
    conn: &mut dialect::Conn,
    mut confirmed: Vec<(i64, i64, Option<String>)>,
) -> StoreResult<HashMap<i64, Option<u64>>> {
    confirmed.sort_unstable_by_key(|(id, _, _)| *id);
    let mut entries: HashMap<i64, Option<u64>> = HashMap::with_capacity(confirmed.len());
    let mut leaves = Vec::with_capacity(confirmed.len());
    for (id, campaign, record) in confirmed {
        entries.insert(id, None);
        if let Some(record) = record {
            leaves.push(NewLeaf {
                campaign_id: campaign,
                record,
                signature_id: Some(id),
                endorsement_id: None,
            });
        }
    }
    let indexes = append(conn, &leaves).await?;
    for (leaf, (_, index)) in leaves.iter().zip(indexes) {
        entries.extend(leaf.signature_id.map(|id| (id, Some(index))));
    }
    Ok(entries)
}

/// How many rows one multi-row INSERT takes (5 parameters each, well within both databases'
/// limits).
const ROWS_PER_INSERT: usize = 500;

/// Appends the leaves, in order, each campaign's after its log's last; returns each leaf's
/// (campaign, index), in the order given.
pub(crate) async fn append(conn: &mut dialect::Conn, leaves: &[NewLeaf]) -> StoreResult<Vec<(i64, u64)>> {
    let mut by_campaign: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for (i, leaf) in leaves.iter().enumerate() {
        by_campaign.entry(leaf.campaign_id).or_default().push(i);
    }
    let mut indexes = vec![(0, 0); leaves.len()];
    for (campaign, members) in by_campaign {
        let mut frontier = frontier(conn, campaign, true).await?;
        let mut rows = Vec::with_capacity(members.len());
        let mut kept = Vec::new();
        for i in members {
            let leaf = &leaves[i];
            let index = frontier.size;
            let hash = tlog::leaf_hash(leaf.record.as_bytes());
            kept.extend(frontier.push(hash));
            indexes[i] = (campaign, index);
            rows.push((index, hash, leaf));
        }
        for chunk in rows.chunks(ROWS_PER_INSERT) {
            let values = (0..chunk.len())
                .map(|r| {
                    format!(
                        "(${}, ${}, ${}, ${}, ${}, ${})",
                        r * 6 + 1,
                        r * 6 + 2,
                        r * 6 + 3,
                        r * 6 + 4,
                        r * 6 + 5,
                        r * 6 + 6
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "INSERT INTO signature_log_leaves (campaign_id, idx, hash, record, signature_id, endorsement_id) VALUES {values}"
            );
            let mut query = sqlx::query(&sql);
            for (index, hash, leaf) in chunk {
                query = query
                    .bind(campaign)
                    .bind(*index as i64)
                    .bind(&hash[..])
                    .bind(&leaf.record)
                    .bind(leaf.signature_id)
                    .bind(leaf.endorsement_id);
            }
            query.execute(&mut *conn).await.map_err(db)?;
        }
        for chunk in kept.chunks(ROWS_PER_INSERT) {
            let values = (0..chunk.len())
                .map(|r| format!("(${}, ${}, ${}, ${})", r * 4 + 1, r * 4 + 2, r * 4 + 3, r * 4 + 4))
                .collect::<Vec<_>>()
                .join(", ");
            let sql =
                format!("INSERT INTO signature_log_nodes (campaign_id, level, idx, hash) VALUES {values}");
            let mut query = sqlx::query(&sql);
            for (level, index, hash) in chunk {
                query = query.bind(campaign).bind(i64::from(*level)).bind(*index as i64).bind(&hash[..]);
            }
            query.execute(&mut *conn).await.map_err(db)?;
        }
        sqlx::query(
            "INSERT INTO signature_logs (campaign_id, size, frontier) VALUES ($1, $2, $3)
             ON CONFLICT (campaign_id) DO UPDATE SET size = excluded.size, frontier = excluded.frontier",
        )
        .bind(campaign)
        .bind(frontier.size as i64)
        .bind(frontier.to_bytes())
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    }
    Ok(indexes)
}

/// Appends the leaf that revokes a signature's leaf, if it has one (withdrawn or invalidated),
/// in the caller's transaction, before its row goes.
pub(crate) async fn revoke_signature(
    conn: &mut dialect::Conn,
    signature: i64,
    now: time::OffsetDateTime,
) -> StoreResult<()> {
    revoke_latest(conn, "signature_id", signature, now).await
}

/// Appends the leaf that revokes an endorsement's leaf, if it has one (removed, or replaced by
/// its edited form), in the caller's transaction.
pub(crate) async fn revoke_endorsement(
    conn: &mut dialect::Conn,
    endorsement: i64,
    now: time::OffsetDateTime,
) -> StoreResult<()> {
    revoke_latest(conn, "endorsement_id", endorsement, now).await
}

/// Appends the leaf that revokes the latest leaf whose `column` (`signature_id` or
/// `endorsement_id`) is `id`, if there is one.
async fn revoke_latest(
    conn: &mut dialect::Conn,
    column: &str,
    id: i64,
    now: time::OffsetDateTime,
) -> StoreResult<()> {
    let leaf: Option<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT campaign_id, idx FROM signature_log_leaves WHERE {column} = $1 ORDER BY idx DESC LIMIT 1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
    .map_err(db)?;
    let Some((campaign, index)) = leaf else { return Ok(()) };
    let record = LeafRecord::Revoke { campaign, signed: now, revokes: index as u64 }.canonical();
    append(conn, &[NewLeaf { campaign_id: campaign, record, signature_id: None, endorsement_id: None }])
        .await?;
    Ok(())
}

/// Appends the entries that revoke the latest entries of the signatures an invalidation marked.
pub(crate) async fn revoke_invalidated(
    conn: &mut dialect::Conn,
    invalidation: i64,
    now: time::OffsetDateTime,
) -> StoreResult<()> {
    let revoked: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT l.campaign_id, max(l.idx) FROM signature_log_leaves l JOIN signatures s ON s.id = l.signature_id
         WHERE s.invalidation_id = $1 GROUP BY l.campaign_id, l.signature_id ORDER BY max(l.idx)",
    )
    .bind(invalidation)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    let leaves: Vec<NewLeaf> = revoked
        .into_iter()
        .map(|(campaign, index)| NewLeaf {
            campaign_id: campaign,
            record: LeafRecord::Revoke { campaign, signed: now, revokes: index as u64 }.canonical(),
            signature_id: None,
            endorsement_id: None,
        })
        .collect();
    append(conn, &leaves).await?;
    Ok(())
}

/// Appends a new entry, with the record fixed when they signed, for each signature an
/// invalidation being undone had marked (that has a record).
pub(crate) async fn restore_invalidated(conn: &mut dialect::Conn, invalidation: i64) -> StoreResult<()> {
    let rows = sqlx::query(&format!(
        "SELECT id, {RECORD_COLUMNS} FROM signatures
         WHERE invalidation_id = $1 AND status = 'confirmed'
           AND (log_digests IS NOT NULL OR log_record IS NOT NULL) ORDER BY id"
    ))
    .bind(invalidation)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    append_confirmed(conn, records_of(&rows)?).await?;
    Ok(())
}

/// A campaign's log as its row keeps it (empty when it has none yet); locked for the transaction
/// where the dialect locks rows, when `lock`.
pub(crate) async fn frontier(conn: &mut dialect::Conn, campaign: i64, lock: bool) -> StoreResult<Frontier> {
    let row = sqlx::query(&format!(
        "SELECT size, frontier FROM signature_logs WHERE campaign_id = $1{}",
        if lock { dialect::FOR_UPDATE } else { "" }
    ))
    .bind(campaign)
    .fetch_optional(&mut *conn)
    .await
    .map_err(db)?;
    let Some(row) = row else { return Ok(Frontier::default()) };
    let size: i64 = get(&row, "size")?;
    let bytes: Vec<u8> = get(&row, "frontier")?;
    Frontier::from_bytes(size as u64, &bytes).ok_or_else(|| {
        StoreError::Corrupt(format!("the signature log of campaign {campaign}: its right edge"))
    })
}
