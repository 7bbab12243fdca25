//! `cairn search`: quotes from the index by text and tags. Hits go to stdout
//! (text or one JSON object per line); counts and notes go to stderr.

use super::{load_codebook, Status, DEFAULT_INDEX};
use crate::classify::Codebook;
use crate::index::{Hit, SearchQuery};
use crate::ingest::customer_key;
use crate::model::{Polarity, Role, SourceKind};
use anyhow::{bail, Context, Result};
use chrono::{DateTime, NaiveDate, Utc};
use clap::Args;
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words or "a phrase" to find (tantivy syntax: AND, OR, -word). Omit to
    /// list by filters alone.
    pub query: Option<String>,
    /// Journey stage: awareness, consideration, decision, retention, advocacy.
    #[arg(long)]
    pub stage: Option<String>,
    /// Intent cluster id, e.g. price-sensitive-researcher.
    #[arg(long)]
    pub cluster: Option<String>,
    /// One of the study's themes, by id or label (case-insensitive), as
    /// the theme file and the reports name them.
    #[arg(long)]
    pub theme: Option<String>,
    /// The study's theme file, which `--theme` is looked up in.
    #[arg(long, default_value = super::DEFAULT_THEMES)]
    pub themes_file: PathBuf,
    /// Intent signal: informational, navigational, transactional.
    #[arg(long)]
    pub signal: Option<String>,
    /// Empathy quadrant: says, thinks, does, feels.
    #[arg(long)]
    pub quadrant: Option<String>,
    /// Source kind: interview, ticket, review, social, survey.
    #[arg(long)]
    pub kind: Option<String>,
    /// Speaker role: customer, interviewer, agent.
    #[arg(long)]
    pub role: Option<String>,
    /// Customer or participant key, or a customer's email (matched by the
    /// hash it is stored as).
    #[arg(long)]
    pub customer: Option<String>,
    /// negative, neutral, positive, or a score range MIN..MAX (e.g. -1..-0.5, 0.3..).
    #[arg(long, allow_hyphen_values = true)]
    pub sentiment: Option<String>,
    /// Earliest date, YYYY-MM-DD (inclusive).
    #[arg(long)]
    pub from: Option<String>,
    /// Latest date, YYYY-MM-DD (inclusive).
    #[arg(long)]
    pub to: Option<String>,
    /// Only snippets flagged as a pain.
    #[arg(long)]
    pub pain: bool,
    /// At most this many hits (0 = all).
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// One JSON object per hit on stdout.
    #[arg(long)]
    pub json: bool,
    /// Where the search index lives.
    #[arg(long, default_value = DEFAULT_INDEX)]
    pub index: PathBuf,
    /// Codebook whose ids the filters are checked against.
    #[arg(long)]
    pub codebook: Option<PathBuf>,
}

fn check_id(what: &str, value: &Option<String>, allowed: &[String]) -> Result<Option<String>> {
    let Some(v) = value else { return Ok(None) };
    let v = v.trim().to_lowercase().replace(' ', "-");
    if allowed.contains(&v) {
        Ok(Some(v))
    } else {
        bail!(
            "unknown {what} {v:?}; expected one of: {}",
            allowed.join(", ")
        )
    }
}

/// A theme named by id or label, as the study's theme file has it.
fn resolve_theme(value: &Option<String>, file: &std::path::Path) -> Result<Option<String>> {
    let Some(v) = value else { return Ok(None) };
    let Some(themes) = crate::synth::themes::file::ThemeFile::read(file)? else {
        bail!(
            "--theme: there is no theme file at {} yet; `cairn run` writes it (or pass --themes-file)",
            file.display()
        );
    };
    let want = v.trim().to_lowercase();
    let same = |s: &str| {
        s.trim().to_lowercase() == want || s.trim().to_lowercase().replace(' ', "-") == want
    };
    match themes.themes.iter().find(|t| same(&t.id) || same(&t.label)) {
        Some(t) => Ok(Some(t.id.clone())),
        None => bail!(
            "unknown --theme {v:?}; the themes of this study ({}): {}",
            file.display(),
            themes
                .themes
                .iter()
                .map(|t| format!("{} ({})", t.id, t.label))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn ids(entries: &[crate::classify::codebook::Entry]) -> Vec<String> {
    entries.iter().map(|e| e.id.clone()).collect()
}

/// `-1..-0.5`, `0.3..`, `..0`: inclusive bounds, each optional.
fn parse_range(s: &str) -> Result<(Option<f64>, Option<f64>)> {
    let Some((a, b)) = s.split_once("..") else {
        bail!("--sentiment {s:?}: expected negative, neutral, positive or MIN..MAX");
    };
    let num = |x: &str| -> Result<Option<f64>> {
        let x = x.trim().replace('−', "-");
        if x.is_empty() {
            return Ok(None);
        }
        let v: f64 = x
            .parse()
            .with_context(|| format!("--sentiment {s:?}: {x:?} is not a number"))?;
        if !(-1.0..=1.0).contains(&v) {
            bail!("--sentiment {s:?}: scores run from -1 to 1");
        }
        Ok(Some(v))
    };
    Ok((num(a)?, num(b)?))
}

fn parse_day(flag: &str, s: &str, end: bool) -> Result<DateTime<Utc>> {
    let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .with_context(|| format!("{flag} {s:?}: expected a date like 2026-03-31"))?;
    let t = if end {
        d.and_hms_opt(23, 59, 59)
    } else {
        d.and_hms_opt(0, 0, 0)
    };
    Ok(t.expect("valid time").and_utc())
}

/// Turn flags into a validated query.
fn build_query(a: &SearchArgs, cb: &Codebook) -> Result<SearchQuery> {
    let (mut sentiment, mut smin, mut smax) = (None, None, None);
    if let Some(s) = &a.sentiment {
        match Polarity::parse(s) {
            Some(p) => sentiment = Some(p),
            None => (smin, smax) = parse_range(s)?,
        }
    }
    let kind = match &a.kind {
        None => None,
        Some(k) => Some(SourceKind::parse(k).with_context(|| {
            format!(
                "unknown --kind {k:?}; expected one of: interview, ticket, review, social, survey"
            )
        })?),
    };
    let role = match a.role.as_deref().map(|r| r.trim().to_lowercase()) {
        None => None,
        Some(r) if r == "customer" => Some(Role::Customer),
        Some(r) if r == "interviewer" => Some(Role::Interviewer),
        Some(r) if r == "agent" => Some(Role::Agent),
        Some(r) => bail!("unknown --role {r:?}; expected one of: customer, interviewer, agent"),
    };
    let date_from = a
        .from
        .as_deref()
        .map(|s| parse_day("--from", s, false))
        .transpose()?;
    let date_to =
        a.to.as_deref()
            .map(|s| parse_day("--to", s, true))
            .transpose()?;
    if let (Some(f), Some(t)) = (date_from, date_to) {
        if f > t {
            bail!("--from is after --to");
        }
    }
    Ok(SearchQuery {
        text: a.query.clone().filter(|q| !q.trim().is_empty()),
        stage: check_id("--stage", &a.stage, &ids(&cb.stage))?,
        cluster: check_id("--cluster", &a.cluster, &ids(&cb.cluster))?,
        theme: resolve_theme(&a.theme, &a.themes_file)?,
        signal: check_id("--signal", &a.signal, &ids(&cb.signal))?,
        quadrant: check_id("--quadrant", &a.quadrant, &ids(&cb.quadrant))?,
        kind,
        role,
        // Keyed as ingest keys customers: an email becomes its hash.
        customer: a
            .customer
            .as_deref()
            .map(|c| customer_key(Some(c), None, None).unwrap_or_else(|| c.trim().to_string())),
        sentiment,
        sentiment_min: smin,
        sentiment_max: smax,
        date_from,
        date_to,
        pain_only: a.pain,
        limit: a.limit,
    })
}

#[derive(Serialize)]
struct JsonHit<'a> {
    relevance: f32,
    highlight: &'a str,
    #[serde(flatten)]
    hit: &'a crate::model::TaggedSnippet,
}

fn print_text(out: &mut impl Write, h: &Hit) -> std::io::Result<()> {
    let s = &h.snippet.snippet;
    let t = &h.snippet.tags;
    writeln!(out, "{}  s:{}", s.source, s.id)?;
    let mut meta = vec![s.kind.to_string()];
    if s.role != Role::Customer {
        meta.push(s.role.as_str().to_string());
    }
    if let Some(c) = s.customer.as_deref().or(s.speaker.as_deref()) {
        meta.push(c.to_string());
    }
    if let Some(d) = s.date {
        meta.push(d.format("%Y-%m-%d").to_string());
    }
    meta.push(t.stage.value.clone());
    meta.push(format!(
        "{} {:+.2}",
        t.sentiment.label.as_str(),
        t.sentiment.score
    ));
    if !t.themes.is_empty() {
        meta.push(format!(
            "themes: {}",
            t.themes
                .iter()
                .map(|x| x.value.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if let Some(c) = &t.intent_cluster {
        meta.push(format!("cluster: {}", c.value));
    }
    meta.push(t.quadrant.value.clone());
    if t.pain {
        meta.push("pain".into());
    }
    writeln!(out, "  {}", meta.join(" · "))?;
    writeln!(out, "  {}", h.highlight)?;
    writeln!(out)
}

pub fn run(a: SearchArgs, quiet: bool) -> Result<Status> {
    let cb = load_codebook(a.codebook.as_deref())?;
    let q = build_query(&a, &cb)?;
    let index = super::open_index(&a.index)?;
    let hits = index.search(&q)?;
    if hits.is_empty() {
        if !quiet {
            eprintln!("no matching snippets");
        }
        return Ok(Status::NoMatch);
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for h in &hits {
        let r = if a.json {
            let j = JsonHit {
                relevance: h.score,
                highlight: &h.highlight,
                hit: &h.snippet,
            };
            serde_json::to_writer(&mut out, &j)
                .map_err(std::io::Error::other)
                .and_then(|_| writeln!(out))
        } else {
            print_text(&mut out, h)
        };
        if let Err(e) = r {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return Ok(Status::Ok);
            }
            return Err(e.into());
        }
    }
    out.flush().ok();
    if !quiet {
        let capped = if a.limit > 0 && hits.len() == a.limit {
            format!(" (capped by --limit {})", a.limit)
        } else {
            String::new()
        };
        let noun = if hits.len() == 1 { "hit" } else { "hits" };
        eprintln!("{} {noun}{}", hits.len(), capped);
    }
    Ok(Status::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sentiment_ranges() {
        assert_eq!(parse_range("-1..-0.5").unwrap(), (Some(-1.0), Some(-0.5)));
        assert_eq!(parse_range("0.3..").unwrap(), (Some(0.3), None));
        assert_eq!(parse_range("..0").unwrap(), (None, Some(0.0)));
        assert!(parse_range("-2..0").is_err());
        assert!(parse_range("abc").is_err());
    }
}
