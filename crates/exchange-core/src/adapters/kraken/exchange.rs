//! [`KrakenExchange`]: the [`Exchange`] trait for Kraken spot, on the shared plumbing (REST
//! client, session manager, rate limiter).
//!
//! `connect` loads the markets (AssetPairs) and opens the public WebSocket v2 session; the
//! private `executions` session opens with `subscribe_account`. Every subscription and driver
//! task is owned by the running connection (a [`CancellationToken`] and a [`TaskTracker`]) and
//! ends on `disconnect`. REST calls live in `trading` and `market_data`, streams in
//! `streams`, `book_driver` and `executions`.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use async_trait::async_trait;
use tokio::sync::{Mutex, watch};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::SymbolMap;
use super::config::KrakenConfig;
use super::http::KrakenHttp;
use super::parse::markets::{AssetPairs, markets};
use super::rest_venue::KrakenAuth;
use super::ws::{KrakenWsProtocol, WsKey, WsMessage};
use crate::exchange::{Capabilities, Capability};
use crate::model::{
    AccountEvent, Balance, Candle, Fill, Market, Order, OrderRequest, Position, Symbol, Ticker,
    Timeframe, Trade,
};
use crate::session::{PingConfig, PingKind, Session, SessionConfig, SessionHandle, presets};
use crate::{
    AdapterConfig, BookUpdate, ConnectionState, Exchange, ExchangeError, Result, Subscription,
};

/// Everything Kraken spot offers through this adapter.
const CAPABILITIES: Capabilities = Capabilities::EMPTY
    .with(Capability::FetchMarkets)
    .with(Capability::FetchBalance)
    .with(Capability::PlaceOrder)
    .with(Capability::CancelOrder)
    .with(Capability::CancelAllOrders)
    .with(Capability::FetchOrderStatus)
    .with(Capability::FetchOrderFills)
    .with(Capability::FetchOpenOrders)
    .with(Capability::FetchPositions)
    .with(Capability::FetchOhlcv)
    .with(Capability::SubscribeTrades)
    .with(Capability::SubscribeOrderBook)
    .with(Capability::SubscribeTicker)
    .with(Capability::SubscribeOhlcv)
    .with(Capability::SubscribeAccount);

/// The markets of the last AssetPairs, indexed by symbol, with every Kraken pair name.
#[derive(Debug, Default)]
pub struct MarketCache {
    markets: Vec<Market>,
    by_symbol: HashMap<Symbol, usize>,
    symbols: SymbolMap,
}

impl MarketCache {
    fn new(markets: Vec<Market>, symbols: SymbolMap) -> Self {
        let by_symbol = markets
            .iter()
            .enumerate()
            .map(|(i, m)| (m.symbol.clone(), i))
            .collect();
        MarketCache {
            markets,
            by_symbol,
            symbols,
        }
    }

    /// Every market.
    pub fn markets(&self) -> &[Market] {
        &self.markets
    }

    /// Kraken pair names ⇄ unified symbols.
    pub fn symbols(&self) -> &SymbolMap {
        &self.symbols
    }

    /// The market of `symbol`, or [`ExchangeError::BadSymbol`].
    pub fn market(&self, symbol: &Symbol) -> Result<&Market> {
        self.by_symbol
            .get(symbol)
            .and_then(|i| self.markets.get(*i))
            .ok_or_else(|| ExchangeError::BadSymbol(format!("{symbol} is not listed on kraken")))
    }
}

/// The public session of a connected adapter.
pub(crate) type PublicSession = SessionHandle<WsKey, WsMessage>;

/// What exists while connected.
pub(crate) struct Running {
    pub(crate) cancel: CancellationToken,
    pub(crate) tracker: TaskTracker,
    pub(crate) public: Session<WsKey, WsMessage>,
    pub(crate) protocol: Arc<KrakenWsProtocol>,
}

impl Drop for Running {
    /// Dropping the adapter without `disconnect` still stops every task it started.
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

/// A connected adapter's public session, its protocol and the owners of new tasks.
pub(crate) struct Public {
    pub(crate) session: PublicSession,
    pub(crate) protocol: Arc<KrakenWsProtocol>,
    pub(crate) cancel: CancellationToken,
    pub(crate) tracker: TaskTracker,
}

/// Kraken spot for one account.
///
/// Each stream (one symbol's trades, ticker, candles of one timeframe, book at one depth) can
/// be subscribed once at a time per adapter; a second subscription to the same stream is
/// refused with [`ExchangeError::Config`] until the first is dropped.
pub struct KrakenExchange {
    pub(crate) venue: String,
    pub(crate) adapter: AdapterConfig,
    pub(crate) cfg: KrakenConfig,
    pub(crate) http: KrakenHttp,
    pub(crate) markets: RwLock<Arc<MarketCache>>,
    pub(crate) running: Mutex<Option<Running>>,
    pub(crate) state: watch::Sender<ConnectionState>,
    /// Undecodable frames of every session of this adapter, across reconnects.
    pub(crate) counters: crate::session::FrameCounters,
}

impl std::fmt::Debug for KrakenExchange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KrakenExchange")
            .field("venue", &self.venue)
            .field("urls", &self.cfg.urls)
            .finish_non_exhaustive()
    }
}

impl KrakenExchange {
    /// Builds the adapter from the factory's configuration. No I/O.
    pub fn new(adapter: AdapterConfig) -> Result<Self> {
        let cfg = KrakenConfig::from_adapter(&adapter)?;
        let auth = adapter
            .credentials
            .as_ref()
            .map(KrakenAuth::from_credentials)
            .transpose()?
            .map(Arc::new);
        let http = KrakenHttp::new(&cfg.urls.rest, auth, &cfg.options)?;
        let (state, _) = watch::channel(ConnectionState::Disconnected);
        Ok(KrakenExchange {
            venue: adapter.venue.clone(),
            adapter,
            cfg,
            http,
            markets: RwLock::new(Arc::new(MarketCache::default())),
            running: Mutex::new(None),
            state,
            counters: crate::session::FrameCounters::new(),
        })
    }

    /// The REST side (limiter, nonces), for diagnostics and tests.
    pub fn http(&self) -> &KrakenHttp {
        &self.http
    }

    /// The cached markets, loading them first if none are cached.
    pub(crate) async fn cache(&self) -> Result<Arc<MarketCache>> {
        let cached = self.cached();
        if !cached.markets().is_empty() {
            return Ok(cached);
        }
        self.load_markets().await?;
        Ok(self.cached())
    }

    fn cached(&self) -> Arc<MarketCache> {
        self.markets
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// `GET AssetPairs` into the cache.
    pub(crate) async fn load_markets(&self) -> Result<Vec<Market>> {
        let pairs: AssetPairs = self.http.public("AssetPairs", Vec::new()).await?;
        let (list, symbols) = markets(&pairs);
        *self.markets.write().unwrap_or_else(|p| p.into_inner()) =
            Arc::new(MarketCache::new(list.clone(), symbols));
        Ok(list)
    }

    /// Session settings for one of Kraken's v2 endpoints.
    pub(crate) fn session_config(&self, name: &str, url: &str) -> SessionConfig {
        let mut cfg = presets::kraken(format!("{}-{name}", self.venue), url);
        cfg.stale_after = self.cfg.options.stale_after();
        cfg.counters = self.counters.clone();
        cfg.ping = Some(PingConfig {
            kind: PingKind::Application,
            interval: std::time::Duration::from_millis(self.cfg.options.ping_interval_ms.max(1)),
        });
        cfg
    }

    /// The public session, connecting first if needed.
    pub(crate) async fn public(&self) -> Result<Public> {
        self.connect().await?;
        let running = self.running.lock().await;
        let running = running.as_ref().ok_or_else(|| ExchangeError::Connection {
            message: format!("{}: disconnected", self.venue),
            source: None,
        })?;
        Ok(Public {
            session: running.public.handle(),
            protocol: running.protocol.clone(),
            cancel: running.cancel.clone(),
            tracker: running.tracker.clone(),
        })
    }

    async fn start(&self) -> Result<Running> {
        self.load_markets().await?;
        let cancel = CancellationToken::new();
        let tracker = TaskTracker::new();
        let protocol = Arc::new(KrakenWsProtocol::new());
        let cfg = self.session_config("public", &self.cfg.urls.ws_public);
        let public = Session::spawn(cfg, protocol.clone(), None, &cancel)?;
        let mut states = public.handle().state();
        let forward = self.state.clone();
        let token = cancel.clone();
        tracker.spawn(async move {
            loop {
                forward.send_replace(*states.borrow_and_update());
                tokio::select! {
                    _ = token.cancelled() => break,
                    changed = states.changed() => if changed.is_err() { break },
                }
            }
        });
        Ok(Running {
            cancel,
            tracker,
            public,
            protocol,
        })
    }
}

#[async_trait]
impl Exchange for KrakenExchange {
    fn venue(&self) -> &str {
        &self.venue
    }

    fn capabilities(&self) -> Capabilities {
        CAPABILITIES
    }

    async fn connect(&self) -> Result<()> {
        let mut running = self.running.lock().await;
        if running.is_none() {
            *running = Some(self.start().await?);
        }
        Ok(())
    }

    async fn disconnect(&self) -> Result<()> {
        let running = self.running.lock().await.take();
        if let Some(running) = running {
            running.cancel.cancel();
            running.public.shutdown().await;
            running.tracker.close();
            running.tracker.wait().await;
        }
        self.state.send_replace(ConnectionState::Disconnected);
        Ok(())
    }

    fn connection_state(&self) -> watch::Receiver<ConnectionState> {
        self.state.subscribe()
    }

    fn frame_counters(&self) -> crate::session::FrameCounters {
        self.counters.clone()
    }

    async fn fetch_markets(&self) -> Result<Vec<Market>> {
        self.load_markets().await
    }

    async fn fetch_balance(&self) -> Result<Vec<Balance>> {
        self.balances().await
    }

    async fn place_order(&self, request: &OrderRequest) -> Result<Order> {
        self.place(request).await
    }

    async fn cancel_order(&self, symbol: &Symbol, client_order_id: &str) -> Result<Order> {
        self.cancel(symbol, client_order_id).await
    }

    async fn cancel_all_orders(&self, symbol: Option<&Symbol>) -> Result<Vec<Order>> {
        self.cancel_all(symbol).await
    }

    async fn fetch_order_status(&self, symbol: &Symbol, client_order_id: &str) -> Result<Order> {
        self.find_order(symbol, client_order_id)
            .await?
            .ok_or_else(|| {
                ExchangeError::OrderNotFound(format!(
                    "kraken: no order {client_order_id:?} on {symbol}"
                ))
            })
    }

    async fn fetch_order_fills(&self, symbol: &Symbol, client_order_id: &str) -> Result<Vec<Fill>> {
        self.order_fills(symbol, client_order_id).await
    }

    async fn fetch_open_orders(&self, symbol: Option<&Symbol>) -> Result<Vec<Order>> {
        self.open_orders(symbol).await
    }

    async fn fetch_positions(&self) -> Result<Vec<Position>> {
        self.positions().await
    }

    async fn fetch_ohlcv(
        &self,
        symbol: &Symbol,
        timeframe: Timeframe,
        since_ns: Option<i64>,
        limit: Option<u32>,
    ) -> Result<Vec<Candle>> {
        self.candles(symbol, timeframe, since_ns, limit).await
    }

    async fn subscribe_trades(&self, symbol: &Symbol) -> Result<Subscription<Trade>> {
        self.trades_stream(symbol).await
    }

    async fn subscribe_order_book(
        &self,
        symbol: &Symbol,
        depth: usize,
    ) -> Result<Subscription<BookUpdate>> {
        self.book_stream(symbol, depth).await
    }

    async fn subscribe_ticker(&self, symbol: &Symbol) -> Result<Subscription<Ticker>> {
        self.ticker_stream(symbol).await
    }

    async fn subscribe_ohlcv(
        &self,
        symbol: &Symbol,
        timeframe: Timeframe,
    ) -> Result<Subscription<Candle>> {
        self.candle_stream(symbol, timeframe).await
    }

    async fn subscribe_account(&self) -> Result<Subscription<AccountEvent>> {
        self.account_stream().await
    }
}
