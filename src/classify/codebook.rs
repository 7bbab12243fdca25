//! The codebook: what cairn tags. A TOML file in, a validated [`Codebook`] out.
//!
//! The default (`models/codebook.toml`) is embedded in the binary, so a fresh
//! checkout runs with no setup; `--codebook PATH` swaps in a researcher's own.

use crate::error::{Error, Result};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The codebook shipped with cairn.
pub const DEFAULT_CODEBOOK: &str = include_str!("../../models/codebook.toml");

/// One category: a stage, signal, cluster, quadrant or theme.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Stable id used in tags, filters and the index (e.g. `pricing`).
    pub id: String,
    /// Human label used in reports (e.g. `Pricing`).
    pub label: String,
    /// What a snippet in this category is about.
    pub description: String,
    /// What this segment is trying to get done (clusters only).
    #[serde(default)]
    pub goal: Option<String>,
    /// Cue phrases; `*` at the end of a word matches any ending.
    #[serde(default)]
    pub cues: Vec<String>,
    /// Example snippets, for people and for the neural engine.
    #[serde(default)]
    pub examples: Vec<String>,
    /// Themes only: always reported, with its count, even when the study
    /// barely raises it (deductive coding).
    #[serde(default)]
    pub required: bool,
}

/// A plain list of cues (pain and gain flags).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CueList {
    #[serde(default)]
    pub cues: Vec<String>,
}

/// The whole codebook.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Codebook {
    /// Format version of the file (1).
    pub version: u32,
    /// Journey stages, in journey order.
    pub stage: Vec<Entry>,
    /// Intent signals.
    pub signal: Vec<Entry>,
    /// Intent clusters (segments).
    pub cluster: Vec<Entry>,
    /// Empathy-map quadrants; `says` is the default.
    pub quadrant: Vec<Entry>,
    /// Seed pain and gain themes.
    pub theme: Vec<Entry>,
    /// Cues that flag a snippet as a pain whatever its sentiment.
    #[serde(default)]
    pub pain: CueList,
    /// Cues that flag a snippet as a gain.
    #[serde(default)]
    pub gain: CueList,
    /// Where it was read from (`<embedded>` for the default).
    #[serde(skip)]
    pub origin: PathBuf,
    /// blake3 of the file's bytes, for the run manifest and reports.
    #[serde(skip)]
    pub hash: String,
}

impl Codebook {
    /// The embedded default.
    pub fn embedded() -> Codebook {
        Codebook::parse(DEFAULT_CODEBOOK, Path::new("<embedded>"))
            .expect("the embedded codebook is valid (tested)")
    }

    /// Read and validate a codebook file.
    pub fn load(path: &Path) -> Result<Codebook> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Codebook::parse(&text, path)
    }

    /// Parse and validate codebook text.
    pub fn parse(text: &str, origin: &Path) -> Result<Codebook> {
        let err = |reason: String| Error::Codebook {
            path: origin.to_path_buf(),
            reason,
        };
        let mut cb: Codebook = toml::from_str(text).map_err(|e| err(e.to_string()))?;
        if cb.version != 1 {
            return Err(err(format!(
                "unsupported version {} (expected 1)",
                cb.version
            )));
        }
        for (section, entries) in [
            ("stage", &cb.stage),
            ("signal", &cb.signal),
            ("cluster", &cb.cluster),
            ("quadrant", &cb.quadrant),
            ("theme", &cb.theme),
        ] {
            if entries.is_empty() {
                return Err(err(format!("[[{section}]] has no entries")));
            }
            let mut seen = BTreeSet::new();
            for e in entries {
                let id_ok = !e.id.is_empty()
                    && e.id.chars().all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_'
                    });
                if !id_ok {
                    return Err(err(format!(
                        "[[{section}]] id {:?}: use lowercase letters, digits, '-' or '_'",
                        e.id
                    )));
                }
                if !seen.insert(e.id.as_str()) {
                    return Err(err(format!("[[{section}]] id {:?} appears twice", e.id)));
                }
            }
        }
        if !cb.quadrant.iter().any(|q| q.id == "says") {
            return Err(err(
                "[[quadrant]] needs an entry with id \"says\" (the default)".into(),
            ));
        }
        cb.origin = origin.to_path_buf();
        cb.hash = blake3::hash(text.as_bytes()).to_hex()[..16].to_string();
        Ok(cb)
    }

    /// Label for an id in any section, or the id itself.
    pub fn label<'a>(&'a self, id: &'a str) -> &'a str {
        [
            &self.stage,
            &self.signal,
            &self.cluster,
            &self.quadrant,
            &self.theme,
        ]
        .into_iter()
        .flatten()
        .find(|e| e.id == id)
        .map_or(id, |e| e.label.as_str())
    }

    pub fn cluster(&self, id: &str) -> Option<&Entry> {
        self.cluster.iter().find(|e| e.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_codebook_is_valid_and_complete() {
        let cb = Codebook::embedded();
        let stages: Vec<&str> = cb.stage.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            stages,
            [
                "awareness",
                "consideration",
                "decision",
                "retention",
                "advocacy"
            ]
        );
        for id in ["price-sensitive-researcher", "feature-driven-buyer"] {
            assert!(cb.cluster(id).is_some(), "{id}");
        }
        for id in ["pricing", "billing", "onboarding", "performance", "support"] {
            assert!(cb.theme.iter().any(|t| t.id == id), "{id}");
        }
        assert!(cb.theme.iter().all(|t| !t.cues.is_empty()));
    }

    #[test]
    fn rejects_bad_codebooks_with_reasons() {
        let e = Codebook::parse("version = 2", Path::new("cb.toml")).unwrap_err();
        assert!(e.to_string().contains("cb.toml"), "{e}");
        let e = Codebook::parse("version = 1\nbogus = 3", Path::new("cb.toml")).unwrap_err();
        assert!(e.to_string().contains("bogus"), "{e}");
    }
}
