//! "The campaign reached a threshold", to one member of its team: the count, what it means, and
//! where to see the campaign.

use minijinja::context;
use undersigned_core::store::QueuedMail;

use super::{Composed, ComposedMail, Composer, title_in};

impl Composer {
    pub(super) async fn threshold_crossed(&self, mail: &QueuedMail) -> Composed {
        let Some(crossing) = self.store.crossing(mail.ref_id).await? else { return Ok(None) };
        let Some((user, _)) = self.store.user_by_id(mail.cursor.unwrap_or(0)).await? else { return Ok(None) };
        let Some(campaign) = self.campaign(crossing.campaign_id).await? else { return Ok(None) };
        let lang = self.organiser_lang(user.id).await?;
        let label = crate::thresholds::of(&*self.store, &campaign)
            .await?
            .into_iter()
            .find(|t| t.count == crossing.count)
            .and_then(|t| t.label_for(std::slice::from_ref(&lang)).map(str::to_owned));
        let ctx = context! {
            name => &user.name,
            campaign_title => title_in(&campaign, &lang),
            count => crossing.count,
            count_text => self.pages.i18n.number(&lang, crossing.count),
            label => label,
            campaign_url => self.campaign_url(&campaign),
            site_url => &self.base_url,
        };
        let rendered = self.pages.mail("threshold-crossed", &lang, ctx)?;
        Ok(Some(ComposedMail::new(&user.name, &user.email, rendered, None)))
    }
}
