//! The public pages, one module each.

pub mod assets;
pub mod campaign;
pub mod comments;
pub mod endorse;
pub mod health;
pub mod history;
pub mod home;
pub mod log;
pub mod manage;
pub mod media;
pub mod open;
pub mod propose;
pub mod share;
pub mod signatures;
pub mod signing;
pub mod site_pages;
pub mod updates;

use crate::AppError;

/// Any address no route knows.
pub async fn not_found() -> AppError {
    AppError::NotFound
}
