//! What organisers hear of (issue 15): an endorsement waiting for approval, a comment reported, a
//! proposal waiting for moderation (admins), a threshold reached, signing that looks abnormal.
//! Each organiser chooses, for each, to be mailed at once, in a daily digest, or not at all, and
//! the language of their mail.

use serde::Serialize;

use crate::Lang;
use crate::outbox::MailKind;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NoticeKind {
    Endorsement,
    Comment,
    Proposal,
    Threshold,
    Trend,
}

impl NoticeKind {
    pub const ALL: [Self; 5] =
        [Self::Endorsement, Self::Comment, Self::Proposal, Self::Threshold, Self::Trend];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Endorsement => "endorsement",
            Self::Comment => "comment",
            Self::Proposal => "proposal",
            Self::Threshold => "threshold",
            Self::Trend => "trend",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }

    /// The mail that tells of it, one organiser at a time.
    pub fn mail(self) -> MailKind {
        match self {
            Self::Endorsement => MailKind::EndorsementWaiting,
            Self::Comment => MailKind::CommentReported,
            Self::Proposal => MailKind::ProposalWaiting,
            Self::Threshold => MailKind::ThresholdCrossed,
            Self::Trend => MailKind::TrendAlert,
        }
    }

    /// Only admins moderate proposals.
    pub fn for_admins_only(self) -> bool {
        self == Self::Proposal
    }
}

/// When an organiser hears of a kind of notice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NoticeMode {
    /// A mail at once (the default).
    #[default]
    Now,
    /// In one mail a day with the others.
    Digest,
    Off,
}

impl NoticeMode {
    pub const ALL: [Self; 3] = [Self::Now, Self::Digest, Self::Off];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Now => "now",
            Self::Digest => "digest",
            Self::Off => "off",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == value)
    }
}

/// An organiser's choices: their mail's language (none: the site's), and a mode per kind (those
/// not named: at once).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NoticeSettings {
    pub lang: Option<Lang>,
    pub modes: Vec<(NoticeKind, NoticeMode)>,
}

impl NoticeSettings {
    pub fn mode(&self, kind: NoticeKind) -> NoticeMode {
        self.modes.iter().find(|(k, _)| *k == kind).map(|(_, m)| *m).unwrap_or_default()
    }
}
