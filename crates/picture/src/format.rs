//! Knowing a picture's format by its first bytes.

/// A format [`prepare`](crate::prepare) accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// JPEG (JFIF or EXIF), the photos of every camera and phone.
    Jpeg,
    /// PNG, screenshots and graphics.
    Png,
    /// WebP, lossy or lossless.
    WebP,
}

impl Format {
    /// The format's usual name, as `JPEG`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Jpeg => "JPEG",
            Format::Png => "PNG",
            Format::WebP => "WebP",
        }
    }

    /// The media type of a file in this format, as `image/jpeg`.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::WebP => "image/webp",
        }
    }

    pub(crate) fn image_format(self) -> image::ImageFormat {
        match self {
            Format::Jpeg => image::ImageFormat::Jpeg,
            Format::Png => image::ImageFormat::Png,
            Format::WebP => image::ImageFormat::WebP,
        }
    }
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// The accepted format the bytes start like, by their "magic" first bytes alone, whatever the
/// file's name or declared type; `None` for anything else. That the rest is a picture only the
/// decoder can tell: [`prepare`](crate::prepare) asks it next.
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Format::Jpeg)
    } else if bytes.starts_with(PNG_SIGNATURE) {
        Some(Format::Png)
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some(Format::WebP)
    } else {
        None
    }
}

/// The name of a picture format that is not accepted, when the bytes start like one, so that the
/// person uploading is told to convert the picture rather than that it is none.
pub(crate) fn other_picture_format(bytes: &[u8]) -> Option<&'static str> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(b"GIF87a") || starts(b"GIF89a") {
        return Some("GIF");
    }
    if starts(b"II*\0") || starts(b"MM\0*") {
        // Also the raw files of most cameras (DNG, CR2, NEF...).
        return Some("TIFF");
    }
    if starts(b"BM") && bytes.len() >= 18 {
        // "BM" alone starts many a text; the size of the header that follows tells a bitmap.
        let header = u32::from_le_bytes([bytes[14], bytes[15], bytes[16], bytes[17]]);
        if matches!(header, 12 | 40 | 52 | 56 | 64 | 108 | 124) {
            return Some("BMP");
        }
    }
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        // ISO media files: the brand tells a picture (from an iPhone, most often) from a video.
        match &bytes[8..12] {
            b"avif" | b"avis" => return Some("AVIF"),
            b"heic" | b"heix" | b"heim" | b"heis" | b"hevc" | b"hevx" | b"mif1" | b"msf1" => {
                return Some("HEIC");
            }
            _ => {}
        }
    }
    if starts(&[0xFF, 0x0A]) || starts(b"\0\0\0\x0cJXL \r\n\x87\n") {
        return Some("JPEG XL");
    }
    if starts(b"\0\0\0\x0cjP  \r\n\x87\n") || starts(&[0xFF, 0x4F, 0xFF, 0x51]) {
        return Some("JPEG 2000");
    }
    if starts(b"8BPS") {
        return Some("Photoshop");
    }
    if looks_like_svg(bytes) {
        return Some("SVG");
    }
    None
}

/// Whether the bytes are text that opens an `<svg` element early on (after an XML declaration,
/// comments or a doctype, perhaps).
fn looks_like_svg(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    let head = &bytes[start..bytes.len().min(start + 4096)];
    head.first() == Some(&b'<') && head.windows(4).any(|window| window.eq_ignore_ascii_case(b"<svg"))
}

/// Whether a JPEG's compressed data runs to its end marker (EOI), walking its segments rather
/// than searching the bytes, since a thumbnail in the EXIF has an end marker of its own.
///
/// The JPEG decoder is lenient: it decodes a file cut off in the middle and fills the missing part
/// of the picture with grey. Such an upload was interrupted, and is refused so that it can be sent
/// again rather than shown half grey.
pub(crate) fn jpeg_has_end(bytes: &[u8]) -> bool {
    let mut at = 2; // after SOI
    loop {
        // A marker: 0xFF (perhaps several, as fill), then its code.
        if bytes.get(at) != Some(&0xFF) {
            return false;
        }
        while bytes.get(at) == Some(&0xFF) {
            at += 1;
        }
        let Some(&marker) = bytes.get(at) else { return false };
        at += 1;
        match marker {
            0xD9 => return true,
            // Markers without a length: TEM and the restart markers.
            0x01 | 0xD0..=0xD7 => continue,
            _ => {}
        }
        let Some(length) = bytes.get(at..at + 2) else { return false };
        at += usize::from(u16::from_be_bytes([length[0], length[1]]));
        if marker != 0xDA {
            continue;
        }
        // After a start of scan, compressed data, in which 0xFF is followed by 0x00 (a stuffed
        // byte) or a restart marker. Any other marker ends the scan.
        loop {
            let Some(offset) = bytes.get(at..).and_then(|rest| rest.iter().position(|&b| b == 0xFF)) else {
                return false;
            };
            at += offset;
            match bytes.get(at + 1) {
                None => return false,
                Some(0x00 | 0xD0..=0xD7) => at += 2,
                // Fill bytes before a marker.
                Some(0xFF) => at += 1,
                Some(_) => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_the_accepted_formats_by_their_first_bytes() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0rest"), Some(Format::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Some(Format::Png));
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8 "), Some(Format::WebP));
        assert_eq!(sniff(b"RIFF\x10\0\0\0WAVEfmt "), None);
        assert_eq!(sniff(b"\xFF\xD8"), None);
        assert_eq!(sniff(b""), None);
        assert_eq!(sniff(b"<html>"), None);
    }

    #[test]
    fn names_the_picture_formats_not_accepted() {
        assert_eq!(other_picture_format(b"GIF89a\x01\0\x01\0"), Some("GIF"));
        assert_eq!(other_picture_format(b"II*\0\x08\0\0\0"), Some("TIFF"));
        assert_eq!(other_picture_format(b"\0\0\0\x18ftypheic\0\0\0\0"), Some("HEIC"));
        assert_eq!(other_picture_format(b"\0\0\0\x1cftypavif\0\0\0\0"), Some("AVIF"));
        assert_eq!(other_picture_format(b"\0\0\0\x18ftypisom\0\0\0\0"), None);
        assert_eq!(
            other_picture_format(b"\xEF\xBB\xBF <?xml version=\"1.0\"?>\n<SVG xmlns=\"x\"/>"),
            Some("SVG")
        );
        assert_eq!(other_picture_format(b"<html><body>an svg</body></html>"), None);
        assert_eq!(other_picture_format(b"BM is a text, not a bitmap"), None);
        assert_eq!(other_picture_format(b"hello"), None);
    }

    #[test]
    fn finds_the_end_of_a_jpeg_past_segments_and_stuffed_bytes() {
        // SOI, an APP1 holding an end marker of its own, SOS, data with a stuffed 0xFF and a
        // restart marker, EOI.
        let whole: &[u8] =
            b"\xFF\xD8\xFF\xE1\x00\x04\xFF\xD9\xFF\xDA\x00\x02\x12\xFF\x00\x34\xFF\xD0\x56\xFF\xD9";
        assert!(jpeg_has_end(whole));
        for cut in 0..whole.len() {
            assert!(!jpeg_has_end(&whole[..cut]), "cut at {cut}");
        }
    }
}
