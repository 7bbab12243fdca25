//! Theme discovery: the study's customer-voice snippets in, the study's own
//! themes out (named in the customers' words), with each snippet's themes
//! and the theme file the next run starts from.
//!
//! 1. Every snippet's content terms ([`text`]); a snippet with fewer than
//!    two content words says nothing a theme could be about ("ok.", "🤬🤬")
//!    and is unthemed by rule.
//! 2. A vector per snippet ([`space`]): the neural engine's sentence
//!    embedding, or a TF-IDF vector over stemmed words and two-word phrases
//!    with the lexicon engine, so a fresh clone discovers themes too.
//! 3. Themes the theme file already holds are placed at the mean of their
//!    anchor snippets. With none yet, spherical k-means runs on a
//!    deterministic sample (at most [`SAMPLE`] snippets, ordered by a hash of
//!    their text, so file and record order never matter), for every number of
//!    themes up to the cap, and keeps the number with the best simplified
//!    silhouette; each theme's [`ANCHORS`] snippets nearest its centre become
//!    its anchors and its centre their mean.
//! 4. Every snippet joins its nearest theme when the cosine is at least the
//!    space's floor, and a second theme too when that one is nearly as near
//!    and the snippet uses one of its terms (multi-label: "charged twice and
//!    support never answered"). Snippets left over are clustered the same
//!    way into new themes, until the rest is too few or too scattered.
//!    Nothing here is quadratic in the number of snippets.
//! 5. New themes are named by class-based TF-IDF ([`label`]) and matched to
//!    the codebook's themes (seeds): a theme most of whose snippets the
//!    engine tagged with one codebook theme takes that theme's id and name.
//!    Codebook themes marked `required` are always reported.

pub mod file;
mod label;
pub mod space;
pub mod text;

use crate::classify::Codebook;
use crate::model::{Tag, TaggedSnippet};
use file::{Origin, ThemeEntry, ThemeFile};
use rayon::prelude::*;
use space::{kmeans, nearest2, silhouette, Space};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use text::{Analyzer, Term};

/// Most top-level themes found without `--themes`.
pub const MAX_THEMES: usize = 30;
/// Snippets the number of themes is chosen on.
pub const SAMPLE: usize = 4000;
/// Anchor snippets per theme.
pub const ANCHORS: usize = 16;
/// Fewest content words for a snippet to be themed.
pub const MIN_CONTENT_WORDS: usize = 2;
/// A second theme joins when its cosine is at least this share of the
/// first's.
const MULTI: f32 = 0.85;
/// The weight of an opinion word ("great", "awful") against a topic word
/// in the term vectors.
const OPINION_WEIGHT: f32 = 0.3;
/// Share of a theme's snippets a codebook theme must carry to seed it.
const SEED_SHARE: f64 = 0.35;

/// How many themes to look for.
#[derive(Debug, Clone, Copy)]
pub struct ThemeOptions {
    /// At most this many top-level themes when the number is found.
    pub max_themes: usize,
    /// Exactly this many new themes (`--themes N`).
    pub forced: Option<usize>,
}

impl Default for ThemeOptions {
    fn default() -> Self {
        ThemeOptions {
            max_themes: MAX_THEMES,
            forced: None,
        }
    }
}

/// What discovery found.
#[derive(Debug, Clone)]
pub struct Discovery {
    /// The themes, to write to the theme file.
    pub file: ThemeFile,
    /// Each themed snippet's themes, strongest first (snippet id → tags).
    pub assignment: HashMap<String, Vec<Tag>>,
    /// Snippets with fewer than [`MIN_CONTENT_WORDS`] content words.
    pub content_free: BTreeSet<String>,
    /// Snippets with content that no theme is near.
    pub unthemed: BTreeSet<String>,
    /// Codebook themes no discovered theme matched: (id, label, snippets
    /// the engine tagged with it).
    pub not_heard: Vec<(String, String, usize)>,
}

impl Discovery {
    /// Give every snippet of `all` its themes (none for those not themed,
    /// and for interviewer and agent turns); returns the ids of the
    /// documents whose snippets' themes changed.
    pub fn apply(&self, all: &mut [TaggedSnippet]) -> BTreeSet<String> {
        let mut changed = BTreeSet::new();
        for t in all {
            let new = self
                .assignment
                .get(&t.snippet.id)
                .cloned()
                .unwrap_or_default();
            if t.themes != new {
                t.themes = new;
                changed.insert(t.snippet.doc_id.clone());
            }
        }
        changed
    }
}

/// `codebook` with its themes replaced by the study's, so every stage that
/// names a theme names the study's.
pub fn codebook_with(codebook: &Codebook, file: &ThemeFile) -> Codebook {
    let mut cb = codebook.clone();
    cb.theme = file
        .themes
        .iter()
        .map(|e| crate::classify::codebook::Entry {
            id: e.id.clone(),
            label: e.label.clone(),
            description: e.description.clone(),
            goal: None,
            cues: Vec::new(),
            examples: Vec::new(),
            required: e.origin == Origin::Required,
        })
        .collect();
    cb
}

/// What [`find_and_apply`] gives.
pub struct Found {
    pub discovery: Discovery,
    /// The codebook with the study's themes.
    pub codebook: Codebook,
    /// Documents whose snippets' themes changed.
    pub changed: BTreeSet<String>,
}

/// Discover the themes of the customer voice in `all` and give each
/// snippet its themes.
pub fn find_and_apply(
    all: &mut [TaggedSnippet],
    embed: &EmbedFn<'_>,
    codebook: &Codebook,
    previous: Option<&ThemeFile>,
    opts: &ThemeOptions,
) -> Found {
    let voice: Vec<&TaggedSnippet> = all.iter().filter(|t| t.snippet.role.is_voice()).collect();
    let discovery = discover(&voice, embed, codebook, previous, opts);
    let changed = discovery.apply(all);
    let codebook = codebook_with(codebook, &discovery.file);
    Found {
        discovery,
        codebook,
        changed,
    }
}

/// No embeddings: discovery uses term vectors.
pub fn no_embeddings(_: &[&str]) -> Option<Vec<Vec<f32>>> {
    None
}

/// Sentence embeddings of texts, when the engine has them.
pub type EmbedFn<'a> = dyn Fn(&[&str]) -> Option<Vec<Vec<f32>>> + Sync + 'a;

/// Discover the themes of `voice` (customer-voice snippets, any order).
pub fn discover(
    voice: &[&TaggedSnippet],
    embed: &EmbedFn<'_>,
    codebook: &Codebook,
    previous: Option<&ThemeFile>,
    opts: &ThemeOptions,
) -> Discovery {
    // A fixed order that no file or record order changes.
    let mut items: Vec<&TaggedSnippet> = voice.to_vec();
    items.sort_by_cached_key(|t| {
        (
            blake3::hash(t.snippet.text.as_bytes()).to_hex().to_string(),
            t.snippet.id.clone(),
        )
    });
    items.dedup_by(|a, b| a.snippet.id == b.snippet.id);
    let terms: Vec<Vec<Term>> = items
        .par_iter()
        .map_init(Analyzer::new, |a, t| a.terms(&t.snippet.text))
        .collect();
    let mut content_free = BTreeSet::new();
    let mut content: Vec<usize> = Vec::new();
    for (i, ts) in terms.iter().enumerate() {
        if ts.iter().filter(|t| t.n == 1).count() < MIN_CONTENT_WORDS {
            content_free.insert(items[i].snippet.id.clone());
        } else {
            content.push(i);
        }
    }
    let texts: Vec<&str> = content
        .iter()
        .map(|&i| items[i].snippet.text.as_str())
        .collect();
    let embedded = if texts.is_empty() {
        None
    } else {
        embed(&texts)
    };
    let (space, vocab) = match embedded {
        Some(v) if v.len() == texts.len() => (Space::Dense(v), None),
        _ => {
            let (s, v) = tfidf(&content, &terms);
            (s, Some(v))
        }
    };
    let space_name = if vocab.is_some() {
        "terms"
    } else {
        "embeddings"
    };
    let floor = if vocab.is_some() { 0.12 } else { 0.35 };
    let cid_of: HashMap<&str, usize> = content
        .iter()
        .enumerate()
        .map(|(c, &i)| (items[i].snippet.id.as_str(), c))
        .collect();
    let ctx = Ctx {
        items: &items,
        terms: &terms,
        content: &content,
        space: &space,
        floor,
    };

    // Themes the file already holds, placed at their anchors.
    let mut themes: Vec<Placed> = Vec::new();
    let mut required: Vec<ThemeEntry> = Vec::new();
    if let Some(prev) = previous.filter(|p| p.space == space_name) {
        for e in &prev.themes {
            if e.origin == Origin::Required {
                required.push(e.clone());
                continue;
            }
            let anchors: Vec<usize> = e
                .anchors
                .iter()
                .filter_map(|a| cid_of.get(a.as_str()).copied())
                .collect();
            let centroid = if anchors.is_empty() {
                fallback_centroid(&ctx, e, embed, vocab.as_ref())
            } else {
                Some(space.centroid(anchors.iter().copied()))
            };
            if let Some(centroid) = centroid {
                themes.push(Placed {
                    entry: e.clone(),
                    centroid,
                    anchors,
                    new: false,
                });
            }
        }
    }
    let cap = opts.forced.unwrap_or(opts.max_themes).max(1);

    // New themes from what the existing ones leave, until nothing more
    // holds together.
    for round in 0..4 {
        let (assign, _) = assign_all(&ctx, &themes);
        let left: Vec<usize> = (0..content.len())
            .filter(|&c| assign[c].is_empty() && !space.is_zero(c))
            .collect();
        let room = cap.saturating_sub(themes.iter().filter(|t| t.entry.parent.is_none()).count());
        let enough = if themes.is_empty() {
            left.len() >= 2 * min_size(content.len())
        } else {
            left.len() >= (content.len() / 20).max(4 * min_size(content.len()))
        };
        if room == 0 || !enough {
            break;
        }
        let found = new_themes(&ctx, &left, room, opts.forced.filter(|_| round == 0));
        if found.is_empty() {
            break;
        }
        themes.extend(found);
        // New themes too small once everything is assigned dissolve.
        loop {
            let (_, sizes) = assign_all(&ctx, &themes);
            let small: Vec<usize> = (0..themes.len())
                .filter(|&t| themes[t].new && sizes[t] < min_size(content.len()))
                .collect();
            if small.is_empty() {
                break;
            }
            for t in small.into_iter().rev() {
                themes.remove(t);
            }
        }
    }

    let (assign, _) = assign_all(&ctx, &themes);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); themes.len()];
    for (c, a) in assign.iter().enumerate() {
        for &(t, _) in a {
            members[t].push(c);
        }
    }
    // Names, seeds and anchors of the new themes; terms and exemplars of all.
    // Seeds first: a theme that takes a codebook theme's name needs no other.
    let not_heard = seed(&ctx, codebook, &mut themes, &members, &mut required);
    let bg = label::Background::new(&ctx);
    let spread = label::spread(&ctx, &members);
    let naming = |t: &Placed| t.new && t.entry.origin == Origin::Discovered;
    let mut used_labels: BTreeSet<String> = themes
        .iter()
        .filter(|t| !naming(t))
        .map(|t| t.entry.label.to_lowercase())
        .chain(required.iter().map(|e| e.label.to_lowercase()))
        .collect();
    let mut order: Vec<usize> = (0..themes.len()).collect();
    // Bigger new themes choose their label first.
    order.sort_by(|&a, &b| {
        themes[a]
            .new
            .cmp(&themes[b].new)
            .then(members[b].len().cmp(&members[a].len()))
            .then(a.cmp(&b))
    });
    for &t in &order {
        let described = label::describe(
            &ctx,
            &bg,
            &spread,
            &members[t],
            &mut used_labels,
            themes.len(),
            naming(&themes[t]),
            &themes[t].entry.label.clone(),
        );
        let named = naming(&themes[t]);
        let theme = &mut themes[t];
        theme.entry.terms = described.terms;
        if named {
            theme.entry.label = described.label;
            theme.entry.description = described.description;
        }
        theme.entry.exemplars =
            label::exemplars(&ctx, &members[t], &theme.centroid, &described.key);
        if theme.new || theme.anchors.len() < ANCHORS.min(members[t].len()) {
            let keep: BTreeSet<usize> = theme.anchors.iter().copied().collect();
            let mut extra = nearest(&space, &members[t], &theme.centroid, &ctx);
            extra.retain(|c| !keep.contains(c));
            theme
                .anchors
                .extend(extra.into_iter().take(ANCHORS.saturating_sub(keep.len())));
        }
        theme.entry.anchors = theme
            .anchors
            .iter()
            .map(|&c| ctx.id(c).to_string())
            .collect();
    }

    // The file: kept themes in their order, then new ones, biggest first.
    let mut listed: Vec<usize> = (0..themes.len()).collect();
    listed.sort_by(|&a, &b| {
        themes[a]
            .new
            .cmp(&themes[b].new)
            .then_with(|| {
                if themes[a].new {
                    members[b].len().cmp(&members[a].len())
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .then(a.cmp(&b))
    });
    let mut ids: BTreeSet<String> = BTreeSet::new();
    let mut entries: Vec<ThemeEntry> = Vec::new();
    let mut final_id: Vec<String> = vec![String::new(); themes.len()];
    for &t in &listed {
        let mut e = themes[t].entry.clone();
        if e.id.is_empty() {
            e.id = unique_id(&slug(&e.label), &ids);
        }
        ids.insert(e.id.clone());
        final_id[t] = e.id.clone();
        entries.push(e);
    }
    let mut assignment: HashMap<String, Vec<Tag>> = HashMap::new();
    let mut unthemed = BTreeSet::new();
    for (c, a) in assign.iter().enumerate() {
        let id = ctx.id(c).to_string();
        if a.is_empty() {
            unthemed.insert(id);
            continue;
        }
        let tags = a
            .iter()
            .enumerate()
            .map(|(k, &(t, cos))| Tag {
                value: final_id[t].clone(),
                confidence: round3(f64::from(cos).clamp(0.0, 1.0)),
                evidence: if k == 0 {
                    format!("nearest theme (cosine {cos:.2})")
                } else {
                    format!("also near (cosine {cos:.2}) and uses its words")
                },
            })
            .collect();
        assignment.insert(id, tags);
    }
    // Required codebook themes: the snippets the engine tagged with them.
    for e in &required {
        for t in &items {
            if let Some(tag) = t.tags.themes.iter().find(|x| x.value == e.id) {
                let entry = assignment.entry(t.snippet.id.clone()).or_default();
                if !entry.iter().any(|x| x.value == e.id) {
                    entry.push(Tag {
                        value: e.id.clone(),
                        confidence: tag.confidence,
                        evidence: format!("required codebook theme: {}", tag.evidence),
                    });
                }
            }
        }
        if !ids.contains(&e.id) {
            ids.insert(e.id.clone());
            entries.push(e.clone());
        }
    }
    for (id, _) in assignment.iter() {
        unthemed.remove(id);
    }
    Discovery {
        file: ThemeFile {
            version: file::VERSION,
            space: space_name.to_string(),
            themes: entries,
        },
        assignment,
        content_free,
        unthemed,
        not_heard,
    }
}

/// What discovery works over.
pub(crate) struct Ctx<'a> {
    pub items: &'a [&'a TaggedSnippet],
    pub terms: &'a [Vec<Term>],
    /// Item index of each content snippet (the space's rows).
    pub content: &'a [usize],
    pub space: &'a Space,
    pub floor: f32,
}

impl Ctx<'_> {
    pub fn snippet(&self, c: usize) -> &TaggedSnippet {
        self.items[self.content[c]]
    }
    pub fn id(&self, c: usize) -> &str {
        &self.snippet(c).snippet.id
    }
    pub fn terms_of(&self, c: usize) -> &[Term] {
        &self.terms[self.content[c]]
    }
}

/// A theme with its place in the space.
struct Placed {
    entry: ThemeEntry,
    centroid: Vec<f32>,
    /// Content rows of its anchors.
    anchors: Vec<usize>,
    /// Found by this run.
    new: bool,
}

/// Fewest snippets a new theme needs.
fn min_size(content: usize) -> usize {
    (content / 200).max(3)
}

/// Each content row's themes (theme, cosine), and each theme's size.
fn assign_all(ctx: &Ctx, themes: &[Placed]) -> (Vec<Vec<(usize, f32)>>, Vec<usize>) {
    let cents: Vec<Vec<f32>> = themes.iter().map(|t| t.centroid.clone()).collect();
    // The terms that show a snippet speaks of a theme: its label's and its
    // anchors' most shared words.
    let marks: Vec<BTreeSet<&str>> = themes.iter().map(|t| theme_marks(ctx, t)).collect();
    let assign: Vec<Vec<(usize, f32)>> = (0..ctx.content.len())
        .into_par_iter()
        .map(|c| {
            if cents.is_empty() || ctx.space.is_zero(c) {
                return Vec::new();
            }
            let ((b, sb), second) = nearest2(ctx.space, c, &cents);
            if sb < ctx.floor {
                return Vec::new();
            }
            let mut out = vec![(b, sb)];
            if let Some((s, ss)) = second {
                let speaks = ctx
                    .terms_of(c)
                    .iter()
                    .any(|t| marks[s].contains(t.key.as_str()));
                if ss >= ctx.floor && ss >= MULTI * sb && speaks && !marks[b].is_empty() {
                    out.push((s, ss));
                }
            }
            out
        })
        .collect();
    let mut sizes = vec![0; themes.len()];
    for a in &assign {
        if let Some(&(t, _)) = a.first() {
            sizes[t] += 1;
        }
    }
    (assign, sizes)
}

/// The keys of the terms at least a third of a theme's anchors use.
fn theme_marks<'a>(ctx: &'a Ctx, t: &Placed) -> BTreeSet<&'a str> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for &c in &t.anchors {
        for term in ctx.terms_of(c) {
            *counts.entry(term.key.as_str()).or_default() += 1;
        }
    }
    let need = (t.anchors.len() / 3).max(2);
    counts
        .into_iter()
        .filter(|(_, n)| *n >= need)
        .map(|(k, _)| k)
        .collect()
}

/// Cluster `rows` into new themes: the number with the best silhouette on a
/// sample (or `forced`), each placed at its anchors.
fn new_themes(ctx: &Ctx, rows: &[usize], room: usize, forced: Option<usize>) -> Vec<Placed> {
    let sample: Vec<usize> = rows.iter().copied().take(SAMPLE).collect();
    // At most √(n / 2) themes (the classic rule of thumb), and at least
    // eight snippets a theme on average.
    let bound = ((rows.len() as f64 / 2.0).sqrt().floor() as usize).min(sample.len() / 8);
    let most = room.min(bound).max(if forced.is_some() { 1 } else { 0 });
    let candidates: Vec<usize> = match forced {
        Some(k) => vec![k.min(sample.len()).max(1)],
        None => {
            let mut ks: Vec<usize> = (2..=most.min(12)).collect();
            ks.extend((14..=most).step_by(2));
            ks
        }
    };
    if candidates.is_empty() {
        return Vec::new();
    }
    let seed = 0x5EED_u64 ^ rows.len() as u64;
    let runs: Vec<(f64, space::Clustering)> = candidates
        .iter()
        .map(|&k| {
            let c = kmeans(ctx.space, &sample, k, seed, 40);
            (silhouette(ctx.space, &sample, &c), c)
        })
        .collect();
    let top = runs.iter().map(|r| r.0).fold(f64::NEG_INFINITY, f64::max);
    // The fewest themes whose silhouette is within 3 % of the best: past
    // that, more themes split what customers say without separating it.
    let Some((_, clustering)) = runs.into_iter().find(|r| r.0 >= top - 0.03 * top.abs()) else {
        return Vec::new();
    };
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); clustering.centroids.len()];
    for (j, &l) in clustering.labels.iter().enumerate() {
        groups[l].push(sample[j]);
    }
    groups
        .iter()
        .zip(&clustering.centroids)
        .filter(|(g, _)| g.len() >= 2)
        .map(|(g, c)| {
            let anchors: Vec<usize> = nearest(ctx.space, g, c, ctx)
                .into_iter()
                .take(ANCHORS)
                .collect();
            Placed {
                entry: ThemeEntry {
                    id: String::new(),
                    label: String::new(),
                    description: String::new(),
                    origin: Origin::Discovered,
                    parent: None,
                    terms: Vec::new(),
                    exemplars: Vec::new(),
                    anchors: Vec::new(),
                },
                centroid: ctx.space.centroid(anchors.iter().copied()),
                anchors,
                new: true,
            }
        })
        .collect()
}

/// `rows` by cosine to `c`, nearest first (ties by snippet id).
fn nearest(space: &Space, rows: &[usize], c: &[f32], ctx: &Ctx) -> Vec<usize> {
    let mut v: Vec<(f32, usize)> = rows.iter().map(|&r| (space.dot(r, c), r)).collect();
    v.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then_with(|| ctx.id(a.1).cmp(ctx.id(b.1)))
    });
    v.into_iter().map(|(_, r)| r).collect()
}

/// A theme whose anchors are all gone is placed by its own words.
fn fallback_centroid(
    ctx: &Ctx,
    e: &ThemeEntry,
    embed: &EmbedFn<'_>,
    vocab: Option<&Vocab>,
) -> Option<Vec<f32>> {
    let words = format!("{} {}", e.label, e.terms.join(" "));
    match (ctx.space, vocab) {
        (Space::Sparse { dim, .. }, Some(v)) => {
            let mut c = vec![0.0f32; *dim];
            for t in Analyzer::new().terms(&words) {
                if let Some(&(id, idf)) = v.get(&t.key) {
                    c[id as usize] += idf;
                }
            }
            space::normalize(&mut c);
            c.iter().any(|x| *x != 0.0).then_some(c)
        }
        (Space::Dense(_), _) => embed(&[words.as_str()]).and_then(|mut v| v.pop()),
        _ => None,
    }
}

/// Term key → (row in the vector, idf).
type Vocab = BTreeMap<String, (u32, f32)>;

/// TF-IDF vectors over words and two-word phrases used by two or more
/// snippets (binary term frequency: snippets are sentences), unit length.
fn tfidf(content: &[usize], terms: &[Vec<Term>]) -> (Space, Vocab) {
    let mut df: BTreeMap<&str, u32> = BTreeMap::new();
    for &i in content {
        for t in terms[i].iter().filter(|t| t.n <= 2) {
            *df.entry(t.key.as_str()).or_default() += 1;
        }
    }
    let n = content.len() as f32;
    let vocab: Vocab = df
        .into_iter()
        .filter(|(_, d)| *d >= 2)
        .enumerate()
        .map(|(k, (t, d))| {
            (
                t.to_string(),
                (k as u32, ((1.0 + n) / (1.0 + d as f32)).ln() + 1.0),
            )
        })
        .collect();
    let rows: Vec<Vec<(u32, f32)>> = content
        .par_iter()
        .map(|&i| {
            let mut r: Vec<(u32, f32)> = terms[i]
                .iter()
                .filter(|t| t.n <= 2)
                .filter_map(|t| {
                    // Opinion words say how, not what about: they weigh less.
                    let w = if t.opinion { OPINION_WEIGHT } else { 1.0 };
                    vocab.get(&t.key).map(|&(id, idf)| (id, w * idf))
                })
                .collect();
            r.sort_by_key(|x| x.0);
            r.dedup_by_key(|x| x.0);
            let norm = r.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
            if norm > 0.0 {
                r.iter_mut().for_each(|x| x.1 /= norm);
            }
            r
        })
        .collect();
    let dim = vocab.len();
    (Space::Sparse { rows, dim }, vocab)
}

/// Match new themes to codebook themes; returns the codebook themes no
/// theme matched. Required codebook themes not matched join `required`.
fn seed(
    ctx: &Ctx,
    codebook: &Codebook,
    themes: &mut [Placed],
    members: &[Vec<usize>],
    required: &mut Vec<ThemeEntry>,
) -> Vec<(String, String, usize)> {
    let mut taken: BTreeSet<String> = themes
        .iter()
        .filter(|t| !t.new && t.entry.origin == Origin::Seed)
        .map(|t| t.entry.id.clone())
        .collect();
    taken.extend(required.iter().map(|e| e.id.clone()));
    let mut candidates: Vec<(f64, usize, usize, &str)> = Vec::new();
    for (t, theme) in themes.iter().enumerate() {
        if !theme.new || members[t].is_empty() {
            continue;
        }
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for &c in &members[t] {
            let ids: BTreeSet<&str> = ctx
                .snippet(c)
                .tags
                .themes
                .iter()
                .map(|x| x.value.as_str())
                .collect();
            for id in ids {
                *counts.entry(id).or_default() += 1;
            }
        }
        for (id, n) in counts {
            let share = n as f64 / members[t].len() as f64;
            if share >= SEED_SHARE {
                candidates.push((share, members[t].len(), t, id));
            }
        }
    }
    candidates.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(b.1.cmp(&a.1))
            .then(a.2.cmp(&b.2))
            .then(a.3.cmp(b.3))
    });
    let mut seeded: BTreeSet<usize> = BTreeSet::new();
    for (_, _, t, id) in candidates {
        if seeded.contains(&t) || taken.contains(id) {
            continue;
        }
        let Some(cb) = codebook.theme.iter().find(|e| e.id == id) else {
            continue;
        };
        let e = &mut themes[t].entry;
        e.id = cb.id.clone();
        e.label = cb.label.clone();
        e.description = cb.description.clone();
        e.origin = Origin::Seed;
        taken.insert(cb.id.clone());
        seeded.insert(t);
    }
    let mut tagged: BTreeMap<&str, usize> = BTreeMap::new();
    for t in ctx.items {
        for x in &t.tags.themes {
            *tagged.entry(x.value.as_str()).or_default() += 1;
        }
    }
    let mut not_heard = Vec::new();
    for cb in &codebook.theme {
        if taken.contains(&cb.id) {
            continue;
        }
        if cb.required {
            required.push(ThemeEntry {
                id: cb.id.clone(),
                label: cb.label.clone(),
                description: cb.description.clone(),
                origin: Origin::Required,
                parent: None,
                terms: Vec::new(),
                exemplars: Vec::new(),
                anchors: Vec::new(),
            });
        } else {
            not_heard.push((
                cb.id.clone(),
                cb.label.clone(),
                tagged.get(cb.id.as_str()).copied().unwrap_or(0),
            ));
        }
    }
    not_heard
}

fn slug(label: &str) -> String {
    let mut s = String::new();
    for c in label.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c);
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    let s = s.trim_end_matches('-').to_string();
    if s.is_empty() {
        "theme".into()
    } else {
        s
    }
}

fn unique_id(base: &str, ids: &BTreeSet<String>) -> String {
    if !ids.contains(base) {
        return base.to_string();
    }
    (2..)
        .map(|k| format!("{base}-{k}"))
        .find(|c| !ids.contains(c))
        .expect("an unused id")
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests;
