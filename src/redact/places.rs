//! Postal addresses (a street with its number, a PO box) and postcodes.
//!
//! A street needs its number and a street type ("12 High Street", "400 W
//! Main St") with capitalised name words, or lowercase ones right after
//! an address phrase ("I live at 12 elm street"), so "3 times the road"
//! or "room 12 on the second floor" stay. The unit, town, state and ZIP
//! that follow a street are part of the address.

use super::{compile, matches, Kind, Span};
use regex::Regex;
use std::sync::LazyLock;

const STREET_TYPES: &str = r"street|st|road|rd|avenue|ave|av|lane|ln|drive|dr|boulevard|blvd|court|ct|close|way|place|pl|terrace|ter|crescent|cres|square|sq|parkway|pkwy|highway|hwy|circle|cir|gardens|grove|mews|walk|parade|row|trail|plaza|alley";

/// After a street: a unit, then a town (after a comma, with an optional
/// continental postcode before it), then a US state and ZIP.
const TAIL: &str = r"(?:,?[\x20\t]+(?i:apt|apartment|suite|ste|unit|flat|floor|fl)\.?[\x20\t]*\#?[\x20\t]*[0-9A-Za-z]{1,5}\b)?(?:,[\x20\t]*(?:\d{4,5}[\x20\t]+)?\p{Lu}[\p{L}'’\-]+\b(?:[\x20\t]+\p{Lu}[\p{L}'’\-]+\b){0,2})?(?:,?[\x20\t]+[A-Z]{2}[\x20\t]+\d{5}(?:-\d{4})?\b)?";

static STREET: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"\b\d{{1,5}}[A-Za-z]?(?:[\-/]\d{{1,4}}[A-Za-z]?)?,?[ \t]+(?:(?:[NSEW]|North|South|East|West)\.?[ \t]+)?(?:\p{{Lu}}[\p{{L}}'’\-]*\.?[ \t]+){{1,4}}(?i:{STREET_TYPES})\b\.?{TAIL}"
    ))
});

/// Lowercase street names are an address only after a phrase that says so.
static SAID_STREET: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"(?i)\b(?:address(?:[ \t]+is)?:?|live[sd]?[ \t]+at|living[ \t]+at|moved[ \t]+to|deliver(?:ed|y)?[ \t]+to|ship(?:ped)?[ \t]+to|sent[ \t]+to|send[ \t]+(?:it[ \t]+)?to|located[ \t]+at|resid(?:e|ing)[ \t]+at)[ \t]+(?P<pii>\d{{1,5}}[a-z]?,?[ \t]+(?:[\p{{L}}'’\-]+\.?[ \t]+){{1,4}}(?:{STREET_TYPES})\b\.?{TAIL})"
    ))
});

/// German, Dutch and Nordic style (`Hauptstraße 5`, `Keizersgracht 221`), Romance-style with the number after
/// (`Calle Mayor 12`, `Via Roma 3`), French-style with it before (`10 rue
/// de Rivoli`), and PO boxes.
static CONTINENTAL: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"(?x)
        \b\p{{Lu}}[\p{{L}}\-]*(?:straße|strasse|str\.|weg|gasse|platz|allee|damm|ufer|straat|laan|gracht|plein|kade|singel|vej|gatan|gata|veien)[\ \t]+\d{{1,4}}[a-z]?\b{TAIL}
        |\b(?:Calle|Avenida|Carrer|Rua|Via|Viale|Piazza|Corso|Rue|Chemin|Impasse|Quai)[\ \t]+(?:(?:de|del|de\ la|do|da|dos|das|di|della|du|des|le|la|l'|d')[\ \t]+)?\p{{Lu}}[\p{{L}}'’\-]+(?:[\ \t]+\p{{Lu}}[\p{{L}}'’\-]+){{0,3}},?[\ \t]+\d{{1,4}}[a-z]?\b{TAIL}
        |\b\d{{1,4}}(?:[\ \t]?(?:bis|ter))?,?[\ \t]+(?i:rue|avenue|boulevard|bd|place|chemin|impasse|allée|quai)[\ \t]+(?:(?:de\ la|de|du|des|la|le)[\ \t]+|l'|d')?\p{{Lu}}[\p{{L}}'’\-]+(?:[\ \t]+\p{{Lu}}[\p{{L}}'’\-]+){{0,3}}{TAIL}
        |(?i:\bp\.?[\ \t]?o\.?[\ \t]?box)[\ \t]+\d{{1,6}}\b{TAIL}"
    ))
});

pub(super) fn addresses(text: &str) -> Vec<Span> {
    let mut out = matches(&SAID_STREET, text, Kind::Address, |_, _| true);
    out.extend(matches(&STREET, text, Kind::Address, |_, _| true));
    out.extend(matches(&CONTINENTAL, text, Kind::Address, |_, _| true));
    out.sort();
    out.dedup_by(|b, a| {
        let overlap = b.start < a.end;
        if overlap {
            a.end = a.end.max(b.end);
        }
        overlap
    });
    out
}

/// UK (valid letters only) and Canadian postcodes, uppercase as written.
static UK_CA: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"\b(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?[ ]?\d[ABD-HJLNP-UW-Z]{2}|[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][ ]?\d[ABCEGHJ-NPRSTV-Z]\d)\b",
    )
});

/// A US ZIP after a state code (not `ID`: "order ID 12345"), a Dutch postcode before a town, or any
/// value after a postcode label.
static LABELLED: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?x)
        \b(?:AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY),?[\ \t]+(\d{5}(?:-\d{4})?)\b
        |\b([1-9]\d{3}[\ ]?(?:[A-RT-Z][A-Z]|S[B-CE-RT-Z]))[\ \t]+\p{Lu}\p{Ll}+
        |(?i:\b(?:zip(?:[\ \t]?code)?|postal[\ \t]?code|post[\ \t]?code|postcode|plz|code[\ \t]postal))[\ \t]*(?i:is|:|\#|=)?[\ \t]*([A-Za-z0-9]{2,5}(?:[\ \-]?[A-Za-z]{0,3}\d[A-Za-z0-9]{0,3})?)\b",
    )
});

/// Units written after four digits that are not Dutch postcodes.
const NOT_DUTCH: &[&str] = &[
    "MB", "GB", "KB", "TB", "HD", "AD", "BC", "PM", "AM", "CE", "MP", "KM", "MG",
];

pub(super) fn postcodes(text: &str) -> Vec<Span> {
    let mut out = matches(&UK_CA, text, Kind::Postcode, |_, _| true);
    for c in LABELLED.captures_iter(text) {
        let Some(m) = c.get(1).or_else(|| c.get(2)).or_else(|| c.get(3)) else {
            continue;
        };
        let v = m.as_str();
        let dutch_unit = c.get(2).is_some() && NOT_DUTCH.contains(&&v[v.len() - 2..]);
        if dutch_unit || !v.contains(|c: char| c.is_ascii_digit()) {
            continue;
        }
        out.push(Span {
            start: m.start(),
            end: m.end(),
            kind: Kind::Postcode,
        });
    }
    out.sort();
    out.dedup_by(|b, a| b.start < a.end);
    out
}
