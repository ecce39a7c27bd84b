//! `undersigned campaign import` and `export` keep the public record: imports obey the editor's
//! rules (history, audit log, status moves, no-op), and an export carries everything the files can
//! (endorsements from everywhere, updates, the target's response) to another server.

use std::path::Path;
use std::process::{Command, Output};

use undersigned_core::endorsement::EndorsementSpec;
use undersigned_core::signature::{MailBudget, NameDisplay};
use undersigned_core::store::{EndorsementRequest, TargetResponse, UpdateText, now};
use undersigned_core::{Email, Lang, OrganisationType, Slug, Store};
use undersigned_store_tests::conformance::record;
use undersigned_store_tests::{Backend, TestDb, demo_folder, on_both_backends};

use crate::support::TestApp;

const SLUG: &str = "release-cai-guangye";

fn undersigned(db: &TestDb, data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_undersigned"))
        .args(args)
        .env("UNDERSIGNED_DATABASE", &db.url)
        .env("UNDERSIGNED_DATA_KEY", undersigned_store_tests::TEST_DATA_KEY)
        .env("UNDERSIGNED_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs")
}

/// Runs a command that must succeed; its standard output.
fn run_ok(db: &TestDb, data_dir: &Path, args: &[&str]) -> String {
    let out = undersigned(db, data_dir, args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn copy_demo(to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(demo_folder()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// The demo imported from a copy of its folder, and one confirmed signature on it.
async fn imported_and_signed(db: &TestDb, dir: &Path) -> (std::sync::Arc<dyn Store>, i64) {
    copy_demo(&dir.join("demo"));
    run_ok(db, dir, &["campaign", "import", dir.join("demo").to_str().unwrap()]);
    let store = db.store().await;
    let id = store.campaign_by_slug(&Slug::parse("slug", SLUG).unwrap()).await.unwrap().unwrap().id;
    let signed = store
        .sign(&record(id, "signer@example.org", "Signer Name", NameDisplay::Full), MailBudget::default())
        .await
        .unwrap();
    let undersigned_core::signature::SignOutcome::Created { id: sig } = signed else { panic!("{signed:?}") };
    store.confirm_signature(sig, now()).await.unwrap();
    (store, id)
}

const OLD_TITLE: &str = "Free Cai Guangye, jailed for writing about laid-off workers";

async fn a_changed_text_that_was_signed_goes_to_the_history_and_the_audit_log(db: &TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let (store, id) = imported_and_signed(db, dir.path()).await;
    let folder = dir.path().join("demo");
    edit(&folder.join("en.md"), OLD_TITLE, "Free Cai Guangye now");

    let out = run_ok(db, dir.path(), &["campaign", "import", folder.to_str().unwrap()]);
    assert!(out.contains("en changed (the text that was signed is kept in the public history)"), "{out}");

    let app = TestApp::spawn(db).await;
    let history = app.get(&format!("/c/{SLUG}/history")).await;
    assert_eq!(history.status, 200);
    assert!(history.body.contains(OLD_TITLE), "the signed text is not on the history page");
    assert!(app.get(&format!("/c/{SLUG}")).await.body.contains("Free Cai Guangye now"));
    app.stop().await;

    let log = store.audit_log(Some(id), 10).await.unwrap();
    let entry = log.iter().find(|e| e.action == "import-campaign").expect("the import is in the audit log");
    assert_eq!(entry.actor, "command line");
    assert!(entry.detail.contains(folder.to_str().unwrap()), "{entry:?}");
    assert!(entry.detail.contains("en changed"), "{entry:?}");
}

async fn a_status_move_the_editor_refuses_is_refused_and_nothing_changes(db: &TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let (store, id) = imported_and_signed(db, dir.path()).await;
    let folder = dir.path().join("demo");
    edit(&folder.join("campaign.toml"), "status = \"open\"", "status = \"draft\"");
    edit(&folder.join("en.md"), OLD_TITLE, "Free Cai Guangye now");
    // A good new campaign in the same command is not imported either.
    let other = dir.path().join("other");
    copy_demo(&other);
    edit(&other.join("campaign.toml"), "slug = \"release-cai-guangye\"", "slug = \"another-one\"");
    let audit_before = store.audit_log(None, 100).await.unwrap().len();

    let out = undersigned(
        db,
        dir.path(),
        &["campaign", "import", other.to_str().unwrap(), folder.to_str().unwrap()],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("nothing was imported"), "{stderr}");
    let expected =
        format!("{}:4: field `status`: cannot go from open to draft", folder.join("campaign.toml").display());
    assert!(stderr.contains(&expected), "expected {expected} in:\n{stderr}");

    let campaign = store.campaign_by_id(id).await.unwrap().unwrap();
    assert_eq!(campaign.content.status.as_str(), "open");
    assert_eq!(campaign.content.default_version().title, OLD_TITLE);
    assert!(store.campaign_by_slug(&Slug::parse("slug", "another-one").unwrap()).await.unwrap().is_none());
    assert!(store.revisions(id).await.unwrap().is_empty());
    assert_eq!(store.audit_log(None, 100).await.unwrap().len(), audit_before);
    let app = TestApp::spawn(db).await;
    assert_eq!(app.get(&format!("/c/{SLUG}")).await.status, 200, "still public");
    app.stop().await;

    // Opening a campaign with an incomplete version is refused as the editor refuses it.
    edit(&folder.join("campaign.toml"), "status = \"draft\"", "status = \"open\"");
    edit(&other.join("campaign.toml"), "status = \"open\"", "status = \"draft\"");
    run_ok(db, dir.path(), &["campaign", "import", other.to_str().unwrap()]);
    // No demand in any language (a language without them would show the others' untranslated).
    for file in ["en.md", "zh-Hant.md"] {
        let body = std::fs::read_to_string(other.join(file)).unwrap();
        let start = body.find("demands = [").unwrap();
        let end = start + body[start..].find(']').unwrap() + 1;
        std::fs::write(other.join(file), format!("{}demands = []{}", &body[..start], &body[end..])).unwrap();
    }
    edit(&other.join("campaign.toml"), "status = \"draft\"", "status = \"open\"");
    let out = undersigned(db, dir.path(), &["campaign", "import", other.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("field `status`: the en version needs a title, a text and at least one demand"),
        "{stderr}"
    );
}

async fn an_unchanged_folder_imports_as_a_no_op(db: &TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let (store, id) = imported_and_signed(db, dir.path()).await;
    let audit_before = store.audit_log(Some(id), 100).await.unwrap();
    let before = store.campaign_by_id(id).await.unwrap().unwrap();
    let endorsements_before = store.endorsements(id).await.unwrap();

    let out = run_ok(db, dir.path(), &["campaign", "import", dir.path().join("demo").to_str().unwrap()]);
    assert_eq!(out.trim(), format!("{SLUG}: unchanged, nothing to import"));
    assert_eq!(store.campaign_by_id(id).await.unwrap().unwrap(), before);
    assert_eq!(store.endorsements(id).await.unwrap(), endorsements_before, "endorsements not replaced");
    assert!(store.revisions(id).await.unwrap().is_empty());
    assert_eq!(store.audit_log(Some(id), 100).await.unwrap(), audit_before, "a no-op is not audited");
}

/// Server 1's campaign with an endorsement from each place, updates in two languages and the
/// target's response.
async fn build_everything(db: &TestDb, dir: &Path) -> i64 {
    let (store, id) = imported_and_signed(db, dir).await;
    run_ok(
        db,
        dir,
        &[
            "endorsement",
            "add",
            "--campaign",
            SLUG,
            "--organisation",
            "Paper Workers' Union",
            "--type",
            "trade-union",
            "--country",
            "GB",
            "--source",
            "a letter, 3 March 2004",
        ],
    );
    run_ok(db, dir, &["endorsement", "add", "--campaign", SLUG, "--individuals", "15", "--source", "rally"]);
    let email = Email::parse("email", "office@dockers.example").unwrap();
    let request = EndorsementRequest {
        campaign_id: id,
        spec: EndorsementSpec {
            endorser: EndorsementSpec::organisation(
                "Dockers' Union",
                OrganisationType::TradeUnion,
                Some("https://dockers.example"),
            )
            .unwrap(),
            country: Some("AU".into()),
            statement: Some("With you all the way.".into()),
            source_note: None,
        },
        contact_name: "Sam Contact".into(),
        email_key: undersigned_core::keys::Keys::new([3; 32]).email_key(id, &email.canonical()),
        contact_email: email,
        lang: Lang::known("en"),
        ip_key: None,
        now: now(),
    };
    let online = store.request_endorsement(&request).await.unwrap();
    store.verify_endorsement(online, now()).await.unwrap();
    store.decide_endorsement(online, true, None, now()).await.unwrap();
    let texts = [
        UpdateText { lang: Lang::known("en"), title: "Day one".into(), body: "We *delivered* it.".into() },
        UpdateText {
            lang: Lang::known("zh-Hant"), title: "第一天".into(), body: "我們遞交了。".into()
        },
    ];
    store.post_update(id, "Organiser One", &texts, false, now()).await.unwrap();
    let later = [UpdateText { lang: Lang::known("en"), title: "Day two".into(), body: "More news.".into() }];
    store.post_update(id, "Organiser Two", &later, false, now()).await.unwrap();
    let response = TargetResponse {
        text: "We have received the appeal.".into(),
        responded_on: Some(time::macros::date!(2004 - 03 - 01)),
        link: Some("https://gov.example/answer".into()),
    };
    store.set_response(id, Some(&response), now()).await.unwrap();
    id
}

fn folder_texts(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.file_name().to_string_lossy().into_owned(), std::fs::read_to_string(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

async fn public_text(db: &TestDb) -> Vec<String> {
    let app = TestApp::spawn(db).await;
    let mut pages = Vec::new();
    for path in [format!("/c/{SLUG}"), format!("/c/{SLUG}?lang=zh-Hant"), format!("/c/{SLUG}/updates.atom")] {
        let page = app.get(&path).await;
        assert_eq!(page.status, 200, "{path}");
        pages.push(page.body);
    }
    app.stop().await;
    pages
}

async fn everything_the_files_carry_survives_export_and_import_on_another_server(db: &TestDb) {
    let dir = tempfile::tempdir().unwrap();
    build_everything(db, dir.path()).await;
    let first = dir.path().join("first");
    run_ok(db, dir.path(), &["campaign", "export", SLUG, "--out", first.to_str().unwrap()]);
    let written = folder_texts(&first);
    let campaign_toml = &written.iter().find(|(n, _)| n == "campaign.toml").unwrap().1;
    for expected in [
        "origin = \"offline\"",
        "Paper Workers' Union",
        "origin = \"online\"",
        "Dockers' Union",
        "With you all the way.",
        "We *delivered* it.",
        "第一天",
        "We have received the appeal.",
    ] {
        assert!(campaign_toml.contains(expected), "{expected} not exported:\n{campaign_toml}");
    }
    for personal in ["signer@example.org", "Signer Name", "Sam Contact", "office@dockers.example"] {
        assert!(!written.iter().any(|(_, t)| t.contains(personal)), "{personal} exported");
    }

    let backend = if db.url.starts_with("sqlite") { Backend::Sqlite } else { Backend::Postgres };
    let other = TestDb::new(backend).await.unwrap();
    let out = run_ok(&other, dir.path(), &["campaign", "import", first.to_str().unwrap()]);
    assert!(out.contains("imported release-cai-guangye"), "{out}");
    let second = dir.path().join("second");
    run_ok(&other, dir.path(), &["campaign", "export", SLUG, "--out", second.to_str().unwrap()]);
    assert_eq!(folder_texts(&second), written, "the second export differs from the first");

    // Importing the export again, on either server, changes nothing.
    for db in [db, &other] {
        let out = run_ok(db, dir.path(), &["campaign", "import", first.to_str().unwrap()]);
        assert_eq!(out.trim(), format!("{SLUG}: unchanged, nothing to import"));
    }
    let store = other.store().await;
    let id = store.campaign_by_slug(&Slug::parse("slug", SLUG).unwrap()).await.unwrap().unwrap().id;
    assert_eq!(store.endorsements(id).await.unwrap().len(), 10);
    assert_eq!(store.updates(Some(id), 10).await.unwrap().len(), 2);
    assert_eq!(store.counts(id).await.unwrap().signatures, 0, "signatures stay out of files");

    // The public pages show the same (the one signature stays on server 1).
    let (one, two) = (public_text(db).await, public_text(&other).await);
    for (a, b) in one.iter().zip(&two) {
        for expected in
            ["Dockers&#39;", "Paper Workers", "Day one", "Day two", "We have received the appeal."]
        {
            assert_eq!(a.contains(expected), b.contains(expected), "{expected}");
        }
    }
    assert!(one[0].contains("Dockers") && one[0].contains("We have received the appeal."));
    assert!(one[1].contains("第一天"));
}

fn set_status(folder: &Path, to: &str) {
    let path = folder.join("campaign.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text.find("\nstatus = \"").expect("a status line") + 1;
    let end = start + text[start..].find('\n').unwrap();
    std::fs::write(&path, format!("{}status = \"{to}\"{}", &text[..start], &text[end..])).unwrap();
}

fn import_err(db: &TestDb, dir: &Path, folder: &Path) -> String {
    let out = undersigned(db, dir, &["campaign", "import", folder.to_str().unwrap()]);
    assert!(!out.status.success(), "imported: {}", String::from_utf8_lossy(&out.stdout));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

async fn public_status(db: &TestDb) -> u16 {
    let app = TestApp::spawn(db).await;
    let status = app.get(&format!("/c/{SLUG}")).await.status;
    app.stop().await;
    status
}

async fn a_withdrawn_campaign_survives_export_and_import_and_again_is_a_no_op(db: &TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let (store, id) = imported_and_signed(db, dir.path()).await;
    store.unpublish_campaign(id, now()).await.unwrap();
    let first = dir.path().join("first");
    run_ok(db, dir.path(), &["campaign", "export", SLUG, "--out", first.to_str().unwrap()]);
    let toml = std::fs::read_to_string(first.join("campaign.toml")).unwrap();
    assert!(toml.contains("status = \"withdrawn\""), "{toml}");

    // Over the withdrawn campaign it came from: nothing to do.
    let out = run_ok(db, dir.path(), &["campaign", "import", first.to_str().unwrap()]);
    assert_eq!(out.trim(), format!("{SLUG}: unchanged, nothing to import"));

    // On another server: it arrives withdrawn.
    let backend = if db.url.starts_with("sqlite") { Backend::Sqlite } else { Backend::Postgres };
    let other = TestDb::new(backend).await.unwrap();
    let out = run_ok(&other, dir.path(), &["campaign", "import", first.to_str().unwrap()]);
    assert!(out.contains("imported release-cai-guangye"), "{out}");
    assert_eq!(public_status(&other).await, 410);
    let second = dir.path().join("second");
    run_ok(&other, dir.path(), &["campaign", "export", SLUG, "--out", second.to_str().unwrap()]);
    assert_eq!(folder_texts(&second), folder_texts(&first), "the second export differs from the first");
    for db in [db, &other] {
        let out = run_ok(db, dir.path(), &["campaign", "import", first.to_str().unwrap()]);
        assert_eq!(out.trim(), format!("{SLUG}: unchanged, nothing to import"));
    }

    // A changed text over a withdrawn campaign: saved, and it stays withdrawn.
    edit(&first.join("en.md"), OLD_TITLE, "Free Cai Guangye now");
    let out = run_ok(db, dir.path(), &["campaign", "import", first.to_str().unwrap()]);
    assert!(out.contains("en changed"), "{out}");
    let campaign = store.campaign_by_id(id).await.unwrap().unwrap();
    assert_eq!(campaign.content.status.as_str(), "withdrawn");
    assert_eq!(campaign.content.default_version().title, "Free Cai Guangye now");
    assert_eq!(public_status(db).await, 410);
    assert_eq!(store.counts(id).await.unwrap().signatures, 1, "the signature is kept");
}

async fn an_import_withdraws_and_republishes_only_as_the_owner_could_in_the_browser(db: &TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let (store, id) = imported_and_signed(db, dir.path()).await;
    let folder = dir.path().join("demo");

    // Signed and open: withdrawing is unpublishing; the signature is kept.
    set_status(&folder, "withdrawn");
    let out = run_ok(db, dir.path(), &["campaign", "import", folder.to_str().unwrap()]);
    assert!(out.contains("status open → withdrawn"), "{out}");
    assert_eq!(public_status(db).await, 410);
    assert_eq!(store.counts(id).await.unwrap().signatures, 1);
    // Withdrawn while open, without an end date: republishing opens it again.
    set_status(&folder, "open");
    let out = run_ok(db, dir.path(), &["campaign", "import", folder.to_str().unwrap()]);
    assert!(out.contains("status withdrawn → open"), "{out}");
    assert_eq!(public_status(db).await, 200);

    // Withdrawn once closed: it comes back closed, and may be won from there, not opened.
    set_status(&folder, "closed");
    run_ok(db, dir.path(), &["campaign", "import", folder.to_str().unwrap()]);
    set_status(&folder, "withdrawn");
    run_ok(db, dir.path(), &["campaign", "import", folder.to_str().unwrap()]);
    set_status(&folder, "open");
    let stderr = import_err(db, dir.path(), &folder);
    let expected = format!(
        "{}:4: field `status`: cannot go from withdrawn to open: a withdrawn campaign is put back as it was when it was withdrawn (closed)",
        folder.join("campaign.toml").display()
    );
    assert!(stderr.contains(&expected), "expected {expected} in:\n{stderr}");
    assert_eq!(store.campaign_by_id(id).await.unwrap().unwrap().content.status.as_str(), "withdrawn");
    set_status(&folder, "draft");
    assert!(import_err(db, dir.path(), &folder).contains("cannot go from withdrawn to draft"));
    set_status(&folder, "closed");
    let out = run_ok(db, dir.path(), &["campaign", "import", folder.to_str().unwrap()]);
    assert!(out.contains("status withdrawn → closed"), "{out}");
    assert_eq!(public_status(db).await, 200);

    // Nobody signed: unpublishing makes a draft, never a withdrawn campaign.
    let other = dir.path().join("other");
    copy_demo(&other);
    edit(&other.join("campaign.toml"), "slug = \"release-cai-guangye\"", "slug = \"another-one\"");
    run_ok(db, dir.path(), &["campaign", "import", other.to_str().unwrap()]);
    set_status(&other, "withdrawn");
    let stderr = import_err(db, dir.path(), &other);
    assert!(
        stderr.contains("field `status`: cannot go from open to withdrawn: nobody signed it"),
        "{stderr}"
    );
    let another =
        store.campaign_by_slug(&Slug::parse("slug", "another-one").unwrap()).await.unwrap().unwrap();
    assert_eq!(another.content.status.as_str(), "open");
    set_status(&other, "draft");
    let out = run_ok(db, dir.path(), &["campaign", "import", other.to_str().unwrap()]);
    assert!(out.contains("status open → draft"), "{out}");

    let log = store.audit_log(Some(id), 100).await.unwrap();
    let imports: Vec<&str> =
        log.iter().filter(|e| e.action == "import-campaign").map(|e| e.detail.as_str()).collect();
    for change in ["status open → withdrawn", "status withdrawn → open", "status withdrawn → closed"] {
        assert!(imports.iter().any(|d| d.contains(change)), "{change} not audited: {imports:?}");
    }
}

/// The texts of a campaign's newest update, by language.
async fn newest_update(store: &dyn Store, id: i64) -> Vec<(String, String, String)> {
    let updates = store.updates(Some(id), 1).await.unwrap();
    let update = updates.first().expect("an update");
    update.texts.iter().map(|t| (t.lang.to_string(), t.title.clone(), t.body.clone())).collect()
}

async fn declaring_a_campaign_won_by_import_announces_it_as_the_browser_does(db: &TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let (store, id) = imported_and_signed(db, dir.path()).await;
    let mut news = record(id, "news@example.org", "Wants News", NameDisplay::Full);
    news.signer.opt_in = true;
    let undersigned_core::signature::SignOutcome::Created { id: sig } =
        store.sign(&news, MailBudget::default()).await.unwrap()
    else {
        panic!()
    };
    store.confirm_signature(sig, now()).await.unwrap();

    // The same campaign under another slug, declared won in the browser by its owner.
    let twin = dir.path().join("twin");
    copy_demo(&twin);
    edit(&twin.join("campaign.toml"), "slug = \"release-cai-guangye\"", "slug = \"twin\"");
    run_ok(db, dir.path(), &["campaign", "import", twin.to_str().unwrap()]);
    let twin_id = store.campaign_by_slug(&Slug::parse("slug", "twin").unwrap()).await.unwrap().unwrap().id;
    let (_, owner) =
        undersigned::add_user(store.as_ref(), "owner@example.org", None, false, "a long enough password")
            .await
            .unwrap();
    store.set_role(twin_id, owner, Some(undersigned_core::account::Role::Owner)).await.unwrap();
    let (app, sink) = TestApp::with_mail(db).await;
    let browser = app.new_browser();
    browser
        .submit("/login", "/login", &[("email", "owner@example.org"), ("password", "a long enough password")])
        .await;
    let csrf = browser.get("/organise/c/twin").await.csrf();
    let won = browser.post("/organise/c/twin/status", &[("to", "won"), ("csrf", &csrf)]).await;
    assert_eq!(won.status, 303);
    let by_browser = newest_update(store.as_ref(), twin_id).await;
    assert_eq!(by_browser[0].1, "We won", "{by_browser:?}");

    let folder = dir.path().join("demo");
    set_status(&folder, "won");
    let out = run_ok(db, dir.path(), &["campaign", "import", folder.to_str().unwrap()]);
    assert!(out.contains("status open → won"), "{out}");
    assert_eq!(newest_update(store.as_ref(), id).await, by_browser, "not the browser's announcement");
    let page = app.new_browser().get(&format!("/c/{SLUG}")).await;
    assert!(page.body.contains("Won: this campaign reached its aim"));
    assert!(page.body.contains("<h3>We won</h3>"), "{}", page.body);
    let zh = app.new_browser().get(&format!("/c/{SLUG}?lang=zh-Hant")).await;
    assert!(zh.body.contains("<h3>我們勝利了</h3>"), "{}", zh.body);
    // Mailed to the signer who asked for news, as the browser's is.
    let mail = sink.one_for("news@example.org").await;
    assert!(mail.subject().starts_with("我們勝利了"), "{}", mail.subject());
    app.stop().await;

    // Importing the same folder again announces nothing more.
    let out = run_ok(db, dir.path(), &["campaign", "import", folder.to_str().unwrap()]);
    assert_eq!(out.trim(), format!("{SLUG}: unchanged, nothing to import"));
    assert_eq!(store.updates(Some(id), 10).await.unwrap().len(), 1);
}

on_both_backends!(
    a_changed_text_that_was_signed_goes_to_the_history_and_the_audit_log,
    a_status_move_the_editor_refuses_is_refused_and_nothing_changes,
    an_unchanged_folder_imports_as_a_no_op,
    everything_the_files_carry_survives_export_and_import_on_another_server,
    a_withdrawn_campaign_survives_export_and_import_and_again_is_a_no_op,
    an_import_withdraws_and_republishes_only_as_the_owner_could_in_the_browser,
    declaring_a_campaign_won_by_import_announces_it_as_the_browser_does,
);
