//! Overrides for the ingest stage: force the source kind, map fields to
//! columns.
//!
//! Consumes a `--map` style spec (`body=Description,customer="Requester
//! email"`) or a TOML file with a `[mapping]` table; produces an
//! [`IngestOptions`] the readers apply. The CLI parses flags into these; the
//! readers never see the CLI.
//!
//! A mapping applies to tabular exports (CSV, TSV, JSON, JSON Lines). A
//! mapped column that a file does not have is an error for that file (a
//! [`Skipped`](crate::model::Skipped) naming the column and listing the
//! file's columns); transcripts and notes ignore the mapping.

use crate::error::{Error, Result};
use crate::model::SourceKind;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The fields a mapping can name, in the order they are documented.
pub const MAPPABLE_FIELDS: [&str; 11] = [
    "body", "title", "customer", "email", "author", "date", "rating", "score", "id", "status",
    "channel",
];

/// How to read files whose layout cairn would guess wrong.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestOptions {
    /// Force every file's kind (interview, ticket, review, social, survey)
    /// instead of detecting it.
    pub kind: Option<SourceKind>,
    /// Field → column name, e.g. `body` → `Description`. Fields are those of
    /// [`MAPPABLE_FIELDS`]; the column is matched case-insensitively, then by
    /// its normalised form (`Requester email` = `requester_email`).
    pub mapping: BTreeMap<String, String>,
    /// Speakers who are the interviewer in every transcript they speak in
    /// (`--interviewer NAME`), whatever their label or questions; a name
    /// also matches a label that is its first name (`Sam` ↔ `Sam Lee`).
    pub interviewers: Vec<String>,
    /// Speakers who are never taken for the interviewer (`--participant
    /// NAME`).
    pub participants: Vec<String>,
}

impl IngestOptions {
    /// Reads a TOML options file: an optional `kind = "ticket"` and a
    /// `[mapping]` table of `field = "Column name"`.
    pub fn from_toml_file(path: &Path) -> Result<IngestOptions> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        IngestOptions::from_toml_str(&text).map_err(|(line, reason)| Error::Parse {
            path: path.to_path_buf(),
            line,
            reason,
        })
    }

    /// Parses the TOML text of an options file; the error is (line, reason).
    pub(crate) fn from_toml_str(text: &str) -> Result<IngestOptions, (u64, String)> {
        /// An options file.
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct OptionsFile {
            /// Source kind forced on every file.
            kind: Option<String>,
            /// Field → column name.
            #[serde(default)]
            mapping: BTreeMap<String, String>,
            /// Speakers who are the interviewer in every transcript.
            #[serde(default)]
            interviewers: Vec<String>,
            /// Speakers who are never the interviewer.
            #[serde(default)]
            participants: Vec<String>,
        }
        let file: OptionsFile = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(0, |s| {
                text[..s.start.min(text.len())].matches('\n').count() as u64 + 1
            });
            (line, e.message().trim().to_string())
        })?;
        // The line a key is on, for errors found after parsing.
        let line_of = |key: &str| -> u64 {
            text.lines()
                .position(|l| {
                    let l = l.trim_start().trim_start_matches('"');
                    l.starts_with(key)
                        && l[key.len()..]
                            .trim_start_matches('"')
                            .trim_start()
                            .starts_with('=')
                })
                .map_or(0, |i| i as u64 + 1)
        };
        let kind = match file.kind.as_deref() {
            None => None,
            Some(k) => Some(SourceKind::parse(k).ok_or_else(|| {
                (
                    line_of("kind"),
                    format!(
                        "unknown kind '{k}' (expected interview, ticket, review, social or survey)"
                    ),
                )
            })?),
        };
        let mut mapping = BTreeMap::new();
        for (field, column) in file.mapping {
            let (f, c) = check_pair(&field, &column).map_err(|r| (line_of(&field), r))?;
            mapping.insert(f, c);
        }
        Ok(IngestOptions {
            kind,
            mapping,
            interviewers: file.interviewers,
            participants: file.participants,
        })
    }
}

/// Reads the `[mapping]` table of a TOML file (see
/// [`IngestOptions::from_toml_file`]).
pub fn read_mapping_file(path: &Path) -> Result<BTreeMap<String, String>> {
    IngestOptions::from_toml_file(path).map(|o| o.mapping)
}

/// Parses `field=column` pairs separated by commas: `body=Description,
/// customer="Requester email"`. A column may be double-quoted (to hold
/// commas, `=` or surrounding spaces; `""` or `\"` is a quote inside).
/// Fields are those of [`MAPPABLE_FIELDS`], case-insensitive; naming one
/// twice is an error. An empty spec is an empty mapping.
pub fn parse_mapping(spec: &str) -> Result<BTreeMap<String, String>> {
    let invalid = |reason: String| Error::Invalid(format!("invalid mapping '{spec}': {reason}"));
    let mut mapping = BTreeMap::new();
    let chars: Vec<char> = spec.chars().collect();
    let mut i = 0;
    loop {
        while i < chars.len() && (chars[i].is_whitespace() || chars[i] == ',') {
            i += 1;
        }
        if i >= chars.len() {
            break;
        }
        let mut field = String::new();
        while i < chars.len() && chars[i] != '=' && chars[i] != ',' {
            field.push(chars[i]);
            i += 1;
        }
        if chars.get(i) != Some(&'=') {
            return Err(invalid(format!(
                "expected field=column, found '{}'",
                field.trim()
            )));
        }
        i += 1;
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        let mut column = String::new();
        if chars.get(i) == Some(&'"') {
            i += 1;
            loop {
                match chars.get(i) {
                    None => {
                        return Err(invalid(format!(
                            "the quoted column for '{}' is not closed",
                            field.trim()
                        )))
                    }
                    Some('\\') if chars.get(i + 1) == Some(&'"') => {
                        column.push('"');
                        i += 2;
                    }
                    Some('"') if chars.get(i + 1) == Some(&'"') => {
                        column.push('"');
                        i += 2;
                    }
                    Some('"') => {
                        i += 1;
                        break;
                    }
                    Some(&c) => {
                        column.push(c);
                        i += 1;
                    }
                }
            }
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            if i < chars.len() && chars[i] != ',' {
                return Err(invalid(format!(
                    "unexpected text after the quoted column for '{}'",
                    field.trim()
                )));
            }
        } else {
            while i < chars.len() && chars[i] != ',' {
                column.push(chars[i]);
                i += 1;
            }
            column = column.trim().to_string();
        }
        let (field, column) = check_pair(&field, &column).map_err(invalid)?;
        if mapping.insert(field.clone(), column).is_some() {
            return Err(invalid(format!("field '{field}' is mapped twice")));
        }
    }
    Ok(mapping)
}

/// Validates one pair: a known field (lowercased) and a non-empty column.
fn check_pair(field: &str, column: &str) -> Result<(String, String), String> {
    let field = field.trim().to_lowercase();
    if !MAPPABLE_FIELDS.contains(&field.as_str()) {
        return Err(format!(
            "unknown field '{field}' (expected one of {})",
            MAPPABLE_FIELDS.join(", ")
        ));
    }
    if column.is_empty() {
        return Err(format!("no column given for '{field}'"));
    }
    Ok((field, column.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(f, c)| (f.to_string(), c.to_string()))
            .collect()
    }

    #[test]
    fn mapping_specs_parse() {
        assert_eq!(
            parse_mapping("body=Description,customer=\"Requester email\"").unwrap(),
            map(&[("body", "Description"), ("customer", "Requester email")])
        );
        assert_eq!(
            parse_mapping(" Body = Review Text , rating=Star Rating,").unwrap(),
            map(&[("body", "Review Text"), ("rating", "Star Rating")])
        );
        assert_eq!(
            parse_mapping(r#"title="Subject, short",body="Say ""hi"" \"now\"""#).unwrap(),
            map(&[("title", "Subject, short"), ("body", r#"Say "hi" "now""#)])
        );
        assert_eq!(parse_mapping("").unwrap(), BTreeMap::new());
        assert_eq!(parse_mapping(" , ").unwrap(), BTreeMap::new());
    }

    #[test]
    fn bad_mapping_specs_say_why() {
        let err = |s: &str| parse_mapping(s).unwrap_err().to_string();
        assert!(
            err("text=Body").contains("unknown field 'text'"),
            "{}",
            err("text=Body")
        );
        assert!(err("text=Body").contains("body, title, customer"));
        assert!(err("body").contains("expected field=column"));
        assert!(err("body=").contains("no column given for 'body'"));
        assert!(err("body=\"open").contains("not closed"));
        assert!(err("body=a,body=b").contains("mapped twice"));
        assert!(err("body=\"a\" x").contains("unexpected text"));
    }

    #[test]
    fn options_files_parse() {
        let o = IngestOptions::from_toml_str(
            "kind = \"ticket\"\n\n[mapping]\nbody = \"Description\"\ncustomer = \"Requester email\"\n",
        )
        .unwrap();
        assert_eq!(o.kind, Some(SourceKind::Ticket));
        assert_eq!(
            o.mapping,
            map(&[("body", "Description"), ("customer", "Requester email")])
        );
        let (line, reason) =
            IngestOptions::from_toml_str("[mapping]\nbody = \"x\"\nfoo = \"y\"\n").unwrap_err();
        assert!(reason.contains("unknown field 'foo'"), "{reason}");
        assert_eq!(line, 3);
        let (line, reason) = IngestOptions::from_toml_str("[mapping]\nbody = x\n").unwrap_err();
        assert_eq!(line, 2, "{reason}");
        let (_, reason) = IngestOptions::from_toml_str("colour = 1\n").unwrap_err();
        assert!(reason.contains("colour"), "{reason}");
        let (line, reason) = IngestOptions::from_toml_str("kind = \"blog\"\n").unwrap_err();
        assert!(reason.contains("unknown kind 'blog'"));
        assert_eq!(line, 1);
    }
}
