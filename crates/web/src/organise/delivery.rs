//! The delivery document: what is handed to whom the appeal is addressed. One per language: the
//! appeal and its demands, the endorsing organisations by region, every individual as they chose
//! to be shown, the totals and the date; laid out for printing ("save as PDF" in the browser).
//!
//! `POST` with the form's CSRF token, since it is logged as an export: a link from elsewhere
//! cannot make an organiser's browser produce one. The names are streamed page by page (keyset),
//! so a campaign of millions costs the memory of one page.

use axum::Form;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures_util::{StreamExt, stream};
use minijinja::{HtmlEscape, Value, context};
use undersigned_core::Lang;
use undersigned_core::account::Action;
use undersigned_core::signature::ListCursor;
use undersigned_core::store::now;

use super::{CurrentUser, audit, authorize};
use crate::i18n::Localizer;
use crate::render::campaign::{by_region, counts_context, version_context};
use crate::{AppError, AppState, Visitor};

/// Names read from the store per page of the document.
const PAGE: u32 = 2_000;

#[derive(serde::Deserialize)]
pub struct DeliveryForm {
    #[serde(default)]
    csrf: String,
}

pub async fn document(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path((slug, lang)): Path<(String, String)>,
    Form(form): Form<DeliveryForm>,
) -> Result<Response, AppError> {
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    let dashboard = format!("/organise/c/{slug}");
    let auth = authorize(&state, current, &slug, Action::ExportSignatures, &dashboard).await?;
    let lang = Lang::parse("lang", &lang).map_err(|_| AppError::NotFound)?;
    let c = &auth.campaign.content;
    let version = c.version(&lang).ok_or(AppError::NotFound)?;
    let id = auth.campaign.id;
    let (endorsements, counts) = tokio::try_join!(state.store.endorsements(id), state.store.counts(id))?;
    // The signature log's checkpoint: what the target checks an export against.
    let (checkpoint, note) = crate::signature_log::checkpoint(&state, id, &slug).await?;
    // The whole document speaks the version's language, where the site does; its language links
    // lead back to the dashboard (the document itself is a POST).
    let ui = if state.pages.i18n.supports(&lang) { lang.clone() } else { visitor.ui.clone() };
    let doc = visitor.reading(ui, dashboard);
    let i18n = &state.pages.i18n;
    // Where the names go: a comment no text of the campaign can contain.
    let slot = format!("<!--signers-{:032x}-->", rand::random::<u128>());
    let page = context! {
        title => &version.title,
        version => version_context(i18n, &doc.ui, c, version),
        dated => c.dated.map(|d| i18n.date(&doc.ui, d)),
        contact_name => &c.contact.name,
        contact_email => c.contact.email.as_ref().map(|e| e.as_str()),
        groups => by_region(i18n, &doc.ui, &endorsements),
        signers => Value::from_safe_string(slot.clone()),
        counts => counts_context(i18n, &doc.ui, &counts, c.signature_goal),
        generated => i18n.date(&doc.ui, now().date()),
        checkpoint => (checkpoint.size > 0).then_some(&note),
        checkpoint_size => checkpoint.size,
        verifier_key => crate::signature_log::log_key(&state).verifier().to_string(),
        checkpoint_url => format!("{}/c/{slug}/log/checkpoint", state.config.base_url),
    };
    let html = state.pages.render("delivery.html", &doc, page)?.0;
    let (head, tail) = html.split_once(&slot).ok_or(AppError::NotFound)?;
    let (head, tail) = (Bytes::from(head.to_owned()), tail.to_owned());
    audit(&state, &auth.user, Some(id), "print-delivery", format!("campaign {slug}, {lang}"), String::new())
        .await;
    let names = signers(state.clone(), id, doc.ui.clone(), counts.signatures);
    let body = stream::once(async move { Ok(head) })
        .chain(names)
        .chain(stream::once(async move { Ok(Bytes::from(tail)) }));
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], Body::from_stream(body)).into_response())
}

/// The list of named signers, a page at a time, then how many chose not to be named.
fn signers(
    state: AppState,
    campaign: i64,
    lang: Lang,
    confirmed: i64,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> {
    enum Step {
        Page(Option<ListCursor>, i64),
        Done,
    }
    let open = Bytes::from_static(b"<ol class=\"delivery-names\">");
    stream::once(async move { Ok(open) }).chain(stream::unfold(Step::Page(None, 0), move |step| {
        let state = state.clone();
        let lang = lang.clone();
        async move {
            let Step::Page(after, listed) = step else { return None };
            let page = match state.store.public_signatures(campaign, after, PAGE).await {
                Ok(page) => page,
                Err(e) => {
                    // Cut short, so that nobody prints a document that looks whole.
                    tracing::error!(error = %e, "the delivery document stopped");
                    return Some((Err(std::io::Error::other(e.to_string())), Step::Done));
                }
            };
            let i18n = &state.pages.i18n;
            let mut html = String::new();
            for s in &page {
                let country = i18n.country(&lang, &s.country);
                let place = HtmlEscape(&country);
                html.push_str(&format!(
                    "\n<li>{} <span class=\"signer-country\">{place}</span></li>",
                    HtmlEscape(&s.name)
                ));
            }
            let listed = listed + page.len() as i64;
            let next = match page.last() {
                Some(last) if page.len() == PAGE as usize => {
                    Step::Page(Some(ListCursor { confirmed_at: last.confirmed_at, id: last.id }), listed)
                }
                _ => {
                    html.push_str(&unlisted(i18n, &lang, confirmed - listed));
                    Step::Done
                }
            };
            Some((Ok(Bytes::from(html)), next))
        }
    }))
}

fn unlisted(i18n: &Localizer, lang: &Lang, n: i64) -> String {
    let text = i18n.t1(lang, "delivery-unlisted", "count", i18n.number(lang, n));
    format!("\n</ol>\n<p>{}</p>", HtmlEscape(&text))
}
