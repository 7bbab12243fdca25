//! Command-line interface: clap arguments in, stage objects and a [`Status`]
//! out. The stages never see clap; this module resolves flags into the
//! options each stage takes.

mod eval;
mod export;
mod ingest;
mod run;
mod search;
mod verify;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use std::path::Path;

use crate::classify::{Codebook, LexiconEngine, SentimentLexicon};

/// How a command ended, as the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Everything worked.
    Ok,
    /// `search` found nothing.
    NoMatch,
    /// A fatal error: nothing (more) was done.
    Error,
    /// `run` finished, but some records were skipped (listed on stderr).
    Partial,
}

impl Status {
    pub fn code(self) -> u8 {
        match self {
            Status::Ok => 0,
            Status::NoMatch => 1,
            Status::Error => 2,
            Status::Partial => 3,
        }
    }
}

/// Default corpus folder.
pub const DEFAULT_CORPUS: &str = "corpus";
/// Default index folder (git-ignored).
pub const DEFAULT_INDEX: &str = ".cairn/index";
/// Default reports folder.
pub const DEFAULT_REPORTS: &str = "reports";

/// cairn: turn customer voices into cited evidence.
#[derive(Debug, Parser)]
#[command(name = "cairn", version, about, long_about = None)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
    /// Print nothing on stderr but errors.
    #[arg(long, short, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Ingest the corpus, tag every snippet, index it and write the reports.
    Run(Box<run::RunArgs>),
    /// Read files into the index (no reports), or show how they would be
    /// read with --dry-run.
    Ingest(Box<ingest::IngestArgs>),
    /// Find quotes in the index by text and tags.
    Search(Box<search::SearchArgs>),
    /// Score cairn's tags against a gold file of human labels.
    Eval(Box<eval::EvalArgs>),
    /// Check every cited quote in the reports against its source file.
    Verify(Box<verify::VerifyArgs>),
    /// Write the tagged snippets (JSON Lines, CSV) or the codebook (REFI-QDA).
    Export(Box<export::ExportArgs>),
}

/// Run a parsed command line.
pub fn run(args: Args) -> Result<Status> {
    match args.command {
        Command::Run(a) => run::run(*a, args.quiet),
        Command::Search(a) => search::run(*a, args.quiet),
        Command::Ingest(a) => ingest::run(*a, args.quiet),
        Command::Eval(a) => eval::run(*a, args.quiet),
        Command::Verify(a) => verify::run(*a, args.quiet),
        Command::Export(a) => export::run(*a, args.quiet),
    }
}

/// The codebook from `--codebook`, or the embedded default.
fn load_codebook(path: Option<&Path>) -> Result<Codebook> {
    match path {
        Some(p) => Codebook::load(p)
            .with_context(|| format!("could not load the codebook {}", p.display())),
        None => Ok(Codebook::embedded()),
    }
}

fn lexicon_engine(codebook: &Codebook) -> LexiconEngine {
    LexiconEngine::new(codebook, SentimentLexicon::embedded())
}

/// How files are read: flags shared by `run` and `ingest`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct IngestFlags {
    /// Treat every file as this kind: interview, ticket, review, social, survey.
    #[arg(long)]
    pub kind: Option<String>,
    /// Map fields to columns, e.g. body=Description,customer="Requester email".
    /// Fields: body, title, customer, email, author, date, rating, score, id,
    /// status, channel. Repeatable; wins over --mapping.
    #[arg(long = "map", value_name = "FIELD=COLUMN,...")]
    pub map: Vec<String>,
    /// A TOML file with an optional `kind = "..."` and a `[mapping]` table.
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<std::path::PathBuf>,
}

impl IngestFlags {
    /// Defaults < mapping file < flags, resolved once.
    pub fn resolve(&self) -> Result<crate::ingest::IngestOptions> {
        let mut opts = match &self.mapping {
            Some(p) => crate::ingest::IngestOptions::from_toml_file(p)
                .with_context(|| format!("could not read the mapping file {}", p.display()))?,
            None => crate::ingest::IngestOptions::default(),
        };
        if let Some(k) = &self.kind {
            opts.kind = Some(crate::model::SourceKind::parse(k).with_context(|| {
                format!("unknown --kind {k:?}; expected one of: interview, ticket, review, social, survey")
            })?);
        }
        for spec in &self.map {
            opts.mapping.extend(crate::ingest::parse_mapping(spec)?);
        }
        Ok(opts)
    }
}

/// Open an index that must already exist (search, export), with a message
/// that says how to make one.
fn open_index(dir: &Path) -> Result<crate::index::SnippetIndex> {
    if !dir.exists() {
        anyhow::bail!(
            "no index at {} (run `cairn run` first, or pass --index PATH)",
            dir.display()
        );
    }
    crate::index::SnippetIndex::open_or_create(dir)
        .with_context(|| format!("could not open the index {}", dir.display()))
}
