//! The delivery document as a PDF made by the server (`undersigned-pdf`), and the CSV of the names
//! it lists: what an organiser downloads from the delivery page and what the delivery mail
//! carries to the target. The same document as the printable HTML page (`organise::delivery`):
//! the appeal (its text as plain paragraphs), the numbered demands, the totals, the endorsing
//! organisations by region, the signers as they chose to be shown, the signature log's checkpoint
//! and the contact, in the language of the version.
//!
//! Names are read from the store a page at a time (keyset) and laid out as they come, in a
//! blocking thread; at most [`MAX_NAMES`] are listed (about 700 pages), the rest counted ("and N
//! more named signers: see the CSV export"), so that no campaign's document outgrows a mail or
//! the server's memory. The CSV holds what the document shows of each signer (number, name as
//! shown, country, date of confirming), never an address, with the same limit.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use undersigned_core::signature::{ListCursor, PublicSignature};
use undersigned_core::store::{Counts, now};
use undersigned_core::{Campaign, CampaignVersion, Endorsement, Endorser, Lang};
use undersigned_pdf::{Meta, Style, Writer};

use crate::i18n::{FALLBACK, Localizer};
use crate::render::campaign::region_groups;
use crate::{AppError, AppState};

/// Names listed in one document (and one CSV).
pub const MAX_NAMES: usize = 100_000;
/// Names read from the store at once.
const PAGE: u32 = 2_000;
/// The columns the names are laid out in.
const NAME_COLUMNS: usize = 3;

/// What the document says besides the names, read before they are.
struct Document {
    ui: Lang,
    version: CampaignVersion,
    /// The numbered demands as the version's readers read them, each with its marks (not yet
    /// translated, met on a day with the note), in the document's language.
    demands: Vec<String>,
    dated: Option<String>,
    contact: String,
    endorsements: Vec<Endorsement>,
    counts: Counts,
    goal: Option<u32>,
    checkpoint: Option<(u64, String)>,
    verifier_key: String,
    checkpoint_url: String,
}

/// The language a version's document is written in: the version's, where the site speaks it.
pub fn document_lang(state: &AppState, lang: &Lang) -> Lang {
    if state.pages.i18n.supports(lang) { lang.clone() } else { Lang::known(FALLBACK) }
}

/// The delivery document of `campaign`'s version in `lang`, as a PDF; `None` when it has no such
/// version.
pub async fn pdf(state: &AppState, campaign: &Campaign, lang: &Lang) -> Result<Option<Vec<u8>>, AppError> {
    let Some(version) = campaign.content.version(lang) else { return Ok(None) };
    let id = campaign.id;
    let slug = campaign.content.slug.as_str();
    let (endorsements, counts) = tokio::try_join!(state.store.endorsements(id), state.store.counts(id))?;
    let (checkpoint, note) = crate::signature_log::checkpoint(state, id, slug).await?;
    let ui = document_lang(state, lang);
    let c = &campaign.content;
    let doc = Document {
        dated: c.dated.map(|d| state.pages.i18n.date(&ui, d)),
        contact: match &c.contact.email {
            Some(email) => format!("{} · {}", c.contact.name, email.as_str()),
            None => c.contact.name.clone(),
        },
        demands: demand_lines(&state.pages.i18n, &ui, c, &version.lang),
        ui,
        version: version.clone(),
        endorsements,
        counts,
        goal: c.signature_goal,
        checkpoint: (checkpoint.size > 0).then_some((checkpoint.size, note)),
        verifier_key: crate::signature_log::log_key(state).verifier().to_string(),
        checkpoint_url: format!("{}/c/{slug}/log/checkpoint", state.config.base_url),
    };
    let state = state.clone();
    // Laying out is CPU work and the names come a page at a time: a thread of its own, which
    // waits for each page of names from the store.
    let runtime = tokio::runtime::Handle::current();
    let pdf = tokio::task::spawn_blocking(move || write(&state, &runtime, id, &doc))
        .await
        .map_err(|e| AppError::Internal(format!("the delivery PDF: {e}")))??;
    Ok(Some(pdf))
}

fn write(
    state: &AppState,
    runtime: &tokio::runtime::Handle,
    campaign: i64,
    doc: &Document,
) -> Result<Vec<u8>, AppError> {
    let i18n = &state.pages.i18n;
    let (ui, v) = (&doc.ui, &doc.version);
    let t = |key: &str| i18n.t(ui, key, None);
    let meta = Meta { title: &v.title, lang: v.lang.as_str(), footer: &v.title };
    let mut w = Writer::new(&state.config.delivery_font, meta).map_err(pdf_error)?;
    if !v.target.is_empty() {
        w.text(Style::Small, &format!("{}: {}", t("campaign-target"), v.target));
    }
    w.text(Style::Title, &v.title);
    if !v.summary.is_empty() {
        w.text(Style::Subheading, &v.summary);
    }
    if let Some(dated) = &doc.dated {
        w.text(Style::Small, &format!("{}: {dated}", t("campaign-dated")));
    }
    for (style, label, text) in plain_blocks(&v.body) {
        match label {
            Some(label) => w.item(style, &label, 14.0, &text),
            None => w.text(style, &text),
        }
    }
    demands(&mut w, i18n, ui, &doc.demands);
    totals(&mut w, i18n, ui, doc);
    endorsements(&mut w, i18n, ui, &doc.endorsements);
    names(&mut w, state, runtime, campaign, ui, doc.counts.signatures)?;
    if let Some((size, note)) = &doc.checkpoint {
        w.keep(80.0);
        w.text(Style::Heading, &t("delivery-log-heading"));
        w.text(Style::Small, &i18n.t1(ui, "delivery-log-text", "size", *size));
        for line in note.lines() {
            w.text(Style::Small, line);
        }
        w.text(Style::Small, &format!("{} {}", t("delivery-log-key"), doc.verifier_key));
        w.text(Style::Small, &i18n.t1(ui, "delivery-log-check", "url", doc.checkpoint_url.clone()));
    }
    w.text(Style::Body, &format!("{}: {}", t("campaign-contact-heading"), doc.contact));
    w.finish().map_err(pdf_error)
}

fn pdf_error(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(format!("the delivery PDF: {e}"))
}

/// The demands as `lang`'s readers read them, one text each: the demand, "(not yet translated)"
/// where it is shown in another language's words, and "Met on {date}: note" where the target
/// conceded it; the same marks as the page's (`demand-item.html`).
fn demand_lines(
    i18n: &Localizer,
    ui: &Lang,
    content: &undersigned_core::CampaignContent,
    lang: &Lang,
) -> Vec<String> {
    content
        .demands_in(lang)
        .into_iter()
        .map(|d| {
            let mut line = d.text.to_owned();
            if !d.translated {
                line.push_str(&format!(" ({})", i18n.t(ui, "demand-untranslated", None)));
            }
            if let Some(met) = &d.met {
                line.push('\n');
                line.push_str(&i18n.t1(ui, "demand-met-on", "date", i18n.date(ui, met.on)));
                if let Some(note) = met.note {
                    line.push_str(&i18n.t(ui, "demand-met-note-separator", None));
                    line.push_str(note);
                }
            }
            line
        })
        .collect()
}

/// The numbered demands of the version: the one place the document writes them.
fn demands(w: &mut Writer, i18n: &Localizer, ui: &Lang, demands: &[String]) {
    if demands.is_empty() {
        return;
    }
    w.keep(60.0);
    w.text(Style::Heading, &i18n.t(ui, "campaign-demands-heading", None));
    let indent = w.width(Style::Body, &format!("{}.", demands.len())) + 8.0;
    for (i, demand) in demands.iter().enumerate() {
        w.item(Style::Body, &format!("{}.", i + 1), indent, demand);
    }
}

fn totals(w: &mut Writer, i18n: &Localizer, ui: &Lang, doc: &Document) {
    let counts = &doc.counts;
    let individuals = counts.individuals();
    w.keep(60.0);
    w.text(Style::Heading, &i18n.t(ui, "delivery-totals-heading", None));
    let text = i18n.t1(ui, "counts-individuals", "count", individuals);
    w.text(Style::Body, &format!("{} {text}", i18n.number(ui, individuals)));
    if counts.organisations > 0 {
        w.text(Style::Body, &i18n.t1(ui, "counts-organisations", "count", counts.organisations));
    }
    if let Some(goal) = doc.goal {
        let mut args = fluent_bundle::FluentArgs::new();
        args.set("percent", (individuals * 100 / i64::from(goal.max(1))).min(100));
        args.set("goal", i18n.number(ui, i64::from(goal)));
        args.set("count", goal);
        w.text(Style::Body, &i18n.t(ui, "counts-goal", Some(&args)));
    }
    w.text(Style::Body, &i18n.t1(ui, "delivery-generated", "date", i18n.date(ui, now().date())));
}

fn endorsements(w: &mut Writer, i18n: &Localizer, ui: &Lang, endorsements: &[Endorsement]) {
    if endorsements.is_empty() {
        return;
    }
    w.keep(60.0);
    w.text(Style::Heading, &i18n.t(ui, "endorsements-heading", None));
    for (region, group) in region_groups(endorsements) {
        let region = match region {
            Some(code) => i18n.country(ui, code),
            None => i18n.t(ui, "endorsements-region-none", None),
        };
        w.keep(40.0);
        w.text(Style::Subheading, &region);
        for e in group {
            let mut line = match &e.spec.endorser {
                Endorser::Organisation { name, org_type, .. } => {
                    format!("{name} ({})", i18n.t(ui, &format!("org-type-{}", org_type.as_str()), None))
                }
                Endorser::Person { name } => name.clone(),
                Endorser::Individuals { count } => i18n.t1(ui, "endorsement-individuals", "count", *count),
            };
            if e.source.is_offline() {
                line = format!("{line} {}", i18n.t(ui, "endorsement-offline", None));
            }
            w.item(Style::Body, "•", 12.0, &line);
        }
    }
}

/// The signers who chose to be named, numbered, in columns, page by page from the store; then how
/// many chose not to be.
fn names(
    w: &mut Writer,
    state: &AppState,
    runtime: &tokio::runtime::Handle,
    campaign: i64,
    ui: &Lang,
    confirmed: i64,
) -> Result<(), AppError> {
    let i18n = &state.pages.i18n;
    w.keep(60.0);
    w.text(Style::Heading, &i18n.t(ui, "signatures-individuals-heading", None));
    let widest = confirmed.clamp(1, MAX_NAMES as i64);
    let indent = w.width(Style::Small, &format!("{widest}.")) + 4.0;
    w.columns(NAME_COLUMNS);
    let mut listed = 0_usize;
    let more = for_each_name(state, runtime, campaign, |s| {
        listed += 1;
        let line = format!("{} · {}", s.name, i18n.country(ui, &s.country));
        w.item(Style::Small, &format!("{listed}."), indent, &line);
    })?;
    w.end_columns();
    if more > 0 {
        w.text(Style::Body, &i18n.t1(ui, "delivery-pdf-more", "count", i18n.number(ui, more)));
    }
    let unlisted = confirmed - listed as i64 - more;
    if unlisted > 0 {
        w.text(Style::Body, &i18n.t1(ui, "delivery-unlisted", "count", i18n.number(ui, unlisted)));
    }
    Ok(())
}

/// Calls `each` on the first [`MAX_NAMES`] named signers (newest first, as the public list), read
/// a page at a time; how many named signers there are beyond them.
fn for_each_name(
    state: &AppState,
    runtime: &tokio::runtime::Handle,
    campaign: i64,
    mut each: impl FnMut(&PublicSignature),
) -> Result<i64, AppError> {
    let (mut after, mut seen, mut beyond) = (None, 0_usize, 0_i64);
    loop {
        let page = runtime.block_on(state.store.public_signatures(campaign, after, PAGE))?;
        for s in &page {
            if seen < MAX_NAMES {
                each(s);
                seen += 1;
            } else {
                beyond += 1;
            }
        }
        match page.last() {
            Some(last) if page.len() == PAGE as usize => {
                after = Some(ListCursor { confirmed_at: last.confirmed_at, id: last.id });
            }
            _ => return Ok(beyond),
        }
    }
}

/// The CSV of the names the document lists: number, name as shown, country (its code and its
/// name in `lang`), the day the signature was confirmed. UTF-8 with a byte-order mark, so that a
/// spreadsheet opens Chinese names correctly.
pub async fn csv(state: &AppState, campaign: &Campaign, lang: &Lang) -> Result<Vec<u8>, AppError> {
    let (state, id, ui) = (state.clone(), campaign.id, document_lang(state, lang));
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
        let failed = |e: csv::Error| AppError::Internal(format!("the delivery CSV: {e}"));
        out.write_record(["number", "name", "country", "country_name", "confirmed_on"]).map_err(failed)?;
        let mut n = 0_usize;
        let mut error = None;
        for_each_name(&state, &runtime, id, |s| {
            n += 1;
            let country = state.pages.i18n.country(&ui, &s.country);
            let row = [
                n.to_string(),
                s.name.clone(),
                s.country.clone(),
                country,
                s.confirmed_at.date().to_string(),
            ];
            if let Err(e) = out.write_record(&row) {
                error.get_or_insert(e);
            }
        })?;
        if let Some(e) = error {
            return Err(failed(e));
        }
        out.into_inner().map_err(|e| AppError::Internal(format!("the delivery CSV: {e}")))
    })
    .await
    .map_err(|e| AppError::Internal(format!("the delivery CSV: {e}")))?
}

/// A Markdown text as the document's blocks: paragraphs and headings as text, list items with
/// their bullet or number; emphasis, links (their text) and code as plain text, pictures and
/// HTML left out.
fn plain_blocks(markdown: &str) -> Vec<(Style, Option<String>, String)> {
    let mut blocks = Vec::new();
    let mut text = String::new();
    let mut style = Style::Body;
    // The lists open around the current item: the next number of each ordered one.
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut label = None;
    let mut in_image = 0_u32;
    let mut flush = |text: &mut String, style: Style, label: &mut Option<String>| {
        let trimmed = text.trim();
        if !trimmed.is_empty() {
            blocks.push((style, label.take(), trimmed.to_owned()));
        }
        text.clear();
    };
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                flush(&mut text, style, &mut label);
                style = Style::Subheading;
            }
            Event::End(TagEnd::Heading(_)) => {
                flush(&mut text, style, &mut label);
                style = Style::Body;
            }
            Event::Start(Tag::List(first)) => {
                flush(&mut text, style, &mut label);
                lists.push(first);
            }
            Event::End(TagEnd::List(_)) => {
                flush(&mut text, style, &mut label);
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                flush(&mut text, style, &mut label);
                label = Some(match lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}.", *n - 1)
                    }
                    _ => "•".to_owned(),
                });
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::BlockQuote(_) | TagEnd::CodeBlock) => {
                flush(&mut text, style, &mut label);
            }
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            Event::Text(t) | Event::Code(t) if in_image == 0 => text.push_str(&t),
            Event::SoftBreak => text.push(' '),
            Event::HardBreak => text.push('\n'),
            _ => {}
        }
    }
    flush(&mut text, style, &mut label);
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_plain_paragraphs_headings_and_items() {
        let blocks = plain_blocks(
            "## 背景\n\n蔡光業**被捕**，見[報道](https://example.org)。\n\n1. 一\n2. 二\n\n- a\n\n![pic](x.png)\n\nEnd  \nline",
        );
        let got: Vec<(Style, Option<&str>, &str)> =
            blocks.iter().map(|(s, l, t)| (*s, l.as_deref(), t.as_str())).collect();
        assert_eq!(
            got,
            [
                (Style::Subheading, None, "背景"),
                (Style::Body, None, "蔡光業被捕，見報道。"),
                (Style::Body, Some("1."), "一"),
                (Style::Body, Some("2."), "二"),
                (Style::Body, Some("•"), "a"),
                (Style::Body, None, "End\nline"),
            ]
        );
    }
}
