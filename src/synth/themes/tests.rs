//! Theme discovery on small realistic studies from other industries.

use super::*;
use crate::classify::Codebook;
use crate::model::SourceKind;
use crate::synth::testing::snip;

/// A hotel study: check-in, rooms, breakfast, staff.
fn hotel() -> Vec<TaggedSnippet> {
    let groups: [(&str, &[&str]); 4] = [
        (
            "checkin",
            &[
                "Check-in took forty minutes because the front desk had one clerk",
                "The check-in queue at the front desk was ridiculous",
                "Slow check-in again, the front desk could not find my booking",
                "Waited ages at the front desk for check-in after a long flight",
                "Check-in was slow and the front desk staff seemed overwhelmed",
                "Front desk check-in took so long we missed dinner",
                "Late night check-in was chaos at the front desk",
                "The front desk lost our check-in details twice",
            ],
        ),
        (
            "room",
            &[
                "The room smelled of smoke and the carpet was stained",
                "Our room was dirty, hair in the bathroom and a stained carpet",
                "The bathroom in our room had mould around the shower",
                "Room was filthy, the bathroom sink was cracked",
                "Stained sheets in the room and a dirty bathroom floor",
                "The room carpet was sticky and the bathroom smelled",
                "Dusty room, stained carpet, the bathroom fan broken",
                "They gave us a room with a dirty bathroom and no towels",
            ],
        ),
        (
            "breakfast",
            &[
                "The breakfast buffet ran out of eggs by eight",
                "Cold coffee and stale pastries at the breakfast buffet",
                "Breakfast buffet was tiny and the coffee was cold",
                "Nothing left at the breakfast buffet after half past eight",
                "The breakfast buffet eggs were cold and rubbery",
                "Breakfast buffet coffee machine broken every morning",
                "Stale bread at the breakfast buffet, no fruit at all",
                "The breakfast buffet queue was long and the coffee cold",
            ],
        ),
        (
            "pool",
            &[
                "Loved the rooftop pool and the view over the harbour",
                "The rooftop pool was the highlight, great view at sunset",
                "Rooftop pool bar made the stay, stunning view",
                "Kids loved the rooftop pool, amazing harbour view",
                "Best part was the rooftop pool with that view",
                "The rooftop pool area was clean with a lovely view",
                "Swimming in the rooftop pool with the city view was magic",
                "Rooftop pool and harbour view were worth the price",
            ],
        ),
    ];
    let mut out = Vec::new();
    for (g, (name, texts)) in groups.iter().enumerate() {
        for (k, text) in texts.iter().enumerate() {
            let score = if g == 3 { 0.6 } else { -0.5 };
            out.push(snip(
                Some(&format!("G{g}P{k}")),
                &format!("{name}{k}"),
                SourceKind::Review,
                1 + k as u32,
                text,
                score,
                "retention",
                None,
            ));
        }
    }
    out.push(snip(
        Some("X1"),
        "x1",
        SourceKind::Review,
        3,
        "ok.",
        0.0,
        "retention",
        None,
    ));
    out.push(snip(
        Some("X2"),
        "x2",
        SourceKind::Review,
        3,
        "🤬🤬",
        -0.8,
        "retention",
        None,
    ));
    out
}

fn no_embed(_: &[&str]) -> Option<Vec<Vec<f32>>> {
    None
}

fn run(snips: &[TaggedSnippet], prev: Option<&ThemeFile>) -> Discovery {
    let refs: Vec<&TaggedSnippet> = snips.iter().collect();
    discover(
        &refs,
        &no_embed,
        &Codebook::embedded(),
        prev,
        &ThemeOptions::default(),
    )
}

fn theme_of(d: &Discovery, s: &TaggedSnippet) -> Option<String> {
    d.assignment.get(&s.snippet.id).map(|t| t[0].value.clone())
}

#[test]
fn a_hotel_study_gets_its_own_themes_named_in_its_words() {
    let snips = hotel();
    let d = run(&snips, None);
    let labels: Vec<&str> = d.file.themes.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(d.file.themes.len(), 4, "{labels:?}");
    // Each group is one theme.
    for g in 0..4 {
        let first = theme_of(&d, &snips[g * 8]);
        assert!(first.is_some());
        for k in 0..8 {
            assert_eq!(theme_of(&d, &snips[g * 8 + k]), first, "{labels:?}");
        }
    }
    for want in ["front desk", "bathroom", "breakfast buffet", "rooftop pool"] {
        assert!(
            labels.iter().any(|l| l.contains(want) || want.contains(*l)),
            "{want} in {labels:?}"
        );
    }
    // No software theme from the codebook is forced on a hotel.
    for t in &d.file.themes {
        assert!(!["notifications", "integrations", "mobile-app"].contains(&t.id.as_str()));
        assert_eq!(t.exemplars.len(), 3, "{t:?}");
        assert!(!t.terms.is_empty());
    }
    assert_eq!(d.content_free.len(), 2);
}

#[test]
fn the_theme_file_keeps_ids_and_labels_across_runs_and_orders() {
    let snips = hotel();
    let first = run(&snips, None);
    // Re-run with the file: the same file, the same assignment.
    let again = run(&snips, Some(&first.file));
    assert_eq!(again.file, first.file);
    assert_eq!(again.assignment, first.assignment);
    // Shuffled input, fresh: the same themes.
    let mut shuffled = snips.clone();
    shuffled.reverse();
    shuffled.rotate_left(7);
    assert_eq!(run(&shuffled, None).file, first.file);
    // A renamed theme keeps its new label; new snippets join existing themes.
    let mut edited = first.file.clone();
    edited.themes[0].label = "Queue at reception".into();
    let mut more = snips.clone();
    more.push(snip(
        Some("N1"),
        "new1",
        SourceKind::Review,
        9,
        "Check-in at the front desk took an hour",
        -0.6,
        "retention",
        None,
    ));
    let d = run(&more, Some(&edited));
    assert_eq!(d.file.themes[0].label, "Queue at reception");
    let ids: Vec<&str> = d.file.themes.iter().map(|t| t.id.as_str()).collect();
    let before: Vec<&str> = first.file.themes.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, before);
    assert_eq!(theme_of(&d, more.last().unwrap()), theme_of(&d, &snips[0]));
}
