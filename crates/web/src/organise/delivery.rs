//! The delivery document: what is handed to whom the appeal is addressed. One per language: the
//! appeal and its demands, the endorsing organisations by region, every individual as they chose
//! to be shown, the totals and the date; laid out for printing ("save as PDF" in the browser).

use axum::extract::{OriginalUri, Path, State};
use axum::response::{IntoResponse, Response};
use minijinja::{Value, context};
use undersigned_core::Lang;
use undersigned_core::account::Action;
use undersigned_core::store::now;

use super::{CurrentUser, audit, authorize};
use crate::html::campaign::{by_region, counts_context};
use crate::markdown;
use crate::{AppError, AppState, Visitor};

pub async fn document(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path((slug, lang)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::ExportSignatures, uri.path()).await?;
    let lang = Lang::parse("lang", &lang).map_err(|_| AppError::NotFound)?;
    let c = &auth.campaign.content;
    let version = c.version(&lang).ok_or(AppError::NotFound)?;
    let id = auth.campaign.id;
    let (endorsements, counts, signatures) = tokio::try_join!(
        state.store.endorsements(id),
        state.store.counts(id),
        state.store.public_signatures(id, None, u32::MAX),
    )?;
    // The whole document speaks the version's language, where the site does.
    let mut doc = visitor;
    if state.pages.i18n.supports(&lang) {
        doc.ui = lang.clone();
    }
    let i18n = &state.pages.i18n;
    let signers: Vec<Value> = signatures
        .iter()
        .map(|s| context! { name => &s.name, country => i18n.country(&doc.ui, &s.country), city => &s.city })
        .collect();
    let page = context! {
        title => &version.title,
        version => context! {
            lang => version.lang.as_str(),
            title => &version.title,
            summary => &version.summary,
            target => &version.target,
            body => Value::from_safe_string(markdown::render(&version.body)),
            demands => &version.demands,
        },
        dated => c.dated.map(|d| i18n.date(&doc.ui, d)),
        contact_name => &c.contact.name,
        contact_email => c.contact.email.as_ref().map(|e| e.as_str()),
        groups => by_region(i18n, &doc.ui, &endorsements),
        signers => signers,
        unlisted => i18n.number(&doc.ui, counts.signatures - signatures.len() as i64),
        counts => counts_context(i18n, &doc.ui, &counts, c.signature_goal),
        generated => i18n.date(&doc.ui, now().date()),
    };
    audit(&state, &auth.user, Some(id), "print-delivery", format!("campaign {slug}, {lang}"), String::new())
        .await;
    Ok(state.pages.render("delivery.html", &doc, page)?.into_response())
}
