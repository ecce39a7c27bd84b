//! A comment as the public types it, and the rules it must meet before it is kept: parsed here,
//! like a signature ([`crate::signature::NewSignature::parse`]) and an endorsement, so that a
//! [`NewComment`] is valid by construction.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::CampaignId;
use crate::comment::NewComment;
use crate::keys::{Keys, ShortKey};
use crate::validation::{self, Email, ValidationError};

/// The longest comment, in characters.
pub const BODY_MAX: usize = 3_000;
/// More links than this in one comment, and it is refused (spam carries many).
pub const MAX_LINKS: usize = 3;
/// The longest website address a commenter may give.
const WEBSITE_MAX: usize = 300;

/// The comment form as submitted: text as typed, before any checks.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct CommentInput {
    pub name: String,
    pub email: String,
    pub website: String,
    pub body: String,
    /// The comment this one answers, if it is a reply.
    pub parent: String,
}

impl CommentInput {
    /// The comment this one answers: none, or a number (anything else came from no form of ours).
    pub fn parent_id(&self) -> Result<Option<i64>, ValidationError> {
        match self.parent.trim() {
            "" => Ok(None),
            p => p.parse().map(Some).map_err(|_| ValidationError::new("parent", "")),
        }
    }
}

/// How the site knows a commenter: their address's key, the same on every campaign (so that a
/// signer who withdraws is forgotten behind their comments too).
pub fn commenter_key(keys: &Keys, email: &Email) -> ShortKey {
    keys.email_key(0, &email.canonical())
}

/// How many web addresses a text holds.
pub fn links_in(text: &str) -> usize {
    text.matches("http://").count() + text.matches("https://").count()
}

/// A commenter's website: an http(s) address without spaces, or nothing.
fn website(value: &str) -> Result<Option<String>, ValidationError> {
    match value.trim() {
        "" => Ok(None),
        w if (w.starts_with("https://") || w.starts_with("http://"))
            && w.len() <= WEBSITE_MAX
            && !w.contains(|c: char| c.is_whitespace() || c.is_control()) =>
        {
            Ok(Some(w.to_owned()))
        }
        _ => Err(ValidationError::new("website", "")),
    }
}

/// The fields every comment has, each checked, or every field's error (`errors` collects them).
struct Checked {
    name: Option<String>,
    website: Option<Option<String>>,
    body: Option<String>,
    parent_id: Option<Option<i64>>,
}

fn check(input: &CommentInput, errors: &mut Vec<ValidationError>) -> Checked {
    let name = validation::name("name", &input.name, 1, 100).map_err(|e| errors.push(e)).ok();
    let website = website(&input.website).map_err(|e| errors.push(e)).ok();
    let body =
        validation::text("comment_body", &input.body, 1, BODY_MAX, true).map_err(|e| errors.push(e)).ok();
    if body.as_deref().is_some_and(|b| links_in(b) > MAX_LINKS) {
        errors.push(ValidationError::new("comment_links", ""));
    }
    let parent_id = input.parent_id().map_err(|e| errors.push(e)).ok();
    Checked { name, website, body, parent_id }
}

impl NewComment {
    /// The comment to keep, or every field's error: a name, an address (never shown), an optional
    /// website, and a text of at most [`BODY_MAX`] characters with at most [`MAX_LINKS`] links.
    /// Whether the comment it answers may be answered is the store's to say.
    pub fn parse(
        input: &CommentInput,
        campaign_id: CampaignId,
        keys: &Keys,
        now: OffsetDateTime,
    ) -> Result<Self, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let Checked { name, website, body, parent_id } = check(input, &mut errors);
        let email = Email::parse("email", &input.email).map_err(|e| errors.push(e)).ok();
        // The errors in the form's order.
        errors.sort_by_key(|e| ["name", "email", "website"].iter().position(|f| *f == e.field).unwrap_or(3));
        match (name, email, website, body, parent_id) {
            (Some(name), Some(email), Some(website), Some(body), Some(parent_id)) if errors.is_empty() => {
                Ok(Self {
                    campaign_id,
                    parent_id,
                    email_key: commenter_key(keys, &email),
                    email,
                    name,
                    website,
                    body,
                    now,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A comment by a commenter signed in with an OpenID Connect provider (issue 18): no address
/// (none is asked, and the provider's is never kept), so no mail to confirm it; it is held or
/// shown at once, as the campaign chose.
#[derive(Clone, Debug)]
pub struct SignedInComment {
    pub campaign_id: CampaignId,
    pub parent_id: Option<i64>,
    /// The name the commenter chose (never the provider's).
    pub name: String,
    pub website: Option<String>,
    pub body: String,
    pub now: OffsetDateTime,
}

impl SignedInComment {
    /// As [`NewComment::parse`], without the address.
    pub fn parse(
        input: &CommentInput,
        campaign_id: CampaignId,
        now: OffsetDateTime,
    ) -> Result<Self, Vec<ValidationError>> {
        let mut errors = Vec::new();
        match check(input, &mut errors) {
            Checked {
                name: Some(name),
                website: Some(website),
                body: Some(body),
                parent_id: Some(parent_id),
            } if errors.is_empty() => Ok(Self { campaign_id, parent_id, name, website, body, now }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, email: &str, website: &str, body: &str) -> CommentInput {
        CommentInput {
            name: name.into(),
            email: email.into(),
            website: website.into(),
            body: body.into(),
            parent: String::new(),
        }
    }

    fn fields(result: Result<NewComment, Vec<ValidationError>>) -> Vec<String> {
        result.err().unwrap_or_default().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_comment_needs_a_name_an_address_and_a_text_with_few_links() {
        let keys = Keys::new([7; 32]);
        let now = OffsetDateTime::UNIX_EPOCH;
        let parse = |i: &CommentInput| NewComment::parse(i, 1, &keys, now);
        let ok = parse(&input(" Ann ", "ann@example.org", "", " Well said. ")).unwrap();
        assert_eq!(
            (ok.name.as_str(), ok.body.as_str(), ok.website, ok.parent_id),
            ("Ann", "Well said.", None, None)
        );
        assert_eq!(ok.email_key, commenter_key(&keys, &Email::parse("e", "ANN@example.org").unwrap()));
        assert_eq!(
            fields(parse(&input("", "nope", "ftp://x.org", ""))),
            ["name", "email", "website", "comment_body"]
        );
        let spam = "https://a.example https://b.example http://c.example https://d.example";
        assert_eq!(fields(parse(&input("Ann", "ann@example.org", "", spam))), ["comment_links"]);
        let long = "x".repeat(BODY_MAX + 1);
        assert_eq!(fields(parse(&input("Ann", "ann@example.org", "", &long))), ["comment_body"]);
        let site = parse(&input("Ann", "ann@example.org", " https://ann.example ", "Hi")).unwrap();
        assert_eq!(site.website.as_deref(), Some("https://ann.example"));
    }

    #[test]
    fn a_signed_in_comment_needs_no_address() {
        let now = OffsetDateTime::UNIX_EPOCH;
        let ok = SignedInComment::parse(&input(" Ka-yan ", "", "", " Free them. "), 1, now).unwrap();
        assert_eq!((ok.name.as_str(), ok.body.as_str()), ("Ka-yan", "Free them."));
        let bad = SignedInComment::parse(&input("", "", "ftp://x", ""), 1, now).err().unwrap();
        assert_eq!(bad.into_iter().map(|e| e.field).collect::<Vec<_>>(), ["name", "website", "comment_body"]);
    }

    #[test]
    fn a_reply_names_the_comment_it_answers_by_number() {
        let reply =
            |parent: &str| CommentInput { parent: parent.into(), ..CommentInput::default() }.parent_id();
        assert_eq!(reply(""), Ok(None));
        assert_eq!(reply(" 12 "), Ok(Some(12)));
        assert!(reply("twelve").is_err());
    }
}
