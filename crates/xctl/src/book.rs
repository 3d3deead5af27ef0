//! `xctl book <venue> <symbol>`: keep a live book from the bus (`bus::BookConsumer`: KV
//! `md_books` snapshot plus `md.<venue>.book.<symbol>` deltas) and redraw its top levels.
//!
//! The screen is redrawn at most every `--refresh-ms`; a book that is not proven (a gap, a stale
//! publisher) is shown as such, never as good. `--once` prints the first synced book and exits
//! (for scripts).

use std::time::{Duration, Instant};

use bus::{BookChange, BookConsumer, BookConsumerConfig};
use clap::Args;
use exchange_core::model::{Level, Symbol};

use crate::nats_args::{NatsArgs, ctrl_c, runtime};

/// Arguments of `xctl book`.
#[derive(Debug, Args)]
pub struct BookArgs {
    /// Venue token (`binance`).
    pub venue: String,
    /// Unified symbol (`BTC/USDT`, `BTC/USDT:USDT`).
    pub symbol: String,
    /// Levels per side to draw.
    #[arg(long, default_value_t = 10)]
    pub depth: usize,
    /// Smallest interval between redraws, ms.
    #[arg(long, default_value_t = 200)]
    pub refresh_ms: u64,
    /// Print the first synced book and exit.
    #[arg(long)]
    pub once: bool,
    #[command(flatten)]
    pub nats: NatsArgs,
}

/// Runs `xctl book`.
pub fn run(args: BookArgs) -> anyhow::Result<()> {
    runtime()?.block_on(book(args))
}

async fn book(args: BookArgs) -> anyhow::Result<()> {
    let symbol: Symbol = args
        .symbol
        .parse()
        .map_err(|e| anyhow::anyhow!("bad symbol {:?}: {e}", args.symbol))?;
    let client = args.nats.connect().await?;
    let subscribe = || async {
        BookConsumer::subscribe(&client, &args.venue, &symbol, BookConsumerConfig::default())
            .await
            .map_err(|e| anyhow::anyhow!("{e} (is the market-data-gateway running?)"))
    };
    let mut consumer = subscribe().await?;
    let stop = ctrl_c();
    let refresh = Duration::from_millis(args.refresh_ms);
    let mut last_draw: Option<Instant> = None;
    let mut note = "waiting for the first snapshot".to_owned();
    let interactive = !args.once;
    if interactive {
        draw(&consumer, &args, &note);
    }
    loop {
        let change = tokio::select! {
            () = stop.cancelled() => break,
            change = consumer.next() => change,
        };
        let change = match change {
            Ok(change) => change,
            Err(e) => {
                // The subscription or KV watch ended (NATS went away for good, a bucket was
                // removed): start over with a fresh consumer, as any consumer should.
                note = format!("{e}; resubscribing");
                if interactive {
                    draw(&consumer, &args, &note);
                }
                tokio::select! {
                    () = stop.cancelled() => break,
                    () = tokio::time::sleep(Duration::from_secs(1)) => {}
                }
                match subscribe().await {
                    Ok(fresh) => consumer = fresh,
                    Err(e) => note = e.to_string(),
                }
                continue;
            }
        };
        match change {
            BookChange::Synced { .. } => note = "synced".into(),
            BookChange::Updated { .. } => {}
            BookChange::Invalidated(reason) => note = format!("not proven: {reason}; resyncing"),
            BookChange::AwaitingSnapshot { offered, wanted } => {
                note = format!("waiting for a snapshot at seq >= {wanted} (offered {offered})")
            }
        }
        if args.once && consumer.is_live() {
            print!("{}", render(&consumer, &args, "synced"));
            break;
        }
        let due = last_draw.is_none_or(|t| t.elapsed() >= refresh);
        let invalid = !consumer.is_live();
        if interactive && (due || invalid) {
            draw(&consumer, &args, &note);
            last_draw = Some(Instant::now());
        }
    }
    let _ = consumer.close().await;
    Ok(())
}

fn draw(consumer: &BookConsumer, args: &BookArgs, note: &str) {
    // Clear the screen and go home, then draw.
    print!("\x1b[H\x1b[2J{}", render(consumer, args, note));
}

fn render(consumer: &BookConsumer, args: &BookArgs, note: &str) -> String {
    let (bids, asks) = consumer.book().top_n(args.depth);
    let state = if consumer.is_live() {
        "LIVE"
    } else {
        "NOT PROVEN"
    };
    let seq = consumer
        .seq()
        .map_or_else(|| "-".to_owned(), |s| s.to_string());
    let stats = consumer.stats();
    let mut out = format!(
        "{} {}  {state}  seq {seq}  ({note})\nresets {}  invalidations {}  bad messages {}\n\n",
        args.venue,
        args.symbol,
        stats.resets,
        stats.invalidations,
        consumer.bad_messages()
    );
    out.push_str(&format!("{:>20} {:>20}\n", "price", "quantity"));
    for level in asks.iter().rev() {
        out.push_str(&line("ask", level));
    }
    out.push_str(&format!("{:-^42}\n", spread(&bids, &asks)));
    for level in &bids {
        out.push_str(&line("bid", level));
    }
    out
}

fn line(side: &str, level: &Level) -> String {
    format!("{:>20} {:>20}  {side}\n", level.price, level.qty)
}

fn spread(bids: &[Level], asks: &[Level]) -> String {
    match (bids.first(), asks.first()) {
        (Some(b), Some(a)) => format!(" spread {} ", a.price - b.price),
        _ => String::new(),
    }
}
