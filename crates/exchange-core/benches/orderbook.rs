//! OrderBook throughput: delta application and top-N reads on a realistic 1,000-level book.
//!
//! Baseline in the same run: cloning the delta's levels into a Vec (the cost of merely touching
//! the input), so the ratio shows what the book itself adds.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use exchange_core::model::Level;
use exchange_core::orderbook::OrderBook;
use rust_decimal::Decimal;
use std::hint::black_box;

fn level(price_ticks: i64, qty: i64) -> Level {
    Level::new(Decimal::new(price_ticks, 2), Decimal::new(qty, 3))
}

fn seeded_book() -> OrderBook {
    let bids: Vec<_> = (0..1000).map(|i| level(1_000_000 - i, 1_000 + i)).collect();
    let asks: Vec<_> = (0..1000).map(|i| level(1_000_001 + i, 1_000 + i)).collect();
    let mut book = OrderBook::new();
    book.apply_snapshot(&bids, &asks);
    book
}

/// 1,000 deltas of 10 levels each near the top: updates, inserts and deletes mixed.
fn deltas() -> Vec<(Vec<Level>, Vec<Level>)> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    (0..1000)
        .map(|_| {
            let side = |next: &mut dyn FnMut() -> u64, base: i64, dir: i64| {
                (0..5)
                    .map(|_| {
                        let offset = i64::try_from(next() % 50).unwrap_or(0);
                        let qty = i64::try_from(next() % 4).unwrap_or(0) * 500;
                        level(base + dir * offset, qty)
                    })
                    .collect::<Vec<_>>()
            };
            (
                side(&mut next, 1_000_000, -1),
                side(&mut next, 1_000_001, 1),
            )
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let deltas = deltas();
    let mut group = c.benchmark_group("orderbook");
    group.throughput(criterion::Throughput::Elements(deltas.len() as u64));
    group.bench_function("baseline_clone_levels_x1000", |b| {
        b.iter(|| {
            for (bids, asks) in &deltas {
                black_box((bids.clone(), asks.clone()));
            }
        })
    });
    group.bench_function("apply_delta_x1000", |b| {
        b.iter_batched(
            seeded_book,
            |mut book| {
                for (bids, asks) in &deltas {
                    book.apply_delta(bids, asks);
                }
                book
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("apply_delta_then_top10_x1000", |b| {
        b.iter_batched(
            seeded_book,
            |mut book| {
                for (bids, asks) in &deltas {
                    book.apply_delta(bids, asks);
                    black_box(book.top_n(10));
                }
                book
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
