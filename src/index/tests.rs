//! Tests of the index stage over a small, realistic set of tagged snippets
//! (a support ticket, an app-store review, an interview, a survey answer and
//! a social post), each in a fresh temporary folder.

use super::*;
use crate::model::{Sentiment, Snippet, SourceRef, Tag, Tags};
use chrono::TimeZone;

fn tag(value: &str) -> Tag {
    Tag {
        value: value.to_string(),
        confidence: 0.8,
        evidence: format!("cue for {value}"),
    }
}

/// One tagged snippet; `n` is its sentence number within the document.
#[allow(clippy::too_many_arguments)]
fn tagged(
    doc_id: &str,
    n: u32,
    kind: SourceKind,
    path: &str,
    line: u64,
    text: &str,
    stage: &str,
    themes: &[&str],
    sentiment: f64,
) -> TaggedSnippet {
    let label = if sentiment <= -0.2 {
        Polarity::Negative
    } else if sentiment >= 0.2 {
        Polarity::Positive
    } else {
        Polarity::Neutral
    };
    TaggedSnippet {
        snippet: Snippet {
            id: format!("{doc_id}-{n}"),
            doc_id: doc_id.to_string(),
            kind,
            source: SourceRef {
                path: path.to_string(),
                line,
                row: None,
                timestamp: None,
            },
            speaker: None,
            role: Role::Customer,
            customer: None,
            date: None,
            rating: None,
            score: None,
            channel: None,
            topic: None,
            text: text.to_string(),
            context: text.to_string(),
        },
        tags: Tags {
            sentiment: Sentiment {
                score: sentiment,
                label,
                confidence: 0.7,
                evidence: "lexicon".to_string(),
            },
            stage: tag(stage),
            intent_signal: tag("transactional"),
            intent_cluster: None,
            quadrant: tag("says"),
            pain: label == Polarity::Negative,
            gain: label == Polarity::Positive,
            themes: Vec::new(),
            engine: "lexicon".to_string(),
        },
        themes: themes.iter().map(|t| tag(t)).collect(),
    }
}

fn date(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 9, 30, 0).unwrap()
}

/// The sample study: eight snippets from five documents.
fn corpus() -> Vec<TaggedSnippet> {
    let ticket = |n, text: &str, themes: &[&str], s| {
        let mut t = tagged(
            "t-1042",
            n,
            SourceKind::Ticket,
            "tickets/zendesk.csv",
            2,
            text,
            "support",
            themes,
            s,
        );
        t.snippet.customer = Some("acme".into());
        t.snippet.date = Some(date(2026, 2, 3));
        t.snippet.channel = Some("zendesk".into());
        t.tags.intent_cluster = Some(tag("churn-risk"));
        t.tags.quadrant = tag("feels");
        t
    };
    let review = |n, text: &str, stage, themes: &[&str], s| {
        let mut t = tagged(
            "r-77",
            n,
            SourceKind::Review,
            "reviews/appstore.csv",
            5,
            text,
            stage,
            themes,
            s,
        );
        t.snippet.customer = Some("jdoe".into());
        t.snippet.date = Some(date(2026, 1, 10));
        t.snippet.rating = Some(2.0);
        t.snippet.channel = Some("app store".into());
        t.tags.intent_cluster = Some(tag("price-sensitive-researcher"));
        t
    };
    let mut interviewer = tagged(
        "i-03",
        0,
        SourceKind::Interview,
        "interviews/p03.txt",
        12,
        "How did you first hear about the product?",
        "awareness",
        &[],
        0.0,
    );
    interviewer.snippet.role = Role::Interviewer;
    interviewer.snippet.speaker = Some("Moderator".into());
    interviewer.snippet.date = Some(date(2025, 11, 20));
    interviewer.tags.intent_signal = tag("informational");
    let mut participant = tagged(
        "i-03",
        1,
        SourceKind::Interview,
        "interviews/p03.txt",
        13,
        "A colleague recommended it and the onboarding was smooth.",
        "awareness",
        &["onboarding"],
        0.6,
    );
    participant.snippet.speaker = Some("Priya".into());
    participant.snippet.customer = Some("p03".into());
    participant.snippet.date = Some(date(2025, 11, 20));
    participant.tags.intent_cluster = Some(tag("advocate"));
    participant.tags.intent_signal = tag("informational");
    let mut survey = tagged(
        "s-9",
        0,
        SourceKind::Survey,
        "surveys/nps.csv",
        10,
        "Love how fast the new search is.",
        "usage",
        &["performance"],
        0.8,
    );
    survey.snippet.customer = Some("r-9".into());
    survey.snippet.score = Some(9.0);
    let mut social = tagged(
        "so-5",
        0,
        SourceKind::Social,
        "social/mentions.jsonl",
        1,
        "Support kept me on hold for an hour, thinking about switching.",
        "support",
        &["support"],
        -0.8,
    );
    social.snippet.customer = Some("@kim".into());
    social.snippet.date = Some(date(2026, 3, 1));
    social.snippet.channel = Some("twitter".into());
    social.tags.intent_cluster = Some(tag("churn-risk"));
    social.tags.quadrant = tag("thinks");
    vec![
        ticket(
            0,
            "I was charged twice and still have not received my refund.",
            &["billing"],
            -0.7,
        ),
        ticket(
            1,
            "Please refund the card I used for the annual plan.",
            &["billing", "pricing"],
            -0.3,
        ),
        review(
            0,
            "The pricing page hides the real cost until checkout.",
            "decision",
            &["pricing"],
            -0.6,
        ),
        review(
            1,
            "Refunds take weeks to arrive.",
            "support",
            &["billing"],
            -0.5,
        ),
        interviewer,
        participant,
        survey,
        social,
    ]
}

fn open_with_corpus() -> (tempfile::TempDir, SnippetIndex) {
    let dir = tempfile::tempdir().unwrap();
    let mut index = SnippetIndex::open_or_create(&dir.path().join("index")).unwrap();
    let stats = index.upsert(&corpus()).unwrap();
    assert_eq!(
        stats,
        UpsertStats {
            added: 8,
            replaced: 0
        }
    );
    (dir, index)
}

fn ids(hits: &[Hit]) -> Vec<&str> {
    hits.iter().map(|h| h.snippet.snippet.id.as_str()).collect()
}

fn sorted_ids(hits: &[Hit]) -> Vec<&str> {
    let mut v = ids(hits);
    v.sort();
    v
}

fn text(q: &str) -> SearchQuery {
    SearchQuery {
        text: Some(q.to_string()),
        ..SearchQuery::default()
    }
}

#[test]
fn new_index_is_empty_and_creates_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested").join("index");
    let index = SnippetIndex::open_or_create(&path).unwrap();
    assert!(index.is_empty().unwrap());
    assert_eq!(index.len().unwrap(), 0);
    assert!(index.all().unwrap().is_empty());
    assert!(index.search(&SearchQuery::default()).unwrap().is_empty());
    assert!(path.join(VERSION_FILE).exists());
}

#[test]
fn search_by_word_returns_the_snippet_with_its_tags() {
    let (_dir, index) = open_with_corpus();
    let hits = index.search(&text("checkout")).unwrap();
    assert_eq!(ids(&hits), ["r-77-0"]);
    let hit = &hits[0];
    assert!(hit.score > 0.0);
    assert_eq!(hit.snippet, corpus()[2]);
    assert_eq!(
        hit.highlight,
        "The pricing page hides the real cost until **checkout**."
    );
}

#[test]
fn search_by_phrase_needs_adjacent_words() {
    let (_dir, index) = open_with_corpus();
    let hits = index.search(&text("\"refund the card\"")).unwrap();
    assert_eq!(ids(&hits), ["t-1042-1"]);
    assert!(hits[0].highlight.contains("**refund the card**"));
    assert!(index.search(&text("\"card refund\"")).unwrap().is_empty());
}

#[test]
fn search_by_stemmed_form_finds_other_inflections() {
    let (_dir, index) = open_with_corpus();
    let hits = index.search(&text("refunds")).unwrap();
    assert_eq!(sorted_ids(&hits), ["r-77-1", "t-1042-0", "t-1042-1"]);
    let review = hits
        .iter()
        .find(|h| h.snippet.snippet.id == "r-77-1")
        .unwrap();
    assert_eq!(review.highlight, "**Refunds** take weeks to arrive.");
    let ticket = hits
        .iter()
        .find(|h| h.snippet.snippet.id == "t-1042-0")
        .unwrap();
    assert!(ticket.highlight.contains("**refund**"));
    let hits = index.search(&text("refunded")).unwrap();
    assert_eq!(hits.len(), 3);
}

#[test]
fn words_are_all_required_unless_or_is_written() {
    let (_dir, index) = open_with_corpus();
    assert_eq!(
        ids(&index.search(&text("refund card")).unwrap()),
        ["t-1042-1"]
    );
    assert_eq!(
        sorted_ids(&index.search(&text("checkout OR hold")).unwrap()),
        ["r-77-0", "so-5-0"]
    );
    assert_eq!(
        sorted_ids(&index.search(&text("refund -card")).unwrap()),
        ["r-77-1", "t-1042-0"]
    );
}

#[test]
fn blank_text_means_all_snippets() {
    let (_dir, index) = open_with_corpus();
    assert_eq!(index.search(&text("   ")).unwrap().len(), 8);
    assert_eq!(index.search(&SearchQuery::default()).unwrap().len(), 8);
}

#[test]
fn every_filter_alone() {
    let (_dir, index) = open_with_corpus();
    let run = |q: SearchQuery| sorted_ids(&index.search(&q).unwrap()).join(" ");
    let q = SearchQuery::default;
    let s = |v: &str| Some(v.to_string());

    assert_eq!(
        run(SearchQuery {
            stage: s("decision"),
            ..q()
        }),
        "r-77-0"
    );
    assert_eq!(
        run(SearchQuery {
            cluster: s("churn-risk"),
            ..q()
        }),
        "so-5-0 t-1042-0 t-1042-1"
    );
    assert_eq!(
        run(SearchQuery {
            cluster: s(""),
            ..q()
        }),
        "i-03-0 s-9-0"
    );
    assert_eq!(
        run(SearchQuery {
            theme: s("pricing"),
            ..q()
        }),
        "r-77-0 t-1042-1"
    );
    assert_eq!(
        run(SearchQuery {
            signal: s("informational"),
            ..q()
        }),
        "i-03-0 i-03-1"
    );
    assert_eq!(
        run(SearchQuery {
            quadrant: s("thinks"),
            ..q()
        }),
        "so-5-0"
    );
    assert_eq!(
        run(SearchQuery {
            kind: Some(SourceKind::Review),
            ..q()
        }),
        "r-77-0 r-77-1"
    );
    assert_eq!(
        run(SearchQuery {
            role: Some(Role::Interviewer),
            ..q()
        }),
        "i-03-0"
    );
    assert_eq!(
        run(SearchQuery {
            customer: s("acme"),
            ..q()
        }),
        "t-1042-0 t-1042-1"
    );
    assert_eq!(
        run(SearchQuery {
            sentiment: Some(Polarity::Positive),
            ..q()
        }),
        "i-03-1 s-9-0"
    );
    assert_eq!(
        run(SearchQuery {
            sentiment: Some(Polarity::Neutral),
            ..q()
        }),
        "i-03-0"
    );
    assert_eq!(
        run(SearchQuery {
            pain_only: true,
            ..q()
        }),
        "r-77-0 r-77-1 so-5-0 t-1042-0 t-1042-1"
    );
}

#[test]
fn sentiment_range_is_inclusive() {
    let (_dir, index) = open_with_corpus();
    let run = |min: Option<f64>, max: Option<f64>| {
        let q = SearchQuery {
            sentiment_min: min,
            sentiment_max: max,
            ..SearchQuery::default()
        };
        sorted_ids(&index.search(&q).unwrap()).join(" ")
    };
    assert_eq!(run(Some(-0.7), Some(-0.5)), "r-77-0 r-77-1 t-1042-0");
    assert_eq!(run(None, Some(-0.75)), "so-5-0");
    assert_eq!(run(Some(0.6), None), "i-03-1 s-9-0");
    assert_eq!(run(Some(0.5), Some(-0.5)), "");
    let nan = SearchQuery {
        sentiment_min: Some(f64::NAN),
        ..SearchQuery::default()
    };
    assert!(matches!(index.search(&nan), Err(Error::Query(_))));
}

#[test]
fn date_range_is_inclusive_and_skips_undated() {
    let (_dir, index) = open_with_corpus();
    let run = |from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>| {
        let q = SearchQuery {
            date_from: from,
            date_to: to,
            ..SearchQuery::default()
        };
        sorted_ids(&index.search(&q).unwrap()).join(" ")
    };
    // Bounds equal to a snippet's exact instant include it.
    assert_eq!(
        run(Some(date(2026, 1, 10)), Some(date(2026, 2, 3))),
        "r-77-0 r-77-1 t-1042-0 t-1042-1"
    );
    assert_eq!(
        run(
            Some(date(2026, 1, 10) + chrono::Duration::nanoseconds(1)),
            None
        ),
        "so-5-0 t-1042-0 t-1042-1"
    );
    assert_eq!(run(None, Some(date(2025, 12, 31))), "i-03-0 i-03-1");
    assert_eq!(run(Some(date(2026, 4, 1)), Some(date(2026, 3, 1))), "");
}

#[test]
fn filters_combine() {
    let (_dir, index) = open_with_corpus();
    let s = |v: &str| Some(v.to_string());
    let run = |q: SearchQuery| sorted_ids(&index.search(&q).unwrap()).join(" ");
    assert_eq!(
        run(SearchQuery {
            stage: s("support"),
            sentiment: Some(Polarity::Negative),
            ..SearchQuery::default()
        }),
        "r-77-1 so-5-0 t-1042-0 t-1042-1"
    );
    assert_eq!(
        run(SearchQuery {
            theme: s("billing"),
            kind: Some(SourceKind::Ticket),
            ..SearchQuery::default()
        }),
        "t-1042-0 t-1042-1"
    );
    assert_eq!(
        run(SearchQuery {
            text: s("refund"),
            customer: s("jdoe"),
            date_from: Some(date(2026, 1, 1)),
            sentiment_max: Some(-0.4),
            ..SearchQuery::default()
        }),
        "r-77-1"
    );
    assert_eq!(
        run(SearchQuery {
            theme: s("pricing"),
            kind: Some(SourceKind::Social),
            ..SearchQuery::default()
        }),
        ""
    );
}

#[test]
fn filters_do_not_change_text_scores() {
    let (_dir, index) = open_with_corpus();
    let plain = index.search(&text("refund")).unwrap();
    let filtered = index
        .search(&SearchQuery {
            text: Some("refund".into()),
            theme: Some("billing".into()),
            ..SearchQuery::default()
        })
        .unwrap();
    assert_eq!(ids(&plain), ids(&filtered));
    for (a, b) in plain.iter().zip(&filtered) {
        assert_eq!(a.score, b.score);
    }
}

#[test]
fn no_hits_is_an_empty_vec() {
    let (_dir, index) = open_with_corpus();
    assert!(index.search(&text("kangaroo")).unwrap().is_empty());
    let q = SearchQuery {
        stage: Some("advocacy".into()),
        ..SearchQuery::default()
    };
    assert!(index.search(&q).unwrap().is_empty());
}

#[test]
fn malformed_query_is_a_query_error() {
    let (_dir, index) = open_with_corpus();
    // An exclusion alone is refused by tantivy too ("Only excluding terms
    // given"); it is reported the same way.
    for bad in [
        "\"refund the card",
        "AND",
        "text:",
        "record:refund",
        "-refund",
    ] {
        match index.search(&text(bad)) {
            Err(Error::Query(msg)) => assert!(!msg.is_empty(), "{bad}"),
            other => panic!("{bad:?} gave {other:?}"),
        }
    }
}

#[test]
fn without_text_newest_first_then_path_and_line_and_undated_last() {
    let (_dir, index) = open_with_corpus();
    let hits = index.search(&SearchQuery::default()).unwrap();
    assert_eq!(
        ids(&hits),
        ["so-5-0", "t-1042-0", "t-1042-1", "r-77-0", "r-77-1", "i-03-0", "i-03-1", "s-9-0"]
    );
    assert!(hits.iter().all(|h| h.score == 0.0));
    assert_eq!(hits[6].highlight, corpus()[5].snippet.text);
}

#[test]
fn limit_caps_hits_and_zero_means_all() {
    let (_dir, index) = open_with_corpus();
    let q = SearchQuery {
        limit: 3,
        ..SearchQuery::default()
    };
    assert_eq!(
        ids(&index.search(&q).unwrap()),
        ["so-5-0", "t-1042-0", "t-1042-1"]
    );
    let q = SearchQuery {
        text: Some("refund".into()),
        limit: 1,
        ..SearchQuery::default()
    };
    assert_eq!(index.search(&q).unwrap().len(), 1);
    let q = SearchQuery {
        limit: 0,
        ..SearchQuery::default()
    };
    assert_eq!(index.search(&q).unwrap().len(), 8);
}

#[test]
fn long_text_highlight_is_capped() {
    let dir = tempfile::tempdir().unwrap();
    let mut index = SnippetIndex::open_or_create(dir.path()).unwrap();
    let long = format!(
        "{} the export to CSV fails every single time with a timeout. {}",
        "We rely on weekly reports for the board and ".repeat(5),
        "Our team lead has asked twice when this gets fixed. ".repeat(4)
    );
    let mut s = corpus()[0].clone();
    s.snippet.text = long.clone();
    index.upsert(&[s]).unwrap();

    let hit = &index.search(&text("timeout")).unwrap()[0];
    assert!(hit.highlight.contains("**timeout**."), "{}", hit.highlight);
    assert!(hit.highlight.starts_with('…') && hit.highlight.ends_with('…'));
    assert!(
        hit.highlight.chars().count() <= HIGHLIGHT + 8,
        "{}",
        hit.highlight
    );
    let hit = &index.search(&SearchQuery::default()).unwrap()[0];
    assert_eq!(hit.highlight.chars().count(), HIGHLIGHT);
    assert!(long.starts_with(&hit.highlight));
}

const HIGHLIGHT: usize = search::HIGHLIGHT_CHARS;

#[test]
fn upserting_the_same_snippets_twice_adds_nothing() {
    let (_dir, mut index) = open_with_corpus();
    let stats = index.upsert(&corpus()).unwrap();
    assert_eq!(
        stats,
        UpsertStats {
            added: 0,
            replaced: 8
        }
    );
    assert_eq!(index.len().unwrap(), 8);
    assert_eq!(index.search(&text("refund")).unwrap().len(), 3);
}

#[test]
fn reupserting_a_document_with_fewer_snippets_drops_the_stale_one() {
    let (_dir, mut index) = open_with_corpus();
    // The ticket is re-segmented into one snippet, re-tagged as pricing.
    let mut only = corpus()[0].clone();
    only.themes = vec![tag("pricing")];
    let stats = index.upsert(std::slice::from_ref(&only)).unwrap();
    assert_eq!(
        stats,
        UpsertStats {
            added: 0,
            replaced: 1
        }
    );
    assert_eq!(index.len().unwrap(), 7);
    assert!(index.search(&text("card")).unwrap().is_empty());
    let pricing = SearchQuery {
        theme: Some("pricing".into()),
        ..SearchQuery::default()
    };
    assert_eq!(
        sorted_ids(&index.search(&pricing).unwrap()),
        ["r-77-0", "t-1042-0"]
    );
    // A second call with an id no longer there counts as added.
    let stats = index.upsert(&corpus()[..2]).unwrap();
    assert_eq!(
        stats,
        UpsertStats {
            added: 1,
            replaced: 1
        }
    );
    assert_eq!(index.len().unwrap(), 8);
}

#[test]
fn duplicate_ids_in_one_batch_count_once_and_last_wins() {
    let dir = tempfile::tempdir().unwrap();
    let mut index = SnippetIndex::open_or_create(dir.path()).unwrap();
    let first = corpus()[0].clone();
    let mut second = first.clone();
    second.tags.stage = tag("billing-dispute");
    let stats = index.upsert(&[first, second.clone()]).unwrap();
    assert_eq!(
        stats,
        UpsertStats {
            added: 1,
            replaced: 0
        }
    );
    assert_eq!(index.all().unwrap(), [second]);
}

#[test]
fn empty_upsert_changes_nothing() {
    let (_dir, mut index) = open_with_corpus();
    assert_eq!(index.upsert(&[]).unwrap(), UpsertStats::default());
    assert_eq!(index.len().unwrap(), 8);
}

#[test]
fn non_finite_numbers_are_refused_before_anything_is_written() {
    let (_dir, mut index) = open_with_corpus();
    let mut bad = corpus()[6].clone();
    bad.snippet.id = "s-9-new".into();
    bad.tags.sentiment.score = f64::NAN;
    let err = index.upsert(&[bad]).unwrap_err();
    assert!(matches!(err, Error::Invalid(_)), "{err}");
    assert!(err.to_string().contains("s-9-new"), "{err}");
    assert_eq!(index.len().unwrap(), 8);
}

#[test]
fn all_is_sorted_by_path_line_and_id() {
    let (_dir, index) = open_with_corpus();
    let all = index.all().unwrap();
    let keys: Vec<_> = all
        .iter()
        .map(|t| {
            (
                t.snippet.source.path.as_str(),
                t.snippet.source.line,
                t.snippet.id.as_str(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert_eq!(keys[0], ("interviews/p03.txt", 12, "i-03-0"));
    let mut expected = corpus();
    expected.sort_by(search::citation_order);
    assert_eq!(all, expected);
}

#[test]
fn reopening_from_disk_returns_the_same_snippets() {
    let (dir, index) = open_with_corpus();
    let before = index.all().unwrap();
    drop(index);
    let reopened = SnippetIndex::open_or_create(&dir.path().join("index")).unwrap();
    assert_eq!(reopened.len().unwrap(), 8);
    assert_eq!(reopened.all().unwrap(), before);
    assert_eq!(
        ids(&reopened.search(&text("checkout")).unwrap()),
        ["r-77-0"]
    );
}

#[test]
fn a_folder_with_another_schema_version_is_refused() {
    let (dir, index) = open_with_corpus();
    drop(index);
    let path = dir.path().join("index");
    fs::write(path.join(VERSION_FILE), "{\"version\":99}\n").unwrap();
    let err = SnippetIndex::open_or_create(&path).unwrap_err();
    assert!(matches!(err, Error::Index { .. }), "{err}");
    let msg = err.to_string();
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    assert!(msg.contains("version 99"), "{msg}");
    assert!(msg.contains("--index"), "{msg}");
    // Not even a run rebuilds an index a newer cairn wrote.
    assert!(SnippetIndex::open_or_rebuild(&path).is_err());

    fs::write(path.join(VERSION_FILE), "not json").unwrap();
    let msg = SnippetIndex::open_or_create(&path).unwrap_err().to_string();
    assert!(msg.contains(&path.display().to_string()), "{msg}");
}

#[test]
fn a_tantivy_index_cairn_did_not_write_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut builder = tantivy::schema::Schema::builder();
    builder.add_text_field("title", tantivy::schema::TEXT);
    Index::create_in_dir(dir.path(), builder.build()).unwrap();
    let err = SnippetIndex::open_or_create(dir.path()).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains(&dir.path().display().to_string()), "{msg}");
    assert!(msg.contains(VERSION_FILE), "{msg}");
}

#[test]
fn a_file_in_place_of_the_folder_is_an_index_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index");
    fs::write(&path, "").unwrap();
    let err = SnippetIndex::open_or_create(&path).unwrap_err();
    assert!(matches!(err, Error::Index { .. }), "{err}");
    assert!(err.to_string().contains(&path.display().to_string()));
}

#[test]
fn ordering_holds_across_segments_written_by_separate_upserts() {
    let dir = tempfile::tempdir().unwrap();
    let mut index = SnippetIndex::open_or_create(dir.path()).unwrap();
    let all = corpus();
    // Each call commits its own segment; feed them in a scrambled order.
    for batch in [&all[6..], &all[2..4], &all[4..6], &all[..2]] {
        index.upsert(batch).unwrap();
    }
    assert_eq!(index.len().unwrap(), 8);
    assert_eq!(
        ids(&index.search(&SearchQuery::default()).unwrap()),
        ["so-5-0", "t-1042-0", "t-1042-1", "r-77-0", "r-77-1", "i-03-0", "i-03-1", "s-9-0"]
    );
    let (_other, reference) = open_with_corpus();
    assert_eq!(index.all().unwrap(), reference.all().unwrap());
}

#[test]
fn reopened_index_knows_its_documents_and_replaces_them() {
    let (dir, index) = open_with_corpus();
    drop(index);
    let mut reopened = SnippetIndex::open_or_create(&dir.path().join("index")).unwrap();
    // The ids already stored are read back from disk, not remembered.
    let stats = reopened.upsert(&corpus()).unwrap();
    assert_eq!(
        stats,
        UpsertStats {
            added: 0,
            replaced: 8
        }
    );
    assert_eq!(reopened.len().unwrap(), 8);
    assert_eq!(reopened.search(&text("refund")).unwrap().len(), 3);
}

#[test]
fn finish_releases_the_writer_for_another_index_handle() {
    let (dir, mut index) = open_with_corpus();
    index.finish().unwrap();
    let mut other = SnippetIndex::open_or_create(&dir.path().join("index")).unwrap();
    let stats = other.upsert(&corpus()[..2]).unwrap();
    assert_eq!(
        stats,
        UpsertStats {
            added: 0,
            replaced: 2
        }
    );
    // The first handle still reads, and sees the other's commit.
    assert_eq!(index.len().unwrap(), 8);
    assert_eq!(index.all().unwrap(), other.all().unwrap());
}

#[test]
fn an_index_an_older_cairn_wrote_is_refused_for_reading_and_rebuilt_by_a_run() {
    let (dir, mut index) = open_with_corpus();
    index.finish().unwrap();
    drop(index);
    let path = dir.path().join("index");
    fs::write(path.join(VERSION_FILE), "{\"version\":1}\n").unwrap();
    fs::write(path.join("rejects.jsonl"), "{}\n").unwrap();
    let msg = SnippetIndex::open_or_create(&path).unwrap_err().to_string();
    assert!(
        msg.contains("older cairn") && msg.contains("cairn run"),
        "{msg}"
    );

    let (rebuilt, old) = SnippetIndex::open_or_rebuild(&path).unwrap();
    assert_eq!(old, Some(1));
    assert_eq!(
        rebuilt.len().unwrap(),
        0,
        "nothing of the old index is kept"
    );
    assert!(path.join("rejects.jsonl").exists(), "files beside it stay");
    drop(rebuilt);
    let (again, old) = SnippetIndex::open_or_rebuild(&path).unwrap();
    assert_eq!((old, again.len().unwrap()), (None, 0));
}

#[test]
fn a_second_writer_is_told_another_run_is_writing() {
    let (dir, _holding) = open_with_corpus();
    let path = dir.path().join("index");
    let mut other = SnippetIndex::open_or_create(&path).unwrap();
    let err = other.begin().unwrap_err();
    assert!(matches!(err, Error::Busy { .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains("another cairn run is writing this study"),
        "{msg}"
    );
    assert!(msg.contains(&path.display().to_string()), "{msg}");
}

#[test]
fn documents_a_run_did_not_write_are_stale_and_completing_removes_them() {
    let (dir, mut index) = open_with_corpus();
    // The first run completes with everything it wrote.
    assert!(!index.had_baseline().unwrap());
    assert!(index.stale(&|_, _| true).unwrap().is_empty());
    assert_eq!(index.complete(&[]).unwrap(), 0);
    index.finish().unwrap();
    drop(index);

    // The second writes two documents again; the rest are stale.
    let mut index = SnippetIndex::open_or_create(&dir.path().join("index")).unwrap();
    assert!(index.had_baseline().unwrap());
    let all = corpus();
    let first_doc = &all[0].snippet.doc_id;
    let again: Vec<TaggedSnippet> = all
        .iter()
        .filter(|t| &t.snippet.doc_id == first_doc)
        .cloned()
        .collect();
    index.upsert(&again).unwrap();
    let stale = index.stale(&|_, _| true).unwrap();
    assert!(!stale.is_empty());
    assert!(stale.iter().all(|d| &d.id != first_doc));
    assert!(stale.iter().all(|d| d.before.is_some()), "{stale:?}");
    let removed = index.complete(&stale).unwrap();
    assert_eq!(removed as u64 + again.len() as u64, all.len() as u64);
    assert_eq!(index.len().unwrap(), again.len() as u64);
    // Nothing is stale for the run that removed them.
    assert!(index.stale(&|_, _| true).unwrap().is_empty());
}

/// One snippet of document `doc` in `file`, with its entry.
fn one(doc: &str, file: &str, text: &str, hash: u64) -> (DocEntry, TaggedSnippet) {
    let t = tagged(
        doc,
        0,
        SourceKind::Ticket,
        file,
        2,
        text,
        "support",
        &[],
        0.0,
    );
    let e = DocEntry {
        id: doc.to_string(),
        file: file.to_string(),
        hash,
    };
    (e, t)
}

#[test]
fn a_run_resumed_after_a_kill_counts_changes_since_the_last_completed_run() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index");
    let write = |index: &mut SnippetIndex, docs: &[(DocEntry, TaggedSnippet)]| {
        let (e, t): (Vec<DocEntry>, Vec<TaggedSnippet>) = docs.iter().cloned().unzip();
        index.upsert_docs(&e, &t).unwrap().1
    };
    // Run 1 completes with a and b.
    let mut index = SnippetIndex::open_or_create(&path).unwrap();
    write(
        &mut index,
        &[one("a", "t.csv", "old", 11), one("b", "t.csv", "b", 22)],
    );
    index.complete(&[]).unwrap();
    drop(index);

    // Run 2 writes the edited a, then is killed: no `complete`.
    let mut index = SnippetIndex::open_or_create(&path).unwrap();
    let killed = write(&mut index, &[one("a", "t.csv", "new", 12)]);
    assert_eq!(killed[0].before, Some(11));
    drop(index);

    // Run 3 writes everything again: a is still "changed" (against run 1),
    // not "unchanged" (against the killed run 2); b is unchanged.
    let mut index = SnippetIndex::open_or_create(&path).unwrap();
    let resumed = write(
        &mut index,
        &[one("a", "t.csv", "new", 12), one("b", "t.csv", "b", 22)],
    );
    assert_eq!(resumed[0].before, Some(11));
    assert_eq!(resumed[1].before, Some(22));
    assert!(index.stale(&|_, _| true).unwrap().is_empty());
    index.complete(&[]).unwrap();
    drop(index);

    // Run 4, after run 3 completed, measures against run 3.
    let mut index = SnippetIndex::open_or_create(&path).unwrap();
    let next = write(&mut index, &[one("a", "t.csv", "new", 12)]);
    assert_eq!(next[0].before, Some(12));
    let stale = index.stale(&|_, _| true).unwrap();
    assert_eq!(stale.len(), 1);
    assert_eq!((stale[0].id.as_str(), stale[0].before), ("b", Some(22)));
}
