//! Property tests of campaign files: for generated campaigns, export → parse gives the campaign
//! back and exporting it again writes the same files; arbitrary text never panics the parser.
//! 256 cases by default; set `PROPTEST_CASES` for more.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use time::{Date, OffsetDateTime, UtcOffset};
use undersigned_core::campaign_file::{CAMPAIGN_FILE, parse_texts, render_folder};
use undersigned_core::demand::{Demand, by_position};
use undersigned_core::{
    CampaignContent, CampaignSpec, CampaignStatus, CampaignVersion, Contact, EmbedSites, EndorsementSpec,
    Lang, OrganisationType, Slug,
};

/// Text as organisers write it: letters of several scripts, Markdown and TOML punctuation,
/// quotes, backslashes, the `+++` fence and line breaks.
fn text(max: usize, multiline: bool) -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        6 => "[a-zA-Z0-9 ]{1,8}",
        2 => prop::sample::select(vec![
            "釋放", "蔡廣業", "Ünïcödé", "\"", "'", "\\", "\\n", "\"\"\"", "'''", "+++", "# ", "[x]",
            "= ", "**", "<b>", "&amp;", "\u{feff}", "\u{200b}", "#", "[[", "]]", "{", "}", "\t",
        ])
        .prop_map(str::to_owned),
        1 => any::<char>().prop_filter("no control", |c| !c.is_control()).prop_map(String::from),
        (if multiline { 2 } else { 0 }) => prop::sample::select(vec![
            "\n", "\n+++\n", "\r\n", "\n\n", "\n+++", "\n\"\"\"\n", "\n[contact]\n",
        ])
        .prop_map(str::to_owned),
    ];
    prop::collection::vec(pieces, 0..12).prop_map(move |p| p.concat().chars().take(max).collect())
}

fn lang() -> impl Strategy<Value = Lang> {
    prop::sample::select(vec!["en", "zh-Hant", "zh-Hans", "fr", "pt-BR", "de"]).prop_map(Lang::known)
}

/// A version, and its list of demands (`None`: blank, so not yet translated in its language).
type VersionLists = (CampaignVersion, (Lang, Vec<Option<String>>));

fn version(lang: Lang) -> impl Strategy<Value = Option<VersionLists>> {
    (
        text(200, false),
        text(1_000, true),
        text(300, false),
        text(3_000, true),
        prop::collection::vec(text(300, true), 0..4),
    )
        .prop_map(move |(title, summary, target, body, demands)| {
            let demands = demands.iter().map(|d| Demand::parse_text("demand", d).ok()).collect();
            let version = CampaignVersion::parse(lang.clone(), &title, &summary, &target, &body).ok()?;
            Some((version, (lang.clone(), demands)))
        })
}

fn datetime() -> impl Strategy<Value = OffsetDateTime> {
    (0i64..4_000_000_000, -12i8..=14, prop::sample::select(vec![0i8, 30, 45])).prop_map(|(t, h, m)| {
        let offset = UtcOffset::from_hms(h, if h < 0 { -m } else { m }, 0).unwrap();
        OffsetDateTime::from_unix_timestamp(t).unwrap().to_offset(offset)
    })
}

fn endorsement() -> impl Strategy<Value = Option<EndorsementSpec>> {
    (
        0u8..3,
        text(200, false),
        prop::sample::select(OrganisationType::ALL.to_vec()),
        proptest::option::of("https?://[a-z]{1,10}\\.org(/[a-z%?=&]{0,10})?"),
        1i64..1_000_000,
        proptest::option::of(prop::sample::select(vec!["HK", "gb", "TW", "us"])),
        proptest::option::of(text(500, true)),
        proptest::option::of(text(100, false)),
    )
        .prop_map(|(kind, name, org_type, website, count, country, statement, source)| {
            let endorser = match kind {
                0 => EndorsementSpec::organisation(&name, org_type, website.as_deref()),
                1 => EndorsementSpec::person(&name),
                _ => EndorsementSpec::individuals(count),
            };
            Some(EndorsementSpec {
                endorser: endorser.ok()?,
                country: country.map(|c| EndorsementSpec::parse_country("country", c)).transpose().ok()?,
                statement: EndorsementSpec::optional_text("statement", statement.as_deref(), 5_000).ok()?,
                source_note: EndorsementSpec::optional_text("source", source.as_deref(), 500).ok()?,
            })
        })
}

/// A campaign as the editor or an import could have made it (every field through its parser).
fn campaign() -> impl Strategy<Value = CampaignSpec> {
    let versions = prop::collection::btree_set(lang(), 1..4)
        .prop_flat_map(|langs| langs.into_iter().map(version).collect::<Vec<_>>())
        .prop_map(|v| v.into_iter().flatten().collect::<Vec<_>>())
        .prop_filter("one valid version", |v| !v.is_empty());
    let dates = (
        proptest::option::of(datetime()),
        proptest::option::of(datetime()),
        proptest::option::of((1900i32..2100, 1u16..366)),
    );
    (
        "[a-z0-9]{1,10}(-[a-z0-9]{1,10}){0,3}",
        prop::sample::select(CampaignStatus::ALL.to_vec()),
        versions,
        any::<prop::sample::Index>(),
        dates,
        proptest::option::of(1u32..10_000_000),
        (text(200, false), proptest::option::of("[a-z.]{1,10}@[a-z]{1,10}\\.org")),
        prop::collection::vec(endorsement(), 0..4),
        // The sites that may frame it: none, some, or any (`*`).
        prop::collection::vec("https://(\\*\\.)?[a-z]{1,8}\\.(org|example)(:[1-9][0-9]{0,3})?|\\*", 0..4),
    )
        .prop_filter_map(
            "valid campaign",
            |(
                slug,
                status,
                versions,
                default,
                (opens_at, closes_at, dated),
                goal,
                contact,
                endorsements,
                sites,
            )| {
                let mut content = CampaignContent {
                    slug: Slug::parse("slug", &slug).ok()?,
                    status,
                    opens_at,
                    closes_at,
                    dated: dated.and_then(|(y, d)| Date::from_ordinal_date(y, d).ok()),
                    contact: Contact::parse(&contact.0, contact.1.as_deref()).ok()?,
                    signature_goal: goal,
                    default_lang: versions[default.index(versions.len())].0.lang.clone(),
                    demands: {
                        let lists: Vec<_> = versions.iter().map(|(_, l)| l.clone()).collect();
                        let mut demands = by_position(&lists);
                        // Keys as a file gives them: the positions.
                        demands.iter_mut().enumerate().for_each(|(i, d)| d.key = i as u32 + 1);
                        demands
                    },
                    versions: versions.into_iter().map(|(v, _)| v).collect(),
                    embed_sites: EmbedSites::parse("embed_sites", sites.iter().map(String::as_str)).ok()?,
                };
                content.sort_versions();
                content.check().ok()?;
                Some(CampaignSpec { content, endorsements: endorsements.into_iter().flatten().collect() })
            },
        )
}

fn parse_files(files: &[(String, String)]) -> Result<CampaignSpec, String> {
    let dir = Path::new("campaign");
    let (campaign, versions): (Vec<_>, Vec<_>) = files.iter().partition(|(name, _)| name == CAMPAIGN_FILE);
    let versions: Vec<(PathBuf, String)> =
        versions.into_iter().map(|(n, t)| (dir.join(n), t.clone())).collect();
    parse_texts(&dir.join(CAMPAIGN_FILE), &campaign[0].1, &versions).map_err(|e| e.to_string())
}

proptest! {
    /// Export → parse gives the campaign back, and exporting that writes the same files.
    #[test]
    fn exported_campaigns_parse_back_unchanged(spec in campaign()) {
        let files = render_folder(&spec);
        let parsed = parse_files(&files);
        prop_assert!(parsed.is_ok(), "{:?}\nfiles: {files:#?}", parsed.err());
        let parsed = parsed.unwrap();
        prop_assert_eq!(&parsed, &spec, "files: {:#?}", files);
        prop_assert_eq!(render_folder(&parsed), files);
    }

    /// Whatever a campaign folder holds, the parser answers with a campaign or an error.
    #[test]
    fn arbitrary_campaign_files_never_panic(
        campaign in prop_oneof![any::<String>(), text(400, true)],
        front in prop_oneof![any::<String>(), text(400, true)],
        body in any::<String>(),
        stem in prop_oneof![Just("en".to_owned()), any::<String>()],
    ) {
        let toml_like = format!("slug = \"a\"\nstatus = \"open\"\ndefault_language = \"en\"\n{campaign}");
        let version = format!("+++\ntitle = \"{front}\"\n{front}\n+++\n{body}");
        for (campaign, version) in [(&campaign, &version), (&toml_like, &version), (&toml_like, &front)] {
            let _ = parse_texts(
                Path::new("c/campaign.toml"),
                campaign,
                &[(PathBuf::from(format!("c/{stem}.md")), version.clone())],
            );
        }
    }
}

/// Found by `exported_campaigns_parse_back_unchanged`: a demand with a line starting `+++` was
/// exported as a multi-line TOML string whose line the parser took for the end of the front matter.
#[test]
fn a_fence_line_inside_a_text_round_trips() {
    let mut spec = parse_files(&[
        (
            CAMPAIGN_FILE.to_owned(),
            "slug = \"a\"\nstatus = \"draft\"\ndefault_language = \"en\"\n[contact]\nname = \"L\"\n"
                .to_owned(),
        ),
        ("en.md".to_owned(), "+++\ntitle = \"T\"\n+++\nBody\n+++\nmore".to_owned()),
    ])
    .unwrap();
    assert_eq!(spec.content.versions[0].body, "Body\n+++\nmore");
    spec.content.demands = by_position(&[(Lang::known("en"), vec![Some("+++\nA".to_owned())])]);
    spec.content.versions[0].summary = "x\r\n+++ y\n'''".to_owned();
    assert_eq!(parse_files(&render_folder(&spec)), Ok(spec));
}
