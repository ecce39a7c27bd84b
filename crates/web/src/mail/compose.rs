//! What each mail says: for a queued mail, its recipient, its language, its links (to the pages
//! the router serves, [`crate::links`]) and its words (`templates/mail/<kind>/`). One function
//! per kind of mail; the server's outbox only sends what comes out ([`ComposedMail`], plain data).
//!
//! A mail that has become moot (the signature withdrawn or confirmed meanwhile, the comment
//! confirmed, the account's password set) is composed as `None`, and not sent.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use minijinja::{Value, context};
use time::{Duration, OffsetDateTime};
use undersigned_core::account::{User, password_binding};
use undersigned_core::keys::{Keys, TokenKind};
use undersigned_core::signature::{Signature, SignatureStatus};
use undersigned_core::store::{CommentStatus, EndorsementState, MailKind, QueuedMail, now};
use undersigned_core::{Campaign, Lang, Store, StoreError};

use crate::cache::Kept;
use crate::i18n::FALLBACK;
use crate::links;
use crate::mail::rendered::RenderedMail;
use crate::render::markdown;
use crate::render::pages::Pages;
use crate::state::AppState;

#[path = "compose_delivery.rs"]
mod delivery;
#[path = "compose_notice.rs"]
mod notice;
#[path = "compose_proposal.rs"]
mod proposal;
#[path = "compose_takedown.rs"]
mod takedown;
#[path = "compose_trend.rs"]
mod trend;

/// Withdrawal and unsubscribe links work for long: a signer may change their mind months later.
const WITHDRAW_LINK_DAYS: i64 = 400;

/// A mail ready for the transport.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposedMail {
    pub to_name: String,
    pub to_email: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The link the mail asks its reader to open: logged when mail is written to files. None for
    /// a mail that only informs.
    pub link: Option<String>,
    /// Where a mail client unsubscribes its reader with one click (`List-Unsubscribe`).
    pub unsubscribe: Option<String>,
    /// Who else gets the very same mail, unseen by the others (`Bcc`): (name, address).
    pub copies: Vec<(String, String)>,
    /// Where replies go (`Reply-To`): (name, address).
    pub reply_to: Option<(String, String)>,
    /// Files sent with it.
    pub attachments: Vec<Attachment>,
}

/// A file sent with a mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub filename: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

impl ComposedMail {
    fn new(to_name: &str, to_email: &str, rendered: RenderedMail, link: Option<String>) -> Self {
        Self {
            to_name: to_name.to_owned(),
            to_email: to_email.to_owned(),
            subject: rendered.subject,
            text: rendered.text,
            html: rendered.html,
            link,
            unsubscribe: None,
            copies: Vec::new(),
            reply_to: None,
            attachments: Vec::new(),
        }
    }
}

/// Why a mail could not be composed.
#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    /// Reading what the mail is about failed: worth trying again.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Its template failed: trying again will not help.
    #[error("the mail template failed: {0:#}")]
    Template(#[from] minijinja::Error),
    /// A document it carries could not be made: trying again will not help.
    #[error("the mail's document failed: {0}")]
    Document(String),
}

type Composed = Result<Option<ComposedMail>, ComposeError>;

/// Writes mails: what it needs of the application, and the campaigns it read last.
pub struct Composer {
    store: Arc<dyn Store>,
    pages: Arc<Pages>,
    keys: Arc<Keys>,
    base_url: String,
    token_ttl: Duration,
    /// Campaigns as read in the last second: a crowd's confirmation mails are mostly for one
    /// campaign, which is then read once a second rather than once a mail.
    campaigns: Kept<i64, Arc<Campaign>>,
    /// The application, for the documents a mail carries (the delivery's PDF).
    state: AppState,
}

impl Composer {
    pub fn new(state: &AppState) -> Self {
        Self {
            store: state.store.clone(),
            pages: state.pages.clone(),
            keys: state.keys.clone(),
            base_url: state.config.base_url.clone(),
            token_ttl: state.config.token_ttl,
            campaigns: Kept::new("mail_campaign", StdDuration::from_secs(1)),
            state: state.clone(),
        }
    }

    /// The mail a queued entry stands for; `None` when it is moot. `signer` is the entry's
    /// signature when the outbox read it already (a batch's signers are read in one query).
    pub async fn compose(&self, mail: &QueuedMail, signer: Option<&Signature>) -> Composed {
        match mail.kind {
            MailKind::ConfirmSignature | MailKind::AlreadySigned | MailKind::RemindSignature => {
                self.signature(mail, signer).await
            }
            MailKind::ConfirmEndorsement => self.confirm_endorsement(mail).await,
            MailKind::ConfirmComment => self.confirm_comment(mail).await,
            MailKind::ManageSignature => self.manage_signature(mail).await,
            MailKind::Invitation | MailKind::PasswordReset => self.account(mail).await,
            MailKind::UpdateOne => self.update(mail).await,
            MailKind::TrendAlert => self.trend_alert(mail).await,
            MailKind::ConfirmProposal => self.confirm_proposal(mail).await,
            MailKind::ProposalDecision => self.proposal_decision(mail).await,
            MailKind::SponsorDecision => self.sponsor_decision(mail).await,
            MailKind::TakenDown => self.taken_down(mail).await,
            MailKind::EndorsementWaiting
            | MailKind::CommentReported
            | MailKind::ProposalWaiting
            | MailKind::ThresholdCrossed => self.notice(mail).await,
            MailKind::Digest => self.digest(mail).await,
            MailKind::Delivery => self.delivery(mail).await,
            // A batch's turn writes to its signers one by one, as `UpdateOne`.
            MailKind::UpdateBatch => Ok(None),
        }
    }

    /// "Please confirm your signature" or "you have already signed", in the signer's language;
    /// moot once the signature is confirmed (for the first) or gone.
    async fn signature(&self, mail: &QueuedMail, signer: Option<&Signature>) -> Composed {
        let read;
        let signature = match signer {
            Some(signature) => signature,
            None => match self.store.signature(mail.ref_id).await? {
                Some(signature) => {
                    read = signature;
                    &read
                }
                None => return Ok(None),
            },
        };
        // A reminder is the confirmation mail again, with a line saying so.
        let reminder = mail.kind == MailKind::RemindSignature;
        let confirming = mail.kind == MailKind::ConfirmSignature || reminder;
        if confirming && signature.status == SignatureStatus::Confirmed {
            return Ok(None);
        }
        let Some(campaign) = self.campaign(signature.campaign_id).await? else { return Ok(None) };
        let (lang, binding) = (&signature.signer.lang, &signature.email_key);
        let expires = self.expires();
        let confirm_url =
            self.link(links::CONFIRM_SIGNATURE, TokenKind::ConfirmSignature, signature.id, expires, binding);
        let withdraw_url = self.withdraw_link(signature);
        // The receipt: the leaf this signature adds to the campaign's log once confirmed, read
        // with the signature (no query of its own per mail: the mail worker reads a batch's
        // signers in one).
        let receipt = signature.receipt.as_ref().filter(|_| confirming).map(|r| {
            let leaf = hex::encode(undersigned_core::tlog::leaf_hash(r.record.as_bytes()));
            context! {
                salt => r.salt.map(hex::encode),
                check_url => format!("{}/log/check?leaf={leaf}", self.campaign_url(&campaign)),
                leaf => leaf,
            }
        });
        let ctx = context! {
            name => &signature.signer.name,
            campaign_title => title_in(&campaign, lang),
            // A proposal's draft, signed by its sponsors, has no public page yet: the site's.
            campaign_url => match campaign.content.status.is_public() {
                true => self.campaign_url(&campaign),
                false => self.base_url.clone(),
            },
            receipt => receipt,
            reminder => reminder,
            confirm_url => &confirm_url,
            withdraw_url => withdraw_url,
            expires => self.pages.i18n.date(lang, expires.date()),
        };
        let template = if confirming { "confirm-signature" } else { "already-signed" };
        let rendered = self.pages.mail(template, lang, ctx)?;
        // "Already signed" holds no confirmation link: none is logged.
        let link = confirming.then_some(confirm_url);
        Ok(Some(ComposedMail::new(&signature.signer.name, signature.signer.email.as_str(), rendered, link)))
    }

    /// "Please confirm your organisation's endorsement", in the language its contact used.
    async fn confirm_endorsement(&self, mail: &QueuedMail) -> Composed {
        let Some(contact) = self.store.endorsement_contact(mail.ref_id).await? else { return Ok(None) };
        if contact.state != EndorsementState::Unverified {
            return Ok(None);
        }
        let Some(campaign) = self.campaign(contact.campaign_id).await? else { return Ok(None) };
        let lang = Lang::parse("lang", &contact.lang).unwrap_or_else(|_| Lang::known(FALLBACK));
        let expires = self.expires();
        let confirm_url = self.link(
            links::CONFIRM_ENDORSEMENT,
            TokenKind::ConfirmEndorsement,
            contact.id,
            expires,
            &contact.email_key,
        );
        let ctx = context! {
            name => &contact.contact_name,
            organisation => &contact.organisation,
            campaign_title => title_in(&campaign, &lang),
            campaign_url => self.campaign_url(&campaign),
            confirm_url => &confirm_url,
            expires => self.pages.i18n.date(&lang, expires.date()),
        };
        let rendered = self.pages.mail("confirm-endorsement", &lang, ctx)?;
        Ok(Some(ComposedMail::new(
            &contact.contact_name,
            &contact.contact_email,
            rendered,
            Some(confirm_url),
        )))
    }

    /// "Please confirm your comment". Comments do not record their writer's language: the
    /// campaign's is the best guess.
    async fn confirm_comment(&self, mail: &QueuedMail) -> Composed {
        let Some((comment, Some((email_key, email)))) = self.store.comment(mail.ref_id).await? else {
            return Ok(None);
        };
        if comment.status != CommentStatus::Unverified {
            return Ok(None);
        }
        let Some(campaign) = self.campaign(comment.campaign_id).await? else { return Ok(None) };
        let lang = campaign.content.default_lang.clone();
        let expires = self.expires();
        let link =
            self.link(links::CONFIRM_COMMENT, TokenKind::ConfirmComment, comment.id, expires, &email_key);
        let ctx = context! {
            name => &comment.name,
            campaign_title => title_in(&campaign, &lang),
            campaign_url => self.campaign_url(&campaign),
            link => &link,
            expires => self.pages.i18n.date(&lang, expires.date()),
        };
        let rendered = self.pages.mail("confirm-comment", &lang, ctx)?;
        Ok(Some(ComposedMail::new(&comment.name, &email, rendered, Some(link))))
    }

    /// The link to "manage my signature", asked for on the campaign's page.
    async fn manage_signature(&self, mail: &QueuedMail) -> Composed {
        let Some(signature) = self.store.signature(mail.ref_id).await? else { return Ok(None) };
        let Some(campaign) = self.campaign(signature.campaign_id).await? else { return Ok(None) };
        let lang = &signature.signer.lang;
        let expires = self.expires();
        let link = self.link(
            links::MANAGE_SIGNATURE,
            TokenKind::ManageSignature,
            signature.id,
            expires,
            &signature.email_key,
        );
        let ctx = context! {
            name => &signature.signer.name,
            campaign_title => title_in(&campaign, lang),
            campaign_url => self.campaign_url(&campaign),
            link => &link,
            expires => self.pages.i18n.date(lang, expires.date()),
        };
        let rendered = self.pages.mail("manage", lang, ctx)?;
        Ok(Some(ComposedMail::new(
            &signature.signer.name,
            signature.signer.email.as_str(),
            rendered,
            Some(link),
        )))
    }

    /// The invitation or password-reset mail of an account: a link to set its password. Moot for
    /// an invitation once a password is set.
    async fn account(&self, mail: &QueuedMail) -> Composed {
        let Some((user, hash)) = self.store.user_by_id(mail.ref_id).await? else { return Ok(None) };
        let invitation = mail.kind == MailKind::Invitation;
        if invitation && hash.is_some() {
            return Ok(None);
        }
        let expires = self.expires();
        let link = self.set_password_link(&user, hash.as_deref(), expires);
        let lang = self.organiser_lang(user.id).await?;
        let ctx = context! {
            name => &user.name,
            link => &link,
            site_url => &self.base_url,
            expires => self.pages.i18n.date(&lang, expires.date()),
        };
        let rendered =
            self.pages.mail(if invitation { "invitation" } else { "password-reset" }, &lang, ctx)?;
        Ok(Some(ComposedMail::new(&user.name, &user.email, rendered, Some(link))))
    }

    /// An update to one signer who asked for news, in their language, with a one-click unsubscribe.
    async fn update(&self, mail: &QueuedMail) -> Composed {
        let Some(signature) = self.store.signature(mail.ref_id).await? else { return Ok(None) };
        if !signature.signer.opt_in {
            return Ok(None);
        }
        let Some(update) = self.store.update(mail.cursor.unwrap_or(0)).await? else { return Ok(None) };
        let Some(campaign) = self.campaign(update.campaign_id).await? else { return Ok(None) };
        let lang = &signature.signer.lang;
        let Some(text) = update.text(lang, &campaign.content.default_lang) else { return Ok(None) };
        let unsubscribe = self.link(
            links::UNSUBSCRIBE,
            TokenKind::Unsubscribe,
            signature.id,
            long_lived(),
            &signature.email_key,
        );
        let ctx = context! {
            name => &signature.signer.name,
            campaign_title => title_in(&campaign, lang),
            campaign_url => self.campaign_url(&campaign),
            update_title => &text.title,
            update_text => &text.body,
            update_html => Value::from_safe_string(markdown::render(&text.body)),
            unsubscribe_url => &unsubscribe,
        };
        let rendered = self.pages.mail("update", lang, ctx)?;
        let composed =
            ComposedMail::new(&signature.signer.name, signature.signer.email.as_str(), rendered, None);
        Ok(Some(ComposedMail { unsubscribe: Some(unsubscribe), ..composed }))
    }

    /// A campaign as read in the last second.
    async fn campaign(&self, id: i64) -> Result<Option<Arc<Campaign>>, ComposeError> {
        let load = async { Ok::<_, ComposeError>(self.store.campaign_by_id(id).await?.map(Arc::new)) };
        self.campaigns.get_or_load(id, load).await
    }

    /// Until when a confirmation link works.
    fn expires(&self) -> OffsetDateTime {
        now() + self.token_ttl
    }

    /// The absolute address of `route` with a token for `id` in it.
    fn link(&self, route: &str, kind: TokenKind, id: i64, expires: OffsetDateTime, binding: &[u8]) -> String {
        let token = self.keys.token(kind, id, expires, binding);
        format!("{}{}", self.base_url, links::fill(route, &token))
    }

    /// The link to withdraw a signature, in every mail to its signer that carries one: it works
    /// for long, a signer may change their mind months later.
    fn withdraw_link(&self, signature: &Signature) -> String {
        let (id, binding) = (signature.id, &signature.email_key);
        self.link(links::WITHDRAW_SIGNATURE, TokenKind::WithdrawSignature, id, long_lived(), binding)
    }

    /// The link that sets an account's password, bound to its current hash (it works once).
    fn set_password_link(&self, user: &User, hash: Option<&str>, expires: OffsetDateTime) -> String {
        let binding = password_binding(user, hash);
        self.link(links::SET_PASSWORD, TokenKind::SetPassword, user.id, expires, &binding)
    }

    fn campaign_url(&self, campaign: &Campaign) -> String {
        format!("{}{}", self.base_url, links::fill(links::CAMPAIGN, campaign.content.slug.as_str()))
    }
}

/// Until when a withdrawal or unsubscribe link works.
fn long_lived() -> OffsetDateTime {
    now() + Duration::days(WITHDRAW_LINK_DAYS)
}

/// The campaign's title in the version a reader of `lang` gets.
fn title_in(campaign: &Campaign, lang: &Lang) -> String {
    campaign.content.version_for(std::slice::from_ref(lang)).title.clone()
}
