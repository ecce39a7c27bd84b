//! The domain of Undersigned: campaigns in several languages, their demands and endorsements,
//! the rules that keep them valid, and the [`Store`] interface the storage backends implement.
//!
//! Nothing here knows about HTTP or SQL. Values are parsed into domain types at the edge
//! ([`Slug::parse`], [`Lang::parse`], ...) so that a value of such a type is valid by construction.

pub mod account;
pub mod age;
pub mod api_token;
pub mod campaign;
pub mod campaign_file;
pub mod checkpoint;
pub mod clock;
pub mod comment;
pub mod comment_input;
pub mod country;
pub mod data_key;
pub mod defence;
pub mod delivery;
pub mod demand;
pub mod edit_rules;
pub mod embedding;
pub mod endorsement;
pub mod id;
pub mod keys;
pub mod lang;
pub mod moderation;
pub mod notice;
pub mod oidc;
pub mod organisation;
pub mod outbox;
pub mod owner_key;
pub mod passkey;
pub mod picture;
pub mod private_fields;
pub mod proposal;
pub mod question;
pub mod records;
pub mod search;
pub mod second_factor;
pub mod session;
pub mod signature;
pub mod signature_log;
pub mod site_page;
pub mod store;
pub mod sync;
pub mod threshold;
pub mod tlog;
pub mod update;
pub mod validation;
pub mod webhook;

pub use campaign::{
    Campaign, CampaignContent, CampaignId, CampaignSpec, CampaignStatus, CampaignVersion, Contact, Revision,
    Slug,
};
pub use embedding::EmbedSites;
pub use endorsement::{Endorsement, EndorsementSource, EndorsementSpec, Endorser, OrganisationType};
pub use lang::Lang;
pub use store::{Store, StoreError};
pub use validation::{Email, ValidationError};
