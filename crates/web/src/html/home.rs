//! `GET /`: the campaigns the public can see.

use axum::extract::State;
use axum::response::Html;
use minijinja::context;
use serde::Serialize;
use undersigned_core::proposal::WhoStarts;

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
            let version = c.content.version_for(&visitor.preferences);
            CampaignItem {
                href: format!("/c/{}", c.content.slug),
                lang: version.lang.to_string(),
                title: version.title.clone(),
                summary: version.summary.clone(),
                status: c.content.status.as_str(),
            }
        })
        .collect();
    // Where the site lets anyone propose a campaign, the home page says how.
    let proposals = state.store.site_settings().await?.who_starts == WhoStarts::Anyone;
    state.pages.render("home.html", &visitor, context! { campaigns => items, proposals => proposals })
}
