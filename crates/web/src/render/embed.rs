//! How other sites show a campaign: the `<iframe>` of its embeddable page (`/c/{slug}/embed`),
//! given by oEmbed and as a snippet to copy on the organisers' dashboard, with the count badge
//! and a plain link.

use minijinja::{Value, context};
use undersigned_core::{Campaign, Lang};

use crate::render::campaign::version_for;
use crate::render::escape_xml;
use crate::render::share::encode;
use crate::{AppState, Visitor};

/// The frame's size when nothing else is asked: one column of the count, the demands and the
/// sign form, which scrolls inside the frame where it is longer.
pub const WIDTH: u32 = 480;
pub const HEIGHT: u32 = 900;

/// What the framed page may do. No `allow-scripts`: it has none. `allow-forms` to sign;
/// `allow-same-origin` so that it stays on our origin (without it the browser gives the frame an
/// opaque origin and sends its form with `Origin: null`, which our check of where a form came
/// from refuses); `allow-popups` and `allow-popups-to-escape-sandbox` for "read the full appeal",
/// which opens the campaign in a tab of its own; and a top-level navigation only when the person
/// clicks.
pub const SANDBOX: &str = "allow-forms allow-popups allow-popups-to-escape-sandbox allow-same-origin \
                           allow-top-navigation-by-user-activation";

/// The address of a campaign's embeddable page, in `lang` when one is asked for.
pub fn src(base: &str, slug: &str, lang: Option<&Lang>) -> String {
    match lang {
        Some(lang) => format!("{base}/c/{slug}/embed?lang={}", encode(lang.as_str())),
        None => format!("{base}/c/{slug}/embed"),
    }
}

/// The `<iframe>` of the page at `src`, titled `title` (what a screen reader announces), every
/// value escaped.
pub fn iframe(src: &str, title: &str, width: u32, height: u32) -> String {
    format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"{width}\" height=\"{height}\" loading=\"lazy\" \
         referrerpolicy=\"no-referrer\" sandbox=\"{SANDBOX}\" style=\"border:0;max-width:100%\"></iframe>",
        escape_xml(src),
        escape_xml(title),
    )
}

/// The snippets an organiser copies into another site: the frame, the badge and a plain link,
/// in the version the organiser reads (the frame and the link follow the reader's language on
/// the other site unless `?lang=` fixes one).
pub fn snippets(state: &AppState, visitor: &Visitor, campaign: &Campaign) -> Value {
    let (base, slug) = (&state.config.base_url, campaign.content.slug.as_str());
    let title = &version_for(campaign, visitor).title;
    let page = format!("{base}/c/{slug}");
    let alt = state.pages.i18n.t1(&visitor.ui, "embed-badge-alt", "title", title.clone());
    let badge = format!(
        "<a href=\"{page}\"><img src=\"{page}/badge.svg\" alt=\"{}\" height=\"20\"></a>",
        escape_xml(&alt)
    );
    context! {
        frame => iframe(&src(base, slug, None), title, WIDTH, HEIGHT),
        badge => badge,
        link => format!("<a href=\"{page}\">{}</a>", escape_xml(title)),
    }
}
