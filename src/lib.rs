//! cairn turns raw customer voices into evidence a CX team can act on.
//!
//! The pipeline, one module per stage (see `docs/ARCHITECTURE.md`):
//!
//! ```text
//! corpus/ ─ingest→ Document ─segment→ Snippet ─classify→ TaggedSnippet ─index→ tantivy
//!                                                             └─synth→ Synthesis ─report→ reports/*.md
//! ```
//!
//! Tag a sentence with the embedded codebook and lexicon:
//!
//! ```
//! use cairn::classify::{Classifier, Codebook, LexiconEngine, SentimentLexicon};
//! use cairn::model::{Polarity, Role, Snippet, SourceKind, SourceRef};
//!
//! let engine = LexiconEngine::new(&Codebook::embedded(), SentimentLexicon::embedded());
//! let text = "I was charged twice this month and still no refund.";
//! let snippet = Snippet {
//!     id: "s1".into(), doc_id: "d1".into(), kind: SourceKind::Ticket,
//!     source: SourceRef { path: "tickets.csv".into(), line: 2, row: Some(1), timestamp: None },
//!     speaker: None, role: Role::Customer, customer: Some("C0001".into()),
//!     date: None, rating: None, score: None, channel: None, topic: None,
//!     text: text.into(), context: text.into(),
//! };
//! let tags = engine.classify(&snippet);
//! assert_eq!(tags.sentiment.label, Polarity::Negative);
//! assert!(tags.pain);
//! ```

pub mod classify;
pub mod cli;
pub mod embed;
pub mod error;
pub mod eval;
pub mod export;
pub mod index;
pub mod ingest;
pub mod model;
pub mod pipeline;
pub mod redact;
pub mod report;
pub mod segment;
pub mod stats;
pub mod synth;
pub mod verify;

pub use error::{Error, Result};
