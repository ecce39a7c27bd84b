//! The renditions' sizes and orientation.

mod common;

use common::*;
use image::{GenericImageView, Rgb};
use undersigned_picture::{Limits, OutputFormat, Prepared, prepare, rendition_widths};

fn widths(prepared: &Prepared) -> Vec<u32> {
    prepared.renditions.iter().map(|r| r.width).collect()
}

/// Each rendition decodes to the size it claims, in the format claimed.
fn assert_sizes_are_true(prepared: &Prepared) {
    for rendition in &prepared.renditions {
        let format = image::guess_format(&rendition.bytes).unwrap();
        let expected = match prepared.format {
            OutputFormat::Jpeg => image::ImageFormat::Jpeg,
            OutputFormat::Png => image::ImageFormat::Png,
        };
        assert_eq!(format, expected);
        let decoded = image::load_from_memory(&rendition.bytes).unwrap();
        assert_eq!(decoded.dimensions(), (rendition.width, rendition.height));
    }
    let largest = prepared.renditions.last().unwrap();
    assert_eq!((prepared.width, prepared.height), (largest.width, largest.height));
}

fn is_red(pixel: Rgb<u8>) -> bool {
    pixel.0[0] > 150 && pixel.0[2] < 100
}

fn is_blue(pixel: Rgb<u8>) -> bool {
    pixel.0[2] > 150 && pixel.0[0] < 100
}

/// Uploads of a landscape picture (64 × 32, red on the left) that the camera held turned: EXIF
/// orientation 6, "rotate 90° clockwise to show".
fn turned_uploads() -> Vec<(&'static str, Vec<u8>)> {
    let picture = photo(64, 32);
    vec![
        ("JPEG", jpeg_with_metadata(&picture, 6)),
        ("PNG", png_with_metadata(&png_rgb(&picture), 6)),
        ("WebP", webp_with_metadata(&webp(&picture), 64, 32, 6)),
    ]
}

#[test]
fn a_picture_is_turned_as_its_exif_orientation_says() {
    for (format, upload) in turned_uploads() {
        let exif = read_exif(&upload).unwrap();
        let orientation = exif.get_field(exif::Tag::Orientation, exif::In::PRIMARY).unwrap();
        assert_eq!(orientation.value.get_uint(0), Some(6), "{format}");

        let prepared = prepare(&upload, &Limits::default()).unwrap();
        assert_eq!((prepared.width, prepared.height), (32, 64), "{format} comes out portrait");
        assert_sizes_are_true(&prepared);
        // Turned clockwise, the left half is on top.
        let shown = image::load_from_memory(&prepared.renditions[0].bytes).unwrap().into_rgb8();
        assert!(is_red(*shown.get_pixel(16, 8)), "{format}: {:?}", shown.get_pixel(16, 8));
        assert!(is_blue(*shown.get_pixel(16, 56)), "{format}: {:?}", shown.get_pixel(16, 56));
    }
}

#[test]
fn every_orientation_comes_out_upright() {
    // Where the red half of the 64 × 32 picture shows for each orientation: the size shown, and a
    // point that is red and one that is blue.
    let cases = [
        (1, (64, 32), (8, 16), (56, 16)),
        (2, (64, 32), (56, 16), (8, 16)), // mirrored
        (3, (64, 32), (56, 16), (8, 16)), // turned half round
        (4, (64, 32), (8, 16), (56, 16)), // flipped upside down
        (5, (32, 64), (16, 8), (16, 56)), // transposed
        (6, (32, 64), (16, 8), (16, 56)), // turned clockwise
        (7, (32, 64), (16, 56), (16, 8)), // transversed
        (8, (32, 64), (16, 56), (16, 8)), // turned anticlockwise
    ];
    for (orientation, size, red, blue) in cases {
        let upload = jpeg_with_metadata(&photo(64, 32), orientation);
        let prepared = prepare(&upload, &Limits::default()).unwrap();
        assert_eq!((prepared.width, prepared.height), size, "orientation {orientation}");
        let shown = image::load_from_memory(&prepared.renditions[0].bytes).unwrap().into_rgb8();
        assert!(is_red(*shown.get_pixel(red.0, red.1)), "orientation {orientation}");
        assert!(is_blue(*shown.get_pixel(blue.0, blue.1)), "orientation {orientation}");
    }
}

#[test]
fn a_wide_picture_gets_the_three_widths_with_its_aspect_ratio() {
    let (width, height) = (2000, 517);
    let prepared = prepare(&jpeg(&photo(width, height)), &Limits::default()).unwrap();
    assert_eq!(widths(&prepared), [480, 960, 1600]);
    for rendition in &prepared.renditions {
        let exact = f64::from(rendition.width) * f64::from(height) / f64::from(width);
        assert!((f64::from(rendition.height) - exact).abs() <= 1.0, "{rendition:?} against {exact}");
    }
    assert_eq!(prepared.renditions.iter().map(|r| r.height).collect::<Vec<_>>(), [124, 248, 414]);
    assert_sizes_are_true(&prepared);
    // Narrower renditions are smaller files.
    assert!(prepared.renditions.windows(2).all(|pair| pair[0].bytes.len() < pair[1].bytes.len()));
}

#[test]
fn a_small_picture_is_never_enlarged() {
    let prepared = prepare(&jpeg(&photo(300, 200)), &Limits::default()).unwrap();
    assert_eq!(widths(&prepared), [300]);
    assert_eq!((prepared.width, prepared.height), (300, 200));
    assert_sizes_are_true(&prepared);

    // Between two widths: the narrower ones, then the original.
    let prepared = prepare(&png_rgb(&photo(1000, 50)), &Limits::default()).unwrap();
    assert_eq!(widths(&prepared), [480, 960, 1000]);
    assert_sizes_are_true(&prepared);
}

#[test]
fn the_widths_can_be_configured() {
    // A share picture: one rendition, 1200 wide.
    let limits = Limits { widths: vec![1200], ..Limits::default() };
    let prepared = prepare(&jpeg(&photo(1600, 900)), &limits).unwrap();
    assert_eq!(widths(&prepared), [1200]);
    assert_eq!(prepared.height, 675);

    // Unsorted, repeated and zero widths; and none at all.
    assert_eq!(rendition_widths(1000, &[1600, 0, 480, 960, 480]), [480, 960, 1000]);
    assert_eq!(rendition_widths(1000, &[960, 480]), [480, 960]);
    assert_eq!(rendition_widths(500, &[]), [500]);
    assert_eq!(rendition_widths(500, &[0]), [500]);
    assert_eq!(rendition_widths(480, &[480, 960]), [480]);
    assert_eq!(rendition_widths(5000, &[480, 960, 1600]), [480, 960, 1600]);
}

#[test]
fn a_very_flat_picture_keeps_at_least_one_pixel_of_height() {
    let limits = Limits { min_dimension: 1, ..Limits::default() };
    let prepared = prepare(&png_rgb(&photo(2000, 2)), &limits).unwrap();
    assert_eq!(
        prepared.renditions.iter().map(|r| (r.width, r.height)).collect::<Vec<_>>(),
        [(480, 1), (960, 1), (1600, 2)]
    );
    assert_sizes_are_true(&prepared);
}

#[test]
fn grey_and_sixteen_bit_pictures_become_colour_jpegs() {
    let grey = image::GrayImage::from_fn(40, 30, |x, _| image::Luma([(x * 6) as u8]));
    let mut bytes = Vec::new();
    image::DynamicImage::ImageLuma8(grey)
        .write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    let prepared = prepare(&bytes, &Limits::default()).unwrap();
    assert_eq!((prepared.format, prepared.width, prepared.height), (OutputFormat::Jpeg, 40, 30));
    assert_sizes_are_true(&prepared);

    let deep = image::ImageBuffer::<image::Rgba<u16>, _>::from_fn(40, 30, |x, _| {
        image::Rgba([(x * 1600) as u16, 0, 65535, 65535])
    });
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgba16(deep)
        .write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    let prepared = prepare(&bytes, &Limits::default()).unwrap();
    // An alpha channel, but opaque everywhere: a JPEG.
    assert_eq!((prepared.format, prepared.width, prepared.height), (OutputFormat::Jpeg, 40, 30));
    assert_sizes_are_true(&prepared);
}

#[test]
fn a_lossy_webp_is_read_too() {
    // The image crate only encodes lossless WebP; this is a lossy 16 × 16 one (VP8), made by
    // libwebp's cwebp (`cwebp -q 75 -metadata none`) from a red square.
    let prepared = prepare(LOSSY_WEBP, &Limits::default()).unwrap();
    assert_eq!((prepared.width, prepared.height), (16, 16));
    let shown = image::load_from_memory(&prepared.renditions[0].bytes).unwrap().into_rgb8();
    assert!(is_red(*shown.get_pixel(8, 8)), "{:?}", shown.get_pixel(8, 8));
}

const LOSSY_WEBP: &[u8] = &[
    0x52, 0x49, 0x46, 0x46, 0x3a, 0x00, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x20, 0x2e,
    0x00, 0x00, 0x00, 0xb0, 0x01, 0x00, 0x9d, 0x01, 0x2a, 0x10, 0x00, 0x10, 0x00, 0x02, 0x00, 0x34, 0x25,
    0xa0, 0x02, 0x74, 0xba, 0x00, 0x04, 0x30, 0x00, 0x00, 0xfe, 0xf0, 0x6c, 0xaf, 0xfd, 0xc7, 0x60, 0x6e,
    0xbc, 0x5b, 0xff, 0xde, 0x33, 0xff, 0xee, 0x33, 0xff, 0xee, 0x33, 0xff, 0x91, 0x00, 0x00,
];

#[test]
fn transparent_edges_keep_their_colour_when_resized() {
    // White and opaque on the right; on the left transparent, and black where no one sees it.
    let picture = image::RgbaImage::from_fn(2000, 20, |x, _| {
        if x < 1000 { image::Rgba([0, 0, 0, 0]) } else { image::Rgba([255, 255, 255, 255]) }
    });
    let prepared = prepare(&png_rgba(&picture), &Limits::default()).unwrap();
    assert_eq!(prepared.format, OutputFormat::Png);
    assert_eq!(widths(&prepared), [480, 960, 1600]);
    for rendition in &prepared.renditions {
        let shown = image::load_from_memory(&rendition.bytes).unwrap().into_rgba8();
        let (edge, middle) = (shown.width() / 2, shown.height() / 2);
        assert!(shown.get_pixel(edge - 4, middle).0[3] < 10 && shown.get_pixel(edge + 4, middle).0[3] > 245);
        for pixel in shown.pixels().filter(|pixel| pixel.0[3] > 0) {
            // No dark fringe: what shows at all is white.
            assert!(pixel.0[..3].iter().all(|&c| c > 240), "{} px: {pixel:?}", rendition.width);
        }
    }
}
