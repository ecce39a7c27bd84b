//! The site's settings for starting campaigns, and the public's proposals. A proposal's text is
//! its draft campaign's and its sponsors are that campaign's signatures: publishing it opens the
//! campaign they signed.

use async_trait::async_trait;
use time::OffsetDateTime;
use undersigned_core::account::{NewUser, Role};
use undersigned_core::notice::NoticeKind;
use undersigned_core::outbox::MailKind;
use undersigned_core::proposal::{
    Decision, Proposal, ProposalState, RejectionReason, SiteSettings, WhoStarts,
};
use undersigned_core::store::{NewProposal, ProposalStore, StoreError, StoreResult};
use undersigned_core::{CampaignContent, CampaignId, Email, Lang};

use super::super::store::Backend;
use super::campaigns::{insert_campaign, save_in};
use super::common::{db, dialect, enqueue, get};
use super::life::delete_campaign;
use super::notices::notify;
use super::organisers::{account_for, upsert_role};
use crate::sealed::{PROPOSER_EMAIL, open_email, seal_email};

const COLUMNS: &str = "id, campaign_id, proposer_name, email_key, email, lang, state, reason, note, owner_id, \
     created_at, sponsored_at, decided_at";

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("a proposal's {what} {value:?}"))
}

impl Backend {
    fn proposal_row(&self, r: &dialect::Row) -> StoreResult<Proposal> {
        let email_key: Vec<u8> = get(r, "email_key")?;
        let email = open_email(self.data_key(), PROPOSER_EMAIL, &email_key, &get::<String>(r, "email")?)?;
        let state: String = get(r, "state")?;
        let reason: Option<String> = get(r, "reason")?;
        let lang: String = get(r, "lang")?;
        Ok(Proposal {
            id: get(r, "id")?,
            campaign_id: get(r, "campaign_id")?,
            proposer_name: get(r, "proposer_name")?,
            proposer_email: match email.is_empty() {
                // Anonymised with its campaign's signers when the retention period ended.
                true => Email::anonymised(),
                false => Email::stored("email", &email).map_err(|_| corrupt("address", "(sealed)"))?,
            },
            email_key,
            lang: Lang::parse("lang", &lang).map_err(|_| corrupt("language", &lang))?,
            state: ProposalState::parse(&state).ok_or_else(|| corrupt("state", &state))?,
            reason: reason
                .map(|r| RejectionReason::parse("reason", &r).map_err(|_| corrupt("reason", &r)))
                .transpose()?,
            note: get(r, "note")?,
            owner: get(r, "owner_id")?,
            created_at: dialect::time_at(r, "created_at")?,
            sponsored_at: dialect::opt_time_at(r, "sponsored_at")?,
            decided_at: dialect::opt_time_at(r, "decided_at")?,
        })
    }

    async fn proposal_where(&self, condition: &str, value: i64) -> StoreResult<Option<Proposal>> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM proposals WHERE {condition} = $1"))
            .bind(value)
            .fetch_optional(self.reader())
            .await
            .map_err(db)?;
        row.as_ref().map(|r| self.proposal_row(r)).transpose()
    }
}

#[async_trait]
impl ProposalStore for Backend {
    async fn site_settings(&self) -> StoreResult<SiteSettings> {
        let rows = sqlx::query("SELECT name, value FROM site_settings")
            .fetch_all(self.reader())
            .await
            .map_err(db)?;
        let mut settings = SiteSettings::default();
        for r in &rows {
            let (name, value): (String, String) = (get(r, "name")?, get(r, "value")?);
            match name.as_str() {
                "who_starts" => {
                    settings.who_starts =
                        WhoStarts::parse("who_starts", &value).map_err(|_| corrupt("setting", &value))?
                }
                "sponsors_needed" => {
                    settings.sponsors_needed = SiteSettings::parse_sponsors("sponsors_needed", &value)
                        .map_err(|_| corrupt("setting", &value))?
                }
                "require_second_factor" => settings.require_second_factor = value == "1",
                // A setting of a later version: not this one's to read.
                _ => {}
            }
        }
        Ok(settings)
    }

    async fn save_site_settings(&self, settings: &SiteSettings) -> StoreResult<()> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        for (name, value) in [
            ("who_starts", settings.who_starts.as_str().to_owned()),
            ("sponsors_needed", settings.sponsors_needed.to_string()),
            ("require_second_factor", u8::from(settings.require_second_factor).to_string()),
        ] {
            sqlx::query(
                "INSERT INTO site_settings (name, value) VALUES ($1, $2)
                 ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            )
            .bind(name)
            .bind(value)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    async fn create_proposal(&self, p: &NewProposal, now: OffsetDateTime) -> StoreResult<Proposal> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        let campaign = insert_campaign(&mut tx, &p.content, now).await?;
        let email = seal_email(self.data_key(), PROPOSER_EMAIL, &p.email_key, p.proposer_email.as_str());
        let id: i64 = sqlx::query_scalar(&format!(
            "INSERT INTO proposals (id, campaign_id, proposer_name, email_key, email, lang, state, created_at)
             VALUES ({}, $1, $2, $3, $4, $5, 'unconfirmed', $6) RETURNING id",
            dialect::new_id("proposals")
        ))
        .bind(campaign)
        .bind(&p.proposer_name)
        .bind(&p.email_key)
        .bind(email)
        .bind(p.lang.as_str())
        .bind(dialect::at(now))
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?;
        enqueue(&mut tx, MailKind::ConfirmProposal, id, now).await?;
        tx.commit().await.map_err(db)?;
        self.proposal(id).await?.ok_or(StoreError::NotFound)
    }

    async fn proposal(&self, id: i64) -> StoreResult<Option<Proposal>> {
        self.proposal_where("id", id).await
    }

    async fn proposal_of_campaign(&self, campaign: CampaignId) -> StoreResult<Option<Proposal>> {
        self.proposal_where("campaign_id", campaign).await
    }

    async fn proposals(&self, states: &[ProposalState]) -> StoreResult<Vec<Proposal>> {
        let states: Vec<&str> = states.iter().map(|s| s.as_str()).collect();
        // A handful of states: each a parameter of its own, the same SQL on both databases.
        let params: Vec<String> = (1..=states.len()).map(|i| format!("${i}")).collect();
        if params.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {COLUMNS} FROM proposals WHERE state IN ({}) ORDER BY id DESC",
            params.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for state in states {
            query = query.bind(state);
        }
        let rows = query.fetch_all(self.reader()).await.map_err(db)?;
        rows.iter().map(|r| self.proposal_row(r)).collect()
    }

    async fn sponsors(&self, campaign: CampaignId) -> StoreResult<(i64, bool)> {
        let row = sqlx::query(
            "SELECT count(*) FILTER (WHERE status = 'confirmed') AS confirmed, count(*) AS signed
             FROM signatures WHERE campaign_id = $1",
        )
        .bind(campaign)
        .fetch_one(self.reader())
        .await
        .map_err(db)?;
        Ok((get(&row, "confirmed")?, get::<i64>(&row, "signed")? > 0))
    }

    async fn confirm_proposal(&self, id: i64, _now: OffsetDateTime) -> StoreResult<bool> {
        let changed =
            sqlx::query("UPDATE proposals SET state = 'gathering' WHERE id = $1 AND state = 'unconfirmed'")
                .bind(id)
                .execute(self.writer())
                .await
                .map_err(db)?
                .rows_affected();
        Ok(changed > 0)
    }

    async fn proposal_sponsored(&self, id: i64, needed: u32, now: OffsetDateTime) -> StoreResult<bool> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        // The sponsors are the draft's confirmed signatures (read from the table, not the counts:
        // the counts fold in later).
        let moved = sqlx::query(
            "UPDATE proposals SET state = 'moderation', sponsored_at = $1
             WHERE id = $2 AND state = 'gathering'
               AND (SELECT count(*) FROM signatures s
                    WHERE s.campaign_id = proposals.campaign_id AND s.status = 'confirmed') >= $3",
        )
        .bind(dialect::at(now))
        .bind(id)
        .bind(i64::from(needed))
        .execute(&mut *tx)
        .await
        .map_err(db)?
        .rows_affected();
        if moved > 0 {
            let admins: Vec<i64> = sqlx::query_scalar(&format!(
                "SELECT id FROM users WHERE is_admin = {} AND disabled_at IS NULL ORDER BY id",
                dialect::TRUE
            ))
            .fetch_all(&mut *tx)
            .await
            .map_err(db)?;
            notify(&mut tx, NoticeKind::Proposal, id, &admins, now).await?;
        }
        tx.commit().await.map_err(db)?;
        Ok(moved > 0)
    }

    async fn decide_proposal(
        &self,
        id: i64,
        decision: &Decision,
        open: &CampaignContent,
        now: OffsetDateTime,
    ) -> StoreResult<Option<Proposal>> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM proposals WHERE id = $1 AND state IN ('gathering', 'moderation'){}",
            dialect::FOR_UPDATE
        ))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
        let Some(row) = row else { return Ok(None) };
        let proposal = self.proposal_row(&row)?;
        match decision {
            Decision::Publish => {
                // The proposer's account: theirs if they have one, else a new one without a
                // password (the decision's mail links to setting one).
                let user = NewUser {
                    email: proposal.proposer_email.as_str().to_lowercase(),
                    name: proposal.proposer_name.clone(),
                    is_admin: false,
                    password_hash: None,
                };
                let account = account_for(&mut tx, &user, now).await?;
                if account.made {
                    // Their mail as an organiser comes in the language they proposed in.
                    sqlx::query("INSERT INTO organiser_settings (user_id, lang) VALUES ($1, $2)")
                        .bind(account.id)
                        .bind(proposal.lang.as_str())
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                }
                let owner = account.id;
                upsert_role(&mut tx, proposal.campaign_id, owner, Role::Owner).await?;
                save_in(&mut tx, proposal.campaign_id, open, false, now).await?;
                sqlx::query(
                    "UPDATE proposals SET state = 'published', owner_id = $1, decided_at = $2 WHERE id = $3",
                )
                .bind(owner)
                .bind(dialect::at(now))
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            }
            Decision::Reject { reason, note } => {
                // Its draft has ended: its sponsors' data goes when the retention period is over.
                sqlx::query("UPDATE campaigns SET ended_at = $1 WHERE id = $2")
                    .bind(dialect::at(now))
                    .bind(proposal.campaign_id)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                sqlx::query(
                    "UPDATE proposals SET state = 'rejected', reason = $1, note = $2, decided_at = $3 WHERE id = $4",
                )
                .bind(reason.as_str())
                .bind(note)
                .bind(dialect::at(now))
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            }
        }
        enqueue(&mut tx, MailKind::ProposalDecision, id, now).await?;
        let sponsors: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM signatures WHERE campaign_id = $1 AND status = 'confirmed' ORDER BY id",
        )
        .bind(proposal.campaign_id)
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
        for sponsor in sponsors {
            enqueue(&mut tx, MailKind::SponsorDecision, sponsor, now).await?;
        }
        tx.commit().await.map_err(db)?;
        // An owner more: the campaign's private fields are sealed to other keys.
        self.recipient_cache().forget();
        self.proposal(id).await
    }

    async fn forget_unconfirmed_proposals(&self, before: OffsetDateTime) -> StoreResult<u64> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM proposals WHERE state = 'unconfirmed' AND created_at < $1 ORDER BY id",
        )
        .bind(dialect::at(before))
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        let mut forgotten = 0;
        for id in ids {
            // Confirmed meanwhile: `delete_proposal` would delete it all the same, so check again.
            if self.proposal(id).await?.is_some_and(|p| p.state == ProposalState::Unconfirmed)
                && self.delete_proposal(id).await?
            {
                forgotten += 1;
            }
        }
        Ok(forgotten)
    }

    async fn delete_proposal(&self, id: i64) -> StoreResult<bool> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        let campaign: Option<i64> = sqlx::query_scalar(&format!(
            "SELECT campaign_id FROM proposals WHERE id = $1 AND state <> 'published'{}",
            dialect::FOR_UPDATE
        ))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
        let Some(campaign) = campaign else { return Ok(false) };
        delete_campaign(&mut tx, campaign).await?;
        tx.commit().await.map_err(db)?;
        Ok(true)
    }
}
