//! Passkeys (WebAuthn) as an organiser's second factor (issue 18), over HTTP on both backends,
//! with a software authenticator written here (ES256 keys by ring, "none" attestation, its CBOR
//! written by hand): adding a passkey and logging in with it, the step-up with it, removing it;
//! and the answers an attacker would try, refused: no challenge, an expired one, one answered
//! twice, another origin, another relying party, the credential of another account, no CSRF token.
//!
//! The server's base URL is `http://localhost:PORT`: browsers (and webauthn-rs) take no IP address
//! as a relying party's id.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair, KeyPair};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use undersigned::config::Options;
use undersigned_core::account::Role;
use undersigned_store_tests::{Backend, TestDb, on_both_backends};

use crate::support::{Browser, TestApp};

const PASSWORD: &str = "a long enough password";
const ENROL: &str = "/organise/account/second-factor";

/// The server at `http://localhost:PORT`.
async fn localhost_app(db: &TestDb) -> TestApp {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let options = Options {
        listen: Some(format!("127.0.0.1:{port}").parse().unwrap()),
        base_url: Some(format!("http://localhost:{port}")),
        ..Default::default()
    };
    let app = TestApp::spawn_with(db, options).await;
    assert_eq!(app.base, format!("http://localhost:{port}"));
    app
}

async fn account(db: &TestDb, email: &str) -> i64 {
    let store = db.store().await;
    let (_, id) = undersigned::add_user(store.as_ref(), email, None, false, PASSWORD).await.unwrap();
    let campaign = store
        .campaign_by_slug(&undersigned_core::Slug::parse("s", "release-cai-guangye").unwrap())
        .await
        .unwrap()
        .unwrap();
    store.set_role(campaign.id, id, Some(Role::Owner)).await.unwrap();
    id
}

async fn password(app: &TestApp, email: &str) -> Browser {
    let browser = app.new_browser();
    let fields = [("email", email), ("password", PASSWORD), ("next", "/organise")];
    let page = browser.submit("/login", "/login", &fields).await;
    assert_eq!(page.status, 303, "{email} logs in");
    browser
}

/// Switches TOTP on with a code computed here (the TOTP tests check the codes against pyotp).
async fn totp_on(browser: &Browser) -> undersigned_core::second_factor::Secret {
    let page = browser.get(ENROL).await;
    let marker = "id=\"totp-secret\">";
    let start = page.body.find(marker).unwrap() + marker.len();
    let typed = page.body[start..start + page.body[start..].find('<').unwrap()].replace(' ', "");
    let secret = undersigned_core::second_factor::Secret(base32_decode(&typed));
    let step = undersigned_core::second_factor::step_of(time::OffsetDateTime::now_utc());
    let code = format!("{:06}", secret.code_at(step - 1));
    let on = browser.post(ENROL, &[("code", &code), ("csrf", &page.csrf())]).await;
    assert_eq!(on.status, 200, "{}", on.body);
    secret
}

fn base32_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut bits, mut value, mut out) = (0u32, 0u64, Vec::new());
    for c in text.bytes() {
        value = (value << 5) | ALPHABET.iter().position(|&a| a == c).unwrap() as u64;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((value >> bits) as u8);
        }
    }
    out
}

/// Posts JSON as `passkeys.js` does: with the `Origin` the browser adds.
async fn post_json(browser: &Browser, path: &str, body: &Value) -> (u16, Value) {
    let response = browser
        .client
        .post(format!("{}{path}", browser.base))
        .header("Origin", &browser.base)
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

// A minimal CBOR writer (RFC 8949): what an authenticator's attestation object and COSE key need.
fn cbor_head(out: &mut Vec<u8>, major: u8, n: u64) {
    match n {
        0..=23 => out.push(major << 5 | n as u8),
        24..=0xff => out.extend([major << 5 | 24, n as u8]),
        _ => {
            out.push(major << 5 | 25);
            out.extend((n as u16).to_be_bytes());
        }
    }
}

fn cbor_int(out: &mut Vec<u8>, n: i64) {
    match n >= 0 {
        true => cbor_head(out, 0, n as u64),
        false => cbor_head(out, 1, (-1 - n) as u64),
    }
}

fn cbor_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    cbor_head(out, 2, bytes.len() as u64);
    out.extend(bytes);
}

fn cbor_text(out: &mut Vec<u8>, text: &str) {
    cbor_head(out, 3, text.len() as u64);
    out.extend(text.as_bytes());
}

/// A platform authenticator in software: one ES256 credential, its counter, and what it says of
/// the page asking (`origin`) and the relying party (`rp_id`), which an attacker may change.
struct Authenticator {
    key: EcdsaKeyPair,
    credential_id: Vec<u8>,
    counter: u32,
    origin: String,
    rp_id: String,
}

impl Authenticator {
    fn new(base: &str) -> Self {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng).unwrap();
        let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref(), &rng).unwrap();
        Self {
            key,
            credential_id: rand::random::<[u8; 16]>().to_vec(),
            counter: 0,
            origin: base.to_owned(),
            rp_id: "localhost".to_owned(),
        }
    }

    fn client_data(&self, kind: &str, options: &Value) -> Vec<u8> {
        let challenge = options["publicKey"]["challenge"].as_str().expect("a challenge");
        json!({ "type": kind, "challenge": challenge, "origin": self.origin, "crossOrigin": false })
            .to_string()
            .into_bytes()
    }

    /// The authenticator data: the relying party's hash, the flags (user present and verified,
    /// and `attested` when it carries the credential), the counter.
    fn auth_data(&self, attested: bool) -> Vec<u8> {
        let mut data = Sha256::digest(self.rp_id.as_bytes()).to_vec();
        data.push(if attested { 0x45 } else { 0x05 });
        data.extend(self.counter.to_be_bytes());
        if attested {
            data.extend([0u8; 16]); // AAGUID
            data.extend((self.credential_id.len() as u16).to_be_bytes());
            data.extend(&self.credential_id);
            let point = self.key.public_key().as_ref();
            let mut cose = Vec::new();
            cbor_head(&mut cose, 5, 5);
            for (k, v) in [(1, 2), (3, -7), (-1, 1)] {
                cbor_int(&mut cose, k);
                cbor_int(&mut cose, v);
            }
            cbor_int(&mut cose, -2);
            cbor_bytes(&mut cose, &point[1..33]);
            cbor_int(&mut cose, -3);
            cbor_bytes(&mut cose, &point[33..65]);
            data.extend(cose);
        }
        data
    }

    /// What `navigator.credentials.create` gives for `options`, as passkeys.js sends it.
    fn create(&mut self, options: &Value) -> Value {
        let client_data = self.client_data("webauthn.create", options);
        let mut attestation = Vec::new();
        cbor_head(&mut attestation, 5, 3);
        cbor_text(&mut attestation, "fmt");
        cbor_text(&mut attestation, "none");
        cbor_text(&mut attestation, "attStmt");
        cbor_head(&mut attestation, 5, 0);
        cbor_text(&mut attestation, "authData");
        cbor_bytes(&mut attestation, &self.auth_data(true));
        let id = B64.encode(&self.credential_id);
        json!({
            "id": id, "rawId": id, "type": "public-key", "extensions": {},
            "response": { "attestationObject": B64.encode(attestation), "clientDataJSON": B64.encode(client_data) },
        })
    }

    /// What `navigator.credentials.get` gives for `options`: the counter one up, signed.
    fn get(&mut self, options: &Value) -> Value {
        self.counter += 1;
        let client_data = self.client_data("webauthn.get", options);
        let auth_data = self.auth_data(false);
        let signed = [auth_data.as_slice(), &Sha256::digest(&client_data)].concat();
        let signature = self.key.sign(&SystemRandom::new(), &signed).unwrap();
        let id = B64.encode(&self.credential_id);
        json!({
            "id": id, "rawId": id, "type": "public-key", "extensions": {},
            "response": {
                "authenticatorData": B64.encode(auth_data),
                "clientDataJSON": B64.encode(client_data),
                "signature": B64.encode(signature.as_ref()),
                "userHandle": null,
            },
        })
    }
}

/// Adds a passkey named `name` with `authenticator`: the options, the new credential.
async fn add(browser: &Browser, authenticator: &mut Authenticator, name: &str) -> (u16, Value) {
    let csrf = browser.get(ENROL).await.csrf();
    let (status, options) =
        post_json(browser, "/organise/account/passkeys/start", &json!({ "csrf": csrf, "name": name })).await;
    assert_eq!(status, 200, "{options}");
    let credential = authenticator.create(&options);
    let body = json!({ "csrf": csrf, "name": name, "credential": credential });
    post_json(browser, "/organise/account/passkeys/finish", &body).await
}

/// The challenge of the page after the password (or of the step-up): its CSRF token and options.
async fn challenge(browser: &Browser, page: &str) -> (String, Value) {
    let page = browser.get(page).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let csrf = page.csrf();
    let (status, options) = post_json(browser, "/login/passkey/start", &json!({ "csrf": csrf })).await;
    assert_eq!(status, 200, "{options}");
    (csrf, options)
}

async fn answer(browser: &Browser, csrf: &str, credential: &Value) -> (u16, Value) {
    let body = json!({ "csrf": csrf, "next": "/organise", "credential": credential });
    post_json(browser, "/login/passkey/finish", &body).await
}

fn error(answer: &(u16, Value)) -> String {
    answer.1["error"].as_str().unwrap_or_default().to_owned()
}

/// An organiser with TOTP on and a passkey "laptop"; the app, their browser and authenticator.
async fn with_a_passkey(db: &TestDb) -> (TestApp, Browser, Authenticator) {
    let app = localhost_app(db).await;
    account(db, "lam@example.org").await;
    let lam = password(&app, "lam@example.org").await;
    totp_on(&lam).await;
    let mut laptop = Authenticator::new(&app.base);
    let added = add(&lam, &mut laptop, "laptop").await;
    assert_eq!(added, (200, json!({ "redirect": format!("{ENROL}?added=1") })));
    (app, lam, laptop)
}

async fn an_organiser_adds_a_passkey_and_logs_in_with_it(db: &TestDb) {
    let app = localhost_app(db).await;
    account(db, "lam@example.org").await;
    let lam = password(&app, "lam@example.org").await;

    // Before TOTP is on, no passkey: the codes are the way in when the device is lost.
    let page = lam.get(ENROL).await;
    assert!(!page.body.contains("passkeys.js"), "{}", page.body);
    let csrf = page.csrf();
    let early =
        post_json(&lam, "/organise/account/passkeys/start", &json!({"csrf": csrf, "name": "x"})).await;
    assert_eq!(early.0, 409);
    assert!(error(&early).contains("with an app first"), "{early:?}");

    totp_on(&lam).await;
    let page = lam.get(ENROL).await;
    assert!(page.body.contains("You have no passkey yet."), "{}", page.body);
    assert!(page.body.contains("A passkey needs JavaScript"), "said without JavaScript");
    assert!(page.body.contains("<script type=\"module\" src=\"/static/passkeys.js\">"));
    let script = lam.get("/static/passkeys.js").await;
    assert_eq!((script.status, script.header("content-type")), (200, "text/javascript; charset=utf-8"));

    // A name is needed, and is checked before the authenticator is asked.
    let csrf = page.csrf();
    let unnamed =
        post_json(&lam, "/organise/account/passkeys/start", &json!({"csrf": csrf, "name": " "})).await;
    assert_eq!((unnamed.0, unnamed.1["field"].as_str()), (422, Some("passkey_name")));
    assert!(error(&unnamed).contains("name"), "{unnamed:?}");

    let mut laptop = Authenticator::new(&app.base);
    let added = add(&lam, &mut laptop, "  laptop ").await;
    assert_eq!(added, (200, json!({ "redirect": format!("{ENROL}?added=1") })));
    let page = lam.get(&format!("{ENROL}?added=1")).await;
    assert!(page.body.contains("Your passkey was added."), "{}", page.body);
    assert!(page.body.contains("<td>laptop</td>"), "{}", page.body);
    assert!(page.body.contains("Not yet"), "never used yet");
    // The same credential again: refused by the browser's exclude list, and by us.
    let again = add(&lam, &mut laptop, "laptop again").await;
    assert_eq!(again.0, 400, "{again:?}");

    // Another login: after the password, the passkey beside the code.
    let phone = password(&app, "lam@example.org").await;
    let code_page = phone.get("/login/code?next=/organise").await;
    assert!(code_page.body.contains("Use a passkey"), "{}", code_page.body);
    assert!(code_page.body.contains("A passkey needs JavaScript"));
    let (csrf, options) = challenge(&phone, "/login/code?next=/organise").await;
    let allowed = options["publicKey"]["allowCredentials"].as_array().unwrap();
    assert_eq!(allowed.len(), 1);
    assert_eq!(allowed[0]["id"], B64.encode(&laptop.credential_id));
    let assertion = laptop.get(&options);
    let done = answer(&phone, &csrf, &assertion).await;
    assert_eq!(done, (200, json!({ "redirect": "/organise" })));
    assert_eq!(phone.get("/organise").await.status, 200, "logged in");

    // The counter and the last use are kept.
    let kept = db.raw_texts("SELECT credential FROM passkeys").await;
    let kept: Value = serde_json::from_str(&kept[0]).unwrap();
    assert_eq!(kept["cred"]["counter"], 1, "{kept}");
    let page = lam.get(ENROL).await;
    assert!(!page.body.contains("Not yet"), "used now: {}", page.body);
    let log = db.raw_texts("SELECT action || ' ' || detail FROM audit_log ORDER BY id").await;
    assert!(log.contains(&"passkey-added laptop".to_owned()), "{log:?}");
    assert!(log.contains(&"login-second-factor passkey laptop".to_owned()), "{log:?}");
    app.stop().await;
}

async fn a_challenge_is_answered_once(db: &TestDb) {
    let (app, _, mut laptop) = with_a_passkey(db).await;
    let phone = password(&app, "lam@example.org").await;

    // No challenge asked: nothing to answer.
    let csrf = phone.get("/login/code?next=/organise").await.csrf();
    let unasked = answer(&phone, &csrf, &laptop.get(&json!({"publicKey": {"challenge": "AAAA"}}))).await;
    assert_eq!(unasked.0, 400);
    assert!(error(&unasked).contains("too old or was answered already"), "{unasked:?}");

    // The same assertion twice: the second finds its challenge taken.
    let (csrf, options) = challenge(&phone, "/login/code?next=/organise").await;
    let assertion = laptop.get(&options);
    assert_eq!(answer(&phone, &csrf, &assertion).await.0, 200);
    let replayed = answer(&phone, &csrf, &assertion).await;
    assert_eq!(replayed.0, 400);
    assert!(error(&replayed).contains("too old or was answered already"), "{replayed:?}");

    // Replayed against a new challenge of another login: the challenge differs.
    let other = password(&app, "lam@example.org").await;
    let (csrf, _) = challenge(&other, "/login/code?next=/organise").await;
    let refused = answer(&other, &csrf, &assertion).await;
    assert_eq!(refused.0, 400);
    assert!(error(&refused).contains("not accepted"), "{refused:?}");
    assert_eq!(other.get("/organise").await.status, 303, "not logged in");
    app.stop().await;
}

async fn an_expired_challenge_is_refused(db: &TestDb) {
    let (app, _, mut laptop) = with_a_passkey(db).await;
    let phone = password(&app, "lam@example.org").await;
    let (csrf, options) = challenge(&phone, "/login/code?next=/organise").await;
    let back = match db.backend() {
        Backend::Sqlite => "UPDATE passkey_ceremonies SET expires_at = expires_at - 300000000",
        Backend::Postgres => "UPDATE passkey_ceremonies SET expires_at = expires_at - interval '5 minutes'",
    };
    db.raw(back).await;
    let late = answer(&phone, &csrf, &laptop.get(&options)).await;
    assert_eq!(late.0, 400);
    assert!(error(&late).contains("too old"), "{late:?}");
    assert_eq!(phone.get("/organise").await.status, 303, "not logged in");
    app.stop().await;
}

async fn an_assertion_from_another_origin_or_relying_party_is_refused(db: &TestDb) {
    let (app, _, mut laptop) = with_a_passkey(db).await;
    let phone = password(&app, "lam@example.org").await;

    // A phishing page relaying our challenge: the browser writes its own origin.
    laptop.origin = "http://localhost.evil.example".to_owned();
    let (csrf, options) = challenge(&phone, "/login/code?next=/organise").await;
    let phished = answer(&phone, &csrf, &laptop.get(&options)).await;
    assert_eq!(phished.0, 400, "{phished:?}");

    // The origin right, but a credential scoped to another relying party.
    laptop.origin = app.base.clone();
    laptop.rp_id = "evil.example".to_owned();
    let (csrf, options) = challenge(&phone, "/login/code?next=/organise").await;
    let elsewhere = answer(&phone, &csrf, &laptop.get(&options)).await;
    assert_eq!(elsewhere.0, 400, "{elsewhere:?}");

    // And then right: the refusals locked nothing yet.
    laptop.rp_id = "localhost".to_owned();
    let (csrf, options) = challenge(&phone, "/login/code?next=/organise").await;
    assert_eq!(answer(&phone, &csrf, &laptop.get(&options)).await.0, 200);
    app.stop().await;
}

async fn a_passkey_of_another_account_is_refused(db: &TestDb) {
    let (app, _, mut lams_laptop) = with_a_passkey(db).await;
    account(db, "mei@example.org").await;
    let mei = password(&app, "mei@example.org").await;
    totp_on(&mei).await;
    let mut meis_key = Authenticator::new(&app.base);
    assert_eq!(add(&mei, &mut meis_key, "key").await.0, 200);

    // Mei's password, Lam's passkey (stolen, or Lam's own session attacking Mei's account).
    let attacker = password(&app, "mei@example.org").await;
    let (csrf, options) = challenge(&attacker, "/login/code?next=/organise").await;
    let allowed = options["publicKey"]["allowCredentials"].as_array().unwrap();
    assert_eq!(allowed.len(), 1, "only Mei's own");
    let refused = answer(&attacker, &csrf, &lams_laptop.get(&options)).await;
    assert_eq!(refused.0, 400);
    assert!(error(&refused).contains("not accepted"), "{refused:?}");
    assert_eq!(attacker.get("/organise").await.status, 303, "not logged in");

    // Nor may Lam add Mei's credential as Lam's own (its id is kept once, for one account).
    let lam = password(&app, "lam@example.org").await;
    let (csrf, options) = challenge(&lam, "/login/code?next=/organise").await;
    assert_eq!(answer(&lam, &csrf, &lams_laptop.get(&options)).await.0, 200);
    let taken = add(&lam, &mut meis_key, "not mine").await;
    assert_eq!(taken.0, 409, "{taken:?}");
    app.stop().await;
}

async fn the_ceremonies_need_the_csrf_token_and_a_session(db: &TestDb) {
    let (app, lam, _) = with_a_passkey(db).await;
    let no_token = post_json(&lam, "/organise/account/passkeys/start", &json!({ "name": "x" })).await;
    assert_eq!(no_token.0, 403);
    let phone = password(&app, "lam@example.org").await;
    let wrong = post_json(&phone, "/login/passkey/start", &json!({ "csrf": "forged" })).await;
    assert_eq!(wrong.0, 403);
    // Another site's page posting with the organiser's cookies: refused before anything.
    let csrf = phone.get("/login/code").await.csrf();
    let response = phone
        .client
        .post(format!("{}/login/passkey/start", phone.base))
        .header("Origin", "https://evil.example")
        .header("Content-Type", "application/json")
        .body(json!({ "csrf": csrf }).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);
    let stranger = app.new_browser();
    let csrf = stranger.get("/login").await.csrf();
    let none = post_json(&stranger, "/login/passkey/start", &json!({ "csrf": csrf })).await;
    assert_eq!(none.0, 401);
    app.stop().await;
}

async fn a_passkey_confirms_a_sensitive_action_and_can_be_removed(db: &TestDb) {
    let (_app, lam, mut laptop) = with_a_passkey(db).await;
    let back = match db.backend() {
        Backend::Sqlite => "UPDATE sessions SET second_factor_at = second_factor_at - 960000000",
        Backend::Postgres => {
            "UPDATE sessions SET second_factor_at = second_factor_at - interval '16 minutes'"
        }
    };
    db.raw(back).await;
    // Adding another passkey is a change of the account's keys: the step-up first.
    let csrf = lam.get(ENROL).await.csrf();
    let asked =
        post_json(&lam, "/organise/account/passkeys/start", &json!({ "csrf": csrf, "name": "phone" })).await;
    let confirm = format!("{ENROL}/confirm?next={ENROL}");
    assert_eq!(asked, (401, json!({ "redirect": confirm })));
    let page = lam.get(ENROL).await;
    let id = db.raw_texts("SELECT CAST(id AS TEXT) FROM passkeys").await.remove(0);
    let remove = format!("/organise/account/passkeys/{id}/remove");
    let removing = lam.post(&remove, &[("csrf", &page.csrf())]).await;
    assert_eq!(removing.status, 303);
    assert!(removing.location().starts_with(&format!("{ENROL}/confirm")), "{}", removing.location());

    let (csrf, options) = challenge(&lam, &confirm).await;
    assert_eq!(answer(&lam, &csrf, &laptop.get(&options)).await.0, 200);
    let removed = lam.post(&remove, &[("csrf", &page.csrf())]).await;
    assert_eq!((removed.status, removed.location()), (303, "/organise/account/second-factor?removed=1"));
    let page = lam.get(removed.location()).await;
    assert!(page.body.contains("The passkey was removed.") && page.body.contains("You have no passkey yet."));
    // Not another's: an id of no passkey of the account is not found.
    assert_eq!(lam.post(&remove, &[("csrf", &page.csrf())]).await.status, 404);
}

async fn switching_two_factor_off_removes_the_passkeys(db: &TestDb) {
    let (app, lam, _) = with_a_passkey(db).await;
    let page = lam.get(ENROL).await;
    let codes = db.raw_texts("SELECT CAST(count(*) AS TEXT) FROM passkeys").await;
    assert_eq!(codes, ["1"]);
    // A recovery code (the TOTP tests check the app's codes) switches it off.
    let store = db.store().await;
    let user = store.user_by_email("lam@example.org").await.unwrap().unwrap().0.id;
    let code = "AAAA-BBBB-CCCC-DDDD";
    store.replace_recovery_codes(user, &["AAAABBBBCCCCDDDD".to_owned()]).await.unwrap();
    let off =
        lam.post("/organise/account/second-factor/off", &[("off_code", code), ("csrf", &page.csrf())]).await;
    assert_eq!(off.status, 303, "{}", off.body);
    assert_eq!(db.raw_texts("SELECT CAST(count(*) AS TEXT) FROM passkeys").await, ["0"]);
    let phone = password(&app, "lam@example.org").await;
    assert_eq!(phone.get("/organise").await.status, 200, "the password alone again");
    app.stop().await;
}

async fn an_ip_address_as_the_sites_address_allows_no_passkeys(db: &TestDb) {
    // The default base URL, http://127.0.0.1:PORT: browsers refuse an IP address as a relying party.
    let app = TestApp::spawn(db).await;
    account(db, "lam@example.org").await;
    let lam = password(&app, "lam@example.org").await;
    totp_on(&lam).await;
    let page = lam.get(ENROL).await;
    assert!(page.body.contains("Passkeys cannot be used at this site’s address"), "{}", page.body);
    assert!(!page.body.contains("id=\"passkey-add\""), "no form to add one");
    let body = json!({ "csrf": page.csrf(), "name": "laptop" });
    let refused = post_json(&lam, "/organise/account/passkeys/start", &body).await;
    assert_eq!(refused.0, 409, "{refused:?}");
    app.stop().await;
}

on_both_backends!(
    an_ip_address_as_the_sites_address_allows_no_passkeys,
    an_organiser_adds_a_passkey_and_logs_in_with_it,
    a_challenge_is_answered_once,
    an_expired_challenge_is_refused,
    an_assertion_from_another_origin_or_relying_party_is_refused,
    a_passkey_of_another_account_is_refused,
    the_ceremonies_need_the_csrf_token_and_a_session,
    a_passkey_confirms_a_sensitive_action_and_can_be_removed,
    switching_two_factor_off_removes_the_passkeys,
);
