//! The delivery page: the delivery document of each language version, to print (HTML,
//! [`super::delivery`]) or to download as a PDF made by the server; and, for the campaign's
//! owners, sending it to the target (`undersigned_core::delivery`): the target's address (the last
//! one used is offered again), the versions whose PDF goes with it, whether the CSV of the names
//! as shown goes too. The mail goes through the outbox, with a copy to the organisers; each
//! sending is in the audit log and on the campaign's page.
//!
//! Sending twice by mistake: the form carries a key of its own (a double click or a reload records
//! one delivery), and another sending to the same address within ten minutes is refused with the
//! time of the last.

use axum::Form;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};
use undersigned_core::account::Action;
use undersigned_core::delivery::{Delivery, NewDelivery, Refused};
use undersigned_core::store::now;
use undersigned_core::{Email, Lang, ValidationError};

use super::{Authorized, CurrentUser, audit, authorize};
use crate::organise::frame::frame;
use crate::render::delivery;
use crate::render::forms::FormState;
use crate::{AppError, AppState, Visitor};

#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct SendForm {
    target_email: String,
    /// The versions chosen (checkboxes of one name): read from the raw body, see [`send`].
    #[serde(skip)]
    langs: Vec<String>,
    csv: Option<String>,
    /// The form's own key: the same form sent twice is one delivery.
    key: String,
    #[serde(skip_serializing)]
    csrf: String,
}

impl SendForm {
    fn parse(&self, versions: &[Lang]) -> Result<NewDelivery, Vec<ValidationError>> {
        let email = Email::parse("target_email", &self.target_email);
        let langs = NewDelivery::langs(&self.langs, versions);
        let key = self.key.trim();
        match (email, langs) {
            (Ok(email), Ok(langs)) if !key.is_empty() && key.len() <= 64 => {
                Ok(NewDelivery { email, langs, csv: self.csv.is_some(), key: key.to_owned() })
            }
            (email, langs) => Err([email.err(), langs.err()].into_iter().flatten().collect()),
        }
    }
}

/// A fresh key for a form.
fn form_key() -> String {
    format!("{:032x}", rand::random::<u128>())
}

async fn render(
    state: &AppState,
    visitor: &Visitor,
    auth: &Authorized,
    form: FormState<SendForm>,
    chosen: &[String],
    status: StatusCode,
) -> Result<Response, AppError> {
    let i18n = &state.pages.i18n;
    let c = &auth.campaign.content;
    let deliveries = state.store.deliveries(auth.campaign.id).await?;
    let versions: Vec<_> = c
        .versions
        .iter()
        .map(|v| {
            context! {
                lang => v.lang.as_str(),
                name => i18n.native_name(&v.lang),
                checked => chosen.iter().any(|l| l == v.lang.as_str()),
            }
        })
        .collect();
    let sent: Vec<_> = deliveries.iter().map(|d| delivery_context(state, visitor, d)).collect();
    let page = context! {
        title => i18n.t(&visitor.ui, "organise-tab-delivery", None),
        frame => frame(state, visitor, auth),
        versions => versions,
        may_send => auth.may(Action::Deliver),
        form => form,
        deliveries => sent,
        max_names => i18n.number(&visitor.ui, delivery::MAX_NAMES as i64),
    };
    Ok((status, state.pages.render("organise/delivery.html", visitor, page)?).into_response())
}

/// A delivery as the page lists it (only the team sees its address).
fn delivery_context(state: &AppState, visitor: &Visitor, d: &Delivery) -> minijinja::Value {
    let i18n = &state.pages.i18n;
    let at = d.sent_at.to_offset(time::UtcOffset::UTC);
    context! {
        email => &d.email,
        date => i18n.date(&visitor.ui, at.date()),
        time => format!("{:02}:{:02} UTC", at.hour(), at.minute()),
        iso => at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
        languages => d.langs.iter().map(|l| i18n.native_name(l)).collect::<Vec<_>>().join(", "),
        csv => d.csv,
    }
}

pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::ExportSignatures, uri.path()).await?;
    let last = state.store.deliveries(auth.campaign.id).await?.into_iter().next();
    let c = &auth.campaign.content;
    // The last sending's choices again; else the campaign's first version, without the CSV.
    let (email, chosen, csv) = match last {
        Some(d) => (d.email, d.langs.iter().map(|l| l.to_string()).collect(), d.csv),
        None => (String::new(), vec![c.default_lang.to_string()], false),
    };
    let form = SendForm {
        target_email: email,
        csv: csv.then(|| "1".to_owned()),
        key: form_key(),
        ..Default::default()
    };
    render(&state, &visitor, &auth, FormState::new(form), &chosen, StatusCode::OK).await
}

pub async fn send(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::Deliver, uri.path()).await?;
    let i18n = &state.pages.i18n;
    // The checkboxes share a name: read as pairs, which serde's form reading does not gather.
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_bytes(&body).map_err(|_| AppError::BadRequest)?;
    let mut form: SendForm = serde_urlencoded::from_bytes(&body).map_err(|_| AppError::BadRequest)?;
    form.langs = pairs.into_iter().filter(|(k, _)| k == "langs").map(|(_, v)| v).collect();
    let chosen = form.langs.clone();
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        let page = FormState::new(form.clone()).with_alert(i18n.t(&visitor.ui, "form-error-csrf", None));
        return render(&state, &visitor, &auth, page, &chosen, StatusCode::FORBIDDEN).await;
    }
    let versions: Vec<Lang> = auth.campaign.content.versions.iter().map(|v| v.lang.clone()).collect();
    let new = match form.parse(&versions) {
        Ok(new) => new,
        Err(errors) => {
            let page = FormState::new(form.clone()).with_errors(i18n, &visitor.ui, &errors);
            return render(&state, &visitor, &auth, page, &chosen, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let id = auth.campaign.id;
    let sent = match state.store.record_delivery(id, &new, auth.user.id, now()).await? {
        Ok(sent) => sent,
        Err(Refused::TooSoon(at)) => {
            let at = at.to_offset(time::UtcOffset::UTC);
            let when = format!("{:02}:{:02} UTC", at.hour(), at.minute());
            let alert = i18n.t1(&visitor.ui, "delivery-too-soon", "time", when);
            // A new key: sending again later is a new sending.
            let form = SendForm { key: form_key(), ..form };
            let page = FormState::new(form).with_alert(alert);
            return render(&state, &visitor, &auth, page, &chosen, StatusCode::CONFLICT).await;
        }
    };
    state.mail_queued.notify_one();
    let langs: Vec<&str> = sent.langs.iter().map(Lang::as_str).collect();
    let detail =
        format!("to {}, {}{}", sent.email, langs.join(","), if sent.csv { ", with the CSV" } else { "" });
    audit(&state, &auth.user, Some(id), "send-delivery", format!("campaign {slug}"), detail).await;
    Ok(Redirect::to(&format!("/organise/c/{slug}/delivery#deliveries")).into_response())
}

#[derive(Deserialize)]
pub struct DownloadForm {
    #[serde(default)]
    csrf: String,
}

/// The delivery document of a version as a PDF, downloaded (a POST with the CSRF token, logged as
/// the printable one is).
pub async fn pdf(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path((slug, lang)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    Form(form): Form<DownloadForm>,
) -> Result<Response, AppError> {
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    let auth = authorize(&state, current, &slug, Action::ExportSignatures, uri.path()).await?;
    let lang = Lang::parse("lang", &lang).map_err(|_| AppError::NotFound)?;
    let pdf = delivery::pdf(&state, &auth.campaign, &lang).await?.ok_or(AppError::NotFound)?;
    let id = auth.campaign.id;
    audit(
        &state,
        &auth.user,
        Some(id),
        "download-delivery-pdf",
        format!("campaign {slug}, {lang}"),
        String::new(),
    )
    .await;
    let disposition = format!("attachment; filename=\"{slug}-{lang}.pdf\"");
    Ok((
        [(header::CONTENT_TYPE, "application/pdf".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
        pdf,
    )
        .into_response())
}
