//! "The campaign you signed was taken down", to one confirmed signer, in their language: the
//! admins' reason, and the link to withdraw the signature (kept until the retention period ends).

use minijinja::context;
use undersigned_core::signature::SignatureStatus;
use undersigned_core::store::QueuedMail;

use super::{Composed, ComposedMail, Composer, title_in};

impl Composer {
    pub(super) async fn taken_down(&self, mail: &QueuedMail) -> Composed {
        let Some(signature) = self.store.signature(mail.ref_id).await? else { return Ok(None) };
        if signature.status != SignatureStatus::Confirmed || signature.signer.email.is_anonymised() {
            return Ok(None);
        }
        let Some((reason, _)) = self.store.takedown(signature.campaign_id).await? else { return Ok(None) };
        let Some(campaign) = self.campaign(signature.campaign_id).await? else { return Ok(None) };
        let lang = &signature.signer.lang;
        let withdraw_url = self.withdraw_link(&signature);
        let ctx = context! {
            name => &signature.signer.name,
            campaign_title => title_in(&campaign, lang),
            reason => reason,
            withdraw_url => withdraw_url,
            site_url => &self.base_url,
        };
        let rendered = self.pages.mail("taken-down", lang, ctx)?;
        Ok(Some(ComposedMail::new(&signature.signer.name, signature.signer.email.as_str(), rendered, None)))
    }
}
