//! Signing, the one way every entrance takes: the sign form (`html::campaign`) and OSDI's record
//! signature helper without a token (`api::osdi`). A checked signature is recorded pending, with
//! its confirmation mail queued (or, for an address that signed already, the mail that case calls
//! for, within the address's mail budget), through the group commit; the signer is told the same
//! whatever the outcome, so that nobody learns whether an address has signed.

use std::collections::HashMap;
use std::sync::Mutex;

use undersigned_core::demand::Demand;
use undersigned_core::organisation::SignatureSource;
use undersigned_core::signature::{NewSignature, SignatureRecord};
use undersigned_core::signature_log::{SignedLeaf, version_hash};
use undersigned_core::store::now;
use undersigned_core::tlog::Hash;
use undersigned_core::{Campaign, CampaignContent, CampaignVersion, Lang};

use crate::{AppError, AppState, Visitor};

/// Records `signer`'s signature of `campaign` under the language version `version`, pending until
/// its signer confirms it by mail, and wakes the mail worker.
pub async fn sign(
    state: &AppState,
    visitor: &Visitor,
    campaign: &Campaign,
    signer: NewSignature,
    version: Lang,
    source: SignatureSource,
) -> Result<(), AppError> {
    let ip_key = state.ip_day_key.stored_ip_key(&*state.store, &state.keys, visitor.ip()).await?;
    // Made once: the blind index, the leaf's commitment and the defence's domain all start from it.
    let canonical = signer.email.canonical();
    let domain = crate::defence::domain_of_canonical(&canonical);
    if crate::defence::blocked(state, visitor, campaign, domain, ip_key.as_ref()).await? {
        // Answered as any other, and dropped: a bot learns nothing from it.
        return Ok(());
    }
    let now = now();
    let text = campaign
        .content
        .version(&version)
        .map(|v| state.version_hashes.of(campaign.id, &campaign.content, v))
        .unwrap_or_default();
    let leaf = SignedLeaf::of_canonical(campaign.id, &signer, &canonical, text, now);
    let record = SignatureRecord {
        campaign_id: campaign.id,
        email_key: state.keys.email_key(campaign.id, &canonical),
        signer,
        version,
        ip_key,
        now,
        leaf,
        source,
    };
    // Whatever the outcome (new, still pending, signed already), the signer is told the same.
    state.store.sign(&record, state.config.mail_budget).await?;
    state.mail_queued.notify_one();
    crate::defence::signed(state, campaign, domain, ip_key.as_ref()).await;
    Ok(())
}

/// The hash of the text each signature commits to (`version_hash`), kept per campaign and
/// language version: hashing a long appeal on every signing request cost several per cent of the
/// signing rate (bench/run.sh). A kept hash is used only while the text is the same, compared in
/// full with the campaign's demands (much cheaper than hashing it), so an edit takes effect at once.
#[derive(Default)]
pub struct VersionHashes(Mutex<HashMap<(i64, Lang), Kept>>);

/// What a kept hash was made of: the version, the campaign's demands and default language (which
/// gives an untranslated demand its words).
type Kept = (CampaignVersion, Vec<Demand>, Lang, Hash);

impl VersionHashes {
    pub fn of(&self, campaign: i64, content: &CampaignContent, version: &CampaignVersion) -> Hash {
        let key = (campaign, version.lang.clone());
        if let Some((text, demands, default, hash)) =
            self.0.lock().unwrap_or_else(|e| e.into_inner()).get(&key)
            && text == version
            && *demands == content.demands
            && *default == content.default_lang
        {
            return *hash;
        }
        let hash = version_hash(version, content.demands_in(&version.lang).iter().map(|d| d.text));
        let kept = (version.clone(), content.demands.clone(), content.default_lang.clone(), hash);
        self.0.lock().unwrap_or_else(|e| e.into_inner()).insert(key, kept);
        hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_hash_is_the_texts_and_follows_an_edit() {
        let lang = Lang::parse("lang", "en").unwrap();
        let version =
            |body: &str| CampaignVersion::parse(lang.clone(), "Title", "Summary", "Target", body).unwrap();
        let mut content = undersigned_core::campaign_file::parse_folder(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../demo/release-cai-guangye"),
        )
        .unwrap()
        .content;
        content.demands =
            undersigned_core::demand::by_position(&[(lang.clone(), vec![Some("Release him".into())])]);
        let hash =
            |v: &CampaignVersion, c: &CampaignContent| version_hash(v, [c.demands[0].texts[0].1.as_str()]);
        let hashes = VersionHashes::default();
        let (first, edited) = (version("The appeal."), version("The appeal, edited."));
        assert_eq!(hashes.of(1, &content, &first), hash(&first, &content));
        assert_eq!(hashes.of(1, &content, &first), hash(&first, &content), "kept");
        assert_eq!(hashes.of(1, &content, &edited), hash(&edited, &content), "the edit is hashed anew");
        assert_ne!(hash(&first, &content), hash(&edited, &content));
        assert_eq!(hashes.of(2, &content, &first), hash(&first, &content), "another campaign, its own");
        let mut moved = content.clone();
        moved.demands[0].texts[0].1 = "Release them".into();
        assert_eq!(hashes.of(1, &moved, &first), hash(&first, &moved), "an edited demand is hashed anew");
    }
}
