//! Where a row's private fields go (see `undersigned_core::private_fields`): sealed to its
//! campaign owners' active keys when there are some, under the data key while there are none; and
//! the owners' keys of each campaign, cached so that the group commit does not read them for
//! every batch.
//!
//! [`PrivateSealer`] makes one age header per campaign (one X25519 agreement per key) and seals
//! every row of that campaign behind it: the group commit makes one per batch, so that a row
//! costs an HKDF and a ChaCha20-Poly1305, whatever the batch's size.
//!
//! The cache keeps a campaign's keys for [`RecipientCache::FRESH`] and is emptied at once when this
//! process activates (or rotates) a key, adds or removes an owner or disables an account: the
//! next signatures are sealed to the new keys. Another instance (several share a PostgreSQL
//! database) sees such a change within [`RecipientCache::FRESH`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use undersigned_core::CampaignId;
use undersigned_core::age::Sealer;
use undersigned_core::data_key::DataKey;
use undersigned_core::owner_key::CampaignRecipients;
use undersigned_core::private_fields::PrivateFields;

/// A row's private fields as stored: the sealed value and the ids of the owners' keys it is sealed
/// to (`None` under the data key). Both `None` when the row has no private field.
#[derive(Clone, Debug, Default)]
pub struct StoredPrivate {
    pub sealed: Option<String>,
    pub key_ids: Option<String>,
}

/// Seals private fields for rows of some campaigns, with one header per campaign that has keys.
pub struct PrivateSealer<'k> {
    data_key: &'k DataKey,
    owners: HashMap<CampaignId, (Sealer, String)>,
}

impl<'k> PrivateSealer<'k> {
    /// For the campaigns given with their recipients (those without a key seal under `data_key`).
    pub fn new<'r>(
        data_key: &'k DataKey,
        recipients: impl IntoIterator<Item = (CampaignId, &'r CampaignRecipients)>,
    ) -> Self {
        let owners = recipients
            .into_iter()
            .filter(|(_, r)| !r.is_empty())
            .map(|(campaign, r)| (campaign, (Sealer::new(&r.recipients()), r.ids())))
            .collect();
        Self { data_key, owners }
    }

    /// The row `row` (its email key) of `campaign`, as stored.
    pub fn seal(&self, campaign: CampaignId, row: &[u8], fields: &PrivateFields) -> StoredPrivate {
        if fields.is_empty() {
            return StoredPrivate::default();
        }
        match self.owners.get(&campaign) {
            Some((sealer, ids)) => {
                StoredPrivate { sealed: Some(fields.seal_to_owners(sealer)), key_ids: Some(ids.clone()) }
            }
            None => {
                StoredPrivate { sealed: Some(fields.seal_under_data_key(self.data_key, row)), key_ids: None }
            }
        }
    }
}

/// What the group-commit writer seals a batch's private fields with.
#[derive(Clone)]
pub struct Sealing {
    pub data_key: Arc<DataKey>,
    pub recipients: Arc<RecipientCache>,
}

/// The owners' keys of the campaigns signed lately.
#[derive(Default)]
pub struct RecipientCache(Mutex<HashMap<CampaignId, (Instant, Arc<CampaignRecipients>)>>);

impl RecipientCache {
    /// How long a campaign's keys are used without being read again.
    pub const FRESH: Duration = Duration::from_secs(5);

    /// A campaign's keys, if read less than [`Self::FRESH`] ago.
    pub fn get(&self, campaign: CampaignId) -> Option<Arc<CampaignRecipients>> {
        let cached = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        cached.get(&campaign).filter(|(at, _)| at.elapsed() < Self::FRESH).map(|(_, r)| r.clone())
    }

    /// Keeps a campaign's keys as just read.
    pub fn keep(&self, campaign: CampaignId, recipients: CampaignRecipients) -> Arc<CampaignRecipients> {
        let recipients = Arc::new(recipients);
        let mut cached = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        cached.retain(|_, (at, _)| at.elapsed() < Self::FRESH);
        cached.insert(campaign, (Instant::now(), recipients.clone()));
        recipients
    }

    /// Forgets every campaign's keys: a key or an owner changed.
    pub fn forget(&self) {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_campaign_without_keys_seals_under_the_data_key_and_empty_fields_store_nothing() {
        let key = DataKey::new([1; 32]);
        let none = CampaignRecipients::default();
        let sealer = PrivateSealer::new(&key, [(7, &none)]);
        let fields = PrivateFields::of_contact("Wong");
        let stored = sealer.seal(7, b"row", &fields);
        assert!(stored.sealed.unwrap().starts_with("datakey:"));
        assert_eq!(stored.key_ids, None);
        let empty = sealer.seal(7, b"row", &PrivateFields::default());
        assert!(empty.sealed.is_none() && empty.key_ids.is_none());
    }

    #[test]
    fn the_cache_forgets_on_demand() {
        let cache = RecipientCache::default();
        assert!(cache.get(1).is_none());
        cache.keep(1, CampaignRecipients::default());
        assert!(cache.get(1).is_some());
        cache.forget();
        assert!(cache.get(1).is_none());
    }
}
