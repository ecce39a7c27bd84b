//! Organisers' passkeys (issue 18): the credentials as webauthn-rs serialises them, and the state
//! of each ceremony between its challenge and the answer. Taking a ceremony is one `DELETE ...
//! RETURNING`, so two answers to one challenge (two instances racing, or a replay) find it once.

use async_trait::async_trait;
use time::OffsetDateTime;
use undersigned_core::passkey::{Ceremony, StoredPasskey};
use undersigned_core::store::{PasskeyStore, StoreError, StoreResult};

use super::super::store::Backend;
use super::common::{db, dialect, get};

#[async_trait]
impl PasskeyStore for Backend {
    async fn passkeys(&self, user: i64) -> StoreResult<Vec<StoredPasskey>> {
        let rows = sqlx::query(
            "SELECT id, credential_id, name, credential, created_at, last_used_at
             FROM passkeys WHERE user_id = $1 ORDER BY id",
        )
        .bind(user)
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok(StoredPasskey {
                    id: get(r, "id")?,
                    credential_id: get(r, "credential_id")?,
                    name: get(r, "name")?,
                    credential: get(r, "credential")?,
                    created_at: dialect::time_at(r, "created_at")?,
                    last_used_at: dialect::opt_time_at(r, "last_used_at")?,
                })
            })
            .collect()
    }

    async fn add_passkey(
        &self,
        user: i64,
        credential_id: &[u8],
        name: &str,
        credential: &str,
        now: OffsetDateTime,
    ) -> StoreResult<i64> {
        sqlx::query_scalar(
            "INSERT INTO passkeys (user_id, credential_id, name, credential, created_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (credential_id) DO NOTHING RETURNING id",
        )
        .bind(user)
        .bind(credential_id)
        .bind(name)
        .bind(credential)
        .bind(dialect::at(now))
        .fetch_optional(self.writer())
        .await
        .map_err(db)?
        .ok_or_else(|| StoreError::Conflict("a passkey with this credential".into()))
    }

    async fn use_passkey(
        &self,
        user: i64,
        credential_id: &[u8],
        credential: &str,
        now: OffsetDateTime,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE passkeys SET credential = $3, last_used_at = $4
             WHERE user_id = $1 AND credential_id = $2",
        )
        .bind(user)
        .bind(credential_id)
        .bind(credential)
        .bind(dialect::at(now))
        .execute(self.writer())
        .await
        .map_err(db)?;
        match done.rows_affected() {
            0 => Err(StoreError::NotFound),
            _ => Ok(()),
        }
    }

    async fn remove_passkey(&self, user: i64, id: i64) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM passkeys WHERE user_id = $1 AND id = $2")
            .bind(user)
            .bind(id)
            .execute(self.writer())
            .await
            .map_err(db)?;
        Ok(done.rows_affected() == 1)
    }

    async fn begin_ceremony(
        &self,
        token_hash: &[u8],
        kind: Ceremony,
        user: i64,
        state: &str,
        expires_at: OffsetDateTime,
    ) -> StoreResult<()> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        // Ceremonies never answered go with the next one begun (a handful of rows at most).
        sqlx::query("DELETE FROM passkey_ceremonies WHERE expires_at <= $1")
            .bind(dialect::at(expires_at - undersigned_core::passkey::CEREMONY_TTL))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        sqlx::query(
            "INSERT INTO passkey_ceremonies (token_hash, kind, user_id, state, expires_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (token_hash, kind) DO UPDATE SET user_id = excluded.user_id,
                 state = excluded.state, expires_at = excluded.expires_at",
        )
        .bind(token_hash)
        .bind(kind.as_str())
        .bind(user)
        .bind(state)
        .bind(dialect::at(expires_at))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn take_ceremony(
        &self,
        token_hash: &[u8],
        kind: Ceremony,
        now: OffsetDateTime,
    ) -> StoreResult<Option<(i64, String)>> {
        let row = sqlx::query(
            "DELETE FROM passkey_ceremonies WHERE token_hash = $1 AND kind = $2
             RETURNING user_id, state, expires_at",
        )
        .bind(token_hash)
        .bind(kind.as_str())
        .fetch_optional(self.writer())
        .await
        .map_err(db)?;
        let Some(r) = row else { return Ok(None) };
        if dialect::time_at(&r, "expires_at")? <= now {
            return Ok(None);
        }
        Ok(Some((get(&r, "user_id")?, get(&r, "state")?)))
    }
}
