//! Transcripts: `.txt`, `.vtt` and `.srt` (the first byte picks which).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let hint = ["f.txt", "f.vtt", "f.srt"][usize::from(pick % 3)];
    let _ = cairn::ingest::parse_bytes(hint, rest);
});
