//! The stylesheet and icon, embedded in the binary. Their addresses carry a hash of their
//! content, so browsers may keep them for a year and still see a new version at once.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::LazyLock;

pub(crate) const STYLESHEET: &str = include_str!("../../static/style.css");
pub(crate) const ICON: &str = include_str!("../../static/icon.svg");
/// The scripts of the pages that need the browser to do crypto (`/organise/keys`, `/open`), and
/// the age library they use (npm `age-encryption`, bundled: the command is at the top of the file).
pub(crate) const KEYS_JS: &str = include_str!("../../static/keys.js");
pub(crate) const OPEN_JS: &str = include_str!("../../static/open.js");
/// Passkeys: the two WebAuthn ceremonies of the second-factor pages.
pub(crate) const PASSKEYS_JS: &str = include_str!("../../static/passkeys.js");
pub(crate) const AGE_JS: &str = include_str!("../../static/age-encryption.js");
pub(crate) const AGE_LICENSE: &str = include_str!("../../static/age-encryption.LICENSE.txt");
/// The picture shared links show (Open Graph), 1200 × 630.
pub(crate) const CARD: &[u8] = include_bytes!("../../static/card.png");

fn version(content: &str) -> String {
    let mut h = DefaultHasher::new();
    content.hash(&mut h);
    format!("{:x}", h.finish() & 0xffff_ffff)
}

static STYLESHEET_URL: LazyLock<String> =
    LazyLock::new(|| format!("/static/style.css?v={}", version(STYLESHEET)));
static ICON_URL: LazyLock<String> = LazyLock::new(|| format!("/static/icon.svg?v={}", version(ICON)));

pub fn stylesheet_url() -> &'static str {
    &STYLESHEET_URL
}

pub fn icon_url() -> &'static str {
    &ICON_URL
}
