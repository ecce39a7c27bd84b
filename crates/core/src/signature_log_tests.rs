use super::*;
use crate::checkpoint::{Checkpoint, LogKey};
use time::macros::datetime;

fn signature(n: i64) -> LeafRecord {
    LeafRecord::Signature {
        campaign: 7,
        signed: datetime!(2026-11-26 02:17:59 UTC),
        name: format!("Chan T{n}."),
        country: "HK".into(),
        text: text_hash("Free them all"),
        commitment: commitment(&[n as u8; 16], "chan@example.org"),
    }
}

#[test]
fn a_record_is_text_to_the_minute_and_its_leaf_hash_is_rfc_6962s() {
    let record = signature(1).canonical();
    assert!(record.starts_with("undersigned-log-leaf/v1\nkind: signature\ncampaign: 7\nsigned: 2026-11-26T02:17Z\nname: Chan T1.\ncountry: HK\ntext: "));
    assert!(record.ends_with('\n'));
    let mut prefixed = vec![0u8];
    prefixed.extend_from_slice(record.as_bytes());
    assert_eq!(signature(1).leaf_hash(), <[u8; 32]>::from(Sha256::digest(&prefixed)));
    let revoke = LeafRecord::Revoke { campaign: 7, signed: datetime!(2026-11-26 03:00 UTC), revokes: 0 };
    assert!(revoke.canonical().ends_with("revokes: 0\n"));
    let broken = LeafRecord::Endorsement {
        campaign: 7,
        signed: datetime!(2026-11-26 03:00 UTC),
        endorser: "organisation".into(),
        name: "Union\nkind: revoke".into(),
        organisation_type: "trade-union".into(),
        country: "HK".into(),
        individuals: 0,
        statement: None,
        commitment: None,
    };
    assert_eq!(broken.canonical().lines().count(), 11);
}

#[test]
fn an_endorsements_record_holds_its_public_form_and_a_commitment_to_its_contact_only() {
    use crate::{Email, EndorsementSpec, Endorser, OrganisationType};
    let union = EndorsementSpec {
        endorser: EndorsementSpec::organisation("HKCTU", OrganisationType::TradeUnion, Some("https://x.hk"))
            .unwrap(),
        country: Some("HK".into()),
        statement: Some("We stand with them.".into()),
        source_note: Some("a letter".into()),
    };
    let contact = Email::parse("email", "Lee@Example.org").unwrap();
    let (salt, record) = endorsement_leaf(7, &union, Some(&contact), datetime!(2026-11-26 03:04:59 UTC));
    let salt = salt.expect("a salt for the contact's address");
    assert_eq!(
        record,
        format!(
            "undersigned-log-leaf/v1\nkind: endorsement\ncampaign: 7\nsigned: 2026-11-26T03:04Z\n\
             endorser: organisation\nname: HKCTU\ntype: trade-union\ncountry: HK\nindividuals: 0\n\
             statement: {}\ncommitment: {}\n",
            hex::encode(text_hash("We stand with them.")),
            hex::encode(commitment(&salt, "lee@example.org"))
        )
    );
    assert!(!record.contains("x.hk") && !record.contains("letter") && !record.contains("Lee@"));

    let offline = EndorsementSpec {
        endorser: Endorser::Individuals { count: 15 },
        country: None,
        statement: None,
        source_note: None,
    };
    let (salt, record) = endorsement_leaf(7, &offline, None, datetime!(2026-11-26 03:04 UTC));
    assert_eq!(salt, None);
    assert!(
        record.ends_with(
            "endorser: individuals\nname: \ntype: \ncountry: \nindividuals: 15\nstatement: \ncommitment: \n"
        ),
        "{record}"
    );
    assert_eq!(field(&record, "name"), Some(""));
    assert_eq!(field(&record, "individuals"), Some("15"));
}

#[test]
fn an_export_checks_against_its_checkpoint_and_says_what_fails() {
    let key = LogKey::new("petitions.example", &[3; 32]);
    let origin = "petitions.example/c/free-them";
    let records: Vec<LeafRecord> = (0..20).map(signature).collect();
    let leaves = |records: &[LeafRecord]| -> Vec<ExportLeaf> {
        records
            .iter()
            .enumerate()
            .map(|(i, r)| ExportLeaf { row: i + 1, index: i as u64, hash: r.leaf_hash() })
            .collect()
    };
    let mut frontier = tlog::Frontier::default();
    for r in &records {
        frontier.push(r.leaf_hash());
    }
    let note = key.sign(&Checkpoint { origin: origin.into(), size: 20, root: frontier.root() });
    let verifier = key.verifier();
    assert_eq!(check_export(&leaves(&records), &[], &note, &verifier, Some(origin)), Ok(20));

    let mut changed = records.clone();
    changed[16] = signature(99);
    assert_eq!(
        check_export(&leaves(&changed), &[], &note, &verifier, Some(origin)),
        Err(ExportMismatch::Root)
    );
    let claimed: Vec<Option<Hash>> = records.iter().map(|r| Some(r.leaf_hash())).collect();
    let err = check_export(&leaves(&changed), &claimed, &note, &verifier, Some(origin)).unwrap_err();
    assert_eq!(err.to_string(), "row 17 (leaf 16) does not match the log");

    let err = check_export(&leaves(&records[..19]), &[], &note, &verifier, Some(origin)).unwrap_err();
    assert_eq!(err.to_string(), "the export has 19 leaves, the checkpoint 20");
    let mut gap = leaves(&records);
    gap.remove(4);
    let err = check_export(&gap, &[], &note, &verifier, Some(origin)).unwrap_err();
    assert_eq!(err.to_string(), "row 6 is leaf 5, where leaf 4 was due: a leaf is missing or out of order");
    assert!(matches!(
        check_export(&leaves(&records), &[], &note, &verifier, Some("petitions.example/c/other")),
        Err(ExportMismatch::Origin { .. })
    ));
}
