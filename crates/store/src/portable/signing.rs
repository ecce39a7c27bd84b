//! Signatures: made through the group commit (whose writers, per dialect, share the outcomes and
//! mails of a batch from `sign_batch`, and call its `sign_one` for a signature tried alone),
//! confirmed, withdrawn, listed, changed by their signer.

use async_trait::async_trait;
use time::OffsetDateTime;
use undersigned_core::CampaignId;
use undersigned_core::clock::now;
use undersigned_core::private_fields::PrivateFields;
use undersigned_core::signature::{
    Confirmation, ListCursor, MailBudget, NameDisplay, PublicSignature, SignOutcome, Signature,
    SignatureRecord,
};
use undersigned_core::store::{SigningStore, StoreResult};
use undersigned_core::webhook::WebhookEvent;

use super::super::store::Backend;
use super::common::{SIGNATURE_COLUMNS, db, dialect, get, signature_row};
use super::sign_batch::cached_recipients;
use super::{log_append, webhook_events};
use crate::owner_sealing::PrivateSealer;
use crate::rows::public_name;
use crate::sealed::private_digest;

/// What a signature's receipt is made of besides [`SIGNATURE_COLUMNS`] (see [`with_receipt`]).
const LEAF_COLUMNS: &str = "log_salt, log_digests, log_record";

/// A signature read with [`SIGNATURE_COLUMNS`] and [`LEAF_COLUMNS`], with its receipt.
fn with_receipt(key: &undersigned_core::data_key::DataKey, row: &dialect::Row) -> StoreResult<Signature> {
    let mut signature = signature_row(key, row)?;
    signature.receipt = log_append::receipt_of(row, None)?;
    Ok(signature)
}

#[async_trait]
impl SigningStore for Backend {
    async fn sign(&self, s: &SignatureRecord, budget: MailBudget) -> StoreResult<SignOutcome> {
        self.signing.sign(s, budget).await
    }

    async fn signature(&self, id: i64) -> StoreResult<Option<Signature>> {
        let row =
            sqlx::query(&format!("SELECT {SIGNATURE_COLUMNS}, {LEAF_COLUMNS} FROM signatures WHERE id = $1"))
                .bind(id)
                .fetch_optional(self.reader())
                .await
                .map_err(db)?;
        row.as_ref().map(|r| with_receipt(self.data_key(), r)).transpose()
    }

    async fn signatures(&self, ids: &[i64]) -> StoreResult<Vec<Signature>> {
        let rows = sqlx::query(&format!(
            "SELECT {SIGNATURE_COLUMNS}, {LEAF_COLUMNS} FROM signatures WHERE {}",
            dialect::in_ids("id", "$1")
        ))
        .bind(dialect::ids(ids)?)
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        rows.iter().map(|r| with_receipt(self.data_key(), r)).collect()
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
        // Before the row goes: the endpoints that heard of its confirmation hear of this.
        webhook_events::queue_for_signature(&mut tx, id, WebhookEvent::SignatureWithdrawn, now()).await?;
        // Its leaf stays in the campaign's log; a revoking leaf says it was withdrawn.
        log_append::revoke_signature(&mut tx, id, now()).await?;
        let deleted = sqlx::query("DELETE FROM signatures WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected();
        sqlx::query(
            "DELETE FROM outbox WHERE ref_id = $1 AND kind IN ('confirm-signature', 'already-signed', 'remind-signature')",
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
            "SELECT id, name, display, country, confirmed_at FROM signatures
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
        row.as_ref().map(|r| signature_row(self.data_key(), r)).transpose()
    }

    async fn update_signer_choices(
        &self,
        signature: i64,
        display: NameDisplay,
        opt_in: bool,
    ) -> StoreResult<bool> {
        // The name column holds the public form: a new display makes it again from the full name
        // (kept in the private fields when not shown in full), and the private fields keep the
        // full name only when it is not shown in full. Sealed to the owners' keys, the private
        // fields stay as they are (the server cannot open them): the display changes only to a
        // form the server can make (`Signature::display_choices`).
        let Some(mut current) = self.signature(signature).await? else {
            return Ok(false);
        };
        let display = match current.display_choices().contains(&display) {
            true => display,
            false => current.signer.display,
        };
        current.signer.display = display;
        let (row, campaign) = (&current.email_key, current.campaign_id);
        // `None`: the private fields and their digest stay as they are.
        let private = match current.sealed_to_owners {
            Some(_) => None,
            None => {
                let fields = PrivateFields::of_signature(&current.signer);
                let recipients = cached_recipients(self.reader(), self.recipient_cache(), campaign).await?;
                let sealer = PrivateSealer::new(self.data_key(), [(campaign, &*recipients)]);
                Some((sealer.seal(campaign, row, &fields), private_digest(self.data_key(), row, &fields)))
            }
        };
        let name = display.public_name(&current.signer.name).unwrap_or_default();
        let replace = private.is_some();
        let (stored, digest) = private.unwrap_or_default();
        let updated = sqlx::query(
            "UPDATE signatures SET display = $1, opt_in = $2, name = $3,
                 private_sealed = CASE WHEN $7 THEN $4 ELSE private_sealed END,
                 private_key_ids = CASE WHEN $7 THEN $5 ELSE private_key_ids END,
                 private_digest = CASE WHEN $7 THEN $8 ELSE private_digest END,
                 city = NULL, affiliation = NULL, comment = NULL
             WHERE id = $6",
        )
        .bind(display.as_str())
        .bind(opt_in)
        .bind(name)
        .bind(stored.sealed)
        .bind(stored.key_ids)
        .bind(signature)
        .bind(replace)
        .bind(digest)
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
