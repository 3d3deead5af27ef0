//! Publication of the Coinbase markets: the driver tick (synthetic flow, GTD expiry, level2
//! diffs, tickers, five-minute candles, `ticker_batch`, `status`), engine events rendered into
//! `market_trades` and `user` events, and the snapshots a subscribing connection receives.

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::orders::expire_gtd;
use super::render::{self, num, stats_24h};
use super::state::{CbVenue, ChannelMsg, CoinbaseShared};
use super::time::rfc3339_us;
use crate::engine::{EngineEvent, Exchange};
use crate::server::state::Shared;

const FIVE_MINUTES: u64 = 300_000;

/// Drains both markets' engine events into `market_trades` and `user` messages.
pub fn publish_events(cb: &CoinbaseShared, venue: &mut CbVenue) {
    for perp in [false, true] {
        let events = venue.market_mut(perp).take_events();
        for e in events {
            match e {
                EngineEvent::Trade { symbol, trade } => {
                    venue.ticker_dirty.insert(symbol.clone());
                    cb.hub.send(ChannelMsg {
                        channel: "market_trades",
                        events: json!([{"type": "update", "trades": [render::trade(&symbol, &trade)]}]),
                        product: symbol,
                        update_id: 0,
                        user: None,
                        skipped: false,
                    });
                }
                EngineEvent::BookTicker { symbol, .. } => {
                    venue.ticker_dirty.insert(symbol);
                }
                EngineEvent::Order(u) => {
                    let Some(user) = cb
                        .users
                        .iter()
                        .position(|x| x.spot_or_perp(perp) == u.order.account)
                    else {
                        continue;
                    };
                    let Some(meta) = venue
                        .by_engine
                        .get(&(perp, u.order.id))
                        .and_then(|id| venue.orders.get(id))
                    else {
                        continue;
                    };
                    let order = render::user_order(&u.order, meta, venue.market(perp));
                    cb.hub.send(ChannelMsg {
                        channel: "user",
                        product: u.order.symbol.clone(),
                        update_id: 0,
                        user: Some(user),
                        skipped: false,
                        events: json!([{"type": "update", "orders": [order]}]),
                    });
                }
                EngineEvent::Account { .. } | EngineEvent::BalanceDelta { .. } => {}
            }
        }
    }
}

/// A `ticker` entry; `bbo` adds best bid/ask (absent from `ticker_batch`).
pub fn ticker(ex: &mut Exchange, product: &str, now: u64, bbo: bool) -> Value {
    let (open, high, low, volume, _) = stats_24h(ex, product, now);
    let Some(s) = ex.symbol(product) else {
        return Value::Null;
    };
    let last = s.tape.last_price();
    let (bid, ask) = (
        s.book.best_bid().unwrap_or_default(),
        s.book.best_ask().unwrap_or_default(),
    );
    let pct = if open.is_zero() {
        Decimal::ZERO
    } else {
        (last - open) / open * Decimal::ONE_HUNDRED
    };
    let mut t = json!({
        "type": "ticker", "product_id": product, "price": num(last),
        "volume_24_h": num(volume), "low_24_h": num(low), "high_24_h": num(high),
        "low_52_w": num(low), "high_52_w": num(high),
        "price_percent_chg_24_h": num(pct.round_dp(8)),
    });
    if bbo && let Some(m) = t.as_object_mut() {
        m.insert("best_bid".into(), num(bid.0).into());
        m.insert("best_bid_quantity".into(), num(bid.1).into());
        m.insert("best_ask".into(), num(ask.0).into());
        m.insert("best_ask_quantity".into(), num(ask.1).into());
    }
    t
}

/// The five-minute candle of `product` containing `now` (the `candles` channel).
pub fn ws_candle(ex: &mut Exchange, product: &str, now: u64) -> Value {
    let Some(c) = ex
        .symbol_mut(product)
        .and_then(|s| s.tape.current(FIVE_MINUTES, now))
    else {
        return Value::Null;
    };
    json!({
        "start": (c.open_time / 1000).to_string(), "high": num(c.high), "low": num(c.low),
        "open": num(c.open), "close": num(c.close), "volume": num(c.volume), "product_id": product,
    })
}

/// The `status` channel's product entries.
pub fn status_products(cb: &CoinbaseShared, products: &[String]) -> Value {
    Value::Array(
        cb.config
            .all_products()
            .filter(|p| products.contains(&p.product_id))
            .map(|p| {
                json!({
                    "product_type": if p.is_perp() { "FUTURE" } else { "SPOT" }, "id": p.product_id,
                    "base_currency": p.base, "quote_currency": p.quote,
                    "base_increment": num(p.base_increment), "quote_increment": num(p.quote_increment),
                    "display_name": p.product_id, "status": "online", "status_message": "",
                    "min_market_funds": num(p.quote_min_size),
                })
            })
            .collect(),
    )
}

/// A level2 snapshot event of the whole book and the book's update id.
pub fn l2_snapshot(ex: &Exchange, product: &str, now: u64) -> Option<(Value, u64)> {
    let s = ex.symbol(product)?;
    let (bids, asks) = s.book.levels(usize::MAX);
    let t = rfc3339_us(now);
    let updates: Vec<Value> = bids
        .iter()
        .map(|l| ("bid", l))
        .chain(asks.iter().map(|l| ("offer", l)))
        .map(|(side, (p, q))| json!({"side": side, "event_time": t, "price_level": num(*p), "new_quantity": num(*q)}))
        .collect();
    Some((
        json!({"type": "snapshot", "product_id": product, "updates": updates}),
        s.book.update_id(),
    ))
}

fn publish_l2(shared: &Shared, cb: &CoinbaseShared, venue: &mut CbVenue, now: u64) {
    let t = rfc3339_us(now);
    for perp in [false, true] {
        let ex = venue.market_mut(perp);
        for product in ex.symbol_names() {
            let Some(diff) = ex.symbol_mut(&product).and_then(|s| s.book.take_diff()) else {
                continue;
            };
            let skipped = shared.faults().take_skip("coinbase", &product);
            let updates: Vec<Value> = diff
                .bids
                .iter()
                .map(|l| ("bid", l))
                .chain(diff.asks.iter().map(|l| ("offer", l)))
                .map(|(side, (p, q))| json!({"side": side, "event_time": t, "price_level": num(*p), "new_quantity": num(*q)}))
                .collect();
            cb.hub.send(ChannelMsg {
                channel: "l2_data",
                events: json!([{"type": "update", "product_id": product, "updates": updates}]),
                product,
                update_id: diff.last_update_id,
                user: None,
                skipped,
            });
        }
    }
}

fn publish_periodic(cb: &CoinbaseShared, venue: &mut CbVenue, now: u64) {
    for product in std::mem::take(&mut venue.ticker_dirty) {
        let Some(perp) = cb.is_perp(&product) else {
            continue;
        };
        let t = ticker(venue.market_mut(perp), &product, now, true);
        cb.hub.send(ChannelMsg {
            channel: "ticker",
            events: json!([{"type": "update", "tickers": [t]}]),
            product,
            update_id: 0,
            user: None,
            skipped: false,
        });
    }
    let every = |last: &mut u64, period: u64| {
        let due = now >= *last + period;
        if due {
            *last = now;
        }
        due
    };
    let candles = every(&mut venue.last_candles, 1000);
    let batch = every(&mut venue.last_batch, cb.config.ticker_batch_ms.max(1));
    let status = every(&mut venue.last_status, cb.config.status_ms.max(1));
    for p in cb.config.all_products() {
        let id = p.product_id.clone();
        let ex = venue.market_mut(p.is_perp());
        let send = |channel, events| {
            cb.hub.send(ChannelMsg {
                channel,
                product: id.clone(),
                update_id: 0,
                user: None,
                skipped: false,
                events,
            })
        };
        if candles {
            send(
                "candles",
                json!([{"type": "update", "candles": [ws_candle(ex, &p.product_id, now)]}]),
            );
        }
        if batch {
            send(
                "ticker_batch",
                json!([{"type": "update", "tickers": [ticker(ex, &p.product_id, now, false)]}]),
            );
        }
        if status {
            send(
                "status",
                json!([{"type": "update", "products": status_products(cb, std::slice::from_ref(&p.product_id))}]),
            );
        }
    }
}

/// Runs `steps` flow steps on the spot (or perpetual) market and publishes trades and orders.
pub fn step_flow(cb: &CoinbaseShared, venue: &mut CbVenue, perp: bool, steps: u64, now: u64) {
    for _ in 0..steps {
        if perp {
            venue.perp_flow.step(&mut venue.perp, now);
        } else {
            venue.spot_flow.step(&mut venue.spot, now);
        }
    }
    publish_events(cb, venue);
}

/// One driver tick of the Coinbase markets.
pub fn tick(shared: &Shared) {
    let cb = &shared.coinbase;
    let now = shared.now();
    let mut venue = cb.venue();
    let per_tick =
        shared.config.flow_rate as f64 * shared.config.tick_ms as f64 / 1000.0 + venue.flow_carry;
    let steps = per_tick.floor();
    venue.flow_carry = per_tick - steps;
    step_flow(cb, &mut venue, false, steps as u64, now);
    step_flow(cb, &mut venue, true, steps as u64, now);
    expire_gtd(&mut venue, cb, now);
    publish_events(cb, &mut venue);
    publish_l2(shared, cb, &mut venue, now);
    publish_periodic(cb, &mut venue, now);
}
