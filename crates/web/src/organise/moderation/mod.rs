//! A campaign's moderation page: endorsements waiting for approval (decided here), signatures
//! flagged or invalidated ([`signatures`]) and comments held or reported ([`comments`]).

pub mod comments;
pub mod signatures;

use axum::Form;
use axum::extract::{OriginalUri, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::Deserialize;
use undersigned_core::Endorsement;
use undersigned_core::account::Action;
use undersigned_core::endorsement::Endorser;
use undersigned_core::store::{EndorsementState, now};
use undersigned_core::validation;

use crate::organise::frame::frame;
use crate::organise::{CurrentUser, audit, authorize};
use crate::{AppError, AppState, Visitor};

fn endorsement_item(e: &Endorsement) -> Value {
    let (name, kind) = match &e.spec.endorser {
        Endorser::Organisation { name, org_type, .. } => (name.clone(), org_type.as_str()),
        Endorser::Person { name } => (name.clone(), "other"),
        Endorser::Individuals { count } => (count.to_string(), "individuals"),
    };
    context! {
        id => e.id,
        name => name,
        kind => kind,
        country => &e.spec.country,
        statement => &e.spec.statement,
        website => match &e.spec.endorser { Endorser::Organisation { website, .. } => website.clone(), _ => None },
    }
}

pub async fn moderation(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::Moderate, uri.path()).await?;
    let waiting =
        state.store.endorsements_in(Some(auth.campaign.id), EndorsementState::AwaitingApproval).await?;
    let mut items = Vec::new();
    for (e, _) in &waiting {
        let contact = state.store.endorsement_contact(e.id).await?;
        let item = endorsement_item(e);
        let country = e.spec.country.as_deref().map(|c| state.pages.i18n.country(&visitor.ui, c));
        items.push(context! {
            contact_name => contact.as_ref().map(|c| c.contact_name.clone()),
            contact_sealed => contact.as_ref().is_some_and(|c| c.name_sealed_to_owners),
            contact_email => contact.as_ref().map(|c| c.contact_email.clone()),
            country_name => country,
            ..item
        });
    }
    let page = context! {
        title => state.pages.i18n.t(&visitor.ui, "organise-tab-moderation", None),
        frame => frame(&state, &visitor, &auth),
        waiting => items,
        signatures => signatures::section(&state, &visitor, &auth).await?,
        comments => comments::section(&state, &auth).await?,
    };
    Ok(state.pages.render("organise/moderation.html", &visitor, page)?.into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DecideForm {
    decision: String,
    reason: String,
    csrf: String,
}

/// Approves or rejects an endorsement awaiting approval.
pub async fn decide(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path((slug, id)): Path<(String, i64)>,
    OriginalUri(uri): OriginalUri,
    Form(form): Form<DecideForm>,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::Moderate, uri.path()).await?;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    // Only endorsements of this campaign: an id from another campaign is not found here.
    let waiting =
        state.store.endorsements_in(Some(auth.campaign.id), EndorsementState::AwaitingApproval).await?;
    let Some((endorsement, _)) = waiting.iter().find(|(e, _)| e.id == id) else {
        return Err(AppError::NotFound);
    };
    let approve = form.decision == "approve";
    let reason = validation::text("reason", &form.reason, 0, 500, true).ok().filter(|r| !r.is_empty());
    match state.store.decide_endorsement(id, approve, reason.as_deref(), now()).await {
        Ok(()) => {}
        Err(undersigned_core::StoreError::NotFound) => return Err(AppError::NotFound),
        Err(e) => return Err(e.into()),
    }
    let name = match &endorsement.spec.endorser {
        Endorser::Organisation { name, .. } => name.clone(),
        Endorser::Person { name } => name.clone(),
        Endorser::Individuals { count } => format!("{count} individuals"),
    };
    let action = if approve { "approve-endorsement" } else { "reject-endorsement" };
    audit(
        &state,
        &auth.user,
        Some(auth.campaign.id),
        action,
        format!("endorsement #{id} {name}"),
        reason.unwrap_or_default(),
    )
    .await;
    Ok(Redirect::to(&format!("/organise/c/{slug}/moderation")).into_response())
}
