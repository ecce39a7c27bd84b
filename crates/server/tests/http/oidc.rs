//! Signing in with OpenID Connect (issue 18), over HTTP on both backends, against a mock provider
//! the test starts in-process: discovery, its keys, an authorization endpoint that approves at
//! once, and a token endpoint that checks the code (once) and the PKCE verifier and signs an ID
//! token with `openidconnect`'s own signing key (a committed test key). Each forged or replayed
//! answer is tried as an attacker would, and refused with a 400 page.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::{Form, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use base64::Engine;
use openidconnect::core::{
    CoreGenderClaim, CoreJsonWebKeySet, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
    CoreProviderMetadata, CoreResponseType, CoreRsaPrivateSigningKey, CoreSubjectIdentifierType,
};
use openidconnect::{
    AdditionalClaims, Audience, AuthUrl, EmptyAdditionalProviderMetadata, EndUserEmail, EndUserName, IdToken,
    IdTokenClaims, IssuerUrl, JsonWebKeyId, JsonWebKeySetUrl, LocalizedClaim, Nonce, PrivateSigningKey,
    ResponseTypes, StandardClaims, SubjectIdentifier, TokenUrl,
};
use sha2::{Digest, Sha256};
use undersigned::config::Options;
use undersigned::oidc_config::OidcOptions;
use undersigned_core::Slug;
use undersigned_core::account::Role;
use undersigned_store_tests::{Backend, TestDb, on_both_backends};

use crate::support::{Browser, Page, TestApp, account, password_login};

const CLIENT_ID: &str = "undersigned-test";
const SIGN_IN: &str = "/organise/account/sign-in";
const ORG: &str = "/organise/c/release-cai-guangye";

/// The `groups` claim the mock puts in its ID tokens.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
struct Groups {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    groups: Vec<String>,
}
impl AdditionalClaims for Groups {}

/// Who is signed in at the mock provider.
#[derive(Clone, Debug)]
struct Person {
    sub: String,
    email: String,
    email_verified: bool,
    name: String,
    groups: Vec<String>,
}

fn person(sub: &str, email: &str) -> Person {
    Person {
        sub: sub.into(),
        email: email.into(),
        email_verified: true,
        name: "Wong Ka-yan".into(),
        groups: vec![],
    }
}

/// How the next ID token is made wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tamper {
    None,
    /// Signed with another key, under the provider's key id.
    Forged,
    OtherAudience,
    OtherIssuer,
    Expired,
    WrongNonce,
}

struct Grant {
    nonce: Option<String>,
    challenge: String,
}

struct MockState {
    issuer: String,
    key: CoreRsaPrivateSigningKey,
    forger: CoreRsaPrivateSigningKey,
    person: Person,
    tamper: Tamper,
    codes: HashMap<String, Grant>,
    tokens_issued: usize,
    discoveries: usize,
}

type Shared = Arc<Mutex<MockState>>;

struct Mock {
    issuer: String,
    state: Shared,
}

impl Mock {
    async fn start(person: Person) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr: SocketAddr = listener.local_addr().unwrap();
        let issuer = format!("http://{addr}");
        let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/oidc/");
        let pem = |name: &str| std::fs::read_to_string(format!("{fixtures}{name}")).unwrap();
        let kid = Some(JsonWebKeyId::new("test-key".into()));
        let state = Arc::new(Mutex::new(MockState {
            issuer: issuer.clone(),
            key: CoreRsaPrivateSigningKey::from_pem(&pem("provider-key.pem"), kid.clone()).unwrap(),
            forger: CoreRsaPrivateSigningKey::from_pem(&pem("forger-key.pem"), kid).unwrap(),
            person,
            tamper: Tamper::None,
            codes: HashMap::new(),
            tokens_issued: 0,
            discoveries: 0,
        }));
        let app = axum::Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .with_state(state.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self { issuer, state }
    }

    fn set_person(&self, person: Person) {
        self.state.lock().unwrap().person = person;
    }

    fn tamper(&self, tamper: Tamper) {
        self.state.lock().unwrap().tamper = tamper;
    }

    fn tokens_issued(&self) -> usize {
        self.state.lock().unwrap().tokens_issued
    }

    /// The provider rotates its keys: a new signing key under a new id, the only one it lists.
    fn rotate_keys(&self) {
        let pem = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/oidc/forger-key.pem"
        ))
        .unwrap();
        let kid = Some(JsonWebKeyId::new("rotated-key".into()));
        self.state.lock().unwrap().key = CoreRsaPrivateSigningKey::from_pem(&pem, kid).unwrap();
    }

    fn discoveries(&self) -> usize {
        self.state.lock().unwrap().discoveries
    }

    fn options(&self, domains: &[&str], groups: &[&str]) -> OidcOptions {
        OidcOptions {
            id: "union".into(),
            name: "Union Login".into(),
            issuer: self.issuer.clone(),
            client_id: CLIENT_ID.into(),
            client_secret: Some("test-secret".into()),
            client_secret_file: None,
            organiser_domains: domains.iter().map(|d| d.to_string()).collect(),
            organiser_groups: groups.iter().map(|g| g.to_string()).collect(),
        }
    }
}

async fn discovery(State(state): State<Shared>) -> Response {
    let issuer = {
        let mut s = state.lock().unwrap();
        s.discoveries += 1;
        s.issuer.clone()
    };
    let meta = CoreProviderMetadata::new(
        IssuerUrl::new(issuer.clone()).unwrap(),
        AuthUrl::new(format!("{issuer}/authorize")).unwrap(),
        JsonWebKeySetUrl::new(format!("{issuer}/jwks")).unwrap(),
        vec![ResponseTypes::new(vec![CoreResponseType::Code])],
        vec![CoreSubjectIdentifierType::Public],
        vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256],
        EmptyAdditionalProviderMetadata {},
    )
    .set_token_endpoint(Some(TokenUrl::new(format!("{issuer}/token")).unwrap()));
    axum::Json(serde_json::to_value(&meta).unwrap()).into_response()
}

async fn jwks(State(state): State<Shared>) -> Response {
    let keys = CoreJsonWebKeySet::new(vec![state.lock().unwrap().key.as_verification_key()]);
    axum::Json(serde_json::to_value(&keys).unwrap()).into_response()
}

/// Approves at once: back to the client with a code, as a provider does for a person signed in.
async fn authorize(State(state): State<Shared>, Query(q): Query<HashMap<String, String>>) -> Response {
    assert_eq!(q.get("response_type").map(String::as_str), Some("code"));
    assert_eq!(q.get("client_id").map(String::as_str), Some(CLIENT_ID));
    assert_eq!(q.get("code_challenge_method").map(String::as_str), Some("S256"), "PKCE with S256");
    let challenge = q.get("code_challenge").expect("a PKCE challenge").clone();
    let code = format!("code-{}", rand_hex());
    let grant = Grant { nonce: q.get("nonce").cloned(), challenge };
    state.lock().unwrap().codes.insert(code.clone(), grant);
    let redirect = q.get("redirect_uri").expect("a redirect URI");
    let state_param = q.get("state").expect("a state");
    let mut url = url::Url::parse(redirect).unwrap();
    url.query_pairs_mut().append_pair("code", &code).append_pair("state", state_param);
    Redirect::to(url.as_str()).into_response()
}

fn rand_hex() -> String {
    hex::encode(rand::random::<[u8; 12]>())
}

fn invalid_grant() -> Response {
    (axum::http::StatusCode::BAD_REQUEST, axum::Json(serde_json::json!({"error": "invalid_grant"})))
        .into_response()
}

/// Checks the code (once) and the PKCE verifier, and answers with an ID token, made wrong as
/// asked.
async fn token(State(state): State<Shared>, Form(form): Form<HashMap<String, String>>) -> Response {
    let mut s = state.lock().unwrap();
    let Some(grant) = form.get("code").and_then(|c| s.codes.remove(c)) else { return invalid_grant() };
    let verifier = form.get("code_verifier").cloned().unwrap_or_default();
    let computed =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    if computed != grant.challenge {
        return invalid_grant();
    }
    let now = chrono_now();
    let (issuer, audience, expires, nonce) = match s.tamper {
        Tamper::OtherIssuer => {
            ("https://evil.example".to_owned(), CLIENT_ID.to_owned(), now + 300, grant.nonce)
        }
        Tamper::OtherAudience => (s.issuer.clone(), "another-client".to_owned(), now + 300, grant.nonce),
        Tamper::Expired => (s.issuer.clone(), CLIENT_ID.to_owned(), now - 600, grant.nonce),
        Tamper::WrongNonce => {
            (s.issuer.clone(), CLIENT_ID.to_owned(), now + 300, Some("not-the-nonce".into()))
        }
        Tamper::None | Tamper::Forged => (s.issuer.clone(), CLIENT_ID.to_owned(), now + 300, grant.nonce),
    };
    let p = s.person.clone();
    let mut name = LocalizedClaim::new();
    name.insert(None, EndUserName::new(p.name.clone()));
    let claims = IdTokenClaims::new(
        IssuerUrl::new(issuer).unwrap(),
        vec![Audience::new(audience)],
        timestamp(expires),
        timestamp(now - 5),
        StandardClaims::new(SubjectIdentifier::new(p.sub.clone()))
            .set_email(Some(EndUserEmail::new(p.email.clone())))
            .set_email_verified(Some(p.email_verified))
            .set_name(Some(name)),
        Groups { groups: p.groups.clone() },
    )
    .set_nonce(nonce.map(Nonce::new));
    let key = if s.tamper == Tamper::Forged { &s.forger } else { &s.key };
    let id_token = IdToken::<
        Groups,
        CoreGenderClaim,
        CoreJweContentEncryptionAlgorithm,
        CoreJwsSigningAlgorithm,
    >::new(claims, key, CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256, None, None)
    .unwrap();
    s.tokens_issued += 1;
    axum::Json(serde_json::json!({
        "access_token": format!("at-{}", rand_hex()),
        "token_type": "Bearer",
        "expires_in": 300,
        "id_token": serde_json::to_value(&id_token).unwrap(),
    }))
    .into_response()
}

fn chrono_now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn timestamp(secs: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(secs, 0).unwrap()
}

async fn app_with(db: &TestDb, mock: &Mock, domains: &[&str], groups: &[&str]) -> TestApp {
    let options = Options { oidc: vec![mock.options(domains, groups)], ..Default::default() };
    TestApp::spawn_with(db, options).await
}

async fn link(db: &TestDb, user: i64, subject: &str) {
    let store = db.store().await;
    store.link_identity(user, "union", subject, undersigned_core::store::now()).await.unwrap();
}

/// Presses the provider's button on `page` (a form posting to `action`): the 303 to the provider.
async fn press(browser: &Browser, page: &str, action: &str) -> Page {
    let form = browser.get(page).await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains(&format!("action=\"{action}\"")), "no button to {action} in:\n{}", form.body);
    browser.post(action, &[("csrf", &form.csrf()), ("next", "/organise")]).await
}

/// At the provider, which approves at once: the path of the callback it sends the browser to.
async fn at_provider(browser: &Browser, mock: &Mock, to_provider: &Page) -> String {
    assert_eq!(to_provider.status, 303, "{}", to_provider.body);
    let url = to_provider.location();
    assert!(url.starts_with(&format!("{}/authorize?", mock.issuer)), "{url}");
    let back = browser.client.get(url).send().await.unwrap();
    assert!(back.status().is_redirection(), "{}", back.status());
    let location = back.headers()["location"].to_str().unwrap().to_owned();
    browser.path_of(&location)
}

/// The whole round trip from a button: the callback's answer.
async fn sign_in(browser: &Browser, mock: &Mock, page: &str, action: &str) -> Page {
    let to_provider = press(browser, page, action).await;
    let callback = at_provider(browser, mock, &to_provider).await;
    browser.get(&callback).await
}

async fn login_with_provider(app: &TestApp, mock: &Mock) -> (Browser, Page) {
    let browser = app.new_browser();
    let page = sign_in(&browser, mock, "/login", "/login/oidc/union").await;
    (browser, page)
}

/// Whether the browser has an organiser's session past every factor.
async fn logged_in(browser: &Browser) -> bool {
    browser.get("/organise").await.status == 200
}

async fn audit_log(db: &TestDb) -> Vec<String> {
    db.raw_texts("SELECT action FROM audit_log ORDER BY id").await
}

fn refused(page: &Page, status: u16) {
    assert_eq!(page.status, status, "{}", page.body);
    assert!(page.body.contains("Sign-in refused"), "{}", page.body);
}

async fn an_organiser_links_a_provider_and_logs_in_with_it(db: &TestDb) {
    let mock = Mock::start(person("kc-lam", "lam.personal@example.net")).await;
    let app = app_with(db, &mock, &[], &[]).await;
    account(db, "lam@example.org", Some(Role::Owner), false).await;

    // The login page: a button (a POST form), nothing from the provider until it is pressed.
    let login = app.get("/login").await;
    assert!(login.body.contains("Log in with Union Login"), "{}", login.body);
    assert!(!login.body.contains(&mock.issuer), "nothing on the page names the provider's address");
    assert_eq!(mock.discoveries(), 0, "no discovery before a button is pressed");
    let policy = login.header("content-security-policy");
    assert!(policy.contains(&format!("form-action 'self' {}", mock.issuer)), "{policy}");

    let lam = password_login(&app, "lam@example.org").await;
    let page = lam.get("/organise/account").await;
    assert!(page.body.contains(SIGN_IN), "the account page links to it");
    let page = lam.get(SIGN_IN).await;
    assert!(page.body.contains("Union Login") && page.body.contains("not linked"), "{}", page.body);
    let linked = sign_in(&lam, &mock, SIGN_IN, "/organise/account/sign-in/union").await;
    assert_eq!((linked.status, linked.location()), (303, SIGN_IN), "{}", linked.body);
    let page = lam.get(SIGN_IN).await;
    assert!(page.body.contains("linked since"), "{}", page.body);
    assert!(page.body.contains("/organise/account/sign-in/union/unlink"));
    assert!(audit_log(db).await.contains(&"oidc-link".to_owned()));

    // Another browser logs in with the provider alone, as lam.
    let (other, answer) = login_with_provider(&app, &mock).await;
    assert_eq!((answer.status, answer.location()), (303, "/organise"), "{}", answer.body);
    assert!(logged_in(&other).await);
    assert_eq!(other.get(ORG).await.status, 200, "as lam, the campaign's owner");
    assert!(audit_log(db).await.contains(&"login-oidc".to_owned()));
    assert_eq!(mock.discoveries(), 1, "discovery is kept");
    // The state is kept as a keyed hash, and used: nothing left.
    assert_eq!(db.raw_texts("SELECT CAST(count(*) AS TEXT) FROM oidc_flows").await, ["0"]);

    // Unlinked: the provider no longer logs in (and may not open accounts).
    let page = lam.get(SIGN_IN).await;
    let unlinked = lam.post("/organise/account/sign-in/union/unlink", &[("csrf", &page.csrf())]).await;
    assert_eq!(unlinked.status, 303);
    assert!(lam.get(SIGN_IN).await.body.contains("not linked"));
    let (third, answer) = login_with_provider(&app, &mock).await;
    refused(&answer, 403);
    assert!(!logged_in(&third).await);
    assert!(audit_log(db).await.contains(&"oidc-unlink".to_owned()));
    app.stop().await;
}

async fn an_identity_linked_to_one_account_is_refused_for_another(db: &TestDb) {
    let mock = Mock::start(person("kc-lam", "lam@example.org")).await;
    let app = app_with(db, &mock, &[], &[]).await;
    let lam = account(db, "lam@example.org", Some(Role::Owner), false).await;
    account(db, "mei@example.org", Some(Role::Moderator), false).await;
    link(db, lam, "kc-lam").await;

    let mei = password_login(&app, "mei@example.org").await;
    let answer = sign_in(&mei, &mock, SIGN_IN, "/organise/account/sign-in/union").await;
    assert_eq!(answer.status, 409, "{}", answer.body);
    assert!(answer.body.contains("linked to another account"), "{}", answer.body);
    assert_eq!(db.raw_texts("SELECT CAST(user_id AS TEXT) FROM oidc_identities").await, [lam.to_string()]);

    // Linking finishes only in the session that started it.
    let other = app.new_browser();
    let to_provider = press(&mei, SIGN_IN, "/organise/account/sign-in/union").await;
    let callback = at_provider(&mei, &mock, &to_provider).await;
    let mei_out = mei.get("/organise").await;
    let page = mei.get("/organise/account").await;
    mei.post("/logout", &[("csrf", &page.csrf())]).await;
    assert_eq!(mei_out.status, 200);
    refused(&mei.get(&callback).await, 400);
    assert!(!logged_in(&other).await);
    app.stop().await;
}

async fn new_accounts_come_only_from_allowed_domains_and_groups_with_no_role(db: &TestDb) {
    let mock = Mock::start(person("u-wong", "Wong@Union.example")).await;
    let app = app_with(db, &mock, &["union.example"], &["organisers"]).await;
    account(db, "lam@union.example", Some(Role::Owner), false).await;

    let (wong, answer) = login_with_provider(&app, &mock).await;
    assert_eq!((answer.status, answer.location()), (303, "/organise"), "{}", answer.body);
    assert!(logged_in(&wong).await);
    let user =
        "SELECT CAST(id AS TEXT) FROM users WHERE email = 'wong@union.example' AND password_hash IS NULL";
    let id = db.raw_texts(&format!("{user} AND NOT is_admin")).await;
    assert_eq!(id.len(), 1, "a new account, no admin, no password");
    let roles = format!("SELECT role FROM campaign_roles WHERE user_id = {}", id[0]);
    assert!(db.raw_texts(&roles).await.is_empty(), "no role until an admin gives one");
    assert_eq!(wong.get(ORG).await.status, 403, "so no campaign of anyone's");
    assert!(audit_log(db).await.contains(&"oidc-account".to_owned()));
    // The provider's address is on no public page.
    for page in ["/", "/c/release-cai-guangye", "/c/release-cai-guangye/comments"] {
        assert!(!app.get(page).await.body.to_lowercase().contains("wong@union.example"), "{page}");
    }

    // Another domain: refused, no account.
    mock.set_person(person("u-chan", "chan@mail.example"));
    let (chan, answer) = login_with_provider(&app, &mock).await;
    refused(&answer, 403);
    assert!(answer.body.contains("may not open new accounts"), "{}", answer.body);
    assert!(!logged_in(&chan).await);
    // The allowed domain with an address the provider did not verify: refused.
    mock.set_person(Person { email_verified: false, ..person("u-ho", "ho@union.example") });
    refused(&login_with_provider(&app, &mock).await.1, 403);
    // A look-alike domain: refused.
    mock.set_person(person("u-ip", "ip@evil-union.example"));
    refused(&login_with_provider(&app, &mock).await.1, 403);
    // An allowed group, any domain: admitted.
    mock.set_person(Person { groups: vec!["organisers".into()], ..person("u-yip", "yip@elsewhere.example") });
    let (yip, answer) = login_with_provider(&app, &mock).await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    assert!(logged_in(&yip).await);
    // The address of an existing account: not taken over; its owner links the provider instead.
    mock.set_person(person("u-lam", "lam@union.example"));
    let (_, answer) = login_with_provider(&app, &mock).await;
    refused(&answer, 409);
    assert!(answer.body.contains("exists already"), "{}", answer.body);
    let people = "SELECT email FROM users WHERE email LIKE '%union.example' OR email LIKE '%elsewhere.example' ORDER BY email";
    assert_eq!(
        db.raw_texts(people).await,
        ["lam@union.example", "wong@union.example", "yip@elsewhere.example"]
    );
    assert_eq!(db.raw_texts("SELECT CAST(count(*) AS TEXT) FROM oidc_identities").await, ["2"]);
    app.stop().await;
}

async fn a_second_factor_is_still_asked_after_the_provider(db: &TestDb) {
    let mock = Mock::start(person("kc-lam", "lam@example.org")).await;
    let app = app_with(db, &mock, &[], &[]).await;
    let lam = account(db, "lam@example.org", Some(Role::Owner), false).await;
    link(db, lam, "kc-lam").await;
    let store = db.store().await;
    let now = undersigned_core::store::now();
    let secret = undersigned_core::second_factor::Secret(vec![7; 20]);
    store.begin_second_factor(lam, &secret, now).await.unwrap();
    store.enable_second_factor(lam, 1, &[], b"no session", now).await.unwrap();

    let (browser, answer) = login_with_provider(&app, &mock).await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    assert!(answer.location().starts_with("/login/code?next="), "{}", answer.location());
    assert!(!logged_in(&browser).await, "not until the code is typed");
    let code_page = browser.get(answer.location()).await;
    assert_eq!(code_page.status, 200, "{}", code_page.body);
    app.stop().await;
}

async fn forged_replayed_and_wrong_answers_are_refused(db: &TestDb) {
    let mock = Mock::start(person("kc-lam", "lam@example.org")).await;
    let app = app_with(db, &mock, &[], &[]).await;
    let lam = account(db, "lam@example.org", Some(Role::Owner), false).await;
    link(db, lam, "kc-lam").await;

    // ID tokens signed with another key, for another client, from another issuer, expired, or
    // with another nonce.
    for tamper in
        [Tamper::Forged, Tamper::OtherAudience, Tamper::OtherIssuer, Tamper::Expired, Tamper::WrongNonce]
    {
        mock.tamper(tamper);
        let (browser, answer) = login_with_provider(&app, &mock).await;
        assert_eq!(answer.status, 400, "{tamper:?}: {}", answer.body);
        assert!(answer.body.contains("Sign-in refused"), "{tamper:?}");
        assert!(!logged_in(&browser).await, "{tamper:?}");
    }
    mock.tamper(Tamper::None);

    // A wrong state finds nothing; the right one works once: the same answer again is refused,
    // before the code is even tried.
    let browser = app.new_browser();
    let to_provider = press(&browser, "/login", "/login/oidc/union").await;
    let callback = at_provider(&browser, &mock, &to_provider).await;
    refused(&browser.get(&callback.replace("state=", "state=x")).await, 400);
    refused(&browser.get(&callback.replace("state=", "nostate=")).await, 400);
    let answer = browser.get(&callback).await;
    assert_eq!((answer.status, answer.location()), (303, "/organise"), "{}", answer.body);
    let issued = mock.tokens_issued();
    let replayed = app.new_browser().get(&callback).await;
    refused(&replayed, 400);
    refused(&browser.get(&callback).await, 400);
    assert_eq!(mock.tokens_issued(), issued, "a replayed answer never reaches the provider");

    // An answer taken to another browser (a login planted by an attacker): refused.
    let attacker = app.new_browser();
    let to_provider = press(&attacker, "/login", "/login/oidc/union").await;
    let callback = at_provider(&attacker, &mock, &to_provider).await;
    let victim = app.new_browser();
    refused(&victim.get(&callback).await, 400);
    assert!(!logged_in(&victim).await);

    // Too late: the round trip lasts ten minutes.
    let browser = app.new_browser();
    let to_provider = press(&browser, "/login", "/login/oidc/union").await;
    let callback = at_provider(&browser, &mock, &to_provider).await;
    db.raw(match db.backend() {
        Backend::Sqlite => "UPDATE oidc_flows SET expires_at = expires_at - 601000000",
        Backend::Postgres => "UPDATE oidc_flows SET expires_at = expires_at - interval '601 seconds'",
    })
    .await;
    refused(&browser.get(&callback).await, 400);
    assert!(!logged_in(&browser).await);

    // The provider said no.
    let browser = app.new_browser();
    let to_provider = press(&browser, "/login", "/login/oidc/union").await;
    let url = url::Url::parse(to_provider.location()).unwrap();
    let state = url.query_pairs().find(|(k, _)| k == "state").unwrap().1.into_owned();
    let answer = browser.get(&format!("/login/oidc/callback?error=access_denied&state={state}")).await;
    refused(&answer, 400);
    assert!(answer.body.contains("cancelled"), "{}", answer.body);

    // In the visitor's language.
    let browser = app.new_browser();
    let answer =
        browser.get_with("/login/oidc/callback?code=c&state=s", &[("accept-language", "zh-Hant")]).await;
    assert_eq!(answer.status, 400);
    assert!(answer.body.contains("登入被拒"), "{}", answer.body);
    app.stop().await;
}

async fn a_provider_down_at_start_stops_nothing(db: &TestDb) {
    let down = OidcOptions {
        id: "union".into(),
        name: "Union Login".into(),
        issuer: "http://127.0.0.1:9".into(),
        client_id: CLIENT_ID.into(),
        client_secret: Some("test-secret".into()),
        ..Default::default()
    };
    let app = TestApp::spawn_with(db, Options { oidc: vec![down], ..Default::default() }).await;
    assert_eq!(app.get("/").await.status, 200);
    let browser = app.new_browser();
    let answer = press(&browser, "/login", "/login/oidc/union").await;
    assert_eq!(answer.status, 502, "{}", answer.body);
    assert!(answer.body.contains("Union Login could not be reached"), "{}", answer.body);
    app.stop().await;
}

const COMMENTS: &str = "/c/release-cai-guangye/comments";

async fn outbox(db: &TestDb) -> Vec<String> {
    db.raw_texts("SELECT CAST(count(*) AS TEXT) FROM outbox").await
}

async fn a_commenter_signs_in_with_a_provider_and_comments_without_mail(db: &TestDb) {
    let mock = Mock::start(Person {
        name: "Wong Tai-sin".into(),
        ..person("kc-commenter", "wong.private@union.example")
    })
    .await;
    let app = app_with(db, &mock, &[], &[]).await;
    let browser = app.new_browser();
    let page = browser.get(COMMENTS).await;
    assert!(page.body.contains("Sign in with Union Login") && page.body.contains("name=\"email\""));
    assert!(!page.body.contains(&mock.issuer), "nothing from the provider on the page");
    assert_eq!(mock.discoveries(), 0);
    let action = "/c/release-cai-guangye/comments/oidc/union";
    let answer = sign_in(&browser, &mock, COMMENTS, action).await;
    assert_eq!((answer.status, answer.location()), (303, COMMENTS), "{}", answer.body);

    // Signed in: no address asked; the comment shows the name typed, is published at once
    // (the campaign post-moderates), and no mail is sent.
    let page = browser.get(COMMENTS).await;
    assert!(page.body.contains("You are signed in with Union Login"), "{}", page.body);
    assert!(!page.body.contains("name=\"email\""), "no address asked");
    let mails = outbox(db).await;
    let fields = [("name", "Tai-sin"), ("body", "Free them all."), ("csrf", &page.csrf())];
    let sent = browser.post(COMMENTS, &fields).await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    assert_eq!(sent.first("h1"), "Your comment is published");
    assert_eq!(outbox(db).await, mails, "no mail to confirm it");
    let public = app.new_browser().get(COMMENTS).await;
    assert!(public.body.contains("Tai-sin") && public.body.contains("Free them all."));
    for secret in ["wong.private", "Wong Tai-sin", "kc-commenter"] {
        assert!(!public.body.contains(secret), "{secret} on the public page");
    }
    let kept =
        db.raw_texts("SELECT name FROM comments WHERE commenter_id IS NULL AND status = 'visible'").await;
    assert_eq!(kept, ["Tai-sin"]);
    // Errors name the field and keep what was typed.
    let page = browser.get(COMMENTS).await;
    let refused = browser.post(COMMENTS, &[("name", ""), ("body", "Kept."), ("csrf", &page.csrf())]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.field_error("name").is_some() && refused.body.contains("Kept."));

    // Pre-moderation: held for a moderator.
    let store = db.store().await;
    let campaign =
        store.campaign_by_slug(&Slug::parse("s", "release-cai-guangye").unwrap()).await.unwrap().unwrap();
    store.set_pre_moderation(campaign.id, true).await.unwrap();
    let page = browser.get(COMMENTS).await;
    let fields = [("name", "Tai-sin"), ("body", "Held, please."), ("csrf", &page.csrf())];
    assert_eq!(browser.post(COMMENTS, &fields).await.first("h1"), "Your comment waits for a moderator");
    assert!(!app.new_browser().get(COMMENTS).await.body.contains("Held, please."));

    // Signed out: the address is asked again.
    let page = browser.get(COMMENTS).await;
    let out = browser.post("/c/release-cai-guangye/comments/sign-out", &[("csrf", &page.csrf())]).await;
    assert_eq!(out.status, 303);
    let page = browser.get(COMMENTS).await;
    assert!(page.body.contains("name=\"email\"") && !page.body.contains("You are signed in"));
    let fields = [("name", "Tai-sin"), ("body", "Again."), ("csrf", &page.csrf())];
    let refused = browser.post(COMMENTS, &fields).await;
    assert_eq!(refused.status, 422, "an address is needed again");
    assert!(refused.field_error("email").is_some());
    app.stop().await;
}

async fn a_forged_sign_in_gives_a_commenter_nothing(db: &TestDb) {
    let mock = Mock::start(person("kc-commenter", "wong@union.example")).await;
    let app = app_with(db, &mock, &[], &[]).await;
    let action = "/c/release-cai-guangye/comments/oidc/union";
    // A forged ID token: refused, not signed in.
    mock.tamper(Tamper::Forged);
    let browser = app.new_browser();
    refused(&sign_in(&browser, &mock, COMMENTS, action).await, 400);
    assert!(browser.get(COMMENTS).await.body.contains("name=\"email\""));
    // A forged cookie: not signed in either.
    let forger = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let until = chrono_now() + 3600;
    let cookie = format!("commenter=union.{until}.00.{}", "0".repeat(32));
    let page = forger.get(format!("{}{COMMENTS}", app.base)).header("cookie", &cookie).send().await.unwrap();
    let body = page.text().await.unwrap();
    assert!(body.contains("name=\"email\"") && !body.contains("You are signed in"));
    // The real sign-in's cookie, its time stretched: not signed in.
    mock.tamper(Tamper::None);
    let browser = app.new_browser();
    let to_provider = press(&browser, COMMENTS, action).await;
    let callback = at_provider(&browser, &mock, &to_provider).await;
    let back = browser.client.get(format!("{}{callback}", app.base)).send().await.unwrap();
    let set = back.headers()["set-cookie"].to_str().unwrap().to_owned();
    let value = set.split(';').next().unwrap().strip_prefix("commenter=").unwrap().to_owned();
    let parts: Vec<&str> = value.split('.').collect();
    let stretched = format!("commenter={}.{}.{}.{}", parts[0], until + 86_400, parts[2], parts[3]);
    let page =
        forger.get(format!("{}{COMMENTS}", app.base)).header("cookie", &stretched).send().await.unwrap();
    assert!(!page.text().await.unwrap().contains("You are signed in"));
    let page = forger
        .get(format!("{}{COMMENTS}", app.base))
        .header("cookie", format!("commenter={value}"))
        .send()
        .await
        .unwrap();
    assert!(page.text().await.unwrap().contains("You are signed in"), "the real one works");
    app.stop().await;
}

/// A provider rotates its keys within the hour its discovery is kept: the first ID token under the
/// new key id has the keys fetched again, and the login goes through; a token forged under a key id
/// the provider lists fetches nothing and is refused.
async fn a_providers_new_key_is_fetched_when_a_token_names_it(db: &TestDb) {
    let mock = Mock::start(person("kc-lam", "lam.personal@example.net")).await;
    let app = app_with(db, &mock, &[], &[]).await;
    let lam = account(db, "lam@example.org", Some(Role::Owner), false).await;
    link(db, lam, "kc-lam").await;
    let (before, answer) = login_with_provider(&app, &mock).await;
    assert_eq!((answer.status, answer.location()), (303, "/organise"), "{}", answer.body);
    assert!(logged_in(&before).await);
    assert_eq!(mock.discoveries(), 1);

    mock.tamper(Tamper::Forged);
    let (forged, answer) = login_with_provider(&app, &mock).await;
    refused(&answer, 400);
    assert!(!logged_in(&forged).await);
    assert_eq!(mock.discoveries(), 1, "a key id it lists: nothing fetched");

    mock.tamper(Tamper::None);
    mock.rotate_keys();
    let (after, answer) = login_with_provider(&app, &mock).await;
    assert_eq!((answer.status, answer.location()), (303, "/organise"), "{}", answer.body);
    assert!(logged_in(&after).await);
    assert_eq!(mock.discoveries(), 2, "fetched again for the new key");
    app.stop().await;
}

on_both_backends!(
    a_providers_new_key_is_fetched_when_a_token_names_it,
    an_organiser_links_a_provider_and_logs_in_with_it,
    an_identity_linked_to_one_account_is_refused_for_another,
    new_accounts_come_only_from_allowed_domains_and_groups_with_no_role,
    a_second_factor_is_still_asked_after_the_provider,
    forged_replayed_and_wrong_answers_are_refused,
    a_provider_down_at_start_stops_nothing,
    a_commenter_signs_in_with_a_provider_and_comments_without_mail,
    a_forged_sign_in_gives_a_commenter_nothing,
);
