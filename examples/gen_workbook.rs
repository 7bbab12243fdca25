//! Writes a large survey workbook for the spreadsheet reader's speed and
//! memory figures (docs/BENCHMARKS.md): one sheet of `respondent,
//! customer_id, date, score, comment` rows, the comment 25 words drawn from
//! a fixed pool. Deterministic for a given row count. Never commit the
//! output.
//!
//! ```sh
//! cargo run --release --example gen_workbook -- 20000 /tmp/big.xlsx
//! ```

use cairn::stats::SplitMix64;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

const WORDS: [&str; 14] = [
    "billing",
    "export",
    "sync",
    "invoice",
    "slow",
    "crash",
    "love",
    "hate",
    "support",
    "refund",
    "price",
    "dashboard",
    "bank",
    "report",
];

fn main() -> Result<(), XlsxError> {
    let args: Vec<String> = std::env::args().collect();
    let rows: u32 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(20_000);
    let out = args.get(2).map_or("big.xlsx", String::as_str);
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let sheet = book.add_worksheet();
    sheet.set_name("Responses")?;
    for (c, h) in ["respondent", "customer_id", "date", "score", "comment"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h)?;
    }
    let mut rng = SplitMix64::new(1);
    for i in 0..rows {
        let r = i + 1;
        sheet.write_number(r, 0, f64::from(i))?;
        sheet.write_string(r, 1, format!("C{:04}", i % 500))?;
        let day = ExcelDateTime::from_ymd(2026, 1 + (i % 3) as u8, 1 + (i % 28) as u8)?;
        sheet.write_datetime_with_format(r, 2, &day, &date)?;
        sheet.write_number(r, 3, f64::from(i % 11))?;
        let words: Vec<&str> = (0..25).map(|_| WORDS[rng.below(WORDS.len())]).collect();
        sheet.write_string(r, 4, format!("{}.", words.join(" ")))?;
    }
    book.save(out)
}
