//! OSDI's `filter` (a subset of OData), as far as this API takes it: `modified_date` and
//! `created_date` compared with `gt`, `ge`, `lt` or `le` to a time in single quotes, and
//! `email_address eq '…'`, joined by `and`. Anything else is refused, naming what.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime, UtcOffset};
use undersigned_core::sync::{Compare, SyncDate};

/// One condition of a filter, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    Date(SyncDate, Compare, OffsetDateTime),
    /// The address as written (not yet checked).
    Email(String),
}

#[derive(Debug, PartialEq, Eq)]
enum Token {
    Word(String),
    Literal(String),
}

const FIELDS: &str = "modified_date and created_date (with gt, ge, lt or le) and email_address (with eq)";

/// The conditions of a filter, or why it is refused (for the `filter` parameter's reason).
pub fn parse(text: &str) -> Result<Vec<Condition>, String> {
    let mut tokens = tokens(text)?.into_iter();
    let mut conditions = Vec::new();
    loop {
        let (Some(Token::Word(field)), Some(Token::Word(op))) = (tokens.next(), tokens.next()) else {
            return Err(format!(
                "must be conditions such as modified_date gt '2025-01-31T00:00:00Z', on {FIELDS}"
            ));
        };
        let Some(Token::Literal(value)) = tokens.next() else {
            return Err(format!(
                "compares {field} with a value in single quotes, such as '2025-01-31T00:00:00Z'"
            ));
        };
        conditions.push(condition(&field, &op, &value)?);
        match tokens.next() {
            None => return Ok(conditions),
            Some(Token::Word(and)) if and == "and" => continue,
            Some(_) => return Err("joins conditions with `and` only".to_owned()),
        }
    }
}

fn condition(field: &str, op: &str, value: &str) -> Result<Condition, String> {
    let date = match field {
        "modified_date" => SyncDate::Modified,
        "created_date" => SyncDate::Created,
        "email_address" if op == "eq" => return Ok(Condition::Email(value.to_owned())),
        "email_address" => return Err(format!("compares email_address with eq only, not {op}")),
        _ => return Err(format!("cannot filter on {field}: only on {FIELDS}")),
    };
    let compare = match op {
        "gt" => Compare::Gt,
        "ge" => Compare::Ge,
        "lt" => Compare::Lt,
        "le" => Compare::Le,
        _ => return Err(format!("compares {field} with gt, ge, lt or le, not {op}")),
    };
    let at = instant(value)
        .ok_or_else(|| format!("'{value}' is not a time such as 2025-01-31T09:00:00Z or 2025-01-31"))?;
    Ok(Condition::Date(date, compare, at))
}

/// Words and quoted literals (`''` in a literal is a quote).
fn tokens(text: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '\'' {
            chars.next();
            let mut literal = String::new();
            loop {
                match chars.next() {
                    None => return Err("has a quote that is not closed".to_owned()),
                    Some('\'') if chars.peek() == Some(&'\'') => {
                        chars.next();
                        literal.push('\'');
                    }
                    Some('\'') => break,
                    Some(c) => literal.push(c),
                }
            }
            tokens.push(Token::Literal(literal));
        } else {
            let mut word = String::new();
            while let Some(&c) = chars.peek().filter(|c| !c.is_whitespace() && **c != '\'') {
                word.push(c);
                chars.next();
            }
            tokens.push(Token::Word(word));
        }
    }
    Ok(tokens)
}

/// A time as OSDI clients write them: RFC 3339; without seconds or offset (UTC); with an offset in
/// hours only (`-05`, as OSDI's own example); or a day (its start, UTC).
pub fn instant(text: &str) -> Option<OffsetDateTime> {
    if let Ok(at) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(at);
    }
    if let Ok(day) = Date::parse(text, format_description!("[year]-[month]-[day]")) {
        return Some(day.midnight().assume_utc());
    }
    let t = text.find('T')?;
    let (local, offset) = match text[t..].find(['+', '-', 'Z']) {
        Some(i) => text.split_at(t + i),
        None => (text, ""),
    };
    let local = PrimitiveDateTime::parse(
        local,
        format_description!(
            "[year]-[month]-[day]T[hour]:[minute][optional [:[second][optional [.[subsecond]]]]]"
        ),
    )
    .ok()?;
    Some(local.assume_offset(offset_of(offset)?))
}

fn offset_of(text: &str) -> Option<UtcOffset> {
    let (sign, digits) = match text {
        "" | "Z" => return Some(UtcOffset::UTC),
        _ => (if text.starts_with('-') { -1 } else { 1 }, text.get(1..)?.replace(':', "")),
    };
    let (hours, minutes) = match digits.len() {
        2 => (digits.parse::<i8>().ok()?, 0),
        4 => (digits[..2].parse::<i8>().ok()?, digits[2..].parse::<i8>().ok()?),
        _ => return None,
    };
    UtcOffset::from_hms(sign * hours, sign * minutes, 0).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn dates_and_an_address_joined_by_and() {
        assert_eq!(
            parse("modified_date gt '2025-01-31T09:00:00Z'").unwrap(),
            [Condition::Date(SyncDate::Modified, Compare::Gt, datetime!(2025-01-31 09:00 UTC))]
        );
        assert_eq!(
            parse("created_date ge '2025-01-31' and  modified_date le '2025-02-01T00:00:00+08:00'").unwrap(),
            [
                Condition::Date(SyncDate::Created, Compare::Ge, datetime!(2025-01-31 00:00 UTC)),
                Condition::Date(SyncDate::Modified, Compare::Le, datetime!(2025-01-31 16:00 UTC)),
            ]
        );
        assert_eq!(
            parse("email_address eq 'o''brien@example.org'").unwrap(),
            [Condition::Email("o'brien@example.org".into())]
        );
    }

    #[test]
    fn anything_else_is_refused_saying_what() {
        for (filter, says) in [
            ("status eq 'confirmed'", "cannot filter on status"),
            ("modified_date eq '2025-01-31'", "not eq"),
            ("email_address gt 'a@b.org'", "eq only"),
            ("modified_date gt 2025-01-31", "single quotes"),
            ("modified_date gt 'yesterday'", "not a time"),
            ("modified_date gt '2025-01-31' or created_date lt '2025-01-01'", "`and` only"),
            ("modified_date gt '2025-01-31", "not closed"),
            ("", "must be conditions"),
        ] {
            let reason = parse(filter).unwrap_err();
            assert!(reason.contains(says), "{filter}: {reason}");
        }
    }

    #[test]
    fn times_as_clients_write_them() {
        let at = datetime!(2013-11-17 23:27:35 UTC);
        for text in [
            "2013-11-17T18:27:35-05",
            "2013-11-17T18:27:35-05:00",
            "2013-11-17T18:27:35-0500",
            "2013-11-17T23:27:35Z",
            "2013-11-17T23:27:35",
        ] {
            assert_eq!(instant(text), Some(at), "{text}");
        }
        assert_eq!(instant("2013-11-17T23:27"), Some(datetime!(2013-11-17 23:27 UTC)));
        assert_eq!(instant("2013-11-17T23:27Z"), Some(datetime!(2013-11-17 23:27 UTC)));
        assert_eq!(instant("2013-11-17T23:27:35.5Z"), Some(datetime!(2013-11-17 23:27:35.5 UTC)));
        assert_eq!(instant("2013-11-17"), Some(datetime!(2013-11-17 00:00 UTC)));
        for bad in ["2013-11-17T25:00:00Z", "17/11/2013", "2013-11-17T18:27:35-5"] {
            assert_eq!(instant(bad), None, "{bad}");
        }
    }
}
