//! Retention: personal data goes when its time is over. IP hashes and their daily keys after
//! some days; signers' and endorsers' data once a campaign has ended long enough.

use async_trait::async_trait;
use time::OffsetDateTime;
use undersigned_core::CampaignId;
use undersigned_core::campaign::RetentionDue;
use undersigned_core::clock::now;
use undersigned_core::keys::day_number;
use undersigned_core::store::{RetentionStore, StoreError, StoreResult};

use super::super::store::Backend;
use super::comments::forget_comment_addresses;
use super::common::{db, dialect, get};
use crate::rows::public_name;

#[async_trait]
impl RetentionStore for Backend {
    async fn forget_ip_hashes(&self, before: OffsetDateTime) -> StoreResult<u64> {
        let mut forgotten = 0;
        for table in ["signatures", "endorsements"] {
            forgotten += sqlx::query(&format!(
                "UPDATE {table} SET ip_key = NULL WHERE ip_key IS NOT NULL AND created_at < $1"
            ))
            .bind(dialect::at(before))
            .execute(self.writer())
            .await
            .map_err(db)?
            .rows_affected();
        }
        sqlx::query("DELETE FROM ip_hash_keys WHERE day < $1")
            .bind(day_number(before))
            .execute(self.writer())
            .await
            .map_err(db)?;
        sqlx::query("DELETE FROM mail_budgets WHERE window_start < $1")
            .bind(dialect::at(before))
            .execute(self.writer())
            .await
            .map_err(db)?;
        Ok(forgotten)
    }

    async fn ip_hash_key(&self, day: i64, fresh: [u8; 32]) -> StoreResult<[u8; 32]> {
        // Two statements, so that the read sees a key another instance inserted meanwhile.
        sqlx::query("INSERT INTO ip_hash_keys (day, key) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING")
            .bind(day)
            .bind(&fresh[..])
            .execute(self.writer())
            .await
            .map_err(db)?;
        let key: Vec<u8> = sqlx::query_scalar("SELECT key FROM ip_hash_keys WHERE day = $1")
            .bind(day)
            .fetch_one(self.writer())
            .await
            .map_err(db)?;
        key.try_into().map_err(|_| StoreError::Database("an IP hash key is not 32 bytes".into()))
    }

    async fn retention_due(&self, before: OffsetDateTime) -> StoreResult<Vec<RetentionDue>> {
        let rows = sqlx::query(
            "SELECT c.id, c.ended_at,
                 (SELECT count(*) FROM signatures s WHERE s.campaign_id = c.id AND NOT s.anonymised) AS signatures,
                 (SELECT count(*) FROM endorsements e WHERE e.campaign_id = c.id AND e.contact_email IS NOT NULL) AS endorsements,
                 EXISTS (SELECT 1 FROM comments k WHERE k.campaign_id = c.id AND k.commenter_id IS NOT NULL) AS commenters,
                 EXISTS (SELECT 1 FROM proposals p WHERE p.campaign_id = c.id AND p.email <> '') AS proposer
             FROM campaigns c WHERE c.ended_at IS NOT NULL AND c.ended_at < $1 ORDER BY c.id",
        )
        .bind(dialect::at(before))
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        let mut due = Vec::new();
        for r in &rows {
            let campaign = RetentionDue {
                campaign: get(r, "id")?,
                ended_at: dialect::time_at(r, "ended_at")?,
                signatures: get(r, "signatures")?,
                endorsements: get(r, "endorsements")?,
            };
            // Commenters' and proposers' addresses are personal data too.
            if campaign.signatures > 0
                || campaign.endorsements > 0
                || get::<bool>(r, "commenters")?
                || get::<bool>(r, "proposer")?
            {
                due.push(campaign);
            }
        }
        Ok(due)
    }

    async fn ended_at(&self, campaign: CampaignId) -> StoreResult<Option<OffsetDateTime>> {
        let row = sqlx::query(
            "SELECT coalesce(ended_at, CASE WHEN status = 'open' AND closes_at <= $1 THEN closes_at END) AS ended
             FROM campaigns WHERE id = $2",
        )
        .bind(dialect::at(now()))
        .bind(campaign)
        .fetch_optional(self.reader())
        .await
        .map_err(db)?;
        Ok(row.map(|r| dialect::opt_time_at(&r, "ended")).transpose()?.flatten())
    }

    async fn anonymise(&self, campaign: CampaignId) -> StoreResult<i64> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        // A proposal's proposer is forgotten with its signers (their name stays, as the contact).
        sqlx::query("UPDATE proposals SET email = '' WHERE campaign_id = $1")
            .bind(campaign)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        sqlx::query(
            "DELETE FROM outbox WHERE ref_id IN (SELECT id FROM signatures WHERE campaign_id = $1)
             AND kind IN ('confirm-signature', 'already-signed', 'update-one', 'manage-signature')",
        )
        .bind(campaign)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        sqlx::query("DELETE FROM signatures WHERE campaign_id = $1 AND status = 'pending'")
            .bind(campaign)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        // The name as shown publicly survives (nothing for hidden names); the address, its hash
        // (replaced by random bytes, unique like it), the IP hash and what was never public go, and
        // so do the sealed private fields (sealed for the address's hash, which goes).
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT id, name, display FROM signatures WHERE campaign_id = $1 AND NOT anonymised",
        )
        .bind(campaign)
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
        let anonymised = format!(
            "UPDATE signatures SET name = $1, email = '', email_key = {}, ip_key = NULL, opt_in = FALSE,
                 city = CASE WHEN $2 THEN NULL ELSE city END,
                 affiliation = CASE WHEN $2 THEN NULL ELSE affiliation END,
                 comment = CASE WHEN $2 THEN NULL ELSE comment END,
                 private_sealed = NULL, private_digest = NULL,
                 anonymised = TRUE
             WHERE id = $3",
            dialect::RANDOM_KEY
        );
        for (id, name, display) in &rows {
            sqlx::query(&anonymised)
                .bind(public_name(*id, name, display)?)
                .bind(display == "hidden")
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        // The consents given to partners go with the addresses they were for (issue 16).
        sqlx::query(
            "DELETE FROM signature_consents WHERE signature_id IN (SELECT id FROM signatures WHERE campaign_id = $1)",
        )
        .bind(campaign)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        // The salts of the signature log's commitments go: its leaves stay, no longer linkable to
        // anyone (the address cannot be tried against a commitment without its salt).
        sqlx::query("UPDATE signatures SET log_salt = NULL WHERE campaign_id = $1")
            .bind(campaign)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        sqlx::query(
            "UPDATE endorsements SET contact_name = NULL, contact_name_sealed = NULL, contact_email = NULL, email_key = NULL, ip_key = NULL,
                 log_salt = NULL
             WHERE campaign_id = $1",
        )
        .bind(campaign)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        forget_comment_addresses(&mut tx, campaign, None).await?;
        tx.commit().await.map_err(db)?;
        Ok(rows.len() as i64)
    }
}
