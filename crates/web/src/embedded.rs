//! What the build script embeds (see `build.rs`): the translation files, by language, as
//! `LOCALES`, and the templates, by name, as `TEMPLATES`.

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
