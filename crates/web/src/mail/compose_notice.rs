//! What organisers hear of (`undersigned_core::notice`), in each one's language: an endorsement
//! waiting for approval, a comment reported, a proposal waiting for moderation, a threshold
//! reached, each in a mail of one line and one link; and the digest that gathers a day's notices
//! of every kind, those lines. (Abnormal signing has a mail of its own, `compose_trend`, with what
//! signed and how much; its digest line is here.)

use fluent_bundle::FluentArgs;
use minijinja::{Value, context};
use undersigned_core::Lang;
use undersigned_core::proposal::ProposalState;
use undersigned_core::store::{MailKind, QueuedMail};

use super::{ComposeError, Composed, ComposedMail, Composer, title_in};
use crate::i18n::FALLBACK;

impl Composer {
    /// The language an organiser chose for their mail, else the site's.
    pub(super) async fn organiser_lang(&self, user: i64) -> Result<Lang, ComposeError> {
        Ok(self.store.notice_settings(user).await?.lang.unwrap_or_else(|| Lang::known(FALLBACK)))
    }

    /// A notice to one organiser (the account in the mail's cursor): its one line and link, in
    /// the mail of its own kind.
    pub(super) async fn notice(&self, mail: &QueuedMail) -> Composed {
        let Some((user, _)) = self.store.user_by_id(mail.cursor.unwrap_or(0)).await? else { return Ok(None) };
        let lang = self.organiser_lang(user.id).await?;
        let Some((line, link)) = self.notice_line(mail.kind, mail.ref_id, &lang).await? else {
            return Ok(None);
        };
        let ctx = context! { name => &user.name, line => &line, link => &link, site_url => &self.base_url };
        let rendered = self.pages.mail("notice", &lang, ctx)?;
        Ok(Some(ComposedMail::new(&user.name, &user.email, rendered, None)))
    }

    /// The day's notices of one organiser (`ref_id`), those still true.
    pub(super) async fn digest(&self, mail: &QueuedMail) -> Composed {
        let Some((user, _)) = self.store.user_by_id(mail.ref_id).await? else { return Ok(None) };
        let lang = self.organiser_lang(user.id).await?;
        let mut lines: Vec<Value> = Vec::new();
        for (kind, ref_id) in self.store.digest_items(mail.id).await? {
            if let Some((line, link)) = self.notice_line(kind, ref_id, &lang).await? {
                lines.push(context! { line => line, link => link });
            }
        }
        if lines.is_empty() {
            return Ok(None);
        }
        let ctx =
            context! { name => &user.name, count => lines.len(), lines => lines, site_url => &self.base_url };
        let rendered = self.pages.mail("digest", &lang, ctx)?;
        Ok(Some(ComposedMail::new(&user.name, &user.email, rendered, None)))
    }

    /// What a notice says in one line, and where to act on it; `None` once it is gone.
    async fn notice_line(
        &self,
        kind: MailKind,
        ref_id: i64,
        lang: &Lang,
    ) -> Result<Option<(String, String)>, ComposeError> {
        let base = &self.base_url;
        let mut args = FluentArgs::new();
        // A threshold's line ends with what reaching it means.
        let mut threshold = None;
        let (key, campaign, link) = match kind {
            MailKind::EndorsementWaiting => {
                let Some(contact) = self.store.endorsement_contact(ref_id).await? else { return Ok(None) };
                args.set("organisation", contact.organisation.clone());
                ("mail-notice-endorsement", contact.campaign_id, "moderation")
            }
            MailKind::CommentReported => {
                let Some((comment, _)) = self.store.comment(ref_id).await? else { return Ok(None) };
                args.set("name", comment.name.clone());
                ("mail-notice-comment", comment.campaign_id, "moderation")
            }
            MailKind::ProposalWaiting => {
                let Some(proposal) = self.store.proposal(ref_id).await? else { return Ok(None) };
                // Decided meanwhile: nothing waits any more.
                if proposal.state != ProposalState::Moderation {
                    return Ok(None);
                }
                ("mail-notice-proposal", proposal.campaign_id, "")
            }
            MailKind::ThresholdCrossed => {
                let Some(crossing) = self.store.crossing(ref_id).await? else { return Ok(None) };
                args.set("count", self.pages.i18n.number(lang, crossing.count));
                threshold = Some(crossing.count);
                ("mail-notice-threshold", crossing.campaign_id, "public")
            }
            MailKind::TrendAlert => {
                let Some((alert, _)) = self.store.trend_alert_mail(ref_id).await? else { return Ok(None) };
                ("mail-notice-trend", alert.campaign_id, "defence")
            }
            _ => return Ok(None),
        };
        let Some(campaign) = self.campaign(campaign).await? else { return Ok(None) };
        args.set("title", title_in(&campaign, lang));
        let slug = campaign.content.slug.as_str();
        let link = match link {
            "" => format!("{base}/organise/proposals"),
            "public" => format!("{base}/c/{slug}"),
            tab => format!("{base}/organise/c/{slug}/{tab}"),
        };
        let mut line = self.pages.i18n.t(lang, key, Some(&args));
        if let Some(count) = threshold {
            let thresholds = crate::thresholds::of(&*self.store, &campaign).await?;
            let label = thresholds
                .iter()
                .find(|t| t.count == count)
                .and_then(|t| t.label_for(std::slice::from_ref(lang)));
            if let Some(label) = label {
                line = format!("{line} {label}");
            }
        }
        Ok(Some((line, link)))
    }
}
