//! Tests of the sentiment scorer: words, negation, contrast, sarcasm,
//! questions and customer-service language.

use super::*;

const TINY: &str = r#"
[words]
love = 3.0
loved = 3.0
great = 3.0
good = 2.0
bad = -2.5
broken = -2.5
slow = -1.5
[phrases]
"on hold" = -2.0
"charged twice" = -2.8
"still no refund" = -2.6
[negators]
words = ["not", "never", "no"]
[boosters]
very = 0.3
"kind of" = -0.3
[contrast]
words = ["but", "although"]
[sarcasm]
openers = ["great", "love"]
markers = ["another", "again"]
[emoji]
"😡" = -3.0
"❤️" = 3.0
[neutral]
question_words = ["how", "does", "is"]
"#;

fn lex() -> SentimentLexicon {
    SentimentLexicon::parse(TINY, Path::new("tiny.toml")).unwrap()
}

#[test]
fn words_phrases_and_emoji_score() {
    let l = lex();
    assert_eq!(l.score("I love it").label, Polarity::Positive);
    assert_eq!(l.score("I was charged twice").label, Polarity::Negative);
    assert_eq!(
        l.score("on hold for 40 minutes 😡").label,
        Polarity::Negative
    );
    assert_eq!(l.score("❤️").label, Polarity::Positive);
    assert_eq!(l.score("The invoice is attached.").label, Polarity::Neutral);
    let s = l.score("I was charged twice");
    assert!(s.evidence.contains("charged twice"), "{}", s.evidence);
}

#[test]
fn a_negator_does_not_flip_an_emoji() {
    let lex = SentimentLexicon::embedded();
    let s = lex.score("Not again 🤬🤬🤬");
    assert_eq!(s.label, Polarity::Negative, "{s:?}");
    assert!(!s.evidence.contains("negated"), "{}", s.evidence);
    // Words are still negated.
    assert_eq!(lex.score("not happy").label, Polarity::Negative);
}

#[test]
fn negation_flips_and_boosters_scale() {
    let l = lex();
    assert_eq!(l.score("not good").label, Polarity::Negative);
    assert!(l.score("not bad").score > 0.0);
    assert!(l.score("very bad").score < l.score("bad").score);
    assert!(l.score("kind of bad").score > l.score("bad").score);
    // Negation does not reach across a clause break.
    assert_eq!(l.score("No. It is good").label, Polarity::Positive);
}

#[test]
fn contrast_weights_the_second_clause() {
    let l = lex();
    assert_eq!(
        l.score("I love the invoices but sync is broken").label,
        Polarity::Negative
    );
    assert_eq!(
        l.score("Sync was slow but support was great").label,
        Polarity::Positive
    );
    assert_eq!(
        l.score("Although the app is good, sync is broken").label,
        Polarity::Negative
    );
}

#[test]
fn sarcasm_turns_a_positive_opener_negative() {
    let l = lex();
    let s = l.score("Great, another outage.");
    assert_eq!(s.label, Polarity::Negative, "{}", s.evidence);
    assert!(s.evidence.contains("sarcasm"));
    // A plain compliment is not sarcasm.
    assert_eq!(l.score("Great app, love it").label, Polarity::Positive);
}

#[test]
fn questions_without_strong_cues_stay_neutral() {
    let l = lex();
    assert_eq!(
        l.score("Is the Pro plan good for teams?").label,
        Polarity::Neutral
    );
    assert_eq!(l.score("how do I export my data").label, Polarity::Neutral);
    assert_eq!(
        l.score("Why is there still no refund?").label,
        Polarity::Negative
    );
}

#[test]
fn contrast_stays_within_its_sentence() {
    let l = lex();
    // The "but" in the second sentence does not discount the first.
    let one = l.score("I love it. Sync is slow but support is good");
    let whole = l.score("I love it and sync is slow but support is good");
    assert!(one.score > whole.score, "{} vs {}", one.score, whole.score);
}

#[test]
fn praise_of_the_past_is_a_complaint() {
    let l = lex();
    assert_eq!(l.score("It used to be great").label, Polarity::Negative);
    assert_eq!(l.score("I once loved this app").label, Polarity::Negative);
    assert_eq!(l.score("It is great").label, Polarity::Positive);
}

#[test]
fn caps_and_exclamations_intensify() {
    let l = lex();
    assert!(l.score("this is BAD").score < l.score("this is bad").score);
    assert!(l.score("bad!!!").score < l.score("bad").score);
}

#[test]
fn scores_stay_in_range() {
    let l = lex();
    let s = l.score(&"very very bad ".repeat(50));
    assert!(s.score >= -1.0 && s.score <= 1.0);
}

#[test]
fn embedded_lexicon_handles_customer_service_language() {
    let l = SentimentLexicon::embedded();
    for t in [
        "I've been on hold for 40 minutes",
        "This is the third time I'm asking",
        "Still no refund after two weeks",
        "The bank sync is still not fixed",
        "I cancelled my subscription today",
        "Great, another delay",
        "I love the app but billing is a mess",
    ] {
        let s = l.score(t);
        assert_eq!(
            s.label,
            Polarity::Negative,
            "{t}: {} ({})",
            s.score,
            s.evidence
        );
    }
    for t in [
        "Sarah from support went above and beyond",
        "Invoicing takes me five minutes now, love it",
    ] {
        assert_eq!(l.score(t).label, Polarity::Positive, "{t}");
    }
    for t in [
        "Does the Pro plan include multi-currency?",
        "I exported the CSV on Monday.",
    ] {
        assert_eq!(l.score(t).label, Polarity::Neutral, "{t}");
    }
}

#[test]
fn a_closing_question_does_not_soften_the_complaint_before_it() {
    let l = SentimentLexicon::embedded();
    let told = l.score("My laptop was stolen from the car last night.");
    let asked = l.score("My laptop was stolen from the car last night. What should I do?");
    assert_eq!(told.label, Polarity::Negative, "{}", told.evidence);
    assert_eq!(asked.score, told.score, "{}", asked.evidence);
    assert!(asked.evidence.ends_with("question"), "{}", asked.evidence);
    // The same cue inside the question is still only asked about.
    let s = l.score("What happens if my laptop is stolen?");
    assert_eq!(s.label, Polarity::Neutral, "{} ({})", s.score, s.evidence);
}

#[test]
fn unrecognised_and_wrong_outcomes_are_complaints() {
    let l = SentimentLexicon::embedded();
    for t in [
        "There is a charge on my statement I don't recognise.",
        "The total on the last invoice is not correct.",
        "My order says delivered but it is not received.",
        "I was charged a late fee that I shouldn't have been charged.",
    ] {
        let s = l.score(t);
        assert_eq!(
            s.label,
            Polarity::Negative,
            "{t}: {} ({})",
            s.score,
            s.evidence
        );
    }
}
