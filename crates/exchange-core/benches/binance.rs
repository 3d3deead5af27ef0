//! Binance hot paths on recorded frames (tests/fixtures/binance), each beside the baseline of
//! parsing the same frames into a `serde_json::Value`:
//!
//! - depth: parse a `depthUpdate` frame (combined-stream envelope) and run it through the
//!   book sequencer onto the order book (`BookSync::on_update`: continuity check, level
//!   updates, the published delta), on the recorded LRCBTC frames that follow the one that
//!   proved the recorded snapshot (the book is live before timing starts);
//! - trades: parse a `trade` / `aggTrade` frame and normalize it into a `Trade`.
//!
//! Results and ratios: docs/benchmarks.md.

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use exchange_core::adapters::binance::parse::depth::{DepthSnapshot, DepthUpdate};
use exchange_core::adapters::binance::parse::frame::{MarketEvent, parse_market_frame};
use exchange_core::adapters::binance::{BookSync, Product, SymbolMap, SyncState};
use std::hint::black_box;

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/binance/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path).expect("fixture")
}

fn depth_frames() -> Vec<String> {
    fixture("binance_depth_updates_LRCBTC.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

fn trade_frames() -> Vec<String> {
    let doc: serde_json::Value =
        serde_json::from_str(&fixture("binance_trade_stream_doc_example.json")).expect("json");
    vec![
        doc.to_string(),
        fixture("binance_aggtrade_stream.json").trim().to_owned(),
        fixture("binance_futures_aggtrade_stream.json")
            .trim()
            .to_owned(),
    ]
}

fn parse_depth(frame: &str) -> Option<DepthUpdate> {
    match parse_market_frame(frame).map(|f| f.event) {
        Ok(MarketEvent::Depth(update)) => Some(update),
        _ => None,
    }
}

/// A sequencer that went live on the recorded snapshot, and the frames that follow it.
fn live_book(frames: &[String]) -> (BookSync, usize) {
    let snapshot: DepthSnapshot =
        serde_json::from_str(&fixture("binance_depth_snapshot_LRCBTC.json")).expect("snapshot");
    let mut sync = BookSync::new("LRC/BTC".parse().expect("symbol"), Product::Spot);
    let _ = sync.on_snapshot(snapshot, 0);
    let mut used = 0;
    while sync.state() != SyncState::Live && used < frames.len() {
        if let Some(update) = parse_depth(&frames[used]) {
            let _ = sync.on_update(update, 0);
        }
        used += 1;
    }
    assert_eq!(
        sync.state(),
        SyncState::Live,
        "the recorded sequence proves the book"
    );
    (sync, used)
}

fn depth(c: &mut Criterion) {
    let all = depth_frames();
    let (live, used) = live_book(&all);
    let frames = &all[used..];
    let mut group = c.benchmark_group("binance_depth");
    group.throughput(Throughput::Elements(frames.len() as u64));
    group.bench_function("serde_json_value", |b| {
        b.iter(|| {
            for f in frames {
                black_box(serde_json::from_str::<serde_json::Value>(f).expect("json"));
            }
        })
    });
    group.bench_function("parse_and_apply", |b| {
        b.iter_batched(
            || live.clone(),
            |mut sync| {
                for f in frames {
                    if let Some(update) = parse_depth(f) {
                        black_box(sync.on_update(update, 0));
                    }
                }
                sync
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

fn trades(c: &mut Criterion) {
    let frames = trade_frames();
    let mut symbols = SymbolMap::new();
    for (id, s) in [("BNBBTC", "BNB/BTC"), ("NKNUSDT", "NKN/USDT")] {
        symbols.insert(id, s.parse().expect("symbol"));
    }
    let futures_id = frames[2]
        .split("\"s\":\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or("BTCUSDT")
        .to_owned();
    symbols.insert(&futures_id, "BTC/USDT:USDT".parse().expect("symbol"));
    let mut group = c.benchmark_group("binance_trades");
    group.throughput(Throughput::Elements(frames.len() as u64));
    group.bench_function("serde_json_value", |b| {
        b.iter(|| {
            for f in &frames {
                black_box(serde_json::from_str::<serde_json::Value>(f).expect("json"));
            }
        })
    });
    group.bench_function("parse_and_normalize", |b| {
        b.iter(|| {
            for f in &frames {
                let trade = match parse_market_frame(f).map(|frame| frame.event) {
                    Ok(MarketEvent::Trade(t)) => t.to_trade(&symbols, 0),
                    Ok(MarketEvent::AggTrade(t)) => t.to_trade(&symbols, 0),
                    _ => continue,
                };
                black_box(trade.expect("trade"));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, depth, trades);
criterion_main!(benches);
