//! `cairn ingest`: read files into the index without writing reports, or,
//! with `--dry-run`, show what was detected for each file (kind, layout,
//! encoding, column mapping), each interview's speakers (who was taken for
//! the interviewer and why, the person each participant counts as) and its
//! first records as they would be stored (redacted, split into snippets),
//! storing nothing.

use super::run::{empty_responses, finish, print_summary, progress_bar};
use super::{load_codebook, EngineFlags, IngestFlags, Status, DEFAULT_INDEX};
use crate::ingest::{ingest_path_each, FileSummary, SpeakerRole};
use crate::model::{Document, Role, Snippet};
use crate::pipeline;
use crate::segment::{redact_document, segment};
use anyhow::{Context, Result};
use clap::Args;
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Files or folders to read.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Show what would be read and stored, store nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// With --dry-run: how many records to show per file.
    #[arg(long, default_value_t = 2)]
    pub records: usize,
    /// With --dry-run: one JSON object per file on stdout.
    #[arg(long)]
    pub json: bool,
    /// Where the search index lives. The records skipped are written to
    /// INDEX/rejects.jsonl (one JSON object per record: path, line, row,
    /// reason, raw text), replaced on every ingest.
    #[arg(long, default_value = DEFAULT_INDEX)]
    pub index: PathBuf,
    /// A codebook TOML file to tag with instead of the embedded default.
    #[arg(long)]
    pub codebook: Option<PathBuf>,
    #[command(flatten)]
    pub flags: IngestFlags,
    #[command(flatten)]
    pub engine: EngineFlags,
}

#[derive(Serialize)]
struct DryRunFile<'a> {
    file: &'a FileSummary,
    /// An interview's speakers: role, why, and the person each counts as.
    speakers: Vec<&'a SpeakerRole>,
    records: Vec<DryRunRecord>,
}

#[derive(Serialize)]
struct DryRunRecord {
    /// Redacted like the snippets: a dry run shows what would be stored.
    document: Document,
    snippets: Vec<Snippet>,
}

pub fn run(a: IngestArgs, quiet: bool) -> Result<Status> {
    let opts = a.flags.resolve()?;
    for p in &a.paths {
        if !p.exists() {
            anyhow::bail!("{} does not exist", p.display());
        }
        crate::ingest::check_path(p)?;
    }
    if !a.dry_run {
        let codebook = load_codebook(a.codebook.as_deref())?;
        let engine = a.engine.build(&codebook, Some(&a.index), quiet)?;
        let bar = progress_bar(quiet);
        let s = pipeline::ingest_with_progress(&a.paths, &opts, engine.as_ref(), &a.index, &|p| {
            bar.update(p)
        });
        bar.finish();
        let s = s.context("ingest failed")?;
        print_summary(&s, &a.index, quiet);
        return Ok(finish(&s, quiet));
    }

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut skipped = 0;
    for path in &a.paths {
        // Keep only the records shown: a dry run of a 1 GB export streams.
        let mut shown: Vec<Document> = Vec::new();
        let mut report = ingest_path_each(path, &opts, &|_| {}, &mut |_, docs| {
            for d in docs {
                let seen = shown
                    .iter()
                    .rev()
                    .take_while(|s| s.source.path == d.source.path)
                    .count();
                if seen < a.records {
                    shown.push(d);
                }
            }
            Ok(())
        })?;
        report.documents = shown;
        skipped += report.skipped.len();
        for r in &report.skipped {
            eprintln!("{}: skipped: {}", r.source, r.reason);
        }
        if !quiet {
            for r in &report.warnings {
                eprintln!("{}: warning: {}", r.source, r.reason);
            }
        }
        for file in &report.files {
            let docs: Vec<&Document> = report
                .documents
                .iter()
                .filter(|d| in_file(&d.source.path, &file.path))
                .take(a.records)
                .collect();
            let records: Vec<DryRunRecord> = docs
                .iter()
                .map(|d| DryRunRecord {
                    document: redact_document(d),
                    snippets: segment(d),
                })
                .collect();
            let speakers: Vec<&SpeakerRole> = report
                .speakers
                .iter()
                .filter(|r| r.path == file.path)
                .collect();
            if a.json {
                let f = DryRunFile {
                    file,
                    speakers,
                    records,
                };
                serde_json::to_writer(&mut out, &f)?;
                writeln!(out)?;
            } else {
                print_file(&mut out, file, &speakers, &records)?;
            }
        }
        if !quiet {
            for p in &report.ignored {
                eprintln!("{p}: ignored (not a supported format)");
            }
            for p in &report.participants {
                eprintln!(
                    "{}: participants sheet: {} interviews joined to a customer id ({} rows)",
                    p.path, p.joined, p.rows
                );
            }
        }
    }
    out.flush()?;
    Ok(if skipped > 0 {
        Status::Partial
    } else {
        Status::Ok
    })
}

/// Whether a record's path is in the file `path`: the file itself, or one
/// of its sheets (`survey.xlsx#Responses`).
fn in_file(record: &str, path: &str) -> bool {
    record
        .strip_prefix(path)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('#'))
}

fn print_file(
    out: &mut impl Write,
    f: &FileSummary,
    speakers: &[&SpeakerRole],
    records: &[DryRunRecord],
) -> std::io::Result<()> {
    writeln!(out, "{}", f.path)?;
    writeln!(
        out,
        "  kind {} · layout {} · format {} · encoding {} · {} documents, {} skipped{}",
        f.kind,
        f.layout,
        f.format,
        f.encoding,
        f.documents,
        f.skipped,
        empty_responses(f.empty, ", ")
    )?;
    if !f.columns.is_empty() {
        let cols: Vec<String> = f
            .columns
            .iter()
            .map(|(k, v)| format!("{k}={v:?}"))
            .collect();
        writeln!(out, "  columns: {}", cols.join(", "))?;
    }
    if let Some(note) = &f.note {
        writeln!(out, "  note: {note}")?;
    }
    print_speakers(out, speakers)?;
    for r in records {
        let d = &r.document;
        let mut meta = vec![format!("{}", d.source)];
        if let Some(c) = &d.customer {
            meta.push(format!("customer {c}"));
        }
        if let Some(date) = d.date {
            meta.push(date.format("%Y-%m-%d %H:%M UTC").to_string());
        }
        if let Some(r) = d.rating {
            meta.push(format!("rating {r}"));
        }
        if let Some(s) = d.score {
            meta.push(format!("score {s}"));
        }
        if let Some(c) = &d.channel {
            meta.push(c.clone());
        }
        writeln!(out, "  record {}", meta.join(" · "))?;
        for s in &r.snippets {
            match s.speaker.as_deref() {
                Some(who) => writeln!(out, "    [{who}, {}] {}", s.role.as_str(), s.text)?,
                None => writeln!(out, "    [{}] {}", s.role.as_str(), s.text)?,
            }
        }
    }
    writeln!(out)
}

/// An interview's speakers: who was taken for the interviewer and why,
/// and the person each participant counts as.
fn print_speakers(out: &mut impl Write, speakers: &[&SpeakerRole]) -> std::io::Result<()> {
    if speakers.is_empty() {
        return Ok(());
    }
    let interviewers: Vec<String> = speakers
        .iter()
        .filter(|s| s.role == Role::Interviewer)
        .map(|s| crate::segment::redact(&s.speaker).into_owned())
        .collect();
    let participants = speakers.len() - interviewers.len();
    let who = match interviewers.as_slice() {
        [] => "no interviewer".to_string(),
        [one] => format!("interviewer {one}"),
        many => format!("interviewers {}", many.join(", ")),
    };
    writeln!(
        out,
        "  speakers: {who}; {participants} participant{}",
        if participants == 1 { "" } else { "s" }
    )?;
    for s in speakers {
        let person = match (&s.role, &s.person) {
            (Role::Customer, Some(p)) => format!(" · person {p}"),
            _ => String::new(),
        };
        let role = match s.role {
            Role::Interviewer => "interviewer",
            _ => "participant",
        };
        writeln!(
            out,
            "    {}: {role} ({}) · {} turns, {} questions{person}",
            crate::segment::redact(&s.speaker),
            s.why,
            s.turns,
            s.questions
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::in_file;

    #[test]
    fn a_workbooks_sheets_are_records_of_its_file() {
        assert!(in_file("corpus/nps.xlsx", "corpus/nps.xlsx"));
        assert!(in_file("corpus/nps.xlsx#Responses", "corpus/nps.xlsx"));
        assert!(!in_file("corpus/nps.xlsx.bak", "corpus/nps.xlsx"));
        assert!(!in_file("corpus/nps.xlsx", "corpus/nps.xls"));
    }
}
