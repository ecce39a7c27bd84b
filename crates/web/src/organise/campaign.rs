//! One campaign's organiser pages: its dashboard, the moderation queue, endorsements collected
//! offline, and its team.

use axum::Form;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};
use undersigned_core::account::{Action, Role};
use undersigned_core::endorsement::{EndorsementSpec, Endorser, OrganisationType};
use undersigned_core::store::{EndorsementState, now};
use undersigned_core::validation;
use undersigned_core::{Endorsement, ValidationError};

use super::site::{InviteForm, parse_invitee};
use super::{Authorized, CurrentUser, audit, authorize};
use crate::forms::FormState;
use crate::html::campaign::{counts_context, version_for};
use crate::{AppError, AppState, Visitor};

/// What every page of a campaign's organiser section shows: its title and the tabs the
/// organiser may open.
pub(crate) fn frame(state: &AppState, visitor: &Visitor, auth: &Authorized) -> Value {
    let version = version_for(&auth.campaign, visitor);
    let base = format!("/organise/c/{}", auth.campaign.content.slug);
    let tabs: Vec<Value> = [
        ("organise-tab-dashboard", base.clone(), Action::ViewDashboard),
        ("organise-tab-edit", format!("{base}/edit"), Action::EditCampaign),
        ("organise-tab-updates", format!("{base}/updates"), Action::EditCampaign),
        ("organise-tab-response", format!("{base}/response"), Action::EditCampaign),
        ("organise-tab-moderation", format!("{base}/moderation"), Action::Moderate),
        ("organise-tab-offline", format!("{base}/endorsements/new"), Action::AddOfflineEndorsements),
        ("organise-tab-team", format!("{base}/team"), Action::ManageTeam),
    ]
    .into_iter()
    .filter(|(_, _, action)| auth.may(*action))
    .map(|(key, href, _)| context! { label => state.pages.i18n.t(&visitor.ui, key, None), current => href == visitor.path, href => href })
    .collect();
    context! {
        campaign_title => &version.title,
        campaign_lang => version.lang.as_str(),
        campaign_slug => auth.campaign.content.slug.as_str(),
        public_path => format!("/c/{}", auth.campaign.content.slug),
        base => base,
        tabs => tabs,
        role => auth.role.map(|r| r.as_str()),
        may_export => auth.may(Action::ExportSignatures),
        may_export_emails => auth.may(Action::ExportEmails),
    }
}

pub async fn dashboard(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::ViewDashboard, uri.path()).await?;
    render_dashboard(&state, &visitor, &auth, None).await
}

/// The dashboard with a message about what was refused (a status change against the rules).
pub async fn dashboard_with_alert(
    state: AppState,
    visitor: Visitor,
    auth: Authorized,
    key: String,
) -> Result<Response, AppError> {
    let alert = state.pages.i18n.t(&visitor.ui, &key, None);
    let mut response = render_dashboard(&state, &visitor, &auth, Some(alert)).await?;
    *response.status_mut() = StatusCode::CONFLICT;
    Ok(response)
}

async fn render_dashboard(
    state: &AppState,
    visitor: &Visitor,
    auth: &Authorized,
    alert: Option<String>,
) -> Result<Response, AppError> {
    let id = auth.campaign.id;
    let (counts, by_country, waiting, unverified, stats, flagged, ended) = tokio::try_join!(
        state.store.counts(id),
        state.store.counts_by_country(id),
        state.store.endorsements_in(Some(id), EndorsementState::AwaitingApproval),
        state.store.endorsements_in(Some(id), EndorsementState::Unverified),
        state.store.campaign_stats(id),
        state.store.busy_ip_keys(id, super::signatures::FLAG_AT),
        state.store.ended_at(id),
    )?;
    let days = state.config.retention_days;
    let retention = match ended {
        Some(ended) => {
            i18n_retention(state, visitor, Some((ended + time::Duration::days(days)).date()), days)
        }
        None => i18n_retention(state, visitor, None, days),
    };
    let i18n = &state.pages.i18n;
    let days = super::chart::daily(&stats.per_day);
    let chart = (!days.is_empty()).then(|| Value::from_safe_string(super::chart::svg(&days, "chart-title")));
    let per_day: Vec<Value> = days
        .iter()
        .rev()
        .filter(|(_, n)| *n > 0)
        .map(|(d, n)| context! { date => i18n.date(&visitor.ui, *d), date_iso => d.to_string(), count => i18n.number(&visitor.ui, *n) })
        .collect();
    let by_lang = by_version(state, visitor, auth, &stats.by_lang);
    let named: Vec<(String, i64)> =
        by_country.iter().map(|(code, n)| (i18n.country(&visitor.ui, code), *n)).collect();
    let country_chart =
        (!named.is_empty()).then(|| Value::from_safe_string(super::chart::bars(&named, "countries-title")));
    let offers = super::life::offers(state, auth).await?;
    let by_country: Vec<Value> = by_country
        .iter()
        .map(|(code, n)| context! { country => i18n.country(&visitor.ui, code), count => i18n.number(&visitor.ui, *n) })
        .collect();
    let status = auth.campaign.content.status;
    let moves: Vec<&str> = if auth.may(Action::ChangeStatus) {
        undersigned_core::CampaignStatus::ALL
            .into_iter()
            .filter(|s| status.can_become(*s))
            .map(|s| s.as_str())
            .collect()
    } else {
        Vec::new()
    };
    let page = context! {
        title => i18n.t(&visitor.ui, "organise-tab-dashboard", None),
        frame => frame(state, visitor, auth),
        counts => counts_context(i18n, &visitor.ui, &counts, auth.campaign.content.signature_goal),
        by_country => by_country,
        awaiting_approval => waiting.len(),
        unverified => unverified.len(),
        pending => stats.pending,
        flagged => flagged.iter().map(|g| g.signatures).sum::<i64>(),
        retention => retention,
        chart => chart,
        per_day => per_day,
        by_lang => by_lang,
        country_chart => country_chart,
        unpublish => offers.unpublish,
        republish => offers.republish,
        may_delete => offers.delete,
        versions => auth.campaign.content.versions.iter().map(|v| context! { lang => v.lang.as_str(), name => i18n.native_name(&v.lang) }).collect::<Vec<_>>(),
        status => status.as_str(),
        moves => moves,
        alert => alert,
    };
    Ok(state.pages.render("organise-dashboard.html", visitor, page)?.into_response())
}

/// Signatures per version signed: one row for each version the campaign has, and one for those
/// signed under versions since removed (if any). None before anyone signed.
fn by_version(
    state: &AppState,
    visitor: &Visitor,
    auth: &Authorized,
    counted: &[(String, i64)],
) -> Vec<Value> {
    let (i18n, ui) = (&state.pages.i18n, &visitor.ui);
    if counted.is_empty() {
        return Vec::new();
    }
    let versions = &auth.campaign.content.versions;
    let sum =
        |has: &dyn Fn(&str) -> bool| counted.iter().filter(|(l, _)| has(l)).map(|(_, n)| n).sum::<i64>();
    let mut rows: Vec<Value> = versions
        .iter()
        .map(|v| {
            let n = sum(&|l| l == v.lang.as_str());
            context! { lang => v.lang.as_str(), name => i18n.native_name(&v.lang), count => i18n.number(ui, n) }
        })
        .collect();
    let removed = sum(&|l| !versions.iter().any(|v| v.lang.as_str() == l));
    if removed != 0 {
        let name = i18n.t(ui, "dashboard-removed-versions", None);
        rows.push(context! { lang => ui.as_str(), name => name, count => i18n.number(ui, removed) });
    }
    rows
}

/// When the signers' personal data goes: a date once the campaign ended, else the rule.
fn i18n_retention(state: &AppState, visitor: &Visitor, on: Option<time::Date>, days: i64) -> String {
    let i18n = &state.pages.i18n;
    match on {
        Some(date) => i18n.t1(&visitor.ui, "dashboard-retention-on", "date", i18n.date(&visitor.ui, date)),
        None => i18n.t1(&visitor.ui, "dashboard-retention-rule", "days", days),
    }
}

fn endorsement_item(e: &Endorsement) -> Value {
    let (name, kind) = match &e.spec.endorser {
        Endorser::Organisation { name, org_type, .. } => (name.clone(), org_type.as_str()),
        Endorser::Person { name } => (name.clone(), "other"),
        Endorser::Individuals { count } => (count.to_string(), "individuals"),
    };
    context! {
        id => e.id,
        name => name,
        kind => kind,
        country => &e.spec.country,
        statement => &e.spec.statement,
        website => match &e.spec.endorser { Endorser::Organisation { website, .. } => website.clone(), _ => None },
    }
}

pub async fn moderation(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::Moderate, uri.path()).await?;
    let waiting =
        state.store.endorsements_in(Some(auth.campaign.id), EndorsementState::AwaitingApproval).await?;
    let mut items = Vec::new();
    for (e, _) in &waiting {
        let contact = state.store.endorsement_contact(e.id).await?;
        let item = endorsement_item(e);
        let country = e.spec.country.as_deref().map(|c| state.pages.i18n.country(&visitor.ui, c));
        items.push(context! {
            contact_name => contact.as_ref().map(|c| c.contact_name.clone()),
            contact_email => contact.as_ref().map(|c| c.contact_email.clone()),
            country_name => country,
            ..item
        });
    }
    let page = context! {
        title => state.pages.i18n.t(&visitor.ui, "organise-tab-moderation", None),
        frame => frame(&state, &visitor, &auth),
        waiting => items,
        signatures => super::signatures::section(&state, &visitor, &auth).await?,
        comments => super::comments::section(&state, &auth).await?,
    };
    Ok(state.pages.render("organise-moderation.html", &visitor, page)?.into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DecideForm {
    decision: String,
    reason: String,
    csrf: String,
}

/// Approves or rejects an endorsement awaiting approval.
pub async fn decide(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path((slug, id)): Path<(String, i64)>,
    OriginalUri(uri): OriginalUri,
    Form(form): Form<DecideForm>,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::Moderate, uri.path()).await?;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    // Only endorsements of this campaign: an id from another campaign is not found here.
    let waiting =
        state.store.endorsements_in(Some(auth.campaign.id), EndorsementState::AwaitingApproval).await?;
    let Some((endorsement, _)) = waiting.iter().find(|(e, _)| e.id == id) else {
        return Err(AppError::NotFound);
    };
    let approve = form.decision == "approve";
    let reason = validation::text("reason", &form.reason, 0, 500, true).ok().filter(|r| !r.is_empty());
    match state.store.decide_endorsement(id, approve, reason.as_deref(), now()).await {
        Ok(()) => {}
        Err(undersigned_core::StoreError::NotFound) => return Err(AppError::NotFound),
        Err(e) => return Err(e.into()),
    }
    let name = match &endorsement.spec.endorser {
        Endorser::Organisation { name, .. } => name.clone(),
        Endorser::Person { name } => name.clone(),
        Endorser::Individuals { count } => format!("{count} individuals"),
    };
    let action = if approve { "approve-endorsement" } else { "reject-endorsement" };
    audit(
        &state,
        &auth.user,
        Some(auth.campaign.id),
        action,
        format!("endorsement #{id} {name}"),
        reason.unwrap_or_default(),
    )
    .await;
    Ok(Redirect::to(&format!("/organise/c/{slug}/moderation")).into_response())
}

/// The form for an endorsement that came by email or on paper.
#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct OfflineForm {
    kind: String,
    organisation: String,
    org_type: String,
    website: String,
    person: String,
    individuals: String,
    country: String,
    statement: String,
    source: String,
    #[serde(skip_serializing)]
    csrf: String,
}

impl OfflineForm {
    fn parse(&self) -> Result<EndorsementSpec, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let endorser = if self.kind == "person" {
            EndorsementSpec::person(&self.person).map_err(|e| errors.push(e)).ok()
        } else if self.kind == "individuals" {
            match self.individuals.trim().parse::<i64>() {
                Ok(n) => EndorsementSpec::individuals(n).map_err(|e| errors.push(e)).ok(),
                Err(_) => {
                    errors.push(ValidationError::new("individuals", ""));
                    None
                }
            }
        } else {
            let org_type =
                OrganisationType::parse("org_type", &self.org_type).map_err(|e| errors.push(e)).ok();
            EndorsementSpec::organisation(
                &self.organisation,
                org_type.unwrap_or(OrganisationType::Other),
                Some(&self.website),
            )
            .map_err(|e| errors.push(e))
            .ok()
        };
        let country = if self.country.trim().is_empty() {
            None
        } else {
            EndorsementSpec::parse_country("country", &self.country).map_err(|e| errors.push(e)).ok()
        };
        let statement = EndorsementSpec::optional_text("statement", Some(&self.statement), 2_000)
            .map_err(|e| errors.push(e))
            .ok()
            .flatten();
        let source = validation::text("source", &self.source, 1, 500, false).map_err(|e| errors.push(e)).ok();
        match (endorser, source) {
            (Some(endorser), Some(source)) if errors.is_empty() => {
                Ok(EndorsementSpec { endorser, country, statement, source_note: Some(source) })
            }
            _ => Err(errors),
        }
    }
}

async fn render_offline(
    state: &AppState,
    visitor: &Visitor,
    auth: &Authorized,
    form: FormState<OfflineForm>,
    status: StatusCode,
    added: Option<String>,
) -> Result<Response, AppError> {
    let org_types: Vec<&str> = OrganisationType::ALL.iter().map(|t| t.as_str()).collect();
    let page = context! {
        title => state.pages.i18n.t(&visitor.ui, "organise-tab-offline", None),
        frame => frame(state, visitor, auth),
        form => form,
        org_types => org_types,
        countries => state.pages.i18n.countries(&visitor.ui),
        added => added,
    };
    Ok((status, state.pages.render("organise-offline.html", visitor, page)?).into_response())
}

pub async fn offline_page(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::AddOfflineEndorsements, uri.path()).await?;
    let form = OfflineForm { kind: "organisation".into(), ..Default::default() };
    render_offline(&state, &visitor, &auth, FormState::new(form), StatusCode::OK, None).await
}

pub async fn add_offline(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
    Form(form): Form<OfflineForm>,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::AddOfflineEndorsements, uri.path()).await?;
    let i18n = &state.pages.i18n;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        let page = FormState::new(form.clone()).with_alert(i18n.t(&visitor.ui, "form-error-csrf", None));
        return render_offline(&state, &visitor, &auth, page, StatusCode::FORBIDDEN, None).await;
    }
    let spec = match form.parse() {
        Ok(spec) => spec,
        Err(errors) => {
            let page = FormState::new(form.clone()).with_errors(i18n, &visitor.ui, &errors);
            return render_offline(&state, &visitor, &auth, page, StatusCode::UNPROCESSABLE_ENTITY, None)
                .await;
        }
    };
    let id = state.store.add_offline_endorsement(auth.campaign.id, &spec).await?;
    let what = match &spec.endorser {
        Endorser::Organisation { name, .. } => name.clone(),
        Endorser::Person { name } => name.clone(),
        Endorser::Individuals { count } => {
            i18n.t1(&visitor.ui, "endorsement-individuals", "count", i64::from(*count))
        }
    };
    audit(
        &state,
        &auth.user,
        Some(auth.campaign.id),
        "add-offline-endorsement",
        format!("endorsement #{id} {what}"),
        spec.source_note.clone().unwrap_or_default(),
    )
    .await;
    let fresh = OfflineForm { kind: form.kind.clone(), ..Default::default() };
    render_offline(&state, &visitor, &auth, FormState::new(fresh), StatusCode::OK, Some(what)).await
}

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
    Ok((status, state.pages.render("organise-team.html", visitor, page)?).into_response())
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
    let auth = authorize(&state, current, &slug, Action::ManageTeam, uri.path()).await?;
    let i18n = &state.pages.i18n;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        let page = FormState::new(form.clone()).with_alert(i18n.t(&visitor.ui, "form-error-csrf", None));
        return render_team(&state, &visitor, &auth, page, StatusCode::FORBIDDEN).await;
    }
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
