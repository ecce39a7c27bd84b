//! "One email domain or IP hash is signing unusually fast", to one of the campaign's owners or
//! moderators (`crate::defence`): what it is, how many signatures in the hour, and where to look.

use minijinja::context;
use undersigned_core::defence::TrendKind;
use undersigned_core::store::QueuedMail;

use super::{Composed, ComposedMail, Composer, title_in};

impl Composer {
    pub(super) async fn trend_alert(&self, mail: &QueuedMail) -> Composed {
        let Some((alert, user)) = self.store.trend_alert_mail(mail.ref_id).await? else { return Ok(None) };
        let Some((user, _)) = self.store.user_by_id(user).await? else { return Ok(None) };
        let Some(campaign) = self.campaign(alert.campaign_id).await? else { return Ok(None) };
        let lang = self.organiser_lang(user.id).await?;
        let slug = campaign.content.slug.as_str();
        let ctx = context! {
            name => &user.name,
            campaign_title => title_in(&campaign, &lang),
            domain => (alert.kind == TrendKind::Domain).then_some(&alert.shown),
            ip_hash => (alert.kind == TrendKind::IpHash).then_some(&alert.shown),
            count => alert.count,
            defence_url => format!("{}/organise/c/{slug}/defence", self.base_url),
            site_url => &self.base_url,
        };
        let rendered = self.pages.mail("trend-alert", &lang, ctx)?;
        Ok(Some(ComposedMail::new(&user.name, &user.email, rendered, None)))
    }
}
