//! The conformance suite: what every storage backend must do, told as the stories that need it,
//! one file per area of the port (as `undersigned_core::store`). Each story is an
//! `async fn(Arc<dyn Store>)`, listed once, by the `stories!` at the end of its file, which runs it
//! on SQLite and on PostgreSQL as a test of its own: a story left out of the list is dead code,
//! which the build refuses (`-D warnings`). Run them with `cargo test -p undersigned-store-tests`.
//!
//! The fixtures here (the demo campaign, a signature, a comment, the mails queued) serve the
//! server's tests too.

use time::{Duration, OffsetDateTime};
use undersigned_core::account::NewUser;
use undersigned_core::campaign_file::parse_folder;
use undersigned_core::clock::now;
use undersigned_core::comment::NewComment;
use undersigned_core::endorsement::{EndorsementRequest, OrganisationType};
use undersigned_core::keys::Keys;
use undersigned_core::outbox::MailKind;
use undersigned_core::signature::{MailBudget, NameDisplay, NewSignature, SignOutcome, SignatureRecord};
use undersigned_core::signature_log::SignedLeaf;
use undersigned_core::{CampaignSpec, Email, EndorsementSpec, Lang, Slug, Store};

#[cfg(test)]
mod access;
#[cfg(test)]
mod campaigns;
#[cfg(test)]
mod comments;
#[cfg(test)]
mod counts;
#[cfg(test)]
mod defence;
#[cfg(test)]
mod demands;
#[cfg(test)]
mod endorsements;
#[cfg(test)]
mod imports;
#[cfg(test)]
mod life;
#[cfg(test)]
mod limits;
#[cfg(test)]
mod moderation;
#[cfg(test)]
mod oidc;
#[cfg(test)]
mod organisations;
#[cfg(test)]
mod organisers;
#[cfg(test)]
mod outbox;
#[cfg(test)]
mod owner_keys;
#[cfg(test)]
mod passkeys;
#[cfg(test)]
mod pictures;
#[cfg(test)]
mod questions;
#[cfg(test)]
mod retention;
#[cfg(test)]
mod sealing;
#[cfg(test)]
mod second_factors;
#[cfg(test)]
mod signature_log;
#[cfg(test)]
mod signing;
#[cfg(test)]
mod sync;
#[cfg(test)]
mod tokens;
#[cfg(test)]
mod updates;
#[cfg(test)]
mod webhooks;

/// Runs each story named (an `async fn(Arc<dyn Store>)` of the module it is used in) on both
/// backends, each as a test of its own.
#[cfg(test)]
macro_rules! stories {
    ($($name:ident),* $(,)?) => {
        mod stories {
            $(
                async fn $name(db: &$crate::TestDb) {
                    super::$name(db.store().await).await
                }
            )*
            $crate::on_both_backends!($($name),*);
        }
    };
}
#[cfg(test)]
use stories;

/// The demo campaign shipped with the repository.
pub fn demo() -> CampaignSpec {
    parse_folder(&crate::demo_folder()).expect("the demo campaign parses")
}

/// The demo campaign, imported; its id.
pub async fn demo_campaign(store: &dyn Store) -> i64 {
    store.import_campaigns(&[demo()]).await.unwrap()[0]
}

/// A signature for the campaign, from an address, shown as chosen.
pub fn record(campaign: i64, email: &str, name: &str, display: NameDisplay) -> SignatureRecord {
    let email = Email::parse("email", email).unwrap();
    let signer = NewSignature {
        name: name.into(),
        email,
        country: "HK".into(),
        city: None,
        affiliation: None,
        comment: Some("Solidarity".into()),
        display,
        opt_in: false,
        lang: Lang::known("zh-Hant"),
        answers: Default::default(),
    };
    let now = now();
    SignatureRecord {
        campaign_id: campaign,
        email_key: Keys::new([3; 32]).email_key(campaign, &signer.email.canonical()),
        leaf: SignedLeaf::of(campaign, &signer, [5; 32], now),
        signer,
        version: Lang::known("zh-Hant"),
        ip_key: Some([9; 16]),
        now,
        source: Default::default(),
    }
}

/// An organisation's endorsement of the campaign as sent through the form, its contact at `email`.
pub fn endorsement(campaign: i64, email: &str) -> EndorsementRequest {
    let email = Email::parse("email", email).unwrap();
    EndorsementRequest {
        campaign_id: campaign,
        spec: EndorsementSpec {
            endorser: EndorsementSpec::organisation("Seamen's Union", OrganisationType::TradeUnion, None)
                .unwrap(),
            country: Some("GB".into()),
            statement: None,
            source_note: None,
        },
        contact_name: "Sam".into(),
        email_key: Keys::new([3; 32]).email_key(campaign, &email.canonical()),
        contact_email: email,
        lang: Lang::known("en"),
        ip_key: Some([6; 16]),
        now: now(),
    }
}

/// The mails in the outbox, by kind and row (claimed and put back).
pub async fn queued(store: &dyn Store) -> Vec<(MailKind, i64)> {
    let mails = store.claim_mail(now(), Duration::seconds(60), 100).await.unwrap();
    for m in &mails {
        store.mail_failed(m, "put back by the test", Some(now())).await.unwrap();
    }
    mails.iter().map(|m| (m.kind, m.ref_id)).collect()
}

/// A comment on the campaign from an address, in answer to `parent`.
pub fn comment(campaign: i64, email: &str, parent: Option<i64>) -> NewComment {
    let email = Email::parse("email", email).unwrap();
    NewComment {
        campaign_id: campaign,
        parent_id: parent,
        email_key: Keys::new([3; 32]).email_key(0, &email.canonical()),
        email,
        name: "Commenter".into(),
        website: None,
        body: "Solidarity from Seoul.".into(),
        now: now(),
    }
}

/// An organiser's account, with a password hash or none (invited).
pub fn new_user(email: &str, password: Option<&str>) -> NewUser {
    NewUser {
        email: email.into(),
        name: "Organiser".into(),
        is_admin: false,
        password_hash: password.map(Into::into),
    }
}

/// The demo campaign under another slug, with an end date.
pub async fn campaign_closing_at(store: &dyn Store, slug: &str, closes_at: OffsetDateTime) -> i64 {
    let mut spec = demo();
    spec.content.slug = Slug::parse("slug", slug).unwrap();
    spec.content.closes_at = Some(closes_at);
    store.import_campaigns(&[spec]).await.unwrap()[0]
}

/// A signature made in a language version, confirmed or not; its id.
pub async fn signature_in(
    store: &dyn Store,
    campaign: i64,
    email: &str,
    version: &str,
    confirm: bool,
) -> i64 {
    let mut r = record(campaign, email, "Signer", NameDisplay::Full);
    r.version = Lang::known(version);
    let SignOutcome::Created { id } = store.sign(&r, MailBudget::default()).await.unwrap() else { panic!() };
    if confirm {
        store.confirm_signature(id, now()).await.unwrap();
    }
    id
}
