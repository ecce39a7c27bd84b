//! What integrations (the OSDI API, a CRM's sync) read of a campaign's signatures: the confirmed,
//! valid ones, in the order they last changed, so that a program that asks again for what changed
//! after the last one it saw misses nothing. A signature changes when it is confirmed, when its
//! signer changes what they chose (how their name is shown, whether they get news), when an
//! invalidation of it is undone, and when its signer's data is anonymised.

use time::OffsetDateTime;

use crate::keys::ShortKey;
use crate::signature::{ListCursor, Signature};

/// Which date a filter compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyncDate {
    /// When the signature last changed (its confirmation, at first).
    Modified,
    /// When it was first submitted.
    Created,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compare {
    Gt,
    Ge,
    Lt,
    Le,
}

impl Compare {
    pub fn sql(self) -> &'static str {
        match self {
            Self::Gt => ">",
            Self::Ge => ">=",
            Self::Lt => "<",
            Self::Le => "<=",
        }
    }
}

/// Which signatures to read: all of the conditions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncFilter {
    pub dates: Vec<(SyncDate, Compare, OffsetDateTime)>,
    /// Only the signature of the address with this email key (on the campaign read).
    pub email_key: Option<ShortKey>,
}

/// Where a page of signatures starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyncStart {
    /// After this many signatures (a page asked for by its number).
    Offset(u64),
    /// After the signature that last changed at `confirmed_at` (the cursor's time) with this id
    /// (keyset: what changes meanwhile neither shifts nor is skipped).
    After(ListCursor),
}

/// A signature as integrations read it: with when it last changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncedSignature {
    pub signature: Signature,
    pub modified_at: OffsetDateTime,
}

impl SyncedSignature {
    /// Where the page after this signature starts.
    pub fn cursor(&self) -> ListCursor {
        ListCursor { confirmed_at: self.modified_at, id: self.signature.id }
    }
}
