//! Comments on a campaign: where each stands, from its arrival (waiting for its commenter's
//! confirmation) to shown, held for a moderator or hidden.

use time::OffsetDateTime;

use crate::campaign::CampaignId;
use crate::keys::ShortKey;
use crate::validation::Email;

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

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// A new comment waits for its own confirmation, whatever its address did before: an address
    /// is no credential.
    pub fn on_arrival() -> Self {
        Self::Unverified
    }

    /// Its commenter used its link: it waits for a moderator where the campaign pre-moderates,
    /// and is shown at once where it does not.
    pub fn on_verify(pre_moderation: bool) -> Self {
        if pre_moderation { Self::Held } else { Self::Visible }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comment_waits_for_its_link_then_for_the_moderator_the_campaign_chose() {
        assert_eq!(CommentStatus::on_arrival(), CommentStatus::Unverified);
        assert_eq!(CommentStatus::on_verify(true), CommentStatus::Held);
        assert_eq!(CommentStatus::on_verify(false), CommentStatus::Visible);
        for status in CommentStatus::ALL {
            assert_eq!(CommentStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(CommentStatus::parse("shown"), None);
    }
}
