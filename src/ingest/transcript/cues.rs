//! Subtitle cues: consumes the text of a WebVTT or SRT file; splits it into
//! timed cues, cleans their markup, finds each cue's speaker (a `<v Name>`
//! voice span or a `Name:` prefix; a cue without one continues the last
//! speaker), merges consecutive cues by the same speaker into one turn and
//! produces the file's interview document.

use super::speakers::split_speaker;
use super::turn_buf::TurnBuf;
use super::{decode, finish_document};
use crate::ingest::at;
use crate::ingest::Parsed;
use crate::model::{SourceKind, Turn};
use regex::Regex;
use std::sync::LazyLock;

/// One caption cue: its timing line, start time and text lines.
struct Cue {
    line: u64,
    start: String,
    text: Vec<String>,
}

static TIMING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})[.,](\d{1,3})\s*-->\s*(?:\d{1,3}:)?\d{1,2}:\d{1,2}[.,]\d{1,3}",
    )
    .expect("valid regex")
});

/// The normalised start time (`HH:MM:SS.mmm`) of a timing line.
pub(super) fn timing_start(line: &str) -> Option<String> {
    let c = TIMING.captures(line)?;
    let h: u32 = c.get(1).map_or(Some(0), |m| m.as_str().parse().ok())?;
    let m: u32 = c[2].parse().ok()?;
    let s: u32 = c[3].parse().ok()?;
    let frac = &c[4];
    let ms: u32 = format!("{frac:0<3}").parse().ok()?;
    Some(format!("{h:02}:{m:02}:{s:02}.{ms:03}"))
}

/// Splits caption text into cues. Blocks are separated by blank lines;
/// `NOTE`, `STYLE` and `REGION` blocks and the `WEBVTT` header are dropped; a
/// block without a timing line is not read (its first line is returned, to
/// be warned about, unless it holds only a cue number); a timing line inside
/// a block (a missing blank line) starts a new cue, taking a preceding number
/// line as its index.
fn parse_cues(text: &str) -> (Vec<Cue>, Vec<u64>) {
    let mut cues: Vec<Cue> = Vec::new();
    let mut untimed: Vec<u64> = Vec::new();
    let mut block: Vec<(u64, &str)> = Vec::new();
    let lines = text.lines().enumerate().map(|(i, l)| (i as u64 + 1, l));
    for (no, line) in lines.chain(std::iter::once((0, ""))) {
        if !line.trim().is_empty() {
            block.push((no, line));
            continue;
        }
        if block.is_empty() {
            continue;
        }
        let first = block[0].1.trim_start_matches('\u{feff}').trim();
        let meta = first.starts_with("WEBVTT")
            || ["NOTE", "STYLE", "REGION"].iter().any(|k| {
                first == *k
                    || first.starts_with(&format!("{k} "))
                    || first.starts_with(&format!("{k}\t"))
            });
        let timed = block.iter().any(|&(_, l)| timing_start(l).is_some());
        let only_numbers = block
            .iter()
            .all(|&(_, l)| l.trim().bytes().all(|b| b.is_ascii_digit()));
        if !meta && !timed && !only_numbers {
            untimed.push(block[0].0);
        }
        if !meta {
            let mut current: Option<Cue> = None;
            for &(no, l) in &block {
                if let Some(start) = timing_start(l) {
                    if let Some(mut c) = current.take() {
                        if c.text
                            .last()
                            .is_some_and(|t| t.trim().bytes().all(|b| b.is_ascii_digit()))
                        {
                            c.text.pop();
                        }
                        cues.push(c);
                    }
                    current = Some(Cue {
                        line: no,
                        start,
                        text: Vec::new(),
                    });
                } else if let Some(c) = current.as_mut() {
                    c.text.push(l.to_string());
                }
            }
            cues.extend(current);
        }
        block.clear();
    }
    (cues, untimed)
}

/// Warns about each caption block whose text was not read for want of a
/// timing line (a typo such as `00:0010,000`, or a cut file).
fn warn_untimed(path: &str, untimed: &[u64], out: &mut Parsed) {
    for &line in untimed {
        out.warn(
            at(path, line),
            "caption block without a valid timing line (`00:00:01,000 --> 00:00:04,000`): \
             its text was not read",
        );
    }
}

static TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<[^>\n]*>|\{\\[^}\n]*\}").expect("valid regex"));
static VOICE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<v(?:\.[^\s>]*)?\s+([^>\n]*)>").expect("valid regex"));

/// Strips markup (`<c>`, `<i>`, `<b>`, `<font>`, `{\an8}`), decodes the
/// common entities and collapses whitespace.
fn clean_cue_text(s: &str) -> String {
    let s = TAG.replace_all(s, " ");
    let s = s
        .replace("&nbsp;", " ")
        .replace("&lrm;", "")
        .replace("&rlm;", "")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    let s = s.trim_start_matches(">>").trim_start_matches("- ");
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A cue's text split by speaker. `None` means "whoever spoke last".
fn cue_segments(cue: &Cue, vtt: bool) -> Vec<(Option<String>, String)> {
    let raw = cue.text.join("\n");
    let mut segs = Vec::new();
    if vtt && VOICE.is_match(&raw) {
        let voices: Vec<_> = VOICE.captures_iter(&raw).collect();
        let first = voices[0].get(0).map_or(0, |m| m.start());
        let lead = clean_cue_text(&raw[..first]);
        if !lead.is_empty() {
            segs.push((None, lead));
        }
        for (i, c) in voices.iter().enumerate() {
            let whole = c.get(0).expect("match");
            let end = voices
                .get(i + 1)
                .and_then(|n| n.get(0))
                .map_or(raw.len(), |m| m.start());
            let text = clean_cue_text(&raw[whole.end()..end]);
            let name = c[1].trim();
            let name = (!name.is_empty()).then(|| name.to_string());
            segs.push((name, text));
        }
        return segs;
    }
    let text = clean_cue_text(&raw);
    match split_speaker(&text) {
        Some(sp) => segs.push((Some(sp.name.to_string()), sp.text.to_string())),
        None => segs.push((None, text)),
    }
    segs
}

/// Turns cues into turns: each segment's speaker is its own or the previous
/// one; consecutive segments by the same speaker merge, citing the first
/// cue's timing line and start time.
fn cues_to_turns(path: &str, cues: &[Cue], vtt: bool) -> Vec<Turn> {
    let mut bufs: Vec<TurnBuf> = Vec::new();
    let mut speaker: Option<String> = None;
    for cue in cues {
        for (name, text) in cue_segments(cue, vtt) {
            if name.is_some() {
                speaker = name;
            }
            if text.is_empty() {
                continue;
            }
            match bufs.last_mut() {
                Some(b) if b.speaker == speaker => b.add_cue(&text),
                _ => {
                    let mut b = TurnBuf::new(speaker.clone(), cue.line, Some(cue.start.clone()));
                    b.add_cue(&text);
                    bufs.push(b);
                }
            }
        }
    }
    bufs.into_iter().filter_map(|b| b.finish(path)).collect()
}

/// Parses a WebVTT file.
///
/// Layouts: `teams-vtt` follows Microsoft Teams' transcript download (.vtt):
/// cues with an id line, `HH:MM:SS.mmm --> …` timings and the text in
/// `<v Speaker Name>…</v>` voice spans; `zoom-vtt` follows Zoom's cloud
/// recording transcript: numbered cues whose text starts `Speaker Name:`;
/// `webvtt` is any other WebVTT (no speakers: one customer voice).
pub(crate) fn parse_vtt(path: &str, bytes: &[u8]) -> Parsed {
    let mut out = Parsed::new(SourceKind::Interview);
    let text = decode(path, bytes, &mut out);
    let (cues, untimed) = parse_cues(&text);
    warn_untimed(path, &untimed, &mut out);
    let raw = |c: &Cue| c.text.join("\n");
    out.layout = if cues.iter().any(|c| VOICE.is_match(&raw(c))) {
        "teams-vtt"
    } else if cues
        .iter()
        .any(|c| split_speaker(&clean_cue_text(&raw(c))).is_some())
    {
        "zoom-vtt"
    } else {
        "webvtt"
    }
    .to_string();
    let turns = cues_to_turns(path, &cues, true);
    finish_document(path, turns, None, out)
}

/// Parses an SRT file (layout `srt`: numbered cues, `HH:MM:SS,mmm -->`
/// timings, `Name: text` where the tool writes speakers, as Zoom and Otter
/// do).
pub(crate) fn parse_srt(path: &str, bytes: &[u8]) -> Parsed {
    let mut out = Parsed::new(SourceKind::Interview);
    out.layout = "srt".to_string();
    let text = decode(path, bytes, &mut out);
    let (cues, untimed) = parse_cues(&text);
    warn_untimed(path, &untimed, &mut out);
    let turns = cues_to_turns(path, &cues, false);
    finish_document(path, turns, None, out)
}

#[cfg(test)]
mod tests {
    use super::super::tests::speakers;
    use super::*;
    use crate::model::Role;

    #[test]
    fn teams_vtt_with_voices_and_merged_cues() {
        let vtt = "\
WEBVTT
Kind: captions

NOTE recorded in Teams
speaker names from the meeting roster

STYLE
::cue { color: yellow }

1f3a-0
00:00:01.000 --> 00:00:04.200
<v Priya Shah (Researcher)>How did the rollout go?</v>

1f3a-1
00:00:04.500 --> 00:00:07.000
<v.loud Tom Berg>Rough at first.</v>

1f3a-2
00:00:07.100 --> 00:00:09.900
<v Tom Berg>The <i>import</i> kept <c.yellow>failing</c> &amp; support was slow.</v>

00:10.000 --> 00:12.000
we lost a week

1f3a-4
00:00:12.500 --> 00:00:14.000
<v Priya Shah (Researcher)>A week?</v>
";
        let p = parse_vtt("i/tom.vtt", vtt.as_bytes());
        let d = &p.documents[0];
        assert_eq!(
            speakers(d),
            vec![
                (Some("Priya Shah (Researcher)"), Role::Interviewer, 11),
                (Some("Tom Berg"), Role::Customer, 15),
                (Some("Priya Shah (Researcher)"), Role::Interviewer, 26),
            ]
        );
        assert_eq!(
            d.turns[1].text,
            "Rough at first. The import kept failing & support was slow. we lost a week"
        );
        assert_eq!(d.turns[1].source.timestamp.as_deref(), Some("00:00:04.500"));
        assert_eq!(d.customer.as_deref(), Some("Tom Berg"));
    }

    #[test]
    fn zoom_vtt_with_name_prefixes_and_two_voices_in_one_cue() {
        let vtt = "WEBVTT\n\n1\n00:00:00.500 --> 00:00:02.000\nHost: Can you hear me?\n\n2\n00:00:02.100 --> 00:00:03.000\nLi Wei: Yes.\n\n3\n00:00:03.000 --> 00:00:05.000\n<v Host>Great.</v>\n<v Li Wei>Let's start.</v>\n";
        let d = &parse_vtt("z.vtt", vtt.as_bytes()).documents[0];
        let got: Vec<_> = d
            .turns
            .iter()
            .map(|t| (t.speaker.as_deref().unwrap(), t.text.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Host", "Can you hear me?"),
                ("Li Wei", "Yes."),
                ("Host", "Great."),
                ("Li Wei", "Let's start."),
            ]
        );
        assert_eq!(d.turns[3].source.line, 12);
        assert_eq!(d.turns[0].role, Role::Interviewer);
    }

    #[test]
    fn a_cue_with_a_broken_timing_line_is_warned_about_not_dropped_silently() {
        let srt = "\
1
00:00:01,000 --> 00:00:04,000
Interviewer: What frustrates you most?

2
00:00:04,500 --> 00:0009,000
Kim: The reports never match the bank.

3

4
00:00:11,000 --> 00:00:14,000
Kim: And exports time out.
";
        let p = parse_srt("k.srt", srt.as_bytes());
        assert_eq!(p.documents.len(), 1);
        let warnings: Vec<String> = p.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            warnings,
            ["k.srt:5: caption block without a valid timing line \
              (`00:00:01,000 --> 00:00:04,000`): its text was not read"]
        );
        let vtt = srt.replace(',', ".").replace("1\n00", "WEBVTT\n\n1\n00");
        let p = parse_vtt("k.vtt", vtt.as_bytes());
        assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
        assert_eq!(p.warnings[0].source.line, 7);
    }

    #[test]
    fn zoom_srt_with_continuation_cues() {
        let srt = "\
1
00:00:01,000 --> 00:00:04,000
Interviewer: What slows you down?

2
00:00:04,500 --> 00:00:07,250
Carla Diaz: Honestly the sync.
It drops every afternoon.

3
00:00:07,300 --> 00:00:09,000
<i>And nobody answers tickets.</i>
4
00:00:09,500 --> 00:00:10,000
Interviewer: Since when?
";
        let d = &parse_srt("c.srt", srt.as_bytes()).documents[0];
        assert_eq!(
            speakers(d),
            vec![
                (Some("Interviewer"), Role::Interviewer, 2),
                (Some("Carla Diaz"), Role::Customer, 6),
                (Some("Interviewer"), Role::Interviewer, 14),
            ]
        );
        assert_eq!(
            d.turns[1].text,
            "Honestly the sync. It drops every afternoon. And nobody answers tickets."
        );
        assert_eq!(d.turns[1].source.timestamp.as_deref(), Some("00:00:04.500"));
        assert_eq!(d.customer.as_deref(), Some("Carla Diaz"));
    }

    #[test]
    fn cue_timing_normalised() {
        assert_eq!(
            timing_start("01:02.5 --> 01:03.000").as_deref(),
            Some("00:01:02.500")
        );
        assert_eq!(
            timing_start("1:00:00,040 --> 1:00:01,000").as_deref(),
            Some("01:00:00.040")
        );
        assert_eq!(
            timing_start("0:0:5.100 --> 0:0:8.250").as_deref(),
            Some("00:00:05.100")
        );
        assert_eq!(timing_start("not a timing"), None);
    }
}
