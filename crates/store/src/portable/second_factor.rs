//! Organisers' second factors (issue 18): the TOTP secret sealed under the data key for its
//! account, the time steps used once, the wrong codes and the lock, the recovery codes as keyed
//! digests, and each session's last check. The checks that must hold across instances (a step
//! used once, a recovery code used once, the fifth wrong code locking) are each one conditional
//! `UPDATE`, so two instances racing cannot both win.

use async_trait::async_trait;
use time::{Duration, OffsetDateTime};
use undersigned_core::account::User;
use undersigned_core::second_factor::{FailureOutcome, SecondFactor, Secret, SessionFactor, StepOutcome};
use undersigned_core::store::{SecondFactorStore, StoreError, StoreResult};

use super::super::store::Backend;
use super::common::{db, dialect, get};
use super::organisers::user_row;
use crate::sealed::{RECOVERY_CODE, SECOND_FACTOR_SECRET, digest_bytes, open_bytes, scope_row, seal_bytes};

/// Deletes an account's recovery codes and keeps the digests of `codes` instead.
async fn store_codes(
    conn: &mut dialect::Conn,
    backend: &Backend,
    user: i64,
    codes: &[String],
) -> StoreResult<()> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user)
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    for code in codes {
        sqlx::query("INSERT INTO recovery_codes (user_id, digest) VALUES ($1, $2)")
            .bind(user)
            .bind(digest_bytes(backend.data_key(), RECOVERY_CODE, code))
            .execute(&mut *conn)
            .await
            .map_err(db)?;
    }
    Ok(())
}

#[async_trait]
impl SecondFactorStore for Backend {
    async fn second_factor(&self, user: i64) -> StoreResult<Option<SecondFactor>> {
        let row = sqlx::query(
            "SELECT secret, enabled_at, last_step, failures, locked_until,
                    (SELECT count(*) FROM recovery_codes c WHERE c.user_id = f.user_id AND c.used_at IS NULL) AS codes_left
             FROM second_factors f WHERE user_id = $1",
        )
        .bind(user)
        .fetch_optional(self.reader())
        .await
        .map_err(db)?;
        let Some(r) = row else { return Ok(None) };
        let sealed: Vec<u8> = get(&r, "secret")?;
        let secret = open_bytes(self.data_key(), SECOND_FACTOR_SECRET, &scope_row(user), &sealed)?;
        let failures: i64 = get(&r, "failures")?;
        let left: i64 = get(&r, "codes_left")?;
        Ok(Some(SecondFactor {
            secret: Secret(secret),
            enabled_at: dialect::opt_time_at(&r, "enabled_at")?,
            last_step: get(&r, "last_step")?,
            failures: u32::try_from(failures).unwrap_or(u32::MAX),
            locked_until: dialect::opt_time_at(&r, "locked_until")?,
            recovery_codes_left: u32::try_from(left).unwrap_or(0),
        }))
    }

    async fn begin_second_factor(&self, user: i64, secret: &Secret, now: OffsetDateTime) -> StoreResult<()> {
        let sealed = seal_bytes(self.data_key(), SECOND_FACTOR_SECRET, &scope_row(user), &secret.0);
        let done = sqlx::query(
            "INSERT INTO second_factors (user_id, secret, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at,
                 last_step = NULL, failures = 0, locked_until = NULL
             WHERE second_factors.enabled_at IS NULL",
        )
        .bind(user)
        .bind(sealed)
        .bind(dialect::at(now))
        .execute(self.writer())
        .await
        .map_err(db)?;
        match done.rows_affected() {
            0 => Err(StoreError::Conflict("a second factor is on already".into())),
            _ => Ok(()),
        }
    }

    async fn enable_second_factor(
        &self,
        user: i64,
        step: i64,
        recovery_codes: &[String],
        token_hash: &[u8],
        now: OffsetDateTime,
    ) -> StoreResult<()> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        let done = sqlx::query(
            "UPDATE second_factors SET enabled_at = $2, last_step = $3, failures = 0, locked_until = NULL
             WHERE user_id = $1 AND enabled_at IS NULL",
        )
        .bind(user)
        .bind(dialect::at(now))
        .bind(step)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        if done.rows_affected() == 0 {
            let exists: Option<i64> =
                sqlx::query_scalar("SELECT user_id FROM second_factors WHERE user_id = $1")
                    .bind(user)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db)?;
            return Err(match exists {
                Some(_) => StoreError::Conflict("a second factor is on already".into()),
                None => StoreError::NotFound,
            });
        }
        store_codes(&mut tx, self, user, recovery_codes).await?;
        sqlx::query("UPDATE sessions SET second_factor_at = $2 WHERE token_hash = $1 AND user_id = $3")
            .bind(token_hash)
            .bind(dialect::at(now))
            .bind(user)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn disable_second_factor(&self, user: i64) -> StoreResult<()> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        for sql in [
            "DELETE FROM recovery_codes WHERE user_id = $1",
            "DELETE FROM passkeys WHERE user_id = $1",
            "DELETE FROM second_factors WHERE user_id = $1",
        ] {
            sqlx::query(sql).bind(user).execute(&mut *tx).await.map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    async fn use_step(&self, user: i64, step: i64, now: OffsetDateTime) -> StoreResult<StepOutcome> {
        let done = sqlx::query(
            "UPDATE second_factors SET last_step = $2, failures = 0
             WHERE user_id = $1 AND enabled_at IS NOT NULL
               AND (last_step IS NULL OR last_step < $2)
               AND (locked_until IS NULL OR locked_until <= $3)",
        )
        .bind(user)
        .bind(step)
        .bind(dialect::at(now))
        .execute(self.writer())
        .await
        .map_err(db)?;
        if done.rows_affected() == 1 {
            return Ok(StepOutcome::Accepted);
        }
        let factor =
            self.second_factor(user).await?.filter(SecondFactor::is_on).ok_or(StoreError::NotFound)?;
        Ok(match factor.locked_at(now) {
            Some(until) => StepOutcome::Locked(until),
            None => StepOutcome::Replayed,
        })
    }

    async fn use_recovery_code(&self, user: i64, code: &str, now: OffsetDateTime) -> StoreResult<bool> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        let used = sqlx::query(
            "UPDATE recovery_codes SET used_at = $3
             WHERE user_id = $1 AND digest = $2 AND used_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM second_factors f WHERE f.user_id = $1 AND f.locked_until > $3)",
        )
        .bind(user)
        .bind(digest_bytes(self.data_key(), RECOVERY_CODE, code))
        .bind(dialect::at(now))
        .execute(&mut *tx)
        .await
        .map_err(db)?
        .rows_affected()
            == 1;
        if used {
            sqlx::query("UPDATE second_factors SET failures = 0 WHERE user_id = $1")
                .bind(user)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        tx.commit().await.map_err(db)?;
        Ok(used)
    }

    async fn count_wrong_code(
        &self,
        user: i64,
        max: u32,
        lock_for: Duration,
        now: OffsetDateTime,
    ) -> StoreResult<FailureOutcome> {
        // Both right-hand sides read the row as it was: the max-th wrong code locks and starts the
        // count again, in one statement.
        let row = sqlx::query(
            "UPDATE second_factors SET
                 failures = CASE WHEN failures + 1 >= $2 THEN 0 ELSE failures + 1 END,
                 locked_until = CASE WHEN failures + 1 >= $2 THEN $3 ELSE locked_until END
             WHERE user_id = $1
             RETURNING failures, locked_until",
        )
        .bind(user)
        .bind(i64::from(max))
        .bind(dialect::at(now + lock_for))
        .fetch_optional(self.writer())
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound)?;
        let failures: i64 = get(&row, "failures")?;
        match (failures, dialect::opt_time_at(&row, "locked_until")?) {
            (0, Some(until)) => Ok(FailureOutcome::Locked(until)),
            (n, _) => Ok(FailureOutcome::Counted(u32::try_from(n).unwrap_or(u32::MAX))),
        }
    }

    async fn replace_recovery_codes(&self, user: i64, codes: &[String]) -> StoreResult<()> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        let on: Option<i64> = sqlx::query_scalar(
            "SELECT user_id FROM second_factors WHERE user_id = $1 AND enabled_at IS NOT NULL",
        )
        .bind(user)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
        if on.is_none() {
            return Err(StoreError::NotFound);
        }
        store_codes(&mut tx, self, user, codes).await?;
        tx.commit().await.map_err(db)
    }

    async fn session_factor(
        &self,
        token_hash: &[u8],
        now: OffsetDateTime,
    ) -> StoreResult<Option<(User, SessionFactor)>> {
        Ok(live_session(self, token_hash, now).await?.map(|(user, _, factor)| (user, factor)))
    }

    async fn check_session(&self, token_hash: &[u8], now: OffsetDateTime) -> StoreResult<()> {
        sqlx::query("UPDATE sessions SET second_factor_at = $2 WHERE token_hash = $1")
            .bind(token_hash)
            .bind(dialect::at(now))
            .execute(self.writer())
            .await
            .map_err(db)?;
        Ok(())
    }
}

/// A live session's account (unless disabled), when it was last seen and what it knows of its
/// second factor: one read, for both `AccessStore::live_session` and `session_factor`.
pub(super) async fn live_session(
    store: &Backend,
    token_hash: &[u8],
    now: OffsetDateTime,
) -> StoreResult<Option<(User, OffsetDateTime, SessionFactor)>> {
    let row = sqlx::query(
        "SELECT u.id, u.email, u.name, u.password_hash, u.is_admin, s.second_factor_at,
                COALESCE(s.last_seen_at, s.created_at) AS last_seen_at, f.enabled_at AS factor_on
         FROM sessions s
         JOIN users u ON u.id = s.user_id
         LEFT JOIN second_factors f ON f.user_id = u.id
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL",
    )
    .bind(token_hash)
    .bind(dialect::at(now))
    .fetch_optional(store.reader())
    .await
    .map_err(db)?;
    let Some(r) = row else { return Ok(None) };
    let (user, _) = user_row(&r)?;
    let factor = SessionFactor {
        on: dialect::opt_time_at(&r, "factor_on")?.is_some(),
        checked_at: dialect::opt_time_at(&r, "second_factor_at")?,
    };
    Ok(Some((user, dialect::time_at(&r, "last_seen_at")?, factor)))
}
