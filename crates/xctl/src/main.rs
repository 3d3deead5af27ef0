//! `xctl`: the command-line client of the exchange gateway.
//!
//! One module per command family; each parses its own arguments (clap derive) and returns an
//! `anyhow::Result`, so that every failure ends as a one-line message and a non-zero exit code,
//! never a panic.
//!
//! - `xctl replay book`: replay a recorded depth snapshot and diff stream through an adapter's
//!   own book-sync code, offline ([`replay`]).
//! - `xctl tail <pattern>`: decode and print bus messages ([`tail`]).
//! - `xctl book <venue> <symbol>`: a live book from the bus ([`book`]).
//! - `xctl order place|cancel|cancel-all|status`: order commands and records ([`order`]).
//! - `xctl bench md|orders`: the market-data and order paths beside raw NATS ([`bench`]).

mod bench;
mod book;
mod nats_args;
mod order;
mod output;
mod replay;
mod tail;

use clap::{Parser, Subcommand};

/// mimalloc's per-thread caches: every market-data message allocates and frees on several
/// threads, where glibc malloc showed up as ~17 % of the samples and its arena locks as
/// wake-ups (docs/benchmarks.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Decode and print bus messages of a subject pattern.
    Tail(tail::TailArgs),
    /// Keep a live order book from the bus and draw its top levels.
    Book(book::BookArgs),
    /// Place and cancel orders through the order-gateway; read an order's record.
    Order(order::OrderArgs),
    /// Benchmarks (`xctl bench md`, `xctl bench orders`).
    Bench(bench::BenchArgs),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Replay(args) => replay::run(args),
        Command::Tail(args) => tail::run(args),
        Command::Book(args) => book::run(args),
        Command::Order(args) => order::run(args),
        Command::Bench(args) => bench::run(args),
    }
}
