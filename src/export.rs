//! Export for other tools: tagged snippets in, JSON Lines or CSV out; the
//! codebook in, a REFI-QDA codebook (`.qdc`) out.
//!
//! - [`write_jsonl`]: one [`TaggedSnippet`] per line, exactly as the index
//!   stores it (what `serde` writes; it reads back to the same value).
//! - [`write_csv`]: one row per snippet with flat columns ([`CSV_COLUMNS`]):
//!   every snippet field, then every tag with its confidence and evidence.
//!   Themes, their confidences and their evidence are joined in the same
//!   order (`;` for ids and confidences, ` | ` for evidence). A text cell
//!   that a spreadsheet would run as a formula (it begins with `=`, `+`,
//!   `-`, `@`, a tab or a carriage return) gets a leading `'`
//!   ([`neutralise`], the OWASP CSV-injection rule); the numbers cairn
//!   writes itself ([`NUMERIC_COLUMNS`]) are left as they are, so a
//!   sentiment of `-0.5` stays a number.
//! - [`write_qdc`]: the REFI-QDA Codebook Exchange format (namespace
//!   `urn:QDA-XML:codebook:1.0`, schema `Codebook.xsd`) that NVivo,
//!   ATLAS.ti, MAXQDA and QualCoder import: one parent code per codebook
//!   section, one child per entry with its description and cues. GUIDs are
//!   derived from the ids ([`code_guid`]), so the same codebook always
//!   gives the same file and re-imports match codes up.

use crate::classify::codebook::Entry;
use crate::classify::Codebook;
use crate::model::{Tag, TaggedSnippet};
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use std::io::{self, Write};

/// The CSV header, in column order.
pub const CSV_COLUMNS: &[&str] = &[
    "id",
    "doc_id",
    "kind",
    "path",
    "line",
    "row",
    "timestamp",
    "speaker",
    "role",
    "customer",
    "date",
    "rating",
    "score",
    "channel",
    "topic",
    "text",
    "context",
    "sentiment_score",
    "sentiment_label",
    "sentiment_confidence",
    "sentiment_evidence",
    "stage",
    "stage_confidence",
    "stage_evidence",
    "intent_signal",
    "intent_signal_confidence",
    "intent_signal_evidence",
    "intent_cluster",
    "intent_cluster_confidence",
    "intent_cluster_evidence",
    "quadrant",
    "quadrant_confidence",
    "quadrant_evidence",
    "pain",
    "gain",
    "themes",
    "theme_labels",
    "themes_confidence",
    "themes_evidence",
    "codebook_themes",
    "engine",
];

/// The columns that hold a number cairn formats itself (never text from
/// the corpus): a spreadsheet reads `-0.5` there as a number, and no
/// formatted number can be a formula, so [`neutralise`] leaves them alone.
pub const NUMERIC_COLUMNS: &[&str] = &[
    "line",
    "row",
    "rating",
    "score",
    "sentiment_score",
    "sentiment_confidence",
    "stage_confidence",
    "intent_signal_confidence",
    "intent_cluster_confidence",
    "quadrant_confidence",
    "themes_confidence",
];

/// A text cell a spreadsheet cannot run: one that begins with `=`, `+`,
/// `-`, `@`, a tab or a carriage return gets a leading `'` (OWASP's rule
/// against CSV injection), so `=HYPERLINK(…)` in a ticket is shown as
/// text, not followed. Other cells are returned as they are.
pub fn neutralise(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
}

/// The REFI-QDA codebook namespace.
pub const QDC_NAMESPACE: &str = "urn:QDA-XML:codebook:1.0";

/// Write one JSON object per snippet, one per line.
pub fn write_jsonl<W: Write + ?Sized>(w: &mut W, snippets: &[TaggedSnippet]) -> io::Result<()> {
    for t in snippets {
        serde_json::to_writer(&mut *w, t).map_err(io::Error::other)?;
        w.write_all(b"\n")?;
    }
    Ok(())
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map_or(String::new(), T::to_string)
}

fn tag_fields(t: &Tag) -> [String; 3] {
    [
        t.value.clone(),
        t.confidence.to_string(),
        t.evidence.clone(),
    ]
}

/// Theme id → label, from the study's theme file.
pub type ThemeLabels = std::collections::BTreeMap<String, String>;

/// One CSV record, in [`CSV_COLUMNS`] order, every text cell
/// [`neutralise`]d: the study's themes (ids, labels, confidences,
/// evidence), then the codebook themes the engine heard.
pub fn csv_record(t: &TaggedSnippet, labels: &ThemeLabels) -> Vec<String> {
    raw_record(t, labels)
        .into_iter()
        .zip(CSV_COLUMNS)
        .map(|(cell, col)| {
            if NUMERIC_COLUMNS.contains(col) {
                cell
            } else {
                neutralise(cell)
            }
        })
        .collect()
}

/// One record's cells as stored, in [`CSV_COLUMNS`] order.
fn raw_record(t: &TaggedSnippet, labels: &ThemeLabels) -> Vec<String> {
    let s = &t.snippet;
    let g = &t.tags;
    let mut r = vec![
        s.id.clone(),
        s.doc_id.clone(),
        s.kind.to_string(),
        s.source.path.clone(),
        s.source.line.to_string(),
        opt(&s.source.row),
        opt(&s.source.timestamp),
        opt(&s.speaker),
        s.role.as_str().to_string(),
        opt(&s.customer),
        s.date.map_or(String::new(), |d| {
            d.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
        }),
        opt(&s.rating),
        opt(&s.score),
        opt(&s.channel),
        opt(&s.topic),
        s.text.clone(),
        s.context.clone(),
        g.sentiment.score.to_string(),
        g.sentiment.label.as_str().to_string(),
        g.sentiment.confidence.to_string(),
        g.sentiment.evidence.clone(),
    ];
    r.extend(tag_fields(&g.stage));
    r.extend(tag_fields(&g.intent_signal));
    match &g.intent_cluster {
        Some(c) => r.extend(tag_fields(c)),
        None => r.extend([String::new(), String::new(), String::new()]),
    }
    r.extend(tag_fields(&g.quadrant));
    r.push(g.pain.to_string());
    r.push(g.gain.to_string());
    let join = |f: &dyn Fn(&Tag) -> String, sep: &str| {
        t.themes.iter().map(f).collect::<Vec<_>>().join(sep)
    };
    r.push(join(&|t| t.value.clone(), ";"));
    r.push(join(
        &|t| {
            labels
                .get(&t.value)
                .cloned()
                .unwrap_or_else(|| t.value.clone())
        },
        ";",
    ));
    r.push(join(&|t| t.confidence.to_string(), ";"));
    r.push(join(&|t| t.evidence.clone(), " | "));
    r.push(
        g.themes
            .iter()
            .map(|t| t.value.clone())
            .collect::<Vec<_>>()
            .join(";"),
    );
    r.push(g.engine.clone());
    r
}

/// Write a header and one row per snippet.
pub fn write_csv<W: Write>(
    w: W,
    snippets: &[TaggedSnippet],
    labels: &ThemeLabels,
) -> io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    let csv_err = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    };
    out.write_record(CSV_COLUMNS).map_err(csv_err)?;
    for t in snippets {
        out.write_record(csv_record(t, labels)).map_err(csv_err)?;
    }
    out.flush()
}

/// A deterministic, UUID-shaped GUID for a code: blake3 of the section and
/// id, laid out as an RFC 9562 version-8 (custom) UUID.
pub fn code_guid(section: &str, id: &str) -> String {
    let mut h = blake3::Hasher::new();
    for part in ["cairn/codebook", section, id] {
        h.update(part.as_bytes());
        h.update(&[0x1f]);
    }
    let mut b = [0u8; 16];
    b.copy_from_slice(&h.finalize().as_bytes()[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// The codebook's sections as (section key, parent code name, entries).
pub fn qdc_sections(cb: &Codebook) -> [(&'static str, &'static str, &[Entry]); 5] {
    [
        ("stage", "Journey stage", &cb.stage),
        ("signal", "Intent signal", &cb.signal),
        ("cluster", "Intent cluster", &cb.cluster),
        ("quadrant", "Empathy quadrant", &cb.quadrant),
        ("theme", "Theme", &cb.theme),
    ]
}

fn entry_description(e: &Entry) -> String {
    let mut d = e.description.trim().to_string();
    if let Some(goal) = e.goal.as_deref().filter(|g| !g.trim().is_empty()) {
        d.push_str(&format!("\nGoal: {}", goal.trim()));
    }
    d.push_str(&format!("\ncairn id: {}", e.id));
    if !e.cues.is_empty() {
        d.push_str(&format!("\nCues: {}", e.cues.join(", ")));
    }
    d
}

fn write_code<W: Write>(
    x: &mut quick_xml::Writer<W>,
    guid: &str,
    name: &str,
    codable: bool,
    description: &str,
    children: impl FnOnce(&mut quick_xml::Writer<W>) -> io::Result<()>,
) -> io::Result<()> {
    let start = BytesStart::new("Code").with_attributes([
        ("guid", guid),
        ("name", name),
        ("isCodable", if codable { "true" } else { "false" }),
    ]);
    x.write_event(Event::Start(start))?;
    x.write_event(Event::Start(BytesStart::new("Description")))?;
    x.write_event(Event::Text(BytesText::new(description)))?;
    x.write_event(Event::End(BytesEnd::new("Description")))?;
    children(x)?;
    x.write_event(Event::End(BytesEnd::new("Code")))
}

/// Write the codebook as a REFI-QDA `.qdc` file. Section codes group the
/// entries and are not codable; entries are.
pub fn write_qdc<W: Write>(w: W, cb: &Codebook) -> io::Result<()> {
    let mut x = quick_xml::Writer::new_with_indent(w, b' ', 2);
    x.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    let origin = format!(
        "cairn {} (codebook {}, {})",
        env!("CARGO_PKG_VERSION"),
        cb.origin.display(),
        &cb.hash[..cb.hash.len().min(16)]
    );
    let root = BytesStart::new("CodeBook")
        .with_attributes([("xmlns", QDC_NAMESPACE), ("origin", origin.as_str())]);
    x.write_event(Event::Start(root))?;
    x.write_event(Event::Start(BytesStart::new("Codes")))?;
    for (section, name, entries) in qdc_sections(cb) {
        let description = format!("cairn codebook section [[{section}]]: one code per entry.");
        write_code(
            &mut x,
            &code_guid("section", section),
            name,
            false,
            &description,
            |x| {
                for e in entries {
                    write_code(
                        x,
                        &code_guid(section, &e.id),
                        &e.label,
                        true,
                        &entry_description(e),
                        |_| Ok(()),
                    )?;
                }
                Ok(())
            },
        )?;
    }
    x.write_event(Event::End(BytesEnd::new("Codes")))?;
    x.write_event(Event::End(BytesEnd::new("CodeBook")))?;
    x.get_mut().write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_and_plain_ones_kept() {
        for (cell, want) in [
            (
                "=HYPERLINK(\"http://x.example\",\"refund\")",
                "'=HYPERLINK(\"http://x.example\",\"refund\")",
            ),
            ("+1 555 0100", "'+1 555 0100"),
            ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
            ("@mia", "'@mia"),
            ("\t=1+1", "'\t=1+1"),
            ("\r=1+1", "'\r=1+1"),
            ("Charged twice = bad", "Charged twice = bad"),
            ("", ""),
        ] {
            assert_eq!(neutralise(cell.to_string()), want);
        }
        for c in NUMERIC_COLUMNS {
            assert!(CSV_COLUMNS.contains(c), "{c}");
        }
    }

    #[test]
    fn guids_are_uuid_shaped_stable_and_distinct() {
        let a = code_guid("theme", "billing");
        assert_eq!(a, code_guid("theme", "billing"));
        assert_ne!(a, code_guid("theme", "pricing"));
        assert_ne!(a, code_guid("stage", "billing"));
        let parts: Vec<&str> = a.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(a.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
        assert_eq!(&parts[2][..1], "8", "version 8");
        assert!("89ab".contains(&parts[3][..1]), "RFC 9562 variant");
    }

    #[test]
    fn the_embedded_codebook_exports_one_code_per_entry() {
        let cb = Codebook::embedded();
        let mut buf = Vec::new();
        write_qdc(&mut buf, &cb).unwrap();
        let xml = String::from_utf8(buf).unwrap();
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"));
        assert!(xml.contains("<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\" origin=\"cairn "));
        let entries = cb.stage.len()
            + cb.signal.len()
            + cb.cluster.len()
            + cb.quadrant.len()
            + cb.theme.len();
        assert_eq!(xml.matches("isCodable=\"true\"").count(), entries);
        assert_eq!(xml.matches("isCodable=\"false\"").count(), 5);
    }
}
