//! The organisers' own keys over HTTP, on both backends, with Debian's real `age-keygen` and `age`
//! (package `age`): a key registered on `/organise/keys`, its challenge opened with `age -d`, the
//! code typed back to activate it; a second key replaces it; a malformed key and a wrong code get a
//! clear error by their field, what was typed kept. Both steps are in the audit log.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use undersigned_core::Store;
use undersigned_core::account::Role;
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::support::{Browser, Page, TestApp};
use crate::tokens::{demo_id, organiser};

const KEYS: &str = "/organise/keys";

/// A key pair made by the real `age-keygen`: (identity file, public key).
pub fn keygen(dir: &Path, name: &str) -> (PathBuf, String) {
    let path = dir.join(name);
    let out = Command::new("age-keygen")
        .arg("-o")
        .arg(&path)
        .output()
        .expect("age-keygen, from Debian's package `age` (apt-get install -y age)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stderr).unwrap();
    (path, text.trim().strip_prefix("Public key: ").expect("the public key line").to_owned())
}

/// What the real `age -d -i identity` makes of `input`.
pub fn age_decrypt(identity: &Path, input: &[u8]) -> Result<Vec<u8>, String> {
    let mut child = Command::new("age")
        .arg("-d")
        .arg("-i")
        .arg(identity)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("age, from Debian's package `age` (apt-get install -y age)");
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    // Written from a thread: age writes as it reads, and a full pipe both ways would stall.
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    let _ = writer.join(); // age may stop reading early, at a key that does not fit
    if out.status.success() { Ok(out.stdout) } else { Err(String::from_utf8_lossy(&out.stderr).into_owned()) }
}

/// HTML's escapes of what an armored age file holds.
fn unescape(html: &str) -> String {
    html.replace("&#x2f;", "/").replace("&#x3d;", "=").replace("&#x2b;", "+").replace("&amp;", "&")
}

/// The challenge the page shows for key `id`, as the organiser copies it.
fn challenge(page: &Page, id: i64) -> String {
    let marker = format!("id=\"challenge-{id}\"");
    let at = page.body.find(&marker).unwrap_or_else(|| panic!("no challenge for key {id}:\n{}", page.body));
    let start = at + page.body[at..].find('>').unwrap() + 1;
    unescape(&page.body[start..start + page.body[start..].find("</textarea>").unwrap()])
}

/// The code in an opened challenge.
fn code_in(opened: &[u8]) -> String {
    let text = String::from_utf8(opened.to_vec()).unwrap();
    let line = text.lines().find(|l| l.starts_with("    ")).expect("the code line");
    line.trim().to_owned()
}

/// Registers a key made by `age-keygen` and activates it by opening its challenge with `age`;
/// the key's id.
pub async fn register_and_activate(
    browser: &Browser,
    store: &dyn Store,
    user: i64,
    identity: &Path,
    public: &str,
) -> i64 {
    let page = browser.submit(KEYS, KEYS, &[("owner_key", public)]).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let id = store.owner_keys(user).await.unwrap().iter().find(|k| k.recipient == public).unwrap().id;
    let opened =
        age_decrypt(identity, challenge(&page, id).as_bytes()).expect("the challenge opens with age");
    let page =
        browser.submit(KEYS, &format!("{KEYS}/{id}/activate"), &[("key_code", &code_in(&opened))]).await;
    assert_eq!(page.status, 200, "{}", page.body);
    id
}

async fn a_key_is_registered_proved_with_age_and_rotated(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let store = db.store().await;
    let dir = tempfile::tempdir().unwrap();
    let owner = organiser(&app, store.as_ref(), "owner@example.org", Some(Role::Owner), false).await;
    let user = store.user_by_email("owner@example.org").await.unwrap().unwrap().0.id;
    let campaign = demo_id(store.as_ref()).await;

    let home = owner.get("/organise").await;
    assert!(home.body.contains("<a href=\"/organise/keys\">Your keys</a>"), "{}", home.body);
    let page = owner.get(KEYS).await;
    assert!(page.body.contains("You have no active key yet"), "{}", page.body);
    assert!(page.body.contains("age-keygen -o key.txt"));

    // Bad input: a secret key pasted by mistake, a truncated key; each kept as typed.
    let (identity, public) = keygen(dir.path(), "first.txt");
    let secret = std::fs::read_to_string(&identity).unwrap();
    let secret = secret.lines().find(|l| l.starts_with("AGE-SECRET-KEY-")).unwrap();
    let page = owner.submit(KEYS, KEYS, &[("owner_key", secret)]).await;
    assert_eq!(page.status, 422);
    assert!(page.field_error("owner_key").unwrap().contains("This is a secret key"), "{}", page.body);
    let page = owner.submit(KEYS, KEYS, &[("owner_key", &public[..50])]).await;
    assert_eq!(page.status, 422);
    assert!(page.field_error("owner_key").unwrap().contains("Only age’s usual keys"), "{}", page.body);
    assert_eq!(page.input_value("owner_key").unwrap(), &public[..50]);
    let mut typo = public.clone();
    typo.replace_range(30..31, if &public[30..31] == "q" { "p" } else { "q" });
    let page = owner.submit(KEYS, KEYS, &[("owner_key", &typo)]).await;
    assert!(page.field_error("owner_key").unwrap().contains("damaged"), "{}", page.body);
    assert!(store.owner_keys(user).await.unwrap().is_empty());

    // Registered: the challenge opens with the real age; a wrong code is refused, kept as typed.
    let page = owner.submit(KEYS, KEYS, &[("owner_key", &public)]).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let keys = store.owner_keys(user).await.unwrap();
    let first = keys[0].id;
    assert_eq!(keys[0].recipient, public);
    assert!(page.body.contains("waiting for its code"));
    let opened = age_decrypt(&identity, challenge(&page, first).as_bytes()).unwrap();
    let code = code_in(&opened);
    assert_eq!(code.len(), 11, "{code}");
    let (other, _) = keygen(dir.path(), "other.txt");
    assert!(age_decrypt(&other, challenge(&page, first).as_bytes()).is_err(), "only its key opens it");
    let activate = format!("{KEYS}/{first}/activate");
    let page = owner.submit(KEYS, &activate, &[("key_code", "WRONG-CODE2")]).await;
    assert_eq!(page.status, 422);
    assert!(page.field_error("key_code").unwrap().contains("This is not the code"), "{}", page.body);
    assert_eq!(page.input_value("key_code").unwrap(), "WRONG-CODE2");
    assert!(store.campaign_recipients(campaign).await.unwrap().is_empty());

    // The code, typed in lower case without its dash, activates the key.
    let typed = code.replace('-', "").to_lowercase();
    let page = owner.submit(KEYS, &activate, &[("key_code", &typed)]).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(!page.body.contains("You have no active key yet"));
    let recipients = store.campaign_recipients(campaign).await.unwrap();
    assert_eq!(recipients.ids(), first.to_string());
    let page = owner.submit(KEYS, &activate, &[("key_code", &typed)]).await;
    assert_eq!(page.status, 409);
    assert!(page.body.contains("This key is not waiting for a code any more."), "{}", page.body);

    // Rotation: a second key, once proved, replaces the first, which stays recorded.
    let (identity2, public2) = keygen(dir.path(), "second.txt");
    let second = register_and_activate(&owner, store.as_ref(), user, &identity2, &public2).await;
    let keys = store.owner_keys(user).await.unwrap();
    let state = |id: i64| keys.iter().find(|k| k.id == id).unwrap().state().as_str();
    assert_eq!((state(first), state(second)), ("retired", "active"));
    assert_eq!(store.campaign_recipients(campaign).await.unwrap().ids(), second.to_string());

    // An editor's key is not a recipient of the campaign: only owners'.
    let editor = organiser(&app, store.as_ref(), "editor@example.org", Some(Role::Editor), false).await;
    let editor_id = store.user_by_email("editor@example.org").await.unwrap().unwrap().0.id;
    let (identity3, public3) = keygen(dir.path(), "editor.txt");
    register_and_activate(&editor, store.as_ref(), editor_id, &identity3, &public3).await;
    assert_eq!(store.campaign_recipients(campaign).await.unwrap().ids(), second.to_string());

    // Another organiser cannot answer someone else's challenge.
    let page = editor.submit(KEYS, &format!("{KEYS}/{first}/activate"), &[("key_code", &typed)]).await;
    assert_eq!(page.status, 404);

    let log = store.audit_log(None, 50).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions.iter().filter(|a| **a == "register-owner-key").count(), 3, "{actions:?}");
    assert_eq!(actions.iter().filter(|a| **a == "activate-owner-key").count(), 3, "{actions:?}");
    assert!(log.iter().any(|e| e.subject == format!("key #{first} {public}")), "{log:?}");

    // Without a session: to the login page.
    let page = app.new_browser().get(KEYS).await;
    assert_eq!(page.status, 303);
    app.stop().await;
}

/// Signs the demo campaign as `email` with a city, an affiliation and a comment, and confirms.
async fn sign_and_confirm(app: &TestApp, sink: &undersigned_smtp_sink::SmtpSink, email: &str, name: &str) {
    let demo = "/c/release-cai-guangye";
    let fields = [
        ("name", name),
        ("email", email),
        ("country", "HK"),
        ("display", "first-initial"),
        ("city", "Sham Shui Po"),
        ("affiliation", "Kowloon Dockers"),
        ("comment", "Free him now"),
    ];
    let page = app.submit(demo, &format!("{demo}/sign"), &fields).await;
    assert!(page.status < 400, "{}", page.body);
    let mail = sink.one_for(email).await;
    let path = app.path_of(&mail.link(&format!("{}/s/confirm/", app.base)).unwrap());
    let page = app.get(&path).await;
    app.post(&path, &[("csrf", &page.csrf())]).await;
}

/// The export's bytes as downloaded (not as text: an age file is binary), and its file name.
pub async fn export(browser: &Browser, fields: &[(&str, &str)]) -> (Vec<u8>, String) {
    let org = "/organise/c/release-cai-guangye";
    let csrf = browser.get(org).await.csrf();
    let form = [fields, &[("csrf", csrf.as_str())]].concat();
    let response =
        browser.client.post(format!("{}{org}/export.csv", browser.base)).form(&form).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let disposition = response.headers()["content-disposition"].to_str().unwrap().to_owned();
    (response.bytes().await.unwrap().to_vec(), disposition)
}

async fn an_export_is_sealed_to_the_owners_active_keys(db: &TestDb) {
    let (app, sink) = TestApp::with_mail(db).await;
    let store = db.store().await;
    let dir = tempfile::tempdir().unwrap();
    sign_and_confirm(&app, &sink, "wei@example.org", "Chan Wei").await;
    let owner = organiser(&app, store.as_ref(), "owner@example.org", Some(Role::Owner), false).await;
    let user = store.user_by_email("owner@example.org").await.unwrap().unwrap().0.id;

    // No key yet: the clear CSV, as before.
    let (clear, name) = export(&owner, &[("emails", "1")]).await;
    assert!(name.ends_with("-signatures.csv\""), "{name}");
    assert!(String::from_utf8(clear).unwrap().contains("wei@example.org"));

    // With the owner's key active: a .csv.age that only that key opens, with the real age.
    let (identity, public) = keygen(dir.path(), "owner.txt");
    let key = register_and_activate(&owner, store.as_ref(), user, &identity, &public).await;
    let (sealed, name) = export(&owner, &[("emails", "1")]).await;
    assert!(name.ends_with("-signatures.csv.age\""), "{name}");
    assert!(sealed.starts_with(b"age-encryption.org/v1\n-> X25519 "));
    for clear in ["wei@example.org", "Chan Wei", "Sham Shui Po", "Kowloon Dockers", "Free him now"] {
        assert!(!sealed.windows(clear.len()).any(|w| w == clear.as_bytes()), "{clear} in clear");
    }
    let csv = String::from_utf8(age_decrypt(&identity, &sealed).expect("the export opens with age")).unwrap();
    assert!(csv.starts_with("kind,confirmed_at,name,"), "{csv}");
    for clear in ["wei@example.org", "Chan Wei", "Sham Shui Po", "Kowloon Dockers", "Free him now"] {
        assert!(csv.contains(clear), "{clear} in {csv}");
    }
    let (other, _) = keygen(dir.path(), "other.txt");
    assert!(age_decrypt(&other, &sealed).is_err());

    // An editor's export (no addresses) is sealed to the owners' keys as well.
    let editor = organiser(&app, store.as_ref(), "editor@example.org", Some(Role::Editor), false).await;
    let (sealed, _) = export(&editor, &[]).await;
    let csv = String::from_utf8(age_decrypt(&identity, &sealed).unwrap()).unwrap();
    assert!(csv.contains("Sham Shui Po") && !csv.contains("wei@example.org"), "{csv}");

    let log = store.audit_log(None, 20).await.unwrap();
    let sealed_to = format!("sealed to keys {key}");
    assert!(log.iter().any(|e| e.action == "export-with-emails" && e.detail.contains(&sealed_to)), "{log:?}");
    app.stop().await;
}

on_both_backends!(
    a_key_is_registered_proved_with_age_and_rotated,
    an_export_is_sealed_to_the_owners_active_keys
);
