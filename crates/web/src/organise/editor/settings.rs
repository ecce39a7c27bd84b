//! A campaign's settings: its contact, goal, date, opening and closing, and default language; and
//! the way to a new language version.

use axum::Form;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};
use time::Date;
use time::macros::format_description;
use undersigned_core::account::Action;
use undersigned_core::store::now;
use undersigned_core::validation::{self, Email};
use undersigned_core::{CampaignContent, EmbedSites, Lang, ValidationError};

use crate::organise::frame::frame;
use crate::organise::{Authorized, CurrentUser, audit, authorize};
use crate::render::forms::FormState;
use crate::{AppError, AppState, Visitor};

fn parse_date(field: &str, value: &str) -> Result<Option<Date>, ValidationError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    Date::parse(value, format_description!("[year]-[month]-[day]"))
        .map(Some)
        .map_err(|_| ValidationError::new(field, "must be a date such as 2004-02-10"))
}

fn date_text(date: Option<Date>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}

#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct SettingsForm {
    contact_name: String,
    contact_email: String,
    signature_goal: String,
    dated: String,
    opens_on: String,
    closes_on: String,
    default_lang: String,
    /// The sites that may frame the campaign's embeddable page, one a line.
    embed_sites: String,
    /// Remind signers who have not confirmed after a day (a ticked box sends a value).
    remind_unconfirmed: Option<String>,
    #[serde(skip_serializing)]
    csrf: String,
}

impl SettingsForm {
    fn of(content: &CampaignContent, reminds: bool) -> Self {
        Self {
            contact_name: content.contact.name.clone(),
            contact_email: content.contact.email.as_ref().map(|e| e.to_string()).unwrap_or_default(),
            signature_goal: content.signature_goal.map(|g| g.to_string()).unwrap_or_default(),
            dated: date_text(content.dated),
            opens_on: date_text(content.opens_at.map(|t| t.date())),
            closes_on: date_text(content.closes_at.map(|t| t.date())),
            default_lang: content.default_lang.to_string(),
            embed_sites: content.embed_sites.lines(),
            remind_unconfirmed: reminds.then(|| "yes".to_owned()),
            csrf: String::new(),
        }
    }

    /// The content with these settings, or every field's error.
    fn apply(&self, content: &CampaignContent) -> Result<CampaignContent, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let mut next = content.clone();
        match validation::name("contact_name", &self.contact_name, 1, 200) {
            Ok(name) => next.contact.name = name,
            Err(e) => errors.push(e),
        }
        match self.contact_email.trim() {
            "" => next.contact.email = None,
            email => match Email::parse("contact_email", email) {
                Ok(e) => next.contact.email = Some(e),
                Err(e) => errors.push(e),
            },
        }
        match self.signature_goal.trim() {
            "" => next.signature_goal = None,
            goal => match goal.replace(',', "").parse::<u32>() {
                Ok(g) if g > 0 => next.signature_goal = Some(g),
                _ => errors.push(ValidationError::new("signature_goal", "")),
            },
        }
        match parse_date("dated", &self.dated) {
            Ok(d) => next.dated = d,
            Err(e) => errors.push(e),
        }
        match parse_date("opens_on", &self.opens_on) {
            Ok(d) => next.opens_at = d.map(|d| d.midnight().assume_utc()),
            Err(e) => errors.push(e),
        }
        match parse_date("closes_on", &self.closes_on) {
            Ok(d) => next.closes_at = d.map(|d| d.midnight().assume_utc()),
            Err(e) => errors.push(e),
        }
        match Lang::parse("default_lang", &self.default_lang) {
            Ok(l) if content.version(&l).is_some() => next.default_lang = l,
            _ => errors.push(ValidationError::new("default_lang", "")),
        }
        match EmbedSites::parse("embed_sites", self.embed_sites.lines()) {
            Ok(sites) => next.embed_sites = sites,
            Err(e) => errors.push(e),
        }
        if errors.is_empty()
            && let Err(e) = next.check()
        {
            // Closing before opening is the one rule across fields the form can break.
            errors.push(ValidationError::new(
                if e.field == "closes_at" { "closes_on" } else { e.field.as_str() },
                "",
            ));
        }
        next.sort_versions();
        if errors.is_empty() { Ok(next) } else { Err(errors) }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SavedQuery {
    saved: Option<String>,
}

async fn render_settings(
    state: &AppState,
    visitor: &Visitor,
    auth: &Authorized,
    form: FormState<SettingsForm>,
    status: StatusCode,
    saved: bool,
) -> Result<Response, AppError> {
    let i18n = &state.pages.i18n;
    let c = &auth.campaign.content;
    let versions: Vec<Value> = c
        .versions
        .iter()
        .map(|v| context! { lang => v.lang.as_str(), name => i18n.native_name(&v.lang), title => &v.title })
        .collect();
    let missing: Vec<Value> = i18n
        .langs()
        .iter()
        .filter(|l| c.version(l).is_none())
        .map(|l| context! { tag => l.as_str(), name => i18n.native_name(l) })
        .collect();
    let page = context! {
        title => i18n.t(&visitor.ui, "organise-tab-edit", None),
        frame => frame(state, visitor, auth),
        form => form,
        versions => versions,
        missing => missing,
        saved => saved,
    };
    Ok((status, state.pages.render("organise/edit.html", visitor, page)?).into_response())
}

pub async fn settings_page(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
    Query(query): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::EditCampaign, uri.path()).await?;
    let reminds = state.store.reminds(auth.campaign.id).await?;
    let form = FormState::new(SettingsForm::of(&auth.campaign.content, reminds));
    render_settings(&state, &visitor, &auth, form, StatusCode::OK, query.saved.is_some()).await
}

pub async fn save_settings(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
    Form(form): Form<SettingsForm>,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::EditCampaign, uri.path()).await?;
    let i18n = &state.pages.i18n;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        let page = FormState::new(form.clone()).with_alert(i18n.t(&visitor.ui, "form-error-csrf", None));
        return render_settings(&state, &visitor, &auth, page, StatusCode::FORBIDDEN, false).await;
    }
    let next = match form.apply(&auth.campaign.content) {
        Ok(next) => next,
        Err(errors) => {
            let page = FormState::new(form.clone()).with_errors(i18n, &visitor.ui, &errors);
            return render_settings(&state, &visitor, &auth, page, StatusCode::UNPROCESSABLE_ENTITY, false)
                .await;
        }
    };
    let content = &auth.campaign.content;
    let dates_changed = (next.opens_at, next.closes_at) != (content.opens_at, content.closes_at);
    if dates_changed && !auth.may(Action::ChangeStatus) {
        // The dates open and close signing: as the status, they are the owners' to change.
        let page =
            FormState::new(form.clone()).with_alert(i18n.t(&visitor.ui, "edit-error-dates-owner", None));
        return render_settings(&state, &visitor, &auth, page, StatusCode::FORBIDDEN, false).await;
    }
    state.store.save_campaign(auth.campaign.id, &next, false, now()).await?;
    // Kept beside the content (a setting of the campaign's mail, not of its text).
    state.store.set_reminds(auth.campaign.id, form.remind_unconfirmed.is_some()).await?;
    audit(
        &state,
        &auth.user,
        Some(auth.campaign.id),
        "edit-settings",
        format!("campaign {slug}"),
        String::new(),
    )
    .await;
    Ok(Redirect::to(&format!("/organise/c/{slug}/edit?saved=1")).into_response())
}

/// `version`, not `lang`: `?lang=` would switch the organiser's own language.
#[derive(Deserialize)]
pub struct AddVersionQuery {
    version: String,
}

/// The "add a language version" form: to the version editor for that language.
pub async fn add_version(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
    Query(query): Query<AddVersionQuery>,
) -> Result<Response, AppError> {
    authorize(&state, current, &slug, Action::EditCampaign, uri.path()).await?;
    let lang = Lang::parse("lang", &query.version).map_err(|_| AppError::NotFound)?;
    Ok(Redirect::to(&format!("/organise/c/{slug}/edit/{lang}")).into_response())
}
