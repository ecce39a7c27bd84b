//! Where a campaign file went wrong: [`FileError`] (`file:line: field: message`), and the file's
//! text that turns TOML byte offsets into line numbers.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use time::Date;
use toml::value::Datetime;

use crate::ValidationError;

/// What is wrong with a campaign file, and where: `file:line: field: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": field `{field}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for FileError {}

/// One file's text, and where its TOML starts, for turning byte offsets into line numbers.
pub(super) struct Source<'a> {
    pub(super) path: &'a Path,
    pub(super) text: &'a str,
    /// Byte offset of the TOML within `text`.
    pub(super) toml_start: usize,
}

impl Source<'_> {
    pub(super) fn line_of(&self, offset_in_toml: usize) -> usize {
        let end = (self.toml_start + offset_in_toml).min(self.text.len());
        self.text[..end].matches('\n').count() + 1
    }

    pub(super) fn error(
        &self,
        span: Option<Range<usize>>,
        field: Option<&str>,
        message: impl Into<String>,
    ) -> FileError {
        FileError {
            file: self.path.to_owned(),
            line: span.map(|s| self.line_of(s.start)),
            field: field.map(str::to_owned),
            message: message.into(),
        }
    }

    /// Narrows a table's span to the line of one of its keys, where the key is there.
    pub(super) fn key_span(&self, table: Range<usize>, key: &str) -> Range<usize> {
        let text = &self.text[self.toml_start..];
        let within = text.get(table.clone()).unwrap_or_default();
        let mut offset = 0;
        for line in within.split_inclusive('\n') {
            if line.trim_start().strip_prefix(key).is_some_and(|r| r.trim_start().starts_with('=')) {
                return table.start + offset..table.start + offset + line.len();
            }
            offset += line.len();
        }
        table
    }

    pub(super) fn invalid(&self, span: Range<usize>, e: ValidationError) -> FileError {
        self.error(Some(span), Some(&e.field), e.reason)
    }

    pub(super) fn toml<T: for<'de> Deserialize<'de>>(&self, toml_text: &str) -> Result<T, FileError> {
        toml::from_str(toml_text).map_err(|e| {
            let span = e.span();
            // serde names the field in its message ("missing field `title`"); for a bad value the
            // field is the key on the line the span points at.
            let field = quoted(e.message()).or_else(|| {
                let span = span.clone()?;
                let line_start = toml_text[..span.start].rfind('\n').map_or(0, |i| i + 1);
                let key = toml_text[line_start..].split(['=', '\n']).next()?.trim();
                (!key.is_empty() && !key.starts_with('[')).then(|| key.to_owned())
            });
            // A missing field is reported over the whole table: no useful line.
            let span = span.filter(|_| !e.message().starts_with("missing field"));
            self.error(span, field.as_deref(), e.message().trim().to_owned())
        })
    }
}

fn quoted(message: &str) -> Option<String> {
    let m = message.strip_prefix("missing field ").or_else(|| message.strip_prefix("unknown field "))?;
    Some(m.split('`').nth(1)?.to_owned())
}

pub(super) fn toml_datetime(text: String) -> Datetime {
    text.parse().expect("time formats valid TOML date-times")
}

/// A TOML date without a time, as a date.
pub(super) fn plain_date(value: &Datetime) -> Option<Date> {
    match (value.date, value.time, value.offset) {
        (Some(d), None, None) => {
            Date::from_calendar_date(i32::from(d.year), time::Month::try_from(d.month).ok()?, d.day).ok()
        }
        _ => None,
    }
}
