//! Word `.docx` transcripts (a zip of XML).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = cairn::ingest::parse_bytes("interview.docx", data);
});
