//! Individual signatures: what a signer gives, how their name is shown, and what is stored.

use serde::Serialize;
use time::OffsetDateTime;

use crate::endorsement::EndorsementSpec;
use crate::keys::ShortKey;
use crate::validation::{self, Email, ValidationError};
use crate::{CampaignId, Lang};

/// How a signer's name appears on public lists. The default is the most private.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum NameDisplay {
    Full,
    /// First name and the initial of the last ("Chan T."); one-word names keep their first character.
    FirstInitial,
    /// Counted, not listed.
    #[default]
    Hidden,
}

impl NameDisplay {
    pub const ALL: [Self; 3] = [Self::Full, Self::FirstInitial, Self::Hidden];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::FirstInitial => "first-initial",
            Self::Hidden => "hidden",
        }
    }

    pub fn parse(field: &str, value: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|d| d.as_str() == value.trim())
            .ok_or_else(|| ValidationError::new(field, "choose how your name is shown"))
    }

    /// The name as the public sees it, or `None` when it is not shown.
    pub fn public_name(self, name: &str) -> Option<String> {
        match self {
            Self::Full => Some(name.to_owned()),
            Self::Hidden => None,
            Self::FirstInitial => {
                let words: Vec<&str> = name.split_whitespace().collect();
                match words.as_slice() {
                    [] => None,
                    [one] => {
                        // A name written without spaces (陳大文): keep the first character, mask the rest.
                        let mut chars = one.chars();
                        let first = chars.next()?;
                        Some(format!("{first}{}", "○".repeat(chars.count().min(3))))
                    }
                    [first, .., last] => Some(format!("{first} {}.", last.chars().next()?)),
                }
            }
        }
    }
}

/// The sign form as submitted: text as typed, before any checks.
#[derive(Clone, Debug, Default, serde::Deserialize, Serialize)]
#[serde(default)]
pub struct SignatureInput {
    pub name: String,
    pub email: String,
    pub country: String,
    pub city: String,
    pub affiliation: String,
    pub comment: String,
    pub display: String,
    /// A ticked checkbox sends a value; an unticked one sends nothing.
    pub opt_in: Option<String>,
    /// Where the signer came from, carried from the link (`?via=PARTNER`, `?src=CODE`) in
    /// hidden fields; checked against the campaign's partners when signing
    /// (`crate::organisation`), never an error.
    pub via: String,
    pub src: String,
    /// The consent questions asked (`consents_asked` not empty): the lead's and the partner's
    /// whose link it was; each ticked one sends its organisation's slug.
    pub consents_asked: String,
    pub consent_lead: Option<String>,
    pub consent_via: Option<String>,
    /// The answers to the campaign's own questions, by field (`q-{id}`), as typed.
    #[serde(flatten)]
    pub answers: std::collections::BTreeMap<String, String>,
}

/// A signature that passed every check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSignature {
    pub name: String,
    pub email: Email,
    pub country: String,
    pub city: Option<String>,
    pub affiliation: Option<String>,
    pub comment: Option<String>,
    pub display: NameDisplay,
    pub opt_in: bool,
    /// The language the signer used: their mails come in it.
    pub lang: Lang,
    /// The answers to the campaign's own questions (`crate::question`): private fields.
    pub answers: crate::question::Answers,
}

pub const NAME_MAX: usize = 200;
pub const CITY_MAX: usize = 100;
pub const AFFILIATION_MAX: usize = 200;
pub const COMMENT_MAX: usize = 1_000;

impl NewSignature {
    /// Checks every field, returning every error at once so the form can show them all.
    pub fn parse(input: &SignatureInput, lang: Lang) -> Result<Self, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let name = keep(&mut errors, validation::name("name", &input.name, 1, NAME_MAX));
        let email = keep(&mut errors, Email::parse("email", &input.email));
        let country = keep(
            &mut errors,
            if input.country.trim().is_empty() {
                Err(ValidationError::new("country", "choose your country or region"))
            } else {
                EndorsementSpec::parse_country("country", &input.country)
            },
        );
        let city = keep(&mut errors, optional("city", &input.city, CITY_MAX, false));
        let affiliation =
            keep(&mut errors, optional("affiliation", &input.affiliation, AFFILIATION_MAX, false));
        let comment = keep(&mut errors, optional("comment", &input.comment, COMMENT_MAX, true));
        let display = keep(
            &mut errors,
            if input.display.trim().is_empty() {
                Ok(NameDisplay::default())
            } else {
                NameDisplay::parse("display", &input.display)
            },
        );
        match (name, email, country, city, affiliation, comment, display) {
            (
                Some(name),
                Some(email),
                Some(country),
                Some(city),
                Some(affiliation),
                Some(comment),
                Some(display),
            ) => Ok(Self {
                name,
                email,
                country,
                city,
                affiliation,
                comment,
                display,
                opt_in: input.opt_in.is_some(),
                lang,
                answers: Default::default(),
            }),
            _ => Err(errors),
        }
    }
}

fn keep<T>(errors: &mut Vec<ValidationError>, result: Result<T, ValidationError>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

pub fn optional(
    field: &str,
    value: &str,
    max: usize,
    multiline: bool,
) -> Result<Option<String>, ValidationError> {
    validation::text(field, value, 0, max, multiline).map(|v| (!v.is_empty()).then_some(v))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SignatureStatus {
    /// Waiting for the signer to confirm by email; not counted.
    Pending,
    Confirmed,
}

impl SignatureStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Confirmed => "confirmed",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "pending" => Some(Self::Pending),
            "confirmed" => Some(Self::Confirmed),
            _ => None,
        }
    }
}

/// A stored signature, with the signer's private data (never shown publicly).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    pub id: i64,
    pub campaign_id: CampaignId,
    pub email_key: Vec<u8>,
    pub status: SignatureStatus,
    pub signer: NewSignature,
    pub created_at: OffsetDateTime,
    pub confirmed_at: Option<OffsetDateTime>,
    /// How many times a later submission from the address replaced the fields while pending: the
    /// confirmation page shows one revision and confirms only that one.
    pub revision: i64,
    /// The private fields sealed to the campaign owners' keys (a base64 age file, see
    /// [`crate::private_fields`]), which the server cannot open: `signer` then holds the name in
    /// its public form and no city, affiliation or comment. `None` when the server could open them.
    pub sealed_to_owners: Option<String>,
    /// The leaf fixed when it was signed, for its confirmation mail's receipt: the salt and the
    /// record, with no index (only the log knows it once confirmed:
    /// `SignatureLogStore::signature_receipt`). Read with the signature where a mail needs it
    /// (`SigningStore::signature`, `SigningStore::signatures`), so that a mail costs no query of
    /// its own; `None` elsewhere, and for a signature from before the log.
    pub receipt: Option<crate::store::Receipt>,
    /// The partner whose link brought the signer (an organisation's id), and the link's source
    /// code, where known (see [`crate::organisation`]).
    pub via: Option<i64>,
    pub src: Option<String>,
}

impl Signature {
    /// The ways of showing the name its signer may choose now: any, unless the private fields are
    /// sealed to the owners' keys, where the server knows the full name only while it is shown in
    /// full (and so can make a less public form from it, never a more public one).
    pub fn display_choices(&self) -> Vec<NameDisplay> {
        let current = self.signer.display;
        match (&self.sealed_to_owners, current) {
            (None, _) | (Some(_), NameDisplay::Full) => NameDisplay::ALL.to_vec(),
            (Some(_), NameDisplay::FirstInitial) => vec![NameDisplay::FirstInitial, NameDisplay::Hidden],
            (Some(_), NameDisplay::Hidden) => vec![NameDisplay::Hidden],
        }
    }
}

/// A signature as the public list shows it: the name as the signer chose to show it, the country,
/// the date. The city, affiliation and comment are private fields (for the organisers only).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PublicSignature {
    pub id: i64,
    pub name: String,
    pub country: String,
    pub confirmed_at: OffsetDateTime,
}

/// Where a page of the public list starts: after the signature confirmed at `confirmed_at`
/// with id `id` (newest first; keyset, so a page costs the same deep in the list).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListCursor {
    pub confirmed_at: OffsetDateTime,
    pub id: i64,
}

impl ListCursor {
    pub fn encode(&self) -> String {
        format!("{}-{}", self.confirmed_at.unix_timestamp_nanos() / 1_000, self.id)
    }

    pub fn decode(text: &str) -> Option<Self> {
        let (micros, id) = text.split_once('-')?;
        let micros: i128 = micros.parse().ok()?;
        Some(Self {
            confirmed_at: OffsetDateTime::from_unix_timestamp_nanos(micros.checked_mul(1_000)?).ok()?,
            id: id.parse().ok()?,
        })
    }
}

/// What signing did, as far as the store can tell. The signer sees the same page in every case:
/// the page must not reveal whether an address has signed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignOutcome {
    /// A new pending signature, with its confirmation mail queued.
    Created { id: i64 },
    /// The address had signed and not confirmed; the confirmation mail was queued again unless the
    /// address had its mails for the day.
    StillPending { id: i64, mailed: bool },
    /// The address had signed and confirmed; an "already signed" mail was queued unless the address
    /// had its mails for the day.
    AlreadyConfirmed { id: i64, mailed: bool },
}

/// At most `max` mails to one address about one campaign within `window`.
#[derive(Clone, Copy, Debug)]
pub struct MailBudget {
    pub max: i64,
    pub window: time::Duration,
}

impl Default for MailBudget {
    fn default() -> Self {
        Self { max: 3, window: time::Duration::days(1) }
    }
}

impl MailBudget {
    /// One more mail to an address that has had `sent` mails in the window that began at
    /// `window_start`: the count and the window start to keep when it may go, `None` when the
    /// address has had its mails. A window that is over starts again with this mail, at `now`.
    pub fn spend(
        self,
        sent: i64,
        window_start: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Option<(i64, OffsetDateTime)> {
        let (sent, window_start) =
            if now - window_start > self.window { (0, now) } else { (sent, window_start) };
        (sent < self.max).then_some((sent + 1, window_start))
    }
}

/// A signature about to be stored.
#[derive(Clone, Debug)]
pub struct SignatureRecord {
    pub campaign_id: CampaignId,
    pub email_key: ShortKey,
    pub signer: NewSignature,
    /// The language version the signer read and signed (one the campaign has).
    pub version: Lang,
    pub ip_key: Option<ShortKey>,
    pub now: OffsetDateTime,
    /// Its leaf in the campaign's signature log, appended when it is confirmed.
    pub leaf: crate::signature_log::SignedLeaf,
    /// Where it came from and the consents given (default: none of these, at no cost).
    pub source: crate::organisation::SignatureSource,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Confirmation {
    /// Confirmed now; `leaf` is its entry in the campaign's signature log (none for a signature
    /// made before the log began), known from the same transaction so that the thanks page needs
    /// no second read.
    Confirmed {
        leaf: Option<u64>,
    },
    AlreadyConfirmed,
    NotFound,
    /// Still pending, but not at the revision that was shown: a later submission replaced it.
    Changed,
}

/// What a campaign's page counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Confirmed signatures made on the site.
    pub signatures: i64,
    /// Individuals counted from endorsements collected offline ("15 individuals").
    pub offline_individuals: i64,
    /// Organisations listed (approved).
    pub organisations: i64,
}

impl Counts {
    /// Everyone who signed as an individual, online or offline.
    pub fn individuals(&self) -> i64 {
        self.signatures + self.offline_individuals
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> SignatureInput {
        SignatureInput {
            name: "Chan Tai Man".into(),
            email: "chan@example.org".into(),
            country: "hk".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_valid_form_parses_with_private_defaults() {
        let s = NewSignature::parse(&input(), Lang::known("en")).unwrap();
        assert_eq!(s.country, "HK");
        assert_eq!(s.display, NameDisplay::Hidden);
        assert!(!s.opt_in);
        assert_eq!(s.city, None);
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let bad = SignatureInput {
            name: "".into(),
            email: "nope".into(),
            country: "XX".into(),
            comment: "x".repeat(COMMENT_MAX + 1),
            display: "everything".into(),
            ..Default::default()
        };
        let errors = NewSignature::parse(&bad, Lang::known("en")).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "email", "country", "comment", "display"]);
        let no_country = SignatureInput { country: " ".into(), ..input() };
        assert_eq!(NewSignature::parse(&no_country, Lang::known("en")).unwrap_err()[0].field, "country");
    }

    #[test]
    fn names_are_shown_as_chosen() {
        assert_eq!(NameDisplay::Full.public_name("Chan Tai Man").unwrap(), "Chan Tai Man");
        assert_eq!(NameDisplay::FirstInitial.public_name("Chan Tai Man").unwrap(), "Chan M.");
        assert_eq!(NameDisplay::FirstInitial.public_name("陳大文").unwrap(), "陳○○");
        assert_eq!(NameDisplay::Hidden.public_name("Chan Tai Man"), None);
    }

    #[test]
    fn cursors_round_trip() {
        let c =
            ListCursor { confirmed_at: OffsetDateTime::from_unix_timestamp(1_700_000_000).unwrap(), id: 9 };
        assert_eq!(ListCursor::decode(&c.encode()), Some(c));
        assert_eq!(ListCursor::decode("x-1"), None);
    }

    #[test]
    fn a_mail_budget_is_spent_within_its_window_and_renewed_after_it() {
        let budget = MailBudget { max: 3, window: time::Duration::days(1) };
        let start = time::macros::datetime!(2025-03-01 12:00 UTC);
        let later = start + time::Duration::hours(5);
        assert_eq!(budget.spend(1, start, later), Some((2, start)));
        assert_eq!(budget.spend(3, start, later), None, "three mails a day");
        let next_day = start + time::Duration::days(1) + time::Duration::microseconds(1);
        assert_eq!(budget.spend(3, start, next_day), Some((1, next_day)), "a new window");
    }
}
