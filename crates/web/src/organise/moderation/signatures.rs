//! Moderating signatures: those flagged by the abuse rule (many from one connection), the latest
//! ones, and invalidation one by one or in bulk by conditions, previewed before it runs, recorded,
//! and reversible.

use axum::Form;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};
use time::Date;
use time::macros::format_description;
use undersigned_core::account::Action;
use undersigned_core::endorsement::EndorsementSpec;
use undersigned_core::store::{SignatureFilter, now};
use undersigned_core::{StoreError, ValidationError};

use crate::organise::frame::frame;
use crate::organise::{Authorized, CurrentUser, FLAG_AT, audit, authorize};
use crate::render::forms::FormState;
use crate::render::messages::ButtonForm;
use crate::{AppError, AppState, Visitor};

/// The conditions as typed in the form (and carried in the preview's links and hidden fields).
#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct FilterForm {
    email_domain: String,
    country: String,
    from: String,
    until: String,
    ip: String,
    signature: String,
    #[serde(skip_serializing)]
    csrf: String,
}

fn day(field: &str, value: &str) -> Result<Option<Date>, ValidationError> {
    match value.trim() {
        "" => Ok(None),
        v => Date::parse(v, format_description!("[year]-[month]-[day]"))
            .map(Some)
            .map_err(|_| ValidationError::new(field, "")),
    }
}

impl FilterForm {
    pub fn parse(&self) -> Result<SignatureFilter, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let mut filter = SignatureFilter::default();
        let domain = self.email_domain.trim().trim_start_matches('@').to_lowercase();
        if !domain.is_empty() {
            if domain.contains(['@', ' ']) || !domain.contains('.') {
                errors.push(ValidationError::new("email_domain", ""));
            }
            filter.email_domain = Some(domain);
        }
        if !self.country.trim().is_empty() {
            match EndorsementSpec::parse_country("country", &self.country) {
                Ok(c) => filter.country = Some(c),
                Err(e) => errors.push(e),
            }
        }
        match day("from", &self.from) {
            Ok(d) => filter.from = d.map(|d| d.midnight().assume_utc()),
            Err(e) => errors.push(e),
        }
        match day("until", &self.until) {
            // Until a day means to its end.
            Ok(d) => filter.until = d.and_then(|d| d.next_day()).map(|d| d.midnight().assume_utc()),
            Err(e) => errors.push(e),
        }
        let ip = self.ip.trim();
        if !ip.is_empty() {
            match hex_key(ip) {
                Some(key) => filter.ip_key = Some(key),
                None => errors.push(ValidationError::new("ip", "")),
            }
        }
        if !self.signature.trim().is_empty() {
            match self.signature.trim().trim_start_matches('#').parse() {
                Ok(id) => filter.signature_id = Some(id),
                Err(_) => errors.push(ValidationError::new("signature", "")),
            }
        }
        if errors.is_empty() && filter.is_empty() {
            errors.push(ValidationError::new("conditions", ""));
        }
        if errors.is_empty() { Ok(filter) } else { Err(errors) }
    }
}

fn hex_key(text: &str) -> Option<Vec<u8>> {
    (text.len() == 32)
        .then(|| {
            (0..16).map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()).collect::<Option<Vec<u8>>>()
        })
        .flatten()
}

/// The signatures part of the moderation page.
pub async fn section(state: &AppState, visitor: &Visitor, auth: &Authorized) -> Result<Value, AppError> {
    let id = auth.campaign.id;
    let (flagged, latest, invalidations) = tokio::try_join!(
        state.store.busy_ip_keys(id, FLAG_AT),
        state.store.latest_signatures(id, 50),
        state.store.invalidations(id),
    )?;
    let i18n = &state.pages.i18n;
    let when = |t: time::OffsetDateTime| {
        t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
    };
    Ok(context! {
        flagged => flagged.iter().map(|g| context! {
            ip => hex::encode(&g.ip_key),
            short => hex::encode(&g.ip_key[..4]),
            count => g.signatures,
            first => when(g.first),
            last => when(g.last),
        }).collect::<Vec<_>>(),
        latest => latest.iter().map(|s| context! {
            id => s.id,
            name => &s.signer.name,
            domain => s.signer.email.as_str().rsplit('@').next().unwrap_or_default().to_lowercase(),
            country => i18n.country(&visitor.ui, &s.signer.country),
            status => s.status.as_str(),
            at => when(s.created_at),
        }).collect::<Vec<_>>(),
        invalidations => invalidations.iter().map(|i| context! {
            id => i.id,
            conditions => &i.conditions,
            count => i.signatures,
            actor => &i.actor,
            at => when(i.created_at),
            restored => i.restored_at.map(when),
        }).collect::<Vec<_>>(),
        countries => i18n.countries(&visitor.ui),
    })
}

async fn render_preview(
    state: &AppState,
    visitor: &Visitor,
    auth: &Authorized,
    form: FormState<FilterForm>,
    matching: Option<(i64, String)>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let page = context! {
        title => state.pages.i18n.t(&visitor.ui, "invalidate-heading", None),
        frame => frame(state, visitor, auth),
        form => form,
        matching => matching.as_ref().map(|(n, _)| *n),
        conditions => matching.map(|(_, c)| c),
        countries => state.pages.i18n.countries(&visitor.ui),
    };
    Ok((status, state.pages.render("organise/invalidate.html", visitor, page)?).into_response())
}

/// `GET .../invalidate`: how many signatures the conditions match, before anything happens.
pub async fn preview(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
    Query(form): Query<FilterForm>,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::Moderate, uri.path()).await?;
    let filter = match form.parse() {
        Ok(f) => f,
        Err(errors) => {
            let page = FormState::new(form.clone()).with_errors(&state.pages.i18n, &visitor.ui, &errors);
            let status = if form.email_domain.is_empty()
                && form.country.is_empty()
                && form.from.is_empty()
                && form.until.is_empty()
                && form.ip.is_empty()
                && form.signature.is_empty()
            {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            return render_preview(&state, &visitor, &auth, page, None, status).await;
        }
    };
    let n = state.store.matching_signatures(auth.campaign.id, &filter).await?;
    render_preview(
        &state,
        &visitor,
        &auth,
        FormState::new(form),
        Some((n, filter.describe())),
        StatusCode::OK,
    )
    .await
}

/// `POST .../invalidate`: invalidates what the conditions match, and records it.
pub async fn invalidate(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
    Form(form): Form<FilterForm>,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::Moderate, uri.path()).await?;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        let page =
            FormState::new(form.clone()).with_alert(state.pages.i18n.t(&visitor.ui, "form-error-csrf", None));
        return render_preview(&state, &visitor, &auth, page, None, StatusCode::FORBIDDEN).await;
    }
    let filter = match form.parse() {
        Ok(f) => f,
        Err(errors) => {
            let page = FormState::new(form.clone()).with_errors(&state.pages.i18n, &visitor.ui, &errors);
            return render_preview(&state, &visitor, &auth, page, None, StatusCode::UNPROCESSABLE_ENTITY)
                .await;
        }
    };
    let (id, n) = state.store.invalidate(auth.campaign.id, &filter, &auth.user.email, now()).await?;
    let detail = format!("{n} signatures: {}", filter.describe());
    audit(
        &state,
        &auth.user,
        Some(auth.campaign.id),
        "invalidate-signatures",
        format!("invalidation #{id}"),
        detail,
    )
    .await;
    Ok(Redirect::to(&format!("/organise/c/{slug}/moderation")).into_response())
}

/// `POST .../invalidations/{id}/restore`: the invalidated signatures count again.
pub async fn restore(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path((slug, id)): Path<(String, i64)>,
    OriginalUri(uri): OriginalUri,
    Form(form): Form<ButtonForm>,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::Moderate, uri.path()).await?;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    let n = match state.store.restore_invalidation(auth.campaign.id, id, now()).await {
        Ok(n) => n,
        Err(StoreError::NotFound) => return Err(AppError::NotFound),
        Err(e) => return Err(e.into()),
    };
    audit(
        &state,
        &auth.user,
        Some(auth.campaign.id),
        "restore-signatures",
        format!("invalidation #{id}"),
        format!("{n} signatures"),
    )
    .await;
    Ok(Redirect::to(&format!("/organise/c/{slug}/moderation")).into_response())
}
