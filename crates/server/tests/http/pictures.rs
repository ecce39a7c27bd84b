//! Pictures (issue 15), on both backends: an organiser uploads a phone's photo with its GPS
//! position, camera and a comment in it; what the server serves has no metadata at all (read with
//! a real EXIF reader, and exiftool when installed), from this site, kept for a year; it shows in
//! the appeal in every width, and as the campaign's share picture; an image from another host
//! never shows. A file that is not a picture, an SVG, one too large or a picture without alt text
//! is refused by its field, and nothing is stored.

use std::io::Cursor;

use undersigned_core::account::Role;
use undersigned_core::proposal::ProposalState;
use undersigned_core::store::now;
use undersigned_core::{Campaign, Slug};
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::proposals;
use crate::support::{Browser, Page, TestApp};

const DEMO: &str = "/c/release-cai-guangye";
const PICTURES: &str = "/organise/c/release-cai-guangye/pictures";

/// A 1000 × 640 JPEG as a phone writes it: EXIF with a GPS position, the camera's make, model and
/// serial number and the date; XMP; IPTC; a comment (made by the picture crate's test helpers).
pub(crate) const PHOTO: &[u8] = include_bytes!("../fixtures/protest-gps.jpg");

/// What the photo's metadata says, and no served picture may.
const SECRETS: &[&str] = &[
    "PhoneMakerCo",
    "SpyPhone",
    "SN-PROTEST-0042",
    "2024:05:01",
    "Alice Activist",
    "march on Parliament",
    "xmpmeta",
    "Photoshop 3.0",
    "Exif\0",
];

async fn upload(browser: &Browser, alt: &str, name: &str, media_type: &str, bytes: Vec<u8>) -> Page {
    upload_to(browser, PICTURES, alt, name, media_type, bytes).await
}

async fn upload_to(
    browser: &Browser,
    path: &str,
    alt: &str,
    name: &str,
    media_type: &str,
    bytes: Vec<u8>,
) -> Page {
    let csrf = browser.get(path).await.csrf();
    let file =
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()).mime_str(media_type).unwrap();
    let form =
        reqwest::multipart::Form::new().text("csrf", csrf).text("alt", alt.to_owned()).part("file", file);
    let response =
        browser.client.post(format!("{}{path}", browser.base)).multipart(form).send().await.unwrap();
    Page::from(response).await
}

/// The keys of the pictures the page lists, from the Markdown it gives for each.
fn keys(page: &Page) -> Vec<String> {
    page.body.split("](/media/").skip(1).map(|rest| rest[..32].to_owned()).collect()
}

/// The number of the page's first picture, from its forms' addresses.
fn first_id(page: &Page) -> String {
    let marker = format!("{PICTURES}/");
    let start = page.body.find(&marker).expect("a picture's form") + marker.len();
    page.body[start..].chars().take_while(char::is_ascii_digit).collect()
}

async fn demo(db: &TestDb) -> Campaign {
    let store = db.store().await;
    store.campaign_by_slug(&Slug::parse("s", "release-cai-guangye").unwrap()).await.unwrap().unwrap()
}

/// Whether the text of `bytes` holds `needle`.
fn holds(bytes: &[u8], needle: &str) -> bool {
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// Runs exiftool on `bytes`, if it is installed (CI installs it, and there it must be): the tags
/// it finds, as `Group:Tag` names.
fn exiftool_tags(bytes: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("served.jpg");
    std::fs::write(&path, bytes).unwrap();
    let Ok(output) = std::process::Command::new("exiftool").args(["-a", "-G1", "-s"]).arg(&path).output()
    else {
        assert!(std::env::var_os("CI").is_none(), "exiftool (libimage-exiftool-perl) is missing in CI");
        return None;
    };
    assert!(output.status.success(), "exiftool failed: {}", String::from_utf8_lossy(&output.stderr));
    Some(String::from_utf8(output.stdout).unwrap())
}

/// Asserts that `bytes`, served from [`PHOTO`], are a JPEG with none of its metadata: no EXIF (read
/// with a real EXIF reader), none of its secrets, no tag exiftool finds (when installed).
pub(crate) fn assert_no_metadata(bytes: &[u8], what: &str) {
    assert_eq!(&bytes[..2], b"\xFF\xD8", "{what} is no JPEG");
    assert!(
        matches!(
            exif::Reader::new().read_from_container(&mut Cursor::new(bytes)),
            Err(exif::Error::NotFound(_))
        ),
        "{what} has EXIF"
    );
    for secret in SECRETS {
        assert!(!holds(bytes, secret), "{secret:?} in {what}");
    }
    if let Some(tags) = exiftool_tags(bytes) {
        for tag in ["GPS", "Make", "Model", "Comment", "Serial", "XMP", "IPTC", "DateTimeOriginal"] {
            assert!(!tags.contains(tag), "exiftool finds {tag} in {what}:\n{tags}");
        }
    }
}

async fn a_photo_comes_back_without_its_metadata_and_shows_in_the_appeal(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let organiser = app.organiser(db, "pictures@example.org", Role::Owner).await;

    // The fixture really carries what must not leave the server.
    let exif = exif::Reader::new().read_from_container(&mut Cursor::new(PHOTO)).expect("the fixture's EXIF");
    assert!(exif.get_field(exif::Tag::GPSLatitude, exif::In::PRIMARY).is_some());
    assert!(exif.get_field(exif::Tag::Make, exif::In::PRIMARY).is_some());
    assert!(SECRETS.iter().all(|s| holds(PHOTO, s)));

    let sent =
        upload(&organiser, "Dockers at the harbour gate", "IMG_0042.jpg", "image/jpeg", PHOTO.to_vec()).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    assert_eq!(sent.location(), format!("{PICTURES}?done=picture-added"));
    let page = organiser.get(sent.location()).await;
    assert!(page.body.contains("The picture was uploaded."));
    assert!(page.body.contains("1000 × 640 pixels"));
    let key = keys(&page).pop().expect("the picture is listed");
    assert!(page.body.contains(&format!("![Dockers at the harbour gate](/media/{key})")));

    // Every width, to anyone (the campaign is public), from this site, with no metadata.
    let visitor = app.new_browser();
    for width in [480, 960, 1000] {
        let response = visitor.client.get(format!("{}/media/{key}/{width}", app.base)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{width}");
        let headers = response.headers().clone();
        assert_eq!(headers["content-type"], "image/jpeg");
        assert_eq!(headers["cache-control"], "public, max-age=31536000, immutable");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        let etag = headers["etag"].to_str().unwrap().to_owned();
        let bytes = response.bytes().await.unwrap();
        assert_no_metadata(&bytes, &format!("the {width} wide rendition"));
        let again = visitor.get_with(&format!("/media/{key}/{width}"), &[("if-none-match", &etag)]).await;
        assert_eq!(again.status, 304);
    }
    assert_eq!(visitor.get(&format!("/media/{key}")).await.status, 200, "the widest, by the key alone");
    for missing in [
        format!("/media/{key}/1600"),
        format!("/media/{key}/x"),
        "/media/0123456789abcdef0123456789abcdef/480".into(),
        "/media/..%2F/480".into(),
    ] {
        assert_eq!(visitor.get(&missing).await.status, 404, "{missing}");
    }

    // In the appeal: the campaign's own picture in every width; another host's image, never.
    let campaign = demo(db).await;
    let store = db.store().await;
    let mut content = campaign.content.clone();
    content.versions[0].body = format!(
        "{}\n\n![Dockers at the gate](/media/{key})\n\n![tracked](https://tracker.example/p.png)",
        content.versions[0].body
    );
    store.save_campaign(campaign.id, &content, false, now()).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let lang = content.versions[0].lang.clone();
    let page = visitor.get(&format!("{DEMO}?lang={lang}")).await;
    assert!(
        page.body.contains(&format!(
            "srcset=\"/media/{key}/480 480w, /media/{key}/960 960w, /media/{key}/1000 1000w\""
        )),
        "{}",
        page.body
    );
    assert!(page.body.contains("alt=\"Dockers at the gate\""));
    assert!(page.body.contains("width=\"1000\" height=\"640\""));
    assert!(!page.body.contains("tracker.example"));
    assert!(page.body.contains("/static/card.png\">"), "no share picture yet: the site's card");

    // The share picture, for Open Graph.
    let id = first_id(&organiser.get(PICTURES).await);
    let csrf = organiser.get(PICTURES).await.csrf();
    let shared = organiser.post(&format!("{PICTURES}/{id}/share"), &[("csrf", &csrf)]).await;
    assert_eq!(shared.status, 303);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let page = visitor.get(&format!("{DEMO}?lang={lang}")).await;
    let og = format!("<meta property=\"og:image\" content=\"{}/media/{key}/1000\">", app.base);
    assert!(page.body.contains(&og), "{og} missing");
    assert!(
        page.body
            .contains(&format!("<meta name=\"twitter:image\" content=\"{}/media/{key}/1000\">", app.base))
    );

    // The alt text stays required when changed; then deleting takes every width away.
    let refused = organiser.post(&format!("{PICTURES}/{id}/alt"), &[("csrf", &csrf), ("alt", " ")]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.field_error(&format!("alt_{id}")).unwrap().contains("Describe the picture"));
    let changed =
        organiser.post(&format!("{PICTURES}/{id}/alt"), &[("csrf", &csrf), ("alt", "The gate")]).await;
    assert_eq!(changed.status, 303);
    assert!(organiser.get(PICTURES).await.body.contains("![The gate](/media/"));
    let gone = organiser.post(&format!("{PICTURES}/{id}/delete"), &[("csrf", &csrf)]).await;
    assert_eq!(gone.status, 303);
    assert!(store.pictures(campaign.id).await.unwrap().is_empty());
    assert_eq!(visitor.get(&format!("/media/{key}/480")).await.status, 404);

    // Another visitor may not manage them, nor post without the form's token.
    assert_eq!(visitor.get(PICTURES).await.status, 303, "to the login page");
    let forged = organiser.post(&format!("{PICTURES}/{id}/delete"), &[("csrf", "forged")]).await;
    assert_eq!(forged.status, 403);
    app.stop().await;
}

async fn a_file_that_is_not_a_picture_or_too_large_or_without_alt_text_stores_nothing(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let organiser = app.organiser(db, "refusals@example.org", Role::Owner).await;
    let campaign = demo(db).await;
    let store = db.store().await;

    let svg =
        b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
    // Just above the limit, beginning like a JPEG: refused by its size before anything else.
    let mut huge = PHOTO.to_vec();
    huge.resize(10 * 1024 * 1024 + 1, 0);
    for (name, media_type, bytes, says) in [
        ("notes.jpg", "image/jpeg", b"Meeting at the gate at six.".to_vec(), "The file is not a picture"),
        ("logo.svg", "image/svg+xml", svg.to_vec(), "SVG pictures are not accepted"),
        ("huge.jpg", "image/jpeg", huge, "The file is too large: a picture may be at most 10 MB."),
        ("cut.jpg", "image/jpeg", PHOTO[..PHOTO.len() / 2].to_vec(), "The picture cannot be read"),
    ] {
        let page = upload(&organiser, "The march", name, media_type, bytes).await;
        assert_eq!(page.status, 422, "{name}");
        let error =
            page.field_error("file").unwrap_or_else(|| panic!("no error by the file field: {}", page.body));
        assert!(error.contains(says), "{name}: {error}");
        assert_eq!(page.input_value("alt").as_deref(), Some("The march"), "what was typed is kept");
        assert!(store.pictures(campaign.id).await.unwrap().is_empty(), "{name} was stored");
    }

    let page = upload(&organiser, "   ", "IMG_0042.jpg", "image/jpeg", PHOTO.to_vec()).await;
    assert_eq!(page.status, 422);
    assert!(page.field_error("alt").unwrap().contains("Describe the picture for people who cannot see it"));
    assert!(page.field_error("file").is_none(), "the picture itself was fine");
    assert!(store.pictures(campaign.id).await.unwrap().is_empty());

    let page = upload(&organiser, "The march", "IMG_0042.jpg", "image/jpeg", Vec::new()).await;
    assert_eq!(page.status, 422);
    assert!(page.field_error("file").unwrap().contains("Choose a picture"));
    assert!(store.pictures(campaign.id).await.unwrap().is_empty());
    app.stop().await;
}

/// A proposer adds pictures to their draft from their private link; its sponsors see them (with the
/// draft's key, kept by their browser only), nobody else.
async fn a_proposer_adds_a_picture_that_the_sponsors_see(db: &TestDb) {
    let sink = undersigned_smtp_sink::SmtpSink::start();
    let options = undersigned::config::Options {
        smtp_url: Some(sink.url()),
        mail_retry_seconds: Some(1),
        ..Default::default()
    };
    let app = TestApp::spawn_with(db, options).await;
    let admin = proposals::admin(&app, db).await;
    let fields = [("who_starts", "anyone"), ("sponsors_needed", "2")];
    assert_eq!(admin.submit("/organise/settings", "/organise/settings", &fields).await.status, 303);
    let private = proposals::propose(&app, &sink, "en", "釋放碼頭工人", "proposer@example.org").await;
    // Unconfirmed, the draft takes no pictures yet: back to the page that asks for the address.
    assert_eq!(app.get(&format!("{private}/pictures")).await.location(), private);
    let sponsor_link = proposals::confirm_proposal(&app, &private).await;

    let pictures = format!("{private}/pictures");
    assert!(app.get(&private).await.body.contains(&format!("href=\"{pictures}\"")));
    let refused = upload_to(&app, &pictures, "", "IMG_0042.jpg", "image/jpeg", PHOTO.to_vec()).await;
    assert_eq!(refused.status, 422);
    assert!(refused.field_error("alt").is_some());
    let sent =
        upload_to(&app, &pictures, "碼頭工人在閘口", "IMG_0042.jpg", "image/jpeg", PHOTO.to_vec()).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let key = keys(&app.get(&pictures).await).pop().expect("the picture is listed");

    // In the draft's text, as its sponsors read it.
    let page = app.get(&private).await;
    let fields = [
        ("action", "save"),
        ("title", "釋放碼頭工人"),
        ("summary", "勞工權益"),
        ("target", "中華人民共和國國務院"),
        ("body", &format!("我們要求立即釋放被囚禁的工人代表。\n\n![碼頭工人在閘口](/media/{key})")),
        ("demands", "立即釋放"),
        ("csrf", &page.csrf()),
    ];
    assert_eq!(app.post(&private, &fields).await.status, 303);
    let sponsor = app.new_browser();
    let page = sponsor.get(&sponsor_link).await;
    assert!(page.body.contains(&format!("srcset=\"/media/{key}/480 480w")), "{}", page.body);
    let served = sponsor.get(&format!("/media/{key}/480")).await;
    assert_eq!(served.status, 200);
    assert_eq!(served.header("cache-control"), "private, max-age=3600");

    // Once the draft is rejected, its pictures are no one's to see.
    let store = db.store().await;
    let gathering = store.proposals(&[ProposalState::Gathering]).await.unwrap();
    let csrf = admin.get("/organise/proposals").await.csrf();
    let fields =
        [("csrf", csrf.as_str()), ("action", "reject"), ("reason", "duplicate"), ("note", "Asked twice.")];
    let rejected = admin.post(&format!("/organise/proposals/{}/decide", gathering[0].id), &fields).await;
    assert_eq!(rejected.status, 303, "{}", rejected.body);
    assert_eq!(sponsor.get(&format!("/media/{key}/480")).await.status, 404);
    assert_eq!(app.get(&pictures).await.location(), private, "nor can they change");
    app.stop().await;
}

on_both_backends!(
    a_proposer_adds_a_picture_that_the_sponsors_see,
    a_photo_comes_back_without_its_metadata_and_shows_in_the_appeal,
    a_file_that_is_not_a_picture_or_too_large_or_without_alt_text_stores_nothing,
);
