//! Sealed private fields open with the real `age` (Debian's package, as in `age_tests.rs`) when
//! sealed to the owners, with the data key (and only for their row) when sealed under it.

use super::*;
use crate::Lang;
use crate::age::tests::{age_decrypt, keygen};
use crate::signature::SignatureInput;

fn signature(display: &str) -> NewSignature {
    let input = SignatureInput {
        name: "Chan Tai Man".into(),
        email: "chan@example.org".into(),
        country: "HK".into(),
        city: "Kowloon".into(),
        affiliation: "Dockers' Union".into(),
        comment: "Free them all".into(),
        display: display.into(),
        opt_in: None,
        ..Default::default()
    };
    NewSignature::parse(&input, Lang::known("en")).unwrap()
}

/// `base64 -d | age -d -i identity`, as an organiser opens one cell of an export.
fn open_cell(identity: &std::path::Path, cell: &str) -> String {
    let file = STANDARD.decode(cell).expect("a cell is base64");
    String::from_utf8(age_decrypt(identity, &file).expect("age -d opens the cell")).unwrap()
}

#[test]
fn the_name_is_private_unless_shown_in_full() {
    let hidden = PrivateFields::of_signature(&signature("hidden"));
    assert_eq!(hidden.name.as_deref(), Some("Chan Tai Man"));
    assert_eq!(hidden.city.as_deref(), Some("Kowloon"));
    assert_eq!(hidden.affiliation.as_deref(), Some("Dockers' Union"));
    assert_eq!(hidden.comment.as_deref(), Some("Free them all"));
    assert_eq!(
        PrivateFields::of_signature(&signature("first-initial")).name.as_deref(),
        Some("Chan Tai Man")
    );
    assert_eq!(PrivateFields::of_signature(&signature("full")).name, None);
    assert_eq!(PrivateFields::default().to_json(), b"{}");
    let contact = PrivateFields::of_contact("Wong Siu Ming");
    assert_eq!(PrivateFields::from_json(&contact.to_json()).unwrap(), contact);
}

#[test]
fn sealed_to_the_owners_each_row_is_an_age_file_the_real_age_opens() {
    let dir = tempfile::tempdir().unwrap();
    let (identity, recipient) = keygen(dir.path(), "key.txt");
    let sealer = Sealer::new(&[recipient]);
    let mut signer = signature("hidden");
    signer.answers.insert(4, crate::question::Answer { choice: Some(2), value: "Free them".into() });
    let fields = PrivateFields::of_signature(&signer);
    assert_eq!(fields.answers[&4].choice, Some(2), "answers are private fields");
    let (first, second) = (fields.seal_to_owners(&sealer), PrivateFields::default().seal_to_owners(&sealer));
    assert!(is_sealed_to_owners(&first));
    for clear in ["Chan Tai Man", "Kowloon", "Dockers", "Free them"] {
        assert!(
            !first.contains(clear)
                && !String::from_utf8_lossy(&STANDARD.decode(&first).unwrap()).contains(clear)
        );
    }
    let opened = open_cell(&identity, &first);
    assert_eq!(PrivateFields::from_json(opened.as_bytes()).unwrap(), fields);
    assert_eq!(open_cell(&identity, &second), "{}", "a second row behind the same header");
    let key = DataKey::new([3; 32]);
    assert_eq!(
        PrivateFields::open_under_data_key(&key, b"row", &first),
        Err(PrivateFieldsError::SealedToOwners)
    );
}

#[test]
fn under_the_data_key_they_open_for_their_row_only_and_reseal_to_the_owners() {
    let key = DataKey::new([3; 32]);
    let fields = PrivateFields::of_signature(&signature("first-initial"));
    let stored = fields.seal_under_data_key(&key, b"row-1");
    assert!(!is_sealed_to_owners(&stored));
    assert!(!stored.contains("Kowloon"));
    assert_eq!(PrivateFields::open_under_data_key(&key, b"row-1", &stored).unwrap(), fields);
    let wrong = PrivateFields::open_under_data_key(&key, b"row-2", &stored);
    assert_eq!(wrong, Err(PrivateFieldsError::DoesNotOpen), "another row");
    let other = DataKey::new([4; 32]);
    assert_eq!(
        PrivateFields::open_under_data_key(&other, b"row-1", &stored),
        Err(PrivateFieldsError::DoesNotOpen)
    );

    let dir = tempfile::tempdir().unwrap();
    let (identity, recipient) = keygen(dir.path(), "key.txt");
    let sealer = Sealer::new(&[recipient]);
    let resealed = reseal(&key, b"row-1", &stored, &sealer).unwrap().expect("sealed to the owners now");
    assert_eq!(PrivateFields::from_json(open_cell(&identity, &resealed).as_bytes()).unwrap(), fields);
    assert_eq!(reseal(&key, b"row-1", &resealed, &sealer), Ok(None), "already sealed to the owners");
    assert_eq!(reseal(&key, b"row-2", &stored, &sealer), Err(PrivateFieldsError::DoesNotOpen));
}
