//! `cairn verify`: check every cited quote in the reports against its source
//! file. Verdicts go to stdout (`REPORT:LINE: …`, failures only unless
//! `--verbose`); the count goes to stderr. Exit 0 when every quote holds,
//! 2 on any failure.

use super::{IngestFlags, Status, DEFAULT_REPORTS};
use crate::index::SnippetIndex;
use crate::verify::{parse_report, Verifier};
use anyhow::{bail, Context, Result};
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// A reports folder (every `*.md` in it) or one report file.
    #[arg(default_value = DEFAULT_REPORTS)]
    pub reports: PathBuf,
    /// Also check that every cited snippet id is in this index.
    #[arg(long)]
    pub index: Option<PathBuf>,
    /// The folder cited paths are relative to: where `cairn run` ran.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Print every quote's verdict, not only the failures.
    #[arg(long, short)]
    pub verbose: bool,
    #[command(flatten)]
    pub ingest: IngestFlags,
}

/// The report files to check, in name order.
fn report_files(p: &Path) -> Result<Vec<PathBuf>> {
    if p.is_file() {
        return Ok(vec![p.to_path_buf()]);
    }
    if !p.is_dir() {
        bail!(
            "no reports at {} (pass a folder or a .md file)",
            p.display()
        );
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(p)
        .with_context(|| format!("could not read {}", p.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|f| f.is_file() && f.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("no Markdown reports in {}", p.display());
    }
    Ok(files)
}

pub fn run(a: VerifyArgs, quiet: bool) -> Result<Status> {
    let files = report_files(&a.reports)?;
    let mut verifier = Verifier::new(&a.root, a.ingest.resolve()?);
    if let Some(dir) = &a.index {
        if !dir.exists() {
            bail!("no index at {}", dir.display());
        }
        let index = SnippetIndex::open_or_create(dir)
            .with_context(|| format!("could not open the index {}", dir.display()))?;
        let ids = index.all()?.into_iter().map(|t| t.snippet.id).collect();
        verifier = verifier.with_snippet_ids(ids);
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let (mut checked, mut failed) = (0usize, 0usize);
    for file in &files {
        let md = std::fs::read_to_string(file)
            .with_context(|| format!("could not read {}", file.display()))?;
        let shown = file.display();
        let quotes = parse_report(&md);
        for (line, text) in &quotes.uncited {
            failed += 1;
            checked += 1;
            writeln!(out, "{shown}:{line}: quote without a citation: {text}")?;
        }
        for c in &quotes.cited {
            checked += 1;
            match verifier.check(c) {
                None => {
                    if a.verbose {
                        writeln!(out, "{shown}:{}: ok", c.line)?;
                    }
                }
                Some(problem) => {
                    failed += 1;
                    writeln!(out, "{shown}:{}: {problem}", c.line)?;
                }
            }
        }
    }
    out.flush()?;
    if !quiet || failed > 0 {
        eprintln!("{checked} quotes checked, {failed} failed");
    }
    Ok(if failed == 0 {
        Status::Ok
    } else {
        Status::Error
    })
}
