//! Endorsements: by organisations through the form (confirmed by their contact, then approved by
//! an organiser) and collected offline (listed at once).

use async_trait::async_trait;
use time::OffsetDateTime;
use undersigned_core::account::Role;
use undersigned_core::clock::now;
use undersigned_core::endorsement::{EndorsementContact, EndorsementRequest, EndorsementState};
use undersigned_core::notice::NoticeKind;
use undersigned_core::outbox::MailKind;
use undersigned_core::private_fields::is_sealed_to_owners;
use undersigned_core::store::{EndorsementStore, StoreError, StoreResult};
use undersigned_core::webhook::WebhookEvent;
use undersigned_core::{CampaignId, Endorsement, EndorsementSpec};

use super::super::store::Backend;
use super::common::{db, dialect, enqueue, get};
use super::log_append::{self, NewLeaf};
use super::notices::{notify, team};
use super::sign_batch::cached_recipients;
use super::webhook_events;
use crate::owner_sealing::PrivateSealer;
use crate::rows::{EndorsementRow, endorsement_state};
use crate::sealed::{
    ENDORSEMENT_EMAIL, ENDORSEMENT_IP, IMPORTED_IDENTIFIER, digest, open_email, open_private, seal_email,
    seal_ip,
};
use undersigned_core::private_fields::PrivateFields;
use undersigned_core::signature_log::endorsement_leaf;

pub(super) const ENDORSEMENT_COLUMNS: &str = "id, campaign_id, kind, name, org_type, website, individuals, country, \
     statement, source_note, offline, from_file, created_at, status, verified_at";

pub(super) fn endorsement_row(r: &dialect::Row) -> StoreResult<(Endorsement, EndorsementState)> {
    let state =
        endorsement_state(&get::<String>(r, "status")?, dialect::opt_time_at(r, "verified_at")?.is_some())?;
    let row = EndorsementRow {
        id: get(r, "id")?,
        campaign_id: get(r, "campaign_id")?,
        kind: get(r, "kind")?,
        name: get(r, "name")?,
        org_type: get(r, "org_type")?,
        website: get(r, "website")?,
        individuals: get(r, "individuals")?,
        country: get(r, "country")?,
        statement: get(r, "statement")?,
        source_note: get(r, "source_note")?,
        offline: get(r, "offline")?,
        from_file: get(r, "from_file")?,
        created_at: dialect::time_at(r, "created_at")?,
    };
    Ok((row.into_endorsement()?, state))
}

#[async_trait]
impl EndorsementStore for Backend {
    async fn endorsements(&self, campaign: CampaignId) -> StoreResult<Vec<Endorsement>> {
        let rows = sqlx::query(&format!(
            "SELECT {ENDORSEMENT_COLUMNS} FROM endorsements WHERE campaign_id = $1 AND status = 'approved' ORDER BY id"
        ))
        .bind(campaign)
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        rows.iter().map(|r| endorsement_row(r).map(|(e, _)| e)).collect()
    }

    async fn request_endorsement(&self, r: &EndorsementRequest) -> StoreResult<i64> {
        let (kind, name, org_type, website, individuals) = r.spec.endorser.parts();
        let (key, row) = (self.data_key(), &r.email_key[..]);
        let contact_email = seal_email(key, ENDORSEMENT_EMAIL, row, r.contact_email.as_str());
        let ip_key = r.ip_key.map(|ip| seal_ip(key, ENDORSEMENT_IP, row, &ip));
        let recipients = cached_recipients(self.reader(), self.recipient_cache(), r.campaign_id).await?;
        let contact_name = PrivateSealer::new(key, [(r.campaign_id, &*recipients)]).seal(
            r.campaign_id,
            row,
            &PrivateFields::of_contact(&r.contact_name),
        );
        // Its leaf, fixed now and appended once an organiser approves it.
        let (salt, record) = endorsement_leaf(r.campaign_id, &r.spec, Some(&r.contact_email), r.now);
        let mut tx = self.writer().begin().await.map_err(db)?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO endorsements (campaign_id, kind, name, org_type, website, individuals, country, statement, offline, from_file, status, created_at, contact_name_sealed, contact_email, email_key, lang, ip_key, contact_name_key_ids, log_salt, log_record)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, FALSE, FALSE, 'pending', $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
        )
        .bind(r.campaign_id)
        .bind(kind)
        .bind(name)
        .bind(org_type)
        .bind(website)
        .bind(individuals)
        .bind(&r.spec.country)
        .bind(&r.spec.statement)
        .bind(dialect::at(r.now))
        .bind(contact_name.sealed)
        .bind(contact_email)
        .bind(&r.email_key[..])
        .bind(r.lang.as_str())
        .bind(ip_key)
        .bind(contact_name.key_ids)
        .bind(salt.as_ref().map(|s| &s[..]))
        .bind(record)
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?;
        enqueue(&mut tx, MailKind::ConfirmEndorsement, id, r.now).await?;
        tx.commit().await.map_err(db)?;
        Ok(id)
    }

    async fn endorsement(&self, id: i64) -> StoreResult<Option<(Endorsement, EndorsementState)>> {
        let row = sqlx::query(&format!("SELECT {ENDORSEMENT_COLUMNS} FROM endorsements WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.reader())
            .await
            .map_err(db)?;
        row.as_ref().map(endorsement_row).transpose()
    }

    async fn endorsement_contact(&self, id: i64) -> StoreResult<Option<EndorsementContact>> {
        let row = sqlx::query(
            "SELECT id, campaign_id, name, contact_name, contact_name_sealed, contact_email, email_key, lang, status, verified_at
             FROM endorsements WHERE id = $1 AND contact_email IS NOT NULL",
        )
        .bind(id)
        .fetch_optional(self.reader())
        .await
        .map_err(db)?;
        let Some(r) = row else { return Ok(None) };
        let email_key = get::<Option<Vec<u8>>>(&r, "email_key")?.unwrap_or_default();
        let stored = get::<Option<String>>(&r, "contact_email")?.unwrap_or_default();
        let contact_email = open_email(self.data_key(), ENDORSEMENT_EMAIL, &email_key, &stored)?;
        // Sealed (`crate::owner_sealing`), or in clear from before; sealed to the owners' keys,
        // the server does not know it (the mail greets the contact without it).
        let sealed_name: Option<String> = get(&r, "contact_name_sealed")?;
        let name_sealed_to_owners = sealed_name.as_deref().is_some_and(is_sealed_to_owners);
        let contact_name = match sealed_name {
            Some(sealed) => open_private(self.data_key(), &email_key, Some(&sealed))?.contact_name,
            None => get::<Option<String>>(&r, "contact_name")?,
        };
        Ok(Some(EndorsementContact {
            id: get(&r, "id")?,
            campaign_id: get(&r, "campaign_id")?,
            organisation: get::<Option<String>>(&r, "name")?.unwrap_or_default(),
            contact_name: contact_name.unwrap_or_default(),
            name_sealed_to_owners,
            contact_email,
            email_key,
            lang: get::<Option<String>>(&r, "lang")?.unwrap_or_default(),
            state: endorsement_state(
                &get::<String>(&r, "status")?,
                dialect::opt_time_at(&r, "verified_at")?.is_some(),
            )?,
        }))
    }

    async fn verify_endorsement(&self, id: i64, now: OffsetDateTime) -> StoreResult<bool> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        let row: Option<(i64, bool)> = sqlx::query_as(
            "SELECT campaign_id, verified_at IS NULL FROM endorsements WHERE id = $1 AND contact_email IS NOT NULL",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
        let Some((campaign, first)) = row else { return Ok(false) };
        if first {
            sqlx::query("UPDATE endorsements SET verified_at = $1 WHERE id = $2")
                .bind(dialect::at(now))
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            // Now it waits for approval: those who approve hear of it, as each chose.
            let team = team(&mut tx, campaign, &Role::ALL).await?;
            notify(&mut tx, NoticeKind::Endorsement, id, &team, now).await?;
        }
        tx.commit().await.map_err(db)?;
        Ok(true)
    }

    async fn endorsements_in(
        &self,
        campaign: Option<CampaignId>,
        state: EndorsementState,
    ) -> StoreResult<Vec<(Endorsement, EndorsementState)>> {
        let condition = match state {
            EndorsementState::Unverified => "status = 'pending' AND verified_at IS NULL",
            EndorsementState::AwaitingApproval => "status = 'pending' AND verified_at IS NOT NULL",
            EndorsementState::Approved => "status = 'approved'",
            EndorsementState::Rejected => "status = 'rejected'",
        };
        let rows = sqlx::query(&format!(
            "SELECT {ENDORSEMENT_COLUMNS} FROM endorsements WHERE {condition} AND ($1 IS NULL OR campaign_id = $1) ORDER BY id"
        ))
        .bind(campaign)
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        rows.iter().map(endorsement_row).collect()
    }

    async fn decide_endorsement(
        &self,
        id: i64,
        approve: bool,
        reason: Option<&str>,
        now: OffsetDateTime,
    ) -> StoreResult<()> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        let decided: Option<(CampaignId, Option<String>)> = sqlx::query_as(
            "UPDATE endorsements SET status = $1, reject_reason = $2, decided_at = $3
             WHERE id = $4 AND status = 'pending' AND verified_at IS NOT NULL RETURNING campaign_id, log_record",
        )
        .bind(if approve { "approved" } else { "rejected" })
        .bind(reason)
        .bind(dialect::at(now))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
        let Some((campaign, record)) = decided else { return Err(StoreError::NotFound) };
        if approve {
            // Listed: its leaf, in the same transaction. One sent before the log took endorsements
            // has no record kept: it gets one of its public form now, with no commitment.
            let record = match record {
                Some(record) => record,
                None => {
                    let row =
                        sqlx::query(&format!("SELECT {ENDORSEMENT_COLUMNS} FROM endorsements WHERE id = $1"))
                            .bind(id)
                            .fetch_one(&mut *tx)
                            .await
                            .map_err(db)?;
                    let (e, _) = endorsement_row(&row)?;
                    keep_record(&mut tx, id, &endorsement_leaf(campaign, &e.spec, None, e.created_at).1)
                        .await?
                }
            };
            let leaf =
                NewLeaf { campaign_id: campaign, record, signature_id: None, endorsement_id: Some(id) };
            log_append::append(&mut tx, &[leaf]).await?;
            webhook_events::queue(&mut tx, campaign, WebhookEvent::EndorsementApproved, Some(id), None, now)
                .await?;
        }
        tx.commit().await.map_err(db)
    }

    async fn add_offline_endorsement(
        &self,
        campaign: CampaignId,
        spec: &EndorsementSpec,
    ) -> StoreResult<i64> {
        Ok(self.add_offline_endorsements(campaign, std::slice::from_ref(spec)).await?[0])
    }

    async fn import_offline_endorsement(
        &self,
        campaign: CampaignId,
        spec: &EndorsementSpec,
        identifiers: &[String],
    ) -> StoreResult<(i64, bool)> {
        // Kept as keyed digests: a CRM's identifier may name its person.
        let mut identifiers: Vec<(String, String)> = identifiers
            .iter()
            .map(|i| (digest(self.data_key(), IMPORTED_IDENTIFIER, i), i.clone()))
            .collect();
        identifiers.sort();
        identifiers.dedup();
        let now = now();
        let mut tx = self.writer().begin().await.map_err(db)?;
        if let Some(id) = imported_under(&mut tx, campaign, &identifiers).await? {
            return Ok((id, false));
        }
        let id = insert_endorsement(&mut tx, campaign, spec, false, now).await?;
        webhook_events::queue(&mut tx, campaign, WebhookEvent::EndorsementApproved, Some(id), None, now)
            .await?;
        for (identifier, _) in &identifiers {
            // Taken meanwhile by an import in another transaction (which waited for it): that one
            // stands, this one is undone.
            let taken = sqlx::query(
                "INSERT INTO imported_identifiers (campaign_id, identifier, endorsement_id) VALUES ($1, $2, $3)
                 ON CONFLICT (campaign_id, identifier) DO NOTHING",
            )
            .bind(campaign)
            .bind(identifier)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected()
                == 0;
            if taken {
                tx.rollback().await.map_err(db)?;
                let mut conn = self.writer().acquire().await.map_err(db)?;
                let id = imported_under(&mut conn, campaign, &identifiers).await?;
                return Ok((id.ok_or_else(|| StoreError::Unavailable("an import raced".into()))?, false));
            }
        }
        tx.commit().await.map_err(db)?;
        Ok((id, true))
    }

    async fn add_offline_endorsements(
        &self,
        campaign: CampaignId,
        specs: &[EndorsementSpec],
    ) -> StoreResult<Vec<i64>> {
        let now = now();
        let mut tx = self.writer().begin().await.map_err(db)?;
        let mut ids = Vec::with_capacity(specs.len());
        for spec in specs {
            let id = insert_endorsement(&mut tx, campaign, spec, false, now).await?;
            // Listed at once: approved by the organiser who entered it.
            webhook_events::queue(&mut tx, campaign, WebhookEvent::EndorsementApproved, Some(id), None, now)
                .await?;
            ids.push(id);
        }
        tx.commit().await.map_err(db)?;
        Ok(ids)
    }

    async fn log_endorsements_listed_before(&self) -> StoreResult<u64> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        let rows = sqlx::query(&format!(
            "SELECT {ENDORSEMENT_COLUMNS}, log_record FROM endorsements WHERE status = 'approved'
               AND NOT EXISTS (SELECT 1 FROM signature_log_leaves l WHERE l.endorsement_id = endorsements.id)
             ORDER BY id"
        ))
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
        let mut leaves = Vec::with_capacity(rows.len());
        for row in &rows {
            let (e, _) = endorsement_row(row)?;
            let record = match get::<Option<String>>(row, "log_record")? {
                Some(record) => record,
                None => {
                    let (_, record) = endorsement_leaf(e.campaign_id, &e.spec, None, e.created_at);
                    keep_record(&mut tx, e.id, &record).await?
                }
            };
            leaves.push(NewLeaf {
                campaign_id: e.campaign_id,
                record,
                signature_id: None,
                endorsement_id: Some(e.id),
            });
        }
        // Two instances starting at once: the second's leaves meet the first's indexes and it
        // fails, appending nothing; its next start finds none to append.
        log_append::append(&mut tx, &leaves).await?;
        tx.commit().await.map_err(db)?;
        Ok(leaves.len() as u64)
    }
}

/// The endorsement imported for `campaign` under one of `identifiers` (each its digest and
/// itself: kept in clear from before `undersigned data seal`), if any.
async fn imported_under(
    conn: &mut dialect::Conn,
    campaign: CampaignId,
    identifiers: &[(String, String)],
) -> StoreResult<Option<i64>> {
    for (digested, clear) in identifiers {
        let found = sqlx::query_scalar(
            "SELECT endorsement_id FROM imported_identifiers
             WHERE campaign_id = $1 AND (identifier = $2 OR identifier = $3)",
        )
        .bind(campaign)
        .bind(digested)
        .bind(clear)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?;
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

/// An endorsement collected offline: listed at once.
pub(super) async fn insert_endorsement(
    conn: &mut dialect::Conn,
    campaign: CampaignId,
    e: &EndorsementSpec,
    from_file: bool,
    now: OffsetDateTime,
) -> StoreResult<i64> {
    insert_approved_endorsement(conn, campaign, e, true, from_file, now).await
}

/// An approved endorsement: collected offline (or with the files), or through the site.
pub(super) async fn insert_approved_endorsement(
    conn: &mut dialect::Conn,
    campaign: CampaignId,
    e: &EndorsementSpec,
    offline: bool,
    from_file: bool,
    created_at: OffsetDateTime,
) -> StoreResult<i64> {
    let (kind, name, org_type, website, individuals) = e.endorser.parts();
    let (_, record) = endorsement_leaf(campaign, e, None, created_at);
    let id = sqlx::query_scalar(
        "INSERT INTO endorsements (campaign_id, kind, name, org_type, website, individuals, country, statement, source_note, offline, from_file, status, created_at, log_record)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'approved', $12, $13) RETURNING id",
    )
    .bind(campaign)
    .bind(kind)
    .bind(name)
    .bind(org_type)
    .bind(website)
    .bind(individuals)
    .bind(&e.country)
    .bind(&e.statement)
    .bind(&e.source_note)
    .bind(offline)
    .bind(from_file)
    .bind(dialect::at(created_at))
    .bind(&record)
    .fetch_one(&mut *conn)
    .await
    .map_err(db)?;
    // Listed at once: its leaf, in the same transaction.
    log_append::append(
        conn,
        &[NewLeaf { campaign_id: campaign, record, signature_id: None, endorsement_id: Some(id) }],
    )
    .await?;
    Ok(id)
}

/// Keeps an endorsement's record on its row (the log's leaf can be rebuilt from it); returns it.
async fn keep_record(conn: &mut dialect::Conn, id: i64, record: &str) -> StoreResult<String> {
    sqlx::query("UPDATE endorsements SET log_record = $1 WHERE id = $2")
        .bind(record)
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    Ok(record.to_owned())
}
