//! JSON records → documents: consumes parsed [`JsonRecord`]s; flattens
//! each object into columns, decides the file's kind and columns from the
//! union of their keys ([`JsonPlan`]), and builds each record's document.

use super::columns::Columns;
use super::json::{source_at, JsonRecord};
use super::kind::detect_kind;
use super::normalize_column;
use super::record::{build_record, fallback_kind, has_text_columns, no_text_reason, Ctx};
use crate::ingest::options::IngestOptions;
use crate::ingest::Parsed;
use serde_json::{Map, Value};

/// Flattens an object into normalised keys and string values: nested
/// objects become `parent_child` keys (three levels deep), arrays of scalars
/// are joined with `, `, `null` is empty.
fn flatten(object: &Map<String, Value>) -> (Vec<String>, Vec<Option<String>>) {
    fn walk(
        prefix: &str,
        value: &Value,
        depth: usize,
        keys: &mut Vec<String>,
        values: &mut Vec<Option<String>>,
    ) {
        let v = match value {
            Value::Object(m) => {
                if depth < 3 {
                    for (k, v) in m {
                        walk(&format!("{prefix}_{k}"), v, depth + 1, keys, values);
                    }
                }
                return;
            }
            Value::Array(a) => {
                let parts: Vec<String> = a
                    .iter()
                    .filter_map(|v| match v {
                        Value::String(s) => Some(s.clone()),
                        Value::Number(n) => Some(n.to_string()),
                        _ => None,
                    })
                    .collect();
                (!parts.is_empty()).then(|| parts.join(", "))
            }
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Null => None,
        };
        keys.push(normalize_column(prefix));
        values.push(v);
    }
    let mut keys = Vec::new();
    let mut values = Vec::new();
    for (k, v) in object {
        walk(k, v, 0, &mut keys, &mut values);
    }
    (keys, values)
}

/// How a JSON file's records become documents, decided from the union of
/// the keys of its (first) records.
pub(super) struct JsonPlan<'a> {
    ctx: Ctx<'a>,
    opts: &'a IngestOptions,
    /// False when the file cannot give documents (a mapped key it lacks, no
    /// text key): its records are read, not stored.
    usable: bool,
}

impl<'a> JsonPlan<'a> {
    /// Detects the kind and columns from `records`, setting them on `out`;
    /// a mapping the keys cannot satisfy, or keys without text, is one
    /// skip at the first record.
    pub(super) fn new(
        path: &'a str,
        records: &[JsonRecord],
        out: &mut Parsed,
        opts: &'a IngestOptions,
        layout: &str,
    ) -> JsonPlan<'a> {
        let mut union: Vec<String> = Vec::new();
        let mut known: std::collections::HashSet<String> = Default::default();
        for r in records {
            for k in flatten(&r.object).0 {
                if known.insert(k.clone()) {
                    union.push(k);
                }
            }
        }
        let mut union_cols = Columns::new(&union);
        let mapped = union_cols.apply_mapping(&union, &union, &opts.mapping, true);
        let kind = opts
            .kind
            .or_else(|| detect_kind(&union, path))
            .unwrap_or_else(|| fallback_kind(&union_cols));
        out.kind = kind;
        out.layout = layout.to_string();
        out.columns = union_cols.describe(&union, None);
        let mut usable = true;
        if let (Err(reason), Some(first)) = (mapped, records.first()) {
            out.skip(source_at(path, first.line, first.row), reason);
            usable = false;
        } else if !records.is_empty() && !has_text_columns(&union_cols, kind, None) {
            out.skip(
                source_at(path, records[0].line, records[0].row),
                no_text_reason(&union),
            );
            usable = false;
        }
        JsonPlan {
            ctx: Ctx::new(path, kind, &union, false),
            opts,
            usable,
        }
    }

    /// Builds one record's document (or skip) into `out`.
    pub(super) fn build(&mut self, r: &JsonRecord, out: &mut Parsed) {
        if !self.usable {
            return;
        }
        let (keys, values) = flatten(&r.object);
        let mut cols = Columns::new(&keys);
        // Keys absent from this record leave their field empty.
        let _ = cols.apply_mapping(&keys, &keys, &self.opts.mapping, false);
        let mut warnings = Vec::new();
        if r.repaired {
            warnings.push("non-UTF-8 bytes decoded as Windows-1252".to_string());
        }
        let skipped_before = out.skipped.len();
        build_record(&mut self.ctx, &cols, &values, r.line, r.row, warnings, out);
        if out.skipped.len() > skipped_before {
            out.attach_raw(r.raw.clone());
        }
    }
}
