//! Demands met (`/organise/c/{slug}/demands`): an editor marks a demand met when the target
//! concedes it, with the day and a note in each language of the campaign, or takes the mark
//! back. Marking it met tells the signers who asked for news (`crate::mail::news`), once: a
//! change of the day or the notes of a demand already met does not mail them again.

use axum::Form;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use time::Date;
use time::macros::format_description;
use undersigned_core::account::Action;
use undersigned_core::demand::DemandMet;
use undersigned_core::store::{News, now};
use undersigned_core::{Lang, ValidationError};

use super::{Authorized, CurrentUser, audit, authorize};
use crate::organise::frame::frame;
use crate::{AppError, AppState, Visitor};

/// What was typed for one demand: the day (`YYYY-MM-DD`) and a note per language.
#[derive(Default, Clone)]
struct MetForm {
    met_on: String,
    notes: Vec<(Lang, String)>,
}

impl MetForm {
    /// Reads `met_on`, `note_{lang}` (for the campaign's languages), `op` and `csrf`.
    fn read(fields: &[(String, String)], langs: &[Lang]) -> (Self, String, String) {
        let mut form = Self::default();
        let (mut op, mut csrf) = (String::new(), String::new());
        for (name, value) in fields {
            match name.as_str() {
                "met_on" => form.met_on = value.clone(),
                "op" => op = value.clone(),
                "csrf" => csrf = value.clone(),
                n => {
                    if let Some(lang) =
                        n.strip_prefix("note_").and_then(|l| langs.iter().find(|x| x.as_str() == l))
                    {
                        form.notes.push((lang.clone(), value.clone()));
                    }
                }
            }
        }
        (form, op, csrf)
    }

    fn parse(&self) -> Result<DemandMet, ValidationError> {
        let on = Date::parse(self.met_on.trim(), format_description!("[year]-[month]-[day]"))
            .map_err(|_| ValidationError::new("met_on", "must be a date such as 2026-03-03"))?;
        DemandMet::parse(on, &self.notes)
    }
}

fn langs(auth: &Authorized) -> Vec<Lang> {
    auth.campaign.content.versions.iter().map(|v| v.lang.clone()).collect()
}

/// The page: every demand, in the default language, with its form. `typed`: the demand whose
/// form was sent, with what was typed and the error.
async fn render(
    state: &AppState,
    visitor: &Visitor,
    auth: &Authorized,
    typed: Option<(u32, &MetForm, &str)>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let i18n = &state.pages.i18n;
    let c = &auth.campaign.content;
    let demands: Vec<Value> = c
        .demands_in(&c.default_lang)
        .iter()
        .zip(&c.demands)
        .map(|(read, d)| {
            let typed = typed.filter(|(key, _, _)| *key == d.key);
            let met_on = match (typed, &d.met) {
                (Some((_, form, _)), _) => form.met_on.clone(),
                (None, Some(met)) => met.on.to_string(),
                (None, None) => now().date().to_string(),
            };
            let notes: Vec<Value> = c
                .versions
                .iter()
                .map(|v| {
                    let note = match typed {
                        Some((_, form, _)) => {
                            form.notes.iter().find(|(l, _)| *l == v.lang).map(|(_, n)| n.clone())
                        }
                        None => d.met.as_ref().and_then(|m| m.note(&v.lang)).map(str::to_owned),
                    };
                    context! {
                        lang => v.lang.as_str(),
                        language => i18n.native_name(&v.lang),
                        value => note.unwrap_or_default(),
                    }
                })
                .collect();
            context! {
                number => read.number,
                key => d.key,
                text => read.text,
                text_lang => read.text_lang.as_str(),
                met => d.met.as_ref().map(|m| i18n.date(&visitor.ui, m.on)),
                met_on => met_on,
                notes => notes,
                error => typed.map(|(_, _, error)| error),
            }
        })
        .collect();
    let page = context! {
        title => i18n.t(&visitor.ui, "organise-tab-demands", None),
        frame => frame(state, visitor, auth),
        demands => demands,
    };
    Ok((status, state.pages.render("organise/demands.html", visitor, page)?).into_response())
}

pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::EditCampaign, uri.path()).await?;
    render(&state, &visitor, &auth, None, StatusCode::OK).await
}

/// `POST /organise/c/{slug}/demands/{key}`: `op` `met` marks it met (or changes the day and
/// notes), `unmet` takes the mark back.
pub async fn mark(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path((slug, key)): Path<(String, u32)>,
    OriginalUri(uri): OriginalUri,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::EditCampaign, uri.path()).await?;
    let i18n = &state.pages.i18n;
    let (form, op, csrf) = MetForm::read(&fields, &langs(&auth));
    let c = &auth.campaign.content;
    let Some(demand) = c.demands.iter().find(|d| d.key == key) else { return Err(AppError::NotFound) };
    if !visitor.csrf_ok(&state.keys, &csrf) {
        let error = i18n.t(&visitor.ui, "form-error-csrf", None);
        return render(&state, &visitor, &auth, Some((key, &form, &error)), StatusCode::FORBIDDEN).await;
    }
    let met = match op.as_str() {
        "unmet" => None,
        _ => match form.parse() {
            Ok(met) => Some(met),
            Err(e) => {
                let error = i18n.t(&visitor.ui, &format!("form-error-{}", e.field.replace('_', "-")), None);
                let status = StatusCode::UNPROCESSABLE_ENTITY;
                return render(&state, &visitor, &auth, Some((key, &form, &error)), status).await;
            }
        },
    };
    // The signers hear of it when it becomes met, not when its day or notes change.
    let texts = match (&met, &demand.met) {
        (Some(met), None) => Some(crate::mail::news::demand_met(i18n, c, key, met)),
        _ => None,
    };
    let news = texts.as_deref().map(|texts| News { author: &c.contact.name, texts });
    if !state.store.mark_demand(auth.campaign.id, key, met.as_ref(), news, now()).await? {
        return Err(AppError::NotFound);
    }
    if news.is_some() {
        state.mail_queued.notify_one();
    }
    let (action, detail) = match &met {
        Some(m) => ("mark-demand-met", m.on.to_string()),
        None => ("mark-demand-unmet", String::new()),
    };
    audit(
        &state,
        &auth.user,
        Some(auth.campaign.id),
        action,
        format!("campaign {slug}, demand {key}"),
        detail,
    )
    .await;
    state.page_cache.forget(&slug);
    Ok(Redirect::to(&format!("/organise/c/{slug}/demands?saved=1")).into_response())
}
