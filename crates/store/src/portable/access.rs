//! Who is logged in, and taking access away: sessions, admins (never the last one who can log
//! in), disabled accounts.

use async_trait::async_trait;
use time::OffsetDateTime;
use undersigned_core::account::User;
use undersigned_core::second_factor::SessionFactor;
use undersigned_core::session::{Device, NewSession, SessionInfo};
use undersigned_core::store::{AccessStore, StoreError, StoreResult};

use super::super::store::Backend;
use super::common::{db, dialect, get};
use super::organisers::{USER_COLUMNS, user_row};

#[async_trait]
impl AccessStore for Backend {
    async fn start_session(&self, session: &NewSession<'_>) -> StoreResult<()> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(dialect::at(session.started))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, device, last_seen_at, network_key)
             VALUES ($1, $2, $3, $4, $5, $3, $6)",
        )
        .bind(session.token_hash)
        .bind(session.user)
        .bind(dialect::at(session.started))
        .bind(dialect::at(session.expires))
        .bind(session.device.code())
        .bind(session.network)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn session_user(&self, token_hash: &[u8], now: OffsetDateTime) -> StoreResult<Option<User>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE disabled_at IS NULL AND id = (SELECT user_id FROM sessions WHERE token_hash = $1 AND expires_at > $2)"
        ))
        .bind(token_hash)
        .bind(dialect::at(now))
        .fetch_optional(self.reader())
        .await
        .map_err(db)?;
        row.as_ref().map(|r| user_row(r).map(|(u, _)| u)).transpose()
    }

    async fn live_session(
        &self,
        token_hash: &[u8],
        now: OffsetDateTime,
    ) -> StoreResult<Option<(User, OffsetDateTime, SessionFactor)>> {
        super::second_factor::live_session(self, token_hash, now).await
    }

    async fn session_seen(
        &self,
        token_hash: &[u8],
        now: OffsetDateTime,
        network: Option<&[u8]>,
    ) -> StoreResult<()> {
        sqlx::query("UPDATE sessions SET last_seen_at = $1, network_key = $2 WHERE token_hash = $3")
            .bind(dialect::at(now))
            .bind(network)
            .bind(token_hash)
            .execute(self.writer())
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn sessions_of(&self, user: i64, now: OffsetDateTime) -> StoreResult<Vec<SessionInfo>> {
        let rows = sqlx::query(
            "SELECT token_hash, device, created_at, COALESCE(last_seen_at, created_at) AS last_seen_at,
                    expires_at, network_key
             FROM sessions WHERE user_id = $1 AND expires_at > $2
             ORDER BY last_seen_at DESC, created_at DESC, token_hash",
        )
        .bind(user)
        .bind(dialect::at(now))
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| -> StoreResult<SessionInfo> {
                Ok(SessionInfo {
                    token_hash: get(r, "token_hash")?,
                    device: Device::from_code(&get::<String>(r, "device")?),
                    started: dialect::time_at(r, "created_at")?,
                    last_seen: dialect::time_at(r, "last_seen_at")?,
                    expires: dialect::time_at(r, "expires_at")?,
                    network: get(r, "network_key")?,
                })
            })
            .collect()
    }

    async fn end_session_of(&self, user: i64, token_hash: &[u8]) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM sessions WHERE token_hash = $1 AND user_id = $2")
            .bind(token_hash)
            .bind(user)
            .execute(self.writer())
            .await
            .map_err(db)?;
        Ok(done.rows_affected() > 0)
    }

    async fn end_other_sessions(&self, user: i64, keep: &[u8]) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(user)
            .bind(keep)
            .execute(self.writer())
            .await
            .map_err(db)?;
        Ok(done.rows_affected())
    }

    async fn end_session(&self, token_hash: &[u8]) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.writer())
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn end_sessions(&self, user: i64) -> StoreResult<u64> {
        let done =
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user).execute(self.writer()).await;
        Ok(done.map_err(db)?.rows_affected())
    }

    async fn set_admin(&self, user: i64, admin: bool) -> StoreResult<()> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        if !admin {
            keep_an_admin(&mut tx, user).await?;
        }
        let updated = sqlx::query("UPDATE users SET is_admin = $1 WHERE id = $2")
            .bind(admin)
            .bind(user)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        tx.commit().await.map_err(db)?;
        // A disabled owner's key is no longer sealed to (`owner_sealing`).
        self.recipient_cache().forget();
        Ok(())
    }

    async fn set_disabled(&self, user: i64, disabled: bool, now: OffsetDateTime) -> StoreResult<()> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        if disabled {
            keep_an_admin(&mut tx, user).await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        let updated = sqlx::query("UPDATE users SET disabled_at = $1 WHERE id = $2")
            .bind(disabled.then(|| dialect::at(now)))
            .bind(user)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        tx.commit().await.map_err(db)?;
        // A disabled owner's key is no longer sealed to (`owner_sealing`).
        self.recipient_cache().forget();
        Ok(())
    }

    async fn disabled_users(&self) -> StoreResult<Vec<i64>> {
        sqlx::query_scalar("SELECT id FROM users WHERE disabled_at IS NOT NULL ORDER BY id")
            .fetch_all(self.reader())
            .await
            .map_err(db)
    }
}

/// Refuses (`Conflict`) to take away the last admin who can log in, if `user` is that admin. The
/// admins' rows stay locked until the transaction ends (where the dialect locks rows), so two
/// admins demoting each other at once cannot both succeed.
async fn keep_an_admin(conn: &mut dialect::Conn, user: i64) -> StoreResult<()> {
    let admins: Vec<i64> = sqlx::query_scalar(&format!(
        "SELECT id FROM users WHERE is_admin AND disabled_at IS NULL ORDER BY id{}",
        dialect::FOR_UPDATE
    ))
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    if admins == [user] {
        return Err(StoreError::Conflict("the last admin".into()));
    }
    Ok(())
}
