//! Pictures in a campaign's appeal, and the one it is shared with.
//!
//! A picture is uploaded once, made into a few renditions (the `undersigned-picture` crate checks
//! it, strips its metadata and resizes it), and kept in the database with them, so that a backup
//! of the database holds every picture. It is addressed by a random key, never by its number: a
//! draft's pictures are served only to whoever was given the key (the proposal's sponsors, say),
//! and numbers in order would let anyone walk through them.

use crate::id::CampaignId;
use crate::validation::{self, ValidationError};

/// The most pictures one campaign may hold: enough for any appeal, few enough that a campaign
/// cannot be used to store someone's photo library.
pub const MAX_PER_CAMPAIGN: u32 = 50;

/// The longest alt text, in characters: a sentence or two that describes the picture to someone
/// who cannot see it, not a caption of a page.
pub const MAX_ALT: usize = 300;

/// The random key a picture's addresses are made of: 16 random bytes in lower-case hex.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct PictureKey(String);

impl PictureKey {
    const LEN: usize = 32;

    /// A new key, unguessable (128 random bits).
    pub fn random() -> Self {
        Self(hex::encode(rand::random::<[u8; 16]>()))
    }

    /// A key from an address or from the database: `None` unless it is 32 lower-case hex digits,
    /// so that nothing else reaches a query.
    pub fn parse(value: &str) -> Option<Self> {
        (value.len() == Self::LEN && value.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
            .then(|| Self(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for PictureKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A picture's alt text, as typed in the field `field`: required, one line, at most [`MAX_ALT`]
/// characters. A picture without it says nothing to a reader who cannot see it.
pub fn alt_text(field: &str, value: &str) -> Result<String, ValidationError> {
    validation::text(field, value, 1, MAX_ALT, false)
}

/// One size of a picture, encoded, ready to store.
#[derive(Clone, PartialEq, Eq)]
pub struct NewRendition {
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for NewRendition {
    // Not the bytes: a picture in a log or a failed assertion is only noise.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NewRendition {{ {} × {}, {} bytes }}", self.width, self.height, self.bytes.len())
    }
}

/// A picture made ready to store: its key, its alt text, and its renditions (narrowest first,
/// never empty), all of one media type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPicture {
    pub key: PictureKey,
    pub alt: String,
    /// The size of the widest rendition.
    pub width: u32,
    pub height: u32,
    /// As `image/jpeg`.
    pub media_type: String,
    pub renditions: Vec<NewRendition>,
}

/// A stored picture, without its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Picture {
    pub id: i64,
    pub key: PictureKey,
    pub campaign_id: CampaignId,
    pub alt: String,
    pub width: u32,
    pub height: u32,
    pub media_type: String,
    /// Whether it is the campaign's share picture (the one Open Graph names).
    pub share: bool,
    pub created_at: time::OffsetDateTime,
    /// The widths of its renditions, narrowest first.
    pub widths: Vec<u32>,
}

impl Picture {
    /// The address of its rendition `width` pixels wide, on this site.
    pub fn path(&self, width: u32) -> String {
        format!("/media/{}/{width}", self.key)
    }

    /// The address of its widest rendition.
    pub fn widest_path(&self) -> String {
        self.path(self.widths.last().copied().unwrap_or(self.width))
    }

    /// Its height when shown `width` pixels wide, as the renditions are.
    pub fn height_at(&self, width: u32) -> u32 {
        let (w, h) = (u64::from(self.width.max(1)), u64::from(self.height));
        u32::try_from((h * u64::from(width) + w / 2) / w).unwrap_or(u32::MAX).max(1)
    }
}

/// A rendition as served: its bytes, its type, and whose it is (the server checks that the
/// campaign may be seen).
#[derive(Clone, PartialEq, Eq)]
pub struct RenditionFile {
    pub campaign_id: CampaignId,
    pub media_type: String,
    pub width: u32,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for RenditionFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "RenditionFile {{ campaign {}, {} wide, {} bytes }}",
            self.campaign_id,
            self.width,
            self.bytes.len()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_32_hex_digits_and_nothing_else_parses() {
        let key = PictureKey::random();
        assert_eq!(PictureKey::parse(key.as_str()), Some(key.clone()));
        assert_ne!(PictureKey::random(), key);
        for bad in
            ["", "../etc/passwd", &key.as_str().to_uppercase(), &key.as_str()[1..], "g".repeat(32).as_str()]
        {
            assert_eq!(PictureKey::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn alt_text_is_required_and_one_short_line() {
        assert_eq!(alt_text("alt", "  Dockers on strike  ").unwrap(), "Dockers on strike");
        assert!(alt_text("alt", "   ").is_err());
        assert!(alt_text("alt", "two\nlines").is_err());
        assert!(alt_text("alt", &"x".repeat(MAX_ALT + 1)).is_err());
    }
}
