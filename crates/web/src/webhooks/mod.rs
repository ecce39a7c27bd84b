//! Webhooks, what the organisers' page and the server's worker share: where an endpoint may point
//! ([`target`]: resolved, and refused if it is this server's own network, when the endpoint is
//! registered and again before each delivery) and what each delivery says ([`payload`], made
//! when it is sent, from the rows as they are then). Sending is the server's.

pub mod payload;
pub mod target;

pub use payload::Payloads;
pub use target::{TargetError, resolve};
