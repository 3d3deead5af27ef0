//! `xctl tail <subject-pattern>`: decode and print bus messages as they arrive.
//!
//! Each message is decoded by what its subject names (`md.*.trade.*` → `TradeMsg`,
//! `md.*.book.*` → `BookEvent`, `orders.evt.*.*` → `OrderEvent`, ...) and by its `Content-Type`
//! header; `--json` prints one JSON object per line (`{"subject":..,"payload":..}`), the default
//! a short human line. Undecodable messages are printed as such and counted, never fatal.

mod decode;

use clap::Args;
use futures_util::StreamExt;

use crate::nats_args::{NatsArgs, ctrl_c, runtime};

/// Arguments of `xctl tail`.
#[derive(Debug, Args)]
pub struct TailArgs {
    /// Subject or wildcard pattern: `md.binance.book.BTC-USDT`, `md.*.trade.>`, `orders.evt.>`.
    pub subject: String,
    /// One JSON object per line instead of human-readable lines.
    #[arg(long)]
    pub json: bool,
    /// Stop after this many messages.
    #[arg(long)]
    pub count: Option<u64>,
    #[command(flatten)]
    pub nats: NatsArgs,
}

/// Runs `xctl tail`.
pub fn run(args: TailArgs) -> anyhow::Result<()> {
    runtime()?.block_on(tail(args))
}

async fn tail(args: TailArgs) -> anyhow::Result<()> {
    let client = args.nats.connect().await?;
    let mut sub = client
        .subscribe(args.subject.clone())
        .await
        .map_err(|e| anyhow::anyhow!("cannot subscribe to {}: {e}", args.subject))?;
    let stop = ctrl_c();
    let mut seen = 0u64;
    let mut bad = 0u64;
    loop {
        let message = tokio::select! {
            () = stop.cancelled() => break,
            m = sub.next() => match m { Some(m) => m, None => break },
        };
        let decoded = decode::decode(&message);
        if decoded.is_err() {
            bad += 1;
        }
        println!("{}", decode::render(&message.subject, &decoded, args.json));
        seen += 1;
        if args.count.is_some_and(|n| seen >= n) {
            break;
        }
    }
    if bad > 0 {
        eprintln!("{seen} messages, {bad} undecodable");
    }
    Ok(())
}
