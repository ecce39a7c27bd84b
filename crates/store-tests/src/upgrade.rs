//! A database as older versions left it, with data in it: built with the oldest migrations (the
//! first three of the list: campaigns, signing, organisers) and rows in every table they made,
//! then taken on through three later points (before the counts' rebuild of 13, before the data
//! key of 23, before the private fields of 27), with rows written as each of those versions wrote
//! them (addresses, IP hashes and private fields in clear). [`check_rows`] then finds every row
//! again after the upgrade, each value as inserted or as its documented successor; the store's
//! reads are checked by the upgrade stories, here and in the server's tests.

use undersigned_core::keys::Keys;
use undersigned_core::{Slug, Store};
use undersigned_store::Upgrade;
use undersigned_store::migrate::{MIGRATIONS, Migration};

use crate::{Backend, TestDb};

/// The secret key the old rows' email keys were made with: give it to the server as
/// `--secret-key` (64 hex digits of 03) so that it finds them.
pub const OLD_SECRET: [u8; 32] = [3; 32];

/// 2020-05-04 08:00 UTC, in microseconds: when the old rows were written.
const T0: i64 = 1_588_579_200_000_000;
const SECOND: i64 = 1_000_000;
/// 2100-01-01: expiries that no upkeep reaches.
const FAR: i64 = 4_102_444_800_000_000;

/// A value as written in a row, rendered as each backend's SQL literal.
#[derive(Clone, Debug)]
pub enum V {
    Text(String),
    Int(i64),
    /// Microseconds since 1970, UTC.
    Time(i64),
    Bool(bool),
    Blob(Vec<u8>),
    /// YYYY-MM-DD.
    Date(&'static str),
    Null,
    /// A subquery that names a row's id (a foreign key).
    Id(String),
    /// A value that `undersigned data seal` seals (an address, an IP hash, a private field, an
    /// import's identifier): as inserted until then; after, read through the store only.
    Clear(Box<V>),
}

fn t(text: &str) -> V {
    V::Text(text.to_owned())
}

fn clear(text: &str) -> V {
    V::Clear(Box::new(t(text)))
}

fn at(seconds: i64) -> V {
    V::Time(T0 + seconds * SECOND)
}

fn campaign(slug: &str) -> V {
    V::Id(format!("SELECT id FROM campaigns WHERE slug = '{slug}'"))
}

fn user(email: &str) -> V {
    V::Id(format!("SELECT id FROM users WHERE email = '{email}'"))
}

impl V {
    fn sql(&self, backend: Backend) -> String {
        match (self, backend) {
            (V::Text(s), _) => format!("'{}'", s.replace('\'', "''")),
            (V::Int(n), _) => n.to_string(),
            (V::Time(us), Backend::Sqlite) => us.to_string(),
            (V::Time(us), Backend::Postgres) => {
                format!("(TIMESTAMPTZ '1970-01-01 00:00:00+00' + INTERVAL '1 microsecond' * {us})")
            }
            (V::Bool(b), Backend::Sqlite) => u8::from(*b).to_string(),
            (V::Bool(b), Backend::Postgres) => b.to_string().to_uppercase(),
            (V::Blob(bytes), Backend::Sqlite) => format!("X'{}'", hex::encode(bytes)),
            (V::Blob(bytes), Backend::Postgres) => format!("'\\x{}'::bytea", hex::encode(bytes)),
            (V::Date(d), Backend::Sqlite) => format!("'{d}'"),
            (V::Date(d), Backend::Postgres) => format!("DATE '{d}'"),
            (V::Null, _) => "NULL".to_owned(),
            (V::Id(query), _) => format!("({query})"),
            (V::Clear(v), _) => v.sql(backend),
        }
    }
}

/// A row as inserted, and the values some of its columns have after the upgrade instead (their
/// documented successors).
#[derive(Clone, Debug)]
pub struct Row {
    pub table: &'static str,
    pub values: Vec<(&'static str, V)>,
    pub after: Vec<(&'static str, V)>,
}

fn row(table: &'static str, values: Vec<(&'static str, V)>) -> Row {
    Row { table, values, after: Vec::new() }
}

impl Row {
    fn then(mut self, column: &'static str, value: V) -> Self {
        self.after.push((column, value));
        self
    }

    fn insert(&self, backend: Backend) -> String {
        let columns: Vec<&str> = self.values.iter().map(|(c, _)| *c).collect();
        let values: Vec<String> = self.values.iter().map(|(_, v)| v.sql(backend)).collect();
        format!("INSERT INTO {} ({}) VALUES ({});\n", self.table, columns.join(", "), values.join(", "))
    }

    /// A query counting the rows that hold every value expected (1: the row is there as it was).
    fn find(&self, backend: Backend, sealed: bool) -> String {
        let mut conditions = Vec::new();
        for (column, inserted) in &self.values {
            let value = self.after.iter().find(|(c, _)| c == column).map_or(inserted, |(_, v)| v);
            match value {
                V::Null => conditions.push(format!("{column} IS NULL")),
                // Sealed since: its value is read through the store (the stories check it there).
                V::Clear(_) if sealed => {}
                v => conditions.push(format!("{column} = {}", v.sql(backend))),
            }
        }
        format!("SELECT CAST(count(*) AS TEXT) FROM {} WHERE {}", self.table, conditions.join(" AND "))
    }
}

/// The signers of the old database: (campaign, address, name) as the rows hold them.
pub struct Signer {
    pub email: &'static str,
    pub name: &'static str,
    pub country: &'static str,
    pub city: Option<&'static str>,
    pub affiliation: Option<&'static str>,
    pub comment: Option<&'static str>,
    pub display: &'static str,
    pub opt_in: bool,
    pub lang: &'static str,
    pub confirmed: bool,
    /// Invalidated by a moderator (not counted, not exported).
    pub invalid: bool,
    pub ip_key: Option<[u8; 16]>,
    /// Written at (seconds after T0).
    pub at: i64,
}

/// Every signer, in the order written: A at the oldest migrations, B before 13, C before 23, D
/// before 27.
pub const SIGNERS: [Signer; 8] = [
    signer("ada@old.example", "Ada Chan", "GB", "full", "en", 20)
        .city("London")
        .aff("Old Union")
        .says("Free them")
        .ip(0x11),
    signer("bo@old.example", "Bo Wong", "HK", "first-initial", "zh-Hant", 30).city("Kowloon").no_news(),
    // A language the campaign has no version in: 13 counts it under the default version.
    signer("cy@old.example", "Cy Lin", "TW", "hidden", "fr", 40),
    signer("dee@old.example", "Dee Pending", "GB", "full", "en", 50).pending().no_news().ip(0x44),
    signer("eve@spam.example", "Eve Spam", "HK", "full", "en", 120).invalid(),
    signer("fay@old.example", "Fay Ho", "HK", "full", "zh-Hant", 130),
    signer("gus@new.example", "Gus Yip", "GB", "first-initial", "en", 300)
        .city("Leeds")
        .says("After the day keys")
        .ip(0x77),
    signer("hal@new.example", "Hal Tse", "TW", "hidden", "zh-Hant", 400)
        .city("Taipei")
        .aff("Library")
        .says("Before sealing")
        .no_news(),
];

const fn signer(
    email: &'static str,
    name: &'static str,
    country: &'static str,
    display: &'static str,
    lang: &'static str,
    at: i64,
) -> Signer {
    Signer {
        email,
        name,
        country,
        city: None,
        affiliation: None,
        comment: None,
        display,
        opt_in: true,
        lang,
        confirmed: true,
        invalid: false,
        ip_key: None,
        at,
    }
}

impl Signer {
    const fn city(mut self, city: &'static str) -> Self {
        self.city = Some(city);
        self
    }
    const fn aff(mut self, affiliation: &'static str) -> Self {
        self.affiliation = Some(affiliation);
        self
    }
    const fn says(mut self, comment: &'static str) -> Self {
        self.comment = Some(comment);
        self
    }
    const fn ip(mut self, byte: u8) -> Self {
        self.ip_key = Some([byte; 16]);
        self
    }
    const fn no_news(mut self) -> Self {
        self.opt_in = false;
        self
    }
    const fn pending(mut self) -> Self {
        self.confirmed = false;
        self
    }
    const fn invalid(mut self) -> Self {
        self.invalid = true;
        self
    }

    /// Its email key, as the old versions made it (campaign 1, the address as written).
    pub fn email_key(&self) -> Vec<u8> {
        Keys::new(OLD_SECRET).email_key(1, self.email).to_vec()
    }

    /// The version it signed, as 13 records it: its language where the campaign has it, else the
    /// campaign's default.
    pub fn version_lang(&self) -> &'static str {
        if self.lang == "fr" { "en" } else { self.lang }
    }

    pub fn counted(&self) -> bool {
        self.confirmed && !self.invalid
    }

    fn row(&self, stage: Stage) -> Row {
        let opt = |v: Option<&str>| v.map_or(V::Null, clear);
        let mut values = vec![
            ("campaign_id", campaign(OPEN)),
            ("email_key", V::Blob(self.email_key())),
            ("email", clear(self.email)),
            // A name not shown in full is a private field: sealed, the column keeps its public form.
            ("name", if self.display == "full" { t(self.name) } else { clear(self.name) }),
            ("country", t(self.country)),
            ("city", opt(self.city)),
            ("affiliation", opt(self.affiliation)),
            ("comment", opt(self.comment)),
            ("display", t(self.display)),
            ("opt_in", V::Bool(self.opt_in)),
            ("lang", t(self.lang)),
            ("status", t(if self.confirmed { "confirmed" } else { "pending" })),
            ("ip_key", self.ip_key.map_or(V::Null, |k| V::Clear(Box::new(V::Blob(k.to_vec()))))),
            ("mails_sent", V::Int(1)),
            ("mail_window_start", at(self.at)),
            ("created_at", at(self.at)),
            ("confirmed_at", if self.confirmed { at(self.at + 1) } else { V::Null }),
        ];
        if self.invalid {
            values.push((
                "invalidation_id",
                V::Id(format!("SELECT id FROM invalidations WHERE conditions = '{INVALIDATED}'")),
            ));
        }
        if stage >= Stage::BeforeDataKey {
            values.push(("version_lang", t(self.version_lang())));
        }
        let mut row = row("signatures", values);
        if stage < Stage::BeforeDataKey {
            // 13 records the version signed; 18 forgets the IP hashes made before it.
            row = row.then("version_lang", t(self.version_lang()));
            if self.ip_key.is_some() {
                row = row.then("ip_key", V::Null);
            }
        }
        row
    }
}

/// The open campaign's slug, and the draft's.
pub const OPEN: &str = "old-appeal";
pub const DRAFT: &str = "old-draft";
const INVALIDATED: &str = "domain:spam.example";

/// The points the old database is taken through, each a prefix of the migrations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// The first three migrations: campaigns, signing, organisers.
    Oldest,
    /// Up to 11, the counts (before 13 rebuilds them by version signed).
    BeforeLife,
    /// Up to 22, before the data key (23).
    BeforeDataKey,
    /// Up to 24, before the private fields (27).
    BeforePrivateFields,
}

impl Stage {
    /// The last migration of the stage.
    fn last(self) -> i64 {
        match self {
            Stage::Oldest => 3,
            Stage::BeforeLife => 11,
            Stage::BeforeDataKey => 22,
            Stage::BeforePrivateFields => 24,
        }
    }

    /// The migrations an older version had applied, in the list's order.
    pub fn migrations(self) -> &'static [Migration] {
        let end = MIGRATIONS.iter().position(|m| m.version == self.last()).expect("the stage's migration");
        &MIGRATIONS[..=end]
    }

    /// The rows an older version wrote at this stage.
    pub fn rows(self) -> Vec<Row> {
        match self {
            Stage::Oldest => oldest_rows(),
            Stage::BeforeLife => rows_before_life(),
            Stage::BeforeDataKey => rows_before_data_key(),
            Stage::BeforePrivateFields => rows_before_private_fields(),
        }
    }

    const ALL: [Stage; 4] =
        [Stage::Oldest, Stage::BeforeLife, Stage::BeforeDataKey, Stage::BeforePrivateFields];
}

fn signers_of(stage: Stage) -> Vec<Row> {
    let range = match stage {
        Stage::Oldest => 0..4,
        Stage::BeforeLife => 4..6,
        Stage::BeforeDataKey => 6..7,
        Stage::BeforePrivateFields => 7..8,
    };
    SIGNERS[range].iter().map(|s| s.row(stage)).collect()
}

fn oldest_rows() -> Vec<Row> {
    let mut rows = vec![
        row(
            "campaigns",
            vec![
                ("slug", t(OPEN)),
                ("status", t("open")),
                ("opens_at", at(0)),
                ("closes_at", V::Null),
                ("dated", V::Date("2020-05-04")),
                ("contact_name", t("Friends of the Appeal")),
                ("contact_email", t("appeal@old.example")),
                ("signature_goal", V::Int(500)),
                ("default_lang", t("en")),
                ("created_at", at(0)),
                ("updated_at", at(1)),
            ],
        ),
        row(
            "campaigns",
            vec![
                ("slug", t(DRAFT)),
                ("status", t("draft")),
                ("opens_at", V::Null),
                ("closes_at", V::Null),
                ("dated", V::Null),
                ("contact_name", t("Drafters")),
                ("contact_email", V::Null),
                ("signature_goal", V::Null),
                ("default_lang", t("zh-Hant")),
                ("created_at", at(2)),
                ("updated_at", at(2)),
            ],
        ),
    ];
    for (slug, lang, title, summary, target, body) in VERSIONS {
        rows.push(row(
            "campaign_versions",
            vec![
                ("campaign_id", campaign(slug)),
                ("lang", t(lang)),
                ("title", t(title)),
                ("summary", t(summary)),
                ("target", t(target)),
                ("body", t(body)),
            ],
        ));
    }
    // `demands` is gone since 40: each is checked in its successors (`check_rows`).
    for (slug, lang, position, text) in DEMANDS {
        rows.push(row(
            "demands",
            vec![
                ("campaign_id", campaign(slug)),
                ("lang", t(lang)),
                ("position", V::Int(position)),
                ("text", t(text)),
            ],
        ));
    }
    let endorsement = |name: Option<&str>, kind: &str, offline: bool, status: &str, secs: i64| {
        vec![
            ("campaign_id", campaign(OPEN)),
            ("kind", t(kind)),
            ("name", name.map_or(V::Null, t)),
            ("offline", V::Bool(offline)),
            ("status", t(status)),
            ("created_at", at(secs)),
        ]
    };
    let mut union = endorsement(Some("Old Union"), "organisation", true, "approved", 10);
    union.extend([
        ("org_type", t("trade-union")),
        ("website", t("https://union.example")),
        ("country", t("GB")),
        ("statement", t("We stand with them")),
        ("source_note", t("by letter, May 2020")),
    ]);
    rows.push(row("endorsements", union));
    let mut individuals = endorsement(None, "individuals", true, "approved", 11);
    individuals.extend([
        ("individuals", V::Int(15)),
        ("country", t("HK")),
        ("source_note", t("paper forms")),
        ("from_file", V::Bool(true)),
    ]);
    rows.push(row("endorsements", individuals));
    let mut online = endorsement(Some("Web Collective"), "organisation", false, "pending", 12);
    online.extend([
        ("org_type", t("ngo")),
        ("country", t("TW")),
        ("statement", t("Count us in")),
        ("contact_name", clear("Sam Lee")),
        ("contact_email", clear("sam@collective.example")),
        ("email_key", V::Blob(Keys::new(OLD_SECRET).email_key(1, "sam@collective.example").to_vec())),
        ("lang", t("en")),
        ("ip_key", V::Blob(vec![0x42; 16])),
        ("verified_at", at(13)),
    ]);
    rows.push(row("endorsements", online).then("ip_key", V::Null));
    rows.extend(signers_of(Stage::Oldest));
    rows.push(row(
        "outbox",
        vec![
            ("kind", t("confirm-signature")),
            ("ref_id", V::Id("SELECT id FROM signatures WHERE name = 'Dee Pending'".into())),
            ("attempts", V::Int(10)),
            ("next_attempt_at", at(60)),
            ("locked_until", V::Null),
            ("last_error", t("550 5.1.1 mailbox unavailable")),
            ("failed", V::Bool(true)),
            ("created_at", at(50)),
        ],
    ));
    rows.extend([
        row(
            "users",
            vec![
                ("email", t("admin@old.example")),
                ("name", t("Old Admin")),
                ("password_hash", t("$argon2id$v=19$m=19456,t=2,p=1$b2xkc2FsdA$b2xkaGFzaG9sZGhhc2g")),
                ("is_admin", V::Bool(true)),
                ("created_at", at(0)),
            ],
        ),
        row(
            "users",
            vec![
                ("email", t("owner@old.example")),
                ("name", t("Olive Owner")),
                ("password_hash", V::Null),
                ("is_admin", V::Bool(false)),
                ("created_at", at(1)),
            ],
        ),
        row(
            "sessions",
            vec![
                ("token_hash", V::Blob(vec![0x5a; 32])),
                ("user_id", user("admin@old.example")),
                ("created_at", at(2)),
                ("expires_at", V::Time(FAR)),
            ],
        ),
        row(
            "campaign_roles",
            vec![
                ("campaign_id", campaign(OPEN)),
                ("user_id", user("owner@old.example")),
                ("role", t("owner")),
            ],
        ),
        row(
            "campaign_roles",
            vec![
                ("campaign_id", campaign(DRAFT)),
                ("user_id", user("owner@old.example")),
                ("role", t("editor")),
            ],
        ),
        row(
            "audit_log",
            vec![
                ("at", at(3)),
                ("actor", t("admin@old.example")),
                ("campaign_id", campaign(OPEN)),
                ("action", t("campaign.publish")),
                ("subject", t(OPEN)),
                ("detail", t("")),
            ],
        ),
    ]);
    rows
}

pub const VERSIONS: [(&str, &str, &str, &str, &str, &str); 3] = [
    (
        OPEN,
        "en",
        "Release the old appeal",
        "An appeal from before",
        "The Minister",
        "The **body** of the appeal.",
    ),
    (OPEN, "zh-Hant", "釋放舊呼籲", "舊日的呼籲", "部長", "呼籲的正文。"),
    (DRAFT, "zh-Hant", "草稿", "一份草稿", "議會", "草稿正文。"),
];

pub const DEMANDS: [(&str, &str, i64, &str); 5] = [
    (OPEN, "en", 1, "Release them"),
    (OPEN, "en", 2, "Drop the charges"),
    (OPEN, "zh-Hant", 1, "釋放他們"),
    (OPEN, "zh-Hant", 2, "撤銷控罪"),
    (DRAFT, "zh-Hant", 1, "一個要求"),
];

fn rows_before_life() -> Vec<Row> {
    let mut rows = vec![
        row(
            "campaign_revisions",
            vec![
                ("campaign_id", campaign(OPEN)),
                ("lang", t("en")),
                ("title", t("The first title")),
                ("summary", t("The first summary")),
                ("target", t("The Minister")),
                ("body", t("The first body.")),
                ("demands", t("Release them\nDrop the charges")),
                ("replaced_at", at(100)),
            ],
        ),
        row(
            "invalidations",
            vec![
                ("campaign_id", campaign(OPEN)),
                ("conditions", t(INVALIDATED)),
                ("signatures", V::Int(1)),
                ("actor", t("owner@old.example")),
                ("created_at", at(110)),
                ("restored_at", V::Null),
            ],
        ),
    ];
    rows.extend(signers_of(Stage::BeforeLife));
    let update = || V::Id("SELECT id FROM updates WHERE author = 'owner@old.example'".into());
    let commenter = V::Blob(Keys::new(OLD_SECRET).email_key(0, "kim@old.example").to_vec());
    let kim = || V::Id("SELECT id FROM commenters WHERE created_at IS NOT NULL".into());
    let comment =
        |body: &str, parent: V, commenter: V, organiser: bool, name: &str, status: &str, secs: i64| {
            row(
                "comments",
                vec![
                    ("campaign_id", campaign(OPEN)),
                    ("parent_id", parent),
                    ("commenter_id", commenter),
                    ("organiser", V::Bool(organiser)),
                    ("name", t(name)),
                    ("website", V::Null),
                    ("body", t(body)),
                    ("status", t(status)),
                    ("reports", V::Int(0)),
                    ("created_at", at(secs)),
                ],
            )
        };
    rows.extend([
        row(
            "updates",
            vec![
                ("campaign_id", campaign(OPEN)),
                ("author", t("owner@old.example")),
                ("published_at", at(140)),
            ],
        ),
        row(
            "update_texts",
            vec![
                ("update_id", update()),
                ("lang", t("en")),
                ("title", t("News")),
                ("body", t("Something happened.")),
            ],
        ),
        row(
            "update_texts",
            vec![
                ("update_id", update()),
                ("lang", t("zh-Hant")),
                ("title", t("消息")),
                ("body", t("發生了一些事。")),
            ],
        ),
        row(
            "campaign_responses",
            vec![
                ("campaign_id", campaign(OPEN)),
                ("text", t("We will consider it.")),
                ("responded_on", V::Date("2020-06-01")),
                ("link", t("https://gov.example/answer")),
                ("recorded_at", at(150)),
            ],
        ),
        row(
            "commenters",
            vec![
                ("email_key", commenter),
                ("email", clear("kim@old.example")),
                ("verified_at", at(160)),
                ("created_at", at(159)),
            ],
        ),
        comment("Signed and shared", V::Null, kim(), false, "Kim", "visible", 161),
        comment(
            "Thank you",
            V::Id("SELECT id FROM comments WHERE body = 'Signed and shared'".into()),
            V::Null,
            true,
            "Friends of the Appeal",
            "visible",
            162,
        ),
        comment("A held one", V::Null, kim(), false, "Kim", "held", 163),
    ]);
    rows
}

fn rows_before_data_key() -> Vec<Row> {
    let mut rows = signers_of(Stage::BeforeDataKey);
    rows.extend([
        row(
            "users",
            vec![
                ("email", t("gone@old.example")),
                ("name", t("Gone Away")),
                ("password_hash", V::Null),
                ("is_admin", V::Bool(false)),
                ("created_at", at(200)),
                ("disabled_at", at(201)),
            ],
        ),
        row(
            "api_tokens",
            vec![
                ("user_id", user("owner@old.example")),
                ("campaign_id", campaign(OPEN)),
                ("name", t("Old CRM")),
                ("scopes", t("pii:read")),
                ("token_hash", V::Blob(vec![0xa1; 32])),
                ("prefix", t("us_old")),
                ("created_at", at(210)),
                ("expires_at", V::Time(FAR)),
                ("last_used_at", V::Null),
                ("revoked_at", V::Null),
            ],
        ),
        row(
            "webhook_endpoints",
            vec![
                ("campaign_id", campaign(OPEN)),
                ("url", t("https://hooks.example/old")),
                ("events", V::Int(3)),
                ("personal_data", V::Bool(false)),
                ("state", t("paused")),
                ("secret", V::Blob(vec![0xb1; 32])),
                ("created_at", at(220)),
            ],
        ),
        row(
            "imported_identifiers",
            vec![
                ("campaign_id", campaign(OPEN)),
                ("identifier", clear("crm:old-1")),
                ("endorsement_id", V::Id("SELECT id FROM endorsements WHERE name = 'Old Union'".into())),
            ],
        ),
    ]);
    rows
}

fn rows_before_private_fields() -> Vec<Row> {
    let mut rows = signers_of(Stage::BeforePrivateFields);
    rows.push(row(
        "block_list",
        vec![("scope", V::Int(0)), ("kind", t("domain")), ("value", t("spam.example"))],
    ));
    rows
}

/// Builds the old database: each stage's migrations, then its rows. Migration 18 loses data (the
/// IP hashes): the old versions ran it as if backed up.
pub async fn build_old(db: &TestDb, until: Stage) {
    for stage in Stage::ALL.into_iter().filter(|s| *s <= until) {
        undersigned_store::migrate(&db.url, stage.migrations(), Upgrade { backed_up: true })
            .await
            .unwrap_or_else(|e| panic!("migrating to {stage:?}: {e}"));
        let sql: String = stage.rows().iter().map(|r| r.insert(db.backend())).collect();
        db.raw(&sql).await;
    }
}

/// Every row the old versions wrote, found again with its values (or their successors);
/// `sealed`: after `undersigned data seal`, when the values in clear are read through the store
/// only. Panics naming the first row missing.
pub async fn check_rows(db: &TestDb, sealed: bool) {
    let rows: Vec<Row> = Stage::ALL.iter().flat_map(|s| s.rows()).collect();
    let mut per_table: Vec<(&str, usize)> = Vec::new();
    for row in rows.iter().filter(|r| r.table != "demands") {
        let sql = row.find(db.backend(), sealed);
        let found = db.raw_texts(&sql).await;
        assert_eq!(found, ["1"], "a row of {} is not there as it was: {sql}", row.table);
        match per_table.iter_mut().find(|(t, _)| *t == row.table) {
            Some((_, n)) => *n += 1,
            None => per_table.push((row.table, 1)),
        }
    }
    // No row more than was written (the server may add to others, not to these).
    for (table, n) in per_table {
        let count = db.raw_texts(&format!("SELECT CAST(count(*) AS TEXT) FROM {table}")).await;
        assert_eq!(count, [n.to_string()], "rows in {table}");
    }
    // The demands, as 40 made them: one per position, its texts from each language.
    for (slug, lang, position, text) in DEMANDS {
        let c = campaign(slug).sql(db.backend());
        let text = t(text).sql(db.backend());
        let sql = format!(
            "SELECT CAST(count(*) AS TEXT) FROM demand_texts d JOIN campaign_demands k
               ON k.campaign_id = d.campaign_id AND k.demand_key = d.demand_key
             WHERE d.campaign_id = {c} AND d.demand_key = {position} AND k.position = {position}
               AND d.lang = '{lang}' AND d.text = {text} AND k.met_on IS NULL"
        );
        assert_eq!(db.raw_texts(&sql).await, ["1"], "demand {position} of {slug} in {lang}");
    }
    assert_eq!(
        db.raw_texts("SELECT CAST(count(*) AS TEXT) FROM demand_texts").await,
        [DEMANDS.len().to_string()]
    );
    assert_eq!(db.raw_texts("SELECT CAST(count(*) AS TEXT) FROM campaign_demands").await, ["3"]);
}

/// The counts of the open campaign, counted again from its signatures' rows: (all, by version
/// signed, by country), each sorted.
pub async fn recount(db: &TestDb) -> (i64, Vec<(String, i64)>, Vec<(String, i64)>) {
    let valid = format!(
        "FROM signatures WHERE campaign_id = (SELECT id FROM campaigns WHERE slug = '{OPEN}')
           AND status = 'confirmed' AND invalidation_id IS NULL"
    );
    let all = db.raw_texts(&format!("SELECT CAST(count(*) AS TEXT) {valid}")).await[0].parse().unwrap();
    let mut by = Vec::new();
    for column in ["version_lang", "country"] {
        let rows = db
            .raw_texts(&format!(
                "SELECT {column} || ' ' || CAST(count(*) AS TEXT) {valid} GROUP BY {column} ORDER BY {column}"
            ))
            .await;
        by.push(
            rows.iter()
                .map(|r| {
                    let (k, n) = r.rsplit_once(' ').unwrap();
                    (k.to_owned(), n.parse().unwrap())
                })
                .collect::<Vec<_>>(),
        );
    }
    let by_country = by.pop().unwrap();
    let by_lang = by.pop().unwrap();
    (all, by_lang, by_country)
}

/// What the current store reads of the old rows: the campaigns, the public list, the export
/// (addresses and private fields as the signers gave them, whether in clear or sealed since), a
/// pending signature, the counts (equal to a recount), endorsements, comments, organisers,
/// updates, the response, revisions and invalidations.
pub async fn check_reads(db: &TestDb, store: &dyn Store) {
    use undersigned_core::comment::CommentStatus;
    let open =
        store.campaign_by_slug(&Slug::parse("s", OPEN).unwrap()).await.unwrap().expect("the open campaign");
    let draft = store.campaign_by_slug(&Slug::parse("s", DRAFT).unwrap()).await.unwrap().expect("the draft");
    let c = open.id;
    let content = &open.content;
    assert_eq!(content.status.as_str(), "open");
    assert_eq!(content.signature_goal, Some(500));
    assert_eq!(content.dated.map(|d| d.to_string()).as_deref(), Some("2020-05-04"));
    assert_eq!(content.default_lang.as_str(), "en");
    let titles: Vec<(&str, &str)> =
        content.versions.iter().map(|v| (v.lang.as_str(), v.title.as_str())).collect();
    assert_eq!(titles, [("en", "Release the old appeal"), ("zh-Hant", "釋放舊呼籲")]);
    assert_eq!(content.versions[0].body, "The **body** of the appeal.");
    let demands: Vec<(u32, Vec<(&str, &str)>)> = content
        .demands
        .iter()
        .map(|d| (d.key, d.texts.iter().map(|(l, t)| (l.as_str(), t.as_str())).collect()))
        .collect();
    assert_eq!(
        demands,
        [
            (1, vec![("en", "Release them"), ("zh-Hant", "釋放他們")]),
            (2, vec![("en", "Drop the charges"), ("zh-Hant", "撤銷控罪")]),
        ]
    );
    assert_eq!(draft.content.status.as_str(), "draft");
    assert_eq!(draft.content.demands.len(), 1);
    let public: Vec<String> =
        store.public_campaigns().await.unwrap().iter().map(|c| c.content.slug.as_str().to_owned()).collect();
    assert!(public.contains(&OPEN.to_owned()) && !public.contains(&DRAFT.to_owned()), "{public:?}");

    // The public list: confirmed, valid, shown; newest first.
    let listed: Vec<(String, String)> = store
        .public_signatures(c, None, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|s| (s.name, s.country))
        .collect();
    let shown: Vec<&Signer> = SIGNERS.iter().rev().filter(|s| s.counted() && s.display != "hidden").collect();
    assert_eq!(listed.len(), shown.len(), "{listed:?}");
    for ((name, country), signer) in listed.iter().zip(&shown) {
        assert_eq!(country, signer.country);
        let first = signer.name.split(' ').next().unwrap();
        assert!(name.starts_with(first), "{name} listed for {}", signer.name);
    }

    // The export: every counted signer, oldest first, with what they gave.
    let exported = store.signatures_for_export(c, None, 100).await.unwrap();
    let counted: Vec<&Signer> = SIGNERS.iter().filter(|s| s.counted()).collect();
    assert_eq!(exported.len(), counted.len());
    for (row, signer) in exported.iter().zip(&counted) {
        assert_eq!(row.signer.email.to_string(), signer.email);
        assert_eq!(row.signer.name, signer.name);
        assert_eq!(row.signer.country, signer.country);
        assert_eq!(row.signer.city.as_deref(), signer.city, "{}", signer.email);
        assert_eq!(row.signer.affiliation.as_deref(), signer.affiliation, "{}", signer.email);
        assert_eq!(row.signer.comment.as_deref(), signer.comment, "{}", signer.email);
        assert_eq!(row.signer.opt_in, signer.opt_in, "{}", signer.email);
        assert_eq!(row.signer.lang.as_str(), signer.lang);
        assert_eq!(row.email_key, signer.email_key());
    }
    let pending = &SIGNERS[3];
    let found = store.signature_by_key(&pending.email_key()).await.unwrap().expect("the pending signature");
    assert_eq!(found.signer.email.to_string(), pending.email);
    assert!(found.confirmed_at.is_none());

    // The counts, as the store keeps them and as the rows count them.
    store.fold_counts().await.unwrap();
    let counts = store.counts(c).await.unwrap();
    let (all, by_lang, by_country) = recount(db).await;
    assert_eq!(counts.signatures, all);
    assert_eq!(all, counted.len() as i64);
    assert_eq!(counts.offline_individuals, 15);
    assert_eq!(counts.organisations, 1);
    let mut langs = store.counts_by_language(c).await.unwrap();
    langs.sort();
    assert_eq!(langs, by_lang);
    assert_eq!(by_lang, [("en".to_owned(), 3), ("zh-Hant".to_owned(), 3)]);
    let mut countries = store.counts_by_country(c).await.unwrap();
    countries.sort();
    assert_eq!(countries, by_country);
    assert_eq!(by_country.len(), 3);

    let endorsements: Vec<Option<String>> =
        store.endorsements(c).await.unwrap().iter().map(|e| e.spec.statement.clone()).collect();
    assert_eq!(endorsements, [Some("We stand with them".to_owned()), None]);
    let comments: Vec<String> =
        store.comments(c, &[CommentStatus::Visible]).await.unwrap().into_iter().map(|c| c.body).collect();
    assert_eq!(comments, ["Signed and shared", "Thank you"]);
    assert_eq!(store.comments(c, &[CommentStatus::Held]).await.unwrap().len(), 1);
    let mut users: Vec<String> = store.users().await.unwrap().into_iter().map(|u| u.email).collect();
    users.sort();
    assert_eq!(users, ["admin@old.example", "gone@old.example", "owner@old.example"]);
    let team: Vec<(String, &str)> =
        store.team(c).await.unwrap().into_iter().map(|(u, r)| (u.email, r.as_str())).collect();
    assert_eq!(team, [("owner@old.example".to_owned(), "owner")]);
    let updates = store.updates(Some(c), 10).await.unwrap();
    assert_eq!(updates.len(), 1);
    assert_eq!(updates[0].texts.len(), 2);
    let response = store.response(c).await.unwrap().expect("the response");
    assert_eq!(response.text, "We will consider it.");
    assert_eq!(response.responded_on.map(|d| d.to_string()).as_deref(), Some("2020-06-01"));
    let revisions = store.revisions(c).await.unwrap();
    assert_eq!(revisions.len(), 1);
    assert_eq!(revisions[0].demands, ["Release them", "Drop the charges"]);
    let invalidations = store.invalidations(c).await.unwrap();
    assert_eq!(invalidations.len(), 1);
    assert_eq!(invalidations[0].conditions, INVALIDATED);
}

#[cfg(test)]
mod stories {
    use undersigned_core::store::SealCursor;
    use undersigned_store::OpenError;

    use super::*;
    use crate::{on_both_backends, test_data_key};

    /// How many migrations the database has applied.
    async fn applied(db: &TestDb) -> Vec<String> {
        db.raw_texts("SELECT CAST(count(*) AS TEXT) FROM _sqlx_migrations WHERE success").await
    }

    async fn an_old_database_is_upgraded_with_every_row_kept(db: &TestDb) {
        build_old(db, Stage::BeforePrivateFields).await;
        // Nothing pending loses data (18 ran long ago): no word of a backup needed.
        let store = db.store().await;
        assert!(store.missing_migrations().await.unwrap().is_empty());
        check_rows(db, false).await;
        check_reads(db, store.as_ref()).await;
        assert!(store.rows_in_clear().await.unwrap() > 0);

        // `undersigned data seal`: the values in clear are sealed, and read the same through it.
        let mut cursor = Some(SealCursor::default());
        while let Some(from) = cursor {
            cursor = store.seal_in_clear(from, 3).await.unwrap().next;
        }
        assert_eq!(store.rows_in_clear().await.unwrap(), 0);
        assert!(db.raw_texts("SELECT email FROM signatures WHERE email LIKE '%@%'").await.is_empty());
        assert!(db.raw_texts("SELECT city FROM signatures WHERE city IS NOT NULL").await.is_empty());
        check_rows(db, true).await;
        check_reads(db, store.as_ref()).await;
    }

    async fn a_migration_that_loses_data_waits_for_the_word_that_the_database_was_backed_up(db: &TestDb) {
        build_old(db, Stage::BeforeLife).await;
        let hashes = "SELECT CAST(count(*) AS TEXT) FROM signatures WHERE ip_key IS NOT NULL";
        assert_eq!(db.raw_texts(hashes).await, ["2"]);
        let refused = undersigned_store::open(&db.url, |_| Ok(test_data_key())).await.err().expect("refused");
        let OpenError::Lossy(lossy) = &refused else { panic!("{refused}") };
        assert_eq!(lossy.iter().map(|m| m.version).collect::<Vec<_>>(), [18]);
        let said = refused.to_string();
        assert!(
            said.contains(
                "migration 18 (ip_hash_keys) forgets the IP hashes of the signatures and endorsements"
            ),
            "{said}"
        );
        assert!(said.ends_with("Nothing was changed."), "{said}");
        // Nothing was: the same migrations, the hashes still there.
        assert_eq!(applied(db).await, ["11"]);
        assert_eq!(db.raw_texts(hashes).await, ["2"]);

        let upgrade = Upgrade { backed_up: true };
        let store = undersigned_store::open_with(&db.url, |_| Ok(test_data_key()), upgrade).await.unwrap();
        assert!(store.missing_migrations().await.unwrap().is_empty());
        assert_eq!(db.raw_texts(hashes).await, ["0"]);
        assert_eq!(
            store
                .counts_by_language(
                    store.campaign_by_slug(&Slug::parse("s", OPEN).unwrap()).await.unwrap().unwrap().id
                )
                .await
                .unwrap()
                .len(),
            2
        );
    }

    /// A migration of the test's own that drops a table of the test's own.
    fn scratch(version: i64) -> [Migration; 2] {
        let create: &'static str =
            Box::leak(format!("CREATE TABLE scratch_{version} (n BIGINT);").into_boxed_str());
        let drop: &'static str = Box::leak(format!("DROP TABLE scratch_{version};").into_boxed_str());
        let made = Migration { version, name: "scratch", sqlite: create, postgres: create, loses: None };
        let dropped = Migration {
            version: version + 1,
            name: "scratch_dropped",
            sqlite: drop,
            postgres: drop,
            loses: Some("drops the scratch table and its rows"),
        };
        [made, dropped]
    }

    async fn a_lossy_migration_runs_without_the_word_where_there_is_nothing_to_lose(db: &TestDb) {
        let [made, dropped] = scratch(9001);
        let mut list = MIGRATIONS.to_vec();
        // A new database: every migration runs, the lossy one too.
        list.extend([made, dropped]);
        undersigned_store::migrate(&db.url, &list, Upgrade::default()).await.unwrap();
        assert_eq!(applied(db).await, [list.len().to_string()]);

        // A database whose tables are all empty holds nothing to lose either.
        let [made, dropped] = scratch(9003);
        list.push(made);
        undersigned_store::migrate(&db.url, &list, Upgrade::default()).await.unwrap();
        list.push(dropped);
        undersigned_store::migrate(&db.url, &list, Upgrade::default()).await.unwrap();
        assert_eq!(applied(db).await, [list.len().to_string()]);
    }

    async fn a_lossy_migration_of_the_tests_own_waits_for_the_word_on_a_database_with_data(db: &TestDb) {
        let [made, dropped] = scratch(9001);
        let mut list = MIGRATIONS.to_vec();
        list.push(made);
        undersigned_store::migrate(&db.url, &list, Upgrade::default()).await.unwrap();
        db.raw("INSERT INTO scratch_9001 (n) VALUES (7)").await;
        list.push(dropped);
        let refused =
            undersigned_store::migrate(&db.url, &list, Upgrade::default()).await.err().expect("refused");
        let OpenError::Lossy(lossy) = &refused else { panic!("{refused}") };
        assert_eq!(
            lossy,
            &[undersigned_store::migrate::Lossy {
                version: 9002,
                name: "scratch_dropped",
                loses: "drops the scratch table and its rows"
            }]
        );
        assert_eq!(db.raw_texts("SELECT CAST(n AS TEXT) FROM scratch_9001").await, ["7"]);
        undersigned_store::migrate(&db.url, &list, Upgrade { backed_up: true }).await.unwrap();
        assert_eq!(applied(db).await, [list.len().to_string()]);
    }

    async fn an_older_version_refuses_a_database_that_a_newer_one_migrated(db: &TestDb) {
        let store = db.store().await;
        drop(store);
        let newest = MIGRATIONS.last().unwrap().version;
        let older = &MIGRATIONS[..MIGRATIONS.len() - 1];
        let refused = undersigned_store::migrate(&db.url, older, Upgrade { backed_up: true })
            .await
            .err()
            .expect("refused");
        let OpenError::Newer { unknown, .. } = &refused else { panic!("{refused}") };
        assert_eq!(unknown, &[newest]);
        let said = refused.to_string();
        assert!(
            said.contains(&format!("it has migration {newest}, which this version does not know")),
            "{said}"
        );
        assert!(said.contains("Downgrades are not supported"), "{said}");
        // Nothing was changed: this version still opens it.
        assert_eq!(applied(db).await, [MIGRATIONS.len().to_string()]);
        db.store().await;
    }

    on_both_backends!(
        an_old_database_is_upgraded_with_every_row_kept,
        a_migration_that_loses_data_waits_for_the_word_that_the_database_was_backed_up,
        a_lossy_migration_runs_without_the_word_where_there_is_nothing_to_lose,
        a_lossy_migration_of_the_tests_own_waits_for_the_word_on_a_database_with_data,
        an_older_version_refuses_a_database_that_a_newer_one_migrated,
    );
}
