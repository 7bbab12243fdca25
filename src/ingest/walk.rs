//! Folder walking: consumes the root path the user gave; produces the files
//! under it in sorted order (hidden entries skipped, symlinked folders
//! followed once), each with the path shown in reports: the root as given
//! joined with the path below it, `/` separators, no leading `./`.

use super::at;
use crate::model::Skipped;
use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

/// The root as the user gave it, with `/` separators and no `./`.
pub(super) fn display_root(root: &Path) -> String {
    let mut out = String::new();
    for c in root.components() {
        match c {
            Component::CurDir => continue,
            Component::RootDir => {
                out.push('/');
                continue;
            }
            Component::Prefix(p) => out.push_str(&p.as_os_str().to_string_lossy()),
            Component::ParentDir => push_part(&mut out, ".."),
            Component::Normal(s) => push_part(&mut out, &s.to_string_lossy()),
        }
    }
    out
}

fn push_part(out: &mut String, part: &str) {
    if !out.is_empty() && !out.ends_with('/') {
        out.push('/');
    }
    out.push_str(part);
}

fn join_display(base: &str, name: &str) -> String {
    let mut s = base.to_string();
    push_part(&mut s, name);
    s
}

/// Collects the files under `dir` in sorted order, skipping hidden entries.
/// Symlinked folders are followed once (a cycle is not re-entered).
pub(super) fn walk(
    dir: &Path,
    display: &str,
    files: &mut Vec<(String, PathBuf)>,
    skipped: &mut Vec<Skipped>,
    seen: &mut HashSet<PathBuf>,
) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        let shown = join_display(display, &name);
        let Ok(meta) = std::fs::metadata(&path) else {
            skipped.push(Skipped {
                source: at(&shown, 0),
                reason: "cannot read file: broken link or no permission".into(),
            });
            continue;
        };
        if meta.is_dir() {
            let key = path.canonicalize().unwrap_or_else(|_| path.clone());
            if !seen.insert(key) {
                continue;
            }
            if let Err(e) = walk(&path, &shown, files, skipped, seen) {
                skipped.push(Skipped {
                    source: at(&shown, 0),
                    reason: format!("cannot read folder: {e}").into(),
                });
            }
        } else if meta.is_file() {
            files.push((shown, path));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_paths_keep_the_root_as_given() {
        assert_eq!(display_root(Path::new("corpus")), "corpus");
        assert_eq!(display_root(Path::new("./corpus/")), "corpus");
        assert_eq!(display_root(Path::new(".")), "");
        assert_eq!(display_root(Path::new("/data/corpus")), "/data/corpus");
        assert_eq!(display_root(Path::new("../x")), "../x");
        assert_eq!(join_display("", "a.csv"), "a.csv");
        assert_eq!(join_display("/", "a.csv"), "/a.csv");
        assert_eq!(join_display("corpus", "a.csv"), "corpus/a.csv");
    }
}
