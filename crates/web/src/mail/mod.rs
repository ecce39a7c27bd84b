//! Mail to signers, endorsers, commenters and organisers, in the language they used: what each
//! says and where it links ([`compose`]), rendered as a subject, a text part and an HTML part from
//! `templates/mail/<kind>/` (`subject.txt`, `body.txt`, `body.html`) and the `mail-*`
//! translations. The server's outbox sends them.

pub mod compose;
pub mod news;
pub mod rendered;

pub use compose::{Attachment, ComposeError, ComposedMail, Composer};
pub use rendered::RenderedMail;
