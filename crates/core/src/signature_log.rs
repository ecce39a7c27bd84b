//! What a campaign's signature log holds: one leaf per confirmed signature, approved
//! endorsement and revocation, each the canonical record of its public form only, and the check
//! that an export's leaves make the root a signed checkpoint names.
//!
//! A record is a few lines of UTF-8 text, so that anyone can hash it with standard tools
//! (`docs/verifying.md`): `printf '\0' | cat - record.txt | sha256sum` is its leaf hash.
//! No email address is in it, only `commitment = SHA-256(salt ‖ canonical address)` with a random
//! 16-byte salt per signature; deleting the salts (anonymisation) leaves the leaves unlinkable.

use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::checkpoint::{CheckpointError, VerifierKey};
use crate::tlog::{self, Hash};

pub type Salt = [u8; 16];

pub fn new_salt() -> Salt {
    rand::random()
}

/// SHA-256(salt ‖ canonical address).
pub fn commitment(salt: &Salt, canonical_email: &str) -> Hash {
    let mut h = Sha256::new();
    h.update(salt);
    h.update(canonical_email.as_bytes());
    h.finalize().into()
}

/// SHA-256 of the text of a campaign's language version at a revision: what the signer read.
pub fn text_hash(text: &str) -> Hash {
    Sha256::digest(text.as_bytes()).into()
}

/// SHA-256 of a language version's text as the signer read it (title, summary, target, body and
/// demands, one per line after a blank line): the `text` of a signature's leaf.
pub fn version_hash<'a>(
    version: &crate::CampaignVersion,
    demands: impl IntoIterator<Item = &'a str>,
) -> Hash {
    let mut text =
        format!("{}\n{}\n{}\n\n{}\n\n", version.title, version.summary, version.target, version.body);
    for demand in demands {
        text.push_str(demand);
        text.push('\n');
    }
    text_hash(&text)
}

/// A signature's leaf as fixed when its signer submits it: the salt of its commitment and the
/// record's fields. The row of the pending signature keeps only what its other columns do not
/// ([`SignedLeaf::digests`]: the text's hash and the commitment, 64 bytes); the record is made
/// again from the row when it is confirmed ([`signature_record`]) and when its receipt is mailed.
/// Keeping the record's text on every row (254 bytes) cost the signing rate several per cent on
/// SQLite (bench/run.sh, `docs/benchmarks.md`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedLeaf {
    pub salt: Salt,
    pub record: LeafRecord,
}

/// The length of [`SignedLeaf::digests`].
pub const DIGESTS_LEN: usize = 64;

impl SignedLeaf {
    /// The leaf of `signer`'s signature of `campaign`, having read the text hashed as `text`,
    /// at `now`: the name as the public list shows it (the one function it uses,
    /// `NameDisplay::public_name`), with a fresh salt.
    pub fn of(
        campaign: i64,
        signer: &crate::signature::NewSignature,
        text: Hash,
        now: OffsetDateTime,
    ) -> Self {
        Self::of_canonical(campaign, signer, &signer.email.canonical(), text, now)
    }

    /// [`SignedLeaf::of`], with the signer's canonical address made already (`Email::canonical`).
    pub fn of_canonical(
        campaign: i64,
        signer: &crate::signature::NewSignature,
        canonical_email: &str,
        text: Hash,
        now: OffsetDateTime,
    ) -> Self {
        let salt = new_salt();
        let record = LeafRecord::Signature {
            campaign,
            signed: now,
            name: signer.display.public_name(&signer.name).unwrap_or_default(),
            country: signer.country.clone(),
            text,
            commitment: commitment(&salt, canonical_email),
        };
        Self { salt, record }
    }

    /// The canonical record: the bytes its leaf hash covers.
    pub fn canonical(&self) -> String {
        self.record.canonical()
    }

    pub fn hash(&self) -> Hash {
        self.record.leaf_hash()
    }

    /// What the signature's row keeps of its leaf besides its own columns: the hash of the text
    /// signed, then the commitment.
    pub fn digests(&self) -> [u8; DIGESTS_LEN] {
        let mut digests = [0; DIGESTS_LEN];
        if let LeafRecord::Signature { text, commitment, .. } = &self.record {
            digests[..32].copy_from_slice(text);
            digests[32..].copy_from_slice(commitment);
        }
        digests
    }
}

/// A signature's canonical record, made from its row: the campaign, the time it was first
/// signed (to the minute), its public name and country, and the [`SignedLeaf::digests`] kept.
/// `None` when the digests are not 64 bytes (a row damaged by hand).
pub fn signature_record(
    campaign: i64,
    signed: OffsetDateTime,
    name: &str,
    country: &str,
    digests: &[u8],
) -> Option<String> {
    let (text, commitment) = (digests.get(..32)?, digests.get(32..)?);
    let record = LeafRecord::Signature {
        campaign,
        signed,
        name: name.to_owned(),
        country: country.to_owned(),
        text: text.try_into().ok()?,
        commitment: commitment.try_into().ok()?,
    };
    Some(record.canonical())
}

/// An endorsement's leaf, fixed when it is made: its public form as the public list shows it
/// (the organisation's or person's name, or the number of individuals; the type, the country, a
/// hash of the statement) and, for one sent through the form, a commitment to its contact's
/// address with a fresh salt. Kept on the endorsement's row, appended when it is listed.
pub fn endorsement_leaf(
    campaign: i64,
    spec: &crate::EndorsementSpec,
    contact: Option<&crate::Email>,
    made: OffsetDateTime,
) -> (Option<Salt>, String) {
    use crate::Endorser;
    let (endorser, name, organisation_type, individuals) = match &spec.endorser {
        Endorser::Organisation { name, org_type, .. } => ("organisation", name.clone(), org_type.as_str(), 0),
        Endorser::Person { name } => ("person", name.clone(), "", 1),
        Endorser::Individuals { count } => ("individuals", String::new(), "", i64::from(*count)),
    };
    let salt = contact.map(|_| new_salt());
    let record = LeafRecord::Endorsement {
        campaign,
        signed: made,
        endorser: endorser.to_owned(),
        name,
        organisation_type: organisation_type.to_owned(),
        country: spec.country.clone().unwrap_or_default(),
        individuals,
        statement: spec.statement.as_deref().map(text_hash),
        commitment: salt.zip(contact).map(|(salt, email)| commitment(&salt, &email.canonical())),
    };
    (salt, record.canonical())
}

/// A leaf's public fields, in the order its record writes them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LeafRecord {
    Signature {
        campaign: i64,
        /// The minute signed, UTC.
        signed: OffsetDateTime,
        /// The name as the public list shows it; empty when hidden.
        name: String,
        country: String,
        text: Hash,
        commitment: Hash,
    },
    Endorsement {
        campaign: i64,
        /// The minute it was made (sent through the form, entered, imported), UTC.
        signed: OffsetDateTime,
        /// "organisation", "person" or "individuals", as the export's `kind` column.
        endorser: String,
        /// The organisation's or the person's name as listed; empty for a number of individuals.
        name: String,
        /// The organisation's type (`trade-union`...); empty for people.
        organisation_type: String,
        /// The country or region it is listed under; empty when none.
        country: String,
        /// How many people: 1 for a named person, the count for individuals, 0 for an organisation.
        individuals: i64,
        /// SHA-256 of its public statement, if it has one.
        statement: Option<Hash>,
        /// The commitment to its contact's address, for one sent through the form.
        commitment: Option<Hash>,
    },
    /// Withdrawal, invalidation or removal of the leaf at `revokes`.
    Revoke { campaign: i64, signed: OffsetDateTime, revokes: u64 },
}

/// One line's value: no line breaks inside (public names never hold one; this keeps the record
/// parseable whatever comes).
fn one_line(value: &str) -> String {
    value.replace(['\n', '\r'], " ")
}

fn minute(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute()
    )
}

impl LeafRecord {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Signature { .. } => "signature",
            Self::Endorsement { .. } => "endorsement",
            Self::Revoke { .. } => "revoke",
        }
    }

    /// The canonical record: the bytes the leaf hash covers.
    pub fn canonical(&self) -> String {
        let mut lines = vec!["undersigned-log-leaf/v1".to_owned(), format!("kind: {}", self.kind())];
        match self {
            Self::Signature { campaign, signed, name, country, text, commitment } => {
                lines.push(format!("campaign: {campaign}"));
                lines.push(format!("signed: {}", minute(*signed)));
                lines.push(format!("name: {}", one_line(name)));
                lines.push(format!("country: {}", one_line(country)));
                lines.push(format!("text: {}", hex::encode(text)));
                lines.push(format!("commitment: {}", hex::encode(commitment)));
            }
            Self::Endorsement {
                campaign,
                signed,
                endorser,
                name,
                organisation_type,
                country,
                individuals,
                statement,
                commitment,
            } => {
                lines.push(format!("campaign: {campaign}"));
                lines.push(format!("signed: {}", minute(*signed)));
                lines.push(format!("endorser: {}", one_line(endorser)));
                lines.push(format!("name: {}", one_line(name)));
                lines.push(format!("type: {}", one_line(organisation_type)));
                lines.push(format!("country: {}", one_line(country)));
                lines.push(format!("individuals: {individuals}"));
                lines.push(format!("statement: {}", statement.map(hex::encode).unwrap_or_default()));
                lines.push(format!("commitment: {}", commitment.map(hex::encode).unwrap_or_default()));
            }
            Self::Revoke { campaign, signed, revokes } => {
                lines.push(format!("campaign: {campaign}"));
                lines.push(format!("signed: {}", minute(*signed)));
                lines.push(format!("revokes: {revokes}"));
            }
        }
        let mut text = lines.join("\n");
        text.push('\n');
        text
    }

    pub fn leaf_hash(&self) -> Hash {
        tlog::leaf_hash(self.canonical().as_bytes())
    }
}

/// A field of a canonical record (`name`, `country`, `revokes`...), as written.
pub fn field<'a>(record: &'a str, name: &str) -> Option<&'a str> {
    record.lines().find_map(|line| {
        line.strip_prefix(name)?.strip_prefix(": ").or_else(|| {
            // An empty value is written "name: " (the trailing space kept).
            (line.len() == name.len() + 1 && line.ends_with(':')).then_some("")
        })
    })
}

/// Why an export does not match its checkpoint, as precisely as the rows allow.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExportMismatch {
    #[error(transparent)]
    Checkpoint(#[from] CheckpointError),
    #[error("the checkpoint is for {found}, the export for {expected}")]
    Origin { expected: String, found: String },
    #[error("the export has {rows} leaves, the checkpoint {size}")]
    Count { rows: u64, size: u64 },
    #[error("row {row} is leaf {leaf}, where leaf {expected} was due: a leaf is missing or out of order")]
    Order { row: usize, leaf: u64, expected: u64 },
    #[error("row {row} (leaf {leaf}) does not match the log")]
    Leaf { row: usize, leaf: u64 },
    #[error("the leaves do not make the checkpoint's root: a row was changed, removed or added")]
    Root,
}

/// One leaf of an export: the data row it came from (1 = the first after the header), its index
/// and its record as the export gives it.
pub struct ExportLeaf {
    pub row: usize,
    pub index: u64,
    pub hash: Hash,
}

/// Checks an export's leaves against a signed checkpoint: signed by `key`, for `origin` (when
/// known), as many
/// leaves as the tree, and their root its root. Where a row's leaf differs, an inclusion proof
/// cannot be had offline, so the row is named by comparing with `claimed` leaf hashes when the
/// export carries them.
pub fn check_export(
    leaves: &[ExportLeaf],
    claimed: &[Option<Hash>],
    note: &str,
    key: &VerifierKey,
    origin: Option<&str>,
) -> Result<u64, ExportMismatch> {
    let checkpoint = key.open(note)?;
    if let Some(origin) = origin
        && checkpoint.origin != origin
    {
        return Err(ExportMismatch::Origin { expected: origin.to_owned(), found: checkpoint.origin });
    }
    for (i, leaf) in leaves.iter().enumerate() {
        if leaf.index != i as u64 {
            return Err(ExportMismatch::Order { row: leaf.row, leaf: leaf.index, expected: i as u64 });
        }
        if let Some(Some(claimed)) = claimed.get(i)
            && *claimed != leaf.hash
        {
            return Err(ExportMismatch::Leaf { row: leaf.row, leaf: leaf.index });
        }
    }
    if leaves.len() as u64 != checkpoint.size {
        return Err(ExportMismatch::Count { rows: leaves.len() as u64, size: checkpoint.size });
    }
    let mut frontier = tlog::Frontier::default();
    for leaf in leaves {
        frontier.push(leaf.hash);
    }
    if frontier.root() != checkpoint.root {
        return Err(ExportMismatch::Root);
    }
    Ok(checkpoint.size)
}

#[cfg(test)]
#[path = "signature_log_tests.rs"]
mod tests;
