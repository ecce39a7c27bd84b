//! A signer's private fields, sealed as one value per row: what the public does not see of a
//! signature (the full name when it is not shown in full, the city, the affiliation, the comment,
//! and the answers to the campaign's own questions) or of an endorsement (the contact's name).
//!
//! The value is the fields as a JSON object, sealed one of two ways:
//! - to the campaign owners' age keys ([`crate::age`]): the stored text is the base64 of a
//!   standard age file (`header ‖ nonce ‖ payload`), the form the `_sealed` columns of an export
//!   carry and that `/open` and `base64 -d | age -d -i key.txt` open. The header is repeated in
//!   every row: one [`Sealer`] per batch makes it once (one X25519 per recipient), each row then
//!   costs one HKDF and one ChaCha20-Poly1305; repeating its ~200 bytes per row keeps each row a
//!   file of its own, with no table of headers to join or keep.
//! - under the server's data key ([`DataKey`]), while the campaign has no active owner key: the
//!   stored text is `datakey:` and the base64 of [`DataKey::seal`]. A dump alone gives nothing
//!   away, but a server with its data key can read them: `undersigned data seal` reseals them to
//!   the owners' keys ([`reseal`]) once there are some.
//!
//! The sealed value is bound to its row (the row's key is part of the data key's associated data),
//! so that a value copied by hand to another row does not open there.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde::{Deserialize, Serialize};

use crate::age::Sealer;
use crate::data_key::DataKey;
use crate::signature::{NameDisplay, NewSignature};

/// What marks a value sealed under the data key (an age file in base64 starts `YWdl`).
const DATA_KEY_PREFIX: &str = "datakey:";
/// The purpose the data key seals private fields for (with the row's key after it).
const PURPOSE: &[u8] = b"undersigned/private-fields/v1";

/// The fields of a row that only its campaign's owners read. Absent fields are left out of the
/// JSON, so an empty object is what a signer who gave nothing private leaves.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivateFields {
    /// The full name, when the signer chose not to show it in full.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// An endorsement's contact person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_name: Option<String>,
    /// A signer's answers to the campaign's own questions, by question id.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub answers: crate::question::Answers,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PrivateFieldsError {
    #[error("the private fields do not open with this data key (another key, another row, or damaged)")]
    DoesNotOpen,
    #[error("the private fields are sealed to the organisers' keys: only they can open them")]
    SealedToOwners,
}

impl PrivateFields {
    /// The private part of a signature: the name only when it is not shown in full.
    pub fn of_signature(signature: &NewSignature) -> Self {
        Self {
            name: (signature.display != NameDisplay::Full).then(|| signature.name.clone()),
            city: signature.city.clone(),
            affiliation: signature.affiliation.clone(),
            comment: signature.comment.clone(),
            contact_name: None,
            answers: signature.answers.clone(),
        }
    }

    /// The private part of an endorsement: its contact's name.
    pub fn of_contact(contact_name: &str) -> Self {
        Self { contact_name: Some(contact_name.to_owned()), ..Self::default() }
    }

    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Puts the private fields back into a signature read from its row (whose name is the public
    /// form): the full name, when it was kept here, and the rest.
    pub fn restore(self, signature: &mut NewSignature) {
        if let Some(name) = self.name {
            signature.name = name;
        }
        signature.city = self.city;
        signature.affiliation = self.affiliation;
        signature.comment = self.comment;
        signature.answers = self.answers;
    }

    /// A keyed digest of the fields under the data key, for the row `row`: what a later submission
    /// is compared with to tell whether its signer changed them (the sealed value differs each time).
    pub fn digest(&self, key: &DataKey, row: &[u8]) -> Vec<u8> {
        key.digest(&purpose(row), &self.to_json())
    }

    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("strings serialise")
    }

    pub fn from_json(bytes: &[u8]) -> Result<Self, PrivateFieldsError> {
        serde_json::from_slice(bytes).map_err(|_| PrivateFieldsError::DoesNotOpen)
    }

    /// Sealed to the owners' keys behind `sealer`'s header: a base64 age file.
    pub fn seal_to_owners(&self, sealer: &Sealer) -> String {
        STANDARD.encode(sealer.seal_file(&self.to_json()))
    }

    /// Sealed under the data key for the row `row` (its email key), while there is no owner key.
    pub fn seal_under_data_key(&self, key: &DataKey, row: &[u8]) -> String {
        let sealed = key.seal(&purpose(row), &self.to_json());
        format!("{DATA_KEY_PREFIX}{}", URL_SAFE_NO_PAD.encode(sealed))
    }

    /// Opens a stored value sealed under the data key; one sealed to the owners does not open here.
    pub fn open_under_data_key(key: &DataKey, row: &[u8], stored: &str) -> Result<Self, PrivateFieldsError> {
        let Some(encoded) = stored.strip_prefix(DATA_KEY_PREFIX) else {
            return Err(PrivateFieldsError::SealedToOwners);
        };
        let sealed = URL_SAFE_NO_PAD.decode(encoded).map_err(|_| PrivateFieldsError::DoesNotOpen)?;
        let json = key.open(&purpose(row), &sealed).map_err(|_| PrivateFieldsError::DoesNotOpen)?;
        Self::from_json(&json)
    }
}

/// Whether a stored value is sealed to the owners' keys (not under the data key).
pub fn is_sealed_to_owners(stored: &str) -> bool {
    !stored.is_empty() && !stored.starts_with(DATA_KEY_PREFIX)
}

/// A value sealed under the data key, sealed again to the owners' keys (`undersigned data seal`);
/// `None` when it already is.
pub fn reseal(
    key: &DataKey,
    row: &[u8],
    stored: &str,
    sealer: &Sealer,
) -> Result<Option<String>, PrivateFieldsError> {
    if is_sealed_to_owners(stored) {
        return Ok(None);
    }
    Ok(Some(PrivateFields::open_under_data_key(key, row, stored)?.seal_to_owners(sealer)))
}

fn purpose(row: &[u8]) -> Vec<u8> {
    let mut purpose = PURPOSE.to_vec();
    purpose.push(0);
    purpose.extend_from_slice(row);
    purpose
}

#[cfg(test)]
#[path = "private_fields_tests.rs"]
mod tests;
