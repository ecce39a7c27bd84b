//! What pages share in how they are drawn: the templates ([`pages`]), forms after a refusal
//! ([`forms`]), text ([`markdown`], [`linkify`]), the one-message pages ([`messages`]), the
//! pieces of a campaign that several pages show ([`campaign`], [`share`], [`updates`]), the site's
//! own pages that every footer links to ([`site_pages`]); and
//! [`escape_xml`] for the SVG drawn by hand.

pub mod assets;
pub mod campaign;
pub mod delivery;
pub mod embed;
pub mod forms;
pub mod linkify;
pub mod markdown;
pub mod messages;
pub mod pages;
pub mod partners;
pub mod pictures;
pub mod share;
pub mod site_pages;
pub mod updates;

/// `text` safe in XML text and quoted attributes (SVG drawn by hand), without the characters XML
/// does not allow.
pub fn escape_xml(text: &str) -> String {
    undersigned_core::validation::xml_text(text)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}
