//! Plain documents as PDF: paragraphs, headings and numbered items, wrapped into the width of an A4
//! page (between any two CJK characters, at spaces in other scripts: UAX #14), flowing from page
//! to page and, for long lists, in columns. Written for the delivery document (the web crate says
//! what goes in it); nothing here knows of campaigns.
//!
//! Text is drawn glyph by glyph with its characters attached, so that the PDF's text is the very
//! text given: copying it or running `pdftotext` gives back the same characters, CJK included
//! (krilla embeds the font as a CID font with a ToUnicode map, subset to the glyphs used).
//!
//! Memory: a page's lines are held until the page is full, then written into the document, whose
//! pages krilla keeps serialised (compressed); a document of N pages costs about its own size.

mod font;

use krilla::geom::Point;
use krilla::page::PageSettings;
use krilla::text::{GlyphId, KrillaGlyph};

pub use font::{FontError, FontFile};

/// A4, in points.
const PAGE_WIDTH: f32 = 595.28;
const PAGE_HEIGHT: f32 = 841.89;
const MARGIN_X: f32 = 56.0;
const MARGIN_TOP: f32 = 56.0;
const MARGIN_BOTTOM: f32 = 64.0;
/// Where the footer's baseline sits.
const FOOTER_Y: f32 = PAGE_HEIGHT - 32.0;
/// Lines' height, as a multiple of the font's size: CJK text needs more than Latin.
const LEADING: f32 = 1.5;
/// The space between columns.
const GUTTER: f32 = 18.0;

/// The kinds of text, by size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Title,
    Heading,
    Subheading,
    Body,
    Small,
}

impl Style {
    fn size(self) -> f32 {
        match self {
            Self::Title => 20.0,
            Self::Heading => 14.0,
            Self::Subheading => 12.0,
            Self::Body => 11.0,
            Self::Small => 8.5,
        }
    }

    /// The space before a block of this kind.
    fn space_before(self) -> f32 {
        match self {
            Self::Title => 0.0,
            Self::Heading => 14.0,
            Self::Subheading => 8.0,
            Self::Body => 6.0,
            Self::Small => 2.0,
        }
    }
}

/// What the document says of itself.
pub struct Meta<'a> {
    pub title: &'a str,
    /// Its language (BCP 47), for readers and screen readers.
    pub lang: &'a str,
    /// A line at the foot of every page, before the page's number.
    pub footer: &'a str,
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the font cannot be read")]
    Font,
    #[error("the PDF could not be written: {0}")]
    Write(String),
}

/// One line of text placed on the page being filled.
struct Run {
    x: f32,
    y: f32,
    size: f32,
    text: String,
}

/// Writes a document from top to bottom.
pub struct Writer {
    document: krilla::Document,
    face: font::Face,
    footer: String,
    /// The lines of the page being filled.
    runs: Vec<Run>,
    pages: usize,
    /// Where the next line's top is.
    y: f32,
    /// The columns (1: the whole width), the one being filled, and where they start on this page.
    columns: usize,
    column: usize,
    columns_top: f32,
    /// The lowest point reached on this page by any column.
    lowest: f32,
}

impl Writer {
    pub fn new(font: &FontFile, meta: Meta<'_>) -> Result<Self, PdfError> {
        let face = font.face().ok_or(PdfError::Font)?;
        let mut document = krilla::Document::new();
        document.set_metadata(
            krilla::metadata::Metadata::new()
                .title(meta.title.to_owned())
                .language(meta.lang.to_owned())
                .creator("Undersigned".to_owned()),
        );
        Ok(Self {
            document,
            face,
            footer: meta.footer.to_owned(),
            runs: Vec::new(),
            pages: 0,
            y: MARGIN_TOP,
            columns: 1,
            column: 0,
            columns_top: MARGIN_TOP,
            lowest: MARGIN_TOP,
        })
    }

    /// A paragraph (or a title, a heading) in the full width of the column.
    pub fn text(&mut self, style: Style, text: &str) {
        self.block(style, "", 0.0, text);
    }

    /// An item of a list: its label (a number, a bullet) in the margin `indent` points wide, its
    /// text beside it, wrapped under itself.
    pub fn item(&mut self, style: Style, label: &str, indent: f32, text: &str) {
        self.block(style, label, indent, text);
    }

    /// How wide `text` is in `style`: to size the margin of a list's labels.
    pub fn width(&self, style: Style, text: &str) -> f32 {
        self.face.width(text, style.size())
    }

    /// Room for `points` more on this column, or the next column (or page) begins: a heading is
    /// not left alone at the foot of a page.
    pub fn keep(&mut self, points: f32) {
        if self.y + points > PAGE_HEIGHT - MARGIN_BOTTOM && self.y > self.columns_top {
            self.next_column();
        }
    }

    /// What follows is laid out in `n` columns, from here down, page after page, until
    /// [`Writer::end_columns`].
    pub fn columns(&mut self, n: usize) {
        self.end_columns();
        self.columns = n.max(1);
        self.column = 0;
        self.columns_top = self.y;
        self.lowest = self.y;
    }

    /// Back to the whole width, under the lowest column.
    pub fn end_columns(&mut self) {
        self.y = self.y.max(self.lowest);
        self.columns = 1;
        self.column = 0;
        self.columns_top = MARGIN_TOP;
    }

    /// The document's bytes.
    pub fn finish(mut self) -> Result<Vec<u8>, PdfError> {
        if !self.runs.is_empty() || self.pages == 0 {
            self.flush();
        }
        self.document.finish().map_err(|e| PdfError::Write(format!("{e:?}")))
    }

    fn column_width(&self) -> f32 {
        let columns = self.columns as f32;
        (PAGE_WIDTH - 2.0 * MARGIN_X - GUTTER * (columns - 1.0)) / columns
    }

    fn column_x(&self) -> f32 {
        MARGIN_X + self.column as f32 * (self.column_width() + GUTTER)
    }

    fn block(&mut self, style: Style, label: &str, indent: f32, text: &str) {
        let size = style.size();
        let height = size * LEADING;
        if self.y > self.columns_top {
            self.y += style.space_before();
        }
        let lines = wrap(&self.face, text, size, self.column_width() - indent);
        for (i, line) in lines.into_iter().enumerate() {
            if self.y + height > PAGE_HEIGHT - MARGIN_BOTTOM {
                self.next_column();
            }
            let (x, baseline) = (self.column_x(), self.y + size);
            if i == 0 && !label.is_empty() {
                self.runs.push(Run { x, y: baseline, size, text: label.to_owned() });
            }
            self.runs.push(Run { x: x + indent, y: baseline, size, text: line });
            self.y += height;
            self.lowest = self.lowest.max(self.y);
        }
    }

    fn next_column(&mut self) {
        if self.column + 1 < self.columns {
            self.column += 1;
            self.y = self.columns_top;
            return;
        }
        self.flush();
        self.column = 0;
        self.y = MARGIN_TOP;
        self.columns_top = MARGIN_TOP;
        self.lowest = MARGIN_TOP;
    }

    /// Writes the page being filled, with its footer, into the document.
    fn flush(&mut self) {
        self.pages += 1;
        let footer = format!("{} · {}", self.footer, self.pages);
        let size = Style::Small.size();
        let width = self.face.width(&footer, size);
        self.runs.push(Run { x: (PAGE_WIDTH - width) / 2.0, y: FOOTER_Y, size, text: footer });
        let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).expect("A4 is a valid size");
        let mut page = self.document.start_page_with(settings);
        let mut surface = page.surface();
        for run in self.runs.drain(..) {
            let glyphs = glyphs(&self.face, &run.text);
            let origin = Point::from_xy(run.x, run.y);
            surface.draw_glyphs(origin, &glyphs, self.face.krilla.clone(), &run.text, run.size, false);
        }
        surface.finish();
        page.finish();
    }
}

/// A line's glyphs, one per character, each carrying its character (for the ToUnicode map).
fn glyphs(face: &font::Face, text: &str) -> Vec<KrillaGlyph> {
    text.char_indices()
        .map(|(at, c)| {
            let (glyph, advance) = face.glyph(c);
            KrillaGlyph::new(
                GlyphId::new(glyph.to_u32()),
                advance,
                0.0,
                0.0,
                0.0,
                at..at + c.len_utf8(),
                None,
            )
        })
        .collect()
}

/// `text` broken into lines no wider than `width` at `size`: where UAX #14 allows (between CJK
/// characters, after spaces and hyphens), and where it must (a line break in the text); a word
/// wider than a line alone is cut between characters. Control characters are dropped.
pub(crate) fn wrap(face: &font::Face, text: &str, size: f32, width: f32) -> Vec<String> {
    use unicode_linebreak::{BreakOpportunity, linebreaks};
    let text: String = text.chars().map(|c| if c == '\t' { ' ' } else { c }).collect();
    let mut lines = Vec::new();
    let (mut line, mut line_width) = (String::new(), 0.0_f32);
    let mut start = 0;
    for (end, opportunity) in linebreaks(&text) {
        let segment: String = text[start..end].chars().filter(|c| !c.is_control()).collect();
        start = end;
        let shown = segment.trim_end();
        let shown_width = face.width(shown, size);
        if line_width + shown_width > width && !line.is_empty() {
            lines.push(line.trim_end().to_owned());
            (line, line_width) = (String::new(), 0.0);
        }
        if shown_width > width {
            // Too wide for a line of its own (a long address): cut between characters.
            for c in segment.chars() {
                let w = face.width(c.encode_utf8(&mut [0; 4]), size);
                if line_width + w > width && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    line_width = 0.0;
                }
                line.push(c);
                line_width += w;
            }
        } else {
            line_width += face.width(&segment, size);
            line.push_str(&segment);
        }
        if opportunity == BreakOpportunity::Mandatory {
            lines.push(line.trim_end().to_owned());
            (line, line_width) = (String::new(), 0.0);
        }
    }
    if !line.trim_end().is_empty() {
        lines.push(line.trim_end().to_owned());
    }
    // The last mandatory break (the end of the text) adds no empty line of its own.
    while lines.len() > 1 && lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn face() -> font::Face {
        FontFile::bundled().face().expect("the bundled font")
    }

    #[test]
    fn chinese_text_wraps_between_characters_and_keeps_every_one() {
        let face = face();
        let text = "我們要求立即釋放蔡光業，撤銷對他的一切指控，並保障言論自由與新聞自由。".repeat(4);
        let lines = wrap(&face, &text, 11.0, 200.0);
        assert!(lines.len() > 3, "{lines:?}");
        assert!(lines.iter().all(|l| face.width(l, 11.0) <= 200.0), "{lines:?}");
        assert_eq!(lines.concat(), text);
    }

    #[test]
    fn latin_text_wraps_at_spaces_and_a_long_word_is_cut() {
        let face = face();
        let lines = wrap(&face, "Release Cai Guangye immediately and unconditionally.", 11.0, 120.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| !l.starts_with(' ') && !l.ends_with(' ')), "{lines:?}");
        assert_eq!(lines.join(" "), "Release Cai Guangye immediately and unconditionally.");
        let long = "https://example.org/".repeat(10);
        let cut = wrap(&face, &long, 11.0, 120.0);
        assert!(cut.len() > 2 && cut.concat() == long, "{cut:?}");
    }

    #[test]
    fn line_breaks_in_the_text_are_kept_and_control_characters_dropped() {
        let face = face();
        assert_eq!(wrap(&face, "one\ntwo\u{7}", 11.0, 400.0), ["one", "two"]);
        assert!(wrap(&face, "", 11.0, 400.0).is_empty());
        assert_eq!(wrap(&face, "one\n\ntwo\n", 11.0, 400.0), ["one", "", "two"]);
    }

    #[test]
    fn a_document_of_many_pages_is_written() {
        let mut writer =
            Writer::new(&FontFile::bundled(), Meta { title: "測試", lang: "zh-Hant", footer: "測試" })
                .unwrap();
        writer.text(Style::Title, "聯署：測試");
        writer.columns(3);
        for i in 1..=500 {
            writer.item(Style::Small, &format!("{i}."), 24.0, "陳大文 Chan Tai Man · 香港");
        }
        writer.end_columns();
        writer.text(Style::Body, "完");
        let pdf = writer.finish().unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.len() < 400_000, "the font is subset: {} bytes", pdf.len());
    }

    /// Poppler's `pdftotext` (Debian's `poppler-utils`), a reader of its own, gives back the text.
    #[test]
    fn pdftotext_reads_back_the_chinese_and_english_text() {
        let mut writer =
            Writer::new(&FontFile::bundled(), Meta { title: "t", lang: "zh-Hant", footer: "頁" }).unwrap();
        let long =
            "香港職工會聯盟、香港記者協會及《開放》雜誌聯署呼籲，要求當局釋放因報道下崗工人而被捕的記者。";
        writer.text(Style::Title, "釋放蔡光業");
        writer.text(Style::Body, long);
        writer.item(Style::Body, "1.", 20.0, "Release Cai Guangye immediately.");
        writer.item(Style::Body, "2.", 20.0, "立即释放蔡光业。");
        let pdf = writer.finish().unwrap();
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), &pdf).unwrap();
        let out = std::process::Command::new("pdftotext")
            .args(["-enc", "UTF-8"])
            .arg(file.path())
            .arg("-")
            .output()
            .expect("pdftotext (Debian's poppler-utils) is installed");
        let text = String::from_utf8(out.stdout).unwrap();
        let joined: String = text.lines().map(str::trim).collect();
        assert!(text.contains("釋放蔡光業"), "{text}");
        assert!(joined.contains(long), "{text}");
        assert!(
            text.contains("1. Release Cai Guangye immediately.")
                || text.contains("Release Cai Guangye immediately."),
            "{text}"
        );
        assert!(text.contains("立即释放蔡光业。"), "{text}");
    }
}
