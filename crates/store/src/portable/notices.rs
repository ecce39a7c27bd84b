//! Organisers' notices: [`notify`], which the areas call in their event's transaction, by each
//! organiser's choice; their settings; the daily digests.

use async_trait::async_trait;
use time::{Duration, OffsetDateTime};
use undersigned_core::Lang;
use undersigned_core::account::Role;
use undersigned_core::notice::{NoticeKind, NoticeMode, NoticeSettings};
use undersigned_core::outbox::MailKind;
use undersigned_core::store::{NoticeStore, StoreError, StoreResult};

use super::super::store::Backend;
use super::common::{db, dialect, get};

/// Tells each of `users` of a notice, in the caller's transaction, as each chose: a mail at once
/// (`kind`'s mail about `ref_id`, the organiser in its cursor), kept for their next digest, or
/// nothing. Disabled accounts hear nothing.
pub(crate) async fn notify(
    conn: &mut dialect::Conn,
    kind: NoticeKind,
    ref_id: i64,
    users: &[i64],
    now: OffsetDateTime,
) -> StoreResult<()> {
    for &user in users {
        let row = sqlx::query(
            "SELECT u.disabled_at IS NULL AS active, (SELECT mode FROM notice_prefs p WHERE p.user_id = u.id AND p.kind = $2) AS mode
             FROM users u WHERE u.id = $1",
        )
        .bind(user)
        .bind(kind.as_str())
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?;
        let Some(row) = row else { continue };
        if !get::<bool>(&row, "active")? {
            continue;
        }
        let mode =
            get::<Option<String>>(&row, "mode")?.and_then(|m| NoticeMode::parse(&m)).unwrap_or_default();
        let sql = match mode {
            NoticeMode::Off => continue,
            NoticeMode::Now => {
                "INSERT INTO outbox (kind, ref_id, cursor, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $4)"
            }
            NoticeMode::Digest => {
                "INSERT INTO digest_items (mail_kind, ref_id, user_id, created_at) VALUES ($1, $2, $3, $4)"
            }
        };
        sqlx::query(sql)
            .bind(kind.mail().as_str())
            .bind(ref_id)
            .bind(user)
            .bind(dialect::at(now))
            .execute(&mut *conn)
            .await
            .map_err(db)?;
    }
    Ok(())
}

/// The members of a campaign's team whose role is one of `roles`, by id.
pub(crate) async fn team(conn: &mut dialect::Conn, campaign: i64, roles: &[Role]) -> StoreResult<Vec<i64>> {
    let all: Vec<(i64, String)> =
        sqlx::query_as("SELECT user_id, role FROM campaign_roles WHERE campaign_id = $1 ORDER BY user_id")
            .bind(campaign)
            .fetch_all(&mut *conn)
            .await
            .map_err(db)?;
    Ok(all
        .into_iter()
        .filter(|(_, role)| roles.iter().any(|r| r.as_str() == role))
        .map(|(id, _)| id)
        .collect())
}

#[async_trait]
impl NoticeStore for Backend {
    async fn notice_settings(&self, user: i64) -> StoreResult<NoticeSettings> {
        let lang: Option<Option<String>> =
            sqlx::query_scalar("SELECT lang FROM organiser_settings WHERE user_id = $1")
                .bind(user)
                .fetch_optional(self.reader())
                .await
                .map_err(db)?;
        let modes: Vec<(String, String)> =
            sqlx::query_as("SELECT kind, mode FROM notice_prefs WHERE user_id = $1")
                .bind(user)
                .fetch_all(self.reader())
                .await
                .map_err(db)?;
        Ok(NoticeSettings {
            lang: lang.flatten().and_then(|l| Lang::parse("lang", &l).ok()),
            modes: modes
                .into_iter()
                .filter_map(|(k, m)| Some((NoticeKind::parse(&k)?, NoticeMode::parse(&m)?)))
                .collect(),
        })
    }

    async fn save_notice_settings(&self, user: i64, settings: &NoticeSettings) -> StoreResult<()> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        sqlx::query(
            "INSERT INTO organiser_settings (user_id, lang) VALUES ($1, $2)
             ON CONFLICT (user_id) DO UPDATE SET lang = excluded.lang",
        )
        .bind(user)
        .bind(settings.lang.as_ref().map(|l| l.as_str()))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        sqlx::query("DELETE FROM notice_prefs WHERE user_id = $1")
            .bind(user)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        for (kind, mode) in &settings.modes {
            sqlx::query("INSERT INTO notice_prefs (user_id, kind, mode) VALUES ($1, $2, $3)")
                .bind(user)
                .bind(kind.as_str())
                .bind(mode.as_str())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    async fn queue_digests(&self, every: Duration, now: OffsetDateTime) -> StoreResult<u64> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        let due: Vec<i64> = sqlx::query_scalar(
            // A notice waits at most `every`, with those that come after it meanwhile.
            "SELECT user_id FROM digest_items WHERE digest IS NULL GROUP BY user_id HAVING min(created_at) <= $1
             ORDER BY user_id",
        )
        .bind(dialect::at(now - every))
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
        for &user in &due {
            let mail: i64 = sqlx::query_scalar(
                "INSERT INTO outbox (kind, ref_id, next_attempt_at, created_at) VALUES ($1, $2, $3, $3) RETURNING id",
            )
            .bind(MailKind::Digest.as_str())
            .bind(user)
            .bind(dialect::at(now))
            .fetch_one(&mut *tx)
            .await
            .map_err(db)?;
            sqlx::query("UPDATE digest_items SET digest = $1 WHERE user_id = $2 AND digest IS NULL")
                .bind(mail)
                .bind(user)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            sqlx::query(
                "INSERT INTO organiser_settings (user_id, digest_sent_at) VALUES ($1, $2)
                 ON CONFLICT (user_id) DO UPDATE SET digest_sent_at = excluded.digest_sent_at",
            )
            .bind(user)
            .bind(dialect::at(now))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        tx.commit().await.map_err(db)?;
        Ok(due.len() as u64)
    }

    async fn digest_items(&self, mail: i64) -> StoreResult<Vec<(MailKind, i64)>> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT mail_kind, ref_id FROM digest_items WHERE digest = $1 ORDER BY id")
                .bind(mail)
                .fetch_all(self.reader())
                .await
                .map_err(db)?;
        rows.into_iter()
            .map(|(k, id)| {
                MailKind::parse(&k)
                    .map(|k| (k, id))
                    .ok_or_else(|| StoreError::Corrupt(format!("a digest's mail kind {k:?}")))
            })
            .collect()
    }
}
