//! Interview transcripts: `.txt` (`Name: text` turns, also `[00:01:02]
//! Name: text` and Otter-style `Name  0:03` header lines), WebVTT (`<v Name>`
//! voices or Zoom's `Name: text`) and SRT (`Name: text`, continuation cues
//! inherit the speaker). The line-based turn finder is shared with Word
//! transcripts (`docx`).
//!
//! Consumes a file's bytes; produces one interview [`Document`] per file with
//! one [`Turn`] per speaker turn (consecutive cues by the same speaker merged),
//! each citing the line it starts on and, for cues, its start time. Also hosts
//! the speaker-line recogniser and the interviewer detection that Markdown
//! notes share.
//!
//! The work is split by stage:
//!
//! - `speakers`: lines that start a turn, and labels that read as names;
//! - `people`: generic labels (`Participant`, `Speaker 2`) and the person
//!   key a speaker's turns count under;
//! - `roles`: interviewer detection, per file and study-wide, and the
//!   document's customer;
//! - `turn_buf`: a turn's text gathered line by line or cue by cue;
//! - `txt`: line-based transcripts (`.txt`, and the turn finder `docx`
//!   shares);
//! - `cues`: WebVTT and SRT cues → turns;
//!
//! and this file holds what they share: decoding and the interview
//! document.

mod cues;
mod people;
mod roles;
mod speakers;
mod turn_buf;
mod txt;

pub(crate) use cues::{parse_srt, parse_vtt};
pub use people::person_key;
pub(crate) use roles::{assign_roles, Known};
pub use roles::{SpeakerRole, Why};
pub(crate) use speakers::{base_name, is_speaker_name, speaker_only, split_speaker};
pub(crate) use txt::{parse_txt, turns_from_lines};

use super::fields::{decode_text, repaired_lines_reason};
use super::{at, Parsed};
use crate::model::{stable_id, Document, SourceKind, Turn};
use roles::{study_interviewers, take_role_declarations};

/// The interview document for a whole file.
pub(crate) fn interview_document(
    path: &str,
    turns: Vec<Turn>,
    customer: Option<String>,
    date: Option<chrono::DateTime<chrono::Utc>>,
) -> Document {
    Document {
        id: stable_id(&[path]),
        kind: SourceKind::Interview,
        source: at(path, 1),
        customer,
        date,
        rating: None,
        score: None,
        channel: None,
        title: None,
        status: None,
        turns,
    }
}

/// Decodes the file, noting a warning if any line was not UTF-8.
fn decode(path: &str, bytes: &[u8], out: &mut Parsed) -> String {
    let (text, repaired) = decode_text(bytes);
    if let Some(&first) = repaired.first() {
        out.warn(at(path, first), repaired_lines_reason(&repaired));
    }
    text
}

pub(crate) fn finish_document(
    path: &str,
    mut turns: Vec<Turn>,
    date: Option<chrono::DateTime<chrono::Utc>>,
    mut out: Parsed,
) -> Parsed {
    if turns.is_empty() {
        out.warnings.clear();
        out.skip(
            at(path, 0),
            "no speaker turns found (expected lines like `Name: text` or timed cues)",
        );
        return out;
    }
    let declared = take_role_declarations(&mut turns);
    let known = Known {
        declared: &declared,
        ..Known::default()
    };
    let (customer, roles) = assign_roles(path, &mut turns, known);
    out.roles = roles;
    out.documents
        .push(interview_document(path, turns, customer, date));
    out
}

/// The study-level pass, once every transcript of a read is in `docs`:
/// finds the study's interviewers ([`study_interviewers`]), then decides
/// each document's speakers again with them and with the researcher's
/// `interviewers` and `participants` (see `roles`), setting the turns'
/// roles and the documents' customers. `roles` holds every file's
/// decisions; those of `docs` are replaced, in place.
pub(crate) fn settle_roles(
    docs: &mut [Document],
    roles: &mut Vec<SpeakerRole>,
    interviewers: &[String],
    participants: &[String],
) {
    let study = study_interviewers(docs.iter().map(|d| d.turns.as_slice()));
    let mut decided: std::collections::HashMap<String, Vec<SpeakerRole>> =
        std::collections::HashMap::new();
    for d in docs.iter_mut() {
        let path = d.source.path.clone();
        let declared: Vec<String> = roles
            .iter()
            .filter(|r| r.path == path && r.why == Why::Declared)
            .map(|r| r.speaker.clone())
            .collect();
        let known = Known {
            declared: &declared,
            interviewers,
            participants,
            study: &study,
        };
        let (customer, decisions) = assign_roles(&path, &mut d.turns, known);
        d.customer = customer;
        decided.insert(path, decisions);
    }
    let held: std::collections::HashSet<String> = decided.keys().cloned().collect();
    let old = std::mem::take(roles);
    for r in old {
        if let Some(new) = decided.remove(&r.path) {
            roles.extend(new);
        } else if !held.contains(&r.path) {
            roles.push(r);
        }
    }
    let mut rest: Vec<_> = decided.into_iter().collect();
    rest.sort_by(|a, b| a.0.cmp(&b.0));
    roles.extend(rest.into_iter().flat_map(|(_, r)| r));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Role;

    pub(super) fn speakers(d: &Document) -> Vec<(Option<&str>, Role, u64)> {
        d.turns
            .iter()
            .map(|t| (t.speaker.as_deref(), t.role, t.source.line))
            .collect()
    }

    #[test]
    fn never_panics_on_awkward_input() {
        let inputs: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"WEBVTT".to_vec(),
            b"\"".to_vec(),
            b":".to_vec(),
            b"-->".to_vec(),
            b"00:00:01.000 --> 00:00:02.000".to_vec(),
            b"<v>\n<v \n</v>".to_vec(),
            b"1\n\n2\n00:00 --> \n".to_vec(),
            (0u8..=255).collect(),
            "\u{feff}Ä: ü\r\n\r\n".as_bytes().to_vec(),
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ä"
                .as_bytes()
                .to_vec(),
            vec![b'\n'; 1000],
            "é:".repeat(1000).into_bytes(),
        ];
        for b in &inputs {
            let _ = parse_txt("x.txt", b);
            let _ = parse_vtt("x.vtt", b);
            let _ = parse_srt("x.srt", b);
        }
    }
}
