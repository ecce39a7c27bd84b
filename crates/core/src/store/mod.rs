//! The storage port: what the server asks of a database, one small trait per area of the domain,
//! and [`Store`], which is all of them. Each method is one use case, run by the backend in one
//! transaction. The backends are in the `undersigned-store` crate (SQLite, the embedded default,
//! and PostgreSQL); the conformance suite in `undersigned-store-tests` holds them to this port.
//!
//! Callers hold an `Arc<dyn Store>` and call any area's methods on it: a trait object has the
//! methods of its supertraits, so no area trait needs importing.

mod access;
mod campaigns;
mod comments;
mod counts;
mod defence;
mod deliveries;
mod demands;
mod endorsements;
mod error;
mod health;
mod imports;
mod life;
mod limits;
mod moderation;
mod notices;
mod oidc;
mod organisations;
mod organisers;
mod outbox;
mod owner_keys;
mod passkeys;
mod pictures;
mod proposals;
mod questions;
mod reminders;
mod replica;
mod retention;
mod sealing;
mod second_factor;
mod signature_log;
mod signing;
mod site_pages;
mod sync;
mod thresholds;
mod tokens;
mod updates;
mod webhooks;

pub use access::AccessStore;
pub use campaigns::CampaignStore;
pub use comments::CommentStore;
pub use counts::CountStore;
pub use defence::DefenceStore;
pub use deliveries::DeliveryStore;
pub use demands::{DemandStore, News};
pub use endorsements::EndorsementStore;
pub use error::{StoreError, StoreResult};
pub use health::{Gauges, HealthStore, PoolUse};
pub use imports::ImportStore;
pub use life::LifeStore;
pub use limits::{Hits, LimitStore};
pub use moderation::ModerationStore;
pub use notices::NoticeStore;
pub use oidc::OidcStore;
pub use organisations::OrganisationStore;
pub use organisers::OrganiserStore;
pub use outbox::OutboxStore;
pub use owner_keys::OwnerKeyStore;
pub use passkeys::PasskeyStore;
pub use pictures::PictureStore;
pub use proposals::{NewProposal, ProposalStore};
pub use questions::QuestionStore;
pub use reminders::ReminderStore;
pub use replica::ReplicaStore;
pub use retention::RetentionStore;
pub use sealing::{SealBatch, SealCursor, SealingStore};
pub use second_factor::SecondFactorStore;
pub use signature_log::{LogHead, LogLeaf, Receipt, SignatureLogStore};
pub use signing::SigningStore;
pub use site_pages::SitePageStore;
pub use sync::SyncStore;
pub use thresholds::ThresholdStore;
pub use tokens::TokenStore;
pub use updates::UpdateStore;
pub use webhooks::WebhookStore;

// The types the port speaks, named from here as well as from their domain modules, so that the
// callers written against `store::…` keep compiling while the web and server crates are reshaped
// alongside; new code names them from their domain module.
pub use crate::account::NewUser;
pub use crate::campaign::{CampaignStats, RetentionDue, TargetResponse};
pub use crate::clock::{micros, now, truncate};
pub use crate::comment::{Comment, CommentStatus, NewComment};
pub use crate::endorsement::{EndorsementContact, EndorsementRequest, EndorsementState};
pub use crate::moderation::{Invalidation, IpGroup, SignatureFilter};
pub use crate::outbox::{FailedMail, MailKind, QueuedMail};
pub use crate::signature::{Confirmation, Counts, SignatureRecord};
pub use crate::update::{Update, UpdateText};

/// Declares [`Store`], the sum of the area traits, and implements it for every type that
/// implements them all (each area listed once).
macro_rules! store_of {
    ($($area:ident),* $(,)?) => {
        /// Everything a backend stores: every area's trait. Implemented by any type that
        /// implements them all.
        pub trait Store: $($area +)* Send + Sync + 'static {}

        impl<T> Store for T where T: $($area +)* Send + Sync + 'static {}
    };
}

store_of!(
    HealthStore,
    CampaignStore,
    ImportStore,
    SigningStore,
    SignatureLogStore,
    CountStore,
    EndorsementStore,
    OutboxStore,
    OrganiserStore,
    AccessStore,
    ModerationStore,
    UpdateStore,
    CommentStore,
    RetentionStore,
    LifeStore,
    WebhookStore,
    TokenStore,
    SyncStore,
    SealingStore,
    DefenceStore,
    OwnerKeyStore,
    ProposalStore,
    ThresholdStore,
    NoticeStore,
    SitePageStore,
    PictureStore,
    OrganisationStore,
    DeliveryStore,
    QuestionStore,
    ReminderStore,
    DemandStore,
    LimitStore,
    ReplicaStore,
    SecondFactorStore,
    PasskeyStore,
    OidcStore,
);
