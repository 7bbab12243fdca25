//! The `cairn` binary: parse arguments, run the command, print the error
//! chain, exit with the command's status.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cairn::cli::Args::parse();
    match cairn::cli::run(args) {
        Ok(status) => ExitCode::from(status.code()),
        Err(err) => {
            eprintln!("cairn: error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(cairn::cli::Status::Error.code())
        }
    }
}
