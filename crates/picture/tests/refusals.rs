//! What is refused, and why: each refusal says what is wrong, and comes before any large
//! allocation.

mod common;

use std::time::{Duration, Instant};

use common::*;
use undersigned_picture::{Format, Limits, PictureError, prepare, sniff};

/// `prepare`, timed: a refusal must come at once, whatever the picture claims to be.
fn refuse(bytes: &[u8], limits: &Limits) -> PictureError {
    let started = Instant::now();
    let error = prepare(bytes, limits).expect_err("refused");
    let took = started.elapsed();
    assert!(took < Duration::from_millis(500), "{error:?} took {took:?}");
    error
}

#[test]
fn pictures_in_other_formats_are_named() {
    // A 1 × 1 GIF.
    let gif = b"GIF89a\x01\0\x01\0\x80\0\0\0\0\0\xff\xff\xff!\xf9\x04\x01\0\0\0\0,\0\0\0\0\x01\0\x01\0\0\x02\x02D\x01\0;";
    assert_eq!(refuse(gif, &Limits::default()), PictureError::UnsupportedFormat { format: "GIF" });
    let svg = br#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>"#;
    let error = refuse(svg, &Limits::default());
    assert_eq!(error, PictureError::UnsupportedFormat { format: "SVG" });
    assert_eq!(error.code(), "unsupported-format");
    assert_eq!(
        error.to_string(),
        "SVG pictures are not accepted: please upload a JPEG, PNG or WebP picture."
    );
    let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic";
    assert_eq!(refuse(heic, &Limits::default()), PictureError::UnsupportedFormat { format: "HEIC" });
}

#[test]
fn files_that_are_no_pictures_are_refused_as_such() {
    for bytes in [
        &b"Dear organisers, please find my picture attached."[..],
        b"<!DOCTYPE html><html><body><img src=x onerror=alert(1)></body></html>",
        b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n",
        b"PK\x03\x04\x14\0\0\0\x08\0",
        b"\x7fELF\x02\x01\x01\0",
        // A picture's name and a declared type mean nothing: only the content counts.
        b"photo.jpg",
        b"image/jpeg",
        // The first bytes of a JPEG, and no more.
        b"\xFF\xD8",
    ] {
        let error = refuse(bytes, &Limits::default());
        assert_eq!(error, PictureError::NotAPicture, "{:?}", String::from_utf8_lossy(bytes));
        assert_eq!(error.code(), "not-a-picture");
    }
}

#[test]
fn an_empty_upload_is_refused() {
    assert_eq!(refuse(b"", &Limits::default()), PictureError::Empty);
    assert_eq!(PictureError::Empty.code(), "empty");
}

#[test]
fn a_file_too_large_is_refused_before_it_is_read() {
    let upload = jpeg(&photo(200, 100));
    let limits = Limits { max_bytes: upload.len() - 1, ..Limits::default() };
    assert_eq!(refuse(&upload, &limits), PictureError::TooLarge { max_bytes: upload.len() - 1 });
    assert!(prepare(&upload, &Limits { max_bytes: upload.len(), ..Limits::default() }).is_ok());

    // Over the default 10 MiB, even if it is nothing but zeros (and so no picture at all).
    let huge = vec![0; 10 * 1024 * 1024 + 1];
    let error = refuse(&huge, &Limits::default());
    assert_eq!(error, PictureError::TooLarge { max_bytes: 10 * 1024 * 1024 });
    assert_eq!(error.to_string(), "The file is too large: a picture may be at most 10 MB.");
}

#[test]
fn cut_off_pictures_are_refused_as_damaged() {
    let jpeg = jpeg_with_metadata(&photo(120, 80), 1);
    let png = png_rgb(&photo(120, 80));
    let webp = webp(&photo(120, 80));
    for (name, whole) in [("JPEG", &jpeg), ("PNG", &png), ("WebP", &webp)] {
        assert!(prepare(whole, &Limits::default()).is_ok(), "{name}");
        // Cut in the header, in the middle of the pixels, and in the last of them (a PNG cut in
        // its end chunk only, its pixels whole, may be taken).
        for cut in [20, whole.len() / 2, whole.len() - 20] {
            let error = refuse(&whole[..cut], &Limits::default());
            assert_eq!(error, PictureError::Corrupt, "{name} cut at {cut} of {}", whole.len());
            assert_eq!(error.code(), "corrupt");
        }
    }
    // The JPEG decoder would show a JPEG without its end marker, the rest of the picture grey.
    assert_eq!(refuse(&jpeg[..jpeg.len() - 2], &Limits::default()), PictureError::Corrupt);
}

#[test]
fn a_valid_header_with_garbage_after_it_is_refused_as_damaged() {
    let mut random = Random::new(7);
    let jpeg = jpeg(&photo(120, 80));
    let png = png_rgb(&photo(120, 80));
    // The JPEG's headers up to its first scan; the PNG's signature and IHDR.
    let jpeg_headers = jpeg.windows(2).position(|w| w == b"\xFF\xDA").unwrap() + 14;
    for header in [&jpeg[..jpeg_headers], &png[..33]] {
        let mut bytes = header.to_vec();
        bytes.extend(random.bytes(3000));
        assert_eq!(refuse(&bytes, &Limits::default()), PictureError::Corrupt);
    }
}

#[test]
fn a_png_claiming_60000_by_60000_pixels_is_refused_from_its_header() {
    let bomb = png_claiming(60_000, 60_000);
    assert!(bomb.len() < 200);
    assert_eq!(sniff(&bomb), Some(Format::Png));
    let error = refuse(&bomb, &Limits::default());
    assert_eq!(error, PictureError::DimensionsTooLarge { max_dimension: 8000 });
    assert_eq!(error.code(), "dimensions-too-large");

    // Each side within the limit, but 49 megapixels in all.
    let error = refuse(&png_claiming(7000, 7000), &Limits::default());
    assert_eq!(error, PictureError::TooManyPixels { max: 40_000_000 });
    assert_eq!(error.to_string(), "The picture has too many pixels: it may have at most 40 megapixels.");
}

#[test]
fn a_jpeg_and_a_webp_claiming_too_many_pixels_are_refused_from_their_header() {
    // A real JPEG whose frame header (SOF0) is changed to claim 60000 × 60000.
    let mut jpeg = jpeg(&photo(64, 32));
    let sof = jpeg.windows(2).position(|w| w == b"\xFF\xC0").unwrap();
    jpeg[sof + 5..sof + 9].copy_from_slice(&[0xEA, 0x60, 0xEA, 0x60]);
    assert_eq!(refuse(&jpeg, &Limits::default()), PictureError::DimensionsTooLarge { max_dimension: 8000 });

    // A WebP's extended header claiming 16384 × 16384 (within the format, over the limit).
    let webp = webp_with_metadata(&webp(&photo(64, 32)), 16_384, 16_384, 1);
    assert_eq!(refuse(&webp, &Limits::default()), PictureError::DimensionsTooLarge { max_dimension: 8000 });

    // And with the limits lowered, an honest picture.
    let limits = Limits { max_pixels: 1000, ..Limits::default() };
    assert_eq!(refuse(&png_rgb(&photo(64, 32)), &limits), PictureError::TooManyPixels { max: 1000 });
    let limits = Limits { max_dimension: 50, ..Limits::default() };
    assert_eq!(
        refuse(&png_rgb(&photo(64, 32)), &limits),
        PictureError::DimensionsTooLarge { max_dimension: 50 }
    );
}

#[test]
fn a_picture_too_small_to_see_is_refused() {
    let error = refuse(&png_rgb(&photo(8, 8)), &Limits::default());
    assert_eq!(error, PictureError::TooSmall { min_dimension: 16 });
    assert_eq!(error.code(), "too-small");
    assert!(prepare(&png_rgb(&photo(16, 16)), &Limits::default()).is_ok());
    assert!(prepare(&png_rgb(&photo(8, 8)), &Limits { min_dimension: 1, ..Limits::default() }).is_ok());
}
