//! Coinbase state of a running simulator: its own spot market and INTX perpetual market (engines
//! and flows, separate from the Binance and Kraken markets), users (one per configured key), the
//! order metadata the engine does not keep (UUIDs, client ids, `order_configuration`, GTD end
//! times), the published level2 position of every product, and the broadcast hub that carries
//! rendered channel events to the WebSocket connections.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::Value;
use tokio::sync::broadcast;

use super::config::CoinbaseConfig;
use super::ids;
use super::jwt::VerifyKey;
use crate::engine::{Account, AccountKind, Exchange, Fees, Flow, MarketKind};

/// A rendered channel event, before a connection wraps it in its own envelope.
#[derive(Debug)]
pub struct ChannelMsg {
    /// Message `channel` (`l2_data`, `market_trades`, `ticker`, `ticker_batch`, `candles`,
    /// `status`, `user`).
    pub channel: &'static str,
    /// Product the event is about (empty for `user`).
    pub product: String,
    /// Book update id after this event (`l2_data`), else 0.
    pub update_id: u64,
    /// The user (`user` channel) the event belongs to.
    pub user: Option<usize>,
    /// Dropped by fault injection: connections skip a `sequence_num` instead of sending it.
    pub skipped: bool,
    /// The `events` array.
    pub events: Value,
}

/// What the engine does not keep about a Coinbase order.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderMeta {
    /// `order_id` (UUID text).
    pub order_id: String,
    /// `client_order_id`.
    pub client_order_id: String,
    /// Whether the order is on the perpetual market.
    pub perp: bool,
    /// Engine id.
    pub engine_id: u64,
    /// User index.
    pub user: usize,
    /// `order_configuration` as echoed in responses.
    pub configuration: Value,
    /// Configuration key (`limit_limit_gtc`, …).
    pub config_key: String,
    /// GTD end time, ms.
    pub end_ms: Option<u64>,
    /// Ended by its GTD time (status `EXPIRED`).
    pub expired: bool,
    /// Post-only.
    pub post_only: bool,
    /// `STOP_DIRECTION_STOP_UP` / `_DOWN` for stop-limit orders.
    pub stop_direction: Option<String>,
    /// Leverage (perpetuals).
    pub leverage: String,
}

/// One user: a configured key and its accounts.
#[derive(Debug, Clone)]
pub struct CbUser {
    /// Key name.
    pub key_name: String,
    /// `user_id` UUID.
    pub user_id: String,
    /// Default (spot) portfolio UUID.
    pub portfolio: String,
    /// INTX portfolio UUID.
    pub intx_portfolio: String,
    /// Spot account index.
    pub spot: usize,
    /// Perpetual account index.
    pub perp: usize,
}

impl CbUser {
    /// The account index in the spot or the perpetual market.
    pub fn spot_or_perp(&self, perp: bool) -> usize {
        if perp { self.perp } else { self.spot }
    }
}

/// The Coinbase markets and their bookkeeping.
pub struct CbVenue {
    /// Spot market.
    pub spot: Exchange,
    /// INTX perpetual market.
    pub perp: Exchange,
    /// Spot flow.
    pub spot_flow: Flow,
    /// Perpetual flow.
    pub perp_flow: Flow,
    /// Order metadata by `order_id`.
    pub orders: BTreeMap<String, OrderMeta>,
    /// (perp, engine id) → `order_id`.
    pub by_engine: HashMap<(bool, u64), String>,
    /// Fractional flow steps carried between ticks.
    pub flow_carry: f64,
    /// Products whose ticker changed since the last tick.
    pub ticker_dirty: std::collections::BTreeSet<String>,
    /// Last time (ms) candles / ticker_batch / status were published.
    pub last_candles: u64,
    /// See `last_candles`.
    pub last_batch: u64,
    /// See `last_candles`.
    pub last_status: u64,
}

impl CbVenue {
    /// The market of a product.
    pub fn market(&self, perp: bool) -> &Exchange {
        if perp { &self.perp } else { &self.spot }
    }
    /// The market of a product, mutable.
    pub fn market_mut(&mut self, perp: bool) -> &mut Exchange {
        if perp { &mut self.perp } else { &mut self.spot }
    }
}

/// The Coinbase hub.
pub struct CbHub {
    /// Channel events.
    pub tx: broadcast::Sender<Arc<ChannelMsg>>,
}

impl CbHub {
    /// Broadcasts a message (no receivers is fine).
    pub fn send(&self, msg: ChannelMsg) {
        let _ = self.tx.send(Arc::new(msg));
    }
}

/// Coinbase part of the shared state.
pub struct CoinbaseShared {
    /// Configuration.
    pub config: CoinbaseConfig,
    /// Decoded keys (index = user index).
    pub keys: Vec<VerifyKey>,
    /// Users (index = key index).
    pub users: Vec<CbUser>,
    /// Markets.
    pub venue: Mutex<CbVenue>,
    /// Hub.
    pub hub: CbHub,
    /// Per-second request counters: (caller, second) → count.
    pub rate: Mutex<HashMap<String, (u64, u32)>>,
    /// Start time (ms), for `heartbeat_counter`.
    pub started_ms: u64,
}

const START_UPDATE_ID: u64 = 1;

impl CoinbaseShared {
    /// Builds the markets: accounts per key, seeded books.
    pub fn new(config: CoinbaseConfig, seed: u64, seed_levels: usize, now: u64) -> Self {
        let fees = Fees {
            maker: config.maker_fee,
            taker: config.taker_fee,
        };
        let spot_specs: Vec<_> = config.products.iter().map(|p| p.spec()).collect();
        let perp_specs: Vec<_> = config.perp_products.iter().map(|p| p.spec()).collect();
        let mut spot = Exchange::new(MarketKind::Spot, &spot_specs, fees, START_UPDATE_ID);
        let mut perp = Exchange::new(MarketKind::Futures, &perp_specs, fees, START_UPDATE_ID);
        let keys: Vec<VerifyKey> = config
            .keys
            .iter()
            .filter_map(VerifyKey::from_config)
            .collect();
        let users = keys
            .iter()
            .map(|k| CbUser {
                key_name: k.name.clone(),
                user_id: ids::derived_uuid(&["user", &k.name]),
                portfolio: ids::derived_uuid(&["portfolio", &k.name]),
                intx_portfolio: ids::derived_uuid(&["intx", &k.name]),
                spot: spot.add_account(Account::new(AccountKind::Spot, &config.balances)),
                perp: perp.add_account(Account::new(AccountKind::Futures, &config.intx_balances)),
            })
            .collect();
        let mut spot_flow = Flow::new(seed.wrapping_add(3), 400);
        let mut perp_flow = Flow::new(seed.wrapping_add(4), 400);
        spot_flow.seed_books(&mut spot, seed_levels, now);
        perp_flow.seed_books(&mut perp, seed_levels, now);
        for ex in [&mut spot, &mut perp] {
            for s in ex.symbol_names() {
                if let Some(st) = ex.symbol_mut(&s) {
                    let _ = st.book.take_diff();
                }
            }
            ex.take_events();
        }
        let venue = CbVenue {
            spot,
            perp,
            spot_flow,
            perp_flow,
            orders: BTreeMap::new(),
            by_engine: HashMap::new(),
            flow_carry: 0.0,
            ticker_dirty: Default::default(),
            last_candles: now,
            last_batch: now,
            last_status: now,
        };
        CoinbaseShared {
            config,
            keys,
            users,
            venue: Mutex::new(venue),
            hub: CbHub {
                tx: broadcast::channel(65_536).0,
            },
            rate: Mutex::new(HashMap::new()),
            started_ms: now,
        }
    }

    /// Locks the markets (a poisoned lock is recovered, as for the Binance venue).
    pub fn venue(&self) -> MutexGuard<'_, CbVenue> {
        self.venue.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether `product_id` is a perpetual; None when unknown.
    pub fn is_perp(&self, product_id: &str) -> Option<bool> {
        self.config.product(product_id).map(|p| p.is_perp())
    }

    /// Counts a request of `caller` in the current second; false when over `per_second`.
    pub fn allow(&self, caller: &str, per_second: u32, now_ms: u64) -> bool {
        let mut m = self.rate.lock().unwrap_or_else(|p| p.into_inner());
        let sec = now_ms / 1000;
        let e = m.entry(caller.to_string()).or_insert((sec, 0));
        if e.0 != sec {
            *e = (sec, 0);
        }
        e.1 += 1;
        e.1 <= per_second
    }
}
