//! Folder walking: consumes the root path the user gave; produces the files
//! under it in sorted order (hidden entries skipped, symlinked folders
//! followed once), each with the path shown in reports: the root relative
//! to the study folder (see [`study_path`]) joined with the path below it,
//! `/` separators, no leading `./`.
//!
//! A name that is not valid UTF-8 is shown (and cited) lossily, `�` for
//! each bad byte, with a warning saying so; a FIFO, socket or device is
//! never opened (reading a pipe waits for a writer that may never come):
//! inside a folder it is a warning naming it, as a root an error.

use super::at;
use crate::error::{Error, Result};
use crate::model::Skipped;
use std::collections::HashSet;
use std::ffi::OsStr;
use std::fs::Metadata;
use std::path::{Component, Path, PathBuf};

/// What a path that is neither a regular file nor a folder is: `a FIFO
/// (named pipe)`, `a socket`, `a device`; `None` for a file or folder.
fn special(meta: &Metadata) -> Option<&'static str> {
    if meta.is_file() || meta.is_dir() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if t.is_socket() {
            return Some("a socket");
        }
        if t.is_char_device() || t.is_block_device() {
            return Some("a device");
        }
    }
    Some("not a regular file")
}

/// The note for a file or folder reached under `shown`: not read because
/// it is a FIFO, socket or device.
fn special_note(shown: &str, what: &str) -> Skipped {
    Skipped {
        source: at(shown, 0),
        reason: format!("not read: {what}, not a regular file").into(),
    }
}

/// The note for a name that is not valid UTF-8, if `name` is one.
fn name_note(name: &OsStr, shown: &str, folder: bool) -> Option<Skipped> {
    if name.to_str().is_some() {
        return None;
    }
    let what = if folder {
        "the folder name is not valid UTF-8: its files are read and cited under"
    } else {
        "the file name is not valid UTF-8: read and cited as"
    };
    Some(Skipped {
        source: at(shown, 0),
        reason: format!(
            "{what} `{shown}` (\u{fffd} for each byte that is not UTF-8); rename it to cite it exactly"
        )
        .into(),
    })
}

/// Checks a root the user named (`meta` is its metadata): a FIFO, socket or
/// device is refused, since reading it could wait forever. Returns the
/// note to add when its name is not valid UTF-8.
pub(super) fn check_root(root: &Path, meta: &Metadata) -> Result<Option<Skipped>> {
    if let Some(what) = special(meta) {
        return Err(Error::Invalid(format!(
            "{} is {what}, not a file or folder: cairn reads files and folders only (reading it could wait forever)",
            root.display()
        )));
    }
    let shown = display_root(root);
    let bad = root.components().find_map(|c| match c {
        Component::Normal(n) if n.to_str().is_none() => Some(n),
        _ => None,
    });
    Ok(bad.and_then(|n| name_note(n, &shown, meta.is_dir())))
}

/// The root as ingest names it: [`study_path`].
pub(super) fn display_root(root: &Path) -> String {
    study_path(root)
}

/// A path as cairn names it in ids, citations and reports: relative to the
/// study folder (the current directory, where `cairn run` runs) when it is
/// inside it, however it was reached (`corpus`, `./corpus/`,
/// `$PWD/corpus`, through a symlinked folder), otherwise absolute; with `/`
/// separators and no `./`. The study folder itself is `""`.
pub fn study_path(path: &Path) -> String {
    show(&in_study(path))
}

/// `path` relative to the current directory when inside it (compared
/// lexically first, then with symlinks resolved), else absolute.
fn in_study(path: &Path) -> PathBuf {
    let Ok(cwd) = std::env::current_dir() else {
        return path.to_path_buf();
    };
    let abs = lexical(&cwd.join(path));
    if let Ok(rel) = abs.strip_prefix(&cwd) {
        return rel.to_path_buf();
    }
    if let (Ok(c), Ok(p)) = (cwd.canonicalize(), path.canonicalize()) {
        if let Ok(rel) = p.strip_prefix(&c) {
            return rel.to_path_buf();
        }
    }
    abs
}

/// `path` without `.` components, each `..` taking off the name before it.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// A path with `/` separators and no `./`.
fn show(path: &Path) -> String {
    let mut out = String::new();
    for c in path.components() {
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

/// Refuses a path the user named that is a FIFO, socket or device, before
/// anything is read (the CLI checks every path first).
pub(crate) fn check_path(path: &Path) -> Result<()> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    check_root(path, &meta).map(|_| ())
}

/// Collects the files under `dir` in sorted order, skipping hidden entries.
/// Symlinked folders are followed once (a cycle is not re-entered). A
/// FIFO, socket or device, and a name that is not UTF-8, get a note in
/// `warnings`.
pub(super) fn walk(
    dir: &Path,
    display: &str,
    files: &mut Vec<(String, PathBuf)>,
    skipped: &mut Vec<Skipped>,
    warnings: &mut Vec<Skipped>,
    seen: &mut HashSet<PathBuf>,
) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let os_name = entry.file_name();
        let name = os_name.to_string_lossy().into_owned();
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
        if let Some(what) = special(&meta) {
            warnings.push(special_note(&shown, what));
            continue;
        }
        warnings.extend(name_note(&os_name, &shown, meta.is_dir()));
        if meta.is_dir() {
            let key = path.canonicalize().unwrap_or_else(|_| path.clone());
            if !seen.insert(key) {
                continue;
            }
            if let Err(e) = walk(&path, &shown, files, skipped, warnings, seen) {
                skipped.push(Skipped {
                    source: at(&shown, 0),
                    reason: format!("cannot read folder: {e}").into(),
                });
            }
        } else {
            files.push((shown, path));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_root_is_named_the_same_however_it_is_reached() {
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(display_root(Path::new("corpus")), "corpus");
        assert_eq!(display_root(Path::new("./corpus/")), "corpus");
        assert_eq!(display_root(&cwd.join("corpus")), "corpus");
        assert_eq!(display_root(&cwd.join("corpus/../corpus/.")), "corpus");
        assert_eq!(display_root(Path::new(".")), "");
        assert_eq!(display_root(&cwd), "");
        assert_eq!(display_root(Path::new("/data/corpus")), "/data/corpus");
        // Outside the study folder: absolute, `..` resolved.
        let parent = cwd.parent().unwrap().join("x");
        assert_eq!(display_root(Path::new("../x")), show(&parent));
        assert_eq!(join_display("", "a.csv"), "a.csv");
        assert_eq!(join_display("/", "a.csv"), "/a.csv");
        assert_eq!(join_display("corpus", "a.csv"), "corpus/a.csv");
    }
}
