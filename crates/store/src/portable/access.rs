//! Who is logged in, and taking access away: sessions, admins (never the last one who can log
//! in), disabled accounts.

use async_trait::async_trait;
use time::OffsetDateTime;
use undersigned_core::account::User;
use undersigned_core::store::{AccessStore, StoreError, StoreResult};

use super::super::store::Backend;
use super::common::{db, dialect};
use super::organisers::{USER_COLUMNS, user_row};

#[async_trait]
impl AccessStore for Backend {
    async fn create_session(
        &self,
        token_hash: &[u8],
        user: i64,
        now: OffsetDateTime,
        expires: OffsetDateTime,
    ) -> StoreResult<()> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(dialect::at(now))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(user)
        .bind(dialect::at(now))
        .bind(dialect::at(expires))
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
