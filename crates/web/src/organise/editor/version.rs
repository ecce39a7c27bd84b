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
use undersigned_core::demand::{self, Demand};
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
    demands: Vec<DemandField>,
}

/// One demand's field: its key (a hidden field; empty for a demand added here) and its text in
/// this version's language (empty: not yet translated here).
#[derive(Serialize, Default, Clone)]
pub struct DemandField {
    key: String,
    text: String,
}

impl VersionForm {
    fn of(content: &CampaignContent, lang: &Lang) -> Self {
        let mut form = match content.version(lang) {
            Some(v) => Self {
                title: v.title.clone(),
                summary: v.summary.clone(),
                target: v.target.clone(),
                body: v.body.clone(),
                demands: Vec::new(),
            },
            None => Self::default(),
        };
        // Every demand of the campaign, written here or not yet.
        form.demands = content
            .demands
            .iter()
            .map(|d| DemandField {
                key: d.key.to_string(),
                text: d.text(lang).unwrap_or_default().to_owned(),
            })
            .collect();
        // Always a field to write the first demand in.
        if form.demands.is_empty() {
            form.demands.push(DemandField::default());
        }
        form
    }

    /// Reads the posted fields, in order (the demands are repeated pairs of fields, `demand_key`
    /// then `demand`); and the button pressed.
    fn read(fields: &[(String, String)]) -> (Self, String, String) {
        let mut form = Self::default();
        let (mut op, mut csrf) = (String::new(), String::new());
        let mut key = None;
        for (name, value) in fields {
            match name.as_str() {
                "title" => form.title = value.clone(),
                "summary" => form.summary = value.clone(),
                "target" => form.target = value.clone(),
                "body" => form.body = value.clone(),
                "demand_key" => key = Some(value.clone()),
                "demand" => form
                    .demands
                    .push(DemandField { key: key.take().unwrap_or_default(), text: value.clone() }),
                "op" => op = value.clone(),
                "csrf" => csrf = value.clone(),
                _ => {}
            }
        }
        (form, op, csrf)
    }

    /// The campaign's demands as this form leaves them: in its order (a demand moved here moves
    /// in every version, one removed here goes from every version), its texts in `lang` as
    /// typed (a blank one is not yet translated here; a blank new one, or one written nowhere
    /// else, is dropped), the other languages' texts and the marks of being met kept.
    fn demands_with(&self, content: &CampaignContent, lang: &Lang) -> Result<Vec<Demand>, ValidationError> {
        let mut next: Vec<Demand> = Vec::new();
        let mut fresh = demand::next_key(&content.demands);
        for (i, field) in self.demands.iter().enumerate() {
            let text = field.text.trim();
            let text = match text.is_empty() {
                true => None,
                false => Some(Demand::parse_text(&format!("demands[{}]", i + 1), text)?),
            };
            let known = field
                .key
                .parse::<u32>()
                .ok()
                .filter(|k| !next.iter().any(|d| d.key == *k))
                .and_then(|k| content.demands.iter().find(|d| d.key == k));
            let mut d = match known {
                Some(d) => d.clone(),
                None => {
                    fresh += 1;
                    Demand { key: fresh - 1, texts: Vec::new(), met: None }
                }
            };
            d.set_text(lang, text);
            if !d.texts.is_empty() {
                next.push(d);
            }
        }
        if next.len() > demand::MAX_DEMANDS {
            return Err(ValidationError::new("demands", format!("at most {} demands", demand::MAX_DEMANDS)));
        }
        Ok(next)
    }

    /// The campaign with this version in it, or why not.
    fn content_with(&self, content: &CampaignContent, lang: &Lang) -> Result<CampaignContent, Refused> {
        // Every demand shares one message; the field is the list.
        let field = |e: ValidationError| {
            Refused::Field(if e.field.starts_with("demands") { "demands".to_owned() } else { e.field })
        };
        let demands = self.demands_with(content, lang).map_err(field)?;
        let version =
            CampaignVersion::parse(lang.clone(), &self.title, &self.summary, &self.target, &self.body)
                .map_err(field)?;
        let mut next = content.clone();
        next.versions.retain(|v| v.lang != *lang);
        next.versions.push(version);
        next.demands = demands;
        next.sort_versions();
        // An open campaign keeps every version complete.
        check_edit(Some(content), &next).map_err(|e| Refused::Rule(e.to_string()))?;
        Ok(next)
    }

    /// Applies a demand button: `add`, `up-N`, `down-N`, `remove-N` (N from 1). Removing takes
    /// the demand out of every version, once saved.
    fn apply(&mut self, op: &str) {
        let (verb, n) = op.split_once('-').unwrap_or((op, ""));
        let i = n.parse::<usize>().ok().and_then(|n| n.checked_sub(1)).filter(|i| *i < self.demands.len());
        match (verb, i) {
            ("add", _) if self.demands.len() < demand::MAX_DEMANDS => {
                self.demands.push(DemandField::default())
            }
            ("up", Some(i)) if i > 0 => self.demands.swap(i, i - 1),
            ("down", Some(i)) if i + 1 < self.demands.len() => self.demands.swap(i, i + 1),
            ("remove", Some(i)) => {
                self.demands.remove(i);
            }
            _ => {}
        }
    }

    /// For each demand field, the words it has where it is not yet translated here (the default
    /// language's), to show beside the empty field.
    fn untranslated(&self, content: &CampaignContent, lang: &Lang) -> Vec<Option<String>> {
        let read = content.demands_in(lang);
        self.demands
            .iter()
            .map(|f| {
                let key = f.key.parse::<u32>().ok()?;
                let d = read.iter().find(|d| d.key == key && !d.translated)?;
                Some(d.text.to_owned())
            })
            .collect()
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
    let untranslated = form.typed.untranslated(&auth.campaign.content, lang);
    let page = context! {
        title => state.pages.i18n.t(&visitor.ui, "organise-tab-edit", None),
        frame => frame(state, visitor, auth),
        version_lang => lang.as_str(),
        version_name => state.pages.i18n.native_name(lang),
        is_new => auth.campaign.content.version(lang).is_none(),
        records_history => signed(state, auth).await?,
        form => form,
        preview => preview,
        untranslated => untranslated,
        max_demands => demand::MAX_DEMANDS,
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
    let form = FormState::new(VersionForm::of(&auth.campaign.content, &lang));
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
