//! Speakers, participants and interviewers, through the real binary: a
//! research team's folder of interviews with generic or diarized speaker
//! labels, in every transcript layout cairn reads, gives one participant
//! per interview and never quotes the interviewer; focus groups, PDF
//! transcripts, the study-wide interviewer and `--interviewer`.

mod util;

use serde_json::Value;
use std::fs;
use std::io::Write;
use std::path::Path;
use util::{cairn, read, stderr, stdout};

/// The interviewer's questions, the same in every session of the study.
const QUESTIONS: [&str; 6] = [
    "Thanks for making the time today, can you hear me all right?",
    "How do you usually book a room when you travel for work?",
    "What happened the last time you checked in at one of our hotels?",
    "And how did the front desk handle the problem with the booking?",
    "Are there any other ways to filter the rooms you think would help?",
    "Is there anything else you would like to tell us before we finish?",
];

/// Three participants' answers, one per question.
const ANSWERS: [[&str; 6]; 3] = [
    [
        "Yes, loud and clear.",
        "Mostly through the app on my phone, because the company card is stored there and the receipts go straight to finance.",
        "The key card did not work twice and I waited forty minutes in the lobby after a red-eye flight.",
        "They were polite, but nobody could see my booking and I had to show the confirmation email on my phone.",
        "Honestly a filter for quiet rooms away from the lifts would save me from asking every single time.",
        "Only that the checkout bill listed a minibar charge I never made, and getting it refunded took three calls.",
    ],
    [
        "I can, yes, the sound is fine.",
        "I ask our travel agent, since she knows which properties give us the corporate rate.",
        "Check-in was quick, but the room smelled of smoke and the air conditioning rattled all night.",
        "The night manager moved me to another floor within ten minutes, which I really appreciated.",
        "I would love to filter by desk size, because I work from the room most evenings.",
        "The breakfast is the reason I keep coming back, the staff remember my order.",
    ],
    [
        "Yep, all good on my end.",
        "I compare prices on two booking sites first and then book directly when the rate matches.",
        "They had given my room away because the reservation showed a cancelled status that I never requested.",
        "The receptionist blamed the booking site and told me to call them myself at midnight.",
        "A filter for rooms with blackout curtains, since I sleep during the day after night shifts.",
        "Just that I cancelled my loyalty membership after that night and moved to a competitor.",
    ],
];

/// A corpus file: path below the corpus root, bytes.
type File = (String, Vec<u8>);

fn write_corpus(root: &Path, files: &[File]) {
    for (path, bytes) in files {
        let p = root.join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, bytes).unwrap();
    }
}

/// The turns of session `n`: (interviewer?, text), interviewer first.
fn session(n: usize) -> Vec<(bool, &'static str)> {
    QUESTIONS
        .iter()
        .zip(ANSWERS[n])
        .flat_map(|(q, a)| [(true, *q), (false, a)])
        .collect()
}

/// A Word document whose paragraphs are `paras`.
fn docx(paras: &[String]) -> Vec<u8> {
    let mut body = String::new();
    for p in paras {
        let text = p
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        body.push_str(&format!(
            "<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"
        ));
    }
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:body>{body}</w:body></w:document>"
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    zip.start_file("[Content_Types].xml", opts).unwrap();
    zip.write_all(b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>")
        .unwrap();
    zip.start_file("word/document.xml", opts).unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

/// A PDF written by hand: one page per entry, each line of text set in
/// Helvetica 11 pt, 14 pt apart, from the top of a Letter page. A page
/// with no lines has no text at all (what a scan looks like).
fn pdf(pages: &[Vec<String>]) -> Vec<u8> {
    let escape = |s: &str| {
        s.replace('\\', "\\\\")
            .replace('(', "\\(")
            .replace(')', "\\)")
    };
    // Objects: 1 catalog, 2 pages, 3 font, then a page and its contents
    // for each page.
    let mut objects: Vec<String> = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        String::new(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_string(),
    ];
    let mut kids = Vec::new();
    for lines in pages {
        let page = objects.len() + 1;
        kids.push(format!("{page} 0 R"));
        let mut content = String::new();
        for (i, line) in lines.iter().enumerate() {
            let y = 740 - 14 * i as i64;
            content.push_str(&format!(
                "BT /F1 11 Tf 72 {y} Td ({}) Tj ET\n",
                escape(line)
            ));
        }
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            page + 1
        ));
        objects.push(format!(
            "<< /Length {} >>\nstream\n{content}endstream",
            content.len()
        ));
    }
    objects[1] = format!(
        "<< /Type /Pages /Kids [{}] /Count {} >>",
        kids.join(" "),
        pages.len()
    );
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// Session `n` as `Name:` alone on a line with the text below, the way
/// transcripts extracted from PDFs and typed in Word often read.
fn label_lines(n: usize, interviewer: &str, participant: &str) -> Vec<String> {
    let mut lines = vec![format!("Guest research session {}", n + 1), String::new()];
    for (int, text) in session(n) {
        lines.push(format!("{}:", if int { interviewer } else { participant }));
        lines.push(text.to_string());
        lines.push(String::new());
    }
    lines
}

/// The same three sessions in every layout cairn reads, with generic or
/// diarized labels, one folder per layout.
fn every_layout() -> Vec<File> {
    let mut files: Vec<File> = Vec::new();
    for n in 0..3 {
        let turns = session(n);
        let txt = |f: &dyn Fn(bool, &str) -> String| -> Vec<u8> {
            turns
                .iter()
                .map(|(int, t)| f(*int, t))
                .collect::<String>()
                .into_bytes()
        };
        // `Name: text`: the interviewer by first name, `Participant`.
        files.push((
            format!("speaker-txt/session-{n}.txt"),
            txt(&|int, t| format!("{}: {t}\n", if int { "Dana" } else { "Participant" })),
        ));
        // `Name:` alone on a line, the text below it.
        files.push((
            format!("label-lines/session-{n}.txt"),
            (label_lines(n, "Dana", "Participant").join("\n") + "\n").into_bytes(),
        ));
        // Otter, diarized: `Speaker 1  0:03`, the text below.
        files.push((
            format!("otter/session-{n}.txt"),
            turns
                .iter()
                .enumerate()
                .map(|(i, (int, t))| {
                    let who = if *int { "Speaker 1" } else { "Speaker 2" };
                    format!("{who}  {}:{:02}\n{t}\n\n", i / 2, (i * 7) % 60)
                })
                .chain(["Transcribed by https://otter.ai\n".to_string()])
                .collect::<String>()
                .into_bytes(),
        ));
        // `[Name] text`.
        files.push((
            format!("bracket/session-{n}.txt"),
            txt(&|int, t| format!("[{}] {t}\n", if int { "Dana" } else { "Respondent" })),
        ));
        // WebVTT voices, Teams-style.
        let mut vtt = "WEBVTT\n\n".to_string();
        for (i, (int, t)) in turns.iter().enumerate() {
            let who = if *int { "Interviewer" } else { "Interviewee" };
            vtt.push_str(&format!(
                "{i}\n00:{:02}:{:02}.000 --> 00:{:02}:{:02}.500\n<v {who}>{t}</v>\n\n",
                i / 6,
                (i * 9) % 60,
                i / 6,
                (i * 9) % 60 + 8
            ));
        }
        files.push((format!("vtt/session-{n}.vtt"), vtt.into_bytes()));
        // SRT with diarized `Speaker N:` prefixes; in the second session
        // the participant is `Speaker 1`.
        let mut srt = String::new();
        for (i, (int, t)) in turns.iter().enumerate() {
            let first = (*int) != (n == 1);
            let who = if first { "Speaker 1" } else { "Speaker 2" };
            srt.push_str(&format!(
                "{}\n00:{:02}:{:02},000 --> 00:{:02}:{:02},500\n{who}: {t}\n\n",
                i + 1,
                i / 6,
                (i * 9) % 60,
                i / 6,
                (i * 9) % 60 + 8
            ));
        }
        files.push((format!("srt/session-{n}.srt"), srt.into_bytes()));
        // Word, Q/A style.
        let paras: Vec<String> = turns
            .iter()
            .map(|(int, t)| format!("{}: {t}", if *int { "Q" } else { "A" }))
            .collect();
        files.push((format!("docx/session-{n}.docx"), docx(&paras)));
        // PDF: `Name:` alone on a line, a running title and page numbers.
        let lines = label_lines(n, "Dana", "Participant");
        let (a, b) = lines.split_at(lines.len() / 2);
        let page = |body: &[String], no: usize| {
            let mut p = vec![
                "Northwind Hotels guest study - confidential".to_string(),
                String::new(),
            ];
            p.extend(body.iter().cloned());
            p.push(format!("Page {no} of 2"));
            p
        };
        files.push((
            format!("pdf/session-{n}.pdf"),
            pdf(&[page(a, 1), page(b, 2)]),
        ));
    }
    files
}

/// The layouts of [`every_layout`]: folder, expected layout name, the
/// interviewer's label, the participant's label in session `n`.
const LAYOUTS: [(&str, &str, &str); 8] = [
    ("speaker-txt", "speaker-txt", "Dana"),
    ("label-lines", "speaker-txt", "Dana"),
    ("otter", "otter-txt", "Speaker 1"),
    ("bracket", "speaker-txt", "Dana"),
    ("vtt", "teams-vtt", "Interviewer"),
    ("srt", "srt", "Speaker 1"),
    ("docx", "word-docx", "Q"),
    ("pdf", "pdf-transcript", "Dana"),
];

/// `cairn ingest --dry-run --json` of `path`: one object per file.
fn dry_run(dir: &Path, path: &str, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["ingest", "--dry-run", "--json", "--records", "1", path];
    args.extend_from_slice(extra);
    let o = cairn(dir, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// (speaker, role, why rule, person) of one dry-run file.
fn speakers(file: &Value) -> Vec<(String, String, String, Option<String>)> {
    file["speakers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["speaker"].as_str().unwrap().to_string(),
                s["role"].as_str().unwrap().to_string(),
                s["why"]["rule"].as_str().unwrap().to_string(),
                s["person"].as_str().map(str::to_string),
            )
        })
        .collect()
}

fn run(dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "run", "--corpus", "corpus", "--index", "index", "--out", "reports",
    ];
    args.extend_from_slice(extra);
    let o = cairn(dir, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    o
}

/// Every report's Markdown, by name.
fn reports(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir.join("reports")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "md") {
            out.push((p.display().to_string(), read(&p)));
        }
    }
    out.sort();
    out
}

fn assert_no_question_quoted(dir: &Path) {
    for (name, md) in reports(dir) {
        for q in QUESTIONS {
            // Any sentence of a question, as a quote would show it.
            for part in q.split(", ") {
                assert!(
                    !md.contains(&format!("“{part}")),
                    "{name} quotes the interviewer: {part}"
                );
            }
        }
    }
}

fn search(dir: &Path, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["search", "--json", "--limit", "0", "--index", "index"];
    all.extend_from_slice(args);
    let o = cairn(dir, &all);
    stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn generic_labels_in_every_layout_give_one_participant_per_interview() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write_corpus(&dir.join("corpus"), &every_layout());

    for (folder, layout, interviewer) in LAYOUTS {
        let files = dry_run(dir, &format!("corpus/{folder}"), &[]);
        assert_eq!(files.len(), 3, "{folder}");
        for (n, f) in files.iter().enumerate() {
            let path = f["file"]["path"].as_str().unwrap();
            assert_eq!(f["file"]["layout"], layout, "{path}");
            let who = speakers(f);
            let int: Vec<_> = who.iter().filter(|s| s.1 == "interviewer").collect();
            // The SRT's second session has the participant as `Speaker 1`.
            let want = match (folder, n) {
                ("srt", 1) => "Speaker 2",
                _ => interviewer,
            };
            assert_eq!(int.len(), 1, "{path}: {who:?}");
            assert_eq!(int[0].0, want, "{path}: {who:?}");
            let part: Vec<_> = who.iter().filter(|s| s.1 == "customer").collect();
            assert_eq!(part.len(), 1, "{path}: {who:?}");
            // A generic label is somebody else in every file.
            assert_eq!(
                part[0].3.as_deref(),
                Some(format!("{path}#{}", part[0].0).as_str()),
                "{path}"
            );
        }
    }

    run(dir, &[]);
    let overview = read(&dir.join("reports/README.md"));
    assert!(
        overview.contains("- **24** interviews with **24** participants;"),
        "{overview}"
    );
    assert!(overview.contains("| interview | 24 | 24 | "), "{overview}");
    assert_no_question_quoted(dir);

    // The interviewer's turns are indexed, and found by role.
    let asked = search(dir, &["--role", "interviewer", "\"filter the rooms\""]);
    assert_eq!(asked.len(), 24, "{asked:?}");
    assert!(search(dir, &["--role", "customer", "\"filter the rooms\""]).is_empty());
    // A participant's words keep their file and line, page furniture
    // aside.
    let lobby = search(dir, &["\"forty minutes in the lobby\""]);
    assert_eq!(lobby.len(), 8, "{lobby:?}");
    assert!(lobby.iter().all(|h| h["snippet"]["role"] == "customer"));
    assert!(search(dir, &["confidential"]).is_empty());
    assert!(search(dir, &["\"page 1 of 2\""]).is_empty());
}

#[test]
fn study_wide_interviewer_labelled_by_first_name_in_every_file() {
    // Dana runs every session, labelled only by her first name; in the
    // third one she prompts rather than asks, and the participant asks
    // her things back, so that file alone would not tell.
    let named = |who: &str, turns: &[(bool, &str)]| -> Vec<u8> {
        turns
            .iter()
            .map(|(int, t)| format!("{}: {t}\n", if *int { "Dana" } else { who }))
            .collect::<String>()
            .into_bytes()
    };
    let third: Vec<(bool, &str)> = vec![
        (true, "Thanks for joining. Tell me about your last stay."),
        (false, "Sure. Do you want the good part or the bad part first?"),
        (true, "Whichever you like."),
        (false, "The bad part, then. Why would a hotel charge a deposit twice on the same card?"),
        (true, "Go on, walk me through it."),
        (false, "They took it at check-in and again at checkout, and the second hold stayed for nine days."),
        (true, "That sounds frustrating."),
        (false, "It was. Is that normal for your hotels?"),
    ];
    let files: Vec<File> = vec![
        ("s1.txt".into(), named("Kai Whitfield", &session(0))),
        ("s2.txt".into(), named("Rosa Lim", &session(1))),
        ("s3.txt".into(), named("Tom Berg", &third)),
    ];
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write_corpus(&dir.join("corpus"), &files);
    let out = dry_run(dir, "corpus", &[]);
    let third = speakers(&out[2]);
    assert_eq!(
        third,
        vec![
            ("Dana".into(), "interviewer".into(), "study".into(), None),
            (
                "Tom Berg".into(),
                "customer".into(),
                "other_is_interviewer".into(),
                Some("Tom Berg".into())
            ),
        ]
    );
    // The plain dry run says why, for people.
    let o = cairn(dir, &["ingest", "--dry-run", "corpus"]);
    let text = stdout(&o);
    assert!(
        text.contains("speakers: interviewer Dana; 1 participant"),
        "{text}"
    );
    assert!(
        text.contains("Dana: interviewer (study-wide: speaks in 3 of 3 interviews"),
        "{text}"
    );

    run(dir, &[]);
    let overview = read(&dir.join("reports/README.md"));
    assert!(
        overview.contains("- **3** interviews with **3** participants;"),
        "{overview}"
    );
    for (name, md) in reports(dir) {
        assert!(!md.contains("walk me through it"), "{name}");
        assert!(!md.contains("Tell me about your last stay"), "{name}");
    }
    // Tom's own questions are his voice.
    assert_eq!(
        search(dir, &["--role", "customer", "\"charge a deposit twice\""]).len(),
        1
    );
}

#[test]
fn a_focus_group_is_several_people_and_its_moderator_none() {
    let group = |names: &[&str]| -> Vec<u8> {
        let mut out = String::from("Focus group, Northwind Hotels loyalty members\n\n");
        for (i, q) in QUESTIONS.iter().enumerate() {
            out.push_str(&format!("Moderator: {q}\n"));
            for (p, who) in names.iter().enumerate() {
                out.push_str(&format!("{who}: {}\n", ANSWERS[p % 3][i]));
            }
        }
        out.into_bytes()
    };
    let files: Vec<File> = vec![
        ("group-a.txt".into(), group(&["P1", "P2", "P3"])),
        ("group-b.txt".into(), group(&["P1", "P2"])),
        // Named participants are the same people wherever they speak.
        ("group-c.txt".into(), group(&["Ana Ruiz", "Ben Ode"])),
        ("group-d.txt".into(), group(&["Ana Ruiz", "Chloe Park"])),
    ];
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write_corpus(&dir.join("corpus"), &files);
    let out = dry_run(dir, "corpus", &[]);
    let a = speakers(&out[0]);
    assert_eq!(a[0].0, "Moderator");
    assert_eq!((a[0].1.as_str(), a[0].2.as_str()), ("interviewer", "label"));
    assert_eq!(a[1].3.as_deref(), Some("corpus/group-a.txt#P1"), "{a:?}");
    run(dir, &[]);
    let overview = read(&dir.join("reports/README.md"));
    // 3 + 2 generic participants, and Ana, Ben and Chloe.
    assert!(
        overview.contains("- **4** interviews with **8** participants;"),
        "{overview}"
    );
    assert_no_question_quoted(dir);
    let p1 = search(
        dir,
        &["--role", "customer", "\"forty minutes in the lobby\""],
    );
    let people: std::collections::BTreeSet<&str> = p1
        .iter()
        .map(|h| h["snippet"]["customer"].as_str().unwrap())
        .collect();
    assert_eq!(
        people.into_iter().collect::<Vec<_>>(),
        ["Ana Ruiz", "corpus/group-a.txt#P1", "corpus/group-b.txt#P1"]
    );
}

#[test]
fn a_pdf_transcript_is_read_without_its_page_furniture_and_a_scan_is_named() {
    let lines = label_lines(2, "Dana", "Participant");
    let (a, b) = lines.split_at(lines.len() / 2);
    let page = |body: &[String], no: usize| {
        let mut p = vec![
            "Northwind Hotels guest study".to_string(),
            "Session 3 - 14 May 2026".to_string(),
            String::new(),
        ];
        p.extend(body.iter().cloned());
        p.push(String::new());
        p.push(format!("- {no} -"));
        p
    };
    let files: Vec<File> = vec![
        ("session-3.pdf".into(), pdf(&[page(a, 1), page(b, 2)])),
        ("scanned.pdf".into(), pdf(&[vec![], vec![]])),
    ];
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write_corpus(&dir.join("corpus"), &files);
    let o = cairn(dir, &["ingest", "--dry-run", "--json", "corpus"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("corpus/scanned.pdf:0: skipped: PDF without a text layer (2 pages, no text)"),
        "{err}"
    );
    let out: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let session = out
        .iter()
        .find(|f| f["file"]["path"] == "corpus/session-3.pdf")
        .unwrap();
    assert_eq!(session["file"]["layout"], "pdf-transcript");
    assert_eq!(session["file"]["documents"], 1);
    let doc = &session["records"][0]["document"];
    let turns = doc["turns"].as_array().unwrap();
    assert_eq!(turns.len(), 12, "{turns:?}");
    let texts: Vec<&str> = turns.iter().map(|t| t["text"].as_str().unwrap()).collect();
    assert_eq!(texts[0], QUESTIONS[0]);
    assert_eq!(texts[11], ANSWERS[2][5]);
    assert!(
        texts
            .iter()
            .all(|t| !t.contains("Northwind Hotels guest study") && !t.contains("- 1 -")),
        "{texts:?}"
    );
    assert_eq!(doc["customer"], "corpus/session-3.pdf#Participant");
    assert_eq!(
        speakers(session)[0],
        (
            "Dana".into(),
            "interviewer".into(),
            "others_are_participants".into(),
            None
        )
    );
}

#[test]
fn interviewer_and_participant_flags_override_detection() {
    // Dana prompts without asking, and the participants ask questions:
    // nobody reads as the interviewer, or the wrong one does.
    let session = |who: &str, n: usize| -> Vec<u8> {
        [
            "Dana: Welcome, and thanks for agreeing to talk about your stay.\n".to_string(),
            format!("{who}: Happy to. Should I start with the booking?\n"),
            "Dana: Please do, from the very start.\n".to_string(),
            format!(
                "{who}: {} Does everyone have that problem?\n",
                ANSWERS[n][2]
            ),
            "Dana: Tell me more about the front desk.\n".to_string(),
            format!("{who}: {} Was that the right call?\n", ANSWERS[n][3]),
        ]
        .concat()
        .into_bytes()
    };
    let files: Vec<File> = vec![
        ("s1.txt".into(), session("Kai Whitfield", 0)),
        ("s2.txt".into(), session("Rosa Lim", 1)),
        ("s3.txt".into(), session("Tom Berg", 2)),
    ];
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write_corpus(&dir.join("corpus"), &files);
    let before = dry_run(dir, "corpus", &[]);
    assert!(
        before.iter().all(|f| speakers(f)
            .iter()
            .all(|s| s.0 != "Dana" || s.1 != "interviewer")),
        "{before:?}"
    );
    let after = dry_run(dir, "corpus", &["--interviewer", "dana"]);
    for f in &after {
        let who = speakers(f);
        assert_eq!(
            (who[0].0.as_str(), who[0].1.as_str(), who[0].2.as_str()),
            ("Dana", "interviewer", "flag"),
            "{who:?}"
        );
        assert_eq!(who[1].1, "customer");
    }
    // Named on `run`, the override reaches the reports.
    run(dir, &["--interviewer", "Dana"]);
    let overview = read(&dir.join("reports/README.md"));
    assert!(
        overview.contains("- **3** interviews with **3** participants;"),
        "{overview}"
    );
    for (name, md) in reports(dir) {
        assert!(!md.contains("Tell me more about the front desk"), "{name}");
    }
    assert_eq!(
        search(dir, &["--role", "interviewer", "\"front desk\""]).len(),
        3
    );

    // `--participant` keeps a question-asking participant a participant.
    let asks = "Lee: Why do you charge a deposit twice? And why nine days?\n\
                Lee: Who decided that? Is it legal?\n\
                Lee: Can I get it back today?\n\
                Sam: I see. That deposit is taken at check-in.\n";
    fs::write(dir.join("corpus/s4.txt"), asks).unwrap();
    let lee = |extra: &[&str]| {
        let out = dry_run(dir, "corpus/s4.txt", extra);
        speakers(&out[0])
    };
    assert_eq!(lee(&[])[0].1, "interviewer");
    let flagged = lee(&["--participant", "Lee"]);
    assert_eq!(
        (flagged[0].1.as_str(), flagged[0].2.as_str()),
        ("customer", "flag")
    );
    let o = cairn(
        dir,
        &[
            "ingest",
            "--dry-run",
            "corpus",
            "--interviewer",
            "Lee",
            "--participant",
            "lee",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("both as --interviewer and as --participant"));
}
