//! Embeds the translation files (`locales/<lang>/*.ftl`) and templates (`templates/*.html`) in the
//! binary. Adding a language is adding a folder under `locales/`: this finds it.

use std::fmt::Write;
use std::path::Path;

fn files(dir: &Path, ext: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(ext))
        .collect();
    names.sort();
    names
}

fn main() {
    // Read at run time: a build script binary reused by another checkout must not read this one.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest_dir);
    let mut out = String::new();
    out.push_str("pub static LOCALES: &[(&str, &[(&str, &str)])] = &[\n");
    let locales = root.join("locales");
    println!("cargo::rerun-if-changed={}", locales.display());
    let mut langs: Vec<_> =
        std::fs::read_dir(&locales).unwrap().filter_map(|e| e.ok()).filter(|e| e.path().is_dir()).collect();
    langs.sort_by_key(|e| e.file_name());
    for lang in langs {
        let name = lang.file_name().to_string_lossy().into_owned();
        println!("cargo::rerun-if-changed={}", lang.path().display());
        write!(out, "    ({name:?}, &[").unwrap();
        for file in files(&lang.path(), ".ftl") {
            let path = lang.path().join(&file);
            println!("cargo::rerun-if-changed={}", path.display());
            write!(out, "({file:?}, include_str!({:?})), ", path.display().to_string()).unwrap();
        }
        out.push_str("]),\n");
    }
    out.push_str("];\n\npub static TEMPLATES: &[(&str, &str)] = &[\n");
    let templates = root.join("templates");
    println!("cargo::rerun-if-changed={}", templates.display());
    for file in files(&templates, ".html")
        .into_iter()
        .chain(files(&templates, ".txt"))
        .chain(files(&templates, ".xml"))
    {
        let path = templates.join(&file);
        println!("cargo::rerun-if-changed={}", path.display());
        writeln!(out, "    ({file:?}, include_str!({:?})),", path.display().to_string()).unwrap();
    }
    out.push_str("];\n");
    std::fs::write(Path::new(&std::env::var("OUT_DIR").unwrap()).join("embedded.rs"), out).unwrap();
}
