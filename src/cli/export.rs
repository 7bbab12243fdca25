//! `cairn export`: the tagged snippets as JSON Lines or CSV, or the
//! codebook as a REFI-QDA `.qdc` file, to stdout or `--out FILE`.

use super::{load_codebook, Status, DEFAULT_INDEX};
use crate::export::{write_csv, write_jsonl, write_qdc};
use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One tagged snippet per line, as stored (JSON Lines).
    Jsonl,
    /// One row per snippet, flat columns, tags with confidence and evidence.
    Csv,
    /// The codebook as a REFI-QDA codebook for NVivo, ATLAS.ti, MAXQDA.
    Qdc,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// What to write.
    #[arg(long, value_enum)]
    pub format: Format,
    /// Where the search index lives (jsonl, csv).
    #[arg(long, default_value = DEFAULT_INDEX)]
    pub index: PathBuf,
    /// Write here instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The codebook to export (qdc); the embedded default otherwise.
    #[arg(long)]
    pub codebook: Option<PathBuf>,
    /// The study's theme file: its themes are the ones exported (the CSV's
    /// theme labels, the qdc file's theme codes).
    #[arg(long, default_value = super::DEFAULT_THEMES)]
    pub themes_file: PathBuf,
}

fn write_to(
    out: Option<&PathBuf>,
    f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let r = match out {
        Some(p) => {
            let file = std::fs::File::create(p)
                .with_context(|| format!("could not create {}", p.display()))?;
            let mut w = std::io::BufWriter::new(file);
            f(&mut w)
                .and_then(|_| w.flush())
                .with_context(|| format!("could not write {}", p.display()))
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            match f(&mut w).and_then(|_| w.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                r => r.context("could not write to stdout"),
            }
        }
    };
    r
}

pub fn run(a: ExportArgs, quiet: bool) -> Result<Status> {
    let target = a
        .out
        .as_ref()
        .map_or("stdout".to_string(), |p| p.display().to_string());
    let themes = crate::synth::themes::file::ThemeFile::read(&a.themes_file)?;
    if a.format == Format::Qdc {
        let cb = load_codebook(a.codebook.as_deref())?;
        // The study's themes when it has been run; the codebook's seeds
        // otherwise.
        let cb = match &themes {
            Some(f) => crate::synth::themes::codebook_with(&cb, f),
            None => cb,
        };
        write_to(a.out.as_ref(), |w| write_qdc(w, &cb))?;
        if !quiet {
            let codes = cb.stage.len()
                + cb.signal.len()
                + cb.cluster.len()
                + cb.quadrant.len()
                + cb.theme.len();
            eprintln!("codebook: {codes} codes in 5 sections written to {target}");
        }
        return Ok(Status::Ok);
    }
    let index = super::open_index(&a.index)?;
    let all = index.all()?;
    if a.format == Format::Csv {
        let labels: crate::export::ThemeLabels = themes
            .iter()
            .flat_map(|f| &f.themes)
            .map(|t| (t.id.clone(), t.label.clone()))
            .collect();
        write_to(a.out.as_ref(), |w| write_csv(w, &all, &labels))?;
    } else {
        write_to(a.out.as_ref(), |w| write_jsonl(w, &all))?;
    }
    if !quiet {
        eprintln!("{} snippets written to {target}", all.len());
    }
    Ok(Status::Ok)
}
