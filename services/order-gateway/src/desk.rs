//! A desk: one (venue, account) the gateway trades for — its adapter, its market rules and its
//! journal. Commands, the private stream, reconciliation and queries of that account all go
//! through it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use exchange_core::model::{Market, Symbol};
use exchange_core::{Exchange, ExchangeError};
use tokio::sync::watch;

use crate::config::OrdersConfig;
use crate::journal::Journal;
use crate::metrics::OrderMetrics;

/// One (venue, account). Cheap to clone.
#[derive(Clone)]
pub struct Desk {
    /// The venue's adapter, with the account's credentials.
    pub exchange: Arc<dyn Exchange>,
    /// The account's journal.
    pub journal: Journal,
    /// How commands are consumed and outcomes settled.
    pub config: OrdersConfig,
    /// The metrics.
    pub metrics: OrderMetrics,
    markets: Arc<RwLock<HashMap<Symbol, Market>>>,
    last_load: Arc<Mutex<Option<Instant>>>,
    ready: watch::Sender<bool>,
}

/// The least time between two market reloads caused by an unknown symbol.
const RELOAD_EVERY: Duration = Duration::from_secs(60);

impl std::fmt::Debug for Desk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Desk")
            .field("venue", &self.venue())
            .field("account", &self.account())
            .finish_non_exhaustive()
    }
}

impl Desk {
    /// A desk over `exchange` and `journal`.
    pub fn new(
        exchange: Arc<dyn Exchange>,
        journal: Journal,
        config: OrdersConfig,
        metrics: OrderMetrics,
    ) -> Self {
        Desk {
            exchange,
            journal,
            config,
            metrics,
            markets: Arc::default(),
            last_load: Arc::default(),
            ready: watch::channel(false).0,
        }
    }

    /// The venue token.
    pub fn venue(&self) -> &str {
        self.journal.venue()
    }

    /// The account token.
    pub fn account(&self) -> &str {
        self.journal.account()
    }

    /// Loads the venue's markets (their lot, tick and notional rules).
    pub async fn load_markets(&self) -> Result<usize, ExchangeError> {
        let markets = self.exchange.fetch_markets().await?;
        let count = markets.len();
        let map = markets.into_iter().map(|m| (m.symbol.clone(), m)).collect();
        *self.markets.write().unwrap_or_else(|p| p.into_inner()) = map;
        *self.last_load.lock().unwrap_or_else(|p| p.into_inner()) = Some(Instant::now());
        Ok(count)
    }

    /// The rules of `symbol`; a symbol the cache does not know makes the markets load again
    /// (at most once a minute), so a new listing is tradable without a restart.
    pub async fn market_or_reload(&self, symbol: &Symbol) -> Option<Market> {
        if let Some(market) = self.market(symbol) {
            return Some(market);
        }
        let due = self
            .last_load
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_none_or(|at| at.elapsed() >= RELOAD_EVERY);
        if due {
            match self.load_markets().await {
                Ok(count) => {
                    tracing::info!(venue = self.venue(), count, %symbol, "markets reloaded for an unknown symbol")
                }
                Err(e) => {
                    tracing::warn!(venue = self.venue(), error = %e, "reloading markets failed")
                }
            }
        }
        self.market(symbol)
    }

    /// The rules of `symbol`, if the venue lists it.
    pub fn market(&self, symbol: &Symbol) -> Option<Market> {
        self.markets
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(symbol)
            .cloned()
    }

    /// Says whether the desk is reconciled and may take commands.
    pub fn set_ready(&self, ready: bool) {
        self.ready.send_replace(ready);
        self.metrics
            .desk_ready(self.venue(), self.account())
            .set(i64::from(ready));
    }

    /// A watch on [`Desk::set_ready`].
    pub fn ready(&self) -> watch::Receiver<bool> {
        self.ready.subscribe()
    }
}
