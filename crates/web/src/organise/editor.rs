//! Writing campaigns in the browser: a new campaign, its settings, each language version (with
//! demands added, removed and reordered by buttons, and a preview drawn by the server: no script
//! needed), and its status.

use axum::Form;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};
use time::Date;
use time::macros::format_description;
use undersigned_core::account::Action;
use undersigned_core::edit_rules::{EditRefusal, check_edit, keeps_history};
use undersigned_core::store::now;
use undersigned_core::validation::{self, Email};
use undersigned_core::{
    CampaignContent, CampaignStatus, CampaignVersion, Contact, Lang, Slug, StoreError, ValidationError,
};

use super::{Authorized, CurrentUser, audit, authorize, authorize_site};
use crate::forms::FormState;
use crate::markdown;
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

// A new campaign.

#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct NewCampaignForm {
    slug: String,
    title: String,
    lang: String,
    #[serde(skip_serializing)]
    csrf: String,
}

fn render_new(
    state: &AppState,
    visitor: &Visitor,
    form: FormState<NewCampaignForm>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let langs: Vec<Value> = state
        .pages
        .i18n
        .langs()
        .iter()
        .map(|l| context! { tag => l.as_str(), name => state.pages.i18n.native_name(l) })
        .collect();
    let page = context! { title => state.pages.i18n.t(&visitor.ui, "new-campaign-heading", None), form => form, langs => langs };
    Ok((status, state.pages.render("organise-new.html", visitor, page)?).into_response())
}

pub async fn new_page(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
) -> Result<Response, AppError> {
    authorize_site(current, Action::Administer, "/organise/new")?;
    let form = NewCampaignForm { lang: visitor.ui.to_string(), ..Default::default() };
    render_new(&state, &visitor, FormState::new(form), StatusCode::OK)
}

pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Form(form): Form<NewCampaignForm>,
) -> Result<Response, AppError> {
    let user = authorize_site(current, Action::Administer, "/organise/new")?;
    let i18n = &state.pages.i18n;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        let page = FormState::new(form.clone()).with_alert(i18n.t(&visitor.ui, "form-error-csrf", None));
        return render_new(&state, &visitor, page, StatusCode::FORBIDDEN);
    }
    let slug = Slug::parse("slug", &form.slug);
    let lang = Lang::parse("lang", &form.lang);
    let version = lang.clone().and_then(|l| CampaignVersion::parse(l, &form.title, "", "", "", &[]));
    let (slug, lang, version) = match (slug, lang, version) {
        (Ok(s), Ok(l), Ok(v)) => (s, l, v),
        (s, l, v) => {
            let errors: Vec<ValidationError> = [s.err(), l.err(), v.err()].into_iter().flatten().collect();
            let page = FormState::new(form.clone()).with_errors(i18n, &visitor.ui, &errors);
            return render_new(&state, &visitor, page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let content = CampaignContent {
        slug: slug.clone(),
        status: CampaignStatus::Draft,
        opens_at: None,
        closes_at: None,
        dated: None,
        contact: Contact { name: user.name.clone(), email: None },
        signature_goal: None,
        default_lang: lang,
        versions: vec![version],
    };
    let id = match state.store.create_campaign(&content, Some(user.id), now()).await {
        Ok(id) => id,
        Err(StoreError::Conflict(_)) => {
            let page = FormState::new(form.clone()).with_errors(
                i18n,
                &visitor.ui,
                &[ValidationError::new("slug-taken", "")],
            );
            return render_new(&state, &visitor, page, StatusCode::CONFLICT);
        }
        Err(e) => return Err(e.into()),
    };
    audit(&state, &user, Some(id), "create-campaign", format!("campaign {slug}"), String::new()).await;
    Ok(Redirect::to(&format!("/organise/c/{slug}/edit")).into_response())
}

// The campaign's settings.

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
    #[serde(skip_serializing)]
    csrf: String,
}

impl SettingsForm {
    fn of(content: &CampaignContent) -> Self {
        Self {
            contact_name: content.contact.name.clone(),
            contact_email: content.contact.email.as_ref().map(|e| e.to_string()).unwrap_or_default(),
            signature_goal: content.signature_goal.map(|g| g.to_string()).unwrap_or_default(),
            dated: date_text(content.dated),
            opens_on: date_text(content.opens_at.map(|t| t.date())),
            closes_on: date_text(content.closes_at.map(|t| t.date())),
            default_lang: content.default_lang.to_string(),
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
        frame => super::campaign::frame(state, visitor, auth),
        form => form,
        versions => versions,
        missing => missing,
        saved => saved,
    };
    Ok((status, state.pages.render("organise-edit.html", visitor, page)?).into_response())
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
    let form = FormState::new(SettingsForm::of(&auth.campaign.content));
    render_settings(&state, &visitor, &auth, form, StatusCode::OK, query.saved.is_some()).await
}

/// Whether edits to the campaign's text must keep what was there: people have signed it.
async fn signed(state: &AppState, auth: &Authorized) -> Result<bool, AppError> {
    let status = auth.campaign.content.status;
    Ok(keeps_history(status, state.store.counts(auth.campaign.id).await?.signatures))
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

// A language version.

#[derive(Serialize, Default, Clone)]
pub struct VersionForm {
    title: String,
    summary: String,
    target: String,
    body: String,
    demands: Vec<String>,
}

impl VersionForm {
    fn of(version: Option<&CampaignVersion>) -> Self {
        let mut form = match version {
            Some(v) => Self {
                title: v.title.clone(),
                summary: v.summary.clone(),
                target: v.target.clone(),
                body: v.body.clone(),
                demands: v.demands.clone(),
            },
            None => Self::default(),
        };
        // Always a field to write the first demand in.
        if form.demands.is_empty() {
            form.demands.push(String::new());
        }
        form
    }

    /// Reads the posted fields, in order (the demands are repeated fields); and the button pressed.
    fn read(fields: &[(String, String)]) -> (Self, String, String) {
        let mut form = Self::default();
        let (mut op, mut csrf) = (String::new(), String::new());
        for (name, value) in fields {
            match name.as_str() {
                "title" => form.title = value.clone(),
                "summary" => form.summary = value.clone(),
                "target" => form.target = value.clone(),
                "body" => form.body = value.clone(),
                "demand" => form.demands.push(value.clone()),
                "op" => op = value.clone(),
                "csrf" => csrf = value.clone(),
                _ => {}
            }
        }
        (form, op, csrf)
    }

    /// Applies a demand button: `add`, `up-N`, `down-N`, `remove-N` (N from 1).
    fn apply(&mut self, op: &str) {
        let (verb, n) = op.split_once('-').unwrap_or((op, ""));
        let i = n.parse::<usize>().ok().and_then(|n| n.checked_sub(1)).filter(|i| *i < self.demands.len());
        match (verb, i) {
            ("add", _) if self.demands.len() < CampaignVersion::MAX_DEMANDS => {
                self.demands.push(String::new())
            }
            ("up", Some(i)) if i > 0 => self.demands.swap(i, i - 1),
            ("down", Some(i)) if i + 1 < self.demands.len() => self.demands.swap(i, i + 1),
            ("remove", Some(i)) => {
                self.demands.remove(i);
            }
            _ => {}
        }
    }
}

async fn render_version(
    state: &AppState,
    visitor: &Visitor,
    auth: &Authorized,
    lang: &Lang,
    form: FormState<VersionForm>,
    status: StatusCode,
    preview: bool,
) -> Result<Response, AppError> {
    let preview = preview.then(|| Value::from_safe_string(markdown::render(&form.typed.body)));
    let page = context! {
        title => state.pages.i18n.t(&visitor.ui, "organise-tab-edit", None),
        frame => super::campaign::frame(state, visitor, auth),
        version_lang => lang.as_str(),
        version_name => state.pages.i18n.native_name(lang),
        is_new => auth.campaign.content.version(lang).is_none(),
        records_history => signed(state, auth).await?,
        form => form,
        preview => preview,
        max_demands => CampaignVersion::MAX_DEMANDS,
    };
    Ok((status, state.pages.render("organise-version.html", visitor, page)?).into_response())
}

pub async fn version_page(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path((slug, lang)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::EditCampaign, uri.path()).await?;
    let lang = Lang::parse("lang", &lang).map_err(|_| AppError::NotFound)?;
    let form = FormState::new(VersionForm::of(auth.campaign.content.version(&lang)));
    render_version(&state, &visitor, &auth, &lang, form, StatusCode::OK, false).await
}

pub async fn save_version(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path((slug, lang)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::EditCampaign, uri.path()).await?;
    let lang = Lang::parse("lang", &lang).map_err(|_| AppError::NotFound)?;
    let i18n = &state.pages.i18n;
    let (mut form, op, csrf) = VersionForm::read(&fields);
    if !visitor.csrf_ok(&state.keys, &csrf) {
        let page = FormState::new(form).with_alert(i18n.t(&visitor.ui, "form-error-csrf", None));
        return render_version(&state, &visitor, &auth, &lang, page, StatusCode::FORBIDDEN, false).await;
    }
    if op != "save" {
        // A demand button or the preview: show the form again, nothing saved yet.
        form.apply(&op);
        return render_version(
            &state,
            &visitor,
            &auth,
            &lang,
            FormState::new(form),
            StatusCode::OK,
            op == "preview",
        )
        .await;
    }
    let demands: Vec<String> = form.demands.iter().filter(|d| !d.trim().is_empty()).cloned().collect();
    let version = match CampaignVersion::parse(
        lang.clone(),
        &form.title,
        &form.summary,
        &form.target,
        &form.body,
        &demands,
    ) {
        Ok(v) => v,
        Err(e) => {
            // Every demand shares one message; the field is the list.
            let field = if e.field.starts_with("demands") { "demands".to_owned() } else { e.field };
            let page =
                FormState::new(form).with_errors(i18n, &visitor.ui, &[ValidationError::new(field, "")]);
            return render_version(
                &state,
                &visitor,
                &auth,
                &lang,
                page,
                StatusCode::UNPROCESSABLE_ENTITY,
                false,
            )
            .await;
        }
    };
    let mut next = auth.campaign.content.clone();
    next.versions.retain(|v| v.lang != lang);
    next.versions.push(version);
    next.sort_versions();
    if let Err(e) = check_edit(Some(&auth.campaign.content), &next) {
        // An open campaign keeps every version complete.
        let page = FormState::new(form).with_alert(e.to_string());
        return render_version(&state, &visitor, &auth, &lang, page, StatusCode::UNPROCESSABLE_ENTITY, false)
            .await;
    }
    let keep = signed(&state, &auth).await?;
    state.store.save_campaign(auth.campaign.id, &next, keep, now()).await?;
    let detail = if keep { "text kept in the public history" } else { "" };
    audit(
        &state,
        &auth.user,
        Some(auth.campaign.id),
        "edit-version",
        format!("campaign {slug}, {lang}"),
        detail.into(),
    )
    .await;
    Ok(Redirect::to(&format!("/organise/c/{slug}/edit?saved=1")).into_response())
}

// The status.

/// The update that announces a win: a text for each of the campaign's versions, in its language
/// (or the site's fallback where the site does not speak it). What the browser posts when an
/// organiser declares a campaign won, and what `campaign import` posts when the files do.
pub fn win_announcement(
    i18n: &crate::i18n::Localizer,
    content: &CampaignContent,
) -> Vec<undersigned_core::store::UpdateText> {
    content
        .versions
        .iter()
        .map(|v| {
            let lang =
                if i18n.supports(&v.lang) { v.lang.clone() } else { Lang::known(crate::i18n::FALLBACK) };
            undersigned_core::store::UpdateText {
                lang: v.lang.clone(),
                title: i18n.t(&lang, "won-update-title", None),
                body: i18n.t1(&lang, "won-update-body", "title", v.title.clone()),
            }
        })
        .collect()
}

/// A campaign declared won tells every signer who asked for news, in each version's language.
async fn announce_win(state: &AppState, auth: &Authorized) -> Result<(), AppError> {
    let texts = win_announcement(&state.pages.i18n, &auth.campaign.content);
    state.store.post_update(auth.campaign.id, &auth.user.name, &texts, true, now()).await?;
    state.mail_queued.notify_one();
    Ok(())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StatusForm {
    to: String,
    csrf: String,
}

pub async fn change_status(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
    Form(form): Form<StatusForm>,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::ChangeStatus, uri.path()).await?;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    let from = auth.campaign.content.status;
    let refuse = |key: &str| {
        super::campaign::dashboard_with_alert(state.clone(), visitor.clone(), auth.clone(), key.to_owned())
    };
    let Ok(to) = CampaignStatus::parse("to", &form.to) else { return refuse("status-error-unknown").await };
    let mut next = auth.campaign.content.clone();
    next.status = to;
    match check_edit(Some(&auth.campaign.content), &next) {
        _ if from == to => return refuse("status-error-move").await,
        Err(EditRefusal::StatusMove { .. }) => return refuse("status-error-move").await,
        Err(EditRefusal::Incomplete(_)) => return refuse("status-error-incomplete").await,
        Err(_) => return refuse("status-error-move").await,
        Ok(()) => {}
    }
    if to == CampaignStatus::Open && next.status_at(now()) != CampaignStatus::Open {
        // Its end date has passed: it would be closed the moment it opened.
        return refuse("status-error-ended").await;
    }
    state.store.save_campaign(auth.campaign.id, &next, false, now()).await?;
    if to == CampaignStatus::Won {
        announce_win(&state, &auth).await?;
    }
    audit(
        &state,
        &auth.user,
        Some(auth.campaign.id),
        "change-status",
        format!("campaign {slug}"),
        format!("{} → {}", from.as_str(), to.as_str()),
    )
    .await;
    Ok(Redirect::to(&format!("/organise/c/{slug}")).into_response())
}
