//! `xctl`: the command-line client of the exchange gateway.
//!
//! One module per command family; each parses its own arguments (clap derive) and returns an
//! `anyhow::Result`, so that every failure ends as a one-line message and a non-zero exit code,
//! never a panic.
//!
//! - `xctl replay book`: replay a recorded depth snapshot and diff stream through an adapter's
//!   own book-sync code, offline ([`replay`]).

mod output;
mod replay;

use clap::{Parser, Subcommand};

/// Command-line client of the exchange gateway.
#[derive(Debug, Parser)]
#[command(name = "xctl", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Replay recorded venue captures through the adapters' own code, offline.
    Replay(replay::ReplayArgs),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Replay(args) => replay::run(args),
    }
}
