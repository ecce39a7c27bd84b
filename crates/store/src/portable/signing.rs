//! Signatures: made through the group commit (whose writers, per dialect, share the outcomes and
//! mails of a batch from here, and call [`sign_one`] for a signature tried alone), confirmed,
//! withdrawn, listed, changed by their signer.

use std::collections::HashMap;

use async_trait::async_trait;
use time::OffsetDateTime;
use undersigned_core::CampaignId;
use undersigned_core::outbox::MailKind;
use undersigned_core::signature::{
    Confirmation, ListCursor, MailBudget, NameDisplay, PublicSignature, SignOutcome, Signature,
    SignatureRecord,
};
use undersigned_core::store::{SigningStore, StoreError, StoreResult};

use super::outbox::enqueue;
use super::{Backend, SIGNATURE_COLUMNS, db, dialect, get, signature_row};
use crate::group_commit::SignJob;
use crate::rows::public_name;

#[async_trait]
impl SigningStore for Backend {
    async fn sign(&self, s: &SignatureRecord, budget: MailBudget) -> StoreResult<SignOutcome> {
        self.signing.sign(s, budget).await
    }

    async fn signature(&self, id: i64) -> StoreResult<Option<Signature>> {
        let row = sqlx::query(&format!("SELECT {SIGNATURE_COLUMNS} FROM signatures WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.reader())
            .await
            .map_err(db)?;
        row.as_ref().map(signature_row).transpose()
    }

    async fn signatures(&self, ids: &[i64]) -> StoreResult<Vec<Signature>> {
        let rows = sqlx::query(&format!(
            "SELECT {SIGNATURE_COLUMNS} FROM signatures WHERE {}",
            dialect::in_ids("id", "$1")
        ))
        .bind(dialect::ids(ids)?)
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        rows.iter().map(signature_row).collect()
    }

    async fn confirm_signature(&self, id: i64, now: OffsetDateTime) -> StoreResult<Confirmation> {
        self.signing.confirm(id, None, now).await
    }

    async fn confirm_signature_revision(
        &self,
        id: i64,
        revision: i64,
        now: OffsetDateTime,
    ) -> StoreResult<Confirmation> {
        self.signing.confirm(id, Some(revision), now).await
    }

    async fn withdraw_signature(&self, id: i64) -> StoreResult<bool> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        let deleted = sqlx::query("DELETE FROM signatures WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected();
        sqlx::query(
            "DELETE FROM outbox WHERE ref_id = $1 AND kind IN ('confirm-signature', 'already-signed')",
        )
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(deleted > 0)
    }

    async fn public_signatures(
        &self,
        campaign: CampaignId,
        after: Option<ListCursor>,
        limit: u32,
    ) -> StoreResult<Vec<PublicSignature>> {
        let (at, id) = after.map_or((dialect::LATEST, i64::MAX), |c| (dialect::at(c.confirmed_at), c.id));
        let rows = sqlx::query(
            "SELECT id, name, display, country, city, affiliation, comment, confirmed_at FROM signatures
             WHERE campaign_id = $1 AND status = 'confirmed' AND invalidation_id IS NULL AND display <> 'hidden'
               AND confirmed_at <= $2 AND (confirmed_at < $2 OR id < $3)
             ORDER BY confirmed_at DESC, id DESC LIMIT $4",
        )
        .bind(campaign)
        .bind(at)
        .bind(id)
        .bind(i64::from(limit))
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                let id: i64 = get(r, "id")?;
                Ok(PublicSignature {
                    id,
                    name: public_name(id, &get::<String>(r, "name")?, &get::<String>(r, "display")?)?,
                    country: get(r, "country")?,
                    city: get(r, "city")?,
                    affiliation: get(r, "affiliation")?,
                    comment: get(r, "comment")?,
                    confirmed_at: dialect::time_at(r, "confirmed_at")?,
                })
            })
            .collect()
    }

    async fn signature_by_key(&self, email_key: &[u8]) -> StoreResult<Option<Signature>> {
        let row = sqlx::query(&format!("SELECT {SIGNATURE_COLUMNS} FROM signatures WHERE email_key = $1"))
            .bind(email_key)
            .fetch_optional(self.reader())
            .await
            .map_err(db)?;
        row.as_ref().map(signature_row).transpose()
    }

    async fn update_signer_choices(
        &self,
        signature: i64,
        display: NameDisplay,
        opt_in: bool,
    ) -> StoreResult<bool> {
        let updated = sqlx::query("UPDATE signatures SET display = $1, opt_in = $2 WHERE id = $3")
            .bind(display.as_str())
            .bind(opt_in)
            .bind(signature)
            .execute(self.writer())
            .await
            .map_err(db)?
            .rows_affected();
        Ok(updated > 0)
    }

    async fn signatures_for_export(
        &self,
        campaign: CampaignId,
        after: Option<ListCursor>,
        limit: u32,
    ) -> StoreResult<Vec<Signature>> {
        self.export_page(campaign, after, limit).await
    }
}

/// One signature inside the caller's transaction: a new row and its confirmation mail, or, for an
/// address that signed already, the mail that case calls for within the address's budget (the
/// row is locked meanwhile, where the dialect locks rows).
pub(crate) async fn sign_one(
    conn: &mut dialect::Conn,
    s: &SignatureRecord,
    budget: MailBudget,
) -> StoreResult<SignOutcome> {
    let v = &s.signer;
    let now = dialect::at(s.now);
    let created: Option<i64> = sqlx::query_scalar(
        "INSERT INTO signatures (campaign_id, email_key, email, name, country, city, affiliation, comment, display, opt_in, lang, status, ip_key, mails_sent, mail_window_start, created_at, version_lang)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'pending', $12, 1, $13, $13, $14)
         ON CONFLICT (email_key) DO NOTHING RETURNING id",
    )
    .bind(s.campaign_id)
    .bind(&s.email_key[..])
    .bind(v.email.as_str())
    .bind(&v.name)
    .bind(&v.country)
    .bind(&v.city)
    .bind(&v.affiliation)
    .bind(&v.comment)
    .bind(v.display.as_str())
    .bind(v.opt_in)
    .bind(v.lang.as_str())
    .bind(s.ip_key.as_ref().map(|k| &k[..]))
    .bind(now)
    .bind(s.version.as_str())
    .fetch_optional(&mut *conn)
    .await
    .map_err(db)?;
    if let Some(id) = created {
        enqueue(conn, MailKind::ConfirmSignature, id, s.now).await?;
        return Ok(SignOutcome::Created { id });
    }
    let row = sqlx::query(&format!(
        "SELECT id, status, mails_sent, mail_window_start FROM signatures WHERE email_key = $1{}",
        dialect::FOR_UPDATE
    ))
    .bind(&s.email_key[..])
    .fetch_one(&mut *conn)
    .await
    .map_err(db)?;
    let id: i64 = get(&row, "id")?;
    let confirmed = get::<String>(&row, "status")? == "confirmed";
    if !confirmed {
        replace_pending(conn, id, s).await?;
    }
    let spent = budget.spend(get(&row, "mails_sent")?, dialect::time_at(&row, "mail_window_start")?, s.now);
    if let Some((sent, window_start)) = spent {
        sqlx::query("UPDATE signatures SET mails_sent = $1, mail_window_start = $2 WHERE id = $3")
            .bind(sent)
            .bind(dialect::at(window_start))
            .bind(id)
            .execute(&mut *conn)
            .await
            .map_err(db)?;
        let kind = if confirmed { MailKind::AlreadySigned } else { MailKind::ConfirmSignature };
        enqueue(conn, kind, id, s.now).await?;
    }
    let mailed = spent.is_some();
    Ok(if confirmed {
        SignOutcome::AlreadyConfirmed { id, mailed }
    } else {
        SignOutcome::StillPending { id, mailed }
    })
}

/// A later submission from an address whose signature is still pending: the latest is what its
/// signer chose, so it replaces the fields (a new revision, which the confirmation page shows;
/// the same choices again make none, so that the link of either submission confirms them).
async fn replace_pending(conn: &mut dialect::Conn, id: i64, s: &SignatureRecord) -> StoreResult<()> {
    let v = &s.signer;
    sqlx::query(
        "UPDATE signatures SET name = $1, country = $2, city = $3, affiliation = $4, comment = $5, display = $6,
             opt_in = $7, lang = $8, version_lang = $10, revision = revision + 1
         WHERE id = $9 AND status = 'pending'
           AND (name, country, city, affiliation, comment, display, opt_in, lang)
               IS DISTINCT FROM ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&v.name)
    .bind(&v.country)
    .bind(&v.city)
    .bind(&v.affiliation)
    .bind(&v.comment)
    .bind(v.display.as_str())
    .bind(v.opt_in)
    .bind(v.lang.as_str())
    .bind(id)
    .bind(s.version.as_str())
    .execute(conn)
    .await
    .map_err(db)?;
    Ok(())
}

/// The outcome of each signature of a batch from an address that signed already, by address key,
/// from the rows the group commit's counting statement returned (`id`, `email_key`, `status`,
/// `mails_sent`, after the attempt was counted): a mail goes if the count stays within the
/// address's budget.
pub(crate) fn repeated_outcomes(
    counted: &[dialect::Row],
    repeated: &[&SignJob],
) -> StoreResult<HashMap<Vec<u8>, SignOutcome>> {
    let budgets: HashMap<&[u8], i64> =
        repeated.iter().map(|job| (&job.record.email_key[..], job.budget.max)).collect();
    let mut outcomes = HashMap::with_capacity(counted.len());
    for row in counted {
        let (id, key): (i64, Vec<u8>) = (get(row, "id")?, get(row, "email_key")?);
        let sent: i64 = get(row, "mails_sent")?;
        let mailed = budgets.get(&key[..]).is_some_and(|max| sent <= *max);
        let outcome = if get::<String>(row, "status")? == "confirmed" {
            SignOutcome::AlreadyConfirmed { id, mailed }
        } else {
            SignOutcome::StillPending { id, mailed }
        };
        outcomes.insert(key, outcome);
    }
    Ok(outcomes)
}

/// The signatures of a batch that the batch's INSERT did not create: their addresses signed
/// already.
pub(crate) fn repeated<'b>(batch: &'b [SignJob], created: &HashMap<Vec<u8>, i64>) -> Vec<&'b SignJob> {
    batch.iter().filter(|job| !created.contains_key(&job.record.email_key[..])).collect()
}

/// The outcome of a signature of a batch: created by the batch's INSERT, or else as the
/// statements for the addresses that signed already left it.
pub(crate) fn batch_outcome(
    job: &SignJob,
    created: &HashMap<Vec<u8>, i64>,
    repeated: &HashMap<Vec<u8>, SignOutcome>,
) -> StoreResult<SignOutcome> {
    let key = &job.record.email_key[..];
    match created.get(key) {
        Some(&id) => Ok(SignOutcome::Created { id }),
        None => repeated
            .get(key)
            .copied()
            .ok_or_else(|| StoreError::Database("a signature went while it was signed again".into())),
    }
}

/// The mail a signature's outcome queues, if any: its confirmation link, or word that it signed
/// already.
pub(crate) fn mail_of(outcome: SignOutcome) -> Option<(MailKind, i64)> {
    match outcome {
        SignOutcome::Created { id } | SignOutcome::StillPending { id, mailed: true } => {
            Some((MailKind::ConfirmSignature, id))
        }
        SignOutcome::AlreadyConfirmed { id, mailed: true } => Some((MailKind::AlreadySigned, id)),
        _ => None,
    }
}
