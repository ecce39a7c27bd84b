//! Delivering (issue 16), on both backends: the delivery document as a PDF made by the server,
//! read back with a reader of its own (Debian's `pdftotext`, poppler-utils): the title, every
//! demand and the Chinese text exactly; sending it to the target through the real SMTP sink, with
//! the PDFs and the CSV attached and a copy to the organisers; the bad address named next to its
//! field; a form sent twice is one delivery, and the same address again within minutes is refused;
//! the audit log, the campaign's page in each language and the API say it was delivered.

use undersigned::config::Options;
use undersigned_core::Slug;
use undersigned_core::account::Role;
use undersigned_smtp_sink::SmtpSink;
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::support::{Browser, TestApp, strip_tags};

const DEMO: &str = "/c/release-cai-guangye";
const ORG: &str = "/organise/c/release-cai-guangye";
const TARGET: &str = "office@gov.example";

/// The demo's zh-Hant version, as its file has it.
const ZH_TITLE: &str = "釋放 Cai Guangye：他因為替下崗工人發聲而入獄";
const ZH_DEMANDS: [&str; 4] = [
    "立即釋放 Cai Guangye；",
    "停止迫害勞工維權人士；",
    "停止一切新自由主義政策，停止國有企業私有化，以民主方式管理國有企業；",
    "落實憲法保障的言論自由、新聞自由、結社自由及各項人權。",
];
const ZH_PARAGRAPH: &str = "聲援工人沒有國界。我們，以下聯署者，呼籲所有工會、勞工團體和關心中國勞工權益的人士，與我們一同抗議這項不合理的判決，要求立即釋放 Cai Guangye。";

/// The text of a PDF as `pdftotext` reads it.
fn pdftotext(pdf: &[u8]) -> String {
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF: {:?}", &pdf[..pdf.len().min(40)]);
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(file.path())
        .arg("-")
        .output()
        .expect("pdftotext (Debian's poppler-utils) is installed");
    assert!(out.status.success(), "pdftotext: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Without white space: lines wrap where the page ends, not where the text does.
fn squeezed(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The zh-Hant document holds the title, every demand, a paragraph of the appeal and the named
/// signer, character for character.
fn assert_zh_hant_document(text: &str) {
    let text = squeezed(text);
    for expected in
        [ZH_TITLE, ZH_PARAGRAPH, "中華人民共和國政府", "陳大文", "香港"].into_iter().chain(ZH_DEMANDS)
    {
        assert!(text.contains(&squeezed(expected)), "{expected} missing from:\n{text}");
    }
    for (i, demand) in ZH_DEMANDS.iter().enumerate() {
        assert!(text.contains(&format!("{}.{}", i + 1, squeezed(demand))), "demand {} numbered", i + 1);
    }
    assert!(!text.contains("chan@example.org"), "never an address");
}

async fn sign_and_confirm(app: &TestApp, sink: &SmtpSink, name: &str, email: &str) {
    let visitor = app.new_browser();
    visitor.get(&format!("{DEMO}?lang=zh-Hant")).await;
    let fields = [("name", name), ("email", email), ("country", "HK"), ("display", "full")];
    visitor.submit(DEMO, &format!("{DEMO}/sign"), &fields).await;
    let mail = sink.one_for(email).await;
    let path = visitor.path_of(&mail.link(&format!("{}/s/confirm/", app.base)).unwrap());
    let page = visitor.get(&path).await;
    visitor.post(&path, &[("csrf", &page.csrf())]).await;
}

/// Posts a form and returns the raw answer (a PDF is no text).
async fn post_bytes(browser: &Browser, action: &str, fields: &[(&str, &str)]) -> (u16, String, Vec<u8>) {
    let response =
        browser.client.post(format!("{}{action}", browser.base)).form(fields).send().await.unwrap();
    let status = response.status().as_u16();
    let kind = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    (status, kind, response.bytes().await.unwrap().to_vec())
}

async fn the_delivery_pdf_holds_the_appeal_and_its_chinese_text_exactly(db: &TestDb) {
    let sink = SmtpSink::start();
    let app = TestApp::spawn_with(db, Options { smtp_url: Some(sink.url()), ..Default::default() }).await;
    sign_and_confirm(&app, &sink, "陳大文", "chan@example.org").await;
    let editor = app.organiser(db, "editor@example.org", Role::Editor).await;

    let page = editor.get(&format!("{ORG}/delivery")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains(&format!("action=\"{ORG}/delivery/zh-Hant/pdf\"")));
    assert!(!page.body.contains(&format!("action=\"{ORG}/delivery\"")), "the sending is the owners'");
    assert!(page.body.contains("Only the campaign’s owners can send the delivery"));

    let csrf = page.csrf();
    let (status, kind, pdf) =
        post_bytes(&editor, &format!("{ORG}/delivery/zh-Hant/pdf"), &[("csrf", &csrf)]).await;
    assert_eq!((status, kind.as_str()), (200, "application/pdf"));
    assert_zh_hant_document(&pdftotext(&pdf));
    let (_, _, en) = post_bytes(&editor, &format!("{ORG}/delivery/en/pdf"), &[("csrf", &csrf)]).await;
    let en = squeezed(&pdftotext(&en));
    assert!(en.contains(&squeezed("Release Cai Guangye immediately")), "{en}");
    assert!(en.contains("陳大文") && en.contains("HongKong"), "{en}");

    // Without the form's token, or in a language the campaign has not: nothing.
    assert_eq!(post_bytes(&editor, &format!("{ORG}/delivery/zh-Hant/pdf"), &[]).await.0, 403);
    assert_eq!(post_bytes(&editor, &format!("{ORG}/delivery/fr/pdf"), &[("csrf", &csrf)]).await.0, 404);
    let actions: Vec<String> =
        db.store().await.audit_log(None, 10).await.unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(actions.iter().filter(|a| *a == "download-delivery-pdf").count(), 2, "{actions:?}");
    app.stop().await;
}

async fn the_owner_sends_the_delivery_to_the_target_with_a_copy_to_the_organisers(db: &TestDb) {
    let sink = SmtpSink::start();
    let app = TestApp::spawn_with(db, Options { smtp_url: Some(sink.url()), ..Default::default() }).await;
    sign_and_confirm(&app, &sink, "陳大文", "chan@example.org").await;
    let owner = app.organiser(db, "owner@example.org", Role::Owner).await;
    let editor = app.organiser(db, "editor@example.org", Role::Editor).await;
    let delivery = format!("{ORG}/delivery");

    // A bad address is named next to its field, what was typed kept; no language is an error too.
    let form = owner.get(&delivery).await;
    let key = form.hidden("key").expect("the form's key");
    let bad = owner
        .post(
            &delivery,
            &[("csrf", &form.csrf()), ("key", &key), ("target_email", "office at gov"), ("csv", "1")],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.field_error("target_email").unwrap().contains("the target’s email address"), "{}", bad.body);
    assert!(bad.field_error("langs").is_some());
    assert_eq!(bad.input_value("target_email").as_deref(), Some("office at gov"));
    // An editor may not send it.
    let refused = editor.post(&delivery, &[("csrf", &form.csrf()), ("target_email", TARGET)]).await;
    assert_eq!(refused.status, 403);

    let fields = [
        ("csrf", form.csrf()),
        ("key", key),
        ("target_email", TARGET.to_owned()),
        ("langs", "zh-Hant".to_owned()),
        ("langs", "en".to_owned()),
        ("csv", "1".to_owned()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let sent = owner.post(&delivery, &fields).await;
    assert_eq!((sent.status, sent.location()), (303, "/organise/c/release-cai-guangye/delivery#deliveries"));
    // The same form again (a double click): one delivery.
    assert_eq!(owner.post(&delivery, &fields).await.status, 303);

    let mail = sink.one_for(TARGET).await;
    assert!(
        mail.to.iter().any(|t| t == "owner@example.org") && mail.to.iter().any(|t| t == "editor@example.org")
    );
    assert!(!mail.to.iter().any(|t| t == "chan@example.org"));
    let to = mail.header("To").unwrap();
    assert!(to.contains(TARGET) && !to.contains("owner@example.org"), "the copies are blind: {to}");
    assert!(mail.header("Bcc").is_none());
    assert!(mail.subject().contains(ZH_TITLE), "{}", mail.subject());
    assert!(mail.text().contains("release-cai-guangye-zh-Hant.pdf"), "{}", mail.text());
    let attachments = mail.attachments();
    let names: Vec<&str> = attachments.iter().map(|(name, _, _)| name.as_str()).collect();
    assert_eq!(
        names,
        ["release-cai-guangye-zh-Hant.pdf", "release-cai-guangye-en.pdf", "release-cai-guangye-signers.csv"]
    );
    assert_eq!(attachments[0].1, "application/pdf");
    assert_zh_hant_document(&pdftotext(&attachments[0].2));
    let csv = String::from_utf8(attachments[2].2.clone()).unwrap();
    assert!(csv.contains("1,陳大文,HK,香港,"), "{csv}");
    assert!(!csv.contains('@'), "never an address: {csv}");
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    let to_target = sink.all().into_iter().filter(|m| m.to.iter().any(|t| t == TARGET)).count();
    assert_eq!(to_target, 1, "the form sent twice went out once");

    // The same address again within minutes, from a new form: refused, with when it went.
    let again = owner.get(&delivery).await;
    assert_eq!(again.input_value("target_email").as_deref(), Some(TARGET), "the address is remembered");
    assert!(again.body.contains("To office@gov.example, in 繁體中文, English"), "{}", again.body);
    let fields = [
        ("csrf", again.csrf()),
        ("key", again.hidden("key").unwrap()),
        ("target_email", TARGET.to_owned()),
        ("langs", "en".to_owned()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let soon = owner.post(&delivery, &fields).await;
    assert_eq!(soon.status, 409);
    assert!(soon.body.contains("A delivery was sent to this address at"), "{}", soon.body);

    let store = db.store().await;
    let demo =
        store.campaign_by_slug(&Slug::parse("s", "release-cai-guangye").unwrap()).await.unwrap().unwrap();
    assert_eq!(store.deliveries(demo.id).await.unwrap().len(), 1);
    let audit = store.audit_log(None, 20).await.unwrap();
    let entry = audit.iter().find(|e| e.action == "send-delivery").expect("the sending is in the audit log");
    assert_eq!(entry.actor, "owner@example.org");
    assert!(entry.detail.contains(TARGET) && entry.detail.contains("zh-Hant,en"), "{}", entry.detail);

    // The campaign's page says so, in each language, never with the address.
    let en = app.get(&format!("{DEMO}?lang=en")).await;
    let text = strip_tags(&en.body);
    assert!(text.contains("Delivered to The Government of the People"), "{text}");
    assert!(!en.body.contains(TARGET));
    let hant = strip_tags(&app.get(&format!("{DEMO}?lang=zh-Hant")).await.body);
    assert!(hant.contains("遞交中華人民共和國政府"), "{hant}");
    let hans = strip_tags(&app.get(&format!("{DEMO}?lang=zh-Hans")).await.body);
    assert!(hans.contains("递交"), "{hans}");
    // And the API.
    let api = app.get("/api/v1/campaigns/release-cai-guangye").await;
    let json: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(json["deliveries"][0]["languages"], serde_json::json!(["zh-Hant", "en"]));
    assert!(json["deliveries"][0]["delivered_at"].as_str().is_some());
    assert!(!api.body.contains(TARGET));
    app.stop().await;
}

on_both_backends!(
    the_delivery_pdf_holds_the_appeal_and_its_chinese_text_exactly,
    the_owner_sends_the_delivery_to_the_target_with_a_copy_to_the_organisers,
);
