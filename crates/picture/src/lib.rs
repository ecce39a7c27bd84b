//! Uploaded pictures: checked, stripped of everything but their pixels, and resized.
//!
//! Organisers and members of the public upload pictures into a petition's appeal, and organisers
//! upload a share picture (the one social networks show, through Open Graph) for a campaign. The
//! people in and behind those pictures may be at risk: a photo from a protest must not give away
//! where, when or with which camera it was taken. [`prepare`] is the one way in:
//!
//! - It knows a picture **by its content** (its first bytes, then the decoder), never by the name or
//!   type the browser declared, and takes only JPEG, PNG and WebP ([`sniff`]).
//! - It refuses what is too large before spending memory on it: first the upload's size in bytes,
//!   then the width and height written in the picture's header, read **before** any pixel is
//!   decoded, so that a small file claiming to be 50 000 × 50 000 pixels (a "decompression bomb")
//!   is refused at once ([`Limits`]).
//! - It turns the picture upright as the camera's EXIF orientation says, since that tag goes with
//!   the rest of the metadata.
//! - It **decodes the picture to pixels and encodes it again**. Nothing of the uploaded file is
//!   copied through, so no metadata can survive: no EXIF (GPS position, camera make, model and
//!   serial number, dates), no XMP, no IPTC, no JPEG comment, no PNG text chunk, no WebP metadata
//!   chunk, and no colour profile either. Removing the known metadata blocks one by one instead
//!   would keep whatever the list forgot (a maker's note, a vendor's trailer after the picture,
//!   a new chunk type); encoding only the pixels has nothing to forget.
//! - It makes one rendition per configured width, never larger than the original
//!   ([`Prepared::renditions`]).
//!
//! What comes out is a JPEG, or a PNG when the picture really has transparent pixels (see
//! [`OutputFormat`]): both are shown by every browser.

mod error;
mod format;

use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageEncoder, ImageError, ImageReader, RgbImage, RgbaImage};

pub use error::PictureError;
pub use format::{Format, sniff};

/// The JPEG quality of the renditions: high enough that a photo shows no blocks, low enough that a
/// 1600 pixel wide rendition stays a few hundred kilobytes.
pub const JPEG_QUALITY: u8 = 82;

/// The largest width or height a rendition may have: JPEG cannot hold more than 65 535 pixels a
/// side, whatever [`Limits::max_dimension`] says.
const ENCODABLE_DIMENSION: u32 = 65_535;

/// What an upload may be, and which widths to make of it.
///
/// The defaults suit a photo from a phone or a camera, and
/// `Limits { widths: vec![1200], ..Limits::default() }` suits a share picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// The largest upload, in bytes (default 10 MiB). Checked before anything is read.
    pub max_bytes: usize,
    /// The largest width and the largest height, in pixels (default 8000), read from the
    /// picture's header before its pixels are decoded.
    pub max_dimension: u32,
    /// The largest number of pixels, width × height (default 40 megapixels), read from the header
    /// too. It also bounds the memory decoding may take (see [`Limits::max_alloc`]).
    pub max_pixels: u64,
    /// The smallest width and the smallest height, in pixels (default 16): anything smaller is
    /// no picture anyone could see.
    pub min_dimension: u32,
    /// The widths of the renditions to make, in pixels (default 480, 960 and 1600); see
    /// [`rendition_widths`].
    pub widths: Vec<u32>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 10 * 1024 * 1024,
            max_dimension: 8000,
            max_pixels: 40_000_000,
            min_dimension: 16,
            widths: vec![480, 960, 1600],
        }
    }
}

impl Limits {
    /// The most memory the decoder may allocate, in bytes: room for the largest picture allowed
    /// at the deepest colour the formats have (16 bits for each of red, green, blue and alpha),
    /// and a little more for the decoders' own tables.
    pub fn max_alloc(&self) -> u64 {
        self.max_pixels.saturating_mul(8).saturating_add(16 * 1024 * 1024)
    }
}

/// The format of the renditions [`prepare`] makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutputFormat {
    /// Every picture without transparency: photos above all (quality [`JPEG_QUALITY`]).
    Jpeg,
    /// A picture with at least one pixel that is not fully opaque (a logo, a cut-out): JPEG has
    /// no transparency, and lossless PNG keeps such a picture's sharp edges.
    Png,
}

impl OutputFormat {
    /// The media type to serve the renditions with, as `image/jpeg`.
    pub fn media_type(self) -> &'static str {
        match self {
            OutputFormat::Jpeg => "image/jpeg",
            OutputFormat::Png => "image/png",
        }
    }

    /// The file name extension of the renditions, without the dot, as `jpg`.
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Jpeg => "jpg",
            OutputFormat::Png => "png",
        }
    }
}

/// A picture made ready to show: its renditions, all in one format and with no metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    /// The width of the largest rendition, in pixels (upright).
    pub width: u32,
    /// The height of the largest rendition, in pixels (upright).
    pub height: u32,
    /// The format of every rendition.
    pub format: OutputFormat,
    /// The media type of every rendition, as `image/jpeg` ([`OutputFormat::media_type`]).
    pub media_type: &'static str,
    /// The file name extension of every rendition, as `jpg` ([`OutputFormat::extension`]).
    pub extension: &'static str,
    /// The renditions, narrowest first; never empty.
    pub renditions: Vec<Rendition>,
}

/// One size of a prepared picture, encoded.
#[derive(Clone, PartialEq, Eq)]
pub struct Rendition {
    /// Its width, in pixels.
    pub width: u32,
    /// Its height, in pixels.
    pub height: u32,
    /// The encoded picture, in the [`Prepared::format`].
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Rendition {
    // Not the bytes: a picture in a log or a failed assertion is only noise.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rendition")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("bytes", &format_args!("{} bytes", self.bytes.len()))
            .finish()
    }
}

/// Checks an upload, turns it upright, strips it of all metadata and makes its renditions.
///
/// `bytes` is the whole upload, as received: its name and declared type are not looked at. The
/// checks go from the cheapest to the dearest, and each refusal is a [`PictureError`] that a form
/// can show: the size in bytes, then the format ([`sniff`]), then the width and height written in
/// the header, and only then the pixels.
///
/// Never panics, whatever the bytes: should a decoder panic on some input all the same, that
/// upload is refused as [`PictureError::Corrupt`].
///
/// It is work for the processor and the memory: a 24 megapixel photo takes about half a second
/// and 200 MB at its peak in an optimised build, and the memory grows with [`Limits::max_pixels`].
/// An async server calls it on a blocking thread (`tokio::task::spawn_blocking`), and may want to
/// let only a few run at once.
pub fn prepare(bytes: &[u8], limits: &Limits) -> Result<Prepared, PictureError> {
    if bytes.is_empty() {
        return Err(PictureError::Empty);
    }
    if bytes.len() > limits.max_bytes {
        return Err(PictureError::TooLarge { max_bytes: limits.max_bytes });
    }
    let format = match sniff(bytes) {
        Some(format) => format,
        None => {
            return Err(match format::other_picture_format(bytes) {
                Some(format) => PictureError::UnsupportedFormat { format },
                None => PictureError::NotAPicture,
            });
        }
    };
    // A decoder that panics is a bug of the decoder, but the upload is still a stranger's: it is
    // refused like any other picture that cannot be read, and the server goes on.
    catch_unwind(AssertUnwindSafe(|| prepare_format(bytes, format, limits)))
        .unwrap_or(Err(PictureError::Corrupt))
}

/// The widths of the renditions made of a picture `original` pixels wide (upright), narrowest
/// first: each of the configured `widths` narrower than the original, and the original width
/// itself, but no wider than the widest configured width. Never wider than the original: a picture
/// is not enlarged. Zero widths are ignored; with no width configured, the one rendition is as
/// wide as the original.
///
/// With the default widths, a 2000 pixel wide picture has renditions 480, 960 and 1600 pixels wide,
/// a 1000 pixel wide one 480, 960 and 1000, and a 300 pixel wide one a single rendition, 300 wide.
pub fn rendition_widths(original: u32, widths: &[u32]) -> Vec<u32> {
    let widest = widths.iter().copied().filter(|&w| w > 0).max().unwrap_or(original);
    let mut chosen: Vec<u32> = widths.iter().copied().filter(|&w| w > 0 && w < original).collect();
    chosen.push(original.min(widest));
    chosen.sort_unstable();
    chosen.dedup();
    chosen
}

/// The height of a rendition `width` pixels wide of a picture `original_width` × `original_height`,
/// rounded to the nearest pixel, and at least one.
fn rendition_height(original_width: u32, original_height: u32, width: u32) -> u32 {
    let (ow, oh, w) = (u64::from(original_width), u64::from(original_height), u64::from(width));
    let height = (oh * w + ow / 2) / ow.max(1);
    u32::try_from(height).unwrap_or(u32::MAX).max(1)
}

/// [`prepare`], once the format is known.
fn prepare_format(bytes: &[u8], format: Format, limits: &Limits) -> Result<Prepared, PictureError> {
    if format == Format::Jpeg && !format::jpeg_has_end(bytes) {
        // The JPEG decoder fills what is missing of a cut-off upload with grey, and says nothing.
        return Err(PictureError::Corrupt);
    }
    let picture = decode(bytes, format, limits)?;
    let (picture, output) = flatten(picture);
    let (width, height) = (picture.width(), picture.height());

    // Widest first, each made from the one before: from a 40 megapixel photo, only the widest
    // rendition is resized from the whole picture. The filter is the sharpest of the image
    // crate's; with the default widths, each smaller rendition is at most half as wide again,
    // which makes it from the one before as well as from the original.
    let mut renditions = Vec::new();
    let mut source = picture;
    let mut premultiplied = false;
    for &rendition_width in rendition_widths(width, &limits.widths).iter().rev() {
        let rendition_height = rendition_height(width, height, rendition_width);
        if (rendition_width, rendition_height) != (source.width(), source.height()) {
            if let (DynamicImage::ImageRgba8(rgba), false) = (&mut source, premultiplied) {
                premultiply(rgba);
                premultiplied = true;
            }
            source = source.resize_exact(rendition_width, rendition_height, FilterType::Lanczos3);
        }
        let bytes = match &source {
            DynamicImage::ImageRgba8(rgba) if premultiplied => {
                encode(&DynamicImage::ImageRgba8(unpremultiplied(rgba)), output)?
            }
            _ => encode(&source, output)?,
        };
        renditions.push(Rendition { width: rendition_width, height: rendition_height, bytes });
    }
    renditions.reverse();

    let largest = renditions.last().ok_or(PictureError::EncodingFailed)?;
    Ok(Prepared {
        width: largest.width,
        height: largest.height,
        format: output,
        media_type: output.media_type(),
        extension: output.extension(),
        renditions,
    })
}

/// Decodes the picture's pixels, upright, after checking the size its header gives.
fn decode(bytes: &[u8], format: Format, limits: &Limits) -> Result<DynamicImage, PictureError> {
    // The memory ceiling holds from the start: reading the header of a PNG may already inflate
    // compressed chunks (a colour profile, text).
    let mut memory = image::Limits::default();
    memory.max_alloc = Some(limits.max_alloc());
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format.image_format());
    reader.limits(memory.clone());
    let mut decoder = reader.into_decoder().map_err(|error| decoding_error(error, limits))?;

    // Only the header has been read: the pixels are decoded once its size passes.
    let (width, height) = decoder.dimensions();
    check_dimensions(width, height, limits)?;
    let max_dimension = limits.max_dimension.min(ENCODABLE_DIMENSION);
    let mut all = memory;
    all.max_image_width = Some(max_dimension);
    all.max_image_height = Some(max_dimension);
    decoder.set_limits(all).map_err(|error| decoding_error(error, limits))?;

    // The orientation is in the EXIF that is about to be dropped: it is applied to the pixels.
    // A picture whose EXIF cannot be read is shown as it is stored rather than refused.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut picture = DynamicImage::from_decoder(decoder).map_err(|error| decoding_error(error, limits))?;
    picture.apply_orientation(orientation);
    Ok(picture)
}

/// Refuses a picture whose header gives a size outside the limits.
fn check_dimensions(width: u32, height: u32, limits: &Limits) -> Result<(), PictureError> {
    let max_dimension = limits.max_dimension.min(ENCODABLE_DIMENSION);
    if width > max_dimension || height > max_dimension {
        return Err(PictureError::DimensionsTooLarge { max_dimension });
    }
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(PictureError::TooManyPixels { max: limits.max_pixels });
    }
    if width < limits.min_dimension.max(1) || height < limits.min_dimension.max(1) {
        return Err(PictureError::TooSmall { min_dimension: limits.min_dimension.max(1) });
    }
    Ok(())
}

/// What a decoding error means to the person who uploaded the picture.
fn decoding_error(error: ImageError, limits: &Limits) -> PictureError {
    match error {
        // The header's size passed, yet decoding needed more memory than allowed.
        ImageError::Limits(_) => PictureError::TooManyPixels { max: limits.max_pixels },
        // A damaged or cut-off file, or a variant of the format the decoder does not know (say a
        // 12 bit JPEG): either way, this file cannot be shown.
        _ => PictureError::Corrupt,
    }
}

/// The picture in 8 bits per channel, RGB or RGBA, and the format to encode it in: PNG when a
/// pixel is at least partly transparent, JPEG otherwise (a PNG screenshot with an alpha channel
/// that is opaque everywhere is a JPEG).
fn flatten(picture: DynamicImage) -> (DynamicImage, OutputFormat) {
    if picture.color().has_alpha() {
        let rgba = picture.into_rgba8();
        if rgba.pixels().any(|pixel| pixel.0[3] != u8::MAX) {
            return (DynamicImage::ImageRgba8(rgba), OutputFormat::Png);
        }
        let rgb: RgbImage = DynamicImage::ImageRgba8(rgba).into_rgb8();
        return (DynamicImage::ImageRgb8(rgb), OutputFormat::Jpeg);
    }
    (DynamicImage::ImageRgb8(picture.into_rgb8()), OutputFormat::Jpeg)
}

/// Multiplies each pixel's colour by its opacity. The resizing filter mixes neighbouring pixels,
/// and must weigh each by its opacity: mixed as they are stored, the colour of a fully transparent
/// pixel (black, often, and never seen) would bleed into the edge of what is shown as a dark fringe.
fn premultiply(picture: &mut RgbaImage) {
    for pixel in picture.pixels_mut() {
        let alpha = u16::from(pixel.0[3]);
        for channel in &mut pixel.0[..3] {
            *channel = ((u16::from(*channel) * alpha + 127) / 255) as u8;
        }
    }
}

/// The opposite of [`premultiply`], on a copy: each pixel's colour divided by its opacity, as
/// PNG stores it.
fn unpremultiplied(picture: &RgbaImage) -> RgbaImage {
    let mut picture = picture.clone();
    for pixel in picture.pixels_mut() {
        let alpha = u16::from(pixel.0[3]);
        for channel in &mut pixel.0[..3] {
            // The filter may leave a colour above its opacity (by ringing, at sharp edges).
            *channel = match alpha {
                0 => 0,
                _ => ((u16::from(*channel) * 255 + alpha / 2) / alpha).min(255) as u8,
            };
        }
    }
    picture
}

/// Encodes a rendition. The encoders write the pixels and what the format needs to read them
/// (JPEG's JFIF header, PNG's IHDR), and no metadata: none is given to them.
fn encode(picture: &DynamicImage, output: OutputFormat) -> Result<Vec<u8>, PictureError> {
    let mut bytes = Vec::new();
    let (width, height, color) = (picture.width(), picture.height(), picture.color().into());
    let result = match output {
        OutputFormat::Jpeg => JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY).write_image(
            picture.as_bytes(),
            width,
            height,
            color,
        ),
        OutputFormat::Png => {
            PngEncoder::new_with_quality(&mut bytes, CompressionType::Default, PngFilter::Adaptive)
                .write_image(picture.as_bytes(), width, height, color)
        }
    };
    result.map_err(|_| PictureError::EncodingFailed)?;
    Ok(bytes)
}
