//! Query strings as the API reads them: only the parameters an address takes, each at most once;
//! anything else is a 400 naming the parameter, so that a typo is not silently ignored.

use crate::problem::Problem;

/// The parameters of one request, checked against what its address takes.
#[derive(Debug)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// `raw` read as a query string; a 400 for a parameter not in `allowed` or given twice.
    pub fn parse(raw: Option<&str>, allowed: &[&str]) -> Result<Self, Problem> {
        Self::read(raw, allowed, false)
    }

    /// As [`Self::parse`], but parameters not in `allowed` are left out rather than refused.
    pub fn parse_ignoring_others(raw: Option<&str>, allowed: &[&str]) -> Result<Self, Problem> {
        Self::read(raw, allowed, true)
    }

    fn read(raw: Option<&str>, allowed: &[&str], ignore_others: bool) -> Result<Self, Problem> {
        let mut pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or(""))
            .map_err(|_| Problem::bad_param("query", "is not a valid query string"))?;
        if ignore_others {
            pairs.retain(|(name, _)| allowed.contains(&name.as_str()));
        }
        for (i, (name, _)) in pairs.iter().enumerate() {
            if !allowed.contains(&name.as_str()) {
                let reason = match allowed {
                    [] => "is not known: this address takes no parameters".to_owned(),
                    _ => format!("is not known: this address takes {}", allowed.join(", ")),
                };
                return Err(Problem::bad_param(name, reason));
            }
            if pairs[..i].iter().any(|(other, _)| other == name) {
                return Err(Problem::bad_param(name, "is given more than once"));
            }
        }
        Ok(Self(pairs))
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_parameters_once_each_pass() {
        let params = Params::parse(Some("after=1-2"), &["after"]).unwrap();
        assert_eq!(params.get("after"), Some("1-2"));
        assert!(Params::parse(None, &[]).is_ok());
        let unknown = Params::parse(Some("page=2"), &["after"]).unwrap_err();
        assert_eq!(unknown.invalid_params[0].name, "page");
        assert_eq!(unknown.status, 400);
        let twice = Params::parse(Some("after=1&after=2"), &["after"]).unwrap_err();
        assert_eq!(twice.invalid_params[0].reason, "is given more than once");
        let none = Params::parse(Some("x=1"), &[]).unwrap_err();
        assert!(none.detail.contains("takes no parameters"), "{}", none.detail);
        let lenient = Params::parse_ignoring_others(Some("url=x&dnt=1"), &["url"]).unwrap();
        assert_eq!((lenient.get("url"), lenient.get("dnt")), (Some("x"), None));
    }
}
