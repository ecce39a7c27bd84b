//! What the campaign page and its sign form show of a campaign's partners (issue 16): the list
//! (the lead first, each name linked to its website, its logo beside it), the consent questions, and the link's
//! `?via=`/`?src=` carried in hidden fields; and what a submitted form's fields become
//! ([`source_of`]), checked against the partners.
//!
//! Which consent questions a signer sees: the lead's always (if the lead asks), and the partner's
//! whose link brought them (if the lead lets it ask). Proca shows the widget's organisation's and
//! the lead's; a signer is asked two questions at most, never a list of every partner.

use std::collections::BTreeSet;

use minijinja::{Value, context};
use serde::Deserialize;
use undersigned_core::organisation::{Logo, Partner, SignatureSource, parse_slug, source_code};
use undersigned_core::signature::SignatureInput;
use undersigned_core::{Campaign, Lang};

use crate::i18n::Localizer;
use crate::{AppError, AppState};

/// The size a partner's logo is shown at by its name: 40 pixels high, 160 wide at most.
const LOGO_SHOWN: (u32, u32) = (40, 160);

/// A logo as a page's `<img>` has it: its address, and the size to show it at (`(height, max
/// width)`, see [`Logo::shown`]).
pub fn logo_value(logo: &Logo, (height, max_width): (u32, u32)) -> Value {
    let (width, height) = logo.shown(height, max_width);
    context! { src => logo.path(), width => width, height => height }
}

/// A campaign link's query: which partner's link it is and the source code.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LinkQuery {
    via: String,
    src: String,
}

impl LinkQuery {
    /// The `via` and `src` as they may be kept (a well-formed slug, a short plain code), else
    /// empty: what the page's form carries and its cache key holds.
    pub fn kept(&self) -> (String, String) {
        (parse_slug("via", &self.via).unwrap_or_default(), source_code(&self.src).unwrap_or_default())
    }
}

/// The consent question's text: as the campaign's owner wrote it for this language version,
/// else the default, with the organisation's name.
fn question(i18n: &Localizer, ui: &Lang, version: &Lang, partner: &Partner) -> String {
    match partner.consent_text(version) {
        Some(text) => text.to_owned(),
        None => {
            let mut args = fluent_bundle::FluentArgs::new();
            args.set("org", partner.organisation.name.clone());
            i18n.t(ui, "sign-consent-default", Some(&args))
        }
    }
}

/// The page's `coalition`: the partners listed, the link's partner and code for the hidden fields,
/// and the consent questions asked (`consent_lead`, `consent_via`).
pub fn context(
    i18n: &Localizer,
    ui: &Lang,
    version: &Lang,
    partners: &[Partner],
    typed: &SignatureInput,
) -> Value {
    let via = partners.iter().find(|p| p.organisation.slug == typed.via.trim());
    let src = source_code(&typed.src);
    let listed: Vec<Value> = partners
        .iter()
        .map(|p| {
            context! {
                name => &p.organisation.name,
                website => &p.organisation.website,
                lead => p.lead,
                logo => p.organisation.logo.as_ref().map(|l| logo_value(l, LOGO_SHOWN)),
            }
        })
        .collect();
    let mut questions = Vec::new();
    for p in partners.iter().filter(|p| p.asks(via.map(|v| v.organisation.id))) {
        let (field, ticked) = if p.lead {
            ("consent_lead", typed.consent_lead.as_deref())
        } else {
            ("consent_via", typed.consent_via.as_deref())
        };
        questions.push(context! {
            field => field,
            slug => &p.organisation.slug,
            text => question(i18n, ui, version, p),
            checked => ticked == Some(p.organisation.slug.as_str()),
        });
    }
    context! {
        partners => listed,
        via => via.map(|p| &p.organisation.slug),
        src => src,
        questions => questions,
    }
}

/// What a sign form's hidden fields and consent boxes give, checked: the partner if it is one of
/// the campaign's, the code if it is short and plain, the consents only to partners whose question
/// was asked. A form with none of them (nearly all, and every form of a campaign without partners)
/// costs no query.
pub async fn source_of(
    state: &AppState,
    campaign: &Campaign,
    typed: &SignatureInput,
) -> Result<SignatureSource, AppError> {
    let src = source_code(&typed.src);
    if typed.via.trim().is_empty() && typed.consents_asked.is_empty() {
        return Ok(SignatureSource { src, ..Default::default() });
    }
    let partners = state.store.campaign_partners(campaign.id).await?;
    let via = partners.iter().find(|p| p.organisation.slug == typed.via.trim()).map(|p| p.organisation.id);
    let consents = (!typed.consents_asked.is_empty()).then(|| {
        let ticked: BTreeSet<&str> =
            [&typed.consent_lead, &typed.consent_via].into_iter().flatten().map(|s| s.trim()).collect();
        partners
            .iter()
            .filter(|p| p.asks(via) && ticked.contains(p.organisation.slug.as_str()))
            .map(|p| p.organisation.id)
            .collect()
    });
    Ok(SignatureSource { via, src, consents })
}
