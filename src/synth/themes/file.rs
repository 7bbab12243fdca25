//! The study's theme file (`themes.toml`): the themes one run found, in a
//! plain diffable TOML file the next run reads first, so ids and labels stay
//! put as data is added. People edit it: a label or description they change
//! is kept; a theme they delete is dissolved (its snippets go to the others
//! or to new themes). A mistake in it (bad TOML, a duplicate id, an unknown
//! parent) is an error naming the line, raised before anything is written.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::Path;

/// The file's format version.
pub const VERSION: u32 = 1;

/// Where a theme came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Found in the study's snippets and matched to a codebook theme, whose
    /// id and label it took.
    Seed,
    /// Found in the study's snippets, named from their words.
    Discovered,
    /// A codebook theme marked `required`: reported whatever its size, its
    /// snippets those the engine tagged with it.
    Required,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Seed => "seed",
            Origin::Discovered => "discovered",
            Origin::Required => "required",
        }
    }
}

/// One theme as the file holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeEntry {
    /// Stable id: reports, `search --theme` and exports key on it.
    pub id: String,
    /// What reports call it; edit freely.
    pub label: String,
    /// One sentence on what it covers.
    #[serde(default)]
    pub description: String,
    pub origin: Origin,
    /// The id of the broader theme this one splits, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Its most distinctive terms, in the customers' words.
    #[serde(default)]
    pub terms: Vec<String>,
    /// Snippet ids of the quotes that show it.
    #[serde(default)]
    pub exemplars: Vec<String>,
    /// Snippet ids that define it: the next run places the theme at their
    /// mean and assigns snippets to the nearest theme.
    #[serde(default)]
    pub anchors: Vec<String>,
}

/// The whole file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeFile {
    pub version: u32,
    /// How snippets were compared: "terms" (TF-IDF over stemmed terms) or
    /// "embeddings".
    pub space: String,
    #[serde(default, rename = "theme")]
    pub themes: Vec<ThemeEntry>,
}

/// Same as [`ThemeEntry`] with spans on the fields errors point at.
#[derive(Deserialize)]
struct SpannedEntry {
    id: toml::Spanned<String>,
    #[serde(default)]
    parent: Option<toml::Spanned<String>>,
}

#[derive(Deserialize)]
struct SpannedFile {
    #[serde(default, rename = "theme")]
    themes: Vec<SpannedEntry>,
}

const HEADER: &str = "\
# The themes of this study, written by `cairn run` and read first by the next
# run, so ids and labels stay stable as data is added. Edit a label or a
# description and the next run keeps it; delete a theme to dissolve it.
# origin: seed (matched a codebook theme), discovered (named from the study's
# words), required (a codebook theme always reported). anchors: the snippets
# that place the theme; terms and exemplars are rewritten every run.
";

impl ThemeFile {
    /// Read `path`, or `None` when there is no file yet.
    pub fn read(path: &Path) -> Result<Option<ThemeFile>> {
        match std::fs::read_to_string(path) {
            Ok(text) => ThemeFile::parse(&text, path).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(path, e)),
        }
    }

    /// Parse and validate the file's text.
    pub fn parse(text: &str, path: &Path) -> Result<ThemeFile> {
        let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
        let err = |offset: Option<usize>, reason: String| Error::Parse {
            path: path.to_path_buf(),
            line: offset.map(line_of).unwrap_or(1) as u64,
            reason: format!(
                "{reason}; fix the theme file, or delete it to discover the themes afresh"
            ),
        };
        let file: ThemeFile =
            toml::from_str(text).map_err(|e| err(e.span().map(|s| s.start), e.message().into()))?;
        if file.version != VERSION {
            return Err(err(
                None,
                format!("unsupported version {} (expected {VERSION})", file.version),
            ));
        }
        let spanned: SpannedFile =
            toml::from_str(text).map_err(|e| err(e.span().map(|s| s.start), e.message().into()))?;
        let mut ids = BTreeSet::new();
        let mut entries = Vec::new();
        for e in spanned.themes {
            let id = e.id.get_ref();
            if id.trim().is_empty() {
                return Err(err(
                    Some(e.id.span().start),
                    "a theme has an empty id".into(),
                ));
            }
            if !ids.insert(id.clone()) {
                return Err(err(
                    Some(e.id.span().start),
                    format!("theme id {id:?} is used twice"),
                ));
            }
            entries.push(e);
        }
        for e in &entries {
            if let Some(p) = &e.parent {
                if !ids.contains(p.get_ref()) {
                    return Err(err(
                        Some(p.span().start),
                        format!("parent {:?} is not a theme id in this file", p.get_ref()),
                    ));
                }
                if p.get_ref() == e.id.get_ref() {
                    return Err(err(
                        Some(p.span().start),
                        format!("theme {:?} is its own parent", p.get_ref()),
                    ));
                }
            }
        }
        let mut labels = BTreeSet::new();
        for (t, e) in file.themes.iter().zip(&entries) {
            if !labels.insert(t.label.trim().to_lowercase()) {
                return Err(err(
                    Some(e.id.span().start),
                    format!("label {:?} is used by two themes", t.label),
                ));
            }
        }
        Ok(file)
    }

    /// The file's text: the header, then the themes in the order given.
    pub fn render(&self) -> String {
        let body = toml::to_string(self).expect("theme files serialize");
        format!("{HEADER}\n{body}")
    }

    /// Write the file (to a temporary file beside it, then renamed, so a
    /// kill never leaves half a file).
    pub fn write(&self, path: &Path) -> Result<()> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        let tmp = path.with_extension("toml.tmp");
        std::fs::write(&tmp, self.render()).map_err(|e| Error::io(&tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, label: &str, parent: Option<&str>) -> ThemeEntry {
        ThemeEntry {
            id: id.into(),
            label: label.into(),
            description: format!("About {label}."),
            origin: Origin::Discovered,
            parent: parent.map(str::to_string),
            terms: vec![label.to_lowercase()],
            exemplars: vec!["a1".into()],
            anchors: vec!["a1".into(), "a2".into()],
        }
    }

    #[test]
    fn a_written_file_reads_back_the_same() {
        let f = ThemeFile {
            version: VERSION,
            space: "terms".into(),
            themes: vec![
                entry("slow-check-in", "slow check-in", None),
                entry("queue", "queue at the desk", Some("slow-check-in")),
            ],
        };
        let text = f.render();
        assert_eq!(
            ThemeFile::parse(&text, Path::new("themes.toml")).unwrap(),
            f
        );
        assert!(text.starts_with("# The themes of this study"));
    }

    fn error_of(text: &str) -> String {
        ThemeFile::parse(text, Path::new("study/themes.toml"))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn mistakes_in_a_hand_edited_file_name_their_line() {
        let ok = ThemeFile {
            version: VERSION,
            space: "terms".into(),
            themes: vec![
                entry("a", "cold latte", None),
                entry("b", "rude staff", None),
            ],
        }
        .render();
        // A duplicate id: the line of the second one.
        let dup = ok.replace("id = \"b\"", "id = \"a\"");
        let line = dup
            .lines()
            .enumerate()
            .filter(|(_, l)| *l == "id = \"a\"")
            .nth(1)
            .unwrap()
            .0
            + 1;
        let e = error_of(&dup);
        assert!(
            e.contains(&format!("study/themes.toml:{line}:")) && e.contains("used twice"),
            "{e}"
        );
        // An unknown parent.
        let orphan = ok.replace("id = \"b\"", "id = \"b\"\nparent = \"nope\"");
        let e = error_of(&orphan);
        let line = orphan
            .lines()
            .position(|l| l.starts_with("parent"))
            .unwrap()
            + 1;
        assert!(
            e.contains(&format!(":{line}:")) && e.contains("\"nope\""),
            "{e}"
        );
        // Bad TOML.
        let bad = ok.replace("label = \"rude staff\"", "label = \"rude staff");
        let e = error_of(&bad);
        let line = bad
            .lines()
            .position(|l| l.starts_with("label = \"rude"))
            .unwrap()
            + 1;
        assert!(e.contains(&format!(":{line}:")), "{e}");
        // Two themes with one label.
        let e = error_of(&ok.replace("rude staff", "cold latte"));
        assert!(e.contains("used by two themes"), "{e}");
    }
}
