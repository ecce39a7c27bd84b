//! `undersigned user add`: organisers' accounts, such as the first admin.

use anyhow::{Context, bail};
use undersigned_core::Store;
use undersigned_core::account::{account_email, account_name, check_password, hash_password};
use undersigned_core::store::{NewUser, now};

/// The new account's password: from UNDERSIGNED_PASSWORD, else the first line of standard input
/// (never from the command line, where other users of the machine would see it).
pub fn password() -> anyhow::Result<String> {
    match std::env::var("UNDERSIGNED_PASSWORD") {
        Ok(p) => Ok(p),
        Err(_) => {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line).context("reading the password from standard input")?;
            Ok(line.trim_end_matches(['\r', '\n']).to_owned())
        }
    }
}

/// Creates an account with a password (argon2id); returns its address and id.
pub async fn add_user(
    store: &dyn Store,
    email: &str,
    name: Option<&str>,
    admin: bool,
    password: &str,
) -> anyhow::Result<(String, i64)> {
    let email = account_email("email", email)?;
    let name = account_name("name", name.unwrap_or_else(|| email.split('@').next().unwrap_or(&email)))?;
    check_password("password", password)?;
    let user =
        NewUser { email: email.clone(), name, is_admin: admin, password_hash: Some(hash_password(password)) };
    match store.create_user(&user, now()).await {
        Ok(id) => Ok((email, id)),
        Err(undersigned_core::StoreError::Conflict(_)) => bail!("there is an account for {email} already"),
        Err(e) => Err(e.into()),
    }
}
