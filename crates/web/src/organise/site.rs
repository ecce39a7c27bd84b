//! The organisers' home (their campaigns), and what admins do for the whole site: invite
//! organisers, read the audit log.

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use minijinja::{Value, context};
use undersigned_core::Campaign;
use undersigned_core::account::{Action, Role, User, allowed};
use undersigned_core::proposal::WhoStarts;
use undersigned_core::store::now;

use super::{CurrentUser, InviteForm, audit, authorize_site, parse_invitee};
use crate::render::campaign::version_for;
use crate::render::forms::FormState;
use crate::render::messages::message;
use crate::{AppError, AppState, Visitor};

pub async fn home(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
) -> Result<Response, AppError> {
    let Some(user) = current.0 else { return Err(AppError::LoginRequired { next: "/organise".into() }) };
    let campaigns: Vec<(Campaign, Option<Role>)> = if user.is_admin {
        state.store.all_campaigns().await?.into_iter().map(|c| (c, None)).collect()
    } else {
        let mut mine = Vec::new();
        for (id, role) in state.store.campaigns_of(user.id).await? {
            if let Some(c) = state.store.campaign_by_id(id).await? {
                mine.push((c, Some(role)));
            }
        }
        mine
    };
    let items: Vec<Value> = campaigns
        .iter()
        .map(|(c, role)| {
            let v = version_for(c, &visitor);
            context! {
                title => &v.title,
                lang => v.lang.as_str(),
                href => format!("/organise/c/{}", c.content.slug),
                status => c.content.status.as_str(),
                role => role.map(|r| r.as_str()),
            }
        })
        .collect();
    let page = context! {
        title => state.pages.i18n.t(&visitor.ui, "organise-heading", None),
        user => &user,
        campaigns => items,
        admin => allowed(Some(&user), None, Action::Administer),
        may_start => user.is_admin || state.store.site_settings().await?.who_starts >= WhoStarts::Organisers,
    };
    Ok(state.pages.render("organise/home.html", &visitor, page)?.into_response())
}

pub async fn audit_log(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
) -> Result<Response, AppError> {
    authorize_site(current, Action::Administer, "/organise/audit")?;
    let entries = state.store.audit_log(None, 500).await?;
    let rows: Vec<Value> = entries
        .iter()
        .map(|e| {
            context! {
                at => e.at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
                actor => &e.actor,
                campaign => e.campaign_id,
                action => &e.action,
                subject => &e.subject,
                detail => &e.detail,
            }
        })
        .collect();
    let page = context! { title => state.pages.i18n.t(&visitor.ui, "audit-heading", None), entries => rows };
    Ok(state.pages.render("organise/audit.html", &visitor, page)?.into_response())
}

fn render_invite(
    state: &AppState,
    visitor: &Visitor,
    form: FormState<InviteForm>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let page = context! { title => state.pages.i18n.t(&visitor.ui, "invite-heading", None), form => form };
    Ok((status, state.pages.render("organise/invite.html", visitor, page)?).into_response())
}

pub async fn invite_page(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
) -> Result<Response, AppError> {
    authorize_site(current, Action::Administer, "/organise/invite")?;
    render_invite(&state, &visitor, FormState::empty(), StatusCode::OK)
}

/// An admin invites an organiser (or another admin) to the site.
pub async fn invite(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Form(form): Form<InviteForm>,
) -> Result<Response, AppError> {
    let admin = authorize_site(current, Action::Administer, "/organise/invite")?;
    let i18n = &state.pages.i18n;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        let page = FormState::new(form.clone()).with_alert(i18n.t(&visitor.ui, "form-error-csrf", None));
        return render_invite(&state, &visitor, page, StatusCode::FORBIDDEN);
    }
    let invitee = match parse_invitee(&form, form.admin.is_some()) {
        Ok(u) => u,
        Err(errors) => {
            let page = FormState::new(form.clone()).with_errors(i18n, &visitor.ui, &errors);
            return render_invite(&state, &visitor, page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let t = |key: &str| i18n.t(&visitor.ui, key, None);
    let back = Some(("/organise".into(), t("organise-back")));
    if let Some((existing, _)) = state.store.user_by_email(&invitee.email).await? {
        return invite_existing(&state, &visitor, &admin, &existing, invitee.is_admin).await;
    }
    let id = state.store.invite(&invitee, None, now()).await?;
    state.mail_queued.notify_one();
    let detail = if invitee.is_admin { "admin" } else { "organiser" };
    audit(&state, &admin, None, "invite", format!("user #{id} {}", invitee.email), detail.into()).await;
    message(&state, &visitor, StatusCode::OK, t("invite-sent-heading"), vec![t("invite-sent-text")], back)
}

/// Inviting an address that has an account already: as an admin, the account becomes one (and
/// the audit log says so); otherwise nothing changes, and the page says that.
async fn invite_existing(
    state: &AppState,
    visitor: &Visitor,
    admin: &User,
    existing: &User,
    as_admin: bool,
) -> Result<Response, AppError> {
    let t = |key: &str| state.pages.i18n.t(&visitor.ui, key, None);
    let granted = as_admin && !existing.is_admin;
    if granted {
        state.store.set_admin(existing.id, true).await?;
        let subject = format!("user #{} {}", existing.id, existing.email);
        audit(state, admin, None, "grant-admin", subject, "invited again as an admin".into()).await;
    }
    let text = if as_admin { t("invite-existing-admin-text") } else { t("invite-existing-text") };
    let back = Some(("/organise".into(), t("organise-back")));
    message(state, visitor, StatusCode::OK, t("invite-existing-heading"), vec![text], back)
}
