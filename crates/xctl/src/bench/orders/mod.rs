//! `xctl bench orders`: the order path's latency beside a raw JetStream round trip, in one run.
//!
//! venue-sim (in-process, real sockets, quiet) and the order-gateway (in-process, the same code
//! as its binary) on a private nats-server (or `--nats`). A plain NATS subscriber of
//! `orders.evt.binance.main` takes every event. Three phases of `--orders` messages each, sent
//! one after another at `--rate` per second, each command stamped (`sent_ts_ns`) just before
//! its publish:
//!
//! 1. **raw JetStream** ([`baseline`]): a publish with `Nats-Msg-Id` and an awaited ack, of a
//!    payload the size of an order command, to a pull consumer on a stream of its own;
//! 2. **command → accepted**: resting limit buys (10 % under the best bid); the latency is
//!    from the command's send time to its `accepted` event at the subscriber;
//! 3. **command → filled**: resting buys are placed first (one tick over the best bid, one per
//!    ten takers, unmeasured), then marketable sells (market, IOC) that each fill against them;
//!    the latency is from the command's send time to the taker's `filled` event.
//!
//! Latencies go into HDR histograms (µs); the report gives p50/p99/p99.9/max, answers per
//! second, and the order path's p50/p99 as multiples of the baseline's.

mod baseline;
mod load;
mod pace;
mod report;
mod stack;

use std::time::Duration;

use bus::{OrderAction, OrderCommand, OrderEventKind};
use clap::Args;
use exchange_core::model::{OrderRequest, Side, Symbol, now_ns};
use rust_decimal::Decimal;

use super::local_nats::LocalNats;
use crate::output::Format;
use load::{Load, Verdict};

/// Takers each resting maker order can fill.
const FILLS_PER_MAKER: usize = 10;
use stack::{ACCOUNT, OrdersStack, SYMBOL, VENUE};

/// Arguments of `xctl bench orders`.
#[derive(Debug, Args)]
pub struct OrdersArgs {
    /// Commands (and raw messages) per phase (the default keeps a debug build under a minute).
    #[arg(long, default_value_t = 1000)]
    pub orders: usize,
    /// Commands per second; 0 sends each as soon as the previous one is acked.
    #[arg(long, default_value_t = 200.0)]
    pub rate: f64,
    /// Seconds a phase may take beyond its sending time before the missing answers are
    /// reported.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
    /// An existing NATS server (JetStream on); default: start a private one (needs
    /// `nats-server` on PATH).
    #[arg(long)]
    pub nats: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// Runs `xctl bench orders`.
pub async fn run(args: OrdersArgs) -> anyhow::Result<()> {
    if args.orders == 0 {
        anyhow::bail!("--orders must be at least 1");
    }
    let server = match &args.nats {
        Some(_) => None,
        None => Some(LocalNats::start().await?),
    };
    let url = match (&args.nats, &server) {
        (Some(url), _) => url.clone(),
        (_, Some(s)) => s.url(),
        (None, None) => anyhow::bail!("no NATS server"),
    };
    eprintln!("starting venue-sim and the order-gateway");
    let stack = OrdersStack::start(&url).await;
    let result = match &stack {
        Ok(stack) => phases(&args, &url, stack).await,
        Err(e) => Err(anyhow::anyhow!("{e}")),
    };
    if let Ok(stack) = stack {
        stack.stop().await;
    }
    if let Some(server) = server {
        server.stop().await;
    }
    let report = result?;
    match args.format {
        Format::Human => print!("{}", report.human()),
        Format::Json => println!("{}", report.json()),
    }
    if report.incomplete() {
        anyhow::bail!("some commands were not answered within the phase's time (see the report)");
    }
    Ok(())
}

/// A place command.
fn place(request: OrderRequest) -> OrderCommand {
    OrderCommand::new(OrderAction::Place(request), 0)
}

fn accepted(kind: &OrderEventKind) -> Verdict {
    match kind {
        OrderEventKind::Accepted { .. } => Verdict::Measure,
        OrderEventKind::Rejected { .. }
        | OrderEventKind::Canceled { .. }
        | OrderEventKind::Expired { .. } => Verdict::Failed,
        _ => Verdict::Ignore,
    }
}

fn filled(kind: &OrderEventKind) -> Verdict {
    match kind {
        OrderEventKind::Filled { .. } => Verdict::Measure,
        OrderEventKind::Rejected { .. }
        | OrderEventKind::Canceled { .. }
        | OrderEventKind::Expired { .. } => Verdict::Failed,
        _ => Verdict::Ignore,
    }
}

async fn phases(
    args: &OrdersArgs,
    url: &str,
    stack: &OrdersStack,
) -> anyhow::Result<report::OrdersReport> {
    let n = args.orders;
    let rate = Some(args.rate).filter(|r| *r > 0.0);
    let timeout = Duration::from_secs(args.timeout)
        + rate.map_or(Duration::ZERO, |r| Duration::from_secs_f64(n as f64 / r));
    let publisher = async_nats::connect(url).await?;
    let js = async_nats::jetstream::new(publisher);
    let subscriber = async_nats::ConnectOptions::new()
        .subscription_capacity(1 << 16)
        .connect(url)
        .await?;
    let mut events = subscriber
        .subscribe(bus::subject::order_events(VENUE, ACCOUNT)?)
        .await?;
    subscriber.flush().await?;
    let run_id = format!("b{:x}", (now_ns() / 1_000_000) & 0xff_ffff);

    let symbol: Symbol = SYMBOL.0.parse()?;
    let (bid, ask) = stack.best_bid_ask()?;
    let (tick, lot) = (stack.tick, stack.lot);
    let resting_price = (bid * Decimal::new(9, 1) / tick).floor() * tick;
    let qty = ((stack.min_notional * Decimal::TWO / resting_price) / lot).ceil() * lot;
    let maker_price = bid + tick;
    if maker_price >= ask {
        anyhow::bail!("no room inside the spread ({bid} / {ask}) for the resting liquidity");
    }
    let prefix = |phase: &str| format!("{run_id}-{phase}");
    let resting: Vec<OrderCommand> = (0..n)
        .map(|i| {
            let id = format!("{}{i}", prefix("a"));
            place(OrderRequest::limit(
                id,
                symbol.clone(),
                Side::Buy,
                qty,
                resting_price,
            ))
        })
        .collect();
    let size = match resting.first() {
        Some(first) => load::encoded_len(first)?,
        None => anyhow::bail!("--orders must be at least 1"),
    };

    eprintln!("phase 1: raw JetStream publish -> pull consumer, {n} x {size} bytes");
    let raw = baseline::run(&js, n, size, rate, timeout, &run_id).await?;

    eprintln!("phase 2: {n} resting limit orders: command -> accepted");
    let accepted_phase = Load {
        prefix: prefix("a"),
        commands: resting,
        verdict: accepted,
    }
    .run(&js, &mut events, rate, timeout)
    .await?;

    eprintln!("phase 3: {n} marketable orders against resting liquidity: command -> filled");
    // Resting liquidity: one maker order per FILLS_PER_MAKER takers, all at one price, so that
    // no maker's record collects thousands of fills.
    let makers: Vec<OrderCommand> = (0..n.div_ceil(FILLS_PER_MAKER))
        .map(|i| {
            let id = format!("{}{i}", prefix("m"));
            let size = qty * Decimal::from(FILLS_PER_MAKER);
            place(OrderRequest::limit(
                id,
                symbol.clone(),
                Side::Buy,
                size,
                maker_price,
            ))
        })
        .collect();
    let maker_count = makers.len();
    let resting = Load {
        prefix: prefix("m"),
        commands: makers,
        verdict: accepted,
    }
    .run(&js, &mut events, None, timeout)
    .await?;
    if resting.latency_us.len() != maker_count as u64 {
        anyhow::bail!(
            "the resting liquidity was not accepted: {:?}",
            resting.notes
        );
    }
    let takers: Vec<OrderCommand> = (0..n)
        .map(|i| {
            place(OrderRequest::market(
                format!("{}{i}", prefix("f")),
                symbol.clone(),
                Side::Sell,
                qty,
            ))
        })
        .collect();
    let filled_phase = Load {
        prefix: prefix("f"),
        commands: takers,
        verdict: filled,
    }
    .run(&js, &mut events, rate, timeout)
    .await?;

    Ok(report::OrdersReport {
        orders: n,
        rate,
        raw,
        accepted: accepted_phase,
        filled: filled_phase,
    })
}
