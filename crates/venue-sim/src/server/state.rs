//! Shared state of a running simulator: the venue (engines, flows, depth feeds) behind one mutex,
//! the broadcast hubs that carry rendered stream and user-data messages, limits, faults and the
//! connection registry.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::conns::Conns;
use super::faults::Faults;
use crate::binance::depth_feed::{DepthFeed, futures_rates, spot_rates};
use crate::binance::limits::Limiter;
use crate::coinbase::CoinbaseShared;
use crate::config::SimConfig;
use crate::engine::{Account, AccountKind, Exchange, Fees, Flow, MarketKind};
use crate::kraken::KrakenShared;

/// A rendered market stream message.
#[derive(Debug)]
pub struct StreamMsg {
    /// Stream name (`btcusdt@depth@100ms`).
    pub stream: String,
    /// Payload JSON.
    pub data: String,
}

/// A rendered user-data event for one account.
#[derive(Debug)]
pub struct UserMsg {
    /// Account index in its market.
    pub account: usize,
    /// Event JSON.
    pub data: String,
}

/// Broadcast channels of one market.
pub struct Hub {
    /// Market streams.
    pub market: broadcast::Sender<Arc<StreamMsg>>,
    /// User data.
    pub user: broadcast::Sender<Arc<UserMsg>>,
    /// Subscriber counts per stream name (rendering of on-demand streams is skipped without subscribers).
    pub active: Mutex<HashMap<String, usize>>,
}

impl Hub {
    fn new() -> Self {
        Hub {
            market: broadcast::channel(16_384).0,
            user: broadcast::channel(4096).0,
            active: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a subscription (+1) or an unsubscription (-1).
    pub fn track(&self, stream: &str, delta: isize) {
        if let Ok(mut m) = self.active.lock() {
            let n = m.entry(stream.to_string()).or_insert(0);
            *n = n.saturating_add_signed(delta);
            if *n == 0 {
                m.remove(stream);
            }
        }
    }

    /// Stream names with at least one subscriber.
    pub fn active_streams(&self) -> Vec<String> {
        self.active
            .lock()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }

    pub(super) fn send(&self, stream: String, data: String) {
        let _ = self.market.send(Arc::new(StreamMsg { stream, data }));
    }
}

/// Accounts of one API key.
#[derive(Clone)]
pub struct KeyAccounts {
    /// API key.
    pub api_key: String,
    /// Secret (never logged).
    pub secret: String,
    /// Spot account index (spot exchange).
    pub spot: usize,
    /// Margin account index (spot exchange).
    pub margin: usize,
    /// Futures account index (futures exchange).
    pub futures: usize,
}

/// Engines and their feeds.
pub struct Venue {
    /// Spot books, spot and margin accounts.
    pub spot: Exchange,
    /// Futures books and accounts.
    pub futures: Exchange,
    /// Spot flow.
    pub spot_flow: Flow,
    /// Futures flow.
    pub futures_flow: Flow,
    /// Spot depth sequencers by symbol.
    pub spot_depth: BTreeMap<String, DepthFeed>,
    /// Futures depth sequencers by symbol.
    pub futures_depth: BTreeMap<String, DepthFeed>,
    /// Futures listen keys → account.
    pub listen_keys: HashMap<String, usize>,
    /// Open time of the last candle sent per kline stream (to send the closing update).
    pub kline_open: HashMap<String, u64>,
    /// Ticks elapsed.
    pub tick: u64,
    /// Fractional flow steps carried between ticks.
    pub flow_carry: f64,
}

/// Shared state.
pub struct Shared {
    /// Configuration.
    pub config: SimConfig,
    /// The venue.
    pub venue: Mutex<Venue>,
    /// Keys and their accounts.
    pub keys: Vec<KeyAccounts>,
    /// Spot hub.
    pub spot_hub: Hub,
    /// Futures hub.
    pub futures_hub: Hub,
    /// Faults.
    pub faults: Mutex<Faults>,
    /// Spot REST limiter.
    pub spot_limiter: Mutex<Limiter>,
    /// Futures REST limiter.
    pub futures_limiter: Mutex<Limiter>,
    /// Open WebSocket connections.
    pub conns: Arc<Conns>,
    /// The Kraken market.
    pub kraken: KrakenShared,
    /// The Coinbase markets.
    pub coinbase: CoinbaseShared,
    /// Cancelled on shutdown.
    pub cancel: CancellationToken,
    /// Tracks every task.
    pub tracker: TaskTracker,
}

/// Wall-clock milliseconds.
pub fn wall_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

const START_UPDATE_ID: u64 = 1_000_000;

impl Shared {
    /// Builds the venue: accounts per key, seeded books.
    pub fn new(config: SimConfig, cancel: CancellationToken, tracker: TaskTracker) -> Self {
        let fees = Fees {
            maker: config.maker_fee,
            taker: config.taker_fee,
        };
        let mut spot = Exchange::new(
            MarketKind::Spot,
            &config.spot_symbols,
            fees,
            START_UPDATE_ID,
        );
        let mut futures = Exchange::new(
            MarketKind::Futures,
            &config.futures_symbols,
            fees,
            START_UPDATE_ID,
        );
        let keys = config
            .keys
            .iter()
            .map(|k| KeyAccounts {
                api_key: k.api_key.clone(),
                secret: k.secret_key.clone(),
                spot: spot.add_account(Account::new(AccountKind::Spot, &config.balances.spot)),
                margin: spot
                    .add_account(Account::new(AccountKind::Margin, &config.balances.margin)),
                futures: futures
                    .add_account(Account::new(AccountKind::Futures, &config.balances.futures)),
            })
            .collect();
        let now = wall_ms();
        let mut spot_flow = Flow::new(config.seed, 400);
        let mut futures_flow = Flow::new(config.seed.wrapping_add(1), 400);
        spot_flow.seed_books(&mut spot, config.seed_levels, now);
        futures_flow.seed_books(&mut futures, config.seed_levels, now);
        let feed = |ex: &mut Exchange, rates: fn() -> Vec<crate::binance::depth_feed::Rate>| {
            ex.symbol_names()
                .into_iter()
                .map(|s| {
                    let id = ex.symbol_mut(&s).map(|st| {
                        let _ = st.book.take_diff();
                        st.book.update_id()
                    });
                    (s, DepthFeed::new(rates(), id.unwrap_or(START_UPDATE_ID)))
                })
                .collect()
        };
        let spot_depth = feed(&mut spot, spot_rates);
        let futures_depth = feed(&mut futures, futures_rates);
        spot.take_events();
        futures.take_events();
        let venue = Venue {
            spot,
            futures,
            spot_flow,
            futures_flow,
            spot_depth,
            futures_depth,
            listen_keys: HashMap::new(),
            kline_open: HashMap::new(),
            tick: 0,
            flow_carry: 0.0,
        };
        let limits = config.limits;
        let kraken = KrakenShared::new(config.kraken.clone(), config.seed, config.seed_levels, now);
        let coinbase = CoinbaseShared::new(
            config.coinbase.clone(),
            config.seed,
            config.seed_levels,
            now,
        );
        Shared {
            config,
            venue: Mutex::new(venue),
            keys,
            spot_hub: Hub::new(),
            futures_hub: Hub::new(),
            faults: Mutex::new(Faults::default()),
            spot_limiter: Mutex::new(Limiter::new(limits)),
            futures_limiter: Mutex::new(Limiter::new(limits)),
            conns: Arc::new(Conns::default()),
            kraken,
            coinbase,
            cancel,
            tracker,
        }
    }

    /// Server time in ms.
    pub fn now(&self) -> u64 {
        wall_ms()
    }

    /// Locks the venue (a poisoned lock is recovered: the engine has no invariants that a panic
    /// in a renderer could break).
    pub fn venue(&self) -> MutexGuard<'_, Venue> {
        self.venue.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Locks the faults.
    pub fn faults(&self) -> MutexGuard<'_, Faults> {
        self.faults.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The key record of an API key.
    pub fn key(&self, api_key: &str) -> Option<&KeyAccounts> {
        self.keys.iter().find(|k| k.api_key == api_key)
    }

    /// The hub of a market.
    pub fn hub(&self, kind: MarketKind) -> &Hub {
        match kind {
            MarketKind::Spot => &self.spot_hub,
            MarketKind::Futures => &self.futures_hub,
        }
    }
}
