//! Signing inside the group commit's transactions, which the writers of both dialects share: the
//! outcomes and mails of a batch, and [`sign_one`] for a signature tried alone. Below the store
//! (the writers run under it): this uses no use case and not the store, only `common`.

use std::collections::HashMap;

use undersigned_core::outbox::MailKind;
use undersigned_core::signature::{MailBudget, SignOutcome, SignatureRecord};
use undersigned_core::store::{StoreError, StoreResult};

use super::common::{db, dialect, enqueue, get};
use crate::group_commit::SignJob;

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
