//! JSON exports (generic arrays and the vendors' API JSON) and JSON Lines
//! (the first byte picks which).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let hint = if pick % 2 == 0 { "export.json" } else { "mentions.jsonl" };
    let _ = cairn::ingest::parse_bytes(hint, rest);
});
