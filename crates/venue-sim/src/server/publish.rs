//! Publication: engine events and depth ticks rendered once and broadcast to every connection
//! of the market (stream messages) or of the account (user data).

use std::collections::HashMap;
use std::sync::Arc;

use super::state::{Shared, UserMsg, Venue};
use crate::binance::render;
use crate::engine::{EngineEvent, Exchange, MarketKind};

impl Shared {
    /// Drains both engines' events and publishes them.
    pub fn publish_all(&self, venue: &mut Venue, now: u64) {
        let ev = venue.spot.take_events();
        self.publish(&venue.spot, ev, now);
        let ev = venue.futures.take_events();
        self.publish(&venue.futures, ev, now);
    }

    /// Renders and broadcasts engine events of `ex`.
    pub fn publish(&self, ex: &Exchange, events: Vec<EngineEvent>, now: u64) {
        let kind = ex.kind();
        let hub = self.hub(kind);
        for e in events {
            match e {
                EngineEvent::Trade { symbol, trade } => {
                    let Some(spec) = ex.symbol(&symbol).map(|s| &s.spec) else {
                        continue;
                    };
                    let lower = symbol.to_lowercase();
                    if kind == MarketKind::Spot {
                        hub.send(
                            format!("{lower}@trade"),
                            render::trade(&symbol, &trade, now).to_string(),
                        );
                    }
                    hub.send(
                        format!("{lower}@aggTrade"),
                        render::agg_trade(kind, spec, &trade, now).to_string(),
                    );
                }
                EngineEvent::BookTicker {
                    symbol,
                    update_id,
                    bid,
                    ask,
                    time,
                } => {
                    let Some(spec) = ex.symbol(&symbol).map(|s| &s.spec) else {
                        continue;
                    };
                    let data =
                        render::book_ticker(kind, spec, update_id, bid, ask, time).to_string();
                    hub.send(format!("{}@bookTicker", symbol.to_lowercase()), data);
                }
                EngineEvent::Order(u) => {
                    let data = match kind {
                        MarketKind::Spot => render::execution_report(&u),
                        MarketKind::Futures => {
                            let Some(spec) = ex.symbol(&u.order.symbol).map(|s| &s.spec) else {
                                continue;
                            };
                            render::order_trade_update(&u, spec)
                        }
                    };
                    let _ = hub.user.send(Arc::new(UserMsg {
                        account: u.order.account,
                        data: data.to_string(),
                    }));
                }
                EngineEvent::Account {
                    account,
                    assets,
                    position,
                    time,
                    reason,
                } => {
                    let Some(acc) = ex.account(account) else {
                        continue;
                    };
                    let data = match kind {
                        MarketKind::Spot => render::account_position(acc, &assets, time),
                        MarketKind::Futures => {
                            let pos = position.as_deref().map(|s| (s, ex.mark_price(s)));
                            render::account_update(acc, &assets, pos, reason, time)
                        }
                    };
                    let _ = hub.user.send(Arc::new(UserMsg {
                        account,
                        data: data.to_string(),
                    }));
                }
                EngineEvent::BalanceDelta {
                    account,
                    asset,
                    delta,
                    time,
                } => {
                    if kind == MarketKind::Spot {
                        let data = render::balance_update(&asset, delta, time).to_string();
                        let _ = hub.user.send(Arc::new(UserMsg { account, data }));
                    }
                }
            }
        }
    }

    /// Publishes depth frames (and on-demand partial depth / klines) of one market for this tick.
    pub fn publish_depth(&self, venue: &mut Venue, kind: MarketKind, now: u64) {
        let tick = venue.tick;
        let market = match kind {
            MarketKind::Spot => "spot",
            MarketKind::Futures => "futures",
        };
        let (ex, feeds) = match kind {
            MarketKind::Spot => (&mut venue.spot, &mut venue.spot_depth),
            MarketKind::Futures => (&mut venue.futures, &mut venue.futures_depth),
        };
        let hub = self.hub(kind);
        for (symbol, feed) in feeds.iter_mut() {
            let Some(state) = ex.symbol_mut(symbol) else {
                continue;
            };
            let diff = state.book.take_diff();
            let skip = diff.is_some() && self.faults().take_skip(market, symbol);
            let lower = symbol.to_lowercase();
            for (suffix, frame, pu) in feed.on_tick(tick, diff, skip) {
                let data = render::depth_update(kind, &state.spec, &frame, pu, now).to_string();
                hub.send(format!("{lower}{suffix}"), data);
            }
        }
        for stream in hub.active_streams() {
            self.publish_on_demand(ex, kind, &stream, tick, now, &mut venue.kline_open);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn publish_on_demand(
        &self,
        ex: &mut Exchange,
        kind: MarketKind,
        stream: &str,
        tick: u64,
        now: u64,
        kline_open: &mut HashMap<String, u64>,
    ) {
        let hub = self.hub(kind);
        let Some((sym, rest)) = stream.split_once('@') else {
            return;
        };
        let Some(state) = ex.symbol_mut(&sym.to_uppercase()) else {
            return;
        };
        if let Some(interval) = rest.strip_prefix("kline_") {
            let Some(len) = crate::engine::candles::interval_ms(interval) else {
                return;
            };
            if !tick.is_multiple_of(10) {
                return;
            }
            let Some(c) = state.tape.current(len, now) else {
                return;
            };
            // When a new candle opened, the previous one goes out once more, closed (`x: true`).
            let key = format!("{kind:?}:{stream}");
            match kline_open.insert(key, c.open_time) {
                Some(prev) if prev < c.open_time => {
                    if let Some(closed) = state
                        .tape
                        .candles(len, now, Some(prev), Some(prev), 1)
                        .pop()
                    {
                        let data = render::kline(kind, &state.spec, interval, &closed, true, now)
                            .to_string();
                        hub.send(stream.to_string(), data);
                    }
                }
                _ => {}
            }
            let data = render::kline(kind, &state.spec, interval, &c, false, now).to_string();
            hub.send(stream.to_string(), data);
            return;
        }
        let Some(partial) = rest.strip_prefix("depth") else {
            return;
        };
        let (levels, every) = match partial {
            "5" | "10" | "20" => (partial, 10),
            "5@100ms" | "10@100ms" | "20@100ms" => (&partial[..partial.len() - 6], 1),
            "5@500ms" | "10@500ms" | "20@500ms" => (&partial[..partial.len() - 6], 5),
            _ => return,
        };
        if !tick.is_multiple_of(every) {
            return;
        }
        let n: usize = levels.parse().unwrap_or(5);
        let book = state.book.levels(n);
        let id = state.book.update_id();
        let data = render::partial_depth(kind, &state.spec, id, &book, id.saturating_sub(1), now)
            .to_string();
        hub.send(stream.to_string(), data);
    }
}
