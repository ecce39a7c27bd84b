//! A campaign's own questions on its sign form (`/organise/c/{slug}/questions`): each asked
//! question's prompt (and choices) per language version, whether it must be answered, and one
//! more to add; those taken away are retired once people have signed (`undersigned_core::question`).

use std::collections::BTreeMap;

use axum::Form;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use undersigned_core::Lang;
use undersigned_core::account::Action;
use undersigned_core::question::{MAX_QUESTIONS, Question, QuestionKind, parse_edit};
use undersigned_core::store::now;

use super::{Authorized, CurrentUser, audit, authorize};
use crate::organise::frame::frame;
use crate::render::forms::FormState;
use crate::{AppError, AppState, Visitor};

/// The form's fields by name (see `undersigned_core::question::parse_edit`), and its token.
type Fields = BTreeMap<String, String>;

/// The campaign's languages, the default first.
fn langs(auth: &Authorized) -> Vec<Lang> {
    auth.campaign.content.versions.iter().map(|v| v.lang.clone()).collect()
}

/// The fields as the stored questions fill them.
fn fields_of(questions: &[Question], langs: &[Lang]) -> Fields {
    let mut fields = Fields::new();
    for q in questions.iter().filter(|q| !q.retired) {
        for lang in langs {
            let tag = lang.as_str();
            fields.insert(format!("q{}-prompt-{tag}", q.id), q.prompts.get(tag).cloned().unwrap_or_default());
            let labels: Vec<&str> = q.choices.iter().map(|c| c.get(tag).map_or("", String::as_str)).collect();
            fields.insert(format!("q{}-choices-{tag}", q.id), labels.join("\n"));
        }
        if q.required {
            fields.insert(format!("q{}-required", q.id), "on".to_owned());
        }
    }
    fields
}

async fn render(
    state: &AppState,
    visitor: &Visitor,
    auth: &Authorized,
    questions: &[Question],
    form: FormState<Fields>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let i18n = &state.pages.i18n;
    let (ui, default) = (&visitor.ui, &auth.campaign.content.default_lang);
    let kind = |k: QuestionKind| i18n.t(ui, &format!("questions-kind-{}", k.as_str()), None);
    let langs: Vec<Value> =
        langs(auth).iter().map(|l| context! { tag => l.as_str(), language => i18n.native_name(l) }).collect();
    let shown = |q: &Question| {
        context! {
            id => q.id,
            prefix => format!("q{}", q.id),
            kind => q.kind.as_str(),
            kind_label => kind(q.kind),
            prompt => q.prompt_in(ui, default),
        }
    };
    let asked: Vec<Value> = questions.iter().filter(|q| !q.retired).map(shown).collect();
    let retired: Vec<Value> = questions.iter().filter(|q| q.retired).map(shown).collect();
    let kinds: Vec<Value> =
        QuestionKind::ALL.iter().map(|k| context! { value => k.as_str(), label => kind(*k) }).collect();
    let page = context! {
        title => i18n.t(ui, "organise-tab-questions", None),
        frame => frame(state, visitor, auth),
        form => form,
        langs => langs,
        asked => asked,
        retired => retired,
        kinds => kinds,
        may_add => questions.iter().filter(|q| !q.retired).count() < MAX_QUESTIONS,
    };
    Ok((status, state.pages.render("organise/questions.html", visitor, page)?).into_response())
}

pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::EditCampaign, uri.path()).await?;
    let questions = state.store.questions(auth.campaign.id).await?;
    let form = FormState::new(fields_of(&questions, &langs(&auth)));
    render(&state, &visitor, &auth, &questions, form, StatusCode::OK).await
}

pub async fn save(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
    Form(mut fields): Form<Fields>,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::EditCampaign, uri.path()).await?;
    let i18n = &state.pages.i18n;
    let csrf = fields.remove("csrf").unwrap_or_default();
    let questions = state.store.questions(auth.campaign.id).await?;
    if !visitor.csrf_ok(&state.keys, &csrf) {
        let page = FormState::new(fields).with_alert(i18n.t(&visitor.ui, "form-error-csrf", None));
        return render(&state, &visitor, &auth, &questions, page, StatusCode::FORBIDDEN).await;
    }
    let in_use = state.store.has_signatures(auth.campaign.id).await?;
    let edit = match parse_edit(&fields, &questions, &langs(&auth), in_use) {
        Ok(edit) => edit,
        Err(errors) => {
            let page = FormState::new(fields).with_errors(i18n, &visitor.ui, &errors);
            return render(&state, &visitor, &auth, &questions, page, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    state.store.save_questions(auth.campaign.id, &edit, now()).await?;
    let detail = format!("{} asked, {} taken away", edit.asked.len(), edit.removed.len());
    audit(&state, &auth.user, Some(auth.campaign.id), "set-questions", format!("campaign {slug}"), detail)
        .await;
    state.page_cache.forget(&slug);
    Ok(Redirect::to(&format!("/organise/c/{slug}/questions")).into_response())
}
