//! Command-line interface: clap arguments in, stage objects and a [`Status`]
//! out. The stages never see clap; this module resolves flags into the
//! options each stage takes.

mod run;
mod search;

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
    /// Find quotes in the index by text and tags.
    Search(Box<search::SearchArgs>),
}

/// Run a parsed command line.
pub fn run(args: Args) -> Result<Status> {
    match args.command {
        Command::Run(a) => run::run(*a, args.quiet),
        Command::Search(a) => search::run(*a, args.quiet),
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
