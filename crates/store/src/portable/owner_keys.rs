//! The organisers' own keys: registered and activated with their audit entries, a campaign's
//! recipients read from its owners' active keys.

use async_trait::async_trait;
use time::OffsetDateTime;
use undersigned_core::account::AuditEntry;
use undersigned_core::owner_key::{CampaignRecipients, NewOwnerKey, OwnerKey};
use undersigned_core::store::{OwnerKeyStore, StoreResult};

use super::super::store::Backend;
use super::common::{db, dialect, get};
use super::organisers::insert_audit;
use super::sign_batch::recipients;

fn key_row(r: &dialect::Row) -> StoreResult<OwnerKey> {
    Ok(OwnerKey {
        id: get(r, "id")?,
        user_id: get(r, "user_id")?,
        recipient: get(r, "recipient")?,
        challenge: get(r, "challenge")?,
        created_at: dialect::time_at(r, "created_at")?,
        activated_at: dialect::opt_time_at(r, "activated_at")?,
        retired_at: dialect::opt_time_at(r, "retired_at")?,
    })
}

#[async_trait]
impl OwnerKeyStore for Backend {
    async fn register_owner_key(&self, key: &NewOwnerKey, audit: &AuditEntry) -> StoreResult<i64> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO owner_keys (user_id, recipient, challenge, code_hash, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(key.user_id)
        .bind(&key.recipient)
        .bind(&key.challenge)
        .bind(&key.code_hash[..])
        .bind(dialect::at(key.created_at))
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?;
        let audit = AuditEntry { subject: format!("key #{id} {}", audit.subject), ..audit.clone() };
        insert_audit(&mut *tx, &audit).await?;
        tx.commit().await.map_err(db)?;
        Ok(id)
    }

    async fn owner_keys(&self, user_id: i64) -> StoreResult<Vec<OwnerKey>> {
        let rows = sqlx::query(
            "SELECT id, user_id, recipient, challenge, created_at, activated_at, retired_at
             FROM owner_keys WHERE user_id = $1 ORDER BY id DESC",
        )
        .bind(user_id)
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        rows.iter().map(key_row).collect()
    }

    async fn activate_owner_key(
        &self,
        user_id: i64,
        id: i64,
        code_hash: &[u8; 32],
        now: OffsetDateTime,
        audit: &AuditEntry,
    ) -> StoreResult<bool> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        // The code is 50 random bits, kept as a hash: comparing hashes in SQL leaks nothing useful.
        let waiting: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM owner_keys
             WHERE id = $1 AND user_id = $2 AND activated_at IS NULL AND code_hash = $3",
        )
        .bind(id)
        .bind(user_id)
        .bind(&code_hash[..])
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
        if waiting.is_none() {
            return Ok(false);
        }
        sqlx::query(
            "UPDATE owner_keys SET retired_at = $2
             WHERE user_id = $1 AND activated_at IS NOT NULL AND retired_at IS NULL",
        )
        .bind(user_id)
        .bind(dialect::at(now))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        sqlx::query("UPDATE owner_keys SET activated_at = $2 WHERE id = $1")
            .bind(id)
            .bind(dialect::at(now))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        insert_audit(&mut *tx, audit).await?;
        tx.commit().await.map_err(db)?;
        // The next signatures are sealed to the new key.
        self.recipient_cache().forget();
        Ok(true)
    }

    async fn campaign_recipients(&self, campaign_id: i64) -> StoreResult<CampaignRecipients> {
        let mut conn = self.reader().acquire().await.map_err(db)?;
        recipients(&mut conn, campaign_id).await
    }
}
