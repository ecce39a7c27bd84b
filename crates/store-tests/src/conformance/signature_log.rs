//! The signature log: a confirmation appends the leaf fixed when its signer submitted it, proofs
//! made from what the store keeps verify against the root, a withdrawal appends a revoking leaf
//! and removes none, and anonymisation deletes the salts. Endorsements append theirs when they
//! are listed, and an endorsement removed from the campaign's files is revoked.

use std::sync::Arc;

use undersigned_core::Store;
use undersigned_core::clock::now;
use undersigned_core::signature::{Confirmation, MailBudget, NameDisplay, SignOutcome};
use undersigned_core::signature_log::{LeafRecord, SignedLeaf, commitment};
use undersigned_core::tlog::{self, Frontier};

use super::{demo, record, stories};

/// The demo campaign without its endorsements (each would be a leaf): its log holds the
/// signatures' leaves only.
async fn demo_campaign(store: &dyn Store) -> i64 {
    let mut bare = demo();
    bare.endorsements.clear();
    store.import_campaigns(&[bare]).await.unwrap()[0]
}

async fn confirmations_append_their_leaves_and_proofs_verify(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let mut ids = Vec::new();
    let mut leaves = Vec::new();
    for i in 0..37 {
        let display = if i % 5 == 0 { NameDisplay::Hidden } else { NameDisplay::FirstInitial };
        let r = record(campaign, &format!("s{i}@example.org"), &format!("Signer Number{i}"), display);
        let SignOutcome::Created { id } = store.sign(&r, MailBudget::default()).await.unwrap() else {
            panic!("a new signature")
        };
        ids.push(id);
        leaves.push(r.leaf);
    }
    let receipt = store.signature_receipt(ids[0]).await.unwrap().unwrap();
    assert_eq!((receipt.record.as_str(), receipt.index), (leaves[0].canonical().as_str(), None));
    assert_eq!(receipt.salt, Some(leaves[0].salt));
    assert!(receipt.record.contains("name: \ncountry: HK"), "hidden: {}", receipt.record);
    assert!(leaves[1].canonical().contains("name: Signer N.\n"), "{}", leaves[1].canonical());
    let c = commitment(&leaves[1].salt, "s1@example.org");
    assert!(leaves[1].canonical().contains(&hex::encode(c)));

    // Confirmed concurrently, so that the group commit takes several in a batch.
    let mut confirming = tokio::task::JoinSet::new();
    for id in ids.clone() {
        let store = store.clone();
        confirming.spawn(async move { (id, store.confirm_signature(id, now()).await.unwrap()) });
    }
    // Each confirmation answers with its entry in the log (what the thanks page names).
    let mut entries = Vec::new();
    for (id, confirmed) in confirming.join_all().await {
        let Confirmation::Confirmed { leaf: Some(index) } = confirmed else { panic!("{confirmed:?}") };
        entries.push((id, index));
    }
    let head = store.log_head(campaign).await.unwrap();
    assert_eq!(head.size, 37);
    let kept = store.log_leaves(campaign, 0, 100).await.unwrap();
    assert_eq!(kept.iter().map(|l| l.index).collect::<Vec<_>>(), (0..37).collect::<Vec<_>>());
    let mut frontier = Frontier::default();
    for leaf in &kept {
        assert_eq!(leaf.hash, tlog::leaf_hash(leaf.record.as_bytes()));
        frontier.push(leaf.hash);
    }
    assert_eq!(frontier.root(), head.root);
    let mut by_id: Vec<_> = kept.iter().map(|l| l.signature_id.unwrap()).collect();
    by_id.sort_unstable();
    assert_eq!(by_id, ids);
    for (id, index) in entries {
        assert_eq!(kept[index as usize].signature_id, Some(id), "the entry each confirmation named");
    }

    let first: &SignedLeaf = &leaves[0];
    let index = store.log_leaf_by_hash(campaign, &first.hash()).await.unwrap().unwrap();
    assert_eq!(store.signature_receipt(ids[0]).await.unwrap().unwrap().index, Some(index));
    for (index, size) in [(index, 37), (0, 37), (36, 37), (16, 20), (31, 32)] {
        let proof = store.inclusion_proof(campaign, index, size).await.unwrap();
        let root = if size == 37 { head.root } else { root_of(&kept[..size as usize]) };
        assert!(
            tlog::verify_inclusion(&kept[index as usize].hash, index, size, &proof, &root),
            "{index} in {size}"
        );
    }
    for old in [1, 7, 16, 32, 36] {
        let proof = store.consistency_proof(campaign, old, 37).await.unwrap();
        assert!(
            tlog::verify_consistency(old, 37, &root_of(&kept[..old as usize]), &head.root, &proof),
            "{old}"
        );
    }

    assert!(store.log_head(campaign).await.unwrap().checkpoint.is_none());
    store.save_checkpoint(campaign, 37, "a note\n").await.unwrap();
    store.save_checkpoint(campaign, 30, "an older note\n").await.unwrap();
    assert_eq!(store.log_head(campaign).await.unwrap().checkpoint, Some((37, "a note\n".into())));

    // A withdrawal removes no leaf: it appends one that names the withdrawn.
    assert!(store.withdraw_signature(ids[3]).await.unwrap());
    let after = store.log_leaves(campaign, 37, 10).await.unwrap();
    let revoked = kept.iter().find(|l| l.signature_id == Some(ids[3])).unwrap().index;
    assert_eq!(after.len(), 1);
    assert!(
        after[0].record.contains("kind: revoke\n")
            && after[0].record.ends_with(&format!("revokes: {revoked}\n"))
    );
    assert_eq!(store.log_head(campaign).await.unwrap().size, 38);

    store.anonymise(campaign).await.unwrap();
    let receipt = store.signature_receipt(ids[0]).await.unwrap().unwrap();
    assert_eq!(receipt.salt, None, "the salt goes with anonymisation");
    assert_eq!(receipt.record, leaves[0].canonical());
    assert_eq!(store.log_head(campaign).await.unwrap().size, 38);
}

fn root_of(leaves: &[undersigned_core::store::LogLeaf]) -> tlog::Hash {
    let mut frontier = Frontier::default();
    for leaf in leaves {
        frontier.push(leaf.hash);
    }
    frontier.root()
}

async fn a_later_submission_of_a_pending_signature_replaces_its_leaf(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let first = record(campaign, "lee@example.org", "Lee Wing", NameDisplay::Full);
    let SignOutcome::Created { id } = store.sign(&first, MailBudget::default()).await.unwrap() else {
        panic!()
    };
    let again = record(campaign, "lee@example.org", "Lee Wing Yan", NameDisplay::Full);
    store.sign(&again, MailBudget::default()).await.unwrap();
    let receipt = store.signature_receipt(id).await.unwrap().unwrap();
    // The later submission's leaf, at the minute first signed (the row's time).
    let mut expected = again.leaf.record.clone();
    if let LeafRecord::Signature { signed, .. } = &mut expected {
        *signed = first.now;
    }
    assert_eq!((receipt.record, receipt.salt), (expected.canonical(), Some(again.leaf.salt)));
    store.confirm_signature(id, now()).await.unwrap();
    let leaves = store.log_leaves(campaign, 0, 10).await.unwrap();
    assert_eq!(leaves.len(), 1);
    assert_eq!(leaves[0].hash, expected.leaf_hash());
    // Signing again once confirmed changes nothing in the log.
    store
        .sign(&record(campaign, "lee@example.org", "Someone Else", NameDisplay::Full), MailBudget::default())
        .await
        .unwrap();
    assert_eq!(store.log_head(campaign).await.unwrap().size, 1);
}

async fn an_invalidation_revokes_and_a_restoration_appends_again(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let mut ids = Vec::new();
    for i in 0..3 {
        let r = record(campaign, &format!("v{i}@example.org"), "Valid Signer", NameDisplay::Full);
        let SignOutcome::Created { id } = store.sign(&r, MailBudget::default()).await.unwrap() else {
            panic!()
        };
        store.confirm_signature(id, now()).await.unwrap();
        ids.push(id);
    }
    let one =
        undersigned_core::moderation::SignatureFilter { signature_id: Some(ids[1]), ..Default::default() };
    let (invalidation, _) = store.invalidate(campaign, &one, "mod@example.org", now()).await.unwrap();
    let leaves = store.log_leaves(campaign, 0, 10).await.unwrap();
    assert_eq!(leaves.len(), 4);
    let revoked = leaves.iter().find(|l| l.signature_id == Some(ids[1])).unwrap().index;
    assert!(leaves[3].record.ends_with(&format!("revokes: {revoked}\n")));
    let unlisted = store.unlisted_log_leaves(campaign, 0, 100, 10).await.unwrap();
    let states: Vec<_> = unlisted.iter().map(|(l, s)| (l.index, s.clone())).collect();
    assert_eq!(states, [(revoked, Some("invalidated".to_owned())), (3, None)]);

    store.restore_invalidation(campaign, invalidation, now()).await.unwrap();
    let leaves = store.log_leaves(campaign, 0, 10).await.unwrap();
    assert_eq!(leaves.len(), 5, "a new entry for the signature valid again");
    assert_eq!((leaves[4].signature_id, &leaves[4].record), (Some(ids[1]), &leaves[revoked as usize].record));
    let of = store.log_leaves_of_signatures(&[ids[1]]).await.unwrap();
    assert_eq!(of.iter().map(|(_, l, _)| l.index).collect::<Vec<_>>(), [revoked, 4], "the latest last");
    let unlisted = store.unlisted_log_leaves(campaign, 0, 100, 10).await.unwrap();
    let states: Vec<_> = unlisted.iter().map(|(l, s)| (l.index, s.clone())).collect();
    assert_eq!(
        states,
        [(revoked, Some("confirmed".to_owned())), (3, None)],
        "the earlier entry stands for no row"
    );
}

async fn endorsements_append_their_leaves_when_listed_and_removed_ones_are_revoked(store: Arc<dyn Store>) {
    use undersigned_core::signature_log::field;
    let mut spec = demo();
    let campaign = store.import_campaigns(std::slice::from_ref(&spec)).await.unwrap()[0];
    let listed = store.endorsements(campaign).await.unwrap();
    let leaves = store.log_leaves(campaign, 0, 100).await.unwrap();
    assert_eq!(leaves.len(), listed.len(), "each endorsement of the campaign's files, listed at once");
    assert_eq!(
        leaves.iter().map(|l| l.endorsement_id.unwrap()).collect::<Vec<_>>(),
        listed.iter().map(|e| e.id).collect::<Vec<_>>()
    );
    let counted = leaves.iter().find(|l| field(&l.record, "individuals") == Some("15")).unwrap();
    assert!(counted.record.contains("endorser: individuals\nname: \n"), "{}", counted.record);

    // Through the form: a leaf fixed when sent (a commitment to the contact's address, no
    // address), appended when approved, in the same transaction; none for a pending or rejected one.
    let request = super::endorsement(campaign, "sam@union.example");
    let approved = store.request_endorsement(&request).await.unwrap();
    let rejected = store.request_endorsement(&super::endorsement(campaign, "x@union.example")).await.unwrap();
    for id in [approved, rejected] {
        store.verify_endorsement(id, now()).await.unwrap();
    }
    assert_eq!(store.log_head(campaign).await.unwrap().size, 7, "pending: not in the log");
    store.decide_endorsement(rejected, false, None, now()).await.unwrap();
    store.decide_endorsement(approved, true, None, now()).await.unwrap();
    let of = store.log_leaves_of_endorsements(&[approved, rejected]).await.unwrap();
    assert_eq!(of.len(), 1);
    let (id, leaf) = &of[0];
    assert_eq!((*id, leaf.index), (approved, 7));
    assert!(
        leaf.record.contains("name: Seamen's Union\ntype: trade-union\ncountry: GB\n"),
        "{}",
        leaf.record
    );
    assert!(field(&leaf.record, "commitment").is_some_and(|c| c.len() == 64), "{}", leaf.record);
    assert!(!leaf.record.contains("sam@"));

    // The files imported again with one endorsement changed: it is revoked and the new form
    // appended; the others stay as they are.
    let changed = spec.endorsements.iter().position(|e| e.country.as_deref() == Some("HK")).unwrap();
    spec.endorsements[changed].country = Some("MO".into());
    let old = listed[changed].id;
    store.import_campaigns(&[spec]).await.unwrap();
    let after = store.log_leaves(campaign, 8, 10).await.unwrap();
    assert_eq!(after.len(), 2, "a revocation and the new form");
    let old_index = leaves[changed].index;
    assert!(after[0].record.ends_with(&format!("revokes: {old_index}\n")), "{}", after[0].record);
    assert!(field(&after[1].record, "country") == Some("MO"));
    let unlisted = store.unlisted_log_leaves(campaign, 0, 100, 10).await.unwrap();
    let states: Vec<_> = unlisted.iter().map(|(l, s)| (l.index, s.clone())).collect();
    assert_eq!(states, [(old_index, Some("gone".to_owned())), (8, None)]);
    let kept = store.log_leaves_of_endorsements(&[old]).await.unwrap();
    assert_eq!(
        kept.iter().map(|(id, l)| (*id, l.index)).collect::<Vec<_>>(),
        [(old, old_index)],
        "nothing is removed"
    );
}

/// A database from before the log took endorsements (their leaves and records removed by hand, as
/// that version left them): each listed one gets a leaf of its public form, once.
async fn endorsements_listed_before_the_log_took_them_get_their_leaves_once(db: &crate::TestDb) {
    let store = db.store().await;
    let campaign = store.import_campaigns(&[demo()]).await.unwrap()[0];
    let pending =
        store.request_endorsement(&super::endorsement(campaign, "sam@union.example")).await.unwrap();
    db.raw(
        "DELETE FROM signature_log_leaves; DELETE FROM signature_log_nodes; DELETE FROM signature_logs;
            UPDATE endorsements SET log_record = NULL, log_salt = NULL;",
    )
    .await;
    assert_eq!(store.log_endorsements_listed_before().await.unwrap(), 7);
    assert_eq!(store.log_endorsements_listed_before().await.unwrap(), 0, "once");
    let leaves = store.log_leaves(campaign, 0, 100).await.unwrap();
    let listed = store.endorsements(campaign).await.unwrap();
    assert_eq!(
        leaves.iter().map(|l| l.endorsement_id.unwrap()).collect::<Vec<_>>(),
        listed.iter().map(|e| e.id).collect::<Vec<_>>()
    );
    assert!(
        leaves[1]
            .record
            .contains("name: Hong Kong Confederation of Trade Unions (HKCTU)\ntype: trade-union\n")
    );
    // One pending then, approved now: its leaf made of its row, with no commitment.
    store.verify_endorsement(pending, now()).await.unwrap();
    store.decide_endorsement(pending, true, None, now()).await.unwrap();
    let (_, leaf) = store.log_leaves_of_endorsements(&[pending]).await.unwrap().remove(0);
    assert_eq!(leaf.index, 7);
    assert!(leaf.record.ends_with("statement: \ncommitment: \n"), "{}", leaf.record);
}

/// A signature left pending by the version that kept its record's text on the row (before the
/// digests, migration 0031): confirmed, it appends the record it kept, and its receipt shows it.
async fn a_pending_signature_from_before_the_digests_appends_the_record_it_kept(db: &crate::TestDb) {
    let store = db.store().await;
    let campaign = demo_campaign(store.as_ref()).await;
    let r = record(campaign, "old@example.org", "Old Row", NameDisplay::Full);
    let SignOutcome::Created { id } = store.sign(&r, MailBudget::default()).await.unwrap() else { panic!() };
    let kept = r.leaf.canonical().replace("name: Old Row", "name: As Kept");
    db.raw(&format!(
        "UPDATE signatures SET log_digests = NULL, log_record = '{}' WHERE id = {id}",
        kept.replace('\'', "''")
    ))
    .await;
    assert_eq!(store.signature_receipt(id).await.unwrap().unwrap().record, kept);
    store.confirm_signature(id, now()).await.unwrap();
    let leaves = store.log_leaves(campaign, 0, 10).await.unwrap();
    assert_eq!((leaves.len(), leaves[0].record.as_str()), (1, kept.as_str()));
    assert_eq!(leaves[0].hash, tlog::leaf_hash(kept.as_bytes()));
}

crate::on_both_backends!(
    endorsements_listed_before_the_log_took_them_get_their_leaves_once,
    a_pending_signature_from_before_the_digests_appends_the_record_it_kept,
);

stories!(
    endorsements_append_their_leaves_when_listed_and_removed_ones_are_revoked,
    confirmations_append_their_leaves_and_proofs_verify,
    an_invalidation_revokes_and_a_restoration_appends_again,
    a_later_submission_of_a_pending_signature_replaces_its_leaf,
);
