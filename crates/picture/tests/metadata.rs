//! No rendition keeps anything of the upload's metadata: checked with a real EXIF reader, by
//! scanning the bytes, and with exiftool where it is installed.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::*;
use undersigned_picture::{Limits, OutputFormat, Prepared, prepare};

/// Asserts that the fixture really has the metadata the test is about: a real EXIF reader finds
/// the GPS position, the camera and its serial number.
fn assert_has_gps(bytes: &[u8]) {
    let exif = read_exif(bytes).expect("the fixture has EXIF");
    for tag in [exif::Tag::GPSLatitude, exif::Tag::GPSLongitude, exif::Tag::GPSLatitudeRef] {
        assert!(exif.get_field(tag, exif::In::PRIMARY).is_some(), "the fixture has {tag}");
    }
    let make = exif.get_field(exif::Tag::Make, exif::In::PRIMARY).expect("the fixture has a Make");
    assert_eq!(make.display_value().to_string(), "\"PhoneMakerCo\"");
    assert!(exif.get_field(exif::Tag::Model, exif::In::PRIMARY).is_some());
    assert!(exif.get_field(exif::Tag::BodySerialNumber, exif::In::PRIMARY).is_some());
    let latitude = exif.get_field(exif::Tag::GPSLatitude, exif::In::PRIMARY).unwrap();
    assert_eq!(latitude.display_value().to_string(), "52 deg 31 min 12.34 sec");
    for secret in ["PhoneMakerCo", "SN-PROTEST-0042", "Alice Activist"] {
        assert!(contains(bytes, secret.as_bytes()), "the fixture has {secret:?}");
    }
    assert!(contains(bytes, &latitude_bytes()));
}

/// Asserts that no rendition has any EXIF, nor any of the fixtures' metadata in its bytes, nor a
/// segment or chunk that could hold metadata.
fn assert_clean(prepared: &Prepared) {
    assert!(!prepared.renditions.is_empty());
    for rendition in &prepared.renditions {
        let bytes = &rendition.bytes;
        let size = rendition.width;
        assert!(read_exif(bytes).is_none(), "the {size} px rendition has no EXIF");
        for secret in SECRETS {
            assert!(!contains(bytes, secret.as_bytes()), "the {size} px rendition has {secret:?}");
        }
        assert!(!contains(bytes, &latitude_bytes()), "the {size} px rendition has the latitude");
        match prepared.format {
            OutputFormat::Jpeg => {
                // SOI is not listed; APP0 is JFIF's; then tables, the frame and the scan. No APP1
                // (EXIF, XMP) to APP15 (APP13 is IPTC's), and no COM.
                let markers = jpeg_markers(bytes);
                for marker in &markers {
                    assert!(
                        matches!(marker, 0xE0 | 0xDB | 0xC0 | 0xC4 | 0xDD | 0xDA),
                        "the {size} px rendition has the segment {marker:#04X}: {markers:02X?}"
                    );
                }
                assert_eq!(&bytes[bytes.len() - 2..], b"\xFF\xD9", "nothing after the end of the picture");
            }
            OutputFormat::Png => {
                let types = png_chunk_types(bytes);
                for kind in &types {
                    assert!(
                        matches!(kind.as_str(), "IHDR" | "IDAT" | "IEND"),
                        "the {size} px rendition has a {kind} chunk: {types:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn a_jpeg_loses_its_exif_xmp_iptc_and_comment() {
    let upload = jpeg_with_metadata(&photo(1200, 800), 1);
    assert_has_gps(&upload);
    assert!(contains(&upload, b"xmpmeta") && contains(&upload, COMMENT.as_bytes()));
    assert!(contains(&upload, b"Photoshop 3.0\08BIM"));

    let prepared = prepare(&upload, &Limits::default()).unwrap();
    assert_eq!(prepared.format, OutputFormat::Jpeg);
    assert_eq!((prepared.media_type, prepared.extension), ("image/jpeg", "jpg"));
    assert_eq!(prepared.renditions.iter().map(|r| r.width).collect::<Vec<_>>(), [480, 960, 1200]);
    assert_clean(&prepared);
}

#[test]
fn a_png_loses_its_text_and_exif_chunks() {
    let upload = png_with_metadata(&png_rgb(&photo(100, 60)), 1);
    assert_has_gps(&upload);
    let types = png_chunk_types(&upload);
    for kind in ["tEXt", "zTXt", "iTXt", "tIME", "eXIf"] {
        assert!(types.iter().any(|t| t == kind), "the fixture has a {kind} chunk");
    }

    let prepared = prepare(&upload, &Limits::default()).unwrap();
    // No transparency: a JPEG.
    assert_eq!(prepared.format, OutputFormat::Jpeg);
    assert_clean(&prepared);
}

#[test]
fn a_transparent_png_stays_a_png_without_its_metadata() {
    let picture = image::RgbaImage::from_fn(100, 60, |x, _| image::Rgba([10, 200, 30, (x * 2) as u8]));
    let upload = png_with_metadata(&png_rgba(&picture), 1);
    assert_has_gps(&upload);

    let prepared = prepare(&upload, &Limits::default()).unwrap();
    assert_eq!(prepared.format, OutputFormat::Png);
    assert_eq!((prepared.media_type, prepared.extension), ("image/png", "png"));
    assert_clean(&prepared);
    let back = image::load_from_memory(&prepared.renditions[0].bytes).unwrap().into_rgba8();
    assert_eq!(back.get_pixel(0, 0).0[3], 0, "the transparency is kept");
    assert_eq!(back.get_pixel(99, 0).0[3], 198);
}

#[test]
fn a_webp_loses_its_exif_and_xmp_chunks() {
    let upload = webp_with_metadata(&webp(&photo(100, 60)), 100, 60, 1);
    assert_has_gps(&upload);
    assert!(contains(&upload, b"XMP ") && contains(&upload, b"xmpmeta"));

    let prepared = prepare(&upload, &Limits::default()).unwrap();
    assert_eq!(prepared.format, OutputFormat::Jpeg);
    assert_eq!((prepared.width, prepared.height), (100, 60));
    assert_clean(&prepared);
}

/// exiftool knows far more metadata than the EXIF reader: where it is installed (Debian's
/// libimage-exiftool-perl), it must find the fixture's and none in the renditions.
#[test]
fn exiftool_finds_no_metadata_in_the_renditions() {
    if Command::new("exiftool").arg("-ver").output().is_err() {
        eprintln!("exiftool is not installed (Debian: libimage-exiftool-perl): this test is skipped");
        return;
    }
    let directory = scratch_directory();
    let uploads = [
        ("upload.jpg", jpeg_with_metadata(&photo(640, 480), 6)),
        ("upload.png", png_with_metadata(&png_rgb(&photo(64, 48)), 6)),
        ("upload.webp", webp_with_metadata(&webp(&photo(64, 48)), 64, 48, 6)),
    ];
    let forbidden = [
        "GPS",
        "Make",
        "Model",
        "SerialNumber",
        "DateTimeOriginal",
        "Comment",
        "XMP",
        "IPTC",
        "Creator",
        "By-line",
        "Author",
        "Orientation",
        "Photoshop",
        "Alice",
        "PhoneMakerCo",
    ];
    for (name, upload) in uploads {
        let input = directory.join(name);
        std::fs::write(&input, &upload).unwrap();
        let report = exiftool(&input);
        for expected in ["GPSLatitude", "Make", "Model", "XMP"] {
            assert!(report.contains(expected), "exiftool finds {expected} in {name}:\n{report}");
        }

        let prepared = prepare(&upload, &Limits::default()).unwrap();
        for rendition in &prepared.renditions {
            let output = directory.join(format!("{name}-{}.{}", rendition.width, prepared.extension));
            std::fs::write(&output, &rendition.bytes).unwrap();
            let report = exiftool(&output);
            for tag in forbidden {
                assert!(!report.contains(tag), "exiftool finds {tag} in {}:\n{report}", output.display());
            }
            assert!(report.contains("ImageWidth"), "exiftool reads the rendition:\n{report}");
        }
    }
    // KEEP_PICTURES=1 leaves the files there, to look at them.
    if std::env::var_os("KEEP_PICTURES").is_none() {
        std::fs::remove_dir_all(&directory).unwrap();
    }
}

/// Every tag exiftool finds in a file, with its group, except the ones about the file on disk.
fn exiftool(path: &std::path::Path) -> String {
    let output = Command::new("exiftool").args(["-a", "-u", "-G1", "-s", "-e"]).arg(path).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter(|line| !line.starts_with("[ExifTool]") && !line.starts_with("[System]"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn scratch_directory() -> PathBuf {
    let directory = std::env::temp_dir().join(format!("undersigned-picture-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    directory
}
