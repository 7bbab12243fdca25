//! Command-line interface: clap arguments in, stage objects and a [`Status`]
//! out. The stages never see clap; this module resolves flags into the
//! options each stage takes.

mod eval;
mod export;
mod ingest;
mod model;
mod run;
mod search;
mod verify;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use std::path::Path;

use crate::classify::{Classifier, Codebook, LexiconEngine, NeuralEngine, SentimentLexicon};
use crate::embed::{self, Embedder};
use std::path::PathBuf;

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
/// The study's theme file, beside the corpus folder.
pub const DEFAULT_THEMES: &str = "themes.toml";

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
    /// The neural engine's model and heads: check them, retrain the heads.
    #[command(subcommand)]
    Model(model::ModelCommand),
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
        Command::Model(c) => model::run(c, args.quiet),
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

/// Which engine tags: flags shared by `run`, `ingest` and `eval`.
#[derive(Debug, Clone, clap::Args)]
pub struct EngineFlags {
    /// Tagging engine: auto (neural when a model is installed, otherwise
    /// lexicon), neural, or lexicon.
    #[arg(
        long,
        env = "CAIRN_ENGINE",
        default_value = "auto",
        value_name = "ENGINE"
    )]
    pub engine: String,
    /// Folder of a sentence-transformers model (config.json, tokenizer.json,
    /// model.safetensors). Default: $CAIRN_MODEL, else
    /// .cairn/models/all-MiniLM-L6-v2 (installed by `models/fetch`).
    #[arg(long, value_name = "DIR")]
    pub model: Option<PathBuf>,
}

/// The engines `--engine` accepts.
pub const ENGINES: [&str; 3] = ["auto", "neural", "lexicon"];

impl EngineFlags {
    /// The engine named by `--engine`, validated.
    pub fn choice(&self) -> Result<&'static str> {
        let name = self.engine.trim().to_ascii_lowercase();
        ENGINES.into_iter().find(|e| *e == name).with_context(|| {
            format!(
                "unknown --engine {:?}; expected one of: {}",
                self.engine,
                ENGINES.join(", ")
            )
        })
    }

    /// The engine asked for, built. `auto` without a model falls back to
    /// the lexicon engine with a one-line notice; `neural` without one is
    /// an error. Embeddings are cached in `cache_dir`.
    pub fn build(
        &self,
        codebook: &Codebook,
        cache_dir: Option<&Path>,
        quiet: bool,
    ) -> Result<Box<dyn Classifier>> {
        let name = self.choice()?;
        if name == "lexicon" {
            return Ok(Box::new(lexicon_engine(codebook)));
        }
        let dir = embed::model_dir(self.model.as_deref());
        let missing = embed::missing_files(&dir);
        if !missing.is_empty() {
            if name == "neural" {
                anyhow::bail!(
                    "--engine neural: no model in {} (missing {}); run `models/fetch` to install all-MiniLM-L6-v2, or pass --model DIR",
                    dir.display(),
                    missing.join(", ")
                );
            }
            if !quiet {
                eprintln!(
                    "cairn: no model in {}: tagging with the lexicon engine (run `models/fetch` for the neural engine)",
                    dir.display()
                );
            }
            return Ok(Box::new(lexicon_engine(codebook)));
        }
        let embedder = Embedder::load(&dir)?;
        let engine = NeuralEngine::new(codebook, lexicon_engine(codebook), embedder, cache_dir)?;
        if !quiet {
            for n in engine.notices() {
                eprintln!("cairn: {n}");
            }
        }
        Ok(Box::new(engine))
    }
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
    /// This speaker is the interviewer in every transcript, whatever their
    /// label or questions (a first name also matches `Sam Lee`).
    /// Repeatable.
    #[arg(long, value_name = "NAME")]
    pub interviewer: Vec<String>,
    /// This speaker is a participant, never taken for the interviewer.
    /// Repeatable.
    #[arg(long, value_name = "NAME")]
    pub participant: Vec<String>,
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
        opts.interviewers.extend(self.interviewer.iter().cloned());
        opts.participants.extend(self.participant.iter().cloned());
        if let Some(both) = opts.interviewers.iter().find(|i| {
            opts.participants
                .iter()
                .any(|p| p.trim().eq_ignore_ascii_case(i.trim()))
        }) {
            anyhow::bail!("{both:?} is given both as --interviewer and as --participant");
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
