//! `prepare` never panics, whatever a stranger uploads: random bytes, random bytes behind a
//! picture's first bytes, real pictures cut off anywhere, and real pictures with bytes changed.
//!
//! `prepare` catches a decoder's panic and refuses the upload, which would hide one here: a panic
//! hook counts them all. It is the only test in this binary, so the hook sees no other test's.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use common::*;
use undersigned_picture::{Limits, prepare};

static PANICS: AtomicUsize = AtomicUsize::new(0);

#[test]
fn prepare_never_panics() {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        PANICS.fetch_add(1, Ordering::SeqCst);
        default_hook(info);
    }));
    let started = Instant::now();
    let mut random = Random::new(0x5EED_CAFE);
    // Small limits: a changed byte may make a header claim a larger picture, and a few thousand
    // inputs are to be decoded in an unoptimised build.
    let limits = Limits { max_pixels: 128 * 128, max_dimension: 512, min_dimension: 1, ..Limits::default() };
    let mut inputs = 0;
    let mut accepted = 0;
    let mut check = |bytes: &[u8], limits: &Limits| {
        inputs += 1;
        if let Ok(prepared) = prepare(bytes, limits) {
            accepted += 1;
            assert!(!prepared.renditions.is_empty());
        }
    };

    // Random bytes, some behind the first bytes of an accepted format or another one.
    let prefixes: [&[u8]; 6] = [
        b"",
        b"\xFF\xD8\xFF",
        b"\x89PNG\r\n\x1a\n",
        b"RIFF\0\0\0\0WEBPVP8X",
        b"RIFF\0\0\0\0WEBPVP8L",
        b"GIF89a",
    ];
    for prefix in prefixes {
        for _ in 0..500 {
            let mut bytes = prefix.to_vec();
            let length = random.below(600);
            bytes.extend(random.bytes(length));
            check(&bytes, &limits);
        }
    }

    let picture = photo(24, 16);
    let uploads = [
        jpeg_with_metadata(&picture, 6),
        jpeg(&picture),
        png_with_metadata(&png_rgb(&picture), 8),
        webp_with_metadata(&webp(&picture), 24, 16, 3),
        webp(&picture),
    ];
    for upload in &uploads {
        assert!(prepare(upload, &limits).is_ok());
        // Cut off everywhere (every byte for the smaller ones).
        let step = (upload.len() / 400).max(1);
        for cut in (0..upload.len()).step_by(step) {
            check(&upload[..cut], &limits);
        }
        // One to four bytes changed, anywhere, or in the first hundred (the headers).
        for round in 0..800 {
            let mut bytes = upload.clone();
            let span = if round % 2 == 0 { bytes.len() } else { bytes.len().min(100) };
            for _ in 0..1 + random.below(4) {
                let at = random.below(span);
                bytes[at] = random.next() as u8;
            }
            check(&bytes, &limits);
        }
    }

    // Odd limits, on a real picture.
    let upload = &uploads[0];
    for limits in [
        Limits { widths: vec![], ..Limits::default() },
        Limits { widths: vec![0, 0], ..Limits::default() },
        Limits { widths: vec![1, u32::MAX], min_dimension: 0, ..Limits::default() },
        Limits { max_dimension: 0, ..Limits::default() },
        Limits { max_pixels: 0, ..Limits::default() },
        Limits { max_bytes: 0, ..Limits::default() },
        Limits { min_dimension: u32::MAX, ..Limits::default() },
        Limits { max_dimension: u32::MAX, max_pixels: u64::MAX, max_bytes: usize::MAX, ..Limits::default() },
    ] {
        check(upload, &limits);
    }

    let took = started.elapsed();
    eprintln!("{inputs} inputs, {accepted} accepted, in {took:?}");
    assert_eq!(PANICS.load(Ordering::SeqCst), 0, "a decoder panicked (see above)");
    assert!(inputs > 8000);
    assert!(accepted > 100, "changed bytes in the pixels still make a picture: {accepted}");
}
