//! What the store seals under the data key (`undersigned_core::data_key`) on its way in and opens
//! on its way out, so that the domain types keep plain values and a copy of the database holds
//! none: the addresses of signers, endorsers' contacts and commenters, and the stored IP hashes.
//!
//! Each value is sealed for its column and its row (the associated data is the column's name and
//! the row's email key), so that a sealed value copied by hand into another column or another
//! row does not open. The email keys themselves stay the blind index that duplicates and lookups
//! go through.
//!
//! Rows written before the data key hold their values in clear until `undersigned data seal`
//! seals them; reads take both: an address in clear has an `@` (a sealed one is base64, which has
//! none), an IP hash in clear is 16 bytes (a sealed one is longer).

use undersigned_core::data_key::DataKey;
use undersigned_core::keys::ShortKey;
use undersigned_core::private_fields::{PrivateFields, is_sealed_to_owners};
use undersigned_core::store::{StoreError, StoreResult};

/// A column whose values are sealed: its name is part of what each value is sealed with.
#[derive(Clone, Copy, Debug)]
pub struct Column(&'static str);

pub const SIGNATURE_EMAIL: Column = Column("signatures.email");
pub const SIGNATURE_IP: Column = Column("signatures.ip_key");
pub const ENDORSEMENT_EMAIL: Column = Column("endorsements.contact_email");
pub const ENDORSEMENT_IP: Column = Column("endorsements.ip_key");
pub const COMMENTER_EMAIL: Column = Column("commenters.email");
pub const PROPOSER_EMAIL: Column = Column("proposals.email");
/// The IP hash a trending alert names (the row: the campaign's id).
pub const TREND_IP_HASH: Column = Column("trend_alerts.shown");
/// An IP hash on a block list (the row: the list's scope).
pub const BLOCKED_IP_HASH: Column = Column("block_list.value");
/// An identifier an import came with: kept as a keyed digest only.
pub const IMPORTED_IDENTIFIER: Column = Column("imported_identifiers.identifier");

/// The row a value kept per campaign (or per scope of a block list) is sealed for: the id.
pub fn scope_row(scope: i64) -> Vec<u8> {
    scope.to_string().into_bytes()
}

/// An organiser's TOTP secret (the row: the account's id).
pub const SECOND_FACTOR_SECRET: Column = Column("second_factors.secret");
/// A recovery code: kept as a keyed digest only.
pub const RECOVERY_CODE: Column = Column("recovery_codes.digest");

/// What starts a keyed digest kept in a text column ([`digest`]).
const DIGEST: &str = "digest:";

/// The associated data of a value: its column and its row's email key.
fn aad(column: Column, row: &[u8]) -> Vec<u8> {
    let mut aad = Vec::with_capacity(column.0.len() + 1 + row.len());
    aad.extend_from_slice(column.0.as_bytes());
    aad.push(0);
    aad.extend_from_slice(row);
    aad
}

/// An address sealed for its column and row. The empty address (anonymised) stays empty.
pub fn seal_email(key: &DataKey, column: Column, row: &[u8], email: &str) -> String {
    match email.is_empty() {
        true => String::new(),
        false => key.seal_text(&aad(column, row), email),
    }
}

/// An address as stored, opened: sealed, or in clear from before the data key.
pub fn open_email(key: &DataKey, column: Column, row: &[u8], stored: &str) -> StoreResult<String> {
    if stored.is_empty() || is_clear_email(stored) {
        return Ok(stored.to_owned());
    }
    key.open_text(&aad(column, row), stored).map_err(|e| corrupt(column, e))
}

/// Whether a stored address is in clear (from before the data key).
pub fn is_clear_email(stored: &str) -> bool {
    stored.contains('@')
}

/// An IP hash sealed for its column and row.
pub fn seal_ip(key: &DataKey, column: Column, row: &[u8], ip_key: &[u8]) -> Vec<u8> {
    key.seal(&aad(column, row), ip_key)
}

/// An IP hash as stored, opened: sealed, or in clear from before the data key.
pub fn open_ip(key: &DataKey, column: Column, row: &[u8], stored: &[u8]) -> StoreResult<ShortKey> {
    if let Ok(clear) = ShortKey::try_from(stored) {
        return Ok(clear);
    }
    let opened = key.open(&aad(column, row), stored).map_err(|e| corrupt(column, e))?;
    ShortKey::try_from(&opened[..]).map_err(|_| corrupt(column, "an IP hash is not 16 bytes"))
}

/// Whether a stored IP hash is in clear (from before the data key).
pub fn is_clear_ip(stored: &[u8]) -> bool {
    stored.len() == std::mem::size_of::<ShortKey>()
}

/// The keyed digest of a row's private fields (`private_digest`): what a later submission is
/// compared with; `None` when it has none. Sealed as `crate::owner_sealing` says.
pub fn private_digest(key: &DataKey, row: &[u8], fields: &PrivateFields) -> Option<Vec<u8>> {
    (!fields.is_empty()).then(|| fields.digest(key, row))
}

/// An IP hash written as text (32 hex digits, as the moderation page shows it), sealed for its
/// column and row.
pub fn seal_ip_text(key: &DataKey, column: Column, row: &[u8], ip_hash: &str) -> String {
    key.seal_text(&aad(column, row), ip_hash)
}

/// An IP hash written as text as stored, opened: sealed, or in clear from before the data key.
pub fn open_ip_text(key: &DataKey, column: Column, row: &[u8], stored: &str) -> StoreResult<String> {
    if is_clear_ip_text(stored) {
        return Ok(stored.to_owned());
    }
    key.open_text(&aad(column, row), stored).map_err(|e| corrupt(column, e))
}

/// Whether an IP hash written as text is in clear: 32 hex digits (a sealed one is longer).
pub fn is_clear_ip_text(stored: &str) -> bool {
    stored.len() == 32 && stored.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A keyed digest of `value` for its column (`digest:` and 32 hex digits): what a uniqueness or a
/// lookup compares where the value itself is not kept in clear. The same value gives the same
/// digest; without the data key it says nothing of the value.
pub fn digest(key: &DataKey, column: Column, value: &str) -> String {
    let bytes = key.digest(column.0.as_bytes(), value.as_bytes());
    format!("{DIGEST}{}", hex::encode(bytes))
}

/// The condition, in SQL, that `column` holds a value in clear rather than a keyed digest.
pub fn not_digest(column: &str) -> String {
    format!("{column} NOT LIKE '{DIGEST}%'")
}

/// A signature's private fields as stored (`private_sealed`, `private_digest`): `None` when it has
/// none. Sealed under the data key (see `undersigned_core::private_fields`).
pub fn seal_private(key: &DataKey, row: &[u8], fields: &PrivateFields) -> (Option<String>, Option<Vec<u8>>) {
    if fields.is_empty() {
        return (None, None);
    }
    (Some(fields.seal_under_data_key(key, row)), Some(fields.digest(key, row)))
}

/// A row's private fields as stored, opened: none when the row has none, or when they are sealed
/// to the owners' keys (which the server cannot open: a caller that must tell the two apart asks
/// `undersigned_core::private_fields::is_sealed_to_owners`).
pub fn open_private(key: &DataKey, row: &[u8], stored: Option<&str>) -> StoreResult<PrivateFields> {
    match stored {
        None | Some("") => Ok(PrivateFields::default()),
        Some(stored) if is_sealed_to_owners(stored) => Ok(PrivateFields::default()),
        Some(stored) => PrivateFields::open_under_data_key(key, row, stored)
            .map_err(|e| StoreError::Corrupt(format!("signatures.private_sealed: {e}"))),
    }
}

/// Bytes sealed for their column and row (always sealed: nothing of these was kept in clear).
pub fn seal_bytes(key: &DataKey, column: Column, row: &[u8], bytes: &[u8]) -> Vec<u8> {
    key.seal(&aad(column, row), bytes)
}

/// What [`seal_bytes`] sealed, opened.
pub fn open_bytes(key: &DataKey, column: Column, row: &[u8], stored: &[u8]) -> StoreResult<Vec<u8>> {
    key.open(&aad(column, row), stored).map_err(|e| corrupt(column, e))
}

/// The keyed digest of a value, as bytes (the data key's digest for the column).
pub fn digest_bytes(key: &DataKey, column: Column, value: &str) -> Vec<u8> {
    key.digest(column.0.as_bytes(), value.as_bytes())
}

fn corrupt(column: Column, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{}: {e}", column.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_open_in_their_own_column_and_row_only_and_clear_ones_pass_through() {
        let key = DataKey::new([5; 32]);
        let sealed = seal_email(&key, SIGNATURE_EMAIL, b"row-1", "wong@example.org");
        assert!(!is_clear_email(&sealed));
        assert_eq!(open_email(&key, SIGNATURE_EMAIL, b"row-1", &sealed).unwrap(), "wong@example.org");
        assert!(open_email(&key, SIGNATURE_EMAIL, b"row-2", &sealed).is_err(), "another row");
        assert!(open_email(&key, COMMENTER_EMAIL, b"row-1", &sealed).is_err(), "another column");
        assert_eq!(
            open_email(&key, SIGNATURE_EMAIL, b"row-1", "old@example.org").unwrap(),
            "old@example.org"
        );
        assert_eq!(seal_email(&key, SIGNATURE_EMAIL, b"row-1", ""), "");

        let ip = [7u8; 16];
        let sealed = seal_ip(&key, SIGNATURE_IP, b"row-1", &ip);
        assert!(!is_clear_ip(&sealed));
        assert_eq!(open_ip(&key, SIGNATURE_IP, b"row-1", &sealed).unwrap(), ip);
        assert!(open_ip(&key, ENDORSEMENT_IP, b"row-1", &sealed).is_err());
        assert_eq!(open_ip(&key, SIGNATURE_IP, b"row-1", &ip).unwrap(), ip, "in clear, from before");

        let hash = "0123456789abcdef0123456789abcdef";
        let sealed = seal_ip_text(&key, BLOCKED_IP_HASH, b"0", hash);
        assert!(!is_clear_ip_text(&sealed) && !sealed.contains(hash));
        assert_eq!(open_ip_text(&key, BLOCKED_IP_HASH, b"0", &sealed).unwrap(), hash);
        assert!(open_ip_text(&key, BLOCKED_IP_HASH, b"7", &sealed).is_err(), "another scope");
        assert_eq!(open_ip_text(&key, BLOCKED_IP_HASH, b"7", hash).unwrap(), hash, "in clear");
        let digested = digest(&key, IMPORTED_IDENTIFIER, "crm:1234");
        assert!(digested.starts_with(DIGEST) && !digested.contains("1234"));
        assert_eq!(digested, digest(&key, IMPORTED_IDENTIFIER, "crm:1234"));
        assert_ne!(digested, digest(&key, TREND_IP_HASH, "crm:1234"));
    }
}
