//! Kraken state of a running simulator: its own market (engine, flow, published book views),
//! order metadata the engine does not know (txid, userref, flags), per-key nonces and counters,
//! WebSocket tokens, and the broadcast hubs that carry rendered v2 messages.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::broadcast;

use super::book_feed::BookFeed;
use super::config::KrakenConfig;
use super::limits::Counter;
use super::pairs::{self, KrakenPair};
use crate::engine::{Account, AccountKind, Exchange, Fees, Flow, MarketKind};

/// A rendered public v2 message.
#[derive(Debug)]
pub struct TopicMsg {
    /// `book:BTC/USD:10`, `trade:BTC/USD`, `ticker:BTC/USD`, `ohlc:BTC/USD:1`.
    pub topic: String,
    /// Feed sequence (book topics; 0 elsewhere).
    pub seq: u64,
    /// Frame JSON.
    pub data: String,
}

/// Rendered `executions` entries for one account (the connection adds `sequence`).
#[derive(Debug)]
pub struct ExecMsg {
    /// Account index.
    pub account: usize,
    /// Entries of `data`, JSON objects.
    pub entries: Vec<String>,
}

/// What the engine does not keep about a Kraken order.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderMeta {
    /// txid.
    pub txid: String,
    /// `userref`.
    pub userref: i64,
    /// `cl_ord_id`, when the client gave one.
    pub cl_ord_id: Option<String>,
    /// Kraken order type (`limit`, `market`, `stop-loss-limit`, …).
    pub ordertype: String,
    /// `oflags` as listed on the order (`post,fciq`).
    pub oflags: String,
    /// Order time, µs.
    pub opentm_us: u64,
    /// Close time, µs (when closed).
    pub closetm_us: Option<u64>,
}

/// One API key's Kraken state. Debug never shows the secret.
#[derive(Clone)]
pub struct KrakenKey {
    /// API key.
    pub api_key: String,
    /// Base64 secret (never logged).
    pub secret: String,
    /// Account index in the Kraken exchange.
    pub account: usize,
    /// Last accepted nonce.
    pub last_nonce: u64,
    /// REST call counter.
    pub calls: Counter,
    /// Trading counters by pair altname.
    pub trading: HashMap<String, Counter>,
}

impl std::fmt::Debug for KrakenKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KrakenKey")
            .field("api_key", &self.api_key)
            .field("secret", &"<redacted>")
            .field("account", &self.account)
            .field("last_nonce", &self.last_nonce)
            .finish()
    }
}

/// The Kraken market and its bookkeeping.
pub struct KrakenVenue {
    /// Engine.
    pub ex: Exchange,
    /// Synthetic flow.
    pub flow: Flow,
    /// Published book views by (altname, depth).
    pub feeds: BTreeMap<(String, usize), BookFeed>,
    /// Order metadata by engine id.
    pub meta: HashMap<u64, OrderMeta>,
    /// txid → engine id.
    pub txids: HashMap<String, u64>,
    /// Keys.
    pub keys: Vec<KrakenKey>,
    /// WebSocket tokens → (key index, expiry ms).
    pub tokens: HashMap<String, (usize, u64)>,
    /// Fractional flow steps carried between ticks.
    pub flow_carry: f64,
    /// Tokens issued (for unique token text).
    pub token_seq: u64,
}

/// Kraken broadcast hubs.
pub struct KrakenHub {
    /// Public messages.
    pub public: broadcast::Sender<Arc<TopicMsg>>,
    /// Private executions.
    pub exec: broadcast::Sender<Arc<ExecMsg>>,
    active: Mutex<HashMap<String, usize>>,
}

impl KrakenHub {
    fn new() -> Self {
        KrakenHub {
            public: broadcast::channel(65_536).0,
            exec: broadcast::channel(8192).0,
            active: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a subscription (+1) or an unsubscription (-1) of a topic.
    pub fn track(&self, topic: &str, delta: isize) {
        if let Ok(mut m) = self.active.lock() {
            let n = m.entry(topic.to_string()).or_insert(0);
            *n = n.saturating_add_signed(delta);
            if *n == 0 {
                m.remove(topic);
            }
        }
    }

    /// Topics with at least one subscriber.
    pub fn active(&self) -> Vec<String> {
        self.active
            .lock()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// Broadcasts a public message.
    pub fn send(&self, topic: String, seq: u64, data: String) {
        let _ = self.public.send(Arc::new(TopicMsg { topic, seq, data }));
    }
}

/// Kraken part of the shared state.
pub struct KrakenShared {
    /// Configuration.
    pub config: KrakenConfig,
    /// Market.
    pub venue: Mutex<KrakenVenue>,
    /// Hubs.
    pub hub: KrakenHub,
}

impl KrakenShared {
    /// Builds the Kraken market: accounts per key and seeded books.
    pub fn new(config: KrakenConfig, seed: u64, seed_levels: usize, now: u64) -> Self {
        let specs: Vec<_> = config.pairs.iter().map(KrakenPair::spec).collect();
        let fees = Fees {
            maker: config.maker_fee,
            taker: config.taker_fee,
        };
        let mut ex = Exchange::new(MarketKind::Spot, &specs, fees, 1);
        let keys = config
            .keys
            .iter()
            .map(|k| KrakenKey {
                api_key: k.api_key.clone(),
                secret: k.secret_key.clone(),
                account: ex.add_account(Account::new(AccountKind::Spot, &config.balances)),
                last_nonce: 0,
                calls: Counter::default(),
                trading: HashMap::new(),
            })
            .collect();
        let mut flow = Flow::new(seed.wrapping_add(2), 400);
        flow.seed_books(&mut ex, seed_levels, now);
        ex.take_events();
        let venue = KrakenVenue {
            ex,
            flow,
            feeds: BTreeMap::new(),
            meta: HashMap::new(),
            txids: HashMap::new(),
            keys,
            tokens: HashMap::new(),
            flow_carry: 0.0,
            token_seq: 0,
        };
        KrakenShared {
            config,
            venue: Mutex::new(venue),
            hub: KrakenHub::new(),
        }
    }

    /// Locks the market (a poisoned lock is recovered, as for the Binance venue).
    pub fn venue(&self) -> MutexGuard<'_, KrakenVenue> {
        self.venue.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A pair by any of its names.
    pub fn pair(&self, name: &str) -> Option<&KrakenPair> {
        pairs::find(&self.config.pairs, name)
    }

    /// The pair of an engine symbol (altname).
    pub fn pair_of_alt(&self, altname: &str) -> Option<&KrakenPair> {
        self.config.pairs.iter().find(|p| p.altname == altname)
    }
}
