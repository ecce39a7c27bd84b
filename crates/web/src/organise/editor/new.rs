//! `/organise/new`: an admin (or any organiser, where the site lets them) starts a campaign, a draft with one language version and a title.

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};
use undersigned_core::account::Action;
use undersigned_core::proposal::WhoStarts;
use undersigned_core::store::now;
use undersigned_core::{
    CampaignContent, CampaignStatus, CampaignVersion, Contact, Lang, Slug, StoreError, ValidationError,
};

use crate::organise::{CurrentUser, audit, authorize_site};
use crate::render::forms::FormState;
use crate::{AppError, AppState, Visitor};

#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct NewCampaignForm {
    slug: String,
    title: String,
    lang: String,
    #[serde(skip_serializing)]
    csrf: String,
}

/// Admins start campaigns; any organiser does too where the site lets them
/// (`undersigned_core::proposal::WhoStarts`).
async fn may_start(
    state: &AppState,
    current: CurrentUser,
) -> Result<undersigned_core::account::User, AppError> {
    let who = state.store.site_settings().await?.who_starts;
    let factor = current.1;
    match current.0 {
        Some(user) if !user.is_admin && who >= WhoStarts::Organisers => Ok(user),
        current => authorize_site(CurrentUser(current, factor), Action::Administer, "/organise/new"),
    }
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
    Ok((status, state.pages.render("organise/new.html", visitor, page)?).into_response())
}

pub async fn new_page(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
) -> Result<Response, AppError> {
    may_start(&state, current).await?;
    let form = NewCampaignForm { lang: visitor.ui.to_string(), ..Default::default() };
    render_new(&state, &visitor, FormState::new(form), StatusCode::OK)
}

pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Form(form): Form<NewCampaignForm>,
) -> Result<Response, AppError> {
    let user = may_start(&state, current).await?;
    let i18n = &state.pages.i18n;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        let page = FormState::new(form.clone()).with_alert(i18n.t(&visitor.ui, "form-error-csrf", None));
        return render_new(&state, &visitor, page, StatusCode::FORBIDDEN);
    }
    let slug = Slug::parse("slug", &form.slug);
    let lang = Lang::parse("lang", &form.lang);
    let version = lang.clone().and_then(|l| CampaignVersion::parse(l, &form.title, "", "", ""));
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
        demands: Vec::new(),
        embed_sites: Default::default(),
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
