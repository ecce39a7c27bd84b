//! Organisers: their accounts, their roles on campaigns, and the one place that says who may do
//! what. Every organiser page asks [`allowed`]; nothing else decides.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use serde::Serialize;

use crate::validation::{self, Email, ValidationError};

/// An organiser's account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: i64,
    /// Lower-cased: one account per address.
    pub email: String,
    pub name: String,
    /// Sees and may do everything, on every campaign.
    pub is_admin: bool,
}

/// A role on one campaign. Each includes what the ones after it may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Moderator,
    Editor,
    Owner,
}

impl Role {
    pub const ALL: [Self; 3] = [Self::Owner, Self::Editor, Self::Moderator];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Editor => "editor",
            Self::Moderator => "moderator",
        }
    }

    pub fn parse(field: &str, value: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == value.trim())
            .ok_or_else(|| ValidationError::new(field, "must be owner, editor or moderator"))
    }
}

/// What an organiser does, on one campaign or on the site.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// See a campaign's dashboard: counts, chart, pending and flagged.
    ViewDashboard,
    /// Approve or reject endorsements, invalidate signatures.
    Moderate,
    /// Enter endorsements that came by email or on paper.
    AddOfflineEndorsements,
    /// Change a campaign's texts, demands and settings.
    EditCampaign,
    /// Open, close or declare a campaign won, unpublish it, and change the dates that open and close
    /// signing.
    ChangeStatus,
    /// Delete a draft that nobody signed.
    DeleteDraft,
    /// Export signatures without email addresses, print the delivery document.
    ExportSignatures,
    /// Export signatures with email addresses.
    ExportEmails,
    /// Send the delivery document to the campaign's target (in its name: owners only).
    Deliver,
    /// Give and take roles on the campaign, and remove people from its team.
    ManageTeam,
    /// Register, pause and delete the campaign's webhooks, and read their deliveries. Payloads with
    /// personal data need [`Action::ExportEmails`] besides.
    ManageWebhooks,
    /// Create campaigns, invite organisers, read the audit log (site-wide).
    Administer,
    /// Make and unmake admins, disable and enable accounts, end anyone's sessions (site-wide).
    ManageAccounts,
}

impl Action {
    pub const ALL: [Self; 13] = [
        Self::ViewDashboard,
        Self::Moderate,
        Self::AddOfflineEndorsements,
        Self::EditCampaign,
        Self::ChangeStatus,
        Self::DeleteDraft,
        Self::ExportSignatures,
        Self::ExportEmails,
        Self::Deliver,
        Self::ManageTeam,
        Self::ManageWebhooks,
        Self::Administer,
        Self::ManageAccounts,
    ];

    /// The least role that may do it; `None` for what only admins do.
    pub fn least_role(self) -> Option<Role> {
        match self {
            Self::ViewDashboard | Self::Moderate | Self::AddOfflineEndorsements => Some(Role::Moderator),
            Self::EditCampaign | Self::ExportSignatures | Self::ManageWebhooks => Some(Role::Editor),
            Self::ChangeStatus
            | Self::DeleteDraft
            | Self::ExportEmails
            | Self::Deliver
            | Self::ManageTeam => Some(Role::Owner),
            Self::Administer | Self::ManageAccounts => None,
        }
    }
}

/// Whether `user` (with `role` on the campaign concerned, if any) may do `action`.
pub fn allowed(user: Option<&User>, role: Option<Role>, action: Action) -> bool {
    match user {
        None => false,
        Some(user) if user.is_admin => true,
        Some(_) => match (action.least_role(), role) {
            (Some(least), Some(role)) => role >= least,
            _ => false,
        },
    }
}

/// What a set-password link is bound to: the account's address and its current password hash, so
/// that a link works once (setting a password changes the hash) and not after the address changes.
pub fn password_binding(user: &User, password_hash: Option<&str>) -> Vec<u8> {
    format!("{}\n{}", user.email, password_hash.unwrap_or("")).into_bytes()
}

pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 1_000;

/// Checks a new password: long enough to resist guessing, short enough to hash quickly.
pub fn check_password(field: &str, password: &str) -> Result<(), ValidationError> {
    let len = password.chars().count();
    if len < PASSWORD_MIN {
        return Err(ValidationError::new(field, format!("must be at least {PASSWORD_MIN} characters")));
    }
    if len > PASSWORD_MAX {
        return Err(ValidationError::new(field, format!("must be at most {PASSWORD_MAX} characters")));
    }
    Ok(())
}

fn hasher() -> Argon2<'static> {
    // argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane).
    Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(19 * 1024, 2, 1, None).expect("valid parameters"),
    )
}

/// An argon2id hash of a password, as a PHC string.
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>()).expect("16 bytes make a salt");
    hasher().hash_password(password.as_bytes(), &salt).expect("argon2 hashes any password").to_string()
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| hasher().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// An account's address, as stored: parsed and lower-cased.
pub fn account_email(field: &str, value: &str) -> Result<String, ValidationError> {
    Ok(Email::parse(field, value)?.as_str().to_lowercase())
}

pub fn account_name(field: &str, value: &str) -> Result<String, ValidationError> {
    validation::name(field, value, 1, 200)
}

/// One entry of the audit log: who did what, when, on what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub at: time::OffsetDateTime,
    /// The organiser's address, or "command line".
    pub actor: String,
    pub campaign_id: Option<i64>,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

impl AuditEntry {
    /// Who did what the server did by itself.
    pub const SYSTEM: &'static str = "system";

    /// A campaign its end date closed (the server's upkeep, or the first write that saw it).
    pub fn closed_at_end_date(
        campaign: i64,
        slug: &str,
        closes_at: time::OffsetDateTime,
        now: time::OffsetDateTime,
    ) -> Self {
        Self {
            at: now,
            actor: Self::SYSTEM.to_owned(),
            campaign_id: Some(campaign),
            action: "change-status".to_owned(),
            subject: format!("campaign {slug}"),
            detail: format!("open → closed: its end date {closes_at} passed"),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn user(admin: bool) -> User {
        User { id: 1, email: "o@example.org".into(), name: "O".into(), is_admin: admin }
    }

    #[test]
    fn roles_include_the_ones_below() {
        let u = user(false);
        assert!(allowed(Some(&u), Some(Role::Owner), Action::Moderate));
        assert!(allowed(Some(&u), Some(Role::Editor), Action::EditCampaign));
        assert!(!allowed(Some(&u), Some(Role::Editor), Action::ChangeStatus));
        assert!(!allowed(Some(&u), Some(Role::Editor), Action::DeleteDraft));
        assert!(allowed(Some(&u), Some(Role::Owner), Action::DeleteDraft));
        assert!(!allowed(Some(&u), Some(Role::Moderator), Action::EditCampaign));
        assert!(!allowed(Some(&u), None, Action::ViewDashboard));
        assert!(!allowed(Some(&u), Some(Role::Owner), Action::Administer));
        assert!(allowed(Some(&user(true)), None, Action::Administer));
        assert!(!allowed(None, Some(Role::Owner), Action::ViewDashboard));
        assert!(!allowed(Some(&u), Some(Role::Owner), Action::ManageAccounts));
        assert!(allowed(Some(&user(true)), None, Action::ManageAccounts));
        assert!(allowed(Some(&u), Some(Role::Owner), Action::ManageTeam));
        assert!(!allowed(Some(&u), Some(Role::Editor), Action::ManageTeam));
    }

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let hash = hash_password("correct horse battery");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("wrong horse battery", &hash));
        assert!(!verify_password("x", "not a hash"));
        assert!(check_password("password", "short").is_err());
        assert!(check_password("password", "long enough now").is_ok());
    }
}
