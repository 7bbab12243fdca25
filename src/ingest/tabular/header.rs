//! A second header row in a generic sheet: consumes the first three rows of
//! a CSV (or of a sheet written out as one); produces the column names of a
//! two-row header, or nothing when the second row may be a record.
//!
//! Survey tools and hand-made sheets put a question or group title in row 1,
//! merged over its columns (so the cells after the first are blank), and a
//! sub-label per column in row 2: `Response`, `Open-Ended Response`, an
//! option name. Read as one header row, row 2 would become the first record
//! and the sub-labelled columns would have no names. SurveyMonkey's and
//! Qualtrics' own layouts are recognised by `vendors` first; this is the
//! generic fallback, and it is deliberately strict, because eating a real
//! first record is worse than reading a header row as one (which shows up
//! as a record of labels and is easy to spot).

use super::columns::{Columns, Field};
use super::normalize_column;
use crate::ingest::fields::parse_date;

/// Sub-labels survey tools write under a question: enough on their own to
/// tell a sub-header row when a sheet has no id, date or score column.
const SURVEY_SUB_LABELS: [&str; 2] = ["response", "open-ended response"];

/// Sub-labels that add nothing to the question above them.
const PLAIN_SUB_LABELS: [&str; 3] = ["response", "open-ended response", "answer"];

/// The fields whose cells hold data in every record and nothing in a
/// sub-header row (which sits under them blank, as their header cells are
/// merged down or left empty).
const DATA_FIELDS: [Field; 7] = [
    Field::Id,
    Field::Date,
    Field::Score,
    Field::Rating,
    Field::Email,
    Field::CustomerId,
    Field::Satisfaction,
];

/// The merged column names when `second` is a second header row under
/// `first`, else `None`. It is one only when all of these hold:
///
/// 1. it has two or more filled cells, and each reads as a label, not data:
///    at most 60 characters and 8 words, on one line, not a number, a date
///    or an email address, not a sentence (ending in `.` or `!`);
/// 2. at least one of its labels sits under a blank cell of `first` that
///    follows a titled one: a group title merged over its columns;
/// 3. either `first` names id, date, score, rating, email or customer
///    columns, `second` holds nothing in them but blanks and plain
///    sub-labels (`Response`), and `third` (the first record) holds data
///    in one of them (a number, a date, an email address); or, in a sheet
///    without such columns, `second` holds a survey tool's sub-label
///    (`Response`, `Open-Ended Response`).
///
/// A column's name is its own title, or the group title to its left, joined
/// with its sub-label (`Which features do you use? - Reports`); a plain
/// sub-label (`Response`) adds nothing.
pub(super) fn second_header_row(
    first: &[String],
    second: &[String],
    third: Option<&[String]>,
) -> Option<Vec<String>> {
    let filled = |row: &[String], i: usize| row.get(i).is_some_and(|c| !c.trim().is_empty());
    if second.len() > first.len() {
        return None;
    }
    let labels: Vec<&str> = second
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    if labels.len() < 2 || !labels.iter().all(|c| label_like(c)) {
        return None;
    }
    let under_merged = (1..first.len())
        .any(|i| !filled(first, i) && filled(second, i) && (0..i).any(|j| filled(first, j)));
    if !under_merged {
        return None;
    }
    let norm: Vec<String> = first.iter().map(|n| normalize_column(n)).collect();
    let cols = Columns::new(&norm);
    let data_cols: Vec<usize> = DATA_FIELDS
        .iter()
        .flat_map(|&f| cols.by_field[f as usize].iter().copied())
        .collect();
    let contrast = if data_cols.is_empty() {
        labels
            .iter()
            .any(|l| SURVEY_SUB_LABELS.contains(&l.to_lowercase().as_str()))
    } else {
        let third = third?;
        let plain = |i: usize| {
            let c = second.get(i).map_or("", |c| c.trim()).to_lowercase();
            c.is_empty() || PLAIN_SUB_LABELS.contains(&c.as_str())
        };
        let data = |i: usize| {
            third
                .get(i)
                .is_some_and(|c| !c.trim().is_empty() && !label_like(c.trim()))
        };
        data_cols.iter().all(|&i| plain(i)) && data_cols.iter().any(|&i| data(i))
    };
    if !contrast {
        return None;
    }
    let mut names = Vec::with_capacity(first.len());
    let mut group = "";
    for (i, top) in first.iter().enumerate() {
        let top = top.trim();
        let sub = second.get(i).map_or("", |s| s.trim());
        if !top.is_empty() {
            group = top;
        }
        let plain = sub.is_empty() || PLAIN_SUB_LABELS.contains(&sub.to_lowercase().as_str());
        names.push(match (top.is_empty(), plain) {
            (false, true) => top.to_string(),
            (true, true) => group.to_string(),
            (_, false) if group.is_empty() => sub.to_string(),
            (_, false) => format!("{group} - {sub}"),
        });
    }
    Some(names)
}

/// Whether a cell reads as a column label rather than a value.
fn label_like(cell: &str) -> bool {
    let number = cell
        .trim_matches(|c: char| matches!(c, '%' | '$' | '€' | '£' | '+' | '-'))
        .replace([',', ' '], "")
        .parse::<f64>()
        .is_ok();
    cell.chars().count() <= 60
        && cell.split_whitespace().count() <= 8
        && !cell.contains('\n')
        && !number
        && parse_date(cell).is_none()
        && !cell.contains('@')
        && !cell.ends_with('.')
        && !cell.ends_with('!')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_sub_label_row_under_merged_titles_is_merged() {
        let first = row(&[
            "ID",
            "Date",
            "How likely are you to recommend us?",
            "Which features do you use?",
            "",
            "",
            "What should we improve?",
        ]);
        let second = row(&[
            "",
            "",
            "Response",
            "Invoices",
            "Reports",
            "Other (please specify)",
            "Open-Ended Response",
        ]);
        let third = row(&["1001", "2026-03-04", "9", "Invoices", "", "", "Faster sync"]);
        let names = second_header_row(&first, &second, Some(&third)).unwrap();
        assert_eq!(
            names,
            [
                "ID",
                "Date",
                "How likely are you to recommend us?",
                "Which features do you use? - Invoices",
                "Which features do you use? - Reports",
                "Which features do you use? - Other (please specify)",
                "What should we improve?",
            ]
        );
        // No id, date or score column: a survey tool's sub-label decides.
        let first = row(&["Which features do you use?", "", "What should we improve?"]);
        let second = row(&["Invoices", "Reports", "Open-Ended Response"]);
        assert!(second_header_row(&first, &second, None).is_some());
    }

    /// The ways a real first record could look like a sub-header row; each
    /// must stay a record.
    #[test]
    fn a_first_record_is_never_read_as_a_header() {
        let first = row(&["ID", "Date", "Plan", "", "Comment"]);
        let third = row(&["1002", "2026-03-05", "Pro", "x", "Fine"]);
        for second in [
            // Data in the id or date column.
            row(&["1001", "2026-03-04", "Pro", "Annual", "Slow exports"]),
            row(&["", "03/04/2026", "Pro", "Annual", "Slow exports"]),
            row(&["R_1", "", "Pro", "Annual", "Slow exports"]),
            // A sentence, a number, an email.
            row(&["", "", "Pro", "Annual", "The export is slow."]),
            row(&["", "", "Pro", "12", "Slow"]),
            row(&["", "", "ana@example.com", "Annual", "Slow"]),
            // Nothing under the blank (merged) header cell.
            row(&["", "", "Pro", "", "Slow exports"]),
            // A single filled cell.
            row(&["", "", "", "", "Slow exports"]),
        ] {
            assert_eq!(
                second_header_row(&first, &second, Some(&third)),
                None,
                "{second:?}"
            );
        }
        // Blank id and date, labels only, but the next row has no data there
        // either: nothing tells the rows apart, so both are records.
        let second = row(&["", "", "Pro", "Annual", "Slow exports"]);
        let third = row(&["", "", "Team", "Monthly", "Great"]);
        assert_eq!(second_header_row(&first, &second, Some(&third)), None);
        assert_eq!(second_header_row(&first, &second, None), None);
        // No blank header cell: an ordinary header and record.
        let first = row(&["Plan", "Billing", "Comment"]);
        let second = row(&["Pro", "Annual", "Slow exports"]);
        assert_eq!(second_header_row(&first, &second, None), None);
    }
}
