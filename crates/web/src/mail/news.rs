//! News the server posts for the organisers, to the signers who asked for news: a demand met and
//! a milestone reached. Each is an update (`undersigned_core::update`), one text per language
//! version of the campaign, so it goes out as updates do (in each signer's language, in turns,
//! with the one-click unsubscribe) and shows among the campaign's updates.

use fluent_bundle::FluentArgs;
use undersigned_core::demand::DemandMet;
use undersigned_core::store::UpdateText;
use undersigned_core::{CampaignContent, Lang};

use crate::i18n::Localizer;

/// The words of the site nearest to a version's language (its own where the site has them).
fn ui_for(i18n: &Localizer, lang: &Lang) -> Lang {
    i18n.negotiate(std::slice::from_ref(lang))
}

/// "Demand 2 was met": the demand as each version reads it, the day and the note.
pub fn demand_met(i18n: &Localizer, content: &CampaignContent, key: u32, met: &DemandMet) -> Vec<UpdateText> {
    content
        .versions
        .iter()
        .filter_map(|v| {
            let demands = content.demands_in(&v.lang);
            let d = demands.iter().find(|d| d.key == key)?;
            let ui = ui_for(i18n, &v.lang);
            let mut args = FluentArgs::new();
            args.set("number", d.number);
            args.set("date", i18n.date(&ui, met.on));
            let title = i18n.t(&ui, "news-demand-met-title", Some(&args));
            let mut body = format!("{}\n\n> {}", i18n.t(&ui, "news-demand-met-body", Some(&args)), d.text);
            if let Some(note) = met.note(&v.lang).or_else(|| met.note(&content.default_lang)) {
                body.push_str("\n\n");
                body.push_str(note);
            }
            Some(UpdateText { lang: v.lang.clone(), title, body })
        })
        .collect()
}

/// "10,000 people have signed": the count, and what the threshold means where it says.
pub fn milestone(
    i18n: &Localizer,
    content: &CampaignContent,
    count: i64,
    label: impl Fn(&Lang) -> Option<String>,
) -> Vec<UpdateText> {
    content
        .versions
        .iter()
        .map(|v| {
            let ui = ui_for(i18n, &v.lang);
            let mut args = FluentArgs::new();
            args.set("count", count);
            args.set("number", i18n.number(&ui, count));
            args.set("title", v.title.clone());
            let title = i18n.t(&ui, "news-milestone-title", Some(&args));
            let mut body = i18n.t(&ui, "news-milestone-body", Some(&args));
            if let Some(label) = label(&v.lang) {
                body.push_str("\n\n");
                body.push_str(&label);
            }
            UpdateText { lang: v.lang.clone(), title, body }
        })
        .collect()
}
