//! Embeds the translation files (`locales/<lang>/*.ftl`) and templates (`templates/**/*.html`,
//! `.txt`, `.xml`) in the binary. Adding a language is adding a folder under `locales/`: this finds
//! it. A template is named by its path under `templates/` (`organise/dashboard.html`,
//! `mail/update/subject.txt`).

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

/// Every template under `dir`, as (name relative to `root` with `/` between folders, path), sorted.
fn templates(root: &Path, dir: &Path, out: &mut Vec<(String, std::path::PathBuf)>) {
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            templates(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "html" || e == "txt" || e == "xml") {
            let relative = path.strip_prefix(root).expect("under the templates folder");
            let name = relative.iter().map(|p| p.to_string_lossy()).collect::<Vec<_>>().join("/");
            out.push((name, path));
        }
    }
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
    let root_templates = root.join("templates");
    let mut found = Vec::new();
    templates(&root_templates, &root_templates, &mut found);
    for (name, path) in found {
        println!("cargo::rerun-if-changed={}", path.display());
        writeln!(out, "    ({name:?}, include_str!({:?})),", path.display().to_string()).unwrap();
    }
    out.push_str("];\n");
    std::fs::write(Path::new(&std::env::var("OUT_DIR").unwrap()).join("embedded.rs"), out).unwrap();
}
