//! The mail model: the kinds of mail the outbox sends, a mail waiting in it, and a mail given up.

use time::OffsetDateTime;

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
    /// "One email domain or IP hash is signing unusually fast", to one organiser.
    TrendAlert,
    /// "Please confirm your proposal": its proposer's private link (`ref_id`: the proposal).
    ConfirmProposal,
    /// "A proposal waits for moderation", to one admin (`ref_id`: the proposal; `cursor`: the
    /// admin's account).
    ProposalWaiting,
    /// The moderator's decision, to the proposer (`ref_id`: the proposal).
    ProposalDecision,
    /// The moderator's decision, to one sponsor (`ref_id`: their signature).
    SponsorDecision,
    /// "The campaign reached a threshold", to one member of its team (`ref_id`: the crossing;
    /// `cursor`: the organiser's account).
    ThresholdCrossed,
    /// "The campaign you signed was taken down", with the admins' reason, to one signer
    /// (`ref_id`: the signature).
    TakenDown,
    /// "An endorsement waits for approval", to one organiser (`ref_id`: the endorsement;
    /// `cursor`: the organiser's account).
    EndorsementWaiting,
    /// "A comment was reported", to one organiser (`ref_id`: the comment; `cursor`: the account).
    CommentReported,
    /// The day's notices of one organiser in one mail (`ref_id`: the account; its items are
    /// the digest's rows that name this mail).
    Digest,
    /// The delivery document to a campaign's target, with a copy to its team (`ref_id`: the
    /// delivery; its PDF and CSV are made when it is sent).
    Delivery,
    /// The confirmation mail again, with a reminder line, to a signer who has not confirmed a
    /// day after signing (`ref_id`: the signature), once, where the campaign asks for it.
    RemindSignature,
}

impl MailKind {
    pub const ALL: [Self; 21] = [
        Self::ConfirmSignature,
        Self::AlreadySigned,
        Self::ConfirmEndorsement,
        Self::Invitation,
        Self::PasswordReset,
        Self::UpdateBatch,
        Self::UpdateOne,
        Self::ManageSignature,
        Self::ConfirmComment,
        Self::TrendAlert,
        Self::ConfirmProposal,
        Self::ProposalWaiting,
        Self::ProposalDecision,
        Self::SponsorDecision,
        Self::ThresholdCrossed,
        Self::TakenDown,
        Self::EndorsementWaiting,
        Self::CommentReported,
        Self::Digest,
        Self::Delivery,
        Self::RemindSignature,
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
            Self::TrendAlert => "trend-alert",
            Self::ConfirmProposal => "confirm-proposal",
            Self::ProposalWaiting => "proposal-waiting",
            Self::ProposalDecision => "proposal-decision",
            Self::SponsorDecision => "sponsor-decision",
            Self::ThresholdCrossed => "threshold-crossed",
            Self::TakenDown => "taken-down",
            Self::EndorsementWaiting => "endorsement-waiting",
            Self::CommentReported => "comment-reported",
            Self::Digest => "digest",
            Self::Delivery => "delivery",
            Self::RemindSignature => "remind-signature",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
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
