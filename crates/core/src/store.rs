//! The storage interface. Each method is one use case, run by the backend in one transaction.
//! Backends: `undersigned-store-sqlite` (the embedded default) and `undersigned-store-postgres`.

use async_trait::async_trait;

use time::{Duration, OffsetDateTime};

use crate::Lang;
use crate::account::{AuditEntry, Role, User};
use crate::campaign::{Campaign, CampaignContent, CampaignId, CampaignSpec, CampaignStatus, Revision, Slug};
use crate::endorsement::{Endorsement, EndorsementSpec};
use crate::keys::ShortKey;
use crate::signature::{
    ListCursor, MailBudget, NameDisplay, NewSignature, PublicSignature, SignOutcome, Signature,
};
use crate::validation::Email;

#[derive(Clone, Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A unique value taken already (an account's address).
    #[error("already exists: {0}")]
    Conflict(String),
    /// The database answered with an error.
    #[error("database error: {0}")]
    Database(String),
    /// The database cannot be reached (restarting, network down, no free connection in time).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// Stored data that does not parse back into domain types (a bug or a hand edit).
    #[error("corrupt stored data: {0}")]
    Corrupt(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// The backend's name for logs ("sqlite", "postgres").
    fn backend(&self) -> &'static str;

    /// Answers when the database does (for `/healthz`).
    async fn ping(&self) -> StoreResult<()>;

    /// A small real write through the path every write takes (a heartbeat row), for `/healthz`:
    /// fails while the database cannot write (a full disk), where a read would still answer.
    async fn heartbeat(&self, now: OffsetDateTime) -> StoreResult<()>;

    /// The migrations this binary knows that the database has not applied, for `/healthz`.
    async fn missing_migrations(&self) -> StoreResult<Vec<i64>>;

    /// Since when the mail that has waited longest has been due (not given up), for `/healthz`.
    async fn oldest_due_mail(&self, now: OffsetDateTime) -> StoreResult<Option<OffsetDateTime>>;

    /// Whether no campaign exists yet (first start: load the demo).
    async fn has_no_campaigns(&self) -> StoreResult<bool>;

    /// Creates or replaces campaigns by slug, all or nothing. Replacing keeps the campaign's
    /// identity (and so its signatures) and replaces its versions, demands and the endorsements
    /// that came from files.
    async fn import_campaigns(&self, specs: &[CampaignSpec]) -> StoreResult<Vec<CampaignId>>;

    async fn campaign_by_slug(&self, slug: &Slug) -> StoreResult<Option<Campaign>>;

    async fn campaign_by_id(&self, id: CampaignId) -> StoreResult<Option<Campaign>>;

    /// Campaigns the public can see (open, closed, won), newest first.
    async fn public_campaigns(&self) -> StoreResult<Vec<Campaign>>;

    /// Approved endorsements of a campaign, in the order they were entered.
    async fn endorsements(&self, campaign: CampaignId) -> StoreResult<Vec<Endorsement>>;

    // Signatures.

    /// Records a signature as pending and queues its confirmation mail, in one transaction; or,
    /// where the address (its `email_key`) has signed already, queues the mail that case calls for
    /// within the address's mail budget. Concurrent calls for one address leave one signature.
    async fn sign(&self, signature: &SignatureRecord, budget: MailBudget) -> StoreResult<SignOutcome>;

    async fn signature(&self, id: i64) -> StoreResult<Option<Signature>>;

    /// The signatures with these ids (those that exist), in one query: the mail worker reads a
    /// batch's signers at once.
    async fn signatures(&self, ids: &[i64]) -> StoreResult<Vec<Signature>>;

    /// Confirms a pending signature, so that it counts. Confirming twice is harmless.
    async fn confirm_signature(&self, id: i64, now: OffsetDateTime) -> StoreResult<Confirmation>;

    /// Confirms a pending signature only as it was shown: at `revision` (see `Signature::revision`);
    /// `Changed` when a later submission replaced it meanwhile.
    async fn confirm_signature_revision(
        &self,
        id: i64,
        revision: i64,
        now: OffsetDateTime,
    ) -> StoreResult<Confirmation>;

    /// Removes a signature and everything held about its signer. Returns whether it existed.
    async fn withdraw_signature(&self, id: i64) -> StoreResult<bool>;

    /// Confirmed signatures whose signers chose to be listed, newest first, after `cursor`.
    async fn public_signatures(
        &self,
        campaign: CampaignId,
        after: Option<ListCursor>,
        limit: u32,
    ) -> StoreResult<Vec<PublicSignature>>;

    /// Confirmed, valid signatures and endorsements. Signatures come from the aggregated counts
    /// plus the journal not yet folded: exact, and as cheap at ten million signatures as at ten.
    async fn counts(&self, campaign: CampaignId) -> StoreResult<Counts>;

    /// Confirmed signatures per country or region, most first (from the same aggregation).
    async fn counts_by_country(&self, campaign: CampaignId) -> StoreResult<Vec<(String, i64)>>;

    /// Folds the count journal into the aggregated counts; returns how many journal entries it
    /// folded. One aggregator at a time across all instances (PostgreSQL: an advisory lock; a
    /// second caller meanwhile folds nothing). Run about once a second by the server.
    async fn fold_counts(&self) -> StoreResult<u64>;

    /// Forgets the keyed IP hashes of signatures and endorsements made before `before`, the mail
    /// budgets whose window began before it, and then the daily keys of the days that ended by then (see `ip_hash_key`): a hash that was kept
    /// elsewhere (a backup) can no longer be recomputed from an address.
    async fn forget_ip_hashes(&self, before: OffsetDateTime) -> StoreResult<u64>;

    /// The key of the IP hashes made on `day` (days since 1970-01-01, UTC): the one kept, or
    /// `fresh` kept now when there is none. Every instance gets the same key for a day.
    async fn ip_hash_key(&self, day: i64, fresh: [u8; 32]) -> StoreResult<[u8; 32]>;

    /// Counts one mail against the budget of `key` (a keyed hash of a purpose and an address):
    /// whether it was within the budget, so that the mail may go. Counts even when it was not.
    async fn take_mail_budget(
        &self,
        key: &[u8],
        budget: MailBudget,
        now: OffsetDateTime,
    ) -> StoreResult<bool>;

    /// Forgets the address behind a campaign's comments from the commenter `email_key`: the
    /// comments stay as published (name and text), unconfirmed ones go. How many comments.
    async fn forget_commenter(&self, campaign: CampaignId, email_key: &[u8]) -> StoreResult<u64>;

    // Endorsements by organisations.

    /// Records an organisation's endorsement, waiting for its contact to confirm by email, and
    /// queues that mail, in one transaction.
    async fn request_endorsement(&self, request: &EndorsementRequest) -> StoreResult<i64>;

    async fn endorsement_contact(&self, id: i64) -> StoreResult<Option<EndorsementContact>>;

    /// The contact confirmed: the endorsement now waits for an organiser's approval.
    async fn verify_endorsement(&self, id: i64, now: OffsetDateTime) -> StoreResult<bool>;

    /// Endorsements in a state, oldest first, of one campaign or all.
    async fn endorsements_in(
        &self,
        campaign: Option<CampaignId>,
        state: EndorsementState,
    ) -> StoreResult<Vec<(Endorsement, EndorsementState)>>;

    /// An organiser's decision on a confirmed endorsement. `NotFound` for one not awaiting it.
    async fn decide_endorsement(
        &self,
        id: i64,
        approve: bool,
        reason: Option<&str>,
        now: OffsetDateTime,
    ) -> StoreResult<()>;

    /// An endorsement that came by email or on paper, entered by an organiser: listed at once.
    async fn add_offline_endorsement(&self, campaign: CampaignId, spec: &EndorsementSpec)
    -> StoreResult<i64>;

    /// Several endorsements collected offline (a spreadsheet of paper forms), all or nothing.
    async fn add_offline_endorsements(
        &self,
        campaign: CampaignId,
        specs: &[EndorsementSpec],
    ) -> StoreResult<Vec<i64>>;

    // The outbox.

    /// Takes up to `limit` mails that are due, leasing them for `lease` so that no other worker
    /// sends them meanwhile.
    async fn claim_mail(
        &self,
        now: OffsetDateTime,
        lease: Duration,
        limit: u32,
    ) -> StoreResult<Vec<QueuedMail>>;

    /// The mail went out (or is moot): drop it from the outbox, if the lease it was claimed with
    /// still holds it (a worker whose lease ran out finishes nothing). Whether it did.
    async fn mail_done(&self, mail: &QueuedMail) -> StoreResult<bool>;

    /// Several mails went out: drop them in one transaction (one write for a whole batch), each
    /// only under the lease it was claimed with.
    async fn mails_done(&self, mails: &[QueuedMail]) -> StoreResult<()> {
        for mail in mails {
            self.mail_done(mail).await?;
        }
        Ok(())
    }

    /// The mail failed: try again at `retry_at`, or never (`None`), keeping the error (an SMTP
    /// code and class, never the server's text); only under the lease it was claimed with.
    async fn mail_failed(
        &self,
        mail: &QueuedMail,
        error: &str,
        retry_at: Option<OffsetDateTime>,
    ) -> StoreResult<bool>;

    /// Mails given up, newest first (for the admin pages).
    async fn failed_mail(&self, limit: u32) -> StoreResult<Vec<FailedMail>>;

    /// Puts mails given up back in the outbox, due at `now`: those with these ids, or all
    /// (`None`). How many.
    async fn retry_failed_mail(&self, ids: Option<&[i64]>, now: OffsetDateTime) -> StoreResult<u64>;

    // Organisers.

    /// Creates an account; `Conflict` when the address has one.
    async fn create_user(&self, user: &NewUser, now: OffsetDateTime) -> StoreResult<i64>;

    /// An account and its password hash (none until an invited organiser sets one).
    async fn user_by_email(&self, email: &str) -> StoreResult<Option<(User, Option<String>)>>;

    async fn user_by_id(&self, id: i64) -> StoreResult<Option<(User, Option<String>)>>;

    async fn users(&self) -> StoreResult<Vec<User>>;

    /// Sets a password and ends every session of the account.
    async fn set_password(&self, user: i64, hash: &str) -> StoreResult<()>;

    /// Invites an organiser: creates the account if there is none, gives the role, and queues the
    /// invitation mail (for an account without a password), in one transaction.
    async fn invite(
        &self,
        user: &NewUser,
        role: Option<(CampaignId, Role)>,
        now: OffsetDateTime,
    ) -> StoreResult<i64>;

    /// Queues a password-reset mail if the address has an account; whether it has.
    async fn request_password_reset(&self, email: &str, now: OffsetDateTime) -> StoreResult<bool>;

    async fn create_session(
        &self,
        token_hash: &[u8],
        user: i64,
        now: OffsetDateTime,
        expires: OffsetDateTime,
    ) -> StoreResult<()>;

    /// The account a live session belongs to, unless it is disabled.
    async fn session_user(&self, token_hash: &[u8], now: OffsetDateTime) -> StoreResult<Option<User>>;

    async fn end_session(&self, token_hash: &[u8]) -> StoreResult<()>;

    /// Ends every session of an account; how many there were.
    async fn end_sessions(&self, user: i64) -> StoreResult<u64>;

    /// Makes an account an admin, or not; `Conflict` when that would leave no admin who can log in.
    async fn set_admin(&self, user: i64, admin: bool) -> StoreResult<()>;

    /// Disables an account (its sessions end, it cannot log in: `session_user` knows it no more)
    /// or enables it again; `Conflict` when that would leave no admin who can log in.
    async fn set_disabled(&self, user: i64, disabled: bool, now: OffsetDateTime) -> StoreResult<()>;

    /// The ids of the disabled accounts.
    async fn disabled_users(&self) -> StoreResult<Vec<i64>>;

    /// Gives a role on a campaign, or takes it away (`None`).
    async fn set_role(&self, campaign: CampaignId, user: i64, role: Option<Role>) -> StoreResult<()>;

    async fn role(&self, campaign: CampaignId, user: i64) -> StoreResult<Option<Role>>;

    /// Every campaign, drafts included, newest first.
    async fn all_campaigns(&self) -> StoreResult<Vec<Campaign>>;

    /// The campaigns an organiser has a role on, with the role.
    async fn campaigns_of(&self, user: i64) -> StoreResult<Vec<(CampaignId, Role)>>;

    async fn team(&self, campaign: CampaignId) -> StoreResult<Vec<(User, Role)>>;

    async fn audit(&self, entry: &AuditEntry) -> StoreResult<()>;

    /// The latest entries, of one campaign or all, newest first.
    async fn audit_log(&self, campaign: Option<CampaignId>, limit: u32) -> StoreResult<Vec<AuditEntry>>;

    /// Creates a campaign (a draft, from the organisers' pages); `Conflict` when the slug is taken.
    async fn create_campaign(
        &self,
        content: &CampaignContent,
        owner: Option<i64>,
        now: OffsetDateTime,
    ) -> StoreResult<CampaignId>;

    /// Saves a campaign's settings, status and versions. With `keep_revisions`, the text of every
    /// version it changes or removes is kept first, for the public history.
    async fn save_campaign(
        &self,
        id: CampaignId,
        content: &CampaignContent,
        keep_revisions: bool,
        now: OffsetDateTime,
    ) -> StoreResult<()>;

    /// The texts versions had before edits made after people signed, newest first.
    async fn revisions(&self, campaign: CampaignId) -> StoreResult<Vec<Revision>>;

    // Moderating signatures.

    /// How many signatures (not invalidated yet) the conditions match.
    async fn matching_signatures(&self, campaign: CampaignId, filter: &SignatureFilter) -> StoreResult<i64>;

    /// Invalidates every signature the conditions match, in one recorded, reversible step: they
    /// leave the counts and lists. Returns the invalidation's id and how many it took.
    async fn invalidate(
        &self,
        campaign: CampaignId,
        filter: &SignatureFilter,
        actor: &str,
        now: OffsetDateTime,
    ) -> StoreResult<(i64, i64)>;

    /// Undoes an invalidation: its signatures count again. How many.
    async fn restore_invalidation(
        &self,
        campaign: CampaignId,
        id: i64,
        now: OffsetDateTime,
    ) -> StoreResult<i64>;

    /// A campaign's invalidations, newest first.
    async fn invalidations(&self, campaign: CampaignId) -> StoreResult<Vec<Invalidation>>;

    /// Flagged by the abuse rule: IP hashes with at least `min` signatures on the campaign.
    async fn busy_ip_keys(&self, campaign: CampaignId, min: i64) -> StoreResult<Vec<IpGroup>>;

    /// The latest signatures, pending or confirmed, not invalidated, for moderators.
    async fn latest_signatures(&self, campaign: CampaignId, limit: u32) -> StoreResult<Vec<Signature>>;

    // Updates.

    /// Publishes an update (a text per language); with `mail`, queues it for every signer who
    /// asked for news, in one transaction.
    async fn post_update(
        &self,
        campaign: CampaignId,
        author: &str,
        texts: &[UpdateText],
        mail: bool,
        now: OffsetDateTime,
    ) -> StoreResult<i64>;

    /// Updates, newest first: of one campaign, or of every campaign.
    async fn updates(&self, campaign: Option<CampaignId>, limit: u32) -> StoreResult<Vec<Update>>;

    async fn update(&self, id: i64) -> StoreResult<Option<Update>>;

    /// Confirmed signatures that asked for news, after the signature `after`, in order of id.
    async fn opted_in(&self, campaign: CampaignId, after: i64, limit: u32) -> StoreResult<Vec<Signature>>;

    /// A batch job went `cursor` far: it is due again at once (if its lease still holds it).
    async fn mail_progress(&self, job: &QueuedMail, cursor: i64, now: OffsetDateTime) -> StoreResult<()>;

    /// Queues one mail of a kind for a row, with a cursor (an update to one signer, again).
    async fn queue_mail(
        &self,
        kind: MailKind,
        ref_id: i64,
        cursor: Option<i64>,
        now: OffsetDateTime,
    ) -> StoreResult<()>;

    /// The signer asks for no more news. Whether the signature exists.
    async fn unsubscribe(&self, signature: i64) -> StoreResult<bool>;

    // Comments.

    /// Adds a comment, waiting for its own confirmation (whatever the address did before: an
    /// address is no credential), and queues the mail with its link, in one transaction.
    async fn add_comment(&self, comment: &NewComment) -> StoreResult<i64>;

    /// A comment and its commenter's email key and address (for the confirmation link and mail).
    async fn comment(&self, id: i64) -> StoreResult<Option<(Comment, Option<(Vec<u8>, String)>)>>;

    /// The link of `comment` was used: that comment (and no other) is held or shown. The
    /// comment's new status.
    async fn confirm_comment(
        &self,
        comment: i64,
        pre_moderation: bool,
        now: OffsetDateTime,
    ) -> StoreResult<CommentStatus>;

    /// A campaign's comments in the given states, oldest first.
    async fn comments(&self, campaign: CampaignId, states: &[CommentStatus]) -> StoreResult<Vec<Comment>>;

    async fn set_comment_status(
        &self,
        campaign: CampaignId,
        id: i64,
        status: CommentStatus,
    ) -> StoreResult<bool>;

    async fn delete_comment(&self, campaign: CampaignId, id: i64) -> StoreResult<bool>;

    /// Someone reports a comment: it goes to the moderation queue.
    async fn report_comment(&self, campaign: CampaignId, id: i64) -> StoreResult<bool>;

    /// An organiser answers a comment in the organisation's name, shown at once.
    async fn add_organiser_reply(
        &self,
        campaign: CampaignId,
        parent: i64,
        name: &str,
        body: &str,
        now: OffsetDateTime,
    ) -> StoreResult<i64>;

    /// Whether the campaign holds comments until approved (else shows them at once).
    async fn pre_moderation(&self, campaign: CampaignId) -> StoreResult<bool>;

    async fn set_pre_moderation(&self, campaign: CampaignId, pre: bool) -> StoreResult<()>;

    // The target's response.

    /// Records (or replaces, or with `None` removes) the target's response.
    async fn set_response(
        &self,
        campaign: CampaignId,
        response: Option<&TargetResponse>,
        now: OffsetDateTime,
    ) -> StoreResult<()>;

    async fn response(&self, campaign: CampaignId) -> StoreResult<Option<TargetResponse>>;

    // Retention.

    /// Campaigns that ended (closed or won) before `before` and still hold personal data: their
    /// id, when they ended, and how many signatures and endorsements would be anonymised.
    async fn retention_due(&self, before: OffsetDateTime) -> StoreResult<Vec<RetentionDue>>;

    /// When a campaign ended, if it has (an open campaign whose end date has passed ended then).
    async fn ended_at(&self, campaign: CampaignId) -> StoreResult<Option<OffsetDateTime>>;

    // A campaign's life.

    /// Closes every open campaign whose end date is not after `now`: closed, ended at its end date
    /// (its retention period runs from then), with an entry in the audit log by the system
    /// ([`AuditEntry::closed_at_end_date`]), in one transaction. The campaigns it closed.
    async fn close_ended_campaigns(&self, now: OffsetDateTime) -> StoreResult<Vec<CampaignId>>;

    /// Whether anyone has signed the campaign: a signature pending or confirmed, valid or not.
    async fn has_signatures(&self, campaign: CampaignId) -> StoreResult<bool>;

    /// Takes a public campaign down, as [`CampaignStatus::unpublished`] decides from whether
    /// anyone has signed it, in one transaction: withdrawn (ended, signatures kept) or a draft
    /// again. The status it now has; `None` when it was not public.
    async fn unpublish_campaign(
        &self,
        campaign: CampaignId,
        now: OffsetDateTime,
    ) -> StoreResult<Option<CampaignStatus>>;

    /// The status a withdrawn campaign had when it was withdrawn (open, closed or won), which
    /// republishing goes back to ([`CampaignStatus::republished`]); `None` when it is not
    /// withdrawn.
    async fn withdrawn_from(&self, campaign: CampaignId) -> StoreResult<Option<CampaignStatus>>;

    /// Puts a withdrawn campaign back, public again as `to`, in one transaction, if `to` is what
    /// [`CampaignStatus::republished`] makes of it at `now` (else nothing changes, and `false`):
    /// open again, it has not ended; closed or won, it keeps when it ended.
    async fn republish_campaign(
        &self,
        campaign: CampaignId,
        to: CampaignStatus,
        now: OffsetDateTime,
    ) -> StoreResult<bool>;

    /// Deletes a campaign with everything it holds, if [`CampaignStatus::may_delete`] allows it
    /// (a draft nobody signed), in one transaction. Whether it did.
    async fn delete_draft(&self, campaign: CampaignId) -> StoreResult<bool>;

    /// Anonymises a campaign's signers and endorsers: counts, countries and the names as publicly
    /// shown stay; addresses, hashes and private fields go; unconfirmed signatures are deleted.
    /// Returns how many signatures were anonymised.
    async fn anonymise(&self, campaign: CampaignId) -> StoreResult<i64>;

    // Signers' self-service.

    /// The signature an address (its email key) made, if any.
    async fn signature_by_key(&self, email_key: &[u8]) -> StoreResult<Option<Signature>>;

    /// The signer changes how their name is shown, and whether they get news.
    async fn update_signer_choices(
        &self,
        signature: i64,
        display: NameDisplay,
        opt_in: bool,
    ) -> StoreResult<bool>;

    /// What a campaign's dashboard shows beyond the counts.
    async fn campaign_stats(&self, campaign: CampaignId) -> StoreResult<CampaignStats>;

    /// A campaign's confirmed signatures, oldest first, with everything held about them: up to
    /// `limit` of them after `after` (keyset, so that an export of millions streams page by page).
    async fn signatures_for_export(
        &self,
        campaign: CampaignId,
        after: Option<ListCursor>,
        limit: u32,
    ) -> StoreResult<Vec<Signature>>;

    /// Imports campaigns from their files as planned by [`crate::records::plan_import`], all or
    /// nothing, in one transaction: each campaign created or saved (keeping the text it replaces
    /// where planned), its files' endorsements replaced where planned, the records added (with the
    /// dates they carry; updates are not mailed), the win announced where the import declares it
    /// won (posted and mailed as [`Store::post_update`] with mail does), and its audit entry
    /// written. `Conflict` when a campaign was created, or its status changed (withdrawn
    /// included), since the import was planned.
    async fn apply_import(&self, imports: &[crate::records::CampaignImport]) -> StoreResult<Vec<CampaignId>>;
}

/// Which signatures a moderator means. Every condition given must hold; at least one is needed.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SignatureFilter {
    /// The part of the address after @, lower-cased.
    pub email_domain: Option<String>,
    pub country: Option<String>,
    /// Signed at or after.
    pub from: Option<OffsetDateTime>,
    /// Signed before.
    pub until: Option<OffsetDateTime>,
    pub ip_key: Option<Vec<u8>>,
    pub signature_id: Option<i64>,
}

impl SignatureFilter {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The conditions in words, for the record.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(d) = &self.email_domain {
            parts.push(format!("email domain {d}"));
        }
        if let Some(c) = &self.country {
            parts.push(format!("country {c}"));
        }
        if let Some(t) = self.from {
            parts.push(format!("from {t}"));
        }
        if let Some(t) = self.until {
            parts.push(format!("until {t}"));
        }
        if let Some(k) = &self.ip_key {
            parts.push(format!("IP hash {}", k.iter().map(|b| format!("{b:02x}")).collect::<String>()));
        }
        if let Some(id) = self.signature_id {
            parts.push(format!("signature #{id}"));
        }
        parts.join(", ")
    }
}

/// A recorded invalidation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalidation {
    pub id: i64,
    pub conditions: String,
    pub signatures: i64,
    pub actor: String,
    pub created_at: OffsetDateTime,
    pub restored_at: Option<OffsetDateTime>,
}

/// Signatures sharing one IP hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IpGroup {
    pub ip_key: Vec<u8>,
    pub signatures: i64,
    pub first: OffsetDateTime,
    pub last: OffsetDateTime,
}

/// Where a comment stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CommentStatus {
    /// Waiting for its commenter to confirm their address.
    Unverified,
    /// Waiting for a moderator (pre-moderation, or reported).
    Held,
    Visible,
    Hidden,
}

impl CommentStatus {
    pub const ALL: [Self; 4] = [Self::Unverified, Self::Held, Self::Visible, Self::Hidden];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unverified => "unverified",
            Self::Held => "held",
            Self::Visible => "visible",
            Self::Hidden => "hidden",
        }
    }

    pub fn parse(value: &str) -> StoreResult<Self> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == value)
            .ok_or_else(|| StoreError::Corrupt(format!("comment status {value}")))
    }
}

/// A comment about to be stored.
#[derive(Clone, Debug)]
pub struct NewComment {
    pub campaign_id: CampaignId,
    pub parent_id: Option<i64>,
    pub email_key: ShortKey,
    pub email: Email,
    pub name: String,
    pub website: Option<String>,
    pub body: String,
    pub now: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Comment {
    pub id: i64,
    pub campaign_id: CampaignId,
    pub parent_id: Option<i64>,
    pub name: String,
    pub website: Option<String>,
    pub body: String,
    /// Written by an organiser, in the organisation's name.
    pub organiser: bool,
    pub status: CommentStatus,
    pub reports: i64,
    pub created_at: OffsetDateTime,
}

/// What whom the campaign addressed answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetResponse {
    pub text: String,
    pub responded_on: Option<time::Date>,
    /// Where the response can be read in full (http or https).
    pub link: Option<String>,
}

/// A campaign whose signers' personal data is due to go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetentionDue {
    pub campaign: CampaignId,
    pub ended_at: OffsetDateTime,
    pub signatures: i64,
    pub endorsements: i64,
}

/// An update's text in one language.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct UpdateText {
    pub lang: Lang,
    pub title: String,
    /// Markdown.
    pub body: String,
}

/// News of a campaign, posted by its organisers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Update {
    pub id: i64,
    pub campaign_id: CampaignId,
    pub author: String,
    pub published_at: OffsetDateTime,
    pub texts: Vec<UpdateText>,
}

impl Update {
    /// The text in `lang`, else in `fallback`, else the first.
    pub fn text(&self, lang: &Lang, fallback: &Lang) -> Option<&UpdateText> {
        self.texts
            .iter()
            .find(|t| &t.lang == lang)
            .or_else(|| self.texts.iter().find(|t| t.lang.language() == lang.language()))
            .or_else(|| self.texts.iter().find(|t| &t.lang == fallback))
            .or_else(|| self.texts.first())
    }
}

/// Figures for a campaign's dashboard.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CampaignStats {
    /// Confirmed signatures per day (UTC), oldest first; days without any are left out.
    pub per_day: Vec<(time::Date, i64)>,
    /// Confirmed signatures per language version signed, most first.
    pub by_lang: Vec<(String, i64)>,
    /// Signatures waiting for their signer's confirmation.
    pub pending: i64,
}

/// An account about to be created.
#[derive(Clone, Debug)]
pub struct NewUser {
    /// Lower-cased (see `account::account_email`).
    pub email: String,
    pub name: String,
    pub is_admin: bool,
    pub password_hash: Option<String>,
}

/// A signature about to be stored.
#[derive(Clone, Debug)]
pub struct SignatureRecord {
    pub campaign_id: CampaignId,
    pub email_key: ShortKey,
    pub signer: NewSignature,
    /// The language version the signer read and signed (one the campaign has).
    pub version: Lang,
    pub ip_key: Option<ShortKey>,
    pub now: OffsetDateTime,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Confirmation {
    Confirmed,
    AlreadyConfirmed,
    NotFound,
    /// Still pending, but not at the revision that was shown: a later submission replaced it.
    Changed,
}

/// What a campaign's page counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Confirmed signatures made on the site.
    pub signatures: i64,
    /// Individuals counted from endorsements collected offline ("15 individuals").
    pub offline_individuals: i64,
    /// Organisations listed (approved).
    pub organisations: i64,
}

impl Counts {
    /// Everyone who signed as an individual, online or offline.
    pub fn individuals(&self) -> i64 {
        self.signatures + self.offline_individuals
    }
}

/// An organisation's endorsement sent through the form.
#[derive(Clone, Debug)]
pub struct EndorsementRequest {
    pub campaign_id: CampaignId,
    pub spec: EndorsementSpec,
    pub contact_name: String,
    pub contact_email: Email,
    pub email_key: ShortKey,
    pub lang: Lang,
    pub ip_key: Option<ShortKey>,
    pub now: OffsetDateTime,
}

/// Who to write to about an endorsement, and where it stands.
#[derive(Clone, Debug)]
pub struct EndorsementContact {
    pub id: i64,
    pub campaign_id: CampaignId,
    pub organisation: String,
    pub contact_name: String,
    pub contact_email: String,
    pub email_key: Vec<u8>,
    pub lang: String,
    pub state: EndorsementState,
}

/// Where an endorsement stands on its way to the public list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EndorsementState {
    /// Its contact has not confirmed by email yet.
    Unverified,
    /// Confirmed; an organiser has still to approve it.
    AwaitingApproval,
    Approved,
    Rejected,
}

impl EndorsementState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unverified => "unverified",
            Self::AwaitingApproval => "awaiting-approval",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
        }
    }

    pub fn from_row(status: &str, verified: bool) -> StoreResult<Self> {
        match (status, verified) {
            ("pending", false) => Ok(Self::Unverified),
            ("pending", true) => Ok(Self::AwaitingApproval),
            ("approved", _) => Ok(Self::Approved),
            ("rejected", _) => Ok(Self::Rejected),
            (other, _) => Err(StoreError::Corrupt(format!("endorsement status {other}"))),
        }
    }
}

/// The kinds of mail the outbox sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MailKind {
    /// "Please confirm your signature", with the confirm and withdraw links.
    ConfirmSignature,
    /// "You have already signed", with the withdraw link.
    AlreadySigned,
    /// "Please confirm your organisation's endorsement".
    ConfirmEndorsement,
    /// "You are invited to organise": a link to set a password.
    Invitation,
    /// "Reset your password": a link to set a new one.
    PasswordReset,
    /// An update, to every signer who asked for news: a batch job that goes through them in
    /// turns, its cursor the last signature reached.
    UpdateBatch,
    /// An update to one signer (`ref_id`, the update in `cursor`), when it failed in its batch.
    UpdateOne,
    /// "Manage your signature": a link to see, change, download or withdraw it.
    ManageSignature,
    /// "Please confirm your comment": the first comment from an address.
    ConfirmComment,
}

impl MailKind {
    pub const ALL: [Self; 9] = [
        Self::ConfirmSignature,
        Self::AlreadySigned,
        Self::ConfirmEndorsement,
        Self::Invitation,
        Self::PasswordReset,
        Self::UpdateBatch,
        Self::UpdateOne,
        Self::ManageSignature,
        Self::ConfirmComment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ConfirmSignature => "confirm-signature",
            Self::AlreadySigned => "already-signed",
            Self::ConfirmEndorsement => "confirm-endorsement",
            Self::Invitation => "invitation",
            Self::PasswordReset => "password-reset",
            Self::UpdateBatch => "update-batch",
            Self::UpdateOne => "update-one",
            Self::ManageSignature => "manage-signature",
            Self::ConfirmComment => "confirm-comment",
        }
    }

    pub fn parse(value: &str) -> StoreResult<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == value)
            .ok_or_else(|| StoreError::Corrupt(format!("mail kind {value}")))
    }
}

/// A mail waiting in the outbox: what to send about which row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueuedMail {
    pub id: i64,
    pub kind: MailKind,
    pub ref_id: i64,
    /// How many times sending was tried before, this one included.
    pub attempts: i64,
    /// Batch jobs: how far they went. `UpdateOne`: the update.
    pub cursor: Option<i64>,
    /// When it was queued: with the id (never reused), a name no other mail has.
    pub created_at: OffsetDateTime,
    /// Until when this claim holds it: finishing or releasing it must match.
    pub lease: OffsetDateTime,
}

/// A mail given up, as the admin pages list it: never its address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailedMail {
    pub id: i64,
    pub kind: MailKind,
    pub created_at: OffsetDateTime,
    /// When it was given up (unknown for mail given up before that was recorded).
    pub failed_at: Option<OffsetDateTime>,
    pub attempts: i64,
    /// What went wrong: an SMTP code and class (e.g. "550 permanent, recipient").
    pub error: Option<String>,
    /// The slug of the campaign it was about, if any.
    pub campaign: Option<String>,
}

/// The current time, to the microsecond both databases keep.
pub fn now() -> OffsetDateTime {
    truncate(OffsetDateTime::now_utc())
}

pub fn truncate(t: OffsetDateTime) -> OffsetDateTime {
    t.replace_nanosecond(t.nanosecond() / 1_000 * 1_000).expect("fewer nanoseconds are valid")
}

/// Microseconds since 1970, as SQLite stores times.
pub fn micros(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000) as i64
}

pub fn from_micros(micros: i64) -> StoreResult<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1_000)
        .map_err(|e| StoreError::Corrupt(format!("time {micros}: {e}")))
}

/// A campaign as both backends read it from their tables, before it is parsed back into domain
/// types. Keeps the parsing, and its errors, in one place.
pub struct CampaignRow {
    pub id: CampaignId,
    pub slug: String,
    pub status: String,
    pub opens_at: Option<time::OffsetDateTime>,
    pub closes_at: Option<time::OffsetDateTime>,
    pub dated: Option<time::Date>,
    pub contact_name: String,
    pub contact_email: Option<String>,
    pub signature_goal: Option<i64>,
    pub default_lang: String,
    /// When its owner withdrew it (unpublished it after people signed).
    pub withdrawn_at: Option<time::OffsetDateTime>,
}

/// A language version row with its demands, in order.
pub struct VersionRow {
    pub lang: String,
    pub title: String,
    pub summary: String,
    pub target: String,
    pub body: String,
    pub demands: Vec<String>,
}

/// An endorsement row.
pub struct EndorsementRow {
    pub id: i64,
    pub campaign_id: CampaignId,
    pub kind: String,
    pub name: Option<String>,
    pub org_type: Option<String>,
    pub website: Option<String>,
    pub individuals: Option<i64>,
    pub country: Option<String>,
    pub statement: Option<String>,
    pub source_note: Option<String>,
    pub offline: bool,
    pub from_file: bool,
    pub created_at: time::OffsetDateTime,
}

/// A signature as both backends read it.
pub struct SignatureRow {
    pub id: i64,
    pub campaign_id: CampaignId,
    pub email_key: Vec<u8>,
    pub email: String,
    pub name: String,
    pub country: String,
    pub city: Option<String>,
    pub affiliation: Option<String>,
    pub comment: Option<String>,
    pub display: String,
    pub opt_in: bool,
    pub lang: String,
    pub status: String,
    pub created_at: OffsetDateTime,
    pub confirmed_at: Option<OffsetDateTime>,
    pub revision: i64,
}

impl SignatureRow {
    pub fn into_signature(self) -> StoreResult<Signature> {
        use crate::signature::{NameDisplay, SignatureStatus};
        let what = format!("signature {}", self.id);
        Ok(Signature {
            id: self.id,
            campaign_id: self.campaign_id,
            email_key: self.email_key,
            status: SignatureStatus::parse(&self.status).ok_or_else(|| corrupt(&what, &self.status))?,
            signer: NewSignature {
                name: self.name,
                email: if self.email.is_empty() {
                    Email::anonymised()
                } else {
                    Email::parse("email", &self.email).map_err(|e| corrupt(&what, e))?
                },
                country: self.country,
                city: self.city,
                affiliation: self.affiliation,
                comment: self.comment,
                display: NameDisplay::parse("display", &self.display).map_err(|e| corrupt(&what, e))?,
                opt_in: self.opt_in,
                lang: Lang::parse("lang", &self.lang).map_err(|e| corrupt(&what, e))?,
            },
            created_at: self.created_at,
            confirmed_at: self.confirmed_at,
            revision: self.revision,
        })
    }
}

/// A listed signature's name as its signer chose to show it.
pub fn public_name(id: i64, name: &str, display: &str) -> StoreResult<String> {
    let display = crate::signature::NameDisplay::parse("display", display)
        .map_err(|e| corrupt(&format!("signature {id}"), e))?;
    Ok(display.public_name(name).unwrap_or_default())
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

impl VersionRow {
    pub fn into_version(self) -> StoreResult<crate::CampaignVersion> {
        let lang = crate::Lang::parse("lang", &self.lang).map_err(|e| corrupt("version", e))?;
        crate::CampaignVersion::parse(
            lang,
            &self.title,
            &self.summary,
            &self.target,
            &self.body,
            &self.demands,
        )
        .map_err(|e| corrupt("version", e))
    }
}

impl CampaignRow {
    pub fn into_campaign(self, versions: Vec<VersionRow>) -> StoreResult<Campaign> {
        use crate::Lang;
        use crate::campaign::{CampaignContent, CampaignStatus, CampaignVersion, Contact};
        let what = format!("campaign {}", self.id);
        let versions = versions
            .into_iter()
            .map(|v| {
                let lang = Lang::parse("lang", &v.lang)?;
                CampaignVersion::parse(lang, &v.title, &v.summary, &v.target, &v.body, &v.demands)
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| corrupt(&what, e))?;
        if versions.is_empty() {
            return Err(corrupt(&what, "no language version"));
        }
        let mut content = CampaignContent {
            slug: Slug::parse("slug", &self.slug).map_err(|e| corrupt(&what, e))?,
            status: match self.withdrawn_at {
                Some(_) => CampaignStatus::Withdrawn,
                None => CampaignStatus::parse("status", &self.status).map_err(|e| corrupt(&what, e))?,
            },
            opens_at: self.opens_at,
            closes_at: self.closes_at,
            dated: self.dated,
            contact: Contact::parse(&self.contact_name, self.contact_email.as_deref())
                .map_err(|e| corrupt(&what, e))?,
            signature_goal: self.signature_goal.and_then(|g| u32::try_from(g).ok()),
            default_lang: Lang::parse("default_lang", &self.default_lang).map_err(|e| corrupt(&what, e))?,
            versions,
        };
        content.sort_versions();
        content.close_if_ended(now());
        Ok(Campaign { id: self.id, content })
    }
}

impl EndorsementRow {
    pub fn into_endorsement(self) -> StoreResult<Endorsement> {
        use crate::endorsement::{EndorsementSource, EndorsementSpec, Endorser, OrganisationType};
        let what = format!("endorsement {}", self.id);
        let endorser = match (self.kind.as_str(), self.name, self.individuals) {
            ("organisation", Some(name), _) => Endorser::Organisation {
                name,
                org_type: OrganisationType::parse("org_type", self.org_type.as_deref().unwrap_or("other"))
                    .map_err(|e| corrupt(&what, e))?,
                website: self.website,
            },
            ("individuals", Some(name), Some(1)) => Endorser::Person { name },
            ("individuals", None, Some(count)) => {
                Endorser::Individuals { count: u32::try_from(count).map_err(|e| corrupt(&what, e))? }
            }
            (kind, ..) => return Err(corrupt(&what, format!("kind {kind} without its fields"))),
        };
        Ok(Endorsement {
            id: self.id,
            campaign_id: self.campaign_id,
            spec: EndorsementSpec {
                endorser,
                country: self.country,
                statement: self.statement,
                source_note: self.source_note,
            },
            source: match (self.offline, self.from_file) {
                (_, true) => EndorsementSource::CampaignFile,
                (true, false) => EndorsementSource::Offline,
                (false, false) => EndorsementSource::Online,
            },
            created_at: self.created_at,
        })
    }
}

/// The columns an endorsement is stored in, the inverse of [`EndorsementRow::into_endorsement`]:
/// (kind, name, org_type, website, individuals).
pub fn endorser_columns(
    e: &crate::Endorser,
) -> (&'static str, Option<&str>, Option<&'static str>, Option<&str>, Option<i64>) {
    match e {
        crate::Endorser::Organisation { name, org_type, website } => {
            ("organisation", Some(name), Some(org_type.as_str()), website.as_deref(), None)
        }
        crate::Endorser::Individuals { count } => ("individuals", None, None, None, Some(i64::from(*count))),
        // One named person: a group of one, with a name.
        crate::Endorser::Person { name } => ("individuals", Some(name), None, None, Some(1)),
    }
}
