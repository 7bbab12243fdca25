//! Who a transcript's speakers are: consumes a speaker label and the file
//! it was read in; tells whether the label is generic (`Participant`,
//! `Speaker 2`, `P1`: it names a different person in every file) or marks a
//! participant, and produces the person key the speaker's turns count
//! under.
//!
//! Research teams label speakers generically all the time, and diarized
//! transcripts only ever say `Speaker 1` / `Speaker 2`, so the same label in
//! two files is two people: its person key is the file and the label
//! (`interviews/p01.txt#Participant`). A participants sheet or front matter
//! that names the customer joins them again. A named speaker (`Kai
//! Whitfield`) is the same person in every file where the name is the same.

use super::speakers::base_name;
use crate::ingest::fields::customer_key;
use crate::ingest::is_placeholder_author;

/// Words that label a speaker by the part they play rather than by name,
/// alone or followed by a number or letter (`Participant 3`, `User_B`).
const GENERIC_WORDS: &[&str] = &[
    "participant",
    "interviewee",
    "respondent",
    "customer",
    "client",
    "user",
    "guest",
    "caller",
    "subject",
    "speaker",
    "unknown speaker",
    "unidentified speaker",
    "voice",
    "person",
    "member",
    "attendee",
    "panelist",
    "panellist",
];

/// Of [`GENERIC_WORDS`], those that also say the speaker is a participant
/// (not the interviewer): `Speaker 1` says nothing about the part played.
const PARTICIPANT_WORDS: &[&str] = &[
    "participant",
    "interviewee",
    "respondent",
    "customer",
    "client",
    "user",
    "guest",
    "caller",
    "subject",
    "panelist",
    "panellist",
    "attendee",
];

/// The label's role word and whether what follows it is a number or a
/// letter (`participant 3`, `p03`, `user_b`), lowercased; `None` when the
/// label is not of that shape.
fn role_word(label: &str) -> Option<String> {
    let l = base_name(label).trim().to_lowercase();
    let l = l.trim_end_matches(['.', ':']).trim();
    // `P`, `P1`, `P03`, `R2`, `A` (the answer in Q/A transcripts; `A1`
    // is not).
    let mut chars = l.chars();
    if let Some(first) = chars.next() {
        let rest = chars.as_str();
        let number = rest.trim_start_matches(['-', '_', ' ', '#']);
        let numbered =
            !number.is_empty() && number.len() <= 3 && number.chars().all(|c| c.is_ascii_digit());
        if (matches!(first, 'p' | 'r') && (rest.is_empty() || numbered))
            || (first == 'a' && rest.is_empty())
        {
            return Some(
                match first {
                    'p' => "participant",
                    'r' => "respondent",
                    _ => "answer",
                }
                .to_string(),
            );
        }
    }
    let word_end = l
        .rfind(|c: char| !(c.is_ascii_digit() || "-_# ".contains(c)))
        .map_or(0, |i| i + l[i..].chars().next().map_or(1, char::len_utf8));
    let (word, tail) = l.split_at(word_end);
    let tail = tail.trim_start_matches(['-', '_', ' ', '#']);
    if GENERIC_WORDS.contains(&word.trim()) && (tail.is_empty() || tail.len() <= 4) {
        return Some(word.trim().to_string());
    }
    // `Participant A`, `Speaker B`.
    if let Some((word, letter)) = l.rsplit_once([' ', '_', '-']) {
        if GENERIC_WORDS.contains(&word.trim()) && letter.len() == 1 {
            return Some(word.trim().to_string());
        }
    }
    None
}

/// Whether `label` names a speaker by the part they play (`Participant`,
/// `Interviewee 2`, `Speaker 1`, `P03`, `Customer`, `Guest`), so that the
/// same label in another file is somebody else.
pub(crate) fn is_generic_label(label: &str) -> bool {
    role_word(label).is_some()
}

/// Whether `label` says its speaker is a participant (`Participant`,
/// `Respondent 4`, `P2`, `Customer`, `A`), not the interviewer.
pub(crate) fn is_participant_label(label: &str) -> bool {
    role_word(label).is_some_and(|w| w == "answer" || PARTICIPANT_WORDS.contains(&w.as_str()))
}

/// The person key of a participant speaking as `label` in the file `path`:
/// `path#label` for a generic label, otherwise the name (without a
/// parenthetical; an email is hashed). `None` for a placeholder author
/// ("A Google user"): the document is then the person.
pub fn person_key(path: &str, label: &str) -> Option<String> {
    let name = base_name(label);
    if is_generic_label(name) {
        return Some(format!("{path}#{name}"));
    }
    if name.is_empty() || is_placeholder_author(name) {
        return None;
    }
    customer_key(None, None, Some(name))
}

/// Whether a speaker label and a name given by the researcher
/// (`--interviewer Sam`) are the same person: equal (case-insensitive,
/// without a parenthetical), or one is the other's first name.
pub(crate) fn same_name(label: &str, name: &str) -> bool {
    let (a, b) = (
        base_name(label).trim().to_lowercase(),
        base_name(name).trim().to_lowercase(),
    );
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let first = |s: &str| s.split_whitespace().next().map(str::to_string);
    a == b
        || (!a.contains(' ') && first(&b).as_deref() == Some(a.as_str()))
        || (!b.contains(' ') && first(&a).as_deref() == Some(b.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generic_labels_are_roles_not_names() {
        for generic in [
            "Participant",
            "participant",
            "Participant 3",
            "Participant A",
            "Interviewee",
            "Respondent 12",
            "P",
            "P1",
            "P03",
            "R2",
            "Customer",
            "User",
            "User_2",
            "Speaker 1",
            "Speaker 2",
            "SPEAKER_01",
            "Unknown Speaker",
            "Guest",
            "A",
        ] {
            assert!(is_generic_label(generic), "{generic}");
        }
        for named in [
            "Kai Whitfield",
            "Sarah",
            "Pat",
            "Paula",
            "Amy",
            "Rachel Jansen",
            "Customer Success",
            "Speakerphone",
            "Interviewer",
            "A1",
        ] {
            assert!(!is_generic_label(named), "{named}");
        }
        assert!(is_participant_label("Participant"));
        assert!(is_participant_label("P2"));
        assert!(is_participant_label("Guest"));
        assert!(!is_participant_label("Speaker 1"));
        assert!(!is_participant_label("Sarah"));
    }

    #[test]
    fn person_keys_are_per_file_for_generic_labels_only() {
        assert_eq!(
            person_key("i/p01.txt", "Participant").as_deref(),
            Some("i/p01.txt#Participant")
        );
        assert_eq!(
            person_key("i/p01.txt", "Speaker 2 (guest)").as_deref(),
            Some("i/p01.txt#Speaker 2")
        );
        assert_eq!(
            person_key("i/p01.txt", "Kai Whitfield").as_deref(),
            Some("Kai Whitfield")
        );
        assert!(person_key("i/p01.txt", "kai@example.com")
            .unwrap()
            .starts_with("e:"));
        assert_eq!(person_key("i/p01.txt", "A Google user"), None);
    }

    #[test]
    fn names_match_in_full_or_by_first_name() {
        assert!(same_name("Sarah", "sarah"));
        assert!(same_name("Sarah Lee", "Sarah"));
        assert!(same_name("Sarah", "Sarah Lee"));
        assert!(same_name("Sarah Lee (UXR)", "sarah lee"));
        assert!(!same_name("Sarah Lee", "Sarah Chen"));
        assert!(!same_name("Sara", "Sarah"));
    }
}
