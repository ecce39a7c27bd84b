//! One language version of a campaign: its title, summary, target, text and demands, with the
//! demand buttons and the preview answered by the server; kept in the public history once people
//! have signed.

use axum::Form;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::Serialize;
use undersigned_core::account::Action;
use undersigned_core::edit_rules::{check_edit, keeps_history};
use undersigned_core::store::now;
use undersigned_core::{CampaignContent, CampaignVersion, Lang, ValidationError};

use crate::organise::frame::frame;
use crate::organise::{Authorized, CurrentUser, audit, authorize};
use crate::render::forms::FormState;
use crate::render::markdown;
use crate::{AppError, AppState, Visitor};

/// Whether edits to the campaign's text must keep what was there: people have signed it.
async fn signed(state: &AppState, auth: &Authorized) -> Result<bool, AppError> {
    let status = auth.campaign.content.status;
    Ok(keeps_history(status, state.store.counts(auth.campaign.id).await?.signatures))
}

/// Why a version is not saved: a field that needs changing, or a rule of the campaign it breaks.
enum Refused {
    Field(String),
    Rule(String),
}

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

    /// The campaign with this version in it (empty demands dropped), or why not.
    fn content_with(&self, content: &CampaignContent, lang: &Lang) -> Result<CampaignContent, Refused> {
        let demands: Vec<String> = self.demands.iter().filter(|d| !d.trim().is_empty()).cloned().collect();
        let version = CampaignVersion::parse(
            lang.clone(),
            &self.title,
            &self.summary,
            &self.target,
            &self.body,
            &demands,
        )
        .map_err(|e| {
            // Every demand shares one message; the field is the list.
            Refused::Field(if e.field.starts_with("demands") { "demands".to_owned() } else { e.field })
        })?;
        let mut next = content.clone();
        next.versions.retain(|v| v.lang != *lang);
        next.versions.push(version);
        next.sort_versions();
        // An open campaign keeps every version complete.
        check_edit(Some(content), &next).map_err(|e| Refused::Rule(e.to_string()))?;
        Ok(next)
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
    let preview = match preview {
        true => {
            let pictures = state.store.pictures(auth.campaign.id).await?;
            Some(Value::from_safe_string(markdown::render_with_pictures(&form.typed.body, &pictures)))
        }
        false => None,
    };
    let page = context! {
        title => state.pages.i18n.t(&visitor.ui, "organise-tab-edit", None),
        frame => frame(state, visitor, auth),
        version_lang => lang.as_str(),
        version_name => state.pages.i18n.native_name(lang),
        is_new => auth.campaign.content.version(lang).is_none(),
        records_history => signed(state, auth).await?,
        form => form,
        preview => preview,
        max_demands => CampaignVersion::MAX_DEMANDS,
        pictures_path => format!("/organise/c/{}/pictures", auth.campaign.content.slug),
    };
    Ok((status, state.pages.render("organise/version.html", visitor, page)?).into_response())
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
    let show = |form, status, preview| render_version(&state, &visitor, &auth, &lang, form, status, preview);
    let (mut form, op, csrf) = VersionForm::read(&fields);
    if !visitor.csrf_ok(&state.keys, &csrf) {
        let page = FormState::new(form).with_alert(i18n.t(&visitor.ui, "form-error-csrf", None));
        return show(page, StatusCode::FORBIDDEN, false).await;
    }
    if op != "save" {
        // A demand button or the preview: show the form again, nothing saved yet.
        form.apply(&op);
        return show(FormState::new(form), StatusCode::OK, op == "preview").await;
    }
    let next = match form.content_with(&auth.campaign.content, &lang) {
        Ok(next) => next,
        Err(Refused::Field(field)) => {
            let errors = [ValidationError::new(field, "")];
            let page = FormState::new(form).with_errors(i18n, &visitor.ui, &errors);
            return show(page, StatusCode::UNPROCESSABLE_ENTITY, false).await;
        }
        Err(Refused::Rule(text)) => {
            let page = FormState::new(form).with_alert(text);
            return show(page, StatusCode::UNPROCESSABLE_ENTITY, false).await;
        }
    };
    let keep = signed(&state, &auth).await?;
    state.store.save_campaign(auth.campaign.id, &next, keep, now()).await?;
    let detail = if keep { "text kept in the public history" } else { "" };
    let subject = format!("campaign {slug}, {lang}");
    audit(&state, &auth.user, Some(auth.campaign.id), "edit-version", subject, detail.into()).await;
    Ok(Redirect::to(&format!("/organise/c/{slug}/edit?saved=1")).into_response())
}
