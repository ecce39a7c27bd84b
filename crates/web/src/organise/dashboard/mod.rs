//! A campaign's dashboard: its counts, signatures by day, country and version, what waits for a
//! moderator, when its signers' data goes, and the moves its owner may make (status, unpublish,
//! delete: [`status`], [`life`]), which come back here with a message when refused.

pub mod chart;
pub mod life;
pub mod status;

use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use minijinja::{Value, context};
use undersigned_core::CampaignStatus;
use undersigned_core::account::Action;
use undersigned_core::store::{EndorsementState, now};

use super::{Authorized, CurrentUser, FLAG_AT, authorize};
use crate::organise::frame::frame;
use crate::render::campaign::counts_context;
use crate::{AppError, AppState, Visitor};

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
    let (counts, by_country, waiting, unverified, stats, flagged, ended, recipients, undeliverable) = tokio::try_join!(
        state.store.counts(id),
        state.store.counts_by_country(id),
        state.store.endorsements_in(Some(id), EndorsementState::AwaitingApproval),
        state.store.endorsements_in(Some(id), EndorsementState::Unverified),
        state.store.campaign_stats(id),
        state.store.busy_ip_keys(id, FLAG_AT),
        state.store.ended_at(id),
        state.store.campaign_recipients(id),
        state.store.undeliverable_signers(id),
    )?;
    let offers = offers(state, auth).await?;
    let defence = crate::organise::defence::dashboard_context(state, visitor, auth).await?;
    let sources = crate::organise::partners::dashboard_context(state, visitor, id).await?;
    let i18n = &state.pages.i18n;
    let content = &auth.campaign.content;
    let versions: Vec<Value> = content
        .versions
        .iter()
        .map(|v| context! { lang => v.lang.as_str(), name => i18n.native_name(&v.lang) })
        .collect();
    let page = context! {
        title => i18n.t(&visitor.ui, "organise-tab-dashboard", None),
        frame => frame(state, visitor, auth),
        counts => counts_context(i18n, &visitor.ui, &counts, content.signature_goal),
        awaiting_approval => waiting.len(),
        unverified => unverified.len(),
        pending => stats.pending,
        undeliverable => undeliverable,
        flagged => flagged.iter().map(|g| g.signatures).sum::<i64>(),
        retention => retention(state, visitor, ended),
        by_lang => by_version(state, visitor, auth, &stats.by_lang),
        unpublish => offers.unpublish,
        republish => offers.republish,
        may_delete => offers.delete,
        versions => versions,
        sealed_exports => !recipients.is_empty(),
        status => content.status.as_str(),
        moves => moves(auth),
        alert => alert,
        defence => defence,
        sources => sources,
        snippets => crate::render::embed::snippets(state, visitor, &auth.campaign),
        ..figures(state, visitor, &stats.per_day, &by_country)
    };
    Ok(state.pages.render("organise/dashboard.html", visitor, page)?.into_response())
}

/// Signatures by day and by country, as charts and as tables.
fn figures(
    state: &AppState,
    visitor: &Visitor,
    per_day: &[(time::Date, i64)],
    by_country: &[(String, i64)],
) -> Value {
    let (i18n, ui) = (&state.pages.i18n, &visitor.ui);
    let days = chart::daily(per_day);
    let chart = (!days.is_empty()).then(|| Value::from_safe_string(chart::svg(&days, "chart-title")));
    let per_day: Vec<Value> = days
        .iter()
        .rev()
        .filter(|(_, n)| *n > 0)
        .map(|(d, n)| context! { date => i18n.date(ui, *d), date_iso => d.to_string(), count => i18n.number(ui, *n) })
        .collect();
    let named: Vec<(String, i64)> = by_country.iter().map(|(code, n)| (i18n.country(ui, code), *n)).collect();
    let country_chart =
        (!named.is_empty()).then(|| Value::from_safe_string(chart::bars(&named, "countries-title")));
    let by_country: Vec<Value> = by_country
        .iter()
        .map(|(code, n)| context! { country => i18n.country(ui, code), count => i18n.number(ui, *n) })
        .collect();
    context! { chart => chart, per_day => per_day, country_chart => country_chart, by_country => by_country }
}

/// The statuses the organiser may move the campaign to.
fn moves(auth: &Authorized) -> Vec<&'static str> {
    if !auth.may(Action::ChangeStatus) {
        return Vec::new();
    }
    let status = auth.campaign.content.status;
    CampaignStatus::ALL.into_iter().filter(|s| status.can_become(*s)).map(|s| s.as_str()).collect()
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
fn retention(state: &AppState, visitor: &Visitor, ended: Option<time::OffsetDateTime>) -> String {
    let (i18n, days) = (&state.pages.i18n, state.config.retention_days);
    match ended {
        Some(ended) => {
            let on = (ended + time::Duration::days(days)).date();
            i18n.t1(&visitor.ui, "dashboard-retention-on", "date", i18n.date(&visitor.ui, on))
        }
        None => i18n.t1(&visitor.ui, "dashboard-retention-rule", "days", days),
    }
}

/// What the dashboard offers an owner to take the campaign down or put it back.
#[derive(Default)]
pub struct Offers {
    /// "unpublish" or "withdraw" (as unpublishing would do).
    pub unpublish: Option<&'static str>,
    /// "republish": the campaign is withdrawn, and may be put back.
    pub republish: Option<&'static str>,
    /// The campaign may be deleted.
    pub delete: bool,
}

pub async fn offers(state: &AppState, auth: &Authorized) -> Result<Offers, AppError> {
    let status = auth.campaign.content.status;
    let (may_unpublish, may_delete) = (auth.may(Action::ChangeStatus), auth.may(Action::DeleteDraft));
    if !may_unpublish && !may_delete {
        return Ok(Offers::default());
    }
    let signed = state.store.has_signatures(auth.campaign.id).await?;
    let unpublish = status.unpublished(signed).filter(|_| may_unpublish).map(|next| match next {
        CampaignStatus::Withdrawn => "withdraw",
        _ => "unpublish",
    });
    let republish = match may_unpublish {
        true => republished(state, auth).await?.map(|_| "republish"),
        false => None,
    };
    Ok(Offers { unpublish, republish, delete: may_delete && status.may_delete(signed) })
}

/// What republishing makes of the campaign now ([`CampaignStatus::republished`]); `None` when it
/// is not withdrawn.
pub(super) async fn republished(
    state: &AppState,
    auth: &Authorized,
) -> Result<Option<CampaignStatus>, AppError> {
    let content = &auth.campaign.content;
    if content.status != CampaignStatus::Withdrawn {
        return Ok(None);
    }
    let had = state.store.withdrawn_from(auth.campaign.id).await?;
    Ok(had.and_then(|had| CampaignStatus::republished(had, content.closes_at, now())))
}
