//! The delivery mail: the delivery document of each version chosen (a PDF each) and, if chosen,
//! the CSV of the names as shown, to the target's address, in the first chosen version's
//! language; the campaign's owners and editors get the very same mail as blind copies (the target
//! does not see their addresses). Replies go to the campaign's contact address, if it has one.
//! The attachments are made now, when the mail is sent: the outbox holds the delivery's id only.

use minijinja::context;
use undersigned_core::account::Role;
use undersigned_core::store::QueuedMail;

use super::{Attachment, ComposeError, Composed, ComposedMail, Composer};
use crate::render::delivery;
use crate::{AppError, links};

impl Composer {
    pub(super) async fn delivery(&self, mail: &QueuedMail) -> Composed {
        let Some(sent) = self.store.delivery(mail.ref_id).await? else { return Ok(None) };
        let Some(campaign) = self.campaign(sent.campaign_id).await? else { return Ok(None) };
        let Some(first) = sent.langs.first() else { return Ok(None) };
        let slug = campaign.content.slug.as_str();
        let mut attachments = Vec::new();
        for lang in &sent.langs {
            let Some(pdf) = delivery::pdf(&self.state, &campaign, lang).await.map_err(document)? else {
                continue;
            };
            attachments.push(Attachment {
                filename: format!("{slug}-{lang}.pdf"),
                content_type: "application/pdf",
                bytes: pdf,
            });
        }
        if sent.csv {
            let csv = delivery::csv(&self.state, &campaign, first).await.map_err(document)?;
            attachments.push(Attachment {
                filename: format!("{slug}-signers.csv"),
                content_type: "text/csv; charset=utf-8",
                bytes: csv,
            });
        }
        let (team, counts) = tokio::try_join!(self.store.team(campaign.id), self.store.counts(campaign.id))?;
        let lang = delivery::document_lang(&self.state, first);
        let version = campaign.content.version_for(std::slice::from_ref(first));
        let c = &campaign.content;
        let count = counts.individuals();
        let ctx = context! {
            target => &version.target,
            campaign_title => &version.title,
            count => count,
            count_text => self.pages.i18n.number(&lang, count),
            attachments => attachments.iter().map(|a| a.filename.clone()).collect::<Vec<_>>(),
            campaign_url => format!("{}{}", self.base_url, links::fill(links::CAMPAIGN, slug)),
            contact_name => &c.contact.name,
            contact_email => c.contact.email.as_ref().map(|e| e.as_str()),
            site_url => &self.base_url,
        };
        let rendered = self.pages.mail("delivery", &lang, ctx)?;
        let composed = ComposedMail::new(&version.target, &sent.email, rendered, None);
        let copies = team
            .into_iter()
            .filter(|(user, role)| *role >= Role::Editor && !user.email.eq_ignore_ascii_case(&sent.email))
            .map(|(user, _)| (user.name, user.email))
            .collect();
        Ok(Some(ComposedMail {
            copies,
            attachments,
            reply_to: c.contact.email.as_ref().map(|e| (c.contact.name.clone(), e.as_str().to_owned())),
            ..composed
        }))
    }
}

/// A document that could not be made: the store's failure is tried again, the rest is not.
fn document(e: AppError) -> ComposeError {
    match e {
        AppError::Store(e) => ComposeError::Store(e),
        other => ComposeError::Document(other.to_string()),
    }
}
