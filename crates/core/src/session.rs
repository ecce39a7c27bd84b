//! An organiser's login as their sessions page shows it: the device it was started on (browser
//! and system family, read from the User-Agent, which itself is never kept), when it started and
//! was last seen, and a keyed hash of the network it was last seen from (never an address).
//!
//! The device is a guess from what the browser says of itself: good enough to tell "Firefox on
//! Linux" from "Safari on iOS" in a list of one's own sessions, not a proof of anything. It is kept
//! as a short code (`firefox/linux`) so each page can say it in the reader's language.

use time::{Duration, OffsetDateTime};

/// How often a session's "last seen" is written at most: a page view within this long of the last
/// write writes nothing.
pub const SEEN_EVERY: Duration = Duration::minutes(5);

/// A browser family.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Browser {
    Firefox,
    Chrome,
    Edge,
    Safari,
    Opera,
    SamsungInternet,
    Other,
}

/// An operating system family.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum System {
    Windows,
    MacOs,
    Ios,
    Android,
    ChromeOs,
    Linux,
    Other,
}

impl Browser {
    const ALL: [Self; 7] = [
        Self::Firefox,
        Self::Chrome,
        Self::Edge,
        Self::Safari,
        Self::Opera,
        Self::SamsungInternet,
        Self::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Firefox => "firefox",
            Self::Chrome => "chrome",
            Self::Edge => "edge",
            Self::Safari => "safari",
            Self::Opera => "opera",
            Self::SamsungInternet => "samsung",
            Self::Other => "other",
        }
    }

    /// Its name, the same in every language; `None` for one not recognised (the page says so in
    /// its own words).
    pub fn name(self) -> Option<&'static str> {
        Some(match self {
            Self::Firefox => "Firefox",
            Self::Chrome => "Chrome",
            Self::Edge => "Edge",
            Self::Safari => "Safari",
            Self::Opera => "Opera",
            Self::SamsungInternet => "Samsung Internet",
            Self::Other => return None,
        })
    }

    /// Browsers that build on another name it in their User-Agent too (Edge and Opera say
    /// "Chrome", Chrome says "Safari"): the more particular are looked for first.
    fn from_user_agent(ua: &str) -> Self {
        let has = |s: &str| ua.contains(s);
        if has("Edg/") || has("EdgA/") || has("EdgiOS/") || has("Edge/") {
            Self::Edge
        } else if has("OPR/") || has("Opera") {
            Self::Opera
        } else if has("SamsungBrowser/") {
            Self::SamsungInternet
        } else if has("Firefox/") || has("FxiOS/") {
            Self::Firefox
        } else if has("Chrome/") || has("CriOS/") || has("Chromium/") {
            Self::Chrome
        } else if has("Safari/") && has("Version/") {
            Self::Safari
        } else {
            Self::Other
        }
    }
}

impl System {
    const ALL: [Self; 7] =
        [Self::Windows, Self::MacOs, Self::Ios, Self::Android, Self::ChromeOs, Self::Linux, Self::Other];

    pub fn code(self) -> &'static str {
        match self {
            Self::Windows => "windows",
            Self::MacOs => "macos",
            Self::Ios => "ios",
            Self::Android => "android",
            Self::ChromeOs => "chromeos",
            Self::Linux => "linux",
            Self::Other => "other",
        }
    }

    pub fn name(self) -> Option<&'static str> {
        Some(match self {
            Self::Windows => "Windows",
            Self::MacOs => "macOS",
            Self::Ios => "iOS",
            Self::Android => "Android",
            Self::ChromeOs => "ChromeOS",
            Self::Linux => "Linux",
            Self::Other => return None,
        })
    }

    /// iOS says "like Mac OS X" and Android says "Linux": those are looked for first.
    fn from_user_agent(ua: &str) -> Self {
        let has = |s: &str| ua.contains(s);
        if has("Windows") {
            Self::Windows
        } else if has("iPhone") || has("iPad") || has("iPod") {
            Self::Ios
        } else if has("Android") {
            Self::Android
        } else if has("CrOS") {
            Self::ChromeOs
        } else if has("Macintosh") || has("Mac OS X") {
            Self::MacOs
        } else if has("Linux") || has("X11") {
            Self::Linux
        } else {
            Self::Other
        }
    }
}

/// The browser and system a session was started with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Device {
    pub browser: Browser,
    pub system: System,
}

impl Device {
    /// What a User-Agent header says, reduced to the two families (the version, the build and the
    /// rest, which single a browser out, are dropped here).
    pub fn from_user_agent(user_agent: Option<&str>) -> Self {
        let ua = user_agent.unwrap_or("");
        Self { browser: Browser::from_user_agent(ua), system: System::from_user_agent(ua) }
    }

    /// As kept: `browser/system`.
    pub fn code(self) -> String {
        format!("{}/{}", self.browser.code(), self.system.code())
    }

    /// What [`Self::code`] made; anything else (a session from before devices were kept) is an
    /// unknown browser on an unknown system.
    pub fn from_code(code: &str) -> Self {
        let (browser, system) = code.split_once('/').unwrap_or(("", ""));
        Self {
            browser: Browser::ALL.into_iter().find(|b| b.code() == browser).unwrap_or(Browser::Other),
            system: System::ALL.into_iter().find(|s| s.code() == system).unwrap_or(System::Other),
        }
    }
}

/// A session starting: what is kept of where it came from.
#[derive(Clone, Debug)]
pub struct NewSession<'a> {
    /// SHA-256 of the cookie's value.
    pub token_hash: &'a [u8],
    pub user: i64,
    pub started: OffsetDateTime,
    pub expires: OffsetDateTime,
    pub device: Device,
    /// The keyed hash of the network it came from (`Keys::session_network_key`), if known.
    pub network: Option<&'a [u8]>,
}

/// One of an organiser's live sessions, as their sessions page lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionInfo {
    /// SHA-256 of the cookie's value: what names it (never the cookie).
    pub token_hash: Vec<u8>,
    pub device: Device,
    pub started: OffsetDateTime,
    pub last_seen: OffsetDateTime,
    pub expires: OffsetDateTime,
    /// The keyed hash of the network it was last seen from, if known.
    pub network: Option<Vec<u8>>,
}

/// Whether a session last seen at `last_seen` is due a new "last seen" at `now`.
pub fn seen_is_due(last_seen: OffsetDateTime, now: OffsetDateTime) -> bool {
    now - last_seen >= SEEN_EVERY
}

#[cfg(test)]
mod tests {
    use super::*;

    fn device(ua: &str) -> (Browser, System) {
        let d = Device::from_user_agent(Some(ua));
        (d.browser, d.system)
    }

    #[test]
    fn the_common_browsers_are_told_apart_by_family() {
        let cases = [
            (
                "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
                (Browser::Firefox, System::Linux),
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
                (Browser::Chrome, System::Windows),
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
                (Browser::Edge, System::Windows),
            ),
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
                (Browser::Safari, System::MacOs),
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
                (Browser::Safari, System::Ios),
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1",
                (Browser::Chrome, System::Ios),
            ),
            (
                "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36",
                (Browser::SamsungInternet, System::Android),
            ),
            (
                "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36 OPR/82.0.0.0",
                (Browser::Opera, System::Android),
            ),
            (
                "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
                (Browser::Chrome, System::ChromeOs),
            ),
            ("curl/8.5.0", (Browser::Other, System::Other)),
        ];
        for (ua, expected) in cases {
            assert_eq!(device(ua), expected, "{ua}");
        }
        assert_eq!(Device::from_user_agent(None), Device { browser: Browser::Other, system: System::Other });
    }

    #[test]
    fn a_device_is_kept_as_a_short_code_and_read_back() {
        for browser in Browser::ALL {
            for system in System::ALL {
                let d = Device { browser, system };
                assert_eq!(Device::from_code(&d.code()), d);
            }
        }
        assert_eq!(Device::from_code(""), Device { browser: Browser::Other, system: System::Other });
        assert_eq!(Device::from_code("firefox/plan9").system, System::Other);
    }

    #[test]
    fn last_seen_is_written_at_most_every_few_minutes() {
        let t = OffsetDateTime::UNIX_EPOCH;
        assert!(!seen_is_due(t, t + Duration::minutes(4)));
        assert!(seen_is_due(t, t + SEEN_EVERY));
    }
}
