//! The one font the document is written in, and what it says of each character: its glyph and how
//! wide it is.
//!
//! Bundled: WenQuanYi Micro Hei (Debian's `fonts-wqy-microhei`, Apache-2.0, 5 MB), one TrueType
//! face with Latin, Greek and Cyrillic (from Droid Sans) and the CJK ideographs of both GB 2312/GBK
//! and Big5 (from Droid Sans Fallback): Simplified and Traditional Chinese, English and most
//! European languages from one file, so that a server started with `cargo run` on a machine with
//! no fonts at all writes Chinese correctly. Droid Sans Fallback alone (4 MB) has no Latin letters;
//! Noto Sans CJK (OpenType/CFF) is 16 MB or more per face. An operator who wants another face
//! (a region's glyph forms, Hong Kong's HKSCS characters) names a TrueType or OpenType file
//! (`--delivery-font`). The PDF embeds only the glyphs it uses (krilla subsets it).

use std::path::Path;

use skrifa::instance::{LocationRef, Size};
use skrifa::raw::TableProvider;
use skrifa::{FontRef, GlyphId, MetadataProvider};

const BUNDLED: &[u8] = include_bytes!("../fonts/wqy-microhei.ttc");

/// A font's bytes (kept for the life of the process: read once at start) and its face's index.
#[derive(Clone)]
pub struct FontFile {
    data: &'static [u8],
    index: u32,
}

impl std::fmt::Debug for FontFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let bundled = std::ptr::eq(self.data, BUNDLED);
        f.debug_struct("FontFile").field("bundled", &bundled).field("bytes", &self.data.len()).finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FontError {
    #[error("the font file {0} cannot be read: {1}")]
    Read(String, std::io::Error),
    #[error("{0} holds no TrueType or OpenType face number {1}")]
    Face(String, u32),
}

impl FontFile {
    /// WenQuanYi Micro Hei, built into the binary.
    pub fn bundled() -> Self {
        Self { data: BUNDLED, index: 0 }
    }

    /// A font file of the operator's (a face of a collection by its index), read once: it lives as
    /// long as the process (one per server).
    pub fn load(path: &Path, index: u32) -> Result<Self, FontError> {
        let name = path.display().to_string();
        let data = std::fs::read(path).map_err(|e| FontError::Read(name.clone(), e))?;
        let data: &'static [u8] = Box::leak(data.into_boxed_slice());
        let font = Self { data, index };
        font.face().ok_or(FontError::Face(name, index))?;
        Ok(font)
    }

    pub(crate) fn face(&self) -> Option<Face> {
        let font = FontRef::from_index(self.data, self.index).ok()?;
        let units = f32::from(font.head().ok()?.units_per_em().max(1));
        Some(Face {
            charmap: font.charmap(),
            metrics: font.glyph_metrics(Size::unscaled(), LocationRef::default()),
            units,
            krilla: krilla::text::Font::new(self.data.into(), self.index)?,
        })
    }
}

/// A face ready to measure and draw with.
pub(crate) struct Face {
    charmap: skrifa::charmap::Charmap<'static>,
    metrics: skrifa::metrics::GlyphMetrics<'static>,
    units: f32,
    pub(crate) krilla: krilla::text::Font,
}

impl Face {
    /// The glyph of a character (the face's "missing" glyph where it has none) and its advance,
    /// in ems.
    pub(crate) fn glyph(&self, c: char) -> (GlyphId, f32) {
        let glyph = self.charmap.map(c).unwrap_or(GlyphId::NOTDEF);
        (glyph, self.metrics.advance_width(glyph).unwrap_or(0.0) / self.units)
    }

    /// How wide `text` is at `size` points.
    pub(crate) fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.glyph(c).1).sum::<f32>() * size
    }
}
