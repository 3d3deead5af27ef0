//! `xctl replay book --venue kraken`: a recorded WebSocket v2 `book` stream (JSON Lines, the
//! snapshot frame first) through the adapter's own [`KrakenBook`](exchange_core::adapters::kraken::KrakenBook),
//! offline, verifying every checksum at the subscribed `--depth`.
//!
//! Kraken's book needs no REST snapshot: the stream's own `snapshot` frame starts it, and after
//! a checksum mismatch the book waits for the next snapshot in the capture, as the live driver
//! does after resubscribing.

use std::fmt::Write as _;

use anyhow::Context;
use exchange_core::adapters::kraken::book::{ReplayReport, replay};

use super::book::{BookArgs, read};
use crate::output::Format;

/// Runs the Kraken replay of `args`.
pub fn run(args: &BookArgs) -> anyhow::Result<()> {
    if args.snapshot.is_some() {
        anyhow::bail!(
            "kraken captures carry their own snapshot frame; give only --updates (and --depth)"
        );
    }
    let text = read(&args.updates, "updates")?;
    let report = replay(args.depth, args.top, text.lines())
        .with_context(|| format!("cannot replay {}", args.updates.display()))?;
    match args.format {
        Format::Json => println!("{}", serde_json::to_string(&report)?),
        Format::Human => print!("{}", to_human(&report)),
    }
    Ok(())
}

/// An aligned table for people.
fn to_human(r: &ReplayReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "venue              {}", r.venue);
    let _ = writeln!(
        out,
        "symbol             {} ({})",
        r.symbol, r.unified_symbol
    );
    let _ = writeln!(out, "depth              {}", r.depth);
    let _ = writeln!(out, "state              {}", r.state);
    let _ = writeln!(
        out,
        "applied            {} ({} snapshots)",
        r.applied, r.snapshots
    );
    let _ = writeln!(out, "checksum_failures  {}", r.checksum_failures);
    let _ = writeln!(out, "dropped            {}", r.dropped);
    let _ = writeln!(out, "ignored            {}", r.ignored);
    let _ = writeln!(
        out,
        "levels             {} bids, {} asks",
        r.levels.bids, r.levels.asks
    );
    let header = format!(
        "{:>20} {:>20} | {:<20} {}",
        "bid qty", "bid", "ask", "ask qty"
    );
    let _ = writeln!(out, "{header}");
    for i in 0..r.bids.len().max(r.asks.len()) {
        let side = |levels: &[[String; 2]]| levels.get(i).cloned().unwrap_or_default();
        let [bid, bid_qty] = side(&r.bids);
        let [ask, ask_qty] = side(&r.asks);
        let row = format!("{bid_qty:>20} {bid:>20} | {ask:<20} {ask_qty}");
        let _ = writeln!(out, "{}", row.trim_end());
    }
    out
}
