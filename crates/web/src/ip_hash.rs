//! The hash of a client's address that stored rows keep (for the abuse rule that groups many
//! signatures from one address), made with a key of the day.
//!
//! Each UTC day has its own random key, kept in the database and deleted by the hourly upkeep
//! with the hashes it made (after `--ip-hash-days`). While a day's hashes are kept, whoever holds
//! the database and `secret.key` could test addresses against them; once they are forgotten, a
//! copy of them (a backup) can no longer be traced to an address by anyone, `secret.key` or not.
//! Signatures from one address on two days have two different hashes: the abuse rule groups a
//! day's signatures. The rate limits live in memory only and use `Keys::ip_key`, which does not
//! change at midnight.

use std::net::IpAddr;
use std::sync::Mutex;

use undersigned_core::Store;
use undersigned_core::keys::{Keys, ShortKey, day_number};
use undersigned_core::store::{StoreResult, now};

/// Today's key, as last read from the database.
#[derive(Default)]
pub struct DayKey(Mutex<Option<(i64, [u8; 32])>>);

impl DayKey {
    /// The hash to keep for a client's address (`Visitor::ip`), if it is known.
    pub async fn stored_ip_key(
        &self,
        store: &dyn Store,
        keys: &Keys,
        ip: Option<IpAddr>,
    ) -> StoreResult<Option<ShortKey>> {
        let Some(ip) = ip else { return Ok(None) };
        let day = day_number(now());
        let cached = *self.0.lock().unwrap_or_else(|e| e.into_inner());
        let key = match cached {
            Some((d, key)) if d == day => key,
            _ => {
                let key = store.ip_hash_key(day, rand::random()).await?;
                *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some((day, key));
                key
            }
        };
        Ok(Some(keys.stored_ip_key(&key, &ip)))
    }
}
