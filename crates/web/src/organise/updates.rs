//! Posting updates: a text per language version, published on the campaign's page and feeds, and
//! mailed (if chosen) to every signer who asked for news, in the language they signed in.

use axum::Form;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use undersigned_core::account::Action;
use undersigned_core::store::{UpdateText, now};
use undersigned_core::validation;

use super::{Authorized, CurrentUser, audit, authorize};
use crate::organise::frame::frame;
use crate::render::forms::FormState;
use crate::render::updates;
use crate::{AppError, AppState, Visitor};

pub const BODY_MAX: usize = 20_000;

async fn render(
    state: &AppState,
    visitor: &Visitor,
    auth: &Authorized,
    typed: &[(String, String)],
    form: FormState<()>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let i18n = &state.pages.i18n;
    let value = |name: &str| typed.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str()).to_owned();
    let versions: Vec<Value> = auth
        .campaign
        .content
        .versions
        .iter()
        .map(|v| {
            let lang = v.lang.as_str();
            context! {
                lang => lang,
                name => i18n.native_name(&v.lang),
                title => value(&format!("title_{lang}")),
                body => value(&format!("body_{lang}")),
                title_error => form.errors.get(&format!("title_{lang}")),
                body_error => form.errors.get(&format!("body_{lang}")),
                required => v.lang == auth.campaign.content.default_lang,
            }
        })
        .collect();
    let past = state.store.updates(Some(auth.campaign.id), 50).await?;
    let past: Vec<Value> = updates::for_page(state, visitor, &auth.campaign, &past);
    let page = context! {
        title => i18n.t(&visitor.ui, "organise-tab-updates", None),
        frame => frame(state, visitor, auth),
        versions => versions,
        mail => typed.is_empty() || typed.iter().any(|(k, _)| k == "mail"),
        alert => form.alert,
        past => past,
    };
    Ok((status, state.pages.render("organise/updates.html", visitor, page)?).into_response())
}

pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::EditCampaign, uri.path()).await?;
    render(&state, &visitor, &auth, &[], FormState::new(()), StatusCode::OK).await
}

pub async fn post(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::EditCampaign, uri.path()).await?;
    let i18n = &state.pages.i18n;
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str());
    if !visitor.csrf_ok(&state.keys, field("csrf")) {
        let form = FormState::new(()).with_alert(i18n.t(&visitor.ui, "form-error-csrf", None));
        return render(&state, &visitor, &auth, &fields, form, StatusCode::FORBIDDEN).await;
    }
    let mut texts = Vec::new();
    let mut errors: Vec<(String, &str)> = Vec::new();
    for version in &auth.campaign.content.versions {
        let lang = version.lang.as_str();
        let (title, body) = (field(&format!("title_{lang}")), field(&format!("body_{lang}")));
        let required = version.lang == auth.campaign.content.default_lang;
        if !required && title.trim().is_empty() && body.trim().is_empty() {
            continue;
        }
        let title_ok = validation::text("title", title, 1, 200, false);
        let body_ok = validation::text("body", body, 1, BODY_MAX, true);
        if title_ok.is_err() {
            errors.push((format!("title_{lang}"), "form-error-update-title"));
        }
        if body_ok.is_err() {
            errors.push((format!("body_{lang}"), "form-error-update-body"));
        }
        if let (Ok(title), Ok(body)) = (title_ok, body_ok) {
            texts.push(UpdateText { lang: version.lang.clone(), title, body });
        }
    }
    if !errors.is_empty() {
        let mut form = FormState::new(());
        form.alert = Some(i18n.t(&visitor.ui, "form-alert-check", None));
        for (name, key) in errors {
            form.errors.insert(name.clone(), i18n.t(&visitor.ui, key, None));
            form.order.push(name);
        }
        return render(&state, &visitor, &auth, &fields, form, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let mail = fields.iter().any(|(k, _)| k == "mail");
    let id = state.store.post_update(auth.campaign.id, &auth.user.name, &texts, mail, now()).await?;
    if mail {
        state.mail_queued.notify_one();
    }
    let detail = if mail { "mailed to the signers who asked for news" } else { "not mailed" };
    audit(&state, &auth.user, Some(auth.campaign.id), "post-update", format!("update #{id}"), detail.into())
        .await;
    Ok(Redirect::to(&format!("/organise/c/{slug}/updates")).into_response())
}
