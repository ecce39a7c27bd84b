//! `GET /`: the campaigns the public can see.

use axum::extract::State;
use axum::response::Html;
use minijinja::context;
use serde::Serialize;

use crate::i18n::best_match;
use crate::{AppError, AppState, Visitor};

#[derive(Serialize)]
struct CampaignItem {
    href: String,
    lang: String,
    title: String,
    summary: String,
    status: &'static str,
}

pub async fn show(State(state): State<AppState>, visitor: Visitor) -> Result<Html<String>, AppError> {
    let campaigns = state.store.public_campaigns().await?;
    let items: Vec<CampaignItem> = campaigns
        .iter()
        .map(|c| {
            let langs: Vec<_> = c.content.versions.iter().map(|v| v.lang.clone()).collect();
            let version = best_match(&visitor.preferences, &langs)
                .and_then(|l| c.content.version(&l))
                .unwrap_or_else(|| c.content.default_version());
            CampaignItem {
                href: format!("/c/{}", c.content.slug),
                lang: version.lang.to_string(),
                title: version.title.clone(),
                summary: version.summary.clone(),
                status: c.content.status.as_str(),
            }
        })
        .collect();
    state.pages.render("home.html", &visitor, context! { campaigns => items })
}
