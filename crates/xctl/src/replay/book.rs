//! `xctl replay book`: a recorded depth snapshot plus a recorded diff-depth stream (one frame
//! per line, raw or in the combined-stream envelope) through the adapter's own
//! [`BookSync`], offline.
//!
//! The snapshot is handed to the sequencer first, then every frame in file order: the
//! procedure's own rules drop the frames the snapshot already covers (`u <= lastUpdateId` on
//! spot, `u < lastUpdateId` on USD-M), prove the first one that continues it, and check
//! continuity from there on, exactly as with live data.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use exchange_core::adapters::binance::parse::depth::DepthSnapshot;
use exchange_core::adapters::binance::parse::frame::{MarketEvent, parse_market_frame};
use exchange_core::adapters::binance::symbols::guess_symbol;
use exchange_core::adapters::binance::{BookSync, Product};
use exchange_core::model::Symbol;

use super::report::BookReport;
use crate::output::Format;

/// Venues whose captures `replay book` understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Venue {
    /// Binance spot (`/api/v3/depth` + `<symbol>@depth[@100ms]`).
    Binance,
    /// Binance USD-M futures (`/fapi/v1/depth` + `<symbol>@depth[@100ms]` with `pu`).
    BinanceUsdm,
    /// Kraken spot (a WebSocket v2 `book` stream, its snapshot frame first; no `--snapshot`).
    Kraken,
    /// Coinbase Advanced Trade (a `level2` stream, its `l2_data` snapshot first; no
    /// `--snapshot`).
    Coinbase,
}

impl Venue {
    fn product(self) -> Option<Product> {
        match self {
            Venue::Binance => Some(Product::Spot),
            Venue::BinanceUsdm => Some(Product::UsdM),
            Venue::Kraken | Venue::Coinbase => None,
        }
    }
}

/// Arguments of `xctl replay book`.
#[derive(Debug, Args)]
pub struct BookArgs {
    /// Venue the capture comes from.
    #[arg(long, value_enum)]
    venue: Venue,
    /// REST depth snapshot body (JSON); Binance only.
    #[arg(long)]
    pub(super) snapshot: Option<PathBuf>,
    /// Recorded stream: one frame per line, raw or `{"stream":…,"data":…}`.
    #[arg(long)]
    pub(super) updates: PathBuf,
    /// How many levels per side to print.
    #[arg(long, default_value_t = 10)]
    pub(super) top: usize,
    /// The subscribed book depth of a Kraken capture (10, 25, 100, 500, 1000).
    #[arg(long, default_value_t = 10)]
    pub(super) depth: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub(super) format: Format,
    /// Unified symbol (`LRC/BTC`), when it cannot be told from the venue id; for Coinbase, the
    /// product to replay from a capture of several.
    #[arg(long)]
    pub(super) symbol: Option<Symbol>,
}

/// Runs `xctl replay book`.
pub fn run(args: BookArgs) -> anyhow::Result<()> {
    if args.venue == Venue::Kraken {
        return super::kraken::run(&args);
    }
    if args.venue == Venue::Coinbase {
        return super::coinbase::run(&args);
    }
    let snapshot = args
        .snapshot
        .as_ref()
        .context("--snapshot is required for Binance captures")?;
    let snapshot_text = read(snapshot, "snapshot")?;
    let updates_text = read(&args.updates, "updates")?;
    let report = replay(&args, &snapshot_text, &updates_text)?;
    match args.format {
        Format::Json => println!("{}", serde_json::to_string(&report)?),
        Format::Human => print!("{}", report.to_human()),
    }
    Ok(())
}

pub(super) fn read(path: &Path, what: &str) -> anyhow::Result<String> {
    std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the {what} file {}", path.display()))
}

fn replay(args: &BookArgs, snapshot_text: &str, updates_text: &str) -> anyhow::Result<BookReport> {
    let product = args.venue.product().context("not a Binance venue")?;
    let snapshot: DepthSnapshot = serde_json::from_str(snapshot_text).with_context(|| {
        format!(
            "{} is not a depth snapshot ({{\"lastUpdateId\",\"bids\",\"asks\"}})",
            args.snapshot.as_deref().unwrap_or(Path::new("-")).display()
        )
    })?;
    let mut sync: Option<BookSync> = None;
    let mut pending_snapshot = Some(snapshot);
    let mut venue_id = String::new();
    let mut ignored = 0u64;
    for (index, line) in updates_text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let frame = parse_market_frame(line)
            .with_context(|| format!("{} line {}", args.updates.display(), index + 1))?;
        let MarketEvent::Depth(update) = frame.event else {
            ignored += 1;
            continue;
        };
        let sync = match &mut sync {
            Some(sync) if update.symbol == venue_id => sync,
            Some(_) => {
                ignored += 1;
                continue;
            }
            None => {
                venue_id = update.symbol.clone();
                let symbol = unified_symbol(args, product, &venue_id)?;
                sync.insert(BookSync::new(symbol, product))
            }
        };
        if let Some(snapshot) = pending_snapshot.take() {
            sync.on_snapshot(snapshot, 0);
        }
        sync.on_update(update, 0);
    }
    let Some(sync) = sync else {
        bail!(
            "{} holds no depthUpdate frames to replay",
            args.updates.display()
        );
    };
    Ok(BookReport::new(
        args.venue
            .to_possible_value()
            .map(|v| v.get_name().to_owned())
            .unwrap_or_default(),
        venue_id,
        &sync,
        ignored,
        args.top,
    ))
}

fn unified_symbol(args: &BookArgs, product: Product, venue_id: &str) -> anyhow::Result<Symbol> {
    if let Some(symbol) = &args.symbol {
        return Ok(symbol.clone());
    }
    guess_symbol(product, venue_id).with_context(|| {
        format!("cannot tell the base and quote assets of {venue_id}; pass --symbol BASE/QUOTE")
    })
}
