//! The organisers' pages, under `/organise`, and their login. Who may do what is decided in one
//! place, `undersigned_core::account::allowed`, called through [`authorize`] by every page here.
//! This module holds what the organisers' pages share besides their [`frame`]: the audit log, the
//! abuse rule, and the invitation form (to the site and to a campaign's team).

pub mod account;
pub mod dashboard;
pub mod defence;
pub mod deliver;
pub mod delivery;
pub mod demands;
pub mod editor;
pub mod export;
pub mod frame;
pub mod import;
pub mod keys;
pub mod moderation;
pub mod notices;
pub mod offline;
pub mod organisations;
pub mod outbox;
pub mod partners;
pub mod passkeys;
pub mod people;
pub mod pictures;
pub mod proposals;
pub mod questions;
pub mod response;
pub mod second_factor;
pub mod sessions;
pub mod sign_in;
pub mod site;
pub mod site_pages;
pub mod takedown;
pub mod team;
pub mod thresholds;
pub mod tokens;
pub mod updates;
pub mod webhooks;

use serde::{Deserialize, Serialize};
use undersigned_core::ValidationError;
use undersigned_core::account::{User, account_email, account_name};
use undersigned_core::store::{NewUser, now};

use crate::AppState;
pub use crate::extract::session::{
    Authorized, CurrentUser, authorize, authorize_post, authorize_site, step_up,
};

/// The abuse rule: this many signatures from one IP hash flag them for a moderator's look.
pub const FLAG_AT: i64 = 5;

/// Records an organiser's action in the audit log; a failure to record is logged, not shown.
pub async fn audit(
    state: &AppState,
    user: &User,
    campaign: Option<i64>,
    action: &str,
    subject: String,
    detail: String,
) {
    let entry = undersigned_core::account::AuditEntry {
        at: now(),
        actor: user.email.clone(),
        campaign_id: campaign,
        action: action.to_owned(),
        subject,
        detail,
    };
    if let Err(e) = state.store.audit(&entry).await {
        tracing::error!(error = %e, "could not write the audit log");
    }
}

/// The invitation form: to the site (by an admin) or to a campaign's team (by its owner, with a role).
#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct InviteForm {
    pub email: String,
    pub name: String,
    pub role: String,
    #[serde(skip_serializing)]
    pub admin: Option<String>,
    #[serde(skip_serializing)]
    pub csrf: String,
}

/// The invitee's account as entered: address and name, each error named.
pub fn parse_invitee(form: &InviteForm, is_admin: bool) -> Result<NewUser, Vec<ValidationError>> {
    let email = account_email("email", &form.email);
    let name = account_name("name", &form.name);
    match (email, name) {
        (Ok(email), Ok(name)) => Ok(NewUser { email, name, is_admin, password_hash: None }),
        (email, name) => Err([email.err(), name.err()].into_iter().flatten().collect()),
    }
}
