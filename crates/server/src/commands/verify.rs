//! `undersigned verify FILE [--key KEY]`: checks a campaign's CSV export against the signed
//! checkpoint it carries. Every row's record must hash to its leaf hash and say what the row
//! says (public name, country, and with addresses the commitment to the address); every
//! signature removed from the database must have been revoked in the log; the leaves, from 0 on
//! without a gap, must make the checkpoint's root; and the checkpoint must be signed by the key.
//! Needs no database and no network: the target of a campaign can run it on what it was given.

use std::path::Path;

use anyhow::{Context, bail};
use undersigned_core::checkpoint::VerifierKey;
use undersigned_core::signature_log::{ExportLeaf, Salt, check_export, commitment, field};
use undersigned_core::tlog::{self, Hash};
use undersigned_core::validation::Email;

/// One row's leaf, as read.
struct Row {
    row: usize,
    index: u64,
    hash: Hash,
    claimed: Option<Hash>,
}

fn unhex(text: &str) -> Option<Hash> {
    if text.len() != 64 {
        return None;
    }
    let bytes: Option<Vec<u8>> =
        (0..64).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect();
    bytes?.try_into().ok()
}

/// `--key`: the key itself, or a file that holds it.
fn read_key(key: &str) -> anyhow::Result<String> {
    match std::fs::read_to_string(key) {
        Ok(text) => Ok(text.trim().to_owned()),
        Err(_) if key.contains('+') => Ok(key.trim().to_owned()),
        Err(e) => Err(e).with_context(|| format!("reading the key file {key}")),
    }
}

/// Verifies the export at `path`; what it prints when it holds.
pub fn run(path: &Path, key: Option<&str>) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
    let header: Vec<String> =
        reader.headers().context("reading the export's header")?.iter().map(str::to_owned).collect();
    let column = |name: &str| header.iter().position(|h| h == name);
    let need = |name: &str| {
        column(name).with_context(|| {
            format!("the export has no column {name}: is it an export of Undersigned with the signature log?")
        })
    };
    let (kind, public_name, country, source) =
        (need("kind")?, need("public_name")?, need("country")?, need("source")?);
    let (leaf_col, hash_col, record_col) = (need("log_leaf")?, need("log_leaf_hash")?, need("log_record")?);
    let (email_col, salt_col) = (column("email"), column("log_salt"));

    let mut rows = Vec::new();
    let mut checkpoint = None;
    let mut problems = Vec::new();
    let mut gone = Vec::new();
    let mut revoked = std::collections::HashSet::new();
    for (i, record) in reader.records().enumerate() {
        let n = i + 1;
        let record = record.with_context(|| format!("row {n} is not CSV the export writes"))?;
        let cell = |c: usize| record.get(c).unwrap_or("");
        let row_kind = cell(kind);
        if row_kind == "checkpoint" {
            checkpoint = Some((cell(record_col).to_owned(), cell(source).to_owned()));
            continue;
        }
        let endorsement = ENDORSERS.contains(&row_kind);
        if cell(leaf_col).is_empty() {
            if row_kind == "signature" {
                problems.push(format!("row {n}: this signature has no leaf in the log (added by hand, or signed before the log began)"));
            }
            if endorsement {
                problems.push(format!("row {n}: this endorsement has no leaf in the log (added by hand, or listed before the log took endorsements)"));
            }
            continue;
        }
        let Ok(index) = cell(leaf_col).parse::<u64>() else {
            problems.push(format!("row {n}: log_leaf is not a leaf index"));
            continue;
        };
        let leaf_record = cell(record_col);
        let hash = tlog::leaf_hash(leaf_record.as_bytes());
        let claimed = unhex(cell(hash_col));
        if claimed != Some(hash) {
            problems.push(format!(
                "row {n} (leaf {index}) does not match the log: its record does not hash to its leaf hash"
            ));
        }
        if row_kind == "signature" {
            if field(leaf_record, "name") != Some(cell(public_name).trim_start_matches('\'')) {
                problems.push(format!(
                    "row {n} (leaf {index}) does not match the log: the public name differs from the leaf's"
                ));
            }
            if field(leaf_record, "country") != Some(cell(country)) {
                problems.push(format!(
                    "row {n} (leaf {index}) does not match the log: the country differs from the leaf's"
                ));
            }
            if let (Some(email), Some(salt)) = (email_col.map(cell), salt_col.map(cell))
                && !salt.is_empty()
            {
                let canonical = Email::parse("email", email.trim_start_matches('\'')).map(|e| e.canonical());
                let salt: Vec<u8> = (0..salt.len())
                    .step_by(2)
                    .filter_map(|i| u8::from_str_radix(salt.get(i..i + 2)?, 16).ok())
                    .collect();
                let made = match (canonical, Salt::try_from(salt)) {
                    (Ok(canonical), Ok(salt)) => Some(hex::encode(commitment(&salt, &canonical))),
                    _ => None,
                };
                if made.as_deref() != field(leaf_record, "commitment") {
                    problems.push(format!("row {n} (leaf {index}) does not match the log: the email address differs from the leaf's commitment"));
                }
            }
        }
        if endorsement {
            let shown = Shown {
                kind: row_kind,
                name: unneutralised(cell(public_name)),
                organisation_type: column("organisation_type").map(cell).unwrap_or(""),
                country: cell(country),
                statement: column("comment").map(cell).unwrap_or(""),
            };
            problems.extend(endorsement_differs(leaf_record, &shown).into_iter().map(|what| {
                format!("row {n} (leaf {index}) does not match the log: {what} differs from the leaf's")
            }));
        }
        if row_kind == "log:gone" {
            gone.push((n, index));
        }
        if let Some(target) = field(leaf_record, "revokes").and_then(|t| t.parse::<u64>().ok()) {
            revoked.insert(target);
        }
        rows.push(Row { row: n, index, hash, claimed });
    }
    for (n, index) in gone {
        if !revoked.contains(&index) {
            problems.push(format!("row {n} (leaf {index}): its signature or endorsement was removed from the database, but no leaf of the log revokes it"));
        }
    }
    let Some((note, file_key)) = checkpoint else {
        bail!("the export carries no checkpoint (no row of kind \"checkpoint\")")
    };
    let (key_text, trusted) = match key {
        Some(key) => (read_key(key)?, true),
        None => (file_key, false),
    };
    let key = VerifierKey::parse(&key_text).map_err(|e| anyhow::anyhow!("{e}"))?;
    let size = key.open(&note).map_err(|e| anyhow::anyhow!("{e}"))?.size;
    rows.sort_by_key(|r| r.index);
    for r in rows.iter().filter(|r| r.index >= size) {
        problems.push(format!(
            "row {} (leaf {}) is not covered by the checkpoint, of {size} leaves",
            r.row, r.index
        ));
    }
    for pair in rows.windows(2) {
        if pair[0].index == pair[1].index {
            problems.push(format!(
                "row {} (leaf {}): the leaf appears twice, also in row {}",
                pair[1].row, pair[1].index, pair[0].row
            ));
        }
    }
    if !problems.is_empty() {
        bail!("the export does not match its log:\n  {}", problems.join("\n  "));
    }
    let leaves: Vec<ExportLeaf> =
        rows.iter().map(|r| ExportLeaf { row: r.row, index: r.index, hash: r.hash }).collect();
    let claimed: Vec<Option<Hash>> = rows.iter().map(|r| r.claimed).collect();
    check_export(&leaves, &claimed, &note, &key, None)
        .map_err(|e| anyhow::anyhow!("the export does not match its log: {e}"))?;
    let origin = note.lines().next().unwrap_or("");
    let mut out =
        format!("OK: {size} leaves of the log {origin} make the root of its checkpoint, signed by {key}\n");
    if !trusted {
        out.push_str("The key was taken from the file: compare it with the one the site publishes at /log/key, or run again with --key.\n");
    }
    Ok(out)
}

/// The kinds of an endorsement's row.
const ENDORSERS: [&str; 3] = ["organisation", "person", "individuals"];

/// A cell as written before the export neutralised it (a leading apostrophe before `=`, `+`,
/// `-`, `@`).
fn unneutralised(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// An endorsement's row as the export shows it.
struct Shown<'a> {
    kind: &'a str,
    name: &'a str,
    organisation_type: &'a str,
    country: &'a str,
    statement: &'a str,
}

/// What of an endorsement's row differs from its leaf's record (`docs/verifying.md`): the
/// endorser's kind, the name (or for individuals, their number), type, country, statement.
fn endorsement_differs(record: &str, shown: &Shown) -> Vec<&'static str> {
    let statement = match unneutralised(shown.statement) {
        "" => String::new(),
        text => hex::encode(undersigned_core::signature_log::text_hash(text)),
    };
    let name = match shown.kind {
        "individuals" => ("individuals", shown.name, "the number of individuals"),
        _ => ("name", shown.name, "the name"),
    };
    [
        ("endorser", shown.kind, "the kind of endorsement"),
        name,
        ("type", shown.organisation_type, "the organisation type"),
        ("country", shown.country, "the country"),
        ("statement", statement.as_str(), "the statement"),
    ]
    .into_iter()
    .filter(|(field_name, value, _)| field(record, field_name) != Some(*value))
    .map(|(_, _, what)| what)
    .collect()
}
