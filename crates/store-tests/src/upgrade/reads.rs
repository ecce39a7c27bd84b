//! What the current store reads of the old rows once upgraded.

use undersigned_core::{Slug, Store};

use super::{DRAFT, INVALIDATED, OPEN, SIGNERS, Signer, recount};
use crate::TestDb;

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
