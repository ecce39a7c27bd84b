//! What pages share in how they are drawn: the templates ([`pages`]), forms after a refusal
//! ([`forms`]), text ([`markdown`], [`linkify`]), the one-message pages ([`messages`]), and the
//! pieces of a campaign that several pages show ([`campaign`], [`share`], [`updates`]).

pub mod assets;
pub mod campaign;
pub mod forms;
pub mod linkify;
pub mod markdown;
pub mod messages;
pub mod pages;
pub mod share;
pub mod updates;
