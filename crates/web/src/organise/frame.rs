//! The frame of a campaign's organiser pages: its title and the tabs the organiser may open.

use minijinja::{Value, context};
use undersigned_core::account::Action;

use crate::extract::session::Authorized;
use crate::render::campaign::version_for;
use crate::{AppState, Visitor};

/// What every page of a campaign's organiser section shows: its title and the tabs the
/// organiser may open.
pub fn frame(state: &AppState, visitor: &Visitor, auth: &Authorized) -> Value {
    let version = version_for(&auth.campaign, visitor);
    let base = format!("/organise/c/{}", auth.campaign.content.slug);
    let tabs: Vec<Value> = [
        ("organise-tab-dashboard", base.clone(), Action::ViewDashboard),
        ("organise-tab-edit", format!("{base}/edit"), Action::EditCampaign),
        ("organise-tab-pictures", format!("{base}/pictures"), Action::EditCampaign),
        ("organise-tab-updates", format!("{base}/updates"), Action::EditCampaign),
        ("organise-tab-response", format!("{base}/response"), Action::EditCampaign),
        ("organise-tab-demands", format!("{base}/demands"), Action::EditCampaign),
        ("organise-tab-thresholds", format!("{base}/thresholds"), Action::EditCampaign),
        ("organise-tab-delivery", format!("{base}/delivery"), Action::ExportSignatures),
        ("organise-tab-questions", format!("{base}/questions"), Action::EditCampaign),
        ("organise-tab-moderation", format!("{base}/moderation"), Action::Moderate),
        ("organise-tab-defence", format!("{base}/defence"), Action::Moderate),
        ("organise-tab-offline", format!("{base}/endorsements/new"), Action::AddOfflineEndorsements),
        ("organise-tab-team", format!("{base}/team"), Action::ManageTeam),
        ("organise-tab-partners", format!("{base}/partners"), Action::ManageTeam),
        ("organise-tab-webhooks", format!("{base}/webhooks"), Action::ManageWebhooks),
        ("organise-tab-takedown", format!("{base}/take-down"), Action::Administer),
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
