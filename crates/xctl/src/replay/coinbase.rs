//! `xctl replay book --venue coinbase`: a recorded `level2` WebSocket stream (JSON Lines, as
//! received: `l2_data` snapshot then updates, other channels and acks mixed in) through the
//! adapter's own [`Level2Feed`](exchange_core::adapters::coinbase::book::Level2Feed), offline,
//! checking the connection's `sequence_num` on every message.
//!
//! Coinbase's book needs no REST snapshot: the stream's own `snapshot` event starts it; after a
//! `sequence_num` gap the book is stale until the next snapshot in the capture, as the live
//! driver is until its resubscription's snapshot arrives.

use anyhow::Context;
use exchange_core::adapters::coinbase::book::replay;
use exchange_core::adapters::coinbase::symbols::to_product_id;

use super::book::{BookArgs, read};
use crate::output::Format;

/// Runs the Coinbase replay of `args`.
pub fn run(args: &BookArgs) -> anyhow::Result<()> {
    if args.snapshot.is_some() {
        anyhow::bail!(
            "coinbase captures carry their own l2_data snapshot; give only --updates (and --symbol \
             to pick one product of a multi-product capture)"
        );
    }
    let product = args
        .symbol
        .as_ref()
        .map(to_product_id)
        .transpose()
        .context("--symbol has no Coinbase product id")?;
    let text = read(&args.updates, "updates")?;
    let report = replay(&text, product.as_deref(), args.top)
        .with_context(|| format!("cannot replay {}", args.updates.display()))?;
    match args.format {
        Format::Json => println!("{}", serde_json::to_string(&report)?),
        Format::Human => print!("{}", report.to_human()),
    }
    Ok(())
}
