//! CSV and TSV exports (the first byte picks which), read whole and
//! streamed with tiny buffers.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let hint = if pick % 2 == 0 { "tickets.csv" } else { "reviews.tsv" };
    let _ = cairn::ingest::parse_bytes(hint, rest);
});
