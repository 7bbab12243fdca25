//! Property tests for the readers: no input makes one panic, whether bytes
//! are random or stitched from the pieces that trip parsers up.

use cairn::ingest::parse_bytes;
use proptest::prelude::*;

const HINTS: [&str; 9] = [
    "f.txt", "f.vtt", "f.srt", "f.md", "f.csv", "f.tsv", "f.json", "f.jsonl", "f.docx",
];

/// Fragments of every format, so random strings reach deep parser states.
const PIECES: &[&str] = &[
    "\"",
    ",",
    ";",
    "\t",
    "\n",
    "\r\n",
    "\r",
    ":",
    "[",
    "]",
    "{",
    "}",
    "\"text\": \"",
    "\"id\": 1, ",
    "<v Ann>",
    "</v>",
    "-->",
    "00:00:01.000",
    "00:01,5",
    "Ann: ",
    "> ",
    "- ",
    "---\n",
    "# ",
    "WEBVTT\n\n",
    "NOTE ",
    "1\n",
    "id,body,rating\n",
    "é",
    "\u{feff}",
    "\\",
    "  ",
    "123",
    "null",
    "\"requester_id\": 7, ",
    "\"conversation_parts\": [",
    "\"kind\": \"Listing\", \"data\": {\"children\": [",
    "\"author_id\": \"1\", ",
    "Respondent ID,Collector ID,Q\n",
    ",,Open-Ended Response\n",
    "<p>",
    "\0",
    "\u{2028}",
    "2026-03-01T10:15:00Z",
    "★★★☆☆",
    "x@y.co",
];

fn stitched() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(prop::sample::select(PIECES), 0..80).prop_map(|v| v.concat().into_bytes())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn readers_never_panic_on_random_bytes(
        bytes in prop::collection::vec(any::<u8>(), 0..4096),
        hint in prop::sample::select(&HINTS[..]),
    ) {
        let _ = parse_bytes(hint, &bytes);
    }

    #[test]
    fn readers_never_panic_on_stitched_text(
        bytes in stitched(),
        hint in prop::sample::select(&HINTS[..]),
    ) {
        let _ = parse_bytes(hint, &bytes);
    }

    /// UTF-16 and a stray Windows-1252 byte go through the file decoder first.
    #[test]
    fn readers_never_panic_on_re_encoded_text(
        bytes in stitched(),
        hint in prop::sample::select(&HINTS[..8]),
        utf16 in any::<bool>(),
    ) {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let encoded: Vec<u8> = if utf16 {
            [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect()
        } else {
            text.into_bytes().into_iter().map(|b| if b == b'e' { 0xE9 } else { b }).collect()
        };
        let _ = parse_bytes(hint, &encoded);
    }
}
