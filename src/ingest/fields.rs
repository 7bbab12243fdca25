//! Field parsing shared by every reader.
//!
//! Consumes raw cell strings and file bytes; produces typed values: dates as
//! `DateTime<Utc>`, star ratings (1–5), NPS-style scores (0–10), CSAT labels
//! as ratings, customer keys (never a raw email), and text: whole files
//! decoded to UTF-8 from UTF-8 with or without a BOM, UTF-16 LE/BE with or
//! without a BOM, or Windows-1252; single lines or fields that are not UTF-8
//! decoded as Windows-1252. Nothing here fails: a parser returns `None`
//! and the caller turns a `None` from a non-empty input into a warning.

use super::authors::is_placeholder_author;
use crate::model::stable_id;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};
use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

// ---------------------------------------------------------------- dates

/// Parses the date formats found in exports: RFC 3339 / ISO 8601 (with `Z`,
/// an offset, or none = UTC), `YYYY-MM-DD[ HH:MM[:SS]]`, `YYYY/MM/DD`, US
/// `MM/DD/YYYY` and `M/D/YY` (day-first when the first number is > 12),
/// `Mar 3, 2026` / `3 March 2026` (optionally with `10:15 AM`), RFC 2822,
/// epoch seconds (10 digits, optionally with a fraction) or milliseconds
/// (13 digits), and Excel serial dates ([`parse_excel_serial`]). Dates
/// without a time or zone are UTC (midnight for a bare date); every result
/// is in UTC.
pub(crate) fn parse_date(raw: &str) -> Option<DateTime<Utc>> {
    let s = raw.trim();
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    if let Some(d) = parse_excel_serial(s) {
        return Some(d);
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return match s.len() {
            10 => DateTime::from_timestamp(s.parse().ok()?, 0),
            13 => DateTime::from_timestamp_millis(s.parse().ok()?),
            _ => None,
        };
    }
    // Epoch seconds with a fraction, as Reddit writes `created_utc`.
    if let Some((secs, frac)) = s.split_once('.') {
        if secs.len() == 10
            && !frac.is_empty()
            && frac.len() <= 9
            && secs.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
        {
            let nanos: u32 = format!("{frac:0<9}").parse().ok()?;
            return DateTime::from_timestamp(secs.parse().ok()?, nanos);
        }
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f %z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M%z",
        "%Y-%m-%d %H:%M %z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(s, f) {
            return Some(d.with_timezone(&Utc));
        }
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d.with_timezone(&Utc));
    }
    // A trailing zone name that means UTC: parse the rest as naive UTC.
    let naive = ["Z", " UTC", "UTC", " GMT"]
        .iter()
        .find_map(|z| s.strip_suffix(z))
        .map(str::trim_end)
        .unwrap_or(s);
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(naive, f) {
            return Some(d.and_utc());
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(naive, "%Y-%m-%d") {
        return Some(d.and_time(NaiveTime::MIN).and_utc());
    }
    if let Some(d) = parse_slash_date(naive) {
        return Some(d);
    }
    for f in [
        "%b %d, %Y %I:%M %p",
        "%B %d, %Y %I:%M %p",
        "%b %d, %Y %H:%M",
        "%B %d, %Y %H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(naive, f) {
            return Some(d.and_utc());
        }
    }
    for f in [
        "%b %d, %Y",
        "%B %d, %Y",
        "%b %d %Y",
        "%B %d %Y",
        "%d %b %Y",
        "%d %B %Y",
    ] {
        if let Ok(d) = NaiveDate::parse_from_str(naive, f) {
            return Some(d.and_time(NaiveTime::MIN).and_utc());
        }
    }
    None
}

/// The Excel serial numbers read as dates: 20000 (1954-10-03) to 80000
/// (2119-01-11). A date column that holds a bare number in this range is a
/// date Excel wrote as its serial (a cell typed as text or General, or a
/// CSV saved from such a sheet); smaller or larger numbers are not dates.
pub(crate) const EXCEL_SERIALS: std::ops::RangeInclusive<f64> = 20_000.0..=80_000.0;

static EXCEL_SERIAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{5}(?:[.,]\d{1,15})?$").expect("valid regex"));

/// An Excel serial date in the 1900 date system (Windows Excel, Google
/// Sheets and LibreOffice exports): days since 1899-12-30, the fraction
/// being the time of day (`45352.4375` → 2024-03-01 10:30:00 UTC), rounded
/// to the second. Only in [`EXCEL_SERIALS`]; `.` or `,` as the decimal
/// mark. (The 1904 system of old Mac workbooks is stored as a flag in the
/// workbook, which a text cell or a CSV no longer carries.)
fn parse_excel_serial(s: &str) -> Option<DateTime<Utc>> {
    if !EXCEL_SERIAL.is_match(s) {
        return None;
    }
    let n: f64 = s.replace(',', ".").parse().ok()?;
    if !EXCEL_SERIALS.contains(&n) {
        return None;
    }
    // 1899-12-30, not -31: Excel counts a 29 February 1900 that never was,
    // so every serial from 61 on is one day ahead of a plain count.
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_time(NaiveTime::MIN);
    let seconds = (n * 86_400.0).round() as i64;
    Some((epoch + chrono::TimeDelta::try_seconds(seconds)?).and_utc())
}

static SLASH_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\d{1,4})/(\d{1,2})/(\d{1,4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$",
    )
    .expect("valid regex")
});

/// `YYYY/MM/DD`, `MM/DD/YYYY`, `M/D/YY`, `DD/MM/YYYY` when unambiguous, with
/// an optional `HH:MM[:SS] [AM|PM]` time.
fn parse_slash_date(s: &str) -> Option<DateTime<Utc>> {
    let c = SLASH_DATE.captures(s)?;
    let num = |i: usize| -> Option<u32> { c.get(i).and_then(|m| m.as_str().parse().ok()) };
    let (a, b, y) = (num(1)?, num(2)?, num(3)?);
    let (year, month, day) = if c[1].len() == 4 {
        (a as i32, b, y)
    } else {
        let year = match c[3].len() {
            2 if y < 70 => 2000 + y as i32,
            2 => 1900 + y as i32,
            4 => y as i32,
            _ => return None,
        };
        if a > 12 && b <= 12 {
            (year, b, a)
        } else {
            (year, a, b)
        }
    };
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    let mut hour = num(4).unwrap_or(0);
    let minute = num(5).unwrap_or(0);
    let second = num(6).unwrap_or(0);
    if let Some(ampm) = c.get(7) {
        if hour == 0 || hour > 12 {
            return None;
        }
        let pm = ampm.as_str().eq_ignore_ascii_case("pm");
        hour = match (hour, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, true) => h + 12,
            (h, false) => h,
        };
    }
    let time = NaiveTime::from_hms_opt(hour, minute, second)?;
    Some(date.and_time(time).and_utc())
}

// ------------------------------------------------------- ratings and scores

static LEADING_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([+-]?\d{1,3}(?:[.,]\d+)?)\s*(.*)$").expect("valid regex"));

/// A leading number and what follows it, if the rest is empty, `/den`,
/// `out of den`, one of `units`, or a label after ` - ` / `(`.
fn leading_number(s: &str, den: &str, units: &[&str]) -> Option<f64> {
    let s = s.trim().to_lowercase();
    let c = LEADING_NUMBER.captures(&s)?;
    let n: f64 = c[1].replace(',', ".").parse().ok()?;
    let rest = c[2].trim();
    let ok = rest.is_empty()
        || rest.strip_prefix('/').map(str::trim) == Some(den)
        || rest.strip_prefix("out of").map(str::trim) == Some(den)
        || units.contains(&rest)
        || rest.starts_with('-')
        || rest.starts_with('–')
        || rest.starts_with('(');
    (ok && n.is_finite()).then_some(n)
}

/// A star rating in 1–5: `4`, `4.5`, `4/5`, `4 stars`, `4 out of 5`, `★★★★☆`.
pub(crate) fn parse_rating(raw: &str) -> Option<f64> {
    let s = raw.trim();
    if !s.is_empty() && s.chars().all(|c| matches!(c, '★' | '☆' | '⭐' | ' ')) {
        let n = s.chars().filter(|&c| c == '★' || c == '⭐').count() as f64;
        return (1.0..=5.0).contains(&n).then_some(n);
    }
    let n = leading_number(s, "5", &["star", "stars"])?;
    (1.0..=5.0).contains(&n).then_some(n)
}

/// An NPS-style score in 0–10: `9`, `9.0`, `9/10`, `9 - Very likely`.
pub(crate) fn parse_score(raw: &str) -> Option<f64> {
    let n = leading_number(raw, "10", &[])?;
    (0.0..=10.0).contains(&n).then_some(n)
}

/// A CSAT value as a rating: good/satisfied/happy/awesome → 5,
/// bad/unsatisfied/unhappy/not good → 1 (also Zendesk's "good with
/// comment" and Freshdesk's "Extremely happy"), neutral/just okay → 3, a
/// number 1–5 as is; anything else (offered, unoffered, blank) → `None`.
pub(crate) fn parse_satisfaction(raw: &str) -> Option<f64> {
    let s = raw.trim().to_lowercase();
    let first = s.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    match first {
        "good" | "satisfied" | "positive" | "great" | "awesome" | "happy" => Some(5.0),
        "bad" | "unsatisfied" | "dissatisfied" | "negative" | "poor" | "unhappy" => Some(1.0),
        "very" | "extremely"
            if ["dissatisfied", "unsatisfied", "unhappy"]
                .iter()
                .any(|w| s.contains(w)) =>
        {
            Some(1.0)
        }
        "very" | "extremely" if s.contains("satisfied") || s.contains("happy") => Some(5.0),
        "not" if s.starts_with("not good") => Some(1.0),
        "neutral" | "okay" | "ok" => Some(3.0),
        "just" if s.starts_with("just okay") || s.starts_with("just ok") => Some(3.0),
        _ => s.parse::<f64>().ok().filter(|n| (1.0..=5.0).contains(n)),
    }
}

// ------------------------------------------------------------ customers

static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[^\s@<>,;]+@[^\s@<>,;]+\.[A-Za-z]{2,}$").expect("valid regex"));

/// The email address in `s` (`jane@x.com` or `Jane Doe <jane@x.com>`), if any.
pub(crate) fn extract_email(s: &str) -> Option<&str> {
    let s = s.trim();
    let inner = match (s.rfind('<'), s.ends_with('>')) {
        (Some(i), true) => &s[i + 1..s.len() - 1],
        _ => s,
    };
    let inner = inner.trim().trim_start_matches("mailto:");
    EMAIL.is_match(inner).then_some(inner)
}

/// The customer key for an email: `e:` + a stable hash of the lowercased
/// address, so channels join without storing the address.
pub(crate) fn email_key(email: &str) -> String {
    format!("e:{}", stable_id(&[&email.trim().to_lowercase()]))
}

/// The customer key: an explicit id wins (trimmed), else the email hashed,
/// else the author / handle / respondent name. A value that is an email is
/// hashed wherever it comes from, and so is one that holds other personal
/// data (a phone number as the customer id). A placeholder ("A Google user", "N/A",
/// [`is_placeholder_author`]) is no key: the record stays anonymous.
pub(crate) fn customer_key(
    id: Option<&str>,
    email: Option<&str>,
    name: Option<&str>,
) -> Option<String> {
    let keep = |v: &str| -> Option<String> {
        let v = v.trim();
        if v.is_empty() || is_placeholder_author(v) {
            None
        } else if let Some(e) = extract_email(v) {
            Some(email_key(e))
        } else if v.contains('@') && v.contains('.') && !v.starts_with('@') {
            // Looks like a mangled address: hash rather than store it.
            Some(email_key(v))
        } else if crate::redact::redact(v) != v {
            // A phone number (or other personal data) as the id: hashed
            // like an email, so records still join and nothing is stored.
            Some(format!("h:{}", stable_id(&[&v.to_lowercase()])))
        } else {
            Some(v.to_string())
        }
    };
    id.and_then(keep)
        .or_else(|| email.and_then(extract_email).map(email_key))
        .or_else(|| name.and_then(keep))
}

// ------------------------------------------------------------- decoding

/// Decodes one field or line: UTF-8 as is, otherwise Windows-1252 (which maps
/// every byte). The flag says whether the fallback was used.
pub(crate) fn decode_bytes(b: &[u8]) -> (Cow<'_, str>, bool) {
    match std::str::from_utf8(b) {
        Ok(s) => (Cow::Borrowed(s), false),
        Err(_) => (WINDOWS_1252.decode_without_bom_handling(b).0, true),
    }
}

/// The text encoding a file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16LeBom,
    Utf16BeBom,
    /// UTF-16 without a byte-order mark, recognised by its NUL bytes.
    Utf16Le,
    Utf16Be,
    /// Not UTF-8 anywhere: the whole file decoded as Windows-1252.
    Windows1252,
}

impl Encoding {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8 (BOM)",
            Encoding::Utf16LeBom => "utf-16le (BOM)",
            Encoding::Utf16BeBom => "utf-16be (BOM)",
            Encoding::Utf16Le => "utf-16le (no BOM)",
            Encoding::Utf16Be => "utf-16be (no BOM)",
            Encoding::Windows1252 => "windows-1252",
        }
    }
}

/// UTF-16 without a BOM: in mostly-ASCII text every other byte is NUL, on
/// the odd positions for little-endian and the even ones for big-endian.
fn sniff_utf16(b: &[u8]) -> Option<Encoding> {
    let sample = &b[..b.len().min(4096) & !1];
    let pairs = sample.len() / 2;
    if pairs < 2 {
        return None;
    }
    let (mut le, mut be) = (0usize, 0usize);
    for p in sample.chunks_exact(2) {
        match (p[0] == 0, p[1] == 0) {
            (false, true) => le += 1,
            (true, false) => be += 1,
            _ => {}
        }
    }
    if le * 10 >= pairs * 6 && be * 20 < pairs {
        Some(Encoding::Utf16Le)
    } else if be * 10 >= pairs * 6 && le * 20 < pairs {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

/// Whether bytes that are not valid UTF-8 read as a single-byte file: no
/// line anywhere in the file holds a valid multi-byte UTF-8 sequence, so
/// every byte that is not ASCII is Windows-1252, however late the first one
/// comes (a file that was ASCII for 400 rows, then `café` in 1252). A file
/// with valid UTF-8 text elsewhere is UTF-8 with a few bad lines: those are
/// repaired line by line instead, with a warning that cites them.
fn single_byte_file(b: &[u8]) -> bool {
    b.split(|&c| c == b'\n')
        .all(|line| std::str::from_utf8(line).map_or(true, |s| s.is_ascii()))
}

/// Decodes a whole file to UTF-8 bytes: strips a UTF-8 BOM; converts UTF-16
/// with a BOM (as Excel writes "Unicode text" and Google Play writes its
/// review reports) or without one (recognised by its NUL bytes); decodes a
/// file that is not UTF-8 anywhere as Windows-1252. Anything else is left as
/// is (invalid lines are repaired later, line by line or field by field).
pub(crate) fn decode_file(b: &[u8]) -> (Cow<'_, [u8]>, Encoding) {
    let utf16 = |enc: &'static encoding_rs::Encoding, bytes: &[u8]| -> Cow<'_, [u8]> {
        let (s, _) = enc.decode_with_bom_removal(bytes);
        Cow::Owned(s.into_owned().into_bytes())
    };
    if let Some(rest) = b.strip_prefix(b"\xEF\xBB\xBF") {
        (Cow::Borrowed(rest), Encoding::Utf8Bom)
    } else if b.starts_with(b"\xFF\xFE") {
        (utf16(UTF_16LE, b), Encoding::Utf16LeBom)
    } else if b.starts_with(b"\xFE\xFF") {
        (utf16(UTF_16BE, b), Encoding::Utf16BeBom)
    } else if std::str::from_utf8(b).is_ok() && !b.contains(&0) {
        (Cow::Borrowed(b), Encoding::Utf8)
    } else if let Some(enc) = sniff_utf16(b) {
        let codec = if enc == Encoding::Utf16Le {
            UTF_16LE
        } else {
            UTF_16BE
        };
        let (s, _) = codec.decode_without_bom_handling(b);
        (Cow::Owned(s.into_owned().into_bytes()), enc)
    } else if std::str::from_utf8(b).is_err() && single_byte_file(b) {
        let (s, _) = WINDOWS_1252.decode_without_bom_handling(b);
        (
            Cow::Owned(s.into_owned().into_bytes()),
            Encoding::Windows1252,
        )
    } else {
        (Cow::Borrowed(b), Encoding::Utf8)
    }
}

/// What [`scan_encoding`] learns from one pass over a file: the encoding
/// [`decode_file`] would pick, and the first line holding a byte that is not
/// ASCII (where a Windows-1252 warning points).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EncodingScan {
    pub encoding: Encoding,
    pub first_non_ascii_line: u64,
}

/// One line's UTF-8 check, fed in pieces (a line may cross read chunks).
#[derive(Default)]
struct LineCheck {
    /// The bytes of a multi-byte sequence cut by the end of a piece.
    carry: Vec<u8>,
    invalid: bool,
    non_ascii: bool,
}

impl LineCheck {
    fn push(&mut self, piece: &[u8]) {
        if !piece.is_ascii() {
            self.non_ascii = true;
        }
        if self.invalid || (self.carry.is_empty() && piece.is_ascii()) {
            return;
        }
        let joined;
        let data: &[u8] = if self.carry.is_empty() {
            piece
        } else {
            let mut v = std::mem::take(&mut self.carry);
            v.extend_from_slice(piece);
            joined = v;
            &joined
        };
        if let Err(e) = std::str::from_utf8(data) {
            match e.error_len() {
                Some(_) => self.invalid = true,
                None => self.carry = data[e.valid_up_to()..].to_vec(),
            }
        }
    }

    /// Ends the line: (valid UTF-8 with a non-ASCII character, invalid).
    fn finish(&mut self) -> (bool, bool) {
        let invalid = self.invalid || !self.carry.is_empty();
        let r = (self.non_ascii && !invalid, invalid);
        *self = LineCheck::default();
        r
    }
}

/// Picks a file's encoding exactly as [`decode_file`] does, reading it once
/// in fixed-size chunks (memory does not grow with the file).
pub(crate) fn scan_encoding(r: &mut impl std::io::Read) -> std::io::Result<EncodingScan> {
    let mut head: Vec<u8> = Vec::with_capacity(4096);
    let mut buf = vec![0u8; 256 * 1024];
    let mut line = LineCheck::default();
    let (mut any_nul, mut any_invalid, mut valid_multibyte) = (false, false, false);
    let mut line_no = 1u64;
    let mut first_non_ascii = 0u64;
    loop {
        let n = match r.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let chunk = &buf[..n];
        if head.len() < 4096 {
            let take = (4096 - head.len()).min(n);
            head.extend_from_slice(&chunk[..take]);
        }
        any_nul |= chunk.contains(&0);
        for (i, piece) in chunk.split(|&c| c == b'\n').enumerate() {
            if i > 0 {
                let (multi, invalid) = line.finish();
                valid_multibyte |= multi;
                any_invalid |= invalid;
                line_no += 1;
            }
            if first_non_ascii == 0 && !piece.is_ascii() {
                first_non_ascii = line_no;
            }
            line.push(piece);
        }
    }
    let (multi, invalid) = line.finish();
    valid_multibyte |= multi;
    any_invalid |= invalid;

    let encoding = if head.starts_with(b"\xEF\xBB\xBF") {
        Encoding::Utf8Bom
    } else if head.starts_with(b"\xFF\xFE") {
        Encoding::Utf16LeBom
    } else if head.starts_with(b"\xFE\xFF") {
        Encoding::Utf16BeBom
    } else if !any_invalid && !any_nul {
        Encoding::Utf8
    } else if let Some(enc) = sniff_utf16(&head) {
        enc
    } else if any_invalid && !valid_multibyte {
        Encoding::Windows1252
    } else {
        Encoding::Utf8
    };
    Ok(EncodingScan {
        encoding,
        first_non_ascii_line: first_non_ascii.max(1),
    })
}

/// A reader of a file's text as UTF-8, decoding on the fly from the
/// encoding [`scan_encoding`] found (the streaming twin of [`decode_file`]).
pub(crate) struct DecodeReader<R> {
    inner: R,
    decoder: Option<encoding_rs::Decoder>,
    /// Bytes of a UTF-8 BOM still to drop.
    skip_bom: bool,
    input: Vec<u8>,
    in_start: usize,
    in_end: usize,
    eof: bool,
    output: Vec<u8>,
    out_start: usize,
    out_end: usize,
    done: bool,
}

impl<R: std::io::Read> DecodeReader<R> {
    pub(crate) fn new(inner: R, encoding: Encoding) -> DecodeReader<R> {
        let decoder = match encoding {
            Encoding::Utf8 | Encoding::Utf8Bom => None,
            Encoding::Utf16LeBom => Some(UTF_16LE.new_decoder_with_bom_removal()),
            Encoding::Utf16BeBom => Some(UTF_16BE.new_decoder_with_bom_removal()),
            Encoding::Utf16Le => Some(UTF_16LE.new_decoder_without_bom_handling()),
            Encoding::Utf16Be => Some(UTF_16BE.new_decoder_without_bom_handling()),
            Encoding::Windows1252 => Some(WINDOWS_1252.new_decoder_without_bom_handling()),
        };
        DecodeReader {
            inner,
            decoder,
            skip_bom: encoding == Encoding::Utf8Bom,
            input: vec![0; 64 * 1024],
            in_start: 0,
            in_end: 0,
            eof: false,
            output: vec![0; 3 * 64 * 1024 + 16],
            out_start: 0,
            out_end: 0,
            done: false,
        }
    }
}

impl<R: std::io::Read> std::io::Read for DecodeReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.skip_bom {
            let mut bom = [0u8; 3];
            self.inner.read_exact(&mut bom)?;
            self.skip_bom = false;
        }
        let Some(decoder) = self.decoder.as_mut() else {
            return self.inner.read(buf);
        };
        loop {
            if self.out_start < self.out_end {
                let n = buf.len().min(self.out_end - self.out_start);
                buf[..n].copy_from_slice(&self.output[self.out_start..self.out_start + n]);
                self.out_start += n;
                return Ok(n);
            }
            if self.done {
                return Ok(0);
            }
            if self.in_start == self.in_end && !self.eof {
                self.in_start = 0;
                self.in_end = loop {
                    match self.inner.read(&mut self.input) {
                        Ok(n) => break n,
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                        Err(e) => return Err(e),
                    }
                };
                self.eof = self.in_end == 0;
            }
            let (result, read, written, _) = decoder.decode_to_utf8(
                &self.input[self.in_start..self.in_end],
                &mut self.output,
                self.eof,
            );
            self.in_start += read;
            self.out_start = 0;
            self.out_end = written;
            if self.eof && result == encoding_rs::CoderResult::InputEmpty {
                self.done = true;
            }
        }
    }
}

/// Converts a file to UTF-8 bytes as [`decode_file`] does.
pub(crate) fn normalize_bytes(b: &[u8]) -> Cow<'_, [u8]> {
    decode_file(b).0
}

/// Decodes a whole text file line by line, so one bad line does not garble
/// the valid UTF-8 around it. Returns the text and the 1-based numbers of the
/// lines that were decoded as Windows-1252.
pub(crate) fn decode_text(b: &[u8]) -> (String, Vec<u64>) {
    let b = normalize_bytes(b);
    if let Ok(s) = std::str::from_utf8(&b) {
        return (s.to_string(), Vec::new());
    }
    let mut out = String::with_capacity(b.len() + b.len() / 8);
    let mut repaired = Vec::new();
    for (i, line) in b.split(|&c| c == b'\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let (s, fixed) = decode_bytes(line);
        if fixed {
            repaired.push(i as u64 + 1);
        }
        out.push_str(&s);
    }
    (out, repaired)
}

/// The warning text for a file whose lines were decoded as Windows-1252.
pub(crate) fn repaired_lines_reason(lines: &[u64]) -> String {
    match lines {
        [one] => format!("non-UTF-8 bytes on line {one} decoded as Windows-1252"),
        _ => format!(
            "non-UTF-8 bytes on {} lines (first at line {}) decoded as Windows-1252",
            lines.len(),
            lines.first().copied().unwrap_or(0)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd_hms(s: &str) -> String {
        parse_date(s)
            .map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_else(|| "none".into())
    }

    #[test]
    fn iso_and_rfc3339_dates() {
        assert_eq!(ymd_hms("2026-03-01T10:15:00Z"), "2026-03-01 10:15:00");
        assert_eq!(ymd_hms("2026-03-01T10:15:00.250Z"), "2026-03-01 10:15:00");
        assert_eq!(ymd_hms("2026-03-01T12:15:00+02:00"), "2026-03-01 10:15:00");
        assert_eq!(ymd_hms("2026-03-01T12:15:00+0200"), "2026-03-01 10:15:00");
        assert_eq!(ymd_hms("2026-03-01 05:15:00 -0500"), "2026-03-01 10:15:00");
        assert_eq!(ymd_hms("2026-03-01T10:15:00"), "2026-03-01 10:15:00");
        assert_eq!(ymd_hms("2026-03-01 10:15:00 UTC"), "2026-03-01 10:15:00");
        assert_eq!(ymd_hms("2026-03-01T10:15Z"), "2026-03-01 10:15:00");
    }

    #[test]
    fn plain_dates_and_times() {
        assert_eq!(ymd_hms("2026-03-01"), "2026-03-01 00:00:00");
        assert_eq!(ymd_hms(" 2026-03-01 "), "2026-03-01 00:00:00");
        assert_eq!(ymd_hms("2026-03-01 10:15"), "2026-03-01 10:15:00");
        assert_eq!(ymd_hms("2026-03-01 10:15:42"), "2026-03-01 10:15:42");
        assert_eq!(ymd_hms("2026/03/01"), "2026-03-01 00:00:00");
    }

    #[test]
    fn us_and_day_first_dates() {
        assert_eq!(ymd_hms("03/01/2026"), "2026-03-01 00:00:00");
        assert_eq!(ymd_hms("3/1/26"), "2026-03-01 00:00:00");
        assert_eq!(ymd_hms("12/31/99"), "1999-12-31 00:00:00");
        assert_eq!(ymd_hms("25/03/2026"), "2026-03-25 00:00:00");
        assert_eq!(ymd_hms("3/1/2026 2:05 PM"), "2026-03-01 14:05:00");
        assert_eq!(ymd_hms("3/1/2026 12:05 AM"), "2026-03-01 00:05:00");
        assert_eq!(ymd_hms("03/01/2026 09:30:10"), "2026-03-01 09:30:10");
        assert_eq!(ymd_hms("13/13/2026"), "none");
        assert_eq!(ymd_hms("2/30/2026"), "none");
    }

    #[test]
    fn named_month_rfc2822_and_epoch_dates() {
        assert_eq!(ymd_hms("Mar 3, 2026"), "2026-03-03 00:00:00");
        assert_eq!(ymd_hms("3 March 2026"), "2026-03-03 00:00:00");
        assert_eq!(
            ymd_hms("Tue, 03 Mar 2026 10:00:00 +0100"),
            "2026-03-03 09:00:00"
        );
        assert_eq!(ymd_hms("1772531200"), "2026-03-03 09:46:40");
        assert_eq!(ymd_hms("1772531200123"), "2026-03-03 09:46:40");
        assert_eq!(ymd_hms("17725312"), "none");
    }

    #[test]
    fn export_specific_dates_are_utc() {
        // Reddit `created_utc`, App Store `createdDate`, SurveyMonkey, X.
        assert_eq!(ymd_hms("1772531200.0"), "2026-03-03 09:46:40");
        assert_eq!(ymd_hms("1772531200.5"), "2026-03-03 09:46:40");
        assert_eq!(ymd_hms("2017-11-15T08:10:34-08:00"), "2017-11-15 16:10:34");
        assert_eq!(ymd_hms("03/04/2026 10:15:22 AM"), "2026-03-04 10:15:22");
        assert_eq!(ymd_hms("2026-02-03T10:00:00.000Z"), "2026-02-03 10:00:00");
        assert_eq!(ymd_hms("Mar 3, 2026 2:05 PM"), "2026-03-03 14:05:00");
        assert_eq!(
            ymd_hms("Tue, 3 Mar 2026 10:00:00 GMT"),
            "2026-03-03 10:00:00"
        );
        assert_eq!(ymd_hms("1772531200.x"), "none");
    }

    /// A date column Excel wrote as serial numbers (a text-typed or General
    /// cell): whole days and fractions of a day, in the plausible range only.
    #[test]
    fn excel_serial_dates() {
        assert_eq!(ymd_hms("45352"), "2024-03-01 00:00:00");
        assert_eq!(ymd_hms("45352.4375"), "2024-03-01 10:30:00");
        assert_eq!(ymd_hms("45352,75"), "2024-03-01 18:00:00");
        assert_eq!(ymd_hms(" 46082.99999999 "), "2026-03-02 00:00:00");
        assert_eq!(ymd_hms("20000"), "1954-10-03 00:00:00");
        assert_eq!(ymd_hms("80000"), "2119-01-11 00:00:00");
        for not_a_serial in [
            "19999", "80001", "4535", "453520", "-45352", "45352.", "4.5352e4",
        ] {
            assert_eq!(ymd_hms(not_a_serial), "none", "{not_a_serial}");
        }
    }

    #[test]
    fn invalid_dates_are_none() {
        for s in [
            "",
            "yesterday",
            "2026-13-01",
            "2026-02-30",
            "n/a",
            "32/32/32",
            "0",
        ] {
            assert_eq!(parse_date(s), None, "{s}");
        }
    }

    #[test]
    fn ratings() {
        assert_eq!(parse_rating("4"), Some(4.0));
        assert_eq!(parse_rating("4.5"), Some(4.5));
        assert_eq!(parse_rating("4,5"), Some(4.5));
        assert_eq!(parse_rating("4/5"), Some(4.0));
        assert_eq!(parse_rating("4 stars"), Some(4.0));
        assert_eq!(parse_rating("1 star"), Some(1.0));
        assert_eq!(parse_rating("3 out of 5"), Some(3.0));
        assert_eq!(parse_rating("★★★★☆"), Some(4.0));
        assert_eq!(parse_rating("0"), None);
        assert_eq!(parse_rating("6"), None);
        assert_eq!(parse_rating("8/10"), None);
        assert_eq!(parse_rating("great"), None);
        assert_eq!(parse_rating(""), None);
    }

    #[test]
    fn scores() {
        assert_eq!(parse_score("0"), Some(0.0));
        assert_eq!(parse_score("10"), Some(10.0));
        assert_eq!(parse_score("9/10"), Some(9.0));
        assert_eq!(parse_score("9 - Extremely likely"), Some(9.0));
        assert_eq!(parse_score("11"), None);
        assert_eq!(parse_score("-1"), None);
        assert_eq!(parse_score("nine"), None);
        assert_eq!(parse_score("NaN"), None);
    }

    #[test]
    fn satisfaction_labels() {
        assert_eq!(parse_satisfaction("Good"), Some(5.0));
        assert_eq!(parse_satisfaction("good with comment"), Some(5.0));
        assert_eq!(parse_satisfaction("Satisfied"), Some(5.0));
        assert_eq!(parse_satisfaction("Bad"), Some(1.0));
        assert_eq!(parse_satisfaction("unsatisfied"), Some(1.0));
        assert_eq!(parse_satisfaction("Very dissatisfied"), Some(1.0));
        assert_eq!(parse_satisfaction("offered"), None);
        assert_eq!(parse_satisfaction("unoffered"), None);
        assert_eq!(parse_satisfaction("4"), Some(4.0));
        assert_eq!(parse_satisfaction(""), None);
    }

    #[test]
    fn more_satisfaction_labels() {
        assert_eq!(parse_satisfaction("Extremely happy"), Some(5.0));
        assert_eq!(parse_satisfaction("Extremely unhappy"), Some(1.0));
        assert_eq!(parse_satisfaction("Awesome"), Some(5.0));
        assert_eq!(parse_satisfaction("Not Good"), Some(1.0));
        assert_eq!(parse_satisfaction("Just Okay"), Some(3.0));
        assert_eq!(parse_satisfaction("Not Offered"), None);
    }

    #[test]
    fn customer_keys_never_store_emails() {
        let hashed = email_key("jane@example.com");
        assert!(hashed.starts_with("e:"));
        assert_eq!(
            customer_key(Some(" ACME-42 "), Some("jane@example.com"), Some("Jane")),
            Some("ACME-42".into())
        );
        assert_eq!(
            customer_key(None, Some("Jane@Example.com"), Some("Jane")),
            Some(hashed.clone())
        );
        assert_eq!(
            customer_key(None, None, Some("Jane Doe <jane@example.com>")),
            Some(hashed.clone())
        );
        assert_eq!(
            customer_key(Some("jane@example.com"), None, None),
            Some(hashed)
        );
        assert_eq!(
            customer_key(None, Some("not an email"), Some("@jdoe")),
            Some("@jdoe".into())
        );
        assert_eq!(customer_key(Some("  "), None, None), None);
        // A telecom export keyed by phone number: hashed, never stored.
        let phone = customer_key(Some("+44 7700 900123"), None, None).unwrap();
        assert!(
            phone.starts_with("h:") && !phone.contains("7700"),
            "{phone}"
        );
    }

    #[test]
    fn placeholder_authors_are_no_customer_key() {
        assert_eq!(customer_key(None, None, Some("A Google user")), None);
        assert_eq!(
            customer_key(None, None, Some("Verified User in Germany")),
            None
        );
        assert_eq!(customer_key(None, None, Some("[deleted]")), None);
        // A placeholder id falls through to the email, then the name.
        assert_eq!(
            customer_key(Some("N/A"), Some("jane@example.com"), None),
            Some(email_key("jane@example.com"))
        );
        assert_eq!(
            customer_key(Some("unknown"), None, Some("Jane")),
            Some("Jane".into())
        );
    }

    #[test]
    fn decoding_falls_back_to_windows_1252() {
        let (s, fixed) = decode_bytes(b"caf\xe9 \x93quoted\x94");
        assert_eq!(s, "café “quoted”");
        assert!(fixed);
        let (s, fixed) = decode_bytes("café".as_bytes());
        assert_eq!(s, "café");
        assert!(!fixed);
    }

    #[test]
    fn decode_text_repairs_only_bad_lines() {
        let (s, lines) = decode_text(b"\xEF\xBB\xBFna\xc3\xafve\nna\xefve\nok");
        assert_eq!(s, "naïve\nnaïve\nok");
        assert_eq!(lines, vec![2]);
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("hé".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(decode_text(&utf16).0, "hé");
    }

    fn utf16(text: &str, le: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend_from_slice(if le { &[0xFF, 0xFE] } else { &[0xFE, 0xFF] });
        }
        for u in text.encode_utf16() {
            out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        out
    }

    #[test]
    fn files_in_every_encoding_decode_to_the_same_text() {
        let text = "id,comment\r\n1,Très bien “merci”\r\n2,Ça marche\r\n";
        let cases: Vec<(Vec<u8>, Encoding)> = vec![
            (text.as_bytes().to_vec(), Encoding::Utf8),
            (
                [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
                Encoding::Utf8Bom,
            ),
            (utf16(text, true, true), Encoding::Utf16LeBom),
            (utf16(text, false, true), Encoding::Utf16BeBom),
            (utf16(text, true, false), Encoding::Utf16Le),
            (utf16(text, false, false), Encoding::Utf16Be),
            (
                WINDOWS_1252.encode(text).0.into_owned(),
                Encoding::Windows1252,
            ),
        ];
        for (bytes, expected) in cases {
            let (out, enc) = decode_file(&bytes);
            assert_eq!(enc, expected);
            assert_eq!(std::str::from_utf8(&out).unwrap(), text, "{expected:?}");
        }
    }

    /// The encoding is decided from every byte of the file, the same way
    /// whether it is read whole or scanned in chunks for streaming: an
    /// accent first met far past the head (and past a chunk boundary)
    /// still makes a Windows-1252 file, and UTF-8 stays UTF-8.
    #[test]
    fn a_late_first_accent_decides_the_whole_file() {
        let mut ascii = String::from("respondent,nps,comment\r\n");
        for i in 0..12_000 {
            ascii.push_str(&format!(
                "R{i},9,Setup was quick and the reports load fast\r\n"
            ));
        }
        assert!(ascii.len() > 300 << 10);
        let late = "R12000,3,Le caf\u{e9} \u{2013} d\u{e9}lai trop long\r\nR12001,8,ok\r\n";
        let text = format!("{ascii}{late}");
        let utf8 = text.as_bytes().to_vec();
        let bom = [b"\xEF\xBB\xBF".as_slice(), &utf8].concat();
        let cp1252 = WINDOWS_1252.encode(&text).0.into_owned();
        for (bytes, expected) in [
            (&utf8, Encoding::Utf8),
            (&bom, Encoding::Utf8Bom),
            (&cp1252, Encoding::Windows1252),
        ] {
            let scan = scan_encoding(&mut &bytes[..]).unwrap();
            assert_eq!(scan.encoding, expected);
            if expected != Encoding::Utf8Bom {
                assert_eq!(scan.first_non_ascii_line, 12_002, "{expected:?}");
            }
            let (out, enc) = decode_file(bytes);
            assert_eq!(enc, expected);
            assert_eq!(std::str::from_utf8(&out).unwrap(), text, "{expected:?}");
        }
    }

    #[test]
    fn one_bad_line_in_utf8_is_left_for_line_repair() {
        // Valid multi-byte UTF-8 elsewhere: not a single-byte file.
        let b = "naïve\n"
            .as_bytes()
            .iter()
            .chain(b"caf\xe9\nna\xefve\n")
            .copied();
        let b: Vec<u8> = b.collect();
        assert_eq!(decode_file(&b).1, Encoding::Utf8);
        // ASCII with a single bad line and no UTF-8 text anywhere: a
        // Windows-1252 file whose first accent comes late, read whole as such.
        assert_eq!(decode_file(b"ok\ncaf\xe9\nok\n").1, Encoding::Windows1252);
        // A short ASCII file is not mistaken for UTF-16.
        assert_eq!(decode_file(b"ab").1, Encoding::Utf8);
        assert_eq!(decode_file(b"").1, Encoding::Utf8);
    }
}
