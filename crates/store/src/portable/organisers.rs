//! Organisers: accounts (created, invited, their passwords and resets), roles on campaigns and
//! the audit log.

use async_trait::async_trait;
use time::OffsetDateTime;
use undersigned_core::CampaignId;
use undersigned_core::account::{AuditEntry, NewUser, Role, User};
use undersigned_core::outbox::MailKind;
use undersigned_core::store::{OrganiserStore, StoreError, StoreResult};

use super::super::store::Backend;
use super::common::{db, dialect, enqueue, get};
use crate::rows::role;

pub(super) const USER_COLUMNS: &str = "id, email, name, password_hash, is_admin";

pub(super) fn user_row(r: &dialect::Row) -> StoreResult<(User, Option<String>)> {
    let user = User {
        id: get(r, "id")?,
        email: get(r, "email")?,
        name: get(r, "name")?,
        is_admin: get(r, "is_admin")?,
    };
    Ok((user, get(r, "password_hash")?))
}

#[async_trait]
impl OrganiserStore for Backend {
    async fn create_user(&self, user: &NewUser, now: OffsetDateTime) -> StoreResult<i64> {
        let mut conn = self.writer().acquire().await.map_err(db)?;
        insert_user(&mut conn, user, now).await
    }

    async fn user_by_email(&self, email: &str) -> StoreResult<Option<(User, Option<String>)>> {
        // No account's address has a NUL (PostgreSQL's text cannot even hold one): such an address
        // (as typed into the login form) is nobody's, not a database error.
        if email.contains('\0') {
            return Ok(None);
        }
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1"))
            .bind(email)
            .fetch_optional(self.reader())
            .await
            .map_err(db)?;
        row.as_ref().map(user_row).transpose()
    }

    async fn user_by_id(&self, id: i64) -> StoreResult<Option<(User, Option<String>)>> {
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.reader())
            .await
            .map_err(db)?;
        row.as_ref().map(user_row).transpose()
    }

    async fn users(&self) -> StoreResult<Vec<User>> {
        let rows = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY email"))
            .fetch_all(self.reader())
            .await
            .map_err(db)?;
        rows.iter().map(|r| user_row(r).map(|(u, _)| u)).collect()
    }

    async fn set_password(&self, user: i64, hash: &str) -> StoreResult<()> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        let updated = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(user)
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected();
        if updated == 0 {
            return Err(StoreError::NotFound);
        }
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn invite(
        &self,
        user: &NewUser,
        role: Option<(CampaignId, Role)>,
        now: OffsetDateTime,
    ) -> StoreResult<i64> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        let Account { id, has_password, .. } = account_for(&mut tx, user, now).await?;
        if let Some((campaign, role)) = role {
            upsert_role(&mut tx, campaign, id, role).await?;
        }
        if !has_password {
            enqueue(&mut tx, MailKind::Invitation, id, now).await?;
        }
        tx.commit().await.map_err(db)?;
        // An owner more or less: the campaign's private fields are sealed to other keys.
        self.recipient_cache().forget();
        Ok(id)
    }

    async fn request_password_reset(&self, email: &str, now: OffsetDateTime) -> StoreResult<bool> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(email)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
        if let Some(id) = id {
            enqueue(&mut tx, MailKind::PasswordReset, id, now).await?;
        }
        tx.commit().await.map_err(db)?;
        Ok(id.is_some())
    }

    async fn set_role(&self, campaign: CampaignId, user: i64, role: Option<Role>) -> StoreResult<()> {
        let mut conn = self.writer().acquire().await.map_err(db)?;
        match role {
            Some(role) => upsert_role(&mut conn, campaign, user, role).await?,
            None => {
                sqlx::query("DELETE FROM campaign_roles WHERE campaign_id = $1 AND user_id = $2")
                    .bind(campaign)
                    .bind(user)
                    .execute(&mut *conn)
                    .await
                    .map_err(db)?;
            }
        }
        // An owner more or less: the campaign's private fields are sealed to other keys.
        self.recipient_cache().forget();
        Ok(())
    }

    async fn role(&self, campaign: CampaignId, user: i64) -> StoreResult<Option<Role>> {
        let found: Option<String> =
            sqlx::query_scalar("SELECT role FROM campaign_roles WHERE campaign_id = $1 AND user_id = $2")
                .bind(campaign)
                .bind(user)
                .fetch_optional(self.reader())
                .await
                .map_err(db)?;
        found.map(|r| role(&r)).transpose()
    }

    async fn campaigns_of(&self, user: i64) -> StoreResult<Vec<(CampaignId, Role)>> {
        let rows = sqlx::query(
            "SELECT campaign_id, role FROM campaign_roles WHERE user_id = $1 ORDER BY campaign_id",
        )
        .bind(user)
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        rows.iter().map(|r| Ok((get(r, "campaign_id")?, role(&get::<String>(r, "role")?)?))).collect()
    }

    async fn team(&self, campaign: CampaignId) -> StoreResult<Vec<(User, Role)>> {
        let rows = sqlx::query(
            "SELECT u.id, u.email, u.name, u.password_hash, u.is_admin, r.role FROM campaign_roles r
             JOIN users u ON u.id = r.user_id WHERE r.campaign_id = $1 ORDER BY u.email",
        )
        .bind(campaign)
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        rows.iter().map(|r| Ok((user_row(r)?.0, role(&get::<String>(r, "role")?)?))).collect()
    }

    async fn audit(&self, entry: &AuditEntry) -> StoreResult<()> {
        insert_audit(self.writer(), entry).await
    }

    async fn audit_log(&self, campaign: Option<CampaignId>, limit: u32) -> StoreResult<Vec<AuditEntry>> {
        let rows = sqlx::query(
            "SELECT at, actor, campaign_id, action, subject, detail FROM audit_log
             WHERE ($1 IS NULL OR campaign_id = $1) ORDER BY id DESC LIMIT $2",
        )
        .bind(campaign)
        .bind(i64::from(limit))
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    at: dialect::time_at(r, "at")?,
                    actor: get(r, "actor")?,
                    campaign_id: get(r, "campaign_id")?,
                    action: get(r, "action")?,
                    subject: get(r, "subject")?,
                    detail: get(r, "detail")?,
                })
            })
            .collect()
    }
}

/// The account an address has, made from `user` if there is none, in the caller's transaction.
pub(super) struct Account {
    pub id: i64,
    pub has_password: bool,
    /// Made just now.
    pub made: bool,
}

pub(super) async fn account_for(
    conn: &mut dialect::Conn,
    user: &NewUser,
    now: OffsetDateTime,
) -> StoreResult<Account> {
    let existing = sqlx::query("SELECT id, password_hash FROM users WHERE email = $1")
        .bind(&user.email)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?;
    Ok(match existing {
        Some(row) => Account {
            id: get(&row, "id")?,
            has_password: get::<Option<String>>(&row, "password_hash")?.is_some(),
            made: false,
        },
        None => Account { id: insert_user(conn, user, now).await?, has_password: false, made: true },
    })
}

pub(super) async fn insert_user(
    conn: &mut dialect::Conn,
    user: &NewUser,
    now: OffsetDateTime,
) -> StoreResult<i64> {
    sqlx::query_scalar(
        "INSERT INTO users (email, name, password_hash, is_admin, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(&user.email)
    .bind(&user.name)
    .bind(&user.password_hash)
    .bind(user.is_admin)
    .bind(dialect::at(now))
    .fetch_optional(conn)
    .await
    .map_err(db)?
    .ok_or_else(|| StoreError::Conflict(format!("an account for {}", user.email)))
}

pub(super) async fn upsert_role(
    conn: &mut dialect::Conn,
    campaign: CampaignId,
    user: i64,
    role: Role,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO campaign_roles (campaign_id, user_id, role) VALUES ($1, $2, $3)
         ON CONFLICT (campaign_id, user_id) DO UPDATE SET role = excluded.role",
    )
    .bind(campaign)
    .bind(user)
    .bind(role.as_str())
    .execute(conn)
    .await
    .map_err(db)?;
    Ok(())
}

pub(super) async fn insert_audit<'e>(
    ex: impl sqlx::Executor<'e, Database = dialect::Db>,
    entry: &AuditEntry,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor, campaign_id, action, subject, detail) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(dialect::at(entry.at))
    .bind(&entry.actor)
    .bind(entry.campaign_id)
    .bind(&entry.action)
    .bind(&entry.subject)
    .bind(&entry.detail)
    .execute(ex)
    .await
    .map_err(db)?;
    Ok(())
}
