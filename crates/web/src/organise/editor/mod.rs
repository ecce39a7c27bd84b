//! Writing campaigns in the browser: a new campaign ([`new`]), its settings ([`settings`]), and
//! each language version ([`version`]: demands added, removed and reordered by buttons, and a
//! preview drawn by the server, no script needed). Its status is the dashboard's.

pub mod new;
pub mod settings;
pub mod version;
