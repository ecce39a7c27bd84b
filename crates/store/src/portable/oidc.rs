//! Signing in with OpenID Connect (issue 18): the round trips under way, each taken once with a
//! `DELETE … RETURNING` (two instances given the same callback: one gets the row, the other
//! nothing), and the identities linked to accounts, unique by provider and subject (the primary
//! key) and by account and provider.

use async_trait::async_trait;
use time::OffsetDateTime;
use undersigned_core::account::{NewUser, User};
use undersigned_core::comment::CommentStatus;
use undersigned_core::comment_input::SignedInComment;
use undersigned_core::oidc::{Flow, Identity, Purpose};
use undersigned_core::store::{OidcStore, StoreError, StoreResult};

use super::super::store::Backend;
use super::common::{db, dialect, get};
use super::organisers::{USER_COLUMNS, insert_user, user_row};

/// Links, in the caller's transaction; `Conflict` if the identity or the account's link to the
/// provider exists.
async fn insert_identity(
    conn: &mut dialect::Conn,
    user: i64,
    provider: &str,
    subject: &str,
    now: OffsetDateTime,
) -> StoreResult<()> {
    let done = sqlx::query(
        "INSERT INTO oidc_identities (provider, subject, user_id, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING",
    )
    .bind(provider)
    .bind(subject)
    .bind(user)
    .bind(dialect::at(now))
    .execute(&mut *conn)
    .await
    .map_err(db)?;
    match done.rows_affected() {
        0 => Err(StoreError::Conflict("an identity linked already".into())),
        _ => Ok(()),
    }
}

#[async_trait]
impl OidcStore for Backend {
    async fn begin_oidc_flow(&self, flow: &Flow, now: OffsetDateTime) -> StoreResult<()> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        sqlx::query("DELETE FROM oidc_flows WHERE expires_at < $1")
            .bind(dialect::at(now))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        sqlx::query(
            "INSERT INTO oidc_flows (state_key, browser_key, provider, purpose, user_id, pkce_verifier, nonce,
                                     return_to, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&flow.state_key)
        .bind(&flow.browser_key)
        .bind(&flow.provider)
        .bind(flow.purpose.as_str())
        .bind(flow.user_id)
        .bind(&flow.pkce_verifier)
        .bind(&flow.nonce)
        .bind(&flow.return_to)
        .bind(dialect::at(flow.expires_at))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn take_oidc_flow(&self, state_key: &[u8]) -> StoreResult<Option<Flow>> {
        let row = sqlx::query(
            "DELETE FROM oidc_flows WHERE state_key = $1
             RETURNING state_key, browser_key, provider, purpose, user_id, pkce_verifier, nonce, return_to,
                       expires_at",
        )
        .bind(state_key)
        .fetch_optional(self.writer())
        .await
        .map_err(db)?;
        let Some(r) = row else { return Ok(None) };
        let purpose: String = get(&r, "purpose")?;
        Ok(Some(Flow {
            state_key: get(&r, "state_key")?,
            browser_key: get(&r, "browser_key")?,
            provider: get(&r, "provider")?,
            purpose: Purpose::parse(&purpose)
                .ok_or_else(|| StoreError::Corrupt(format!("a sign-in's purpose {purpose}")))?,
            user_id: get(&r, "user_id")?,
            pkce_verifier: get(&r, "pkce_verifier")?,
            nonce: get(&r, "nonce")?,
            return_to: get(&r, "return_to")?,
            expires_at: dialect::time_at(&r, "expires_at")?,
        }))
    }

    async fn user_by_identity(&self, provider: &str, subject: &str) -> StoreResult<Option<User>> {
        let columns = USER_COLUMNS.split(", ").map(|c| format!("u.{c}")).collect::<Vec<_>>().join(", ");
        let row = sqlx::query(&format!(
            "SELECT {columns} FROM oidc_identities i JOIN users u ON u.id = i.user_id
             WHERE i.provider = $1 AND i.subject = $2"
        ))
        .bind(provider)
        .bind(subject)
        .fetch_optional(self.reader())
        .await
        .map_err(db)?;
        Ok(row.as_ref().map(user_row).transpose()?.map(|(u, _)| u))
    }

    async fn identities(&self, user: i64) -> StoreResult<Vec<Identity>> {
        let rows = sqlx::query(
            "SELECT provider, subject, created_at FROM oidc_identities WHERE user_id = $1 ORDER BY provider",
        )
        .bind(user)
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok(Identity {
                    provider: get(r, "provider")?,
                    subject: get(r, "subject")?,
                    created_at: dialect::time_at(r, "created_at")?,
                })
            })
            .collect()
    }

    async fn link_identity(
        &self,
        user: i64,
        provider: &str,
        subject: &str,
        now: OffsetDateTime,
    ) -> StoreResult<()> {
        let mut conn = self.writer().acquire().await.map_err(db)?;
        insert_identity(&mut conn, user, provider, subject, now).await
    }

    async fn unlink_identity(&self, user: i64, provider: &str) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM oidc_identities WHERE user_id = $1 AND provider = $2")
            .bind(user)
            .bind(provider)
            .execute(self.writer())
            .await
            .map_err(db)?;
        Ok(done.rows_affected() > 0)
    }

    async fn add_user_with_identity(
        &self,
        user: &NewUser,
        provider: &str,
        subject: &str,
        now: OffsetDateTime,
    ) -> StoreResult<User> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        let id = insert_user(&mut tx, user, now).await?;
        insert_identity(&mut tx, id, provider, subject, now).await?;
        tx.commit().await.map_err(db)?;
        Ok(User { id, email: user.email.clone(), name: user.name.clone(), is_admin: user.is_admin })
    }

    async fn add_signed_in_comment(
        &self,
        c: &SignedInComment,
        pre_moderation: bool,
    ) -> StoreResult<CommentStatus> {
        let status = CommentStatus::on_verify(pre_moderation);
        sqlx::query(
            "INSERT INTO comments (campaign_id, parent_id, commenter_id, name, website, body, status, created_at)
             VALUES ($1, $2, NULL, $3, $4, $5, $6, $7)",
        )
        .bind(c.campaign_id)
        .bind(c.parent_id)
        .bind(&c.name)
        .bind(&c.website)
        .bind(&c.body)
        .bind(status.as_str())
        .bind(dialect::at(c.now))
        .execute(self.writer())
        .await
        .map_err(db)?;
        Ok(status)
    }
}
