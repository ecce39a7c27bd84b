//! `GET /c/{slug}/history`: the texts a campaign had before edits made after people signed, since
//! signers signed a text.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use minijinja::{Value, context};

use crate::render::campaign::{public_campaign, version_for};
use crate::render::markdown;
use crate::{AppError, AppState, Visitor};

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let campaign = public_campaign(&state, &slug).await?;
    let revisions = state.store.revisions(campaign.id).await?;
    let i18n = &state.pages.i18n;
    let items: Vec<Value> = revisions
        .iter()
        .map(|r| {
            let v = &r.version;
            context! {
                lang => v.lang.as_str(),
                language => i18n.native_name(&v.lang),
                replaced => i18n.date(&visitor.ui, r.replaced_at.date()),
                replaced_iso => r.replaced_at.date().to_string(),
                title => &v.title,
                summary => &v.summary,
                target => &v.target,
                body => Value::from_safe_string(markdown::render(&v.body)),
                demands => &r.demands,
            }
        })
        .collect();
    let version = version_for(&campaign, &visitor);
    let page = context! {
        title => i18n.t(&visitor.ui, "history-heading", None),
        campaign_title => &version.title,
        campaign_lang => version.lang.as_str(),
        campaign_path => format!("/c/{}", campaign.content.slug),
        revisions => items,
    };
    Ok(state.pages.render("history.html", &visitor, page)?.into_response())
}
