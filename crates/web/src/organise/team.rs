//! A campaign's team: who helps run it and in which role; its owners invite people with a role and
//! take them off again (the last owner stays).

use axum::Form;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::Deserialize;
use undersigned_core::ValidationError;
use undersigned_core::account::{Action, Role};
use undersigned_core::store::now;

use crate::organise::frame::frame;
use crate::organise::{Authorized, CurrentUser, InviteForm, audit, authorize, parse_invitee, step_up};
use crate::render::forms::FormState;
use crate::render::messages::ButtonForm;
use crate::{AppError, AppState, Visitor};

async fn render_team(
    state: &AppState,
    visitor: &Visitor,
    auth: &Authorized,
    form: FormState<InviteForm>,
    status: StatusCode,
) -> Result<Response, AppError> {
    render_team_page(state, visitor, auth, form, status, None).await
}

/// The team page again with what was refused about it.
pub async fn team_with_alert(
    state: &AppState,
    visitor: &Visitor,
    auth: &Authorized,
    alert: String,
) -> Result<Response, AppError> {
    let alert = Some(alert);
    let form = FormState::new(InviteForm { role: "moderator".into(), ..Default::default() });
    render_team_page(state, visitor, auth, form, StatusCode::CONFLICT, alert).await
}

async fn render_team_page(
    state: &AppState,
    visitor: &Visitor,
    auth: &Authorized,
    form: FormState<InviteForm>,
    status: StatusCode,
    team_alert: Option<String>,
) -> Result<Response, AppError> {
    let team: Vec<Value> = state
        .store
        .team(auth.campaign.id)
        .await?
        .into_iter()
        .map(|(u, r)| context! { id => u.id, name => u.name, email => u.email, role => r.as_str() })
        .collect();
    let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
    let page = context! {
        title => state.pages.i18n.t(&visitor.ui, "organise-tab-team", None),
        frame => frame(state, visitor, auth),
        team => team,
        team_alert => team_alert,
        roles => roles,
        form => form,
    };
    Ok((status, state.pages.render("organise/team.html", visitor, page)?).into_response())
}

pub async fn team(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::ManageTeam, uri.path()).await?;
    let form = InviteForm { role: "moderator".into(), ..Default::default() };
    render_team(&state, &visitor, &auth, FormState::new(form), StatusCode::OK).await
}

/// An owner invites someone to the campaign's team, with a role.
pub async fn invite_to_team(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
    Form(form): Form<InviteForm>,
) -> Result<Response, AppError> {
    let factor = current.1;
    let auth = authorize(&state, current, &slug, Action::ManageTeam, uri.path()).await?;
    let i18n = &state.pages.i18n;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        let page = FormState::new(form.clone()).with_alert(i18n.t(&visitor.ui, "form-error-csrf", None));
        return render_team(&state, &visitor, &auth, page, StatusCode::FORBIDDEN).await;
    }
    step_up(factor, &format!("/organise/c/{slug}/team"))?;
    let role = Role::parse("role", &form.role);
    let invitee = parse_invitee(&form, false);
    let (invitee, role) = match (invitee, role) {
        (Ok(u), Ok(r)) => (u, r),
        (u, r) => {
            let errors: Vec<ValidationError> = u.err().into_iter().flatten().chain(r.err()).collect();
            let page = FormState::new(form.clone()).with_errors(i18n, &visitor.ui, &errors);
            return render_team(&state, &visitor, &auth, page, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let id = state.store.invite(&invitee, Some((auth.campaign.id, role)), now()).await?;
    state.mail_queued.notify_one();
    audit(
        &state,
        &auth.user,
        Some(auth.campaign.id),
        "give-role",
        format!("user #{id} {}", invitee.email),
        role.as_str().into(),
    )
    .await;
    Ok(Redirect::to(&format!("/organise/c/{slug}/team")).into_response())
}

#[derive(Deserialize)]
pub struct Member {
    slug: String,
    user: i64,
}

/// An owner (or admin) takes someone off the campaign's team; the last owner stays.
pub async fn remove_from_team(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(Member { slug, user }): Path<Member>,
    OriginalUri(uri): OriginalUri,
    Form(form): Form<ButtonForm>,
) -> Result<Response, AppError> {
    let factor = current.1;
    let auth = authorize(&state, current, &slug, Action::ManageTeam, uri.path()).await?;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    step_up(factor, &format!("/organise/c/{slug}/team"))?;
    let team = state.store.team(auth.campaign.id).await?;
    let Some((member, role)) = team.iter().find(|(u, _)| u.id == user) else {
        return Err(AppError::NotFound);
    };
    let owners = team.iter().filter(|(_, r)| *r == Role::Owner).count();
    if *role == Role::Owner && owners == 1 {
        let alert = state.pages.i18n.t(&visitor.ui, "team-error-last-owner", None);
        return team_with_alert(&state, &visitor, &auth, alert).await;
    }
    state.store.set_role(auth.campaign.id, user, None).await?;
    let subject = format!("user #{user} {}", member.email);
    audit(&state, &auth.user, Some(auth.campaign.id), "remove-from-team", subject, role.as_str().into())
        .await;
    Ok(Redirect::to(&format!("/organise/c/{slug}/team")).into_response())
}
