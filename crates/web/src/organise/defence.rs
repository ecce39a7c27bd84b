//! Bot defence, as organisers see it (`crate::defence`): a campaign's page (its moderators turn
//! the "under attack" mode on and off, edit its block lists and read its trending alerts) and the
//! site's (admins: the site-wide mode and lists). The dashboard shows the mode and why, with the
//! same button ([`dashboard_context`]). Every change is in the audit log.

use axum::Form;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use undersigned_core::ValidationError;
use undersigned_core::account::{Action, User};
use undersigned_core::defence::{AttackCause, BlockKind, SITE, TrendKind, UnderAttack};
use undersigned_core::store::now;

use super::{Authorized, CurrentUser, audit, authorize, authorize_post, authorize_site};
use crate::organise::frame::frame;
use crate::render::forms::FormState;
use crate::{AppError, AppState, Visitor};

const SITE_PATH: &str = "/organise/defence";

/// The block lists as typed, one entry a line.
#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
pub struct BlocksForm {
    blocked_domains: String,
    blocked_ip_ranges: String,
    blocked_ip_hashes: String,
    csrf: String,
}

impl BlocksForm {
    fn text(&self, kind: BlockKind) -> &str {
        match kind {
            BlockKind::Domain => &self.blocked_domains,
            BlockKind::IpRange => &self.blocked_ip_ranges,
            BlockKind::IpHash => &self.blocked_ip_hashes,
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ModeForm {
    /// "on" or "off".
    mode: String,
    /// Where to go back to: "dashboard", or this page.
    back: String,
    csrf: String,
}

/// The mode of a scope, as the pages show it: since when, and why.
fn mode_context(
    state: &AppState,
    visitor: &Visitor,
    mode: Option<&UnderAttack>,
    site: Option<&UnderAttack>,
) -> Value {
    let i18n = &state.pages.i18n;
    let t = |key: &str| i18n.t(&visitor.ui, key, None);
    let when = |at: i64| {
        OffsetDateTime::from_unix_timestamp(at)
            .map(|t| format!("{} {:02}:{:02} UTC", i18n.date(&visitor.ui, t.date()), t.hour(), t.minute()))
            .unwrap_or_default()
    };
    let why = mode.map(|m| match m.cause {
        AttackCause::Hand => format!("{} ({})", t("defence-why-hand"), m.detail),
        AttackCause::Rate => {
            let (signatures, ips) = m.detail.split_once('/').unwrap_or((&m.detail, "?"));
            let mut args = fluent_bundle::FluentArgs::new();
            args.set("signatures", signatures.to_owned());
            args.set("addresses", ips.to_owned());
            args.set("quiet", state.defence.config.quiet_minutes);
            i18n.t(&visitor.ui, "defence-why-rate", Some(&args))
        }
    });
    context! {
        on => mode.is_some(),
        since => mode.map(|m| when(m.since)),
        why => why,
        site_on => site.is_some(),
    }
}

/// What the dashboard shows of the defence: the mode and why, and today's alerts.
pub async fn dashboard_context(
    state: &AppState,
    visitor: &Visitor,
    auth: &Authorized,
) -> Result<Value, AppError> {
    let snapshot = state.defence.snapshot(&*state.store).await?;
    let id = auth.campaign.id;
    let alerts = alerts(state, id).await?;
    Ok(context! {
        mode => mode_context(state, visitor, snapshot.mode_of(id), snapshot.mode_of(SITE)),
        may => auth.may(Action::Moderate),
        alerts => alerts,
    })
}

async fn alerts(state: &AppState, campaign: i64) -> Result<Vec<Value>, AppError> {
    let hour = now().unix_timestamp().div_euclid(3600);
    Ok(state
        .store
        .trend_alerts(campaign, hour - 23)
        .await?
        .iter()
        .map(|a| {
            let at = OffsetDateTime::from_unix_timestamp(a.hour * 3600).map(|t| t.hour()).unwrap_or(0);
            context! {
                domain => (a.kind == TrendKind::Domain).then_some(&a.shown),
                ip_hash => (a.kind == TrendKind::IpHash).then_some(&a.shown),
                count => a.count,
                hour => format!("{at:02}:00 UTC"),
                notified => a.notified,
            }
        })
        .collect())
}

/// A scope's lists as the form shows them, one entry a line.
async fn lists(state: &AppState, scope: i64) -> Result<BlocksForm, AppError> {
    let mut form = BlocksForm::default();
    for (s, kind, value) in state.store.block_lists().await? {
        if s != scope {
            continue;
        }
        let text = match kind {
            BlockKind::Domain => &mut form.blocked_domains,
            BlockKind::IpRange => &mut form.blocked_ip_ranges,
            BlockKind::IpHash => &mut form.blocked_ip_hashes,
        };
        text.push_str(&value);
        text.push('\n');
    }
    Ok(form)
}

/// The page of a scope: the campaign's (with its frame and alerts) or the site's.
async fn page(
    state: &AppState,
    visitor: &Visitor,
    auth: Option<&Authorized>,
    form: FormState<BlocksForm>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let scope = auth.map_or(SITE, |a| a.campaign.id);
    let snapshot = state.defence.snapshot(&*state.store).await?;
    let (frame, alerts, action) = match auth {
        Some(auth) => (
            Some(frame(state, visitor, auth)),
            alerts(state, scope).await?,
            format!("/organise/c/{}/defence", auth.campaign.content.slug),
        ),
        None => (None, Vec::new(), SITE_PATH.to_owned()),
    };
    let page = context! {
        title => state.pages.i18n.t(&visitor.ui, "defence-heading", None),
        frame => frame,
        action => action,
        mode => mode_context(state, visitor, snapshot.mode_of(scope), snapshot.mode_of(SITE)),
        alerts => alerts,
        form => form,
    };
    let html = state.pages.render("organise/defence.html", visitor, page)?;
    Ok((status, html).into_response())
}

pub async fn campaign_page(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::Moderate, uri.path()).await?;
    let form = FormState::new(lists(&state, auth.campaign.id).await?);
    page(&state, &visitor, Some(&auth), form, StatusCode::OK).await
}

pub async fn site_page(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
) -> Result<Response, AppError> {
    authorize_site(current, Action::Administer, SITE_PATH)?;
    let form = FormState::new(lists(&state, SITE).await?);
    page(&state, &visitor, None, form, StatusCode::OK).await
}

/// Turns a scope's mode on or off by hand (replacing an automatic one), and records who did.
async fn set_mode(state: &AppState, user: &User, scope: i64, on: bool) -> Result<(), AppError> {
    let now = now().unix_timestamp();
    let mode = on.then(|| UnderAttack {
        scope,
        since: now,
        cause: AttackCause::Hand,
        detail: user.name.clone(),
        busy_at: now,
    });
    state.store.set_under_attack(scope, mode.as_ref()).await?;
    state.defence.changed();
    let campaign = (scope != SITE).then_some(scope);
    let subject = campaign.map_or("the whole site".to_owned(), |id| format!("campaign #{id}"));
    let action = if on { "under-attack-on" } else { "under-attack-off" };
    audit(state, user, campaign, action, subject, String::new()).await;
    Ok(())
}

pub async fn campaign_mode(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
    Form(form): Form<ModeForm>,
) -> Result<Response, AppError> {
    let auth =
        authorize_post(&state, &visitor, current, &slug, Action::Moderate, uri.path(), &form.csrf).await?;
    set_mode(&state, &auth.user, auth.campaign.id, mode_on(&form)?).await?;
    let back = if form.back == "dashboard" { String::new() } else { "/defence".into() };
    Ok(Redirect::to(&format!("/organise/c/{slug}{back}")).into_response())
}

pub async fn site_mode(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Form(form): Form<ModeForm>,
) -> Result<Response, AppError> {
    let admin = authorize_site(current, Action::Administer, SITE_PATH)?;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    set_mode(&state, &admin, SITE, mode_on(&form)?).await?;
    Ok(Redirect::to(SITE_PATH).into_response())
}

fn mode_on(form: &ModeForm) -> Result<bool, AppError> {
    match form.mode.as_str() {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err(AppError::BadRequest),
    }
}

/// Reads the three lists; every field's errors, each naming its line.
fn parse_lists(form: &BlocksForm) -> Result<Vec<(BlockKind, Vec<String>)>, Vec<ValidationError>> {
    let (mut lists, mut errors) = (Vec::new(), Vec::new());
    for kind in BlockKind::ALL {
        match kind.list(form.text(kind)) {
            Ok(entries) => lists.push((kind, entries)),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() { Ok(lists) } else { Err(errors) }
}

async fn save_lists(
    state: &AppState,
    visitor: &Visitor,
    user: &User,
    auth: Option<&Authorized>,
    form: BlocksForm,
) -> Result<Response, AppError> {
    let scope = auth.map_or(SITE, |a| a.campaign.id);
    let lists = match parse_lists(&form) {
        Ok(lists) => lists,
        Err(errors) => {
            let i18n = &state.pages.i18n;
            let mut typed = FormState::new(form).with_errors(i18n, &visitor.ui, &errors);
            // The rule, and which line broke it.
            for e in &errors {
                if let Some(message) = typed.errors.get_mut(&e.field) {
                    *message = format!("{message} ({})", e.reason);
                }
            }
            return page(state, visitor, auth, typed, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let mut summary = Vec::new();
    for (kind, entries) in &lists {
        state.store.set_block_list(scope, *kind, entries).await?;
        summary.push(format!("{}: {}", kind.as_str(), entries.len()));
    }
    state.defence.changed();
    let campaign = (scope != SITE).then_some(scope);
    let subject = campaign.map_or("the whole site".to_owned(), |id| format!("campaign #{id}"));
    audit(state, user, campaign, "block-lists", subject, summary.join(", ")).await;
    let to =
        auth.map_or(SITE_PATH.to_owned(), |a| format!("/organise/c/{}/defence", a.campaign.content.slug));
    Ok(Redirect::to(&to).into_response())
}

pub async fn campaign_blocks(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
    Form(form): Form<BlocksForm>,
) -> Result<Response, AppError> {
    let auth =
        authorize_post(&state, &visitor, current, &slug, Action::Moderate, uri.path(), &form.csrf).await?;
    let user = auth.user.clone();
    save_lists(&state, &visitor, &user, Some(&auth), form).await
}

pub async fn site_blocks(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Form(form): Form<BlocksForm>,
) -> Result<Response, AppError> {
    let admin = authorize_site(current, Action::Administer, SITE_PATH)?;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    save_lists(&state, &visitor, &admin, None, form).await
}
