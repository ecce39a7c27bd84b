//! API tokens: made and revoked with their audit entries, looked up by hash with their owner,
//! their use recorded at most once a minute.

use async_trait::async_trait;
use time::OffsetDateTime;
use undersigned_core::account::{AuditEntry, User};
use undersigned_core::api_token::{ApiToken, NewToken, Scopes};
use undersigned_core::store::{StoreError, StoreResult, TokenStore};

use super::super::store::Backend;
use super::common::{db, dialect, get};
use super::organisers::insert_audit;

const TOKEN_COLUMNS: &str = "t.id, t.user_id, u.email AS owner, t.campaign_id, t.name, t.scopes, t.prefix, \
     t.created_at, t.expires_at, t.last_used_at, t.revoked_at";

fn token_row(r: &dialect::Row) -> StoreResult<ApiToken> {
    Ok(ApiToken {
        id: get(r, "id")?,
        user_id: get(r, "user_id")?,
        owner: get(r, "owner")?,
        campaign_id: get(r, "campaign_id")?,
        name: get(r, "name")?,
        scopes: Scopes::from_text(&get::<String>(r, "scopes")?)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        prefix: get(r, "prefix")?,
        created_at: dialect::time_at(r, "created_at")?,
        expires_at: dialect::time_at(r, "expires_at")?,
        last_used_at: dialect::opt_time_at(r, "last_used_at")?,
        revoked_at: dialect::opt_time_at(r, "revoked_at")?,
    })
}

#[async_trait]
impl TokenStore for Backend {
    async fn create_token(&self, token: &NewToken, audit: &AuditEntry) -> StoreResult<i64> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_tokens (user_id, campaign_id, name, scopes, token_hash, prefix, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(token.user_id)
        .bind(token.campaign_id)
        .bind(&token.name)
        .bind(token.scopes.to_text())
        .bind(&token.hash[..])
        .bind(&token.prefix)
        .bind(dialect::at(token.created_at))
        .bind(dialect::at(token.expires_at))
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?;
        let audit = AuditEntry { subject: format!("token #{id} {}", audit.subject), ..audit.clone() };
        insert_audit(&mut *tx, &audit).await?;
        tx.commit().await.map_err(db)?;
        Ok(id)
    }

    async fn tokens(&self, owner: Option<i64>) -> StoreResult<Vec<ApiToken>> {
        let rows = sqlx::query(&format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id
             WHERE ($1 IS NULL OR t.user_id = $1) ORDER BY t.id DESC"
        ))
        .bind(owner)
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        rows.iter().map(token_row).collect()
    }

    async fn token(&self, id: i64) -> StoreResult<Option<ApiToken>> {
        let row = sqlx::query(&format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = $1"
        ))
        .bind(id)
        .fetch_optional(self.reader())
        .await
        .map_err(db)?;
        row.as_ref().map(token_row).transpose()
    }

    async fn token_by_hash(&self, hash: &[u8]) -> StoreResult<Option<(ApiToken, User)>> {
        let row = sqlx::query(&format!(
            "SELECT {TOKEN_COLUMNS}, u.name AS owner_name, u.is_admin FROM api_tokens t
             JOIN users u ON u.id = t.user_id
             WHERE t.token_hash = $1 AND u.disabled_at IS NULL"
        ))
        .bind(hash)
        .fetch_optional(self.reader())
        .await
        .map_err(db)?;
        let Some(r) = row else { return Ok(None) };
        let token = token_row(&r)?;
        let owner = User {
            id: token.user_id,
            email: token.owner.clone(),
            name: get(&r, "owner_name")?,
            is_admin: get(&r, "is_admin")?,
        };
        Ok(Some((token, owner)))
    }

    async fn revoke_token(&self, id: i64, now: OffsetDateTime, audit: &AuditEntry) -> StoreResult<bool> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        let revoked =
            sqlx::query("UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
                .bind(id)
                .bind(dialect::at(now))
                .execute(&mut *tx)
                .await
                .map_err(db)?
                .rows_affected();
        if revoked == 0 {
            return Ok(false);
        }
        insert_audit(&mut *tx, audit).await?;
        tx.commit().await.map_err(db)?;
        Ok(true)
    }

    async fn token_used(&self, id: i64, now: OffsetDateTime, since: OffsetDateTime) -> StoreResult<()> {
        sqlx::query(
            "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $3)",
        )
        .bind(id)
        .bind(dialect::at(now))
        .bind(dialect::at(since))
        .execute(self.writer())
        .await
        .map_err(db)?;
        Ok(())
    }
}
