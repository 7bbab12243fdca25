//! Interviewer detection: consumes a document's turns; drops header lines
//! that only declare who plays which role (`Interviewer: Sam Lee`), decides
//! each speaker's role (interviewer or participant) and why, and produces
//! the person key each participant's turns count under and the document's
//! customer.
//!
//! The rules, in order (the first that names an interviewer decides):
//!
//! 1. `--interviewer NAME` / `--participant NAME` (the researcher's word);
//! 2. the label (`Interviewer`, `Moderator`, `Researcher`, `Host`, `Q`,
//!    `UXR` …) or a header line declaring the interviewer;
//! 3. the study: a named speaker who speaks in most of the study's
//!    interviews and asks most of the questions there (found by
//!    [`study_interviewers`] once every transcript is read);
//! 4. every other speaker is labelled as a participant (`Participant`,
//!    `Respondent`, `P2`, `Guest` …), so the one left is the interviewer;
//! 5. the shape of the conversation: the share of turns that are questions
//!    and how long the turns are.
//!
//! Everyone else is a participant; in a focus group each is a person.

use super::people::{is_generic_label, is_participant_label, person_key, same_name};
use super::speakers::base_name;
use crate::model::{Role, Turn};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

/// Whether a speaker label names the interviewer: it contains interviewer,
/// moderator, researcher, facilitator or host (also as a `(Researcher)`
/// suffix), or is exactly `Q`, `Question`, `I`, `Int`, `Mod`, `IV` or `UXR`
/// (Q/A and I/R styles).
pub(crate) fn is_interviewer_label(label: &str) -> bool {
    let lower = label.trim().to_lowercase();
    if matches!(
        lower.as_str(),
        "q" | "question" | "i" | "int" | "mod" | "iv" | "ivr"
    ) {
        return true;
    }
    lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .any(|t| {
            ["interviewer", "moderator", "researcher", "facilitator"]
                .iter()
                .any(|r| t.starts_with(r))
                || matches!(t, "host" | "cohost" | "uxr")
        })
}

fn ends_with_question(text: &str) -> bool {
    text.trim_end_matches(|c: char| c.is_whitespace() || "\"'”’)]".contains(c))
        .ends_with('?')
}
/// Header lines such as `Interviewer: Sam Lee` or `Participant: Maya
/// (Acme)` declare who plays which role instead of saying something: when
/// the text names another speaker of the file, the line is dropped. Returns
/// the speakers declared as interviewers.
pub(super) fn take_role_declarations(turns: &mut Vec<Turn>) -> Vec<String> {
    let mut speakers: Vec<String> = Vec::new();
    for s in turns.iter().filter_map(|t| t.speaker.as_ref()) {
        if !speakers.contains(s) {
            speakers.push(s.clone());
        }
    }
    let participant_label = |label: &str| {
        let l = label.trim().to_lowercase();
        [
            "participant",
            "interviewee",
            "customer",
            "respondent",
            "guest",
        ]
        .iter()
        .any(|w| l == *w)
    };
    let declares = |text: &str, name: &str| {
        let (t, n) = (text.to_lowercase(), name.to_lowercase());
        t.len() <= 80
            && t.strip_prefix(n.as_str()).is_some_and(|rest| {
                rest.is_empty()
                    || [" (", ",", " -", " –", " —"]
                        .iter()
                        .any(|p| rest.starts_with(p))
            })
    };
    let mut declared = Vec::new();
    turns.retain(|t| {
        let Some(label) = t.speaker.as_deref() else {
            return true;
        };
        let interviewer = is_interviewer_label(label);
        if !interviewer && !participant_label(label) {
            return true;
        }
        let text = t.text.trim();
        match speakers
            .iter()
            .find(|s| s.as_str() != label && declares(text, s))
        {
            Some(name) => {
                if interviewer {
                    declared.push(name.clone());
                }
                false
            }
            None => true,
        }
    });
    declared
}

/// How many turns, questions and words one speaker has in a document.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Tally {
    pub label: String,
    pub turns: usize,
    pub questions: usize,
    pub words: usize,
}

impl Tally {
    fn share(&self) -> f64 {
        self.questions as f64 / self.turns.max(1) as f64
    }
    fn mean_words(&self) -> f64 {
        self.words as f64 / self.turns.max(1) as f64
    }
}

/// Each speaker's tally, in order of first appearance.
pub(crate) fn tally(turns: &[Turn]) -> Vec<Tally> {
    let mut out: Vec<Tally> = Vec::new();
    for t in turns {
        let Some(s) = &t.speaker else { continue };
        let i = match out.iter().position(|x| &x.label == s) {
            Some(i) => i,
            None => {
                out.push(Tally {
                    label: s.clone(),
                    turns: 0,
                    questions: 0,
                    words: 0,
                });
                out.len() - 1
            }
        };
        out[i].turns += 1;
        out[i].questions += usize::from(ends_with_question(&t.text));
        out[i].words += t.text.split_whitespace().count();
    }
    out
}

/// Why a speaker was given its role.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "rule")]
pub enum Why {
    /// Named by `--interviewer` or `--participant`.
    Flag,
    /// The label says so (`Interviewer`, `Moderator`, `Q` …).
    Label,
    /// A header line of the file declares it (`Interviewer: Sam Lee`).
    Declared,
    /// The front matter of notes names the participant.
    FrontMatter,
    /// Notes whose front matter names the participant: another speaker
    /// who asks in at least half their turns.
    AsksBesideParticipant,
    /// Speaks in `files` of the study's `of` interviews and asks most of
    /// the questions there.
    Study { files: usize, of: usize },
    /// Every other speaker is labelled as a participant.
    OthersAreParticipants,
    /// The conversation's shape: `questions` of `turns` turns are
    /// questions; `words` a turn on average against `others_words` for the
    /// other speakers.
    Shape {
        questions: usize,
        turns: usize,
        words: f64,
        others_words: f64,
    },
    /// A participant: another speaker is the interviewer.
    OtherIsInterviewer,
    /// A participant: nobody reads as the interviewer.
    NoInterviewer,
}

/// One speaker of one interview, as cairn read them: what `ingest
/// --dry-run` shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpeakerRole {
    pub path: String,
    /// The label as written in the file.
    pub speaker: String,
    pub role: Role,
    /// The person key a participant's turns count under (a generic label's
    /// is `path#label`); `None` for the interviewer.
    pub person: Option<String>,
    pub turns: usize,
    pub questions: usize,
    pub why: Why,
}

impl fmt::Display for Why {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Why::Flag => f.write_str("named on the command line"),
            Why::Label => f.write_str("by label"),
            Why::Declared => f.write_str("declared in the file's header"),
            Why::FrontMatter => f.write_str("named in the front matter"),
            Why::AsksBesideParticipant => f.write_str(
                "asks in at least half their turns beside the participant the front matter names",
            ),
            Why::Study { files, of } => write!(
                f,
                "study-wide: speaks in {files} of {of} interviews and asks most of their questions"
            ),
            Why::OthersAreParticipants => {
                f.write_str("every other speaker is labelled as a participant")
            }
            Why::Shape {
                questions,
                turns,
                words,
                others_words,
            } => write!(
                f,
                "conversation shape: {questions} of {turns} turns are questions ({:.0} %), {words:.0} words a turn against {others_words:.0} for the others",
                100.0 * *questions as f64 / (*turns).max(1) as f64
            ),
            Why::OtherIsInterviewer => f.write_str("answers the interviewer"),
            Why::NoInterviewer => f.write_str(
                "nobody reads as the interviewer (no label, study-wide speaker or question-asking shape)",
            ),
        }
    }
}

/// What is known about a document's speakers before its turns are read.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Known<'a> {
    /// Speakers a header line declares as interviewers.
    pub declared: &'a [String],
    /// `--interviewer` names: the interviewer in every file.
    pub interviewers: &'a [String],
    /// `--participant` names: never the interviewer.
    pub participants: &'a [String],
    /// The study's interviewers: label (lowercased, no parenthetical), in
    /// how many interviews, of how many (see [`study_interviewers`]).
    pub study: &'a [(String, usize, usize)],
}

/// The accept rules of the conversation's shape, for speaker `b` among
/// `all` (see [`decide`]).
fn shape(b: &Tally, all: &[Tally]) -> bool {
    let others: Vec<&Tally> = all.iter().filter(|s| s.label != b.label).collect();
    if others.is_empty() {
        return false;
    }
    let others_share = others.iter().map(|s| s.share()).fold(0.0, f64::max);
    let (turns, words) = others
        .iter()
        .fold((0, 0), |(t, w), s| (t + s.turns, w + s.words));
    let others_words = words as f64 / turns.max(1) as f64;
    // Asks in two turns of five or more.
    let asks = b.turns >= 3 && b.share() >= 0.4;
    // Two speakers, one only asking and the other (almost) only answering:
    // the asker is the interviewer however short the talk.
    let clear = all.len() == 2 && b.turns >= 2 && b.questions == b.turns && others_share <= 0.2;
    // Asks less often but clearly more than anyone else, in turns at most
    // half as long as the others' (diarized interviews, where a question
    // is often cut into several turns).
    let short = b.turns >= 3
        && b.questions >= 2
        && b.share() >= 0.2
        && b.share() >= 2.0 * others_share
        && b.mean_words() * 2.0 <= others_words;
    asks || clear || short
}

/// Decides each speaker's role in one document (`path`'s `turns`), with
/// the rules of this module's header in order; each decision says why.
/// Turns without a speaker are customer voice and are not listed.
pub(crate) fn decide(path: &str, turns: &[Turn], known: Known<'_>) -> Vec<SpeakerRole> {
    let speakers = tally(turns);
    let named = |s: &Tally, names: &[String]| names.iter().any(|n| same_name(&s.label, n));
    let mut roles: Vec<(Role, Why)> = speakers
        .iter()
        .map(|s| {
            if named(s, known.participants) {
                (Role::Customer, Why::Flag)
            } else if named(s, known.interviewers) {
                (Role::Interviewer, Why::Flag)
            } else if is_interviewer_label(&s.label) || is_interviewer_label(base_name(&s.label)) {
                (Role::Interviewer, Why::Label)
            } else if known.declared.contains(&s.label) {
                (Role::Interviewer, Why::Declared)
            } else {
                (Role::Customer, Why::NoInterviewer)
            }
        })
        .collect();
    let open: Vec<usize> = (0..speakers.len())
        .filter(|&i| roles[i].1 == Why::NoInterviewer)
        .collect();
    let found = |roles: &[(Role, Why)]| roles.iter().any(|r| r.0 == Role::Interviewer);
    if !found(&roles) {
        for &i in &open {
            let key = base_name(&speakers[i].label).to_lowercase();
            if let Some((_, files, of)) = known.study.iter().find(|(n, _, _)| *n == key) {
                roles[i] = (
                    Role::Interviewer,
                    Why::Study {
                        files: *files,
                        of: *of,
                    },
                );
            }
        }
    }
    if !found(&roles) && speakers.len() >= 2 {
        let participant = |i: usize| {
            roles[i].1 == Why::Flag || is_participant_label(base_name(&speakers[i].label))
        };
        let rest: Vec<usize> = open.iter().copied().filter(|&i| !participant(i)).collect();
        if let [one] = rest.as_slice() {
            if speakers[*one].questions >= 1 {
                roles[*one] = (Role::Interviewer, Why::OthersAreParticipants);
            }
        }
    }
    if !found(&roles) && speakers.len() >= 2 {
        let best = open
            .iter()
            .copied()
            .filter(|&i| roles[i].1 == Why::NoInterviewer && shape(&speakers[i], &speakers))
            .max_by(|&a, &b| {
                let (a, b) = (&speakers[a], &speakers[b]);
                a.share()
                    .total_cmp(&b.share())
                    .then(a.questions.cmp(&b.questions))
                    // The first to speak wins a tie.
                    .then(std::cmp::Ordering::Greater)
            });
        if let Some(i) = best {
            let b = &speakers[i];
            let (turns, words) = speakers
                .iter()
                .filter(|s| s.label != b.label)
                .fold((0, 0), |(t, w), s| (t + s.turns, w + s.words));
            roles[i] = (
                Role::Interviewer,
                Why::Shape {
                    questions: b.questions,
                    turns: b.turns,
                    words: round1(b.mean_words()),
                    others_words: round1(words as f64 / turns.max(1) as f64),
                },
            );
        }
    }
    let any = found(&roles);
    speakers
        .iter()
        .zip(roles)
        .map(|(s, (role, why))| {
            let why = match why {
                Why::NoInterviewer if any => Why::OtherIsInterviewer,
                w => w,
            };
            SpeakerRole {
                path: path.to_string(),
                speaker: s.label.clone(),
                role,
                person: (role == Role::Customer)
                    .then(|| person_key(path, &s.label))
                    .flatten(),
                turns: s.turns,
                questions: s.questions,
                why,
            }
        })
        .collect()
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Sets each turn's role from `decisions`; turns without a speaker (or
/// with one not decided on) are customer voice.
pub(crate) fn apply_roles(turns: &mut [Turn], decisions: &[SpeakerRole]) {
    for t in turns {
        t.role = match t.speaker.as_deref() {
            Some(s)
                if decisions
                    .iter()
                    .any(|d| d.speaker == s && d.role == Role::Interviewer) =>
            {
                Role::Interviewer
            }
            _ => Role::Customer,
        };
    }
}

/// The document's customer: the one participant's person key, or `None`
/// when there are several (a focus group: each speaker is a person) or
/// none.
pub(crate) fn document_customer(decisions: &[SpeakerRole]) -> Option<String> {
    let mut people = decisions.iter().filter(|d| d.role == Role::Customer);
    match (people.next(), people.next()) {
        (Some(one), None) => one.person.clone(),
        _ => None,
    }
}

/// Sets each turn's role (see [`decide`]) and returns the document's
/// customer; the decisions are returned too.
pub(crate) fn assign_roles(
    path: &str,
    turns: &mut [Turn],
    known: Known<'_>,
) -> (Option<String>, Vec<SpeakerRole>) {
    let decisions = decide(path, turns, known);
    apply_roles(turns, &decisions);
    (document_customer(&decisions), decisions)
}

/// The study's interviewers, from every interview's turns (`docs`, one
/// slice per document): a named speaker (not a generic label such as
/// `Speaker 1`, which is somebody else in every file) who speaks in at
/// least two interviews and in more than half of those with two or more
/// speakers, and who asks more of the questions in those interviews than
/// everybody else together. Returns (label lowercased, interviews spoken
/// in, interviews).
pub(crate) fn study_interviewers<'a>(
    docs: impl IntoIterator<Item = &'a [Turn]>,
) -> Vec<(String, usize, usize)> {
    // label → (files, own questions, others' questions in those files).
    let mut by: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut interviews = 0;
    for turns in docs {
        let speakers = tally(turns);
        if speakers.len() < 2 {
            continue;
        }
        interviews += 1;
        let all: usize = speakers.iter().map(|s| s.questions).sum();
        for s in &speakers {
            let name = base_name(&s.label);
            if is_generic_label(name) || is_interviewer_label(name) {
                continue;
            }
            let e = by.entry(name.to_lowercase()).or_default();
            e.0 += 1;
            e.1 += s.questions;
            e.2 += all - s.questions;
        }
    }
    by.into_iter()
        .filter(|(_, (files, own, others))| *files >= 2 && files * 2 > interviews && own > others)
        .map(|(name, (files, _, _))| (name, files, interviews))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::tests::speakers;
    use super::super::txt::parse_txt;
    use crate::model::{Role, SourceKind};

    #[test]
    fn txt_with_interviewer_found_by_question_share() {
        let txt = "\
Onboarding interview — Acme
Date: 2026-03-04

Sam: Thanks for joining. How long have you used the app?
Maya: About a year. We switched from spreadsheets
because the team kept overwriting each other.
Sam: What made you pick us?
Maya: Price, honestly.

It was half of what the others charged.
Sam: And what's the worst part today?
Maya: Note: the export. It times out on big projects.
Sam: Anything else?
";
        let p = parse_txt("i/maya.txt", txt.as_bytes());
        assert!(p.skipped.is_empty());
        let d = &p.documents[0];
        assert_eq!(d.kind, SourceKind::Interview);
        assert_eq!(d.customer.as_deref(), Some("Maya"));
        assert_eq!(d.date.unwrap().format("%F").to_string(), "2026-03-04");
        assert_eq!(
            speakers(d),
            vec![
                (Some("Sam"), Role::Interviewer, 4),
                (Some("Maya"), Role::Customer, 5),
                (Some("Sam"), Role::Interviewer, 7),
                (Some("Maya"), Role::Customer, 8),
                (Some("Sam"), Role::Interviewer, 11),
                (Some("Maya"), Role::Customer, 12),
                (Some("Sam"), Role::Interviewer, 13),
            ]
        );
        assert_eq!(
            d.turns[1].text,
            "About a year. We switched from spreadsheets\nbecause the team kept overwriting each other."
        );
        assert_eq!(
            d.turns[3].text,
            "Price, honestly.\n\nIt was half of what the others charged."
        );
        assert_eq!(
            d.turns[5].text,
            "Note: the export. It times out on big projects."
        );
    }

    #[test]
    fn txt_with_labels_and_several_participants() {
        let txt = "Moderator: Welcome both.\nP01: Hi.\nP02: Hello!\nP01: We use it daily.\n";
        let d = &parse_txt("g.txt", txt.as_bytes()).documents[0];
        assert_eq!(d.customer, None);
        assert_eq!(d.turns[0].role, Role::Interviewer);
        assert!(d.turns[1..].iter().all(|t| t.role == Role::Customer));

        let txt = "Jane (Researcher): Hi\nBo: hey\n";
        let d = &parse_txt("g.txt", txt.as_bytes()).documents[0];
        assert_eq!(d.turns[0].role, Role::Interviewer);
        assert_eq!(d.customer.as_deref(), Some("Bo"));

        let txt = "Host: Hi\nBo@acme.com: hey\n";
        let d = &parse_txt("g.txt", txt.as_bytes()).documents[0];
        assert!(d.customer.as_deref().unwrap().starts_with("e:"));
    }

    #[test]
    fn header_lines_declare_roles() {
        let txt = "\
Interviewer: Sam Lee
Participant: Maya Chen (Acme)

Sam Lee: Thanks for joining.
Maya Chen: Happy to help.
Sam Lee: Let's start with billing.
";
        let d = &parse_txt("h.txt", txt.as_bytes()).documents[0];
        assert_eq!(
            speakers(d),
            vec![
                (Some("Sam Lee"), Role::Interviewer, 4),
                (Some("Maya Chen"), Role::Customer, 5),
                (Some("Sam Lee"), Role::Interviewer, 6),
            ]
        );
        assert_eq!(d.customer.as_deref(), Some("Maya Chen"));
    }

    #[test]
    fn question_share_needs_three_turns_unless_the_exchange_is_clear() {
        // Both ask: nobody is taken for the interviewer in four turns.
        let txt = "A1: Why?\nB2: Because. And you?\nA1: Really?\nB2: Yes, why not?\n";
        let d = &parse_txt("t.txt", txt.as_bytes()).documents[0];
        assert!(d.turns.iter().all(|t| t.role == Role::Customer));
        assert_eq!(d.customer, None);
        // One question is not enough to tell.
        let txt = "A1: Why?\nB2: Because.\n";
        let d = &parse_txt("t.txt", txt.as_bytes()).documents[0];
        assert!(d.turns.iter().all(|t| t.role == Role::Customer));
        // A short interview: she only asks, he only answers.
        let txt = "Priya Shah: How did you first hear about Ledgerly?\n\
                   Tom Berg: A friend who runs a bakery uses it.\n\
                   Priya Shah: What would make you switch away?\n\
                   Tom Berg: If the bank sync keeps dropping transactions.\n";
        let d = &parse_txt("t.txt", txt.as_bytes()).documents[0];
        let roles: Vec<_> = d.turns.iter().map(|t| t.role).collect();
        assert_eq!(
            roles,
            [
                Role::Interviewer,
                Role::Customer,
                Role::Interviewer,
                Role::Customer
            ]
        );
        assert_eq!(d.customer.as_deref(), Some("Tom Berg"));
    }
}
