//! Signing inside the group commit's transactions, which the writers of both dialects share: the
//! outcomes and mails of a batch, [`seal_batch`] (its private fields, sealed before it is written,
//! with the owners' keys each campaign has: `recipients`), and [`sign_one`] for a signature tried
//! alone. Below the store (the writers run under it): this uses no use case and not the store,
//! only `common`.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use sqlx::Pool;
use undersigned_core::CampaignId;
use undersigned_core::outbox::MailKind;
use undersigned_core::owner_key::CampaignRecipients;
use undersigned_core::signature::SignOutcome;
use undersigned_core::store::{StoreError, StoreResult};

use super::common::{db, dialect, enqueue, get};
use crate::group_commit::SignJob;
use crate::owner_sealing::{PrivateSealer, RecipientCache, Sealing};

/// Seals the private fields of the batch's signatures (`crate::owner_sealing`): to the owners'
/// keys of each campaign that has some, one header per campaign, under the data key otherwise. A
/// campaign's keys are read from `pool` only when the cache does not hold them.
pub(crate) async fn seal_batch(
    pool: &Pool<dialect::Db>,
    sealing: &Sealing,
    batch: &mut [SignJob],
) -> StoreResult<()> {
    let campaigns: BTreeSet<CampaignId> =
        batch.iter().filter(|job| !job.fields.is_empty()).map(|job| job.record.campaign_id).collect();
    let mut recipients = Vec::with_capacity(campaigns.len());
    for campaign in campaigns {
        recipients.push((campaign, cached_recipients(pool, &sealing.recipients, campaign).await?));
    }
    let sealer = PrivateSealer::new(&sealing.data_key, recipients.iter().map(|(c, r)| (*c, &**r)));
    for job in batch {
        let fields = std::mem::take(&mut job.fields);
        let stored = sealer.seal(job.record.campaign_id, &job.record.email_key, &fields);
        (job.private, job.private_key_ids) = (stored.sealed, stored.key_ids);
    }
    Ok(())
}

/// A campaign's recipients, from the cache or read (and kept).
pub(crate) async fn cached_recipients(
    pool: &Pool<dialect::Db>,
    cache: &RecipientCache,
    campaign: CampaignId,
) -> StoreResult<Arc<CampaignRecipients>> {
    if let Some(recipients) = cache.get(campaign) {
        return Ok(recipients);
    }
    let mut conn = pool.acquire().await.map_err(db)?;
    Ok(cache.keep(campaign, recipients(&mut conn, campaign).await?))
}

/// The active keys of the campaign's owners (of accounts not disabled), by key id.
pub(crate) async fn recipients(
    conn: &mut dialect::Conn,
    campaign: CampaignId,
) -> StoreResult<CampaignRecipients> {
    let rows = sqlx::query(
        "SELECT k.id, k.recipient FROM owner_keys k
         JOIN campaign_roles r ON r.user_id = k.user_id AND r.campaign_id = $1 AND r.role = 'owner'
         JOIN users u ON u.id = k.user_id AND u.disabled_at IS NULL
         WHERE k.activated_at IS NOT NULL AND k.retired_at IS NULL
         ORDER BY k.id",
    )
    .bind(campaign)
    .fetch_all(conn)
    .await
    .map_err(db)?;
    let keys = rows
        .iter()
        .map(|r| {
            let text: String = get(r, "recipient")?;
            let recipient = text.parse().map_err(|e| StoreError::Corrupt(format!("owner key: {e}")))?;
            Ok((get(r, "id")?, recipient))
        })
        .collect::<StoreResult<_>>()?;
    Ok(CampaignRecipients { keys })
}

/// The columns a new signature row is written in (those it is read with are
/// [`super::common::SIGNATURE_COLUMNS`]), by every writer: the group commits of both backends
/// and [`sign_one`], each giving its values in this order.
pub(crate) const INSERTED_COLUMNS: &str = "campaign_id, email_key, email, name, country, private_sealed, private_digest, display, opt_in, lang, status, ip_key, mails_sent, mail_window_start, created_at, version_lang, log_salt, log_digests, private_key_ids, via, src";

/// One signature inside the caller's transaction: a new row and its confirmation mail, or, for an
/// address that signed already, the mail that case calls for within the address's budget (the
/// row is locked meanwhile, where the dialect locks rows).
pub(crate) async fn sign_one(conn: &mut dialect::Conn, job: &SignJob) -> StoreResult<SignOutcome> {
    let (s, budget) = (&job.record, job.budget);
    let v = &s.signer;
    let now = dialect::at(s.now);
    let created: Option<i64> = sqlx::query_scalar(&format!(
        "INSERT INTO signatures ({INSERTED_COLUMNS})
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', $11, 1, $12, $12, $13, $14, $15, $16, $17, $18)
         ON CONFLICT (email_key) DO NOTHING RETURNING id"
    ))
    .bind(s.campaign_id)
    .bind(&s.email_key[..])
    .bind(&job.email)
    .bind(&job.name)
    .bind(&v.country)
    .bind(&job.private)
    .bind(&job.private_digest)
    .bind(v.display.as_str())
    .bind(v.opt_in)
    .bind(v.lang.as_str())
    .bind(job.ip_key.as_deref())
    .bind(now)
    .bind(s.version.as_str())
    .bind(&s.leaf.salt[..])
    .bind(&s.leaf.digests()[..])
    .bind(&job.private_key_ids)
    .bind(s.source.via)
    .bind(s.source.src.as_deref())
    .fetch_optional(&mut *conn)
    .await
    .map_err(db)?;
    if let Some(id) = created {
        enqueue(conn, MailKind::ConfirmSignature, id, s.now).await?;
        write_consents(conn, &[(id, job)]).await?;
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
        replace_pending(conn, id, job).await?;
        write_consents(conn, &[(id, job)]).await?;
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
async fn replace_pending(conn: &mut dialect::Conn, id: i64, job: &SignJob) -> StoreResult<()> {
    let (s, v) = (&job.record, &job.record.signer);
    sqlx::query(
        "UPDATE signatures SET name = $1, country = $2, private_sealed = $3, private_digest = $4, display = $6,
             opt_in = $7, lang = $8, version_lang = $10, log_salt = $11, log_digests = $12, log_record = NULL, private_key_ids = $13,
             via = $14, src = $15,
             revision = revision + 1
         WHERE id = $9 AND status = 'pending'
           AND (name, country, private_digest, display, opt_in, lang)
               IS DISTINCT FROM ($1, $2, $5, $6, $7, $8)",
    )
    .bind(&job.name)
    .bind(&v.country)
    .bind(&job.private)
    .bind(&job.private_digest)
    .bind(&job.private_digest)
    .bind(v.display.as_str())
    .bind(v.opt_in)
    .bind(v.lang.as_str())
    .bind(id)
    .bind(s.version.as_str())
    .bind(&s.leaf.salt[..])
    .bind(&s.leaf.digests()[..])
    .bind(&job.private_key_ids)
    .bind(s.source.via)
    .bind(s.source.src.as_deref())
    .execute(conn)
    .await
    .map_err(db)?;
    Ok(())
}

/// What the group commit's INSERT of a batch does where an address signed already (a conflict on
/// its key, from before or from another instance): a pending signature takes the latest choices
/// (a new revision if they differ, as [`replace_pending`]), and every attempt is counted against
/// the address's mail budget (as `MailBudget::spend`: a window that is over starts again with this
/// attempt; whether a mail goes is decided from the count returned, see [`batch_outcomes`]). One
/// statement for new and known addresses alike, so that a signature takes the same time whether
/// its address signed before or not (issue 11), and no more statements than a batch of new
/// addresses needed before it (two statements of their own for the known ones made signing 5-8 %
/// slower). `window` is the SQL of the budget's window (a parameter; a batch has one budget, see
/// [`crate::group_commit::next_batch`]). The INSERT names the table `s`.
pub(crate) fn on_conflict(window: &str) -> String {
    let changed =
        "s.status = 'pending' AND (s.name, s.country, s.private_digest, s.display, s.opt_in, s.lang)
        IS DISTINCT FROM (excluded.name, excluded.country, excluded.private_digest,
                          excluded.display, excluded.opt_in, excluded.lang)";
    let fields = [
        "name",
        "country",
        "private_sealed",
        "private_digest",
        "private_key_ids",
        "display",
        "opt_in",
        "lang",
        "version_lang",
        "log_salt",
        "log_digests",
        "log_record",
    ]
    .map(|f| format!("{f} = CASE WHEN {changed} THEN excluded.{f} ELSE s.{f} END"))
    .join(",\n");
    let over = format!("excluded.created_at - s.mail_window_start > {window}");
    format!(
        "ON CONFLICT (email_key) DO UPDATE SET
         {fields},
         via = CASE WHEN s.status = 'pending' THEN excluded.via ELSE s.via END,
         src = CASE WHEN s.status = 'pending' THEN excluded.src ELSE s.src END,
         revision = s.revision + CASE WHEN {changed} THEN 1 ELSE 0 END,
         mails_sent = CASE WHEN {over} THEN 1 ELSE s.mails_sent + 1 END,
         mail_window_start = CASE WHEN {over} THEN excluded.created_at ELSE s.mail_window_start END"
    )
}

/// The outcome of each signature of a batch, in the batch's order, from the rows its INSERT
/// returned (`id`, `email_key`, `status`, `mails_sent`, after the attempt was counted) and whether
/// each job's row was created by it (`created`, as the dialect can tell): a mail goes if the count
/// stays within the address's budget.
pub(crate) fn batch_outcomes(
    batch: &[SignJob],
    rows: &[dialect::Row],
    created: impl Fn(&SignJob, &dialect::Row) -> StoreResult<bool>,
) -> StoreResult<Vec<SignOutcome>> {
    let mut by_key = HashMap::with_capacity(rows.len());
    for row in rows {
        by_key.insert(get::<Vec<u8>>(row, "email_key")?, row);
    }
    batch
        .iter()
        .map(|job| {
            let row = by_key.get(&job.record.email_key[..]).ok_or_else(|| {
                StoreError::Database("a signature of the batch came back without its row".into())
            })?;
            let id: i64 = get(row, "id")?;
            if created(job, row)? {
                return Ok(SignOutcome::Created { id });
            }
            let mailed = get::<i64>(row, "mails_sent")? <= job.budget.max;
            Ok(match get::<String>(row, "status")?.as_str() {
                "confirmed" => SignOutcome::AlreadyConfirmed { id, mailed },
                _ => SignOutcome::StillPending { id, mailed },
            })
        })
        .collect()
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

/// The consents of the signatures just written whose form asked for any
/// (`SignatureSource::consents` is `Some`): a new or still pending signature's consents become
/// the latest submission's. A confirmed signature keeps its own (its signer changes them on the
/// manage page). Nothing at all for a batch whose forms asked none: the signing path of a
/// campaign without partners is as it was. A statement per signature: coalition signatures are
/// few beside the crowd, and this keeps the batch statements as they were.
pub(crate) async fn write_consents(conn: &mut dialect::Conn, written: &[(i64, &SignJob)]) -> StoreResult<()> {
    for (id, job) in written {
        let Some(consents) = &job.record.source.consents else { continue };
        sqlx::query("DELETE FROM signature_consents WHERE signature_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await
            .map_err(db)?;
        for organisation in consents {
            sqlx::query(
                "INSERT INTO signature_consents (signature_id, organisation_id, given_at) VALUES ($1, $2, $3)
                 ON CONFLICT (signature_id, organisation_id) DO NOTHING",
            )
            .bind(id)
            .bind(organisation)
            .bind(dialect::at(job.record.now))
            .execute(&mut *conn)
            .await
            .map_err(db)?;
        }
    }
    Ok(())
}

/// The jobs of a batch whose consents are to be written ([`write_consents`]), with their rows'
/// ids: those whose form asked, and whose signature is new or still pending.
pub(crate) fn consenting<'a>(batch: &'a [SignJob], outcomes: &[SignOutcome]) -> Vec<(i64, &'a SignJob)> {
    batch
        .iter()
        .zip(outcomes)
        .filter(|(job, _)| job.record.source.consents.is_some())
        .filter_map(|(job, outcome)| match *outcome {
            SignOutcome::Created { id } | SignOutcome::StillPending { id, .. } => Some((id, job)),
            SignOutcome::AlreadyConfirmed { .. } => None,
        })
        .collect()
}
