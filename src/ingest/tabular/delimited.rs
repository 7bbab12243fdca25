//! CSV / TSV syntax and the whole-file entry points: consumes a file's
//! bytes; produces its [`Parsed`] records (through the streaming reader in
//! `delimited_stream`), plus the helpers that reader uses to sniff the
//! delimiter, sample rows and judge a record's quotes.

use super::delimited_stream::read_delimited;
use crate::ingest::fields::{decode_bytes, normalize_bytes};
use crate::ingest::options::IngestOptions;
use crate::ingest::Parsed;

/// Picks the delimiter that occurs most often outside quotes on the first
/// line: `,`, `;`, tab or `|` (`,` on a tie or when none occur).
pub(super) fn sniff_delimiter(data: &[u8]) -> u8 {
    let mut counts = [0usize; 4];
    let candidates = [b',', b';', b'\t', b'|'];
    let mut quoted = false;
    for &b in data.iter().take(64 * 1024) {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            _ if !quoted => {
                if let Some(i) = candidates.iter().position(|&c| c == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let best = (0..4).max_by_key(|&i| (counts[i], 4 - i)).unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        candidates[best]
    }
}

/// How the quoted fields of a raw record close.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Quotes {
    /// A quote "closes" mid-value: it is really the opening quote of a
    /// later field, so an earlier quote was never closed and swallowed the
    /// lines in between.
    pub mid_value: bool,
    /// The record ends inside a quoted field (a cut-off file).
    pub open: bool,
}

/// Walk the quoted fields of a raw record (a quote opens a field only at
/// its start; `""` inside is an escaped quote).
pub(crate) fn scan_quotes(raw: &[u8], delimiter: u8) -> Quotes {
    let mut q = Quotes::default();
    let mut i = 0;
    let mut field_start = true;
    while i < raw.len() {
        if field_start && raw[i] == b'"' {
            i += 1;
            loop {
                match raw.get(i) {
                    None => {
                        q.open = true;
                        return q;
                    }
                    Some(b'"') if raw.get(i + 1) == Some(&b'"') => i += 2,
                    Some(b'"') => {
                        i += 1;
                        match raw.get(i) {
                            None | Some(b'\r' | b'\n') => {}
                            Some(&b) if b == delimiter => {}
                            Some(_) => q.mid_value = true,
                        }
                        break;
                    }
                    Some(_) => i += 1,
                }
            }
            field_start = false;
            continue;
        }
        let b = raw[i];
        field_start = b == delimiter || b == b'\n';
        i += 1;
    }
    q
}

/// Whether every quoted field in a raw record closes right before a
/// delimiter or the end of the record (see [`Quotes`]).
pub(crate) fn quotes_well_formed(raw: &[u8], delimiter: u8) -> bool {
    scan_quotes(raw, delimiter) == Quotes::default()
}

pub(super) fn csv_reader(data: &[u8], delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(data)
}

/// Parses a CSV or TSV export. `delimiter` is `None` to sniff it.
#[cfg(test)]
pub(crate) fn parse_delimited(path: &str, bytes: &[u8], delimiter: Option<u8>) -> Parsed {
    parse_delimited_with(path, bytes, delimiter, &IngestOptions::default())
}

/// The first data rows (after `header_rows`), decoded, for layouts that
/// judge columns by content.
pub(super) fn sample_rows(data: &[u8], delimiter: u8, header_rows: usize) -> Vec<Vec<String>> {
    let mut rdr = csv_reader(data, delimiter);
    rdr.byte_records()
        .skip(header_rows)
        .take(200)
        .filter_map(Result::ok)
        .map(|r| r.iter().map(|f| decode_bytes(f).0.into_owned()).collect())
        .collect()
}

/// Parses a CSV or TSV export held in memory, with overrides: a forced
/// kind, a mapping of fields to columns.
pub(crate) fn parse_delimited_with(
    path: &str,
    bytes: &[u8],
    delimiter: Option<u8>,
    opts: &IngestOptions,
) -> Parsed {
    let data = normalize_bytes(bytes);
    read_delimited(path, &data[..], delimiter, opts, None)
        .unwrap_or_else(|_| unreachable!("no sink, so no sink error"))
}

/// A record's text for the rejects file: its first line, without the line
/// break.
pub(super) fn first_line(span: &[u8]) -> String {
    let line = span.split(|&c| c == b'\n').next().unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    decode_bytes(line).0.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{stable_id, Role, SourceKind};

    const TICKETS: &str = "\
ticket_id,created_at,subject,description,status,requester,satisfaction
101,2026-03-01T09:00:00Z,Export fails,\"The CSV export times out,
every single time.\",open,ana@acme.com,bad
102,2026-03-02,Invoice,Wrong VAT on my invoice,solved,Bo Lund,good
103,not a date,Login,\"Cannot log in, \"\"SSO\"\" error\",open,,
";

    #[test]
    fn csv_tickets_with_quoted_newlines() {
        let p = parse_delimited("t/zendesk.csv", TICKETS.as_bytes(), None);
        assert_eq!(p.kind, SourceKind::Ticket);
        assert!(p.skipped.is_empty(), "{:?}", p.skipped);
        let d = &p.documents;
        assert_eq!(d.len(), 3);
        assert_eq!(
            d[0].turns[0].text,
            "The CSV export times out,\nevery single time."
        );
        assert_eq!((d[0].source.line, d[0].source.row), (2, Some(1)));
        assert_eq!((d[1].source.line, d[1].source.row), (4, Some(2)));
        assert_eq!((d[2].source.line, d[2].source.row), (5, Some(3)));
        assert_eq!(d[0].id, stable_id(&["t/zendesk.csv", "id", "101"]));
        assert_eq!(d[0].title.as_deref(), Some("Export fails"));
        assert_eq!(d[0].status.as_deref(), Some("open"));
        assert_eq!(d[0].rating, Some(1.0));
        assert_eq!(d[1].rating, Some(5.0));
        assert_eq!(d[0].channel.as_deref(), Some("zendesk"));
        assert_eq!(
            d[0].customer,
            Some(crate::ingest::fields::email_key("ana@acme.com"))
        );
        assert_eq!(d[1].customer.as_deref(), Some("Bo Lund"));
        assert_eq!(d[1].turns[0].speaker.as_deref(), Some("Bo Lund"));
        assert_eq!(d[2].customer, None);
        assert_eq!(d[2].turns[0].text, "Cannot log in, \"SSO\" error");
        assert_eq!(d[2].date, None);
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].source.line, 5);
        assert_eq!(
            p.warnings[0].reason,
            "invalid date 'not a date' (kept the record without a date)"
        );
        assert!(d
            .iter()
            .all(|d| !d.customer.as_deref().unwrap_or("").contains('@')));
    }

    #[test]
    fn csv_unbalanced_quote_keeps_the_rows_after_it() {
        let mut csv = String::from("id,date,rating,review\n");
        for i in 1..=5 {
            csv.push_str(&format!("{i},2026-01-0{i},4,Fine app number {i}\n"));
        }
        // Line 7: the quote never closes, so a naive reader swallows the rest.
        csv.push_str("6,2026-01-06,1,\"Crashes on launch, every time\n");
        for i in 7..=12 {
            csv.push_str(&format!("{i},2026-01-07,5,Great sync {i}\n"));
        }
        csv.push_str("13,2026-01-08,2,\"Quoted, with comma\"\n");
        let p = parse_delimited("reviews.csv", csv.as_bytes(), None);
        assert_eq!(p.skipped.len(), 1, "{:?}", p.skipped);
        assert_eq!(p.skipped[0].source.line, 7);
        assert_eq!(p.skipped[0].source.row, Some(6));
        assert!(
            p.skipped[0]
                .reason
                .starts_with("unbalanced quote: record spans lines 7–"),
            "{}",
            p.skipped[0].reason
        );
        let ids: Vec<u64> = p.documents.iter().map(|d| d.source.line).collect();
        assert_eq!(ids, vec![2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14]);
        let last = p.documents.last().unwrap();
        assert_eq!(last.turns[0].text, "Quoted, with comma");
        assert_eq!(last.source.row, Some(13));
        assert_eq!(p.kind, SourceKind::Review);

        // The same file with Windows line endings and blank lines.
        let crlf = csv
            .replace('\n', "\r\n")
            .replacen("\r\n2,", "\r\n\r\n\r\n2,", 1);
        let p = parse_delimited("reviews.csv", crlf.as_bytes(), None);
        assert_eq!(p.skipped.len(), 1, "{:?}", p.skipped);
        assert_eq!(p.skipped[0].source.line, 9);
        let lines: Vec<u64> = p.documents.iter().map(|d| d.source.line).collect();
        assert_eq!(lines, vec![2, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16]);
        assert_eq!(p.documents[5].turns[0].text, "Great sync 7");
    }

    #[test]
    fn csv_unbalanced_quote_closed_by_a_later_record() {
        let csv = "id,body,stars\n1,\"opens here,3\n2,plain,4\n3,\"closes\" here,5\n4,after,2\n";
        let p = parse_delimited("r.csv", csv.as_bytes(), None);
        let lines: Vec<u64> = p.documents.iter().map(|d| d.source.line).collect();
        assert_eq!(p.skipped.len(), 1, "{:?}", p.skipped);
        assert_eq!(p.skipped[0].source.line, 2);
        assert_eq!(lines, vec![3, 4, 5]);
    }

    #[test]
    fn a_cut_off_last_record_says_the_file_ends_inside_a_quote() {
        let head = "id,subject,description,status\n1,Export,\"Times out\",open\n";
        // Cut in the description: the status column is missing too.
        let p = parse_delimited(
            "t/cut.csv",
            format!("{head}2,Sync,\"Fails again").as_bytes(),
            None,
        );
        assert_eq!(p.documents.len(), 2);
        let reasons: Vec<&str> = p.warnings.iter().map(|w| w.reason.as_str()).collect();
        assert_eq!(
            reasons,
            [
                "the file ends inside a quoted field (a cut-off export?); record has 3 fields, \
              expected 4, the missing ones were left empty"
            ]
        );
        assert_eq!(p.warnings[0].source.line, 3);
        // Cut in the last column: every field is there, the quote is not closed.
        let p = parse_delimited(
            "t/cut.csv",
            format!("{head}2,Sync,Fails,\"open\n").as_bytes(),
            None,
        );
        let reasons: Vec<&str> = p.warnings.iter().map(|w| w.reason.as_str()).collect();
        assert_eq!(
            reasons,
            ["the file ends inside a quoted field (a cut-off export?)"]
        );
        // A short record with its quotes closed is only short.
        let p = parse_delimited(
            "t/cut.csv",
            format!("{head}2,Sync,\"Fails\"\n").as_bytes(),
            None,
        );
        let reasons: Vec<&str> = p.warnings.iter().map(|w| w.reason.as_str()).collect();
        assert_eq!(
            reasons,
            ["record has 3 fields, expected 4; the missing ones were left empty"]
        );
    }

    #[test]
    fn csv_latin1_field_is_decoded_with_a_warning() {
        let mut bytes = b"id;comment;nps\n1;Tr\xe8s bien, merci;9\n".to_vec();
        bytes.extend_from_slice("2;Très lent;3\n".as_bytes());
        let p = parse_delimited("survey.csv", &bytes, None);
        assert_eq!(p.kind, SourceKind::Survey);
        assert_eq!(p.documents.len(), 2);
        assert_eq!(p.documents[0].turns[0].text, "Très bien, merci");
        assert_eq!(p.documents[1].turns[0].text, "Très lent");
        assert_eq!(p.documents[0].score, Some(9.0));
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].source.line, 2);
        assert!(p.warnings[0].reason.contains("'comment'"));
    }

    #[test]
    fn csv_survey_score_only_rows_are_kept() {
        let csv = "response_id,submitted_at,score,comment\nr1,2026-02-01,10,\nr2,2026-02-01,,\nr3,2026-02-02,eleven,Too pricey\n";
        let p = parse_delimited("nps.csv", csv.as_bytes(), None);
        assert_eq!(p.kind, SourceKind::Survey);
        assert_eq!(p.documents.len(), 2);
        assert_eq!(p.documents[0].score, Some(10.0));
        assert!(p.documents[0].turns.is_empty());
        assert_eq!(p.documents[1].score, None);
        // r2 answered nothing: an empty response, not a broken record.
        assert!(p.skipped.is_empty(), "{:?}", p.skipped);
        assert_eq!(p.empty, 1);
        assert_eq!(p.warnings.len(), 1);
        assert!(p.warnings[0].reason.starts_with("invalid score 'eleven'"));
    }

    #[test]
    fn csv_tsv_crlf_bom_short_and_long_rows() {
        let tsv = "\u{feff}Review ID\tStar Rating\tReview Text\tStore\r\nA1\t5 stars\tLove it\tApp Store\r\nA2\t9\tMeh\r\nA3\t2\tSlow\tPlay\textra\r\n\t\t\t\r\nA4\t4\tOk\tPlay\t\r\n";
        let p = parse_delimited("x.tsv", tsv.as_bytes(), Some(b'\t'));
        let lines: Vec<u64> = p.documents.iter().map(|d| d.source.line).collect();
        assert_eq!(lines, vec![2, 3, 6]);
        assert_eq!(p.documents[0].rating, Some(5.0));
        assert_eq!(p.documents[0].channel.as_deref(), Some("app store"));
        assert_eq!(p.documents[1].rating, None);
        assert_eq!(p.documents[1].channel.as_deref(), Some("review"));
        assert_eq!(p.skipped.len(), 1);
        assert_eq!(p.skipped[0].source.line, 4);
        assert_eq!(p.warnings.len(), 2, "{:?}", p.warnings);
        assert!(p.warnings[0]
            .reason
            .starts_with("record has 3 fields, expected 4"));
        assert!(p.warnings[1].reason.starts_with("invalid rating '9'"));
    }

    #[test]
    fn csv_without_text_columns_is_one_skip() {
        let p = parse_delimited("x.csv", b"id,amount\n1,3\n2,4\n", None);
        assert!(p.documents.is_empty());
        assert_eq!(p.skipped.len(), 1);
        assert!(p.skipped[0].reason.starts_with("no text column"));
    }

    #[test]
    fn csv_duplicate_ids_and_agent_rows() {
        let csv = "conversation_id,author_type,author,email,body\nc1,user,Ana,ana@x.io,Help!\nc1,admin,Sam,sam@vendor.com,On it\n";
        let p = parse_delimited("intercom.csv", csv.as_bytes(), None);
        assert_eq!(p.documents.len(), 2);
        assert_ne!(p.documents[0].id, p.documents[1].id);
        assert_eq!(p.documents[0].turns[0].role, Role::Customer);
        assert_eq!(p.documents[1].turns[0].role, Role::Agent);
        assert_eq!(p.documents[1].customer, None);
        assert_eq!(p.documents[0].channel.as_deref(), Some("intercom"));
        assert_eq!(p.warnings.len(), 1);
        assert!(p.warnings[0].reason.starts_with("duplicate id 'c1'"));
    }

    #[test]
    fn quote_shapes() {
        assert!(quotes_well_formed(b"1,\"a,\nb\",3\n", b','));
        assert!(quotes_well_formed(b"1,\"say \"\"hi\"\"\",3", b','));
        assert!(quotes_well_formed(b"1,\"\",3", b','));
        assert!(!quotes_well_formed(
            b"1,\"opens,3\n2,\"closes\" here,5",
            b','
        ));
        assert!(!quotes_well_formed(b"1,\"never closes", b','));
    }

    #[test]
    fn survey_with_question_headers() {
        let csv = "Respondent,Submitted At,How likely are you to recommend Acme? (0-10),\
                   What is the main reason for your score?\n\
                   r@x.io,2026-02-01,9,Fast support\n\
                   q@x.io,2026-02-02,3,\n";
        let p = parse_delimited("export.csv", csv.as_bytes(), None);
        assert_eq!(p.kind, SourceKind::Survey);
        let d = &p.documents;
        assert_eq!(d.len(), 2);
        assert_eq!(
            (d[0].score, d[0].turns[0].text.as_str()),
            (Some(9.0), "Fast support")
        );
        assert_eq!(d[0].turns[0].speaker, None);
        assert!(d[0].customer.as_deref().unwrap().starts_with("e:"));
        assert!(d[1].turns.is_empty());
    }

    #[test]
    fn google_play_style_columns() {
        let csv = "Package Name,App Version Name,Reviewer Language,Review Submit Date and Time,\
                   Last Updated Date,Star Rating,Review Title,Review Text\n\
                   com.acme,4.2,en,2026-02-03T10:00:00Z,2026-02-09T10:00:00Z,2,,Keeps logging me out\n";
        let p = parse_delimited("play.csv", csv.as_bytes(), None);
        let d = &p.documents[0];
        assert_eq!(p.kind, SourceKind::Review);
        assert_eq!(d.rating, Some(2.0));
        assert_eq!(d.date.unwrap().format("%F").to_string(), "2026-02-03");
        assert_eq!(d.turns[0].text, "Keeps logging me out");
        assert_eq!(d.customer, None);
    }

    #[test]
    fn sniffs_delimiters() {
        assert_eq!(sniff_delimiter(b"a;b;c\n1,5;2;3"), b';');
        assert_eq!(sniff_delimiter(b"a\tb\tc\n"), b'\t');
        assert_eq!(sniff_delimiter(b"\"a;b\",c\n"), b',');
        assert_eq!(sniff_delimiter(b"single\n"), b',');
    }
}
