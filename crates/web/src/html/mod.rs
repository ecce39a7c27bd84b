//! The public pages, one module each.

pub mod assets;
pub mod campaign;
pub mod health;
pub mod home;

use crate::AppError;

/// Any address no route knows.
pub async fn not_found() -> AppError {
    AppError::NotFound
}
