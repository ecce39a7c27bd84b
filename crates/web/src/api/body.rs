//! A request's JSON body, read strictly: a field the address does not take, a wrong type or a
//! missing field is a 400 problem document naming it as a path (`person.email_addresses[0].address`).

use serde::de::DeserializeOwned;

use crate::problem::Problem;

/// The body as a `T`, or a 400 naming the field at fault. `takes`: what takes it ("the record
/// signature helper"); `object`: what the body is a JSON object of ("a signature").
pub fn read_json<T: DeserializeOwned>(body: &[u8], takes: &str, object: &str) -> Result<T, Problem> {
    let mut reader = serde_json::Deserializer::from_slice(body);
    let input = serde_path_to_error::deserialize(&mut reader).map_err(|error| {
        let path = error.path().to_string();
        let message = error.inner().to_string();
        let message = message.split(" at line ").next().unwrap_or_default().to_owned();
        let within = |field: &str| if path == "." { field.to_owned() } else { format!("{path}.{field}") };
        let (name, reason) = if let Some(field) = quoted(&message, "missing field `") {
            (within(field), "is missing".to_owned())
        } else if quoted(&message, "unknown field `").is_some() {
            // The path names the unknown field itself.
            let expected =
                message.split_once(", expected ").map_or(String::new(), |(_, e)| format!(": expected {e}"));
            (path.clone(), format!("is not a field {takes} takes here{expected}"))
        } else if error.inner().is_syntax() || error.inner().is_eof() || path == "." {
            ("body".to_owned(), format!("is not a JSON object of {object} ({message})"))
        } else {
            (path.clone(), message)
        };
        Problem::bad_fields(vec![(name, reason)])
    })?;
    reader.end().map_err(|_| {
        Problem::bad_fields(vec![("body".into(), format!("has more after the JSON object of {object}"))])
    })?;
    Ok(input)
}

/// The name in backquotes after `prefix` in a serde message.
fn quoted<'m>(message: &'m str, prefix: &str) -> Option<&'m str> {
    message.strip_prefix(prefix)?.split('`').next()
}
