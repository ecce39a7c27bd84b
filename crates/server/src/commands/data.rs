//! `undersigned data seal`: seals under the data key the addresses, IP hashes and signers' private
//! fields (city, affiliation, comment, a name not shown in full) that a version before it left in
//! clear, in batches that each commit. It can be stopped at any point (Ctrl-C,
//! `--limit`) and run again: what is sealed stays sealed, and the next run goes on with the rest.
//! The server runs meanwhile, and reads rows of both kinds. Last, private fields sealed under the
//! data key (while their campaign had no owner key) are sealed again to the owners' keys once
//! there are some: after that, the server itself cannot open them.

use undersigned_core::Store;
use undersigned_core::store::SealCursor;

/// Seals up to `limit` rows (all, without one), `batch_size` to a transaction; what it did and
/// what is left, in a line.
pub async fn seal(store: &dyn Store, batch_size: u32, limit: Option<u64>) -> anyhow::Result<String> {
    let batch_size = batch_size.max(1);
    let (mut cursor, mut sealed, mut batches) = (Some(SealCursor::default()), 0u64, 0u64);
    while let Some(from) = cursor {
        let size = match limit {
            Some(limit) if sealed >= limit => break,
            Some(limit) => batch_size.min(u32::try_from(limit - sealed).unwrap_or(u32::MAX)),
            None => batch_size,
        };
        let batch = store.seal_in_clear(from, size).await?;
        sealed += batch.sealed;
        cursor = batch.next;
        batches += 1;
        if batches % 100 == 0 {
            tracing::info!(sealed, "sealing: still going");
        }
    }
    let (left, reseal) = (store.rows_in_clear().await?, store.rows_to_reseal().await?);
    let mut said = match left {
        0 => format!("sealed {sealed} rows; none is left in clear"),
        _ => format!("sealed {sealed} rows; {left} still in clear: run `undersigned data seal` again"),
    };
    if reseal > 0 {
        said.push_str(&format!(
            "; {reseal} sealed under the data key still to be sealed to the owners' keys: run `undersigned data seal` again"
        ));
    }
    said.push('\n');
    Ok(said)
}
