//! Admins write the site's own pages (privacy notice, terms, imprint, accessibility statement),
//! one per language, in the browser: `/organise/pages` lists them with where each stands,
//! `/organise/pages/{page}/{lang}` edits one (title and Markdown text, with a preview), and its
//! `delete` takes a text away (the built-in one shows again where there is one).

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};
use undersigned_core::Lang;
use undersigned_core::account::Action;
use undersigned_core::site_page::{SitePage, SitePageKind, SitePageText};
use undersigned_core::store::now;

use crate::organise::{CurrentUser, audit, authorize_site};
use crate::render::forms::FormState;
use crate::render::markdown;
use crate::render::site_pages::{Facts, built_in};
use crate::{AppError, AppState, Visitor};

const PATH: &str = "/organise/pages";

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Done {
    saved: Option<String>,
    deleted: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Query(done): Query<Done>,
) -> Result<Response, AppError> {
    authorize_site(current, Action::Administer, PATH)?;
    let (i18n, ui) = (&state.pages.i18n, &visitor.ui);
    let stored = state.store.site_pages().await?;
    let pages: Vec<Value> = SitePageKind::ALL
        .into_iter()
        .map(|kind| {
            let versions: Vec<Value> = i18n
                .langs()
                .iter()
                .map(|lang| {
                    let written = stored.iter().find(|p| p.kind == kind && p.lang == *lang);
                    let state = match written {
                        Some(SitePage { changed_by: Some(name), changed_at, .. }) => {
                            let date = i18n.date(ui, changed_at.date());
                            let mut args = fluent_bundle::FluentArgs::new();
                            args.set("name", name.clone());
                            args.set("date", date);
                            i18n.t(ui, "site-pages-state-written", Some(&args))
                        }
                        Some(page) => i18n.t1(
                            ui,
                            "site-pages-state-written-gone",
                            "date",
                            i18n.date(ui, page.changed_at.date()),
                        ),
                        None if kind.has_default() => i18n.t(ui, "site-pages-state-built-in", None),
                        None => i18n.t(ui, "site-pages-state-missing", None),
                    };
                    context! {
                        lang => lang.as_str(),
                        language => i18n.native_name(lang),
                        state => state,
                        written => written.is_some(),
                        href => format!("{PATH}/{}/{lang}", kind.as_str()),
                    }
                })
                .collect();
            context! {
                kind => kind.as_str(),
                exists => state.pages.site_pages.exists(kind),
                versions => versions,
            }
        })
        .collect();
    let page = context! {
        title => i18n.t(ui, "site-pages-heading", None),
        pages => pages,
        saved => done.saved.is_some(),
        deleted => done.deleted.is_some(),
    };
    Ok(state.pages.render("organise/site-pages.html", &visitor, page)?.into_response())
}

/// The page and language of an address, if the site has them.
fn which(state: &AppState, page: &str, lang: &str) -> Result<(SitePageKind, Lang), AppError> {
    let kind = SitePageKind::parse(page).ok_or(AppError::NotFound)?;
    let lang = Lang::parse("lang", lang).map_err(|_| AppError::NotFound)?;
    if !state.pages.i18n.supports(&lang) {
        return Err(AppError::NotFound);
    }
    Ok((kind, lang))
}

/// The edit form's fields.
#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct PageForm {
    page_title: String,
    page_body: String,
    /// `save` or `preview`.
    #[serde(skip_serializing)]
    action: String,
    #[serde(skip_serializing)]
    csrf: String,
}

/// What the edit page shows besides the form.
struct Editing {
    kind: SitePageKind,
    lang: Lang,
    /// Whether a text is stored (it can be deleted).
    stored: bool,
    /// Whether the form starts from the built-in text.
    from_default: bool,
    /// The text as it would show, before saving.
    preview: Option<String>,
}

fn render_edit(
    state: &AppState,
    visitor: &Visitor,
    editing: Editing,
    form: FormState<PageForm>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (i18n, ui) = (&state.pages.i18n, &visitor.ui);
    let (kind, lang) = (editing.kind, &editing.lang);
    let mut args = fluent_bundle::FluentArgs::new();
    args.set("page", i18n.t(ui, &format!("site-page-{}", kind.as_str()), None));
    args.set("language", i18n.native_name(lang));
    let page = context! {
        title => i18n.t(ui, "site-page-edit-heading", Some(&args)),
        kind => kind.as_str(),
        page_lang => lang.as_str(),
        action => format!("{PATH}/{}/{lang}", kind.as_str()),
        exists => state.pages.site_pages.exists(kind),
        stored => editing.stored,
        from_default => editing.from_default,
        has_default => kind.has_default(),
        preview => editing.preview,
        form => form,
    };
    Ok((status, state.pages.render("organise/site-page.html", visitor, page)?).into_response())
}

pub async fn edit_page(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path((page, lang)): Path<(String, String)>,
) -> Result<Response, AppError> {
    authorize_site(current, Action::Administer, PATH)?;
    let (kind, lang) = which(&state, &page, &lang)?;
    let stored = state.store.site_page(kind, &lang).await?;
    let from_default = stored.is_none() && kind.has_default();
    // Not written yet: the built-in text to start from where there is one, else the page's name.
    let text = match &stored {
        Some(page) => page.text.clone(),
        None => built_in(&state.pages.i18n, &lang, kind, Facts::of(&state)).unwrap_or_else(|| SitePageText {
            title: state.pages.i18n.t(&lang, &format!("site-page-{}", kind.as_str()), None),
            body: String::new(),
        }),
    };
    let form = PageForm { page_title: text.title, page_body: text.body, ..Default::default() };
    let editing = Editing { kind, lang, stored: stored.is_some(), from_default, preview: None };
    render_edit(&state, &visitor, editing, FormState::new(form), StatusCode::OK)
}

pub async fn save(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path((page, lang)): Path<(String, String)>,
    Form(form): Form<PageForm>,
) -> Result<Response, AppError> {
    let user = authorize_site(current, Action::Administer, PATH)?;
    let (kind, lang) = which(&state, &page, &lang)?;
    let (i18n, ui) = (&state.pages.i18n, &visitor.ui);
    let stored = state.store.site_page(kind, &lang).await?.is_some();
    let editing = Editing { kind, lang: lang.clone(), stored, from_default: false, preview: None };
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        let page = FormState::new(form.clone()).with_alert(i18n.t(ui, "form-error-csrf", None));
        return render_edit(&state, &visitor, editing, page, StatusCode::FORBIDDEN);
    }
    let text = match SitePageText::parse(&form.page_title, &form.page_body) {
        Ok(text) => text,
        Err(errors) => {
            let page = FormState::new(form.clone()).with_errors(i18n, ui, &errors);
            return render_edit(&state, &visitor, editing, page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    if form.action == "preview" {
        let editing = Editing { preview: Some(markdown::render(&text.body)), ..editing };
        return render_edit(&state, &visitor, editing, FormState::new(form), StatusCode::OK);
    }
    state.store.save_site_page(kind, &lang, &text, user.id, now()).await?;
    changed(&state, kind, &lang, true);
    let subject = format!("{} ({lang})", kind.as_str());
    audit(&state, &user, None, "site-page", subject, format!("saved: {}", text.title)).await;
    Ok(Redirect::to(&format!("{PATH}?saved={}", kind.as_str())).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DeleteForm {
    csrf: String,
}

pub async fn delete(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path((page, lang)): Path<(String, String)>,
    Form(form): Form<DeleteForm>,
) -> Result<Response, AppError> {
    let user = authorize_site(current, Action::Administer, PATH)?;
    let (kind, lang) = which(&state, &page, &lang)?;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    if state.store.delete_site_page(kind, &lang).await? {
        changed(&state, kind, &lang, false);
        let subject = format!("{} ({lang})", kind.as_str());
        audit(&state, &user, None, "delete-site-page", subject, String::new()).await;
    }
    Ok(Redirect::to(&format!("{PATH}?deleted={}", kind.as_str())).into_response())
}

/// After a change: the footers (every page's) and the page itself are rendered anew at once.
fn changed(state: &AppState, kind: SitePageKind, lang: &Lang, written: bool) {
    state.pages.site_pages.changed(kind, lang, written);
    state.page_cache.clear();
}
