//! Every route of the router, with every method and garbage bodies, against the real server over
//! HTTP on both backends: logged out without a CSRF cookie, logged out with one, and logged in as
//! an admin with a valid CSRF token. Nothing may answer with a server error or drop the
//! connection (a panic), and the server answers `/healthz` afterwards.
//!
//! The routes are read from the router's source (`crates/web/src`): a route added there is walked
//! without anyone remembering to list it, and a route the walker cannot read fails the test.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use undersigned::config::Options;
use undersigned_smtp_sink::SmtpSink;
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::support::{Browser, TestApp};

const SLUG: &str = "release-cai-guangye";
const METHODS: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/// Every `.route("...")` path in the web crate's source.
fn routes() -> Vec<String> {
    let mut files = Vec::new();
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let mut routes = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let code: String =
            text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
        assert!(!code.contains(".nest("), "{}: nested routers hide routes from the walker", file.display());
        for (i, _) in code.match_indices(".route(") {
            let rest = code[i + ".route(".len()..].trim_start();
            let literal = rest.strip_prefix('"').and_then(|r| r.split_once('"')).map(|(path, _)| path);
            let path = literal.unwrap_or_else(|| {
                panic!(
                    "{}: a route that is not a string literal: {}",
                    file.display(),
                    &rest[..rest.len().min(60)]
                )
            });
            routes.push(path.to_owned());
        }
    }
    routes.sort();
    routes.dedup();
    assert!(routes.len() > 40 && routes.contains(&"/c/{slug}/sign".to_owned()), "routes found: {routes:?}");
    routes
}

/// Values for each path parameter: real ones first, then garbage.
fn values(param: &str, tokens: &BTreeMap<String, String>, prefix: &str) -> Vec<String> {
    let long = "a".repeat(3_000);
    let mut garbage: Vec<String> =
        ["%00", "%FF%FE", "..%2F..%2Fsecret.key", "%E2%80%AE%20x", "-1", "99999999999999999999"]
            .map(str::to_owned)
            .to_vec();
    garbage.push(long);
    let real: Vec<String> = match param {
        "slug" | "campaign" => vec![SLUG.to_owned(), "no-such-campaign".to_owned()],
        "organisation" => vec!["no-such-organisation".to_owned(), "A".to_owned()],
        "id" | "user" | "delivery" | "signature" | "demand" => {
            vec!["1".to_owned(), "99999999999999999999".to_owned()]
        }
        "lang" => vec!["en".to_owned(), "xx".to_owned()],
        "action" => ["show", "hide", "delete", "reply", "approve", "test", "rotate-secret", "alt", "share"]
            .map(str::to_owned)
            .to_vec(),
        "file" => vec!["style.css".to_owned(), "..%2FCargo.toml".to_owned()],
        "page" => vec!["terms".to_owned(), "cookies".to_owned()],
        // A picture's key: well formed but of no picture, and upper case (not a key).
        "key" => {
            vec!["0123456789abcdef0123456789abcdef".to_owned(), "0123456789ABCDEF0123456789ABCDEF".to_owned()]
        }
        "width" => vec!["480".to_owned(), "0".to_owned()],
        // An OpenID Connect provider's id (none configured here).
        "provider" => vec!["union".to_owned(), "no-such-provider".to_owned()],
        "token" => {
            let own =
                tokens.get(prefix).or_else(|| tokens.values().next()).expect("a token from a mail").clone();
            let mut changed = own.clone().into_bytes();
            changed[5] = if changed[5] == b'A' { b'B' } else { b'A' };
            vec![own, String::from_utf8(changed).unwrap(), "garbage".to_owned()]
        }
        other => panic!("the route walker has no values for the path parameter {{{other}}}: add some"),
    };
    real.into_iter().chain(garbage).collect()
}

/// The route's path with each parameter replaced in turn: every combination of the first (real)
/// values, then each parameter alone set to each other value.
fn instances(route: &str, tokens: &BTreeMap<String, String>) -> (String, Vec<String>) {
    let mut parts: Vec<(bool, String)> = Vec::new();
    let mut rest = route;
    while let Some(open) = rest.find('{') {
        let close = open + rest[open..].find('}').unwrap();
        parts.push((false, rest[..open].to_owned()));
        parts.push((true, rest[open + 1..close].to_owned()));
        rest = &rest[close + 1..];
    }
    parts.push((false, rest.to_owned()));
    let prefix = route.split('{').next().unwrap();
    let choices: Vec<Vec<String>> = parts
        .iter()
        .map(|(param, s)| if *param { values(s, tokens, prefix) } else { vec![s.clone()] })
        .collect();
    let build = |pick: &dyn Fn(usize) -> usize| -> String {
        choices.iter().enumerate().map(|(i, c)| c[pick(i)].clone()).collect()
    };
    let real = build(&|_| 0);
    let mut others = Vec::new();
    for (i, c) in choices.iter().enumerate() {
        for j in 1..c.len() {
            others.push(build(&|k| if k == i { j } else { 0 }));
        }
    }
    (real, others)
}

/// Garbage bodies, with the content type each is sent as; `{csrf}` becomes the browser's token.
fn bodies(csrf: &str) -> Vec<(&'static str, Option<&'static str>, Vec<u8>)> {
    let form = Some("application/x-www-form-urlencoded");
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let random: Vec<u8> = (0..2_000)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as u8
        })
        .collect();
    let fields = "email=%FF%FEwalker%40example.org&name=%00&count=-99999999999999999999&id=abc&lang=%00\
        &status=won&display=full&country=ZZ&page=-1&website=javascript:x&demands=&title=%EF%BF%BE\
        &password=x&password_again=y&role=king&decision=maybe&mode=loud&kind=other&next=%0A//evil.example";
    // The organiser's own address and password: the login form lets them in, to a garbage `next`.
    let plausible = "email=walker-organiser%40example.org&name=Walker&country=HK&display=full&comment=Hi&city=X\
        &organisation=Walkers&org_type=ngo&individuals=3&source=paper&statement=Yes&title=T&summary=S\
        &target=T&body=B&demands=D&lang=en&slug=walked&role=editor&password=a+long+enough+password\
        &password_again=a+long+enough+password&website=https%3A%2F%2Fwalker.example&updates=on&next=%2Forganise%0D%0A%09x\
        &text=A+comment&homepage=https%3A%2F%2Fwalker.example&affiliation=Walkers&parent=1&opt_in=on\
        &link=https%3A%2F%2Fwalker.example%2Fr&instance=mastodon.example&contact_name=W&contact_email=w%40walker.example\
        &opens_on=2020-01-01&closes_on=2099-01-01&dated=2020-01-01&default_lang=en&reason=spam&responded_on=2021-01-01\
        &email_domain=walker.example&emails=walker%40example.org&from=2020-01-01&to=2099-01-01&until=2099-01-01\
        &ip=1&kind=organisation&remove=1&signature=1&version=en&mode=open&decision=approve&after=1&admin=on";
    vec![
        ("random bytes", form, random.clone()),
        ("a huge field", form, format!("csrf={csrf}&name={}&body={}", "x".repeat(40_000), "y".repeat(20_000)).into_bytes()),
        ("over the body limit", form, format!("csrf={csrf}&name={}", "x".repeat(70_000)).into_bytes()),
        ("invalid UTF-8", form, [format!("csrf={csrf}&email=").as_bytes(), b"\xff\xfe\xc3\x28&name=\xed\xa0\x80"].concat()),
        ("garbage fields", form, format!("csrf={csrf}&{fields}&{fields}").into_bytes()),
        ("JSON", Some("application/json"), format!("{{\"csrf\":\"{csrf}\",\"name\":[1,2]}}").into_bytes()),
        (
            "broken multipart",
            Some("multipart/form-data; boundary=X"),
            [format!("--X\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--X\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n").as_bytes(), b"\xff\xfe,\"\r\n--X"].concat(),
        ),
        ("multipart without boundary", Some("multipart/form-data"), random),
        ("no body", None, Vec::new()),
        ("NUL in every field", form, format!("csrf={csrf}&{}", plausible.replace('&', "%00&")).into_bytes()),
        ("a plausible form", form, format!("csrf={csrf}&{plausible}").into_bytes()),
    ]
}

struct Walker {
    browser: Browser,
    who: &'static str,
    csrf: String,
    failures: Vec<String>,
    requests: usize,
    /// How many answers of each status, and the slowest requests, for the test's output.
    statuses: BTreeMap<u16, usize>,
    slowest: Vec<(Duration, String)>,
}

impl Walker {
    async fn new(browser: Browser, who: &'static str, with_cookie: bool) -> Self {
        let csrf = if with_cookie { browser.get("/login").await.csrf() } else { "no-cookie".to_owned() };
        Self {
            browser,
            who,
            csrf,
            failures: Vec::new(),
            requests: 0,
            statuses: BTreeMap::new(),
            slowest: Vec::new(),
        }
    }

    async fn send(
        &mut self,
        method: &str,
        path: &str,
        name: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) {
        self.requests += 1;
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let url = format!("{}{path}", self.browser.base);
        let mut request = self.browser.client.request(method.clone(), &url).timeout(Duration::from_secs(60));
        if let Some(ct) = content_type {
            request = request.header("content-type", ct);
        }
        let short = &path[..path.len().min(100)];
        let started = std::time::Instant::now();
        let sent = request.body(body).send().await;
        if let Ok(response) = &sent {
            *self.statuses.entry(response.status().as_u16()).or_default() += 1;
        }
        self.slowest.push((started.elapsed(), format!("{method} {short} ({name})")));
        self.slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
        self.slowest.truncate(5);
        match sent {
            Ok(response) if response.status().is_server_error() => {
                let status = response.status();
                let text = response.text().await.unwrap_or_default();
                let title = text.split("<h1>").nth(1).and_then(|t| t.split('<').next()).unwrap_or("");
                self.failures.push(format!("{} {method} {short} ({name}): {status} {title}", self.who));
            }
            Ok(response) => {
                // Read the whole answer: a panic in a streamed body shows here.
                if let Err(e) = response.bytes().await {
                    self.failures
                        .push(format!("{} {method} {short} ({name}): the body broke off: {e}", self.who));
                }
            }
            Err(e) => self.failures.push(format!("{} {method} {short} ({name}): no answer: {e}", self.who)),
        }
    }

    /// On the real path: every body by POST, a garbage query and two bodies by GET and HEAD, one
    /// body by the other methods (which no route has: they meet the router's 405). On each
    /// garbage path: GET, and POST with garbage fields.
    async fn walk(&mut self, real: &str, others: &[String]) {
        let bodies = bodies(&self.csrf.clone());
        let query = format!("{real}?lang=%FF&page=-1&next=%0A&q=%00");
        for method in METHODS {
            let count = match method {
                "POST" => bodies.len(),
                "GET" | "HEAD" => 2,
                _ => 1,
            };
            for (name, content_type, body) in bodies.iter().rev().take(count) {
                self.send(method, real, name, *content_type, body.clone()).await;
            }
            if matches!(method, "GET" | "POST") {
                self.send(method, &query, "garbage query", None, Vec::new()).await;
            }
        }
        let (name, content_type, garbage) = &bodies[4];
        for path in others {
            self.send("GET", path, "garbage path", None, Vec::new()).await;
            self.send("POST", path, name, *content_type, garbage.clone()).await;
        }
    }

    /// Walks every route in order, then a few paths no route has.
    async fn walk_all(mut self, routes: Vec<(String, Vec<String>)>) -> Self {
        for (real, others) in &routes {
            self.walk(real, others).await;
        }
        for path in ["//evil.example", "/%FF", "/c/", "/c/%00/sign", "/static/", "/organise/c/"] {
            self.send("GET", path, "unrouted", None, Vec::new()).await;
        }
        self
    }
}

/// Tokens from the mails the server sent, by the path they follow (`/s/confirm/`).
fn tokens(sink: &SmtpSink, base: &str) -> BTreeMap<String, String> {
    let mut tokens = BTreeMap::new();
    for mail in sink.all() {
        let text = mail.text();
        for (i, _) in text.match_indices(base) {
            let link = text[i + base.len()..].split_whitespace().next().unwrap_or_default();
            if let Some((prefix, token)) = link.rsplit_once('/') {
                tokens.entry(format!("{prefix}/")).or_insert_with(|| token.to_owned());
            }
        }
    }
    tokens
}

async fn log_in_admin(db: &TestDb, app: &TestApp) -> Browser {
    let password = "a long enough password";
    let store = db.store().await;
    let _ = undersigned::add_user(store.as_ref(), "walker-admin@example.org", None, true, password).await;
    let _ =
        undersigned::add_user(store.as_ref(), "walker-organiser@example.org", None, false, password).await;
    let admin = app.new_browser();
    let page = admin
        .submit("/login", "/login", &[("email", "walker-admin@example.org"), ("password", password)])
        .await;
    assert_eq!(page.status, 303, "the admin logs in");
    admin
}

async fn every_route_with_every_method_and_garbage_answers_without_a_server_error(db: &TestDb) {
    let sink = SmtpSink::start();
    let app = TestApp::spawn_with(db, Options { smtp_url: Some(sink.url()), ..Default::default() }).await;
    // Real tokens: a signature's confirm and withdraw links, and its manage link.
    let signer = app.new_browser();
    let signed = signer
        .submit(
            &format!("/c/{SLUG}"),
            &format!("/c/{SLUG}/sign"),
            &[("name", "Walker"), ("email", "walker@example.org"), ("country", "HK"), ("display", "full")],
        )
        .await;
    assert_eq!(signed.status, 303);
    sink.one_for("walker@example.org").await;
    signer
        .submit(
            &format!("/c/{SLUG}/manage"),
            &format!("/c/{SLUG}/manage"),
            &[("email", "walker@example.org")],
        )
        .await;
    sink.wait_for("walker@example.org", 2).await;
    let tokens = tokens(&sink, &app.base);

    let mut routes = routes();
    // Logging in (as the organiser, by the plausible form) and out last, so that each walker
    // walks every other route as who it is.
    routes.sort_by_key(|r| ["/login", "/logout"].iter().position(|last| r == last));
    routes.push("/no/such/page".to_owned());
    let instances: Vec<(String, Vec<String>)> = routes.iter().map(|r| instances(r, &tokens)).collect();
    let walkers = [
        Walker::new(Browser::new(&app.base), "logged out, no cookie", false).await,
        Walker::new(app.new_browser(), "logged out", true).await,
        Walker::new(log_in_admin(db, &app).await, "admin", true).await,
    ];
    // The three walk at once, as three visitors would.
    let walking: Vec<_> = walkers.into_iter().map(|w| tokio::spawn(w.walk_all(instances.clone()))).collect();
    let mut walkers = Vec::new();
    for walk in walking {
        walkers.push(walk.await.expect("a walker finishes"));
    }
    let failures: Vec<&String> = walkers.iter().flat_map(|w| &w.failures).collect();
    let requests: usize = walkers.iter().map(|w| w.requests).sum();
    eprintln!("{} routes walked in {requests} requests", routes.len());
    for walker in &walkers {
        eprintln!("{}: {:?}\n  slowest: {:?}", walker.who, walker.statuses, walker.slowest);
    }
    assert!(
        failures.is_empty(),
        "{} of {requests} requests failed:\n{}",
        failures.len(),
        failures.iter().map(|f| f.as_str()).collect::<Vec<_>>().join("\n")
    );
    let health = app.get("/healthz").await;
    assert_eq!(health.status, 200, "{}", health.body);
    app.stop().await;
}

on_both_backends!(every_route_with_every_method_and_garbage_answers_without_a_server_error);
