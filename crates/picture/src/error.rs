//! Why an upload was refused.

/// Why [`prepare`](crate::prepare) refused an upload, in words a form can show next to the file
/// field. Each variant has a stable [`code`](PictureError::code) to find its translation by; the
/// numbers a message needs are in the variant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PictureError {
    /// Nothing was uploaded: the file is empty.
    #[error("The file is empty.")]
    Empty,
    /// The file is larger than [`Limits::max_bytes`](crate::Limits::max_bytes).
    #[error("The file is too large: a picture may be at most {}.", file_size(*max_bytes))]
    TooLarge {
        /// The largest size allowed, in bytes.
        max_bytes: usize,
    },
    /// The file is not a picture at all (a document, a text, a web page, random bytes).
    #[error("The file is not a picture: please upload a JPEG, PNG or WebP picture.")]
    NotAPicture,
    /// The file is a picture, in a format that is not accepted (GIF, SVG, HEIC...).
    #[error("{format} pictures are not accepted: please upload a JPEG, PNG or WebP picture.")]
    UnsupportedFormat {
        /// The format's usual name, as `GIF`.
        format: &'static str,
    },
    /// The file starts like a JPEG, PNG or WebP picture but cannot be read: damaged, cut off
    /// (an interrupted upload), or a variant of the format that cannot be decoded.
    #[error("The picture cannot be read: the file may be damaged or incomplete.")]
    Corrupt,
    /// The picture is wider or taller than [`Limits::max_dimension`](crate::Limits::max_dimension).
    #[error("The picture is too large: it may be at most {max_dimension} pixels wide and high.")]
    DimensionsTooLarge {
        /// The largest width and height allowed, in pixels.
        max_dimension: u32,
    },
    /// The picture has more pixels than [`Limits::max_pixels`](crate::Limits::max_pixels).
    #[error("The picture has too many pixels: it may have at most {} megapixels.", megapixels(*max))]
    TooManyPixels {
        /// The largest number of pixels allowed.
        max: u64,
    },
    /// The picture is narrower or lower than [`Limits::min_dimension`](crate::Limits::min_dimension).
    #[error("The picture is too small: it must be at least {min_dimension} pixels wide and high.")]
    TooSmall {
        /// The smallest width and height allowed, in pixels.
        min_dimension: u32,
    },
    /// The picture was read but its renditions could not be written (not the uploader's fault).
    #[error("The picture could not be processed.")]
    EncodingFailed,
}

impl PictureError {
    /// Every [`code`](PictureError::code), for those that keep a message per code (a test holds
    /// the list to the variants).
    pub const CODES: [&'static str; 9] = [
        "empty",
        "too-large",
        "not-a-picture",
        "unsupported-format",
        "corrupt",
        "dimensions-too-large",
        "too-many-pixels",
        "too-small",
        "encoding-failed",
    ];

    /// A short, stable name of the error, in kebab case (as `too-large`), to find its
    /// translation by and to count it in logs. It never changes once released.
    pub fn code(&self) -> &'static str {
        match self {
            PictureError::Empty => "empty",
            PictureError::TooLarge { .. } => "too-large",
            PictureError::NotAPicture => "not-a-picture",
            PictureError::UnsupportedFormat { .. } => "unsupported-format",
            PictureError::Corrupt => "corrupt",
            PictureError::DimensionsTooLarge { .. } => "dimensions-too-large",
            PictureError::TooManyPixels { .. } => "too-many-pixels",
            PictureError::TooSmall { .. } => "too-small",
            PictureError::EncodingFailed => "encoding-failed",
        }
    }
}

/// A file size for a message, in the largest unit it has at least one of, counted as people count
/// file sizes (a megabyte of 1024 kilobytes): `10485760` is `10 MB`, `1536` is `1.5 KB`.
fn file_size(bytes: usize) -> String {
    const KB: f64 = 1024.0;
    let value = bytes as f64;
    if value >= KB * KB {
        format!("{} MB", decimal(value / (KB * KB)))
    } else if value >= KB {
        format!("{} KB", decimal(value / KB))
    } else {
        format!("{bytes} bytes")
    }
}

/// Pixels as megapixels, for a message: `40000000` is `40`.
fn megapixels(pixels: u64) -> String {
    decimal(pixels as f64 / 1_000_000.0)
}

/// A number with at most two decimals, and none when it is whole.
fn decimal(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_give_the_limits_as_people_count_them() {
        assert_eq!(
            PictureError::TooLarge { max_bytes: 10 * 1024 * 1024 }.to_string(),
            "The file is too large: a picture may be at most 10 MB."
        );
        assert_eq!(
            PictureError::TooManyPixels { max: 40_000_000 }.to_string(),
            "The picture has too many pixels: it may have at most 40 megapixels."
        );
        assert_eq!(decimal(1.5), "1.5");
        assert_eq!(file_size(1536), "1.5 KB");
        assert_eq!(file_size(1000), "1000 bytes");
        assert_eq!(
            PictureError::UnsupportedFormat { format: "GIF" }.to_string(),
            "GIF pictures are not accepted: please upload a JPEG, PNG or WebP picture."
        );
    }

    #[test]
    fn codes_are_kebab_case_and_distinct() {
        let all = [
            PictureError::Empty,
            PictureError::TooLarge { max_bytes: 1 },
            PictureError::NotAPicture,
            PictureError::UnsupportedFormat { format: "GIF" },
            PictureError::Corrupt,
            PictureError::DimensionsTooLarge { max_dimension: 1 },
            PictureError::TooManyPixels { max: 1 },
            PictureError::TooSmall { min_dimension: 1 },
            PictureError::EncodingFailed,
        ];
        let mut codes: Vec<_> = all.iter().map(PictureError::code).collect();
        for code in &codes {
            assert!(code.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{code}");
        }
        assert_eq!(codes, PictureError::CODES);
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
    }
}
