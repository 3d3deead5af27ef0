//! `xctl bench md`: the market-data path under load, beside raw NATS, in one run.
//!
//! 1. **Gateway**: venue-sim (in-process, real sockets) runs its order flow at `--steps-per-sec`
//!    on spot; the market-data-gateway (in-process, the same `Gateway` the binary runs) publishes
//!    trades and books of `--symbols`; a plain NATS subscriber on `md.binance.>` counts messages
//!    and takes, for every trade and book delta, the latency from the adapter's receive time of
//!    the venue frame (`local_ts_ns`) to the subscriber (HDR histogram).
//! 2. **Raw NATS**: one client publishes payloads of the gateway phase's mean size as fast as it
//!    can, another subscribes; same measurements (a timestamp in the first 8 bytes).
//! 3. **Raw NATS, paced**: the same at the gateway phase's rate, for a latency baseline (at full
//!    speed raw latency is only queueing).
//!
//! The report gives the sustained rates, their ratio and p50/p99/p99.9 latencies, as a table
//! or `--format json`. Without `--nats`, a private nats-server is started (JetStream in a temp
//! dir, a free port) and stopped at the end.
//!
//! `xctl bench orders` ([`orders`]) measures the order path the same way: command → `accepted`
//! and command → `filled` latencies beside a raw JetStream round trip in the same run.

mod gateway;
mod local_nats;
mod orders;
mod raw;
mod replay;
mod report;

use std::time::Duration;

use clap::{Args, Subcommand, ValueEnum};

use crate::nats_args::runtime;
use crate::output::Format;

/// Arguments of `xctl bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    #[command(subcommand)]
    pub what: BenchCommand,
}

/// What to benchmark.
#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// venue-sim → market-data-gateway → NATS → subscriber, beside raw NATS.
    Md(MdArgs),
    /// Order command → accepted / filled event latency, beside a raw JetStream round trip.
    Orders(orders::OrdersArgs),
}

/// Where phase 1's venue frames come from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum Source {
    /// venue-sim's order flow and matching engine (`--steps-per-sec`).
    #[default]
    Sim,
    /// Synthetic Binance frames from a thin local server (`--frames-per-sec`), so that the
    /// gateway, not the source, is what is measured.
    Replay,
}

/// Arguments of `xctl bench md`.
#[derive(Debug, Args)]
pub struct MdArgs {
    /// Seconds each phase measures (after a warm-up of one second).
    #[arg(long, default_value_t = 10)]
    pub seconds: u64,
    /// venue-sim order-flow steps per second (each market of spot); each step is an order, a
    /// cancel or a market order, producing trades and book changes.
    #[arg(long, default_value_t = 20_000)]
    pub steps_per_sec: u64,
    /// Where the venue frames come from.
    #[arg(long, value_enum, default_value_t)]
    pub source: Source,
    /// With `--source replay`: frames per second (half trades, half depth updates, round-robin
    /// over the symbols); 0 sends as fast as the socket takes them.
    #[arg(long, default_value_t = 100_000)]
    pub frames_per_sec: u64,
    /// venue-sim's depth tick, ms (the `@100ms` depth stream publishes at this period).
    #[arg(long, default_value_t = 100)]
    pub tick_ms: u64,
    /// Spot symbols whose trades and books the gateway publishes.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "BTC/USDT,ETH/USDT,ETH/BTC"
    )]
    pub symbols: Vec<String>,
    /// An existing NATS server; default: start a private one (needs `nats-server` on PATH).
    #[arg(long)]
    pub nats: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// Runs `xctl bench`.
pub fn run(args: BenchArgs) -> anyhow::Result<()> {
    match args.what {
        BenchCommand::Md(args) => runtime()?.block_on(md(args)),
        BenchCommand::Orders(args) => runtime()?.block_on(orders::run(args)),
    }
}

async fn md(args: MdArgs) -> anyhow::Result<()> {
    let server = match &args.nats {
        Some(_) => None,
        None => Some(local_nats::LocalNats::start().await?),
    };
    let url = match (&args.nats, &server) {
        (Some(url), _) => url.clone(),
        (None, Some(s)) => s.url(),
        (None, None) => unreachable_url(),
    };
    let measure = Duration::from_secs(args.seconds.max(1));
    let source = match args.source {
        Source::Sim => "venue-sim",
        Source::Replay => "replay venue",
    };
    eprintln!("phase 1: {source} -> market-data-gateway -> NATS -> subscriber ({measure:?})");
    let gateway = gateway::run(&args, &url, measure).await?;
    let size = gateway.mean_payload_bytes().max(8);
    eprintln!(
        "phase 2: raw NATS publish -> subscribe of {size}-byte payloads, full speed ({measure:?})"
    );
    let raw = raw::run(&url, size, measure, None).await?;
    let pace = gateway.rate();
    eprintln!("phase 3: raw NATS at the gateway's rate, {pace:.0} msgs/s ({measure:?})");
    let paced = raw::run(&url, size, measure, Some(pace)).await?;
    let report = report::Report::new(&args, gateway, raw, paced);
    match args.format {
        Format::Human => print!("{}", report.human()),
        Format::Json => println!("{}", report.json()),
    }
    if let Some(server) = server {
        server.stop().await;
    }
    Ok(())
}

fn unreachable_url() -> String {
    "nats://127.0.0.1:4222".to_owned()
}
