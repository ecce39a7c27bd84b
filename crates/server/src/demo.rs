//! The demo campaign, embedded in the binary and loaded into an empty database on first start.
//! Its files live in `demo/release-cai-guangye/` at the top of the repository.

use std::path::{Path, PathBuf};

use undersigned_core::CampaignSpec;
use undersigned_core::campaign_file::parse_texts;

pub const SLUG: &str = "release-cai-guangye";

const CAMPAIGN: &str = include_str!("../../../demo/release-cai-guangye/campaign.toml");
const VERSIONS: &[(&str, &str)] = &[
    ("en.md", include_str!("../../../demo/release-cai-guangye/en.md")),
    ("zh-Hant.md", include_str!("../../../demo/release-cai-guangye/zh-Hant.md")),
];

pub fn campaign() -> CampaignSpec {
    let dir = Path::new("demo/release-cai-guangye");
    let versions: Vec<(PathBuf, String)> =
        VERSIONS.iter().map(|(n, t)| (dir.join(n), (*t).to_owned())).collect();
    parse_texts(&dir.join("campaign.toml"), CAMPAIGN, &versions).expect("the embedded demo campaign is valid")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_demo_campaign_parses() {
        let demo = super::campaign();
        assert_eq!(demo.content.slug.as_str(), super::SLUG);
        assert_eq!(demo.content.versions.len(), 2);
        assert_eq!(demo.content.demands.len(), 4);
        assert!(
            demo.content.versions.iter().all(|v| demo
                .content
                .demands_in(&v.lang)
                .iter()
                .all(|d| d.translated))
        );
    }
}
