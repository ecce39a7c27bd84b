//! Test pictures, made here rather than shipped: pixels encoded with the image crate, then real
//! metadata blocks written by hand into the files (an EXIF block with a GPS position, the camera
//! and its serial number; XMP; IPTC; comments; PNG text chunks; WebP metadata chunks), the way a
//! phone or an editor writes them.

// Each test binary uses its own part of this module.
#![allow(dead_code)]

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::codecs::webp::WebPEncoder;
use image::{ExtendedColorType, ImageEncoder, Rgb, RgbImage, RgbaImage};

/// Strings that are in the fixtures' metadata and must be in no rendition.
pub const SECRETS: &[&str] = &[
    "PhoneMakerCo",
    "SpyPhone",
    "SN-PROTEST-0042",
    "2024:05:01",
    "Alice Activist",
    "march on Parliament",
    "xmpmeta",
    "ns.adobe.com",
    "Photoshop 3.0",
    "8BIM",
    "Exif\0",
];

/// The fixtures' GPS latitude, as EXIF stores it (three big-endian rationals: 52° 31' 12.34"),
/// to look for in the renditions' bytes.
pub fn latitude_bytes() -> Vec<u8> {
    rationals_bytes(&LATITUDE)
}

const LATITUDE: [(u32, u32); 3] = [(52, 1), (31, 1), (1234, 100)];
const LONGITUDE: [(u32, u32); 3] = [(13, 1), (24, 1), (5678, 100)];

/// A picture with a red left half and a blue right half, shaded from top to bottom (a photo's
/// smooth changes), so that turning it shows.
pub fn photo(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        let shade = (y * 60 / height.max(1)) as u8;
        if x < width / 2 {
            Rgb([200 + shade / 2, 20 + shade, 20])
        } else {
            Rgb([20, 20 + shade, 200 + shade / 2])
        }
    })
}

pub fn jpeg(picture: &RgbImage) -> Vec<u8> {
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut bytes, 90)
        .write_image(picture.as_raw(), picture.width(), picture.height(), ExtendedColorType::Rgb8)
        .unwrap();
    bytes
}

pub fn png_rgb(picture: &RgbImage) -> Vec<u8> {
    let mut bytes = Vec::new();
    PngEncoder::new(&mut bytes)
        .write_image(picture.as_raw(), picture.width(), picture.height(), ExtendedColorType::Rgb8)
        .unwrap();
    bytes
}

pub fn png_rgba(picture: &RgbaImage) -> Vec<u8> {
    let mut bytes = Vec::new();
    PngEncoder::new(&mut bytes)
        .write_image(picture.as_raw(), picture.width(), picture.height(), ExtendedColorType::Rgba8)
        .unwrap();
    bytes
}

pub fn webp(picture: &RgbImage) -> Vec<u8> {
    let mut bytes = Vec::new();
    WebPEncoder::new_lossless(&mut bytes)
        .write_image(picture.as_raw(), picture.width(), picture.height(), ExtendedColorType::Rgb8)
        .unwrap();
    bytes
}

// --- EXIF ---------------------------------------------------------------------------------------

/// One IFD entry: tag, type, count and the value's bytes (big-endian).
struct Entry {
    tag: u16,
    kind: u16,
    count: u32,
    data: Vec<u8>,
}

fn ascii(tag: u16, text: &str) -> Entry {
    let mut data = text.as_bytes().to_vec();
    data.push(0);
    Entry { tag, kind: 2, count: data.len() as u32, data }
}

fn short(tag: u16, value: u16) -> Entry {
    Entry { tag, kind: 3, count: 1, data: value.to_be_bytes().to_vec() }
}

fn long(tag: u16, value: u32) -> Entry {
    Entry { tag, kind: 4, count: 1, data: value.to_be_bytes().to_vec() }
}

fn bytes_entry(tag: u16, value: &[u8]) -> Entry {
    Entry { tag, kind: 1, count: value.len() as u32, data: value.to_vec() }
}

fn rationals(tag: u16, values: &[(u32, u32)]) -> Entry {
    Entry { tag, kind: 5, count: values.len() as u32, data: rationals_bytes(values) }
}

fn rationals_bytes(values: &[(u32, u32)]) -> Vec<u8> {
    values.iter().flat_map(|(n, d)| n.to_be_bytes().into_iter().chain(d.to_be_bytes())).collect()
}

fn padded(length: usize) -> usize {
    length + length % 2
}

fn ifd_length(entries: &[Entry]) -> usize {
    2 + 12 * entries.len()
        + 4
        + entries.iter().filter(|e| e.data.len() > 4).map(|e| padded(e.data.len())).sum::<usize>()
}

/// Writes an IFD (entries sorted by tag, as TIFF wants) at `out.len()`, its long values after it.
fn write_ifd(out: &mut Vec<u8>, entries: &[Entry]) {
    let start = out.len();
    let mut data_at = start + 2 + 12 * entries.len() + 4;
    out.extend_from_slice(&(entries.len() as u16).to_be_bytes());
    for entry in entries {
        out.extend_from_slice(&entry.tag.to_be_bytes());
        out.extend_from_slice(&entry.kind.to_be_bytes());
        out.extend_from_slice(&entry.count.to_be_bytes());
        if entry.data.len() <= 4 {
            let mut inline = entry.data.clone();
            inline.resize(4, 0);
            out.extend_from_slice(&inline);
        } else {
            out.extend_from_slice(&(data_at as u32).to_be_bytes());
            data_at += padded(entry.data.len());
        }
    }
    out.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
    for entry in entries.iter().filter(|e| e.data.len() > 4) {
        out.extend_from_slice(&entry.data);
        if entry.data.len() % 2 == 1 {
            out.push(0);
        }
    }
    assert_eq!(out.len(), data_at);
}

/// An EXIF block as a phone writes it (a big-endian TIFF structure): IFD0 with the camera's make
/// and model, the orientation and a date; the EXIF IFD with the time taken and the camera's serial
/// number; the GPS IFD with a latitude and a longitude.
pub fn exif_tiff(orientation: u16) -> Vec<u8> {
    let exif = vec![ascii(0x9003, "2024:05:01 14:32:10"), ascii(0xA431, "SN-PROTEST-0042")];
    let gps = vec![
        bytes_entry(0x0000, &[2, 3, 0, 0]),
        ascii(0x0001, "N"),
        rationals(0x0002, &LATITUDE),
        ascii(0x0003, "E"),
        rationals(0x0004, &LONGITUDE),
    ];
    let ifd0_len = ifd_length(&[
        ascii(0x010F, "PhoneMakerCo"),
        ascii(0x0110, "SpyPhone 12 Pro"),
        short(0x0112, orientation),
        ascii(0x0132, "2024:05:01 14:32:10"),
        long(0x8769, 0),
        long(0x8825, 0),
    ]);
    let exif_at = 8 + ifd0_len;
    let gps_at = exif_at + ifd_length(&exif);
    let ifd0 = vec![
        ascii(0x010F, "PhoneMakerCo"),
        ascii(0x0110, "SpyPhone 12 Pro"),
        short(0x0112, orientation),
        ascii(0x0132, "2024:05:01 14:32:10"),
        long(0x8769, exif_at as u32),
        long(0x8825, gps_at as u32),
    ];
    let mut out = b"MM\0\x2A\0\0\0\x08".to_vec();
    write_ifd(&mut out, &ifd0);
    write_ifd(&mut out, &exif);
    write_ifd(&mut out, &gps);
    out
}

pub const XMP_PACKET: &str = concat!(
    "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>",
    "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">",
    "<rdf:Description rdf:about=\"\" xmlns:exif=\"http://ns.adobe.com/exif/1.0/\"",
    " xmlns:tiff=\"http://ns.adobe.com/tiff/1.0/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"",
    " exif:GPSLatitude=\"52,31.2057N\" exif:GPSLongitude=\"13,24.9463E\" tiff:Make=\"PhoneMakerCo\">",
    "<dc:creator><rdf:Seq><rdf:li>Alice Activist</rdf:li></rdf:Seq></dc:creator>",
    "</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>"
);

pub const COMMENT: &str = "Taken at the march on Parliament by Alice Activist";

// --- JPEG ---------------------------------------------------------------------------------------

fn jpeg_segment(marker: u8, data: &[u8]) -> Vec<u8> {
    let mut segment = vec![0xFF, marker];
    segment.extend_from_slice(&((data.len() + 2) as u16).to_be_bytes());
    segment.extend_from_slice(data);
    segment
}

/// A JPEG of the picture with, right after its start marker: an EXIF APP1 segment, an XMP APP1
/// segment, a Photoshop APP13 segment with an IPTC by-line, and a comment.
pub fn jpeg_with_metadata(picture: &RgbImage, orientation: u16) -> Vec<u8> {
    let plain = jpeg(picture);
    assert_eq!(&plain[..2], b"\xFF\xD8");
    let mut exif = b"Exif\0\0".to_vec();
    exif.extend_from_slice(&exif_tiff(orientation));
    let mut xmp = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
    xmp.extend_from_slice(XMP_PACKET.as_bytes());
    // IPTC record 2, dataset 80 (By-line), in a Photoshop resource 0x0404.
    let mut iptc = vec![0x1C, 2, 80];
    iptc.extend_from_slice(&(b"Alice Activist".len() as u16).to_be_bytes());
    iptc.extend_from_slice(b"Alice Activist");
    let mut photoshop = b"Photoshop 3.0\0".to_vec();
    photoshop.extend_from_slice(b"8BIM\x04\x04\0\0");
    photoshop.extend_from_slice(&(iptc.len() as u32).to_be_bytes());
    photoshop.extend_from_slice(&iptc);
    if iptc.len() % 2 == 1 {
        photoshop.push(0);
    }

    let mut out = plain[..2].to_vec();
    out.extend(jpeg_segment(0xE1, &exif));
    out.extend(jpeg_segment(0xE1, &xmp));
    out.extend(jpeg_segment(0xED, &photoshop));
    out.extend(jpeg_segment(0xFE, COMMENT.as_bytes()));
    out.extend_from_slice(&plain[2..]);
    out
}

/// The markers of a JPEG's segments, up to and with the first start of scan.
pub fn jpeg_markers(bytes: &[u8]) -> Vec<u8> {
    assert_eq!(&bytes[..2], b"\xFF\xD8", "a JPEG starts with SOI");
    let mut markers = Vec::new();
    let mut at = 2;
    loop {
        assert_eq!(bytes[at], 0xFF, "a marker at {at}");
        let marker = bytes[at + 1];
        markers.push(marker);
        if marker == 0xDA {
            return markers;
        }
        at += 2 + usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
    }
}

// --- PNG ----------------------------------------------------------------------------------------

pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

pub fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    chunk.extend_from_slice(kind);
    chunk.extend_from_slice(data);
    let mut checked = kind.to_vec();
    checked.extend_from_slice(data);
    chunk.extend_from_slice(&crc32(&checked).to_be_bytes());
    chunk
}

/// Text in a zlib stream of one stored (uncompressed) block, as zTXt wants.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01, 0x01];
    let length = data.len() as u16;
    out.extend_from_slice(&length.to_le_bytes());
    out.extend_from_slice(&(!length).to_le_bytes());
    out.extend_from_slice(data);
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65521;
        b = (b + a) % 65521;
    }
    out.extend_from_slice(&((b << 16) | a).to_be_bytes());
    out
}

/// A PNG with, right after its header: tEXt (author, comment), zTXt (location), iTXt (XMP), tIME
/// and eXIf chunks.
pub fn png_with_metadata(png: &[u8], orientation: u16) -> Vec<u8> {
    // The signature (8 bytes) and IHDR (4 + 4 + 13 + 4).
    let header_end = 8 + 25;
    assert_eq!(&png[12..16], b"IHDR");
    let mut out = png[..header_end].to_vec();
    out.extend(png_chunk(b"tEXt", b"Author\0Alice Activist"));
    out.extend(png_chunk(b"tEXt", format!("Comment\0{COMMENT}").as_bytes()));
    let mut ztxt = b"Location\0\0".to_vec();
    ztxt.extend(zlib_stored(b"SpyPhone GPS 52.5201 13.4158"));
    out.extend(png_chunk(b"zTXt", &ztxt));
    let mut itxt = b"XML:com.adobe.xmp\0\0\0\0\0".to_vec();
    itxt.extend_from_slice(XMP_PACKET.as_bytes());
    out.extend(png_chunk(b"iTXt", &itxt));
    out.extend(png_chunk(b"tIME", &[0x07, 0xE8, 5, 1, 14, 32, 10]));
    out.extend(png_chunk(b"eXIf", &exif_tiff(orientation)));
    out.extend_from_slice(&png[header_end..]);
    out
}

/// The types of a PNG's chunks, in order.
pub fn png_chunk_types(bytes: &[u8]) -> Vec<String> {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let mut types = Vec::new();
    let mut at = 8;
    while at + 8 <= bytes.len() {
        let length = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        types.push(String::from_utf8_lossy(&bytes[at + 4..at + 8]).into_owned());
        at += 12 + length;
    }
    assert_eq!(at, bytes.len(), "the chunks fill the file");
    types
}

/// A PNG that is only a signature, a header claiming `width` × `height` RGBA pixels, a little
/// IDAT of garbage and IEND: a decompression bomb's first bytes.
pub fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]); // 8 bits, RGBA, deflate, no filter, no interlace
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(png_chunk(b"IHDR", &ihdr));
    out.extend(png_chunk(b"IDAT", &zlib_stored(&[0; 100])));
    out.extend(png_chunk(b"IEND", &[]));
    out
}

// --- WebP ---------------------------------------------------------------------------------------

fn riff_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut chunk = kind.to_vec();
    chunk.extend_from_slice(&(data.len() as u32).to_le_bytes());
    chunk.extend_from_slice(data);
    if data.len() % 2 == 1 {
        chunk.push(0);
    }
    chunk
}

/// The extended (VP8X) form of a simple lossless WebP, with EXIF and XMP chunks after the image.
pub fn webp_with_metadata(webp: &[u8], width: u32, height: u32, orientation: u16) -> Vec<u8> {
    assert_eq!(&webp[12..16], b"VP8L");
    let mut vp8x = vec![0x08 | 0x04, 0, 0, 0]; // EXIF and XMP present
    vp8x.extend_from_slice(&(width - 1).to_le_bytes()[..3]);
    vp8x.extend_from_slice(&(height - 1).to_le_bytes()[..3]);
    let mut body = b"WEBP".to_vec();
    body.extend(riff_chunk(b"VP8X", &vp8x));
    body.extend_from_slice(&webp[12..]);
    body.extend(riff_chunk(b"EXIF", &exif_tiff(orientation)));
    body.extend(riff_chunk(b"XMP ", XMP_PACKET.as_bytes()));
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend(body);
    out
}

// --- Reading back ---------------------------------------------------------------------------------

/// The EXIF a real reader finds in a JPEG, PNG or WebP file, if any.
pub fn read_exif(bytes: &[u8]) -> Option<exif::Exif> {
    exif::Reader::new().read_from_container(&mut Cursor::new(bytes)).ok()
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle)
}

/// A small deterministic random number generator (xorshift64*), so that a failure can be
/// reproduced.
pub struct Random(u64);

impl Random {
    pub fn new(seed: u64) -> Self {
        Random(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `bound` (not zero).
    pub fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    pub fn bytes(&mut self, length: usize) -> Vec<u8> {
        (0..length).map(|_| self.next() as u8).collect()
    }
}
