//! `/organise/tokens`: an organiser's API tokens (an admin sees everyone's), the form that makes
//! one (shown once, then only its prefix), and revoking one. Who may hold which token is
//! `undersigned_core::api_token::may_hold`'s to say, as `allowed` says for pages: a site-wide
//! token only for admins, a campaign's only for its team, `pii:read` only for who may export the
//! signers' addresses (owners). Making and revoking are in the audit log.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use undersigned_core::account::{AuditEntry, User};
use undersigned_core::api_token::{
    self, ApiToken, NewToken, Refused, Scope, Scopes, Secret, TokenState, default_last_day,
};
use undersigned_core::store::now;
use undersigned_core::{Campaign, CampaignId, ValidationError};

use super::CurrentUser;
use crate::render::campaign::version_for;
use crate::render::forms::FormState;
use crate::render::messages::ButtonForm;
use crate::{AppError, AppState, Visitor};

const TOKENS: &str = "/organise/tokens";

/// What the campaign field says for a site-wide token.
const SITE: &str = "site";

/// The form that makes a token. Each scope is a checkbox of its own.
#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct TokenForm {
    token_name: String,
    token_campaign: String,
    pii_read: Option<String>,
    signatures_import: Option<String>,
    webhooks_manage: Option<String>,
    token_expires: String,
    #[serde(skip_serializing)]
    csrf: String,
}

/// A token the form asks for, checked.
struct Asked {
    name: String,
    campaign: Option<Campaign>,
    scopes: Scopes,
    expires_at: OffsetDateTime,
}

impl TokenForm {
    fn scopes(&self) -> Scopes {
        let ticked = [
            (Scope::PiiRead, &self.pii_read),
            (Scope::SignaturesImport, &self.signatures_import),
            (Scope::WebhooksManage, &self.webhooks_manage),
        ];
        Scopes::new(ticked.into_iter().filter(|(_, box_)| box_.is_some()).map(|(scope, _)| scope))
    }

    /// Every field checked, against the campaigns `user` may choose among, every error at once.
    async fn parse(
        &self,
        state: &AppState,
        user: &User,
        campaigns: &[Campaign],
    ) -> Result<Asked, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let name = api_token::token_name("token_name", &self.token_name).map_err(|e| errors.push(e)).ok();
        let campaign = match self.token_campaign.as_str() {
            SITE => Some(None),
            slug => campaigns.iter().find(|c| c.content.slug.as_str() == slug).map(|c| Some(c.clone())),
        };
        if campaign.is_none() {
            errors.push(ValidationError::new("token_campaign", "choose a campaign of yours"));
        }
        let scopes = self.scopes();
        if let Some(campaign) = &campaign {
            let id = campaign.as_ref().map(|c| c.id);
            let role = match id {
                Some(id) if !user.is_admin => state.store.role(id, user.id).await.ok().flatten(),
                _ => None,
            };
            match api_token::may_hold(user, id, role, &scopes) {
                Ok(()) => {}
                Err(Refused::Scope(_)) => errors.push(ValidationError::new("token_scopes", "not allowed")),
                Err(_) => errors.push(ValidationError::new("token_campaign", "not allowed")),
            }
        }
        let expires_at =
            api_token::expiry("token_expires", &self.token_expires, now()).map_err(|e| errors.push(e)).ok();
        match (name, campaign, expires_at) {
            (Some(name), Some(campaign), Some(expires_at)) if errors.is_empty() => {
                Ok(Asked { name, campaign, scopes, expires_at })
            }
            _ => Err(errors),
        }
    }
}

/// The campaigns `user` may make a token for: an admin's, every one; an organiser's, those they
/// have a role on.
async fn campaigns_of(state: &AppState, user: &User) -> Result<Vec<Campaign>, AppError> {
    if user.is_admin {
        return Ok(state.store.all_campaigns().await?);
    }
    let mut mine = Vec::new();
    for (id, _) in state.store.campaigns_of(user.id).await? {
        if let Some(campaign) = state.store.campaign_by_id(id).await? {
            mine.push(campaign);
        }
    }
    Ok(mine)
}

fn instant(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!("{} {:02}:{:02} UTC", at.date(), at.hour(), at.minute())
}

/// A token as the list shows it: never the token, only its prefix.
fn row(
    state: &AppState,
    visitor: &Visitor,
    user: &User,
    token: &ApiToken,
    titles: &[(CampaignId, String)],
) -> Value {
    let t = |key: &str| state.pages.i18n.t(&visitor.ui, key, None);
    let campaign = match token.campaign_id {
        None => t("tokens-site-wide"),
        Some(id) => {
            titles.iter().find(|(c, _)| *c == id).map_or_else(|| format!("#{id}"), |(_, t)| t.clone())
        }
    };
    let token_state = token.state(now());
    context! {
        name => &token.name,
        owner => (user.is_admin && token.user_id != user.id).then_some(&token.owner),
        campaign => campaign,
        scopes => token.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        prefix => &token.prefix,
        created => instant(token.created_at),
        expires => instant(token.expires_at),
        last_used => token.last_used_at.map(instant),
        state => token_state.as_str(),
        revoked => token.revoked_at.map(instant),
        revoke => (token_state != TokenState::Revoked).then(|| format!("{TOKENS}/{}/revoke", token.id)),
    }
}

/// What the page shows once a token is made: the token itself, this once.
struct Made {
    name: String,
    secret: Secret,
}

async fn render(
    state: &AppState,
    visitor: &Visitor,
    user: &User,
    form: FormState<TokenForm>,
    made: Option<Made>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let campaigns = campaigns_of(state, user).await?;
    let tokens = state.store.tokens((!user.is_admin).then_some(user.id)).await?;
    let titles: Vec<(CampaignId, String)> = if user.is_admin {
        campaigns.iter().map(|c| (c.id, version_for(c, visitor).title.clone())).collect()
    } else {
        let mut titles = Vec::new();
        for id in tokens.iter().filter_map(|t| t.campaign_id) {
            if let Some(c) = state.store.campaign_by_id(id).await? {
                titles.push((id, version_for(&c, visitor).title.clone()));
            }
        }
        titles
    };
    let rows: Vec<Value> = tokens.iter().map(|t| row(state, visitor, user, t, &titles)).collect();
    let choices: Vec<Value> = campaigns
        .iter()
        .map(|c| {
            let v = version_for(c, visitor);
            context! { slug => c.content.slug.as_str(), title => &v.title, lang => v.lang.as_str() }
        })
        .collect();
    let today = now().date();
    let page = context! {
        title => state.pages.i18n.t(&visitor.ui, "tokens-heading", None),
        tokens => rows,
        admin => user.is_admin,
        campaigns => choices,
        scopes => Scope::ALL
            .iter()
            .map(|s| context! { name => s.as_str(), field => s.as_str().replace(':', "_"), key => s.as_str().replace(':', "-") })
            .collect::<Vec<_>>(),
        form => form,
        made => made.map(|m| context! { name => m.name, secret => m.secret.as_str() }),
        min_date => today.to_string(),
        max_date => (today + time::Duration::days(api_token::MAX_DAYS)).to_string(),
        site => SITE,
    };
    Ok((status, state.pages.render("organise/tokens.html", visitor, page)?).into_response())
}

fn logged_in(current: CurrentUser) -> Result<User, AppError> {
    current.0.ok_or_else(|| AppError::LoginRequired { next: TOKENS.into() })
}

fn fresh_form() -> TokenForm {
    TokenForm { token_expires: default_last_day(now()).to_string(), ..Default::default() }
}

pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
) -> Result<Response, AppError> {
    let user = logged_in(current)?;
    render(&state, &visitor, &user, FormState::new(fresh_form()), None, StatusCode::OK).await
}

/// Makes a token and shows it, once.
pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Form(form): Form<TokenForm>,
) -> Result<Response, AppError> {
    let user = logged_in(current)?;
    let i18n = &state.pages.i18n;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        let page = FormState::new(form.clone()).with_alert(i18n.t(&visitor.ui, "form-error-csrf", None));
        return render(&state, &visitor, &user, page, None, StatusCode::FORBIDDEN).await;
    }
    let campaigns = campaigns_of(&state, &user).await?;
    let asked = match form.parse(&state, &user, &campaigns).await {
        Ok(asked) => asked,
        Err(errors) => {
            let page = FormState::new(form.clone()).with_errors(i18n, &visitor.ui, &errors);
            return render(&state, &visitor, &user, page, None, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let secret = Secret::generate();
    let now = now();
    let token = NewToken {
        user_id: user.id,
        campaign_id: asked.campaign.as_ref().map(|c| c.id),
        name: asked.name.clone(),
        scopes: asked.scopes.clone(),
        hash: secret.hash(),
        prefix: secret.visible_prefix(),
        created_at: now,
        expires_at: asked.expires_at,
    };
    let covers = asked
        .campaign
        .as_ref()
        .map_or_else(|| "the whole site".to_owned(), |c| format!("campaign {}", c.content.slug));
    let scopes = if asked.scopes.is_empty() { "no scope".to_owned() } else { asked.scopes.to_text() };
    let entry = AuditEntry {
        at: now,
        actor: user.email.clone(),
        campaign_id: token.campaign_id,
        action: "create-api-token".into(),
        subject: asked.name.clone(),
        detail: format!("{covers}; {scopes}; expires {}; prefix {}", instant(asked.expires_at), token.prefix),
    };
    state.store.create_token(&token, &entry).await?;
    let made = Made { name: asked.name, secret };
    render(&state, &visitor, &user, FormState::new(fresh_form()), Some(made), StatusCode::OK).await
}

/// Revokes a token: its owner's, or anyone's for an admin.
pub async fn revoke(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<ButtonForm>,
) -> Result<Response, AppError> {
    let user = logged_in(current)?;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    let token = state.store.token(id).await?.ok_or(AppError::NotFound)?;
    if token.user_id != user.id && !user.is_admin {
        return Err(AppError::NotFound);
    }
    let entry = AuditEntry {
        at: now(),
        actor: user.email.clone(),
        campaign_id: token.campaign_id,
        action: "revoke-api-token".into(),
        subject: format!("token #{id} {}", token.name),
        detail: format!("prefix {}, made by {}", token.prefix, token.owner),
    };
    state.store.revoke_token(id, entry.at, &entry).await?;
    Ok(Redirect::to(TOKENS).into_response())
}
