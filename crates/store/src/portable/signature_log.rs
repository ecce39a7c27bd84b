//! The signature logs, read: heads, checkpoints, proofs (from the leaves and the kept nodes,
//! read in one query each after a first pass names them), leaves and receipts.

use std::collections::HashMap;

use async_trait::async_trait;
use undersigned_core::CampaignId;
use undersigned_core::signature_log::Salt;
use undersigned_core::store::{LogHead, LogLeaf, Receipt, SignatureLogStore, StoreError, StoreResult};
use undersigned_core::tlog::{self, Hash, Recorder, StoredNodes};

use super::super::store::Backend;
use super::common::{db, dialect, get};
use super::log_append::{RECORD_COLUMNS, frontier, receipt_of};

fn hash_of(bytes: Vec<u8>, what: &str) -> StoreResult<Hash> {
    Hash::try_from(bytes)
        .map_err(|_| StoreError::Corrupt(format!("the signature log: {what} is not 32 bytes")))
}

fn leaf_row(row: &dialect::Row) -> StoreResult<LogLeaf> {
    Ok(LogLeaf {
        index: get::<i64>(row, "idx")? as u64,
        hash: hash_of(get(row, "hash")?, "a leaf hash")?,
        record: get(row, "record")?,
        signature_id: get(row, "signature_id")?,
        endorsement_id: get(row, "endorsement_id")?,
    })
}

impl Backend {
    /// The kept nodes a proof needs, found by running it once over a [`Recorder`].
    async fn stored_nodes(
        &self,
        campaign: CampaignId,
        run: impl Fn(&dyn NodesOf),
    ) -> StoreResult<StoredNodes> {
        let recorder = Recorder::default();
        run(&recorder);
        let needed = recorder.0.into_inner();
        let leaves: Vec<i64> = needed.iter().filter(|(l, _)| *l == 0).map(|(_, i)| *i as i64).collect();
        let mut nodes = HashMap::with_capacity(needed.len());
        if !leaves.is_empty() {
            let rows = sqlx::query(&format!(
                "SELECT idx, hash FROM signature_log_leaves WHERE campaign_id = $1 AND {}",
                dialect::in_ids("idx", "$2")
            ))
            .bind(campaign)
            .bind(dialect::ids(&leaves)?)
            .fetch_all(self.reader())
            .await
            .map_err(db)?;
            for row in rows {
                nodes.insert(
                    (0, get::<i64>(&row, "idx")? as u64),
                    hash_of(get(&row, "hash")?, "a leaf hash")?,
                );
            }
        }
        let mut by_level: HashMap<u32, Vec<i64>> = HashMap::new();
        for (level, index) in needed.iter().filter(|(l, _)| *l > 0) {
            by_level.entry(*level).or_default().push(*index as i64);
        }
        for (level, indexes) in by_level {
            let rows = sqlx::query(&format!(
                "SELECT idx, hash FROM signature_log_nodes WHERE campaign_id = $1 AND level = $2 AND {}",
                dialect::in_ids("idx", "$3")
            ))
            .bind(campaign)
            .bind(i64::from(level))
            .bind(dialect::ids(&indexes)?)
            .fetch_all(self.reader())
            .await
            .map_err(db)?;
            for row in rows {
                nodes.insert(
                    (level, get::<i64>(&row, "idx")? as u64),
                    hash_of(get(&row, "hash")?, "a node hash")?,
                );
            }
        }
        if nodes.len() != needed.len() {
            return Err(StoreError::Corrupt(format!(
                "the signature log of campaign {campaign} lacks {} of the nodes a proof needs",
                needed.len() - nodes.len()
            )));
        }
        Ok(StoredNodes(nodes))
    }
}

/// The two kinds of node source a proof runs over, as one trait object.
trait NodesOf {
    fn inclusion(&self, index: u64, size: u64) -> Vec<Hash>;
    fn consistency(&self, old: u64, new: u64) -> Vec<Hash>;
}

impl<T: tlog::Nodes> NodesOf for T {
    fn inclusion(&self, index: u64, size: u64) -> Vec<Hash> {
        tlog::inclusion_proof(self, index, size)
    }

    fn consistency(&self, old: u64, new: u64) -> Vec<Hash> {
        tlog::consistency_proof(self, old, new)
    }
}

#[async_trait]
impl SignatureLogStore for Backend {
    async fn log_head(&self, campaign: CampaignId) -> StoreResult<LogHead> {
        let mut conn = self.reader().acquire().await.map_err(db)?;
        let edge = frontier(&mut conn, campaign, false).await?;
        let checkpoint: Option<(Option<i64>, Option<String>)> =
            sqlx::query_as("SELECT checkpoint_size, checkpoint FROM signature_logs WHERE campaign_id = $1")
                .bind(campaign)
                .fetch_optional(&mut *conn)
                .await
                .map_err(db)?;
        let checkpoint = match checkpoint {
            Some((Some(size), Some(note))) => Some((size as u64, note)),
            _ => None,
        };
        Ok(LogHead { size: edge.size, root: edge.root(), checkpoint })
    }

    async fn save_checkpoint(&self, campaign: CampaignId, size: u64, note: &str) -> StoreResult<()> {
        sqlx::query(
            "UPDATE signature_logs SET checkpoint = $2, checkpoint_size = $3
             WHERE campaign_id = $1 AND (checkpoint_size IS NULL OR checkpoint_size < $3)",
        )
        .bind(campaign)
        .bind(note)
        .bind(size as i64)
        .execute(self.writer())
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn log_leaf_by_hash(&self, campaign: CampaignId, hash: &Hash) -> StoreResult<Option<u64>> {
        let index: Option<i64> = sqlx::query_scalar(
            "SELECT idx FROM signature_log_leaves WHERE campaign_id = $1 AND hash = $2 ORDER BY idx LIMIT 1",
        )
        .bind(campaign)
        .bind(&hash[..])
        .fetch_optional(self.reader())
        .await
        .map_err(db)?;
        Ok(index.map(|i| i as u64))
    }

    async fn inclusion_proof(&self, campaign: CampaignId, index: u64, size: u64) -> StoreResult<Vec<Hash>> {
        let nodes = self
            .stored_nodes(campaign, |n| {
                n.inclusion(index, size);
            })
            .await?;
        Ok(nodes.inclusion(index, size))
    }

    async fn consistency_proof(&self, campaign: CampaignId, old: u64, new: u64) -> StoreResult<Vec<Hash>> {
        let nodes = self
            .stored_nodes(campaign, |n| {
                n.consistency(old, new);
            })
            .await?;
        Ok(nodes.consistency(old, new))
    }

    async fn log_leaves(&self, campaign: CampaignId, from: u64, limit: u32) -> StoreResult<Vec<LogLeaf>> {
        let rows = sqlx::query(
            "SELECT idx, hash, record, signature_id, endorsement_id FROM signature_log_leaves
             WHERE campaign_id = $1 AND idx >= $2 ORDER BY idx LIMIT $3",
        )
        .bind(campaign)
        .bind(from as i64)
        .bind(i64::from(limit))
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        rows.iter().map(leaf_row).collect()
    }

    async fn log_leaves_of_signatures(
        &self,
        signatures: &[i64],
    ) -> StoreResult<Vec<(i64, LogLeaf, Option<Salt>)>> {
        if signatures.is_empty() {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(&format!(
            "SELECT l.idx, l.hash, l.record, l.signature_id, l.endorsement_id, s.log_salt
             FROM signature_log_leaves l LEFT JOIN signatures s ON s.id = l.signature_id WHERE {} ORDER BY l.idx",
            dialect::in_ids("l.signature_id", "$1")
        ))
        .bind(dialect::ids(signatures)?)
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        rows.iter()
            .map(|row| {
                let salt: Option<Vec<u8>> = get(row, "log_salt")?;
                Ok((get(row, "signature_id")?, leaf_row(row)?, salt.and_then(|s| s.try_into().ok())))
            })
            .collect()
    }

    async fn log_leaves_of_endorsements(&self, endorsements: &[i64]) -> StoreResult<Vec<(i64, LogLeaf)>> {
        if endorsements.is_empty() {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(&format!(
            "SELECT l.idx, l.hash, l.record, l.signature_id, l.endorsement_id FROM signature_log_leaves l
             WHERE {} AND l.idx = (SELECT max(m.idx) FROM signature_log_leaves m WHERE m.endorsement_id = l.endorsement_id)
             ORDER BY l.idx",
            dialect::in_ids("l.endorsement_id", "$1")
        ))
        .bind(dialect::ids(endorsements)?)
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        rows.iter().map(|row| Ok((get(row, "endorsement_id")?, leaf_row(row)?))).collect()
    }

    async fn unlisted_log_leaves(
        &self,
        campaign: CampaignId,
        from: u64,
        below: u64,
        limit: u32,
    ) -> StoreResult<Vec<(LogLeaf, Option<String>)>> {
        let rows = sqlx::query(
            "SELECT l.idx, l.hash, l.record, l.signature_id, l.endorsement_id,
                    CASE WHEN l.signature_id IS NOT NULL THEN
                             CASE WHEN s.id IS NULL THEN 'gone' WHEN s.invalidation_id IS NOT NULL THEN 'invalidated'
                                  ELSE s.status END
                         WHEN l.endorsement_id IS NOT NULL THEN coalesce(e.status, 'gone') END AS became
             FROM signature_log_leaves l LEFT JOIN signatures s ON s.id = l.signature_id
                  LEFT JOIN endorsements e ON e.id = l.endorsement_id
             WHERE l.campaign_id = $1 AND l.idx >= $2 AND l.idx < $3
               AND CASE WHEN l.signature_id IS NOT NULL THEN
                            s.id IS NULL OR s.status <> 'confirmed' OR s.invalidation_id IS NOT NULL
                            OR l.idx < (SELECT max(m.idx) FROM signature_log_leaves m WHERE m.signature_id = l.signature_id)
                        WHEN l.endorsement_id IS NOT NULL THEN
                            e.id IS NULL OR e.status <> 'approved'
                            OR l.idx < (SELECT max(m.idx) FROM signature_log_leaves m WHERE m.endorsement_id = l.endorsement_id)
                        ELSE TRUE END
             ORDER BY l.idx LIMIT $4",
        )
        .bind(campaign)
        .bind(from as i64)
        .bind(below as i64)
        .bind(i64::from(limit))
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        rows.iter().map(|row| Ok((leaf_row(row)?, get(row, "became")?))).collect()
    }

    async fn signature_receipt(&self, signature: i64) -> StoreResult<Option<Receipt>> {
        let row = sqlx::query(&format!(
            // A pending signature has no entry yet (its leaf is appended when it is confirmed):
            // the confirmation mail's receipt, read for every such mail, does not look for one.
            "SELECT s.log_salt, {RECORD_COLUMNS},
                    CASE WHEN s.status = 'confirmed' THEN
                        (SELECT max(l.idx) FROM signature_log_leaves l WHERE l.signature_id = s.id)
                    END AS idx
             FROM signatures s WHERE s.id = $1 AND (s.log_digests IS NOT NULL OR s.log_record IS NOT NULL)"
        ))
        .bind(signature)
        .fetch_optional(self.reader())
        .await
        .map_err(db)?;
        let Some(row) = row else { return Ok(None) };
        receipt_of(&row, get::<Option<i64>>(&row, "idx")?.map(|i| i as u64))
    }
}
