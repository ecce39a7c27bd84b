//! A campaign's own questions on its sign form (issue 16), on both backends: an editor adds them
//! in each language (bad input named, what was typed kept); signers see them in their language,
//! a required one left empty is an error next to it with everything typed kept; answers are
//! private, come in the export a column each, and are sealed with the other private fields once
//! the owners have a key; a question taken away after people signed is retired, its answers
//! still readable in the export, its choices' labels following the editor's wording.

use undersigned::config::Options;
use undersigned_core::account::Role;
use undersigned_smtp_sink::SmtpSink;
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::keys::{age_decrypt, export, keygen, register_and_activate};
use crate::support::{Browser, Page, TestApp, strip_tags};
use crate::tokens::organiser;

const DEMO: &str = "/c/release-cai-guangye";
const SIGN: &str = "/c/release-cai-guangye/sign";
const QUESTIONS: &str = "/organise/c/release-cai-guangye/questions";
const ORG: &str = "/organise/c/release-cai-guangye";

/// The questions' ids, in the order they were added.
async fn question_ids(db: &TestDb) -> Vec<String> {
    db.raw_texts("SELECT CAST(id AS TEXT) FROM campaign_questions ORDER BY id").await
}

/// The editor adds a required choice question and an optional text one, in English and Chinese.
async fn add_questions(editor: &Browser) {
    let choice = [
        ("new-kind", "choice"),
        ("new-prompt-en", "How did you hear of the campaign?"),
        ("new-prompt-zh-Hant", "你從哪裏得知這個聯署？"),
        ("new-choices-en", "From a union\nFrom a friend\n"),
        ("new-choices-zh-Hant", "工會\n朋友"),
        ("new-required", "on"),
    ];
    let page = editor.submit(QUESTIONS, QUESTIONS, &choice).await;
    assert_eq!((page.status, page.location()), (303, QUESTIONS), "{}", page.body);
    let text = [("new-kind", "text"), ("new-prompt-en", "Which union are you in?")];
    let page = editor.get(QUESTIONS).await;
    let mut fields = form_fields(&page);
    fields.extend(text.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
    let saved = post_fields(editor, &page, &fields).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
}

/// The values of a page's text inputs, textareas and ticked checkboxes named `q…`, as a browser
/// sends them back.
fn form_fields(page: &Page) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    let body = &page.body;
    for (at, _) in body.match_indices("name=\"q") {
        let name_start = at + "name=\"".len();
        let name = &body[name_start..name_start + body[name_start..].find('"').unwrap()];
        let tag_start = body[..at].rfind('<').unwrap();
        let tag = &body[tag_start..at + body[at..].find('>').unwrap()];
        if tag.starts_with("<textarea") {
            let open = at + body[at..].find('>').unwrap() + 1;
            let close = open + body[open..].find("</textarea>").unwrap();
            fields.push((name.to_owned(), unescape(&body[open..close])));
        } else if tag.contains("type=\"checkbox\"") {
            if tag.contains(" checked") {
                fields.push((name.to_owned(), "on".to_owned()));
            }
        } else if let Some(v) = tag.find("value=\"") {
            let v = v + "value=\"".len();
            fields.push((name.to_owned(), unescape(&tag[v..v + tag[v..].find('"').unwrap()])));
        }
    }
    fields
}

fn unescape(html: &str) -> String {
    html.replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

async fn post_fields(browser: &Browser, page: &Page, fields: &[(String, String)]) -> Page {
    let csrf = page.csrf();
    let mut form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    form.push(("csrf", &csrf));
    browser.post(QUESTIONS, &form).await
}

/// Signs with `extra` fields, from the page in `lang`.
async fn sign(app: &TestApp, lang: &str, email: &str, extra: &[(&str, &str)]) -> Page {
    let fields =
        [&[("name", "Chan Tai Man"), ("email", email), ("country", "HK"), ("display", "full")], extra]
            .concat();
    app.submit(&format!("{DEMO}?lang={lang}"), SIGN, &[&fields[..], &[("version", lang)]].concat()).await
}

async fn confirm(app: &TestApp, sink: &SmtpSink, email: &str) {
    let mail = sink.one_for(email).await;
    let path = app.path_of(&mail.link(&format!("{}/s/confirm/", app.base)).unwrap());
    let page = app.get(&path).await;
    assert_eq!(app.post(&path, &[("csrf", &page.csrf())]).await.status, 303);
}

/// The export as text (not sealed: the owners have no key).
async fn export_text(owner: &Browser) -> String {
    let csv = owner.submit(ORG, &format!("{ORG}/export.csv"), &[]).await;
    assert_eq!(csv.status, 200);
    csv.body
}

async fn questions_are_asked_in_each_language_answered_exported_and_retired(db: &TestDb) {
    let (app, sink) = TestApp::with_mail(db).await;
    let editor = app.organiser(db, "editor@example.org", Role::Editor).await;

    // Bad input is named next to its field, and what was typed kept.
    let bad = [("new-kind", "choice"), ("new-prompt-zh-Hant", "只有中文"), ("new-choices-en", "Only one")];
    let page = editor.submit(QUESTIONS, QUESTIONS, &bad).await;
    assert_eq!(page.status, 422);
    assert!(
        page.field_error("new-prompt-en").is_some(),
        "the default language's prompt is needed: {}",
        page.body
    );
    assert!(page.field_error("new-choices-en").is_some(), "{}", page.body);
    assert!(page.body.contains("只有中文"), "kept");
    assert!(question_ids(db).await.is_empty());
    let anonymous = app.new_browser().get(QUESTIONS).await;
    assert_eq!(anonymous.status, 303, "organisers only");

    add_questions(&editor).await;
    let ids = question_ids(db).await;
    assert_eq!(ids.len(), 2);
    let (choice, text) = (format!("q-{}", ids[0]), format!("q-{}", ids[1]));

    // Shown after the standard fields, in the reader's language (untranslated: the default's).
    let en = app.get(DEMO).await;
    let body = strip_tags(&en.body);
    assert!(body.contains("How did you hear of the campaign?") && body.contains("From a friend"), "{body}");
    assert!(en.body.find("name=\"comment\"").unwrap() < en.body.find(&format!("name=\"{choice}\"")).unwrap());
    let zh = strip_tags(&app.get(&format!("{DEMO}?lang=zh-Hant")).await.body);
    assert!(zh.contains("你從哪裏得知這個聯署？") && zh.contains("朋友"), "{zh}");
    assert!(zh.contains("Which union are you in?"), "no translation: the default language's");

    // A required question left empty: an error next to it, everything typed kept.
    let refused = sign(&app, "zh-Hant", "wong@example.org", &[("city", "Kowloon"), (&text, "Dockers")]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.field_error(&choice).is_some(), "{}", refused.body);
    assert_eq!(refused.field_error(&text), None);
    assert_eq!(refused.input_value("name").as_deref(), Some("Chan Tai Man"));
    assert_eq!(refused.input_value("city").as_deref(), Some("Kowloon"));
    assert_eq!(refused.input_value(&text).as_deref(), Some("Dockers"));
    let forged = sign(&app, "zh-Hant", "wong@example.org", &[(&choice, "9")]).await;
    assert_eq!(forged.status, 422, "no such choice");

    // Answered: signed, and the answers are the organisers' only.
    let signed =
        sign(&app, "zh-Hant", "wong@example.org", &[(&choice, "2"), (&text, "Kwai Chung Dockers")]).await;
    assert_eq!(signed.status, 303, "{}", signed.body);
    confirm(&app, &sink, "wong@example.org").await;
    let signed = sign(&app, "en", "lee@example.org", &[(&choice, "1")]).await;
    assert_eq!(signed.status, 303);
    confirm(&app, &sink, "lee@example.org").await;
    for page in [DEMO, &format!("{DEMO}/signatures"), "/api/v1/campaigns/release-cai-guangye"] {
        assert!(!app.get(page).await.body.contains("Kwai Chung Dockers"), "{page}");
    }

    let owner = app.organiser(db, "owner@example.org", Role::Owner).await;
    let csv = export_text(&owner).await;
    let header = csv.lines().next().unwrap();
    assert!(header.ends_with(",How did you hear of the campaign?,Which union are you in?"), "{header}");
    // The row's last cells (its log record before them spans lines).
    let ends = |csv: &str, end: &str| csv.lines().any(|l| l.ends_with(end));
    assert!(ends(&csv, ",From a friend,Kwai Chung Dockers"), "the default language's label: {csv}");
    assert!(ends(&csv, ",From a union,"), "{csv}");

    // Relabelled, then taken away after people signed: retired, no longer asked, its answers
    // still in the export under the new wording (the choice's id stays).
    let page = editor.get(QUESTIONS).await;
    let mut fields = form_fields(&page);
    for (name, value) in &mut fields {
        if *name == format!("q{}-choices-en", ids[0]) {
            *value = "Through a union\nThrough a friend".to_owned();
        }
    }
    let fewer: Vec<(String, String)> = fields
        .iter()
        .map(|(n, v)| match n == &format!("q{}-choices-en", ids[0]) {
            true => (n.clone(), "Through a union".to_owned()),
            false => (n.clone(), v.clone()),
        })
        .collect();
    let kept = post_fields(&editor, &page, &fewer).await;
    assert_eq!(kept.status, 422, "a choice people may have chosen stays");
    assert!(kept.field_error(&format!("q{}-choices-en", ids[0])).is_some(), "{}", kept.body);
    assert_eq!(post_fields(&editor, &page, &fields).await.status, 303);
    let page = editor.get(QUESTIONS).await;
    let mut fields = form_fields(&page);
    fields.push((format!("q{}-remove", ids[0]), "1".to_owned()));
    assert_eq!(post_fields(&editor, &page, &fields).await.status, 303);
    assert!(strip_tags(&editor.get(QUESTIONS).await.body).contains("Retired questions"));
    let en = app.get(DEMO).await;
    assert!(!en.body.contains(&format!("name=\"{choice}\"")), "no longer asked");
    assert!(en.body.contains(&format!("name=\"{text}\"")));
    assert_eq!(question_ids(db).await.len(), 2, "kept");
    let csv = export_text(&owner).await;
    assert!(
        csv.lines().next().unwrap().ends_with(",How did you hear of the campaign?,Which union are you in?")
    );
    assert!(ends(&csv, ",Through a friend,Kwai Chung Dockers"), "{csv}");
    assert!(ends(&csv, ",Through a union,"), "{csv}");
    app.stop().await;
}

async fn answers_are_sealed_to_the_owners_key_with_the_other_private_fields(db: &TestDb) {
    let sink = SmtpSink::start();
    let app = TestApp::spawn_with(db, Options { smtp_url: Some(sink.url()), ..Default::default() }).await;
    let store = db.store().await;
    let owner = organiser(&app, store.as_ref(), "owner@example.org", Some(Role::Owner), false).await;
    let user = store.user_by_email("owner@example.org").await.unwrap().unwrap().0.id;
    let dir = tempfile::tempdir().unwrap();
    let (identity, public) = keygen(dir.path(), "key.txt");
    register_and_activate(&owner, store.as_ref(), user, &identity, &public).await;
    add_questions(&owner).await;
    let ids = question_ids(db).await;
    let (choice, text) = (format!("q-{}", ids[0]), format!("q-{}", ids[1]));
    let signed = sign(&app, "en", "sealed@example.org", &[(&choice, "1"), (&text, "Seamen's Union")]).await;
    assert_eq!(signed.status, 303);
    confirm(&app, &sink, "sealed@example.org").await;

    let dump = db.raw_texts("SELECT private_sealed FROM signatures WHERE private_sealed IS NOT NULL").await;
    assert!(dump.iter().all(|v| !v.contains("Seamen")), "{dump:?}");
    let (file, _) = export(&owner, &[]).await;
    let csv = String::from_utf8(age_decrypt(&identity, &file).expect("the export opens")).unwrap();
    let row = csv.lines().find(|l| l.starts_with("signature,")).expect(&csv);
    assert!(!row.contains("Seamen"), "the server cannot read them: {row}");
    let cell = row.split(',').find(|c| c.starts_with("YWdl")).expect(row);
    let opened = String::from_utf8(
        age_decrypt(
            &identity,
            &base64::Engine::decode(&base64::engine::general_purpose::STANDARD, cell).unwrap(),
        )
        .unwrap(),
    )
    .unwrap();
    assert!(opened.contains("\"answers\"") && opened.contains("Seamen's Union"), "{opened}");
    assert!(opened.contains("From a union"), "the label as the signer saw it: {opened}");
    app.stop().await;
}

on_both_backends!(
    questions_are_asked_in_each_language_answered_exported_and_retired,
    answers_are_sealed_to_the_owners_key_with_the_other_private_fields,
);
