//! Starts the real server on port 0 against a test database, and talks to it over HTTP.

pub mod load;
pub mod openapi;
pub mod process;

use std::time::Duration;

use reqwest::header::HeaderMap;
use tokio::sync::oneshot;
use undersigned::Server;
use undersigned::config::{Config, Options};
use undersigned_core::Slug;
use undersigned_core::account::Role;
use undersigned_store_tests::{TEST_DATA_KEY, TestDb};

/// A browser: its own cookies, talking to the site at `base`.
#[derive(Clone)]
pub struct Browser {
    pub base: String,
    pub client: reqwest::Client,
}

pub struct TestApp {
    pub browser: Browser,
    /// Where the server listens (its base URL may name another host, such as an https one).
    pub addr: std::net::SocketAddr,
    /// Where `--metrics-listen` listens, when it is given.
    pub metrics_addr: Option<std::net::SocketAddr>,
    pub data_dir: tempfile::TempDir,
    stop: Option<oneshot::Sender<()>>,
    done: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

pub struct Page {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: String,
}

/// The password every test account has.
pub const PASSWORD: &str = "a long enough password";

/// A new account (`admin` or not), with `role` on the demo campaign if given: its id.
pub async fn account(db: &TestDb, email: &str, role: Option<Role>, admin: bool) -> i64 {
    let store = db.store().await;
    let (_, id) = undersigned::add_user(store.as_ref(), email, None, admin, PASSWORD).await.unwrap();
    if let Some(role) = role {
        let campaign =
            store.campaign_by_slug(&Slug::parse("s", "release-cai-guangye").unwrap()).await.unwrap().unwrap();
        store.set_role(campaign.id, id, Some(role)).await.unwrap();
    }
    id
}

/// A browser logged in with the account's password (of an account without a second factor).
pub async fn password_login(app: &TestApp, email: &str) -> Browser {
    let browser = app.new_browser();
    let fields = [("email", email), ("password", PASSWORD), ("next", "/organise")];
    let page = browser.submit("/login", "/login", &fields).await;
    assert_eq!(page.status, 303, "{email} logs in");
    browser
}

impl TestApp {
    /// The server with the demo campaign loaded, as `cargo run` starts it.
    pub async fn spawn(db: &TestDb) -> Self {
        Self::spawn_with(db, Options::default()).await
    }

    pub async fn spawn_with(db: &TestDb, options: Options) -> Self {
        // The server's log, shown for failing tests (RUST_LOG to choose the level).
        let _ = tracing_subscriber::fmt()
            .with_test_writer()
            .with_env_filter(
                tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
            )
            .try_init();
        let data_dir = tempfile::tempdir().unwrap();
        let options = Options {
            // Tests read pages right after changing them; the cache has a test of its own.
            page_cache_ms: options.page_cache_ms.or(Some(0)),
            listen: options.listen.or(Some("127.0.0.1:0".parse().unwrap())),
            database: Some(db.url.clone()),
            data_dir: Some(data_dir.path().to_owned()),
            // The tests' own stores open the database with the same key.
            data_key: options.data_key.or_else(|| Some(TEST_DATA_KEY.to_owned())),
            ..options
        };
        let config = Config::resolve(options, None).unwrap();
        let server = Server::start(config).await.expect("the server starts");
        let base = server.base_url.clone();
        let (addr, metrics_addr) = (server.addr, server.metrics_addr);
        let (stop, stopped) = oneshot::channel::<()>();
        let done = tokio::spawn(server.run_until_shutdown(async {
            let _ = stopped.await;
        }));
        Self {
            browser: Browser::new(&base),
            addr,
            metrics_addr,
            data_dir,
            stop: Some(stop),
            done: Some(done),
        }
    }

    /// The server with the demo campaign, sending its mail to a test SMTP server.
    pub async fn with_mail(db: &TestDb) -> (Self, undersigned_smtp_sink::SmtpSink) {
        let sink = undersigned_smtp_sink::SmtpSink::start();
        let app = Self::spawn_with(db, Options { smtp_url: Some(sink.url()), ..Default::default() }).await;
        (app, sink)
    }

    /// Another browser, with cookies of its own.
    pub fn new_browser(&self) -> Browser {
        Browser::new(&self.base)
    }

    /// A browser logged in as a new organiser of the demo campaign, with `role`.
    pub async fn organiser(&self, db: &TestDb, email: &str, role: Role) -> Browser {
        const PASSWORD: &str = "a long enough password";
        let store = db.store().await;
        let (_, id) = undersigned::add_user(store.as_ref(), email, None, false, PASSWORD).await.unwrap();
        let demo = Slug::parse("slug", "release-cai-guangye").unwrap();
        let campaign = store.campaign_by_slug(&demo).await.unwrap().expect("the demo campaign");
        store.set_role(campaign.id, id, Some(role)).await.unwrap();
        let browser = self.new_browser();
        browser.submit("/login", "/login", &[("email", email), ("password", PASSWORD)]).await;
        browser
    }

    /// The mails written so far (no `--smtp-url`), by name: the time each was queued, then its id.
    pub fn mail_files(&self) -> Vec<std::path::PathBuf> {
        mail_files(&self.data_dir.path().join("mail"))
    }

    /// Stops the server gracefully and waits for it.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(done) = self.done.take() {
            done.await.unwrap().unwrap();
        }
    }
}

impl Browser {
    pub fn new(base: &str) -> Self {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            // A connection left idle is closed by the server after its header read timeout (10 s
            // by default): taken again at that very moment, the request meets a closed socket
            // (hyper's IncompleteMessage; a story waiting for a fresh TOTP step did). Browsers
            // retry then; this client lets idle connections go well before the server does.
            .pool_idle_timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        Self { base: base.to_owned(), client }
    }

    pub async fn get(&self, path: &str) -> Page {
        self.get_with(path, &[]).await
    }

    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Page {
        let mut request = self.client.get(format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Page::from(request.send().await.expect("a response")).await
    }

    /// Fetches `page`, then submits its form that posts to `action` with `fields` and the page's
    /// CSRF token, as a browser would.
    pub async fn submit(&self, page: &str, action: &str, fields: &[(&str, &str)]) -> Page {
        let form_page = self.get(page).await;
        let csrf = form_page.csrf();
        self.post(action, &[fields, &[("csrf", csrf.as_str())]].concat()).await
    }

    pub async fn post(&self, action: &str, fields: &[(&str, &str)]) -> Page {
        self.post_with(action, fields, &[]).await
    }

    /// Posts a form with the request headers a browser adds (`Origin`, `Sec-Fetch-Site`).
    pub async fn post_with(&self, action: &str, fields: &[(&str, &str)], headers: &[(&str, &str)]) -> Page {
        let mut request = self.client.post(format!("{}{action}", self.base)).form(fields);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Page::from(request.send().await.expect("a response")).await
    }

    /// A path of the site from a full address in a mail.
    pub fn path_of(&self, url: &str) -> String {
        url.strip_prefix(&self.base).unwrap_or_else(|| panic!("{url} is not on {}", self.base)).to_owned()
    }
}

impl std::ops::Deref for TestApp {
    type Target = Browser;

    fn deref(&self) -> &Browser {
        &self.browser
    }
}

impl Page {
    pub async fn from(response: reqwest::Response) -> Self {
        Self {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            body: response.text().await.unwrap(),
        }
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    /// The text of the first element `<tag ...>text</tag>` (tags inside removed).
    pub fn first(&self, tag: &str) -> String {
        let start =
            self.body.find(&format!("<{tag}")).unwrap_or_else(|| panic!("no <{tag}> in:\n{}", self.body));
        let open_end = start + self.body[start..].find('>').unwrap() + 1;
        let name = tag.split(' ').next().unwrap();
        let close = open_end + self.body[open_end..].find(&format!("</{name}>")).unwrap();
        strip_tags(&self.body[open_end..close])
    }

    /// The CSRF token in the page's forms.
    pub fn csrf(&self) -> String {
        let marker = "name=\"csrf\" value=\"";
        let start = self.body.find(marker).unwrap_or_else(|| panic!("no CSRF token in:\n{}", self.body))
            + marker.len();
        self.body[start..start + self.body[start..].find('"').unwrap()].to_owned()
    }

    /// Where a redirect points.
    pub fn location(&self) -> &str {
        self.header("location")
    }

    /// The message shown next to a form field, if any.
    pub fn field_error(&self, field: &str) -> Option<String> {
        let marker = format!("id=\"f-{field}-error\">");
        let start = self.body.find(&marker)? + marker.len();
        Some(self.body[start..start + self.body[start..].find('<')?].to_owned())
    }

    /// The value of a hidden field of the page's form.
    pub fn hidden(&self, field: &str) -> Option<String> {
        let marker = format!("name=\"{field}\" value=\"");
        let start = self.body.find(&marker)? + marker.len();
        Some(self.body[start..start + self.body[start..].find('"')?].to_owned())
    }

    /// The value kept in a text input.
    pub fn input_value(&self, field: &str) -> Option<String> {
        let marker = format!("name=\"{field}\" type=\"");
        let start = self.body.find(&marker)?;
        let value = start + self.body[start..].find("value=\"")? + "value=\"".len();
        Some(self.body[value..value + self.body[value..].find('"')?].to_owned())
    }

    pub fn html_lang(&self) -> &str {
        let start = self.body.find("<html lang=\"").expect("<html lang>") + "<html lang=\"".len();
        let end = start + self.body[start..].find('"').unwrap();
        &self.body[start..end]
    }
}

/// The mails written to files in `dir`, by name. Only `*.eml`: each mail is written to a
/// `.writing-*` file first and linked to its name when whole, so for a moment it is there twice.
pub fn mail_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    files.sort();
    files
}

pub fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}
