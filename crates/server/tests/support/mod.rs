//! Starts the real server on port 0 against a test database, and talks to it over HTTP.

#![allow(dead_code)]

use reqwest::header::HeaderMap;
use tokio::sync::oneshot;
use undersigned::Server;
use undersigned::config::{Config, Options};
use undersigned_store_tests::TestDb;

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub data_dir: tempfile::TempDir,
    stop: Option<oneshot::Sender<()>>,
    done: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

pub struct Page {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: String,
}

impl TestApp {
    /// The server with the demo campaign loaded, as `cargo run` starts it.
    pub async fn spawn(db: &TestDb) -> Self {
        Self::spawn_with(db, Options::default()).await
    }

    pub async fn spawn_with(db: &TestDb, options: Options) -> Self {
        let data_dir = tempfile::tempdir().unwrap();
        let options = Options {
            listen: Some("127.0.0.1:0".parse().unwrap()),
            database: Some(db.url.clone()),
            data_dir: Some(data_dir.path().to_owned()),
            ..options
        };
        let config = Config::resolve(options, None).unwrap();
        let server = Server::start(config).await.expect("the server starts");
        let base = server.base_url.clone();
        let (stop, stopped) = oneshot::channel::<()>();
        let done = tokio::spawn(server.run_until_shutdown(async {
            let _ = stopped.await;
        }));
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Self { base, client, data_dir, stop: Some(stop), done: Some(done) }
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

    pub fn html_lang(&self) -> &str {
        let start = self.body.find("<html lang=\"").expect("<html lang>") + "<html lang=\"".len();
        let end = start + self.body[start..].find('"').unwrap();
        &self.body[start..end]
    }
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
