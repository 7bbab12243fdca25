//! `accounts-at-risk.md` on the sample study: the formula is printed, the
//! accounts are ranked by it, each with its evidence cited and an
//! intervention, and anonymous authors are left out.

mod util;

use cairn::synth::accounts::{MAX_LISTED, RISK_FORMULA, RISK_THRESHOLD};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use util::*;

fn h2(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for ev in Parser::new_ext(md, Options::ENABLE_TABLES) {
        match ev {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                ..
            }) => current = Some(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(s) = current.as_mut() {
                    s.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => out.extend(current.take()),
            _ => {}
        }
    }
    out
}

#[test]
fn the_sample_study_lists_accounts_at_risk_with_evidence() {
    let tmp = tempfile::tempdir().unwrap();
    run_sample(tmp.path());
    let md = read(&tmp.path().join("reports/accounts-at-risk.md"));
    assert!(md.contains(&format!("`{RISK_FORMULA}`")), "formula printed");
    let heads = h2(&md);
    assert_eq!(heads[..2], ["How risk is scored", "At-risk accounts"]);
    let accounts: Vec<&str> = heads[2..]
        .iter()
        .map(|h| h.split_once(". ").unwrap().1)
        .collect();
    assert!((10..=MAX_LISTED).contains(&accounts.len()), "{accounts:?}");
    // Placeholder names pooling anonymous reviews are not accounts: each of
    // the 81 reviews by "A Google user", "Verified User in …" and the like
    // is an anonymous one-off record, not one pooled account.
    for placeholder in ["A Google user", "Anonymous", "Verified User in Accounting"] {
        assert!(!accounts.contains(&placeholder), "{placeholder} listed");
        assert!(
            !md.contains(&format!("“{placeholder}” (")),
            "{placeholder} pooled"
        );
    }
    assert!(
        md.contains("Left out: 81 anonymous one-off records"),
        "{}",
        md.lines().find(|l| l.contains("Left out")).unwrap_or("")
    );
    // The brand's own replies on social are not an account either.
    for brand in ["@Ledgerly", "@LedgerlyHelp"] {
        assert!(!md.contains(&format!("— {brand},")), "{brand} quoted");
    }
    // Ranked by score, all at or above the threshold, with the score's sum shown.
    let scores: Vec<u32> = md
        .lines()
        .filter_map(|l| l.strip_prefix("**Risk "))
        .map(|l| l.split("**").next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(scores.len(), accounts.len());
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert!(scores.iter().all(|s| *s >= RISK_THRESHOLD));
    // Every account: intervention, numbers with their base, 2–3 cited quotes.
    for section in md.split("\n## ").skip(3) {
        let name = section.lines().next().unwrap();
        assert!(section.contains("- **Suggested intervention"), "{name}");
        assert!(
            section.contains(" retention-stage snippets negative"),
            "{name}"
        );
        assert!(section.contains("- Sentiment trend: "), "{name}");
        let quotes: Vec<&str> = section.lines().filter(|l| l.starts_with("- “")).collect();
        assert!((2..=3).contains(&quotes.len()), "{name}: {quotes:?}");
        let account = name.split_once(". ").unwrap().1;
        for q in quotes {
            assert!(q.contains("` · `s:"), "{name}: uncited {q}");
            assert!(
                q.contains(&format!("” — {account}, ")),
                "{name}: someone else's quote {q}"
            );
        }
    }
    // The index links to it and sums it up.
    let readme = read(&tmp.path().join("reports/README.md"));
    assert!(readme.contains("[Accounts at risk](accounts-at-risk.md)"));
    assert!(
        readme.contains(&format!(
            "accounts are at risk (risk score ≥ {RISK_THRESHOLD})"
        )),
        "{readme}"
    );
    // The evidence verifies against the sources.
    let o = cairn(
        &repo(),
        &[
            "verify",
            tmp.path()
                .join("reports/accounts-at-risk.md")
                .to_str()
                .unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}
