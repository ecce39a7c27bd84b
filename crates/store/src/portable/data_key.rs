//! Which data key the database's rows are sealed with: its id, kept in the `meta` table when the
//! database is first opened with a key, and checked at every opening after, so that a server
//! started without the key, or with another, refuses to run instead of failing on every address
//! it reads (or, worse, sealing new rows under a key that opens none of the old). Beside
//! `sign_batch`: it uses only `common`, and the dialect's store calls it as it connects.

use undersigned_core::data_key::DataKey;

use super::common::dialect;
use crate::OpenError;

/// The `meta` row that holds the data key's id.
const KEY_ID: &str = "data_key_id";

/// The data key `choose` gives (told the id the database holds, if any), once it is the
/// database's: recorded, for a database that had none.
pub(crate) async fn check<K>(conn: &mut dialect::Conn, choose: K) -> Result<DataKey, OpenError>
where
    K: FnOnce(Option<&str>) -> Result<DataKey, String>,
{
    let recorded = read(conn, KEY_ID).await?;
    let key = choose(recorded.as_deref()).map_err(OpenError::DataKey)?;
    let needed = match recorded {
        Some(id) => id,
        None => {
            // Another instance may record its own key meanwhile: the first one recorded stands.
            sqlx::query("INSERT INTO meta (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
                .bind(KEY_ID)
                .bind(key.id())
                .execute(&mut *conn)
                .await?;
            read(conn, KEY_ID).await?.unwrap_or_default()
        }
    };
    if needed != key.id() {
        return Err(OpenError::DataKey(format!(
            "the database's addresses are sealed with data key {needed}, and the key given is data key {}: \
             start the server with the database's data key",
            key.id()
        )));
    }
    Ok(key)
}

/// A `meta` row's value.
async fn read(conn: &mut dialect::Conn, name: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT value FROM meta WHERE name = $1").bind(name).fetch_optional(conn).await
}
