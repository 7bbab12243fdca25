//! Helpers for driving the real `cairn` binary in temp dirs.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Every file `cairn run` writes, in a stable order (written out here, not
/// taken from the code under test).
pub const OUTPUTS: [&str; 7] = [
    "README.md",
    "pain-points.md",
    "segments.md",
    "empathy-maps.md",
    "journey-map.md",
    "accounts-at-risk.md",
    "manifest.json",
];

/// The repository root (where `corpus/` and `reports/` live).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Run cairn with `args` in `dir`. A `run` that writes its reports with
/// `--out DIR` and names no theme file keeps its theme file beside DIR, so
/// tests that run the sample study from the repository never share one.
pub fn cairn(dir: &Path, args: &[&str]) -> Output {
    let mut args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    if args.first().map(String::as_str) == Some("run") && !args.iter().any(|a| a == "--themes-file")
    {
        if let Some(out) = args
            .iter()
            .position(|a| a == "--out")
            .and_then(|i| args.get(i + 1))
        {
            let themes = Path::new(out).join("..").join("themes.toml");
            args.extend([
                "--themes-file".to_string(),
                themes.to_string_lossy().into_owned(),
            ]);
        }
    }
    Command::new(env!("CARGO_BIN_EXE_cairn"))
        .args(&args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        // The figures these tests pin are the lexicon engine's (the one a
        // fresh clone runs); tests of the neural engine pass --engine.
        .env("CAIRN_ENGINE", "lexicon")
        .output()
        .expect("the cairn binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Run the sample study into `tmp` (index and reports there), from the repo
/// root so citations read `corpus/...` as in the committed reports.
pub fn run_sample(tmp: &Path) -> Output {
    let index = tmp.join("index");
    let out = tmp.join("reports");
    cairn(
        &repo(),
        &[
            "run",
            "--index",
            index.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    )
}

pub fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}
