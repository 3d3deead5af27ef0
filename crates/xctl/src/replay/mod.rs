//! `xctl replay …`: feed recorded venue captures through the adapters' own protocol code.

mod book;
mod coinbase;
mod kraken;
mod report;

use clap::{Args, Subcommand};

/// Arguments of `xctl replay`.
#[derive(Debug, Args)]
pub struct ReplayArgs {
    #[command(subcommand)]
    target: ReplayTarget,
}

#[derive(Debug, Subcommand)]
enum ReplayTarget {
    /// Replay a depth snapshot and a recorded diff-depth stream (Binance), or a recorded v2
    /// `book` stream (Kraken) or `level2` stream (Coinbase), through the venue's book sync and
    /// print the resulting book.
    Book(book::BookArgs),
}

/// Runs `xctl replay`.
pub fn run(args: ReplayArgs) -> anyhow::Result<()> {
    match args.target {
        ReplayTarget::Book(args) => book::run(args),
    }
}
