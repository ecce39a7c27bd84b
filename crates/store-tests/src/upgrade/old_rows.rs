//! The rows older versions wrote, stage by stage, and the signers among them.

use undersigned_core::keys::Keys;

use super::{DRAFT, FAR, INVALIDATED, OLD_SECRET, OPEN, Row, Stage, V, at, campaign, clear, row, t, user};

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

fn signers_of(stage: Stage) -> Vec<Row> {
    let range = match stage {
        Stage::Oldest => 0..4,
        Stage::BeforeLife => 4..6,
        Stage::BeforeDataKey => 6..7,
        Stage::BeforePrivateFields => 7..8,
    };
    SIGNERS[range].iter().map(|s| s.row(stage)).collect()
}

pub(super) fn oldest() -> Vec<Row> {
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

pub(super) fn before_life() -> Vec<Row> {
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

pub(super) fn before_data_key() -> Vec<Row> {
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

pub(super) fn before_private_fields() -> Vec<Row> {
    let mut rows = signers_of(Stage::BeforePrivateFields);
    rows.push(row(
        "block_list",
        vec![("scope", V::Int(0)), ("kind", t("domain")), ("value", t("spam.example"))],
    ));
    rows
}
