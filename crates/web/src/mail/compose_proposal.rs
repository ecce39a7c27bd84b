//! The mails of proposals (`crate::html::propose`): "please confirm your proposal" with the
//! proposer's private link, and the decision, to the proposer (with a link to set a password for
//! the campaign they now own, if their account has none) and to each sponsor, in each one's
//! language. The admins' "a proposal waits" is a notice (`compose_notice`).

use minijinja::context;
use undersigned_core::Lang;
use undersigned_core::keys::TokenKind;
use undersigned_core::proposal::{Proposal, ProposalState};
use undersigned_core::signature::SignatureStatus;
use undersigned_core::store::QueuedMail;

use super::{Composed, ComposedMail, Composer, long_lived, title_in};
use crate::links;

impl Composer {
    pub(super) async fn confirm_proposal(&self, mail: &QueuedMail) -> Composed {
        let Some(proposal) = self.store.proposal(mail.ref_id).await? else { return Ok(None) };
        if proposal.state != ProposalState::Unconfirmed || proposal.proposer_email.is_anonymised() {
            return Ok(None);
        }
        let Some(campaign) = self.campaign(proposal.campaign_id).await? else { return Ok(None) };
        let lang = &proposal.lang;
        let expires = long_lived();
        let link =
            self.link(links::PROPOSAL, TokenKind::EditProposal, proposal.id, expires, &proposal.email_key);
        let ctx = context! {
            name => &proposal.proposer_name,
            campaign_title => title_in(&campaign, lang),
            link => &link,
            expires => self.pages.i18n.date(lang, expires.date()),
            site_url => &self.base_url,
        };
        let rendered = self.pages.mail("confirm-proposal", lang, ctx)?;
        Ok(Some(ComposedMail::new(
            &proposal.proposer_name,
            proposal.proposer_email.as_str(),
            rendered,
            Some(link),
        )))
    }

    /// The decision, to the proposer.
    pub(super) async fn proposal_decision(&self, mail: &QueuedMail) -> Composed {
        let Some(proposal) = self.store.proposal(mail.ref_id).await? else { return Ok(None) };
        if proposal.proposer_email.is_anonymised() {
            return Ok(None);
        }
        // Set a password: for the proposer of a published proposal whose account has none.
        let mut set_password = None;
        if let Some(owner) = proposal.owner
            && let Some((user, None)) = self.store.user_by_id(owner).await?
        {
            set_password = Some(self.set_password_link(&user, None, self.expires()));
        }
        let (name, email, lang) = (&proposal.proposer_name, proposal.proposer_email.as_str(), &proposal.lang);
        self.decision(&proposal, name, email, lang, false, set_password).await
    }

    /// The decision, to one sponsor.
    pub(super) async fn sponsor_decision(&self, mail: &QueuedMail) -> Composed {
        let Some(signature) = self.store.signature(mail.ref_id).await? else { return Ok(None) };
        if signature.status != SignatureStatus::Confirmed || signature.signer.email.is_anonymised() {
            return Ok(None);
        }
        let Some(proposal) = self.store.proposal_of_campaign(signature.campaign_id).await? else {
            return Ok(None);
        };
        let s = &signature.signer;
        self.decision(&proposal, &s.name, s.email.as_str(), &s.lang, true, None).await
    }

    async fn decision(
        &self,
        proposal: &Proposal,
        name: &str,
        email: &str,
        lang: &Lang,
        sponsor: bool,
        set_password: Option<String>,
    ) -> Composed {
        if !proposal.state.is_decided() {
            return Ok(None);
        }
        let Some(campaign) = self.campaign(proposal.campaign_id).await? else { return Ok(None) };
        let published = proposal.state == ProposalState::Published;
        // A sponsor reads the moderator's note unless the reason keeps it private; the proposer
        // always does.
        let note = proposal
            .reason
            .filter(|r| !sponsor || !r.hides())
            .map(|_| proposal.note.as_str())
            .filter(|n| !n.is_empty());
        let ctx = context! {
            name => name,
            campaign_title => title_in(&campaign, lang),
            published => published,
            sponsor => sponsor,
            campaign_url => published.then(|| self.campaign_url(&campaign)),
            reason => proposal.reason.map(|r| r.as_str()),
            note => note,
            set_password => set_password,
            login_url => format!("{}/login", self.base_url),
            expires => self.pages.i18n.date(lang, self.expires().date()),
            site_url => &self.base_url,
        };
        let rendered = self.pages.mail("proposal-decision", lang, ctx)?;
        Ok(Some(ComposedMail::new(name, email, rendered, None)))
    }
}
