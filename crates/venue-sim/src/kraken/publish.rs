//! Publication of the Kraken market: engine events rendered once into v2 `trade`, `ticker`,
//! `ohlc` and `executions` messages, and every published book view moved to the truth (one
//! `book` update per view that changed). Also the flow step used by the driver and control API.

use std::sync::Arc;

use rust_decimal::Decimal;

use super::book_feed::{BookFeed, Precision};
use super::order_json::quote_fee;
use super::rest_public::day_stats;
use super::state::{ExecMsg, KrakenVenue};
use super::time::{now_us, rfc3339_us};
use super::ws_render::{self, TickerData};
use crate::engine::EngineEvent;
use crate::server::state::Shared;

/// The ticker inputs of a pair now.
pub fn ticker_data(venue: &mut KrakenVenue, altname: &str, now_ms: u64) -> Option<TickerData> {
    let s = venue.ex.symbol_mut(altname)?;
    let bid = s.book.best_bid().unwrap_or_default();
    let ask = s.book.best_ask().unwrap_or_default();
    let last = s.tape.last_price();
    let day = s.tape.candles(
        60_000,
        now_ms,
        Some(now_ms.saturating_sub(86_400_000)),
        None,
        1440,
    );
    let (open, high, low, vol, vwap, _) = day_stats(&day, last);
    Some(TickerData {
        bid,
        ask,
        last,
        day: (open, high, low, vol, vwap),
    })
}

/// Precision of a pair's book levels.
pub fn precision(p: &super::pairs::KrakenPair) -> Precision {
    Precision {
        price: p.pair_decimals,
        qty: p.lot_decimals,
    }
}

/// The feed of (`altname`, `depth`), created from the truth when absent.
pub fn feed<'a>(
    shared: &Shared,
    venue: &'a mut KrakenVenue,
    altname: &str,
    depth: usize,
) -> Option<&'a mut BookFeed> {
    let p = shared.kraken.pair_of_alt(altname)?;
    let key = (altname.to_string(), depth);
    if !venue.feeds.contains_key(&key) {
        let truth = venue.ex.symbol(altname)?.book.levels(depth);
        venue
            .feeds
            .insert(key.clone(), BookFeed::new(depth, precision(p), &truth));
    }
    venue.feeds.get_mut(&key)
}

/// Drains the engine's events and publishes them, then every subscribed book view's update.
pub fn publish(shared: &Shared, venue: &mut KrakenVenue, now_us: u64) {
    let kr = &shared.kraken;
    let hub = &kr.hub;
    let now_ms = now_us / 1000;
    let events = venue.ex.take_events();
    let active = if events.is_empty() {
        Vec::new()
    } else {
        hub.active()
    };
    for e in events {
        match e {
            EngineEvent::Trade { symbol, trade } => {
                let Some(p) = kr.pair_of_alt(&symbol) else {
                    continue;
                };
                let topic = format!("trade:{}", p.symbol);
                if active.contains(&topic) {
                    hub.send(topic, 0, ws_render::trades(p, &[trade], false));
                }
                let prefix = format!("ohlc:{}:", p.symbol);
                for t in active.iter().filter(|t| t.starts_with(&prefix)) {
                    let Some(interval) = t[prefix.len()..].parse::<u64>().ok() else {
                        continue;
                    };
                    if let Some(c) = venue
                        .ex
                        .symbol_mut(&symbol)
                        .and_then(|s| s.tape.current(interval * 60_000, now_ms))
                    {
                        hub.send(
                            t.clone(),
                            0,
                            ws_render::ohlc(p, &[c], interval, false, now_ms),
                        );
                    }
                }
            }
            EngineEvent::BookTicker { symbol, .. } => {
                let Some(p) = kr.pair_of_alt(&symbol) else {
                    continue;
                };
                let topic = format!("ticker:{}", p.symbol);
                if active.contains(&topic)
                    && let Some(t) = ticker_data(venue, &symbol, now_ms)
                {
                    hub.send(topic, 0, ws_render::ticker(p, &t, false));
                }
            }
            EngineEvent::Order(u) => {
                let Some(p) = kr.pair_of_alt(&u.order.symbol) else {
                    continue;
                };
                if !u.order.status.is_open()
                    && let Some(m) = venue.meta.get_mut(&u.order.id)
                    && m.closetm_us.is_none()
                {
                    m.closetm_us = Some(now_us);
                }
                let fee = match &u.commission_asset {
                    Some(a) => quote_fee(venue, &u.order.symbol, a, u.commission, u.last_price),
                    None => Decimal::ZERO,
                };
                let entries = super::exec_render::order_update_entries(
                    p,
                    &u,
                    venue.meta.get(&u.order.id),
                    fee,
                    now_us,
                );
                let _ = hub.exec.send(Arc::new(ExecMsg {
                    account: u.order.account,
                    entries,
                }));
            }
            _ => {}
        }
    }
    let ts = rfc3339_us(now_us);
    if !venue.feeds.is_empty() {
        // A view nobody subscribes to is dropped (a new subscriber starts from the truth).
        let active = hub.active();
        venue.feeds.retain(|(alt, depth), _| {
            kr.pair_of_alt(alt)
                .is_some_and(|p| active.contains(&format!("book:{}:{depth}", p.symbol)))
        });
    }
    let keys: Vec<(String, usize)> = venue.feeds.keys().cloned().collect();
    for (alt, depth) in keys {
        let Some(p) = kr.pair_of_alt(&alt) else {
            continue;
        };
        let Some(truth) = venue.ex.symbol(&alt).map(|s| s.book.levels(depth)) else {
            continue;
        };
        let Some(f) = venue.feeds.get_mut(&(alt.clone(), depth)) else {
            continue;
        };
        if let Some(mut msg) = f.update(&truth) {
            if shared.faults().take_corrupt_checksum(&p.symbol) {
                msg.checksum ^= 0x5A5A_5A5A;
            }
            hub.send(
                format!("book:{}:{depth}", p.symbol),
                f.seq,
                msg.render(&p.symbol, &ts),
            );
        }
    }
}

/// Runs `steps` steps of the Kraken flow, publishing after each step.
pub fn step_flow(shared: &Shared, venue: &mut KrakenVenue, steps: u64) {
    for _ in 0..steps {
        let now = now_us();
        venue.flow.step(&mut venue.ex, now / 1000);
        publish(shared, venue, now);
    }
}

/// One driver tick: the flow at the configured rate.
pub fn tick(shared: &Shared) {
    let mut venue = shared.kraken.venue();
    let per_tick =
        shared.config.flow_rate as f64 * shared.config.tick_ms as f64 / 1000.0 + venue.flow_carry;
    let steps = per_tick.floor();
    venue.flow_carry = per_tick - steps;
    step_flow(shared, &mut venue, steps as u64);
}
