//! [`CoinbaseExchange`]: the [`Exchange`] trait for Coinbase Advanced Trade on the shared
//! plumbing (REST client with a fresh JWT per request, per-second rate limiter).
//!
//! `connect` loads the markets and opens the market-data session (`connection`); the REST
//! calls live in `trading` (orders), `account` (balances, positions) and `market_data`
//! (markets, candles); the public streams in `streams` and `book_driver`, the private one in
//! `user_stream`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex as StdMutex, RwLock};

use async_trait::async_trait;
use tokio::sync::{Mutex, watch};

use super::auth::JwtSigner;
use super::config::CoinbaseConfig;
use super::connection::Running;
use super::http::CoinbaseHttp;
use crate::exchange::{Capabilities, Capability};
use crate::model::{
    AccountEvent, Balance, Candle, Fill, Market, Order, OrderRequest, Position, Symbol, Ticker,
    Timeframe, Trade,
};
use crate::{
    AdapterConfig, BookUpdate, ConnectionState, Exchange, ExchangeError, Result, Subscription,
};

/// What this adapter implements.
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
    .with(Capability::SubscribeTicker)
    .with(Capability::SubscribeOhlcv)
    .with(Capability::SubscribeOrderBook)
    .with(Capability::SubscribeAccount);

/// How many client order id → venue order id pairs are remembered before the map starts over
/// (a forgotten pair is found again through `orders/historical/batch`).
const MAX_KNOWN_IDS: usize = 10_000;

/// The markets of the last products listing, by unified symbol.
pub(crate) type MarketMap = HashMap<Symbol, Market>;

/// Coinbase Advanced Trade (spot, and INTX perpetual positions) for one account.
pub struct CoinbaseExchange {
    pub(crate) venue: String,
    pub(crate) adapter: AdapterConfig,
    pub(crate) cfg: CoinbaseConfig,
    pub(crate) http: CoinbaseHttp,
    pub(crate) markets: RwLock<Arc<MarketMap>>,
    /// Our client order id → Coinbase's order id, for orders this adapter placed or found.
    pub(crate) order_ids: StdMutex<HashMap<String, String>>,
    /// The JWT signer, for WebSocket subscribes.
    pub(crate) signer: Option<Arc<JwtSigner>>,
    /// The sessions and tasks while connected.
    pub(crate) running: Mutex<Option<Running>>,
    /// The market-data session's state.
    pub(crate) state: watch::Sender<ConnectionState>,
    /// Undecodable frames of every session of this adapter, across reconnects.
    pub(crate) counters: crate::session::FrameCounters,
}

impl std::fmt::Debug for CoinbaseExchange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CoinbaseExchange")
            .field("venue", &self.venue)
            .field("urls", &self.cfg.urls)
            .finish_non_exhaustive()
    }
}

impl CoinbaseExchange {
    /// Builds the adapter from the factory's configuration. No I/O.
    ///
    /// Credentials, when given, must be a CDP API key: the key name as API key and an EC
    /// P-256 PEM or a base64 Ed25519 key as secret.
    pub fn new(adapter: AdapterConfig) -> Result<Self> {
        Self::build(adapter, None)
    }

    /// As [`CoinbaseExchange::new`], with JWT times from `clock` (UNIX seconds) instead of the
    /// system clock: for tests of token lifetimes.
    pub fn with_jwt_clock(adapter: AdapterConfig, clock: fn() -> i64) -> Result<Self> {
        Self::build(adapter, Some(clock))
    }

    fn build(adapter: AdapterConfig, clock: Option<fn() -> i64>) -> Result<Self> {
        let cfg = CoinbaseConfig::from_adapter(&adapter)?;
        let signer = adapter
            .credentials
            .as_ref()
            .map(JwtSigner::from_credentials)
            .transpose()?
            .map(Arc::new);
        let http = CoinbaseHttp::with_clock(&cfg.urls.rest, signer.clone(), &cfg.options, clock)?;
        let (state, _) = watch::channel(ConnectionState::Disconnected);
        Ok(CoinbaseExchange {
            venue: adapter.venue.clone(),
            adapter,
            cfg,
            http,
            markets: RwLock::new(Arc::new(MarketMap::new())),
            order_ids: StdMutex::new(HashMap::new()),
            signer,
            running: Mutex::new(None),
            state,
            counters: crate::session::FrameCounters::new(),
        })
    }

    /// The REST side (limiter), for diagnostics and tests.
    pub fn http(&self) -> &CoinbaseHttp {
        &self.http
    }

    /// The cached markets, loading them first if none are cached.
    pub(crate) async fn cache(&self) -> Result<Arc<MarketMap>> {
        let cached = self.cached();
        if !cached.is_empty() {
            return Ok(cached);
        }
        self.load_markets().await?;
        Ok(self.cached())
    }

    fn cached(&self) -> Arc<MarketMap> {
        self.markets
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The cached market of `symbol`, or [`ExchangeError::BadSymbol`].
    pub(crate) async fn market(&self, symbol: &Symbol) -> Result<Market> {
        self.cache()
            .await?
            .get(symbol)
            .cloned()
            .ok_or_else(|| ExchangeError::BadSymbol(format!("{symbol} is not listed on Coinbase")))
    }

    /// Loads the markets into the cache.
    pub(crate) async fn load_markets(&self) -> Result<Vec<Market>> {
        let markets = self.request_markets().await?;
        let map = markets
            .iter()
            .map(|m| (m.symbol.clone(), m.clone()))
            .collect();
        *self.markets.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(map);
        Ok(markets)
    }

    /// Remembers the venue order id of one of our client order ids.
    pub(crate) fn remember(&self, client_order_id: &str, order_id: &str) {
        if client_order_id.is_empty() {
            return;
        }
        let mut ids = self.order_ids.lock().unwrap_or_else(|p| p.into_inner());
        if ids.len() >= MAX_KNOWN_IDS {
            ids.clear();
        }
        ids.insert(client_order_id.to_owned(), order_id.to_owned());
    }

    /// The remembered venue order id of `client_order_id`.
    pub(crate) fn known_id(&self, client_order_id: &str) -> Option<String> {
        self.order_ids
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(client_order_id)
            .cloned()
    }
}

#[async_trait]
impl Exchange for CoinbaseExchange {
    fn venue(&self) -> &str {
        &self.venue
    }

    fn capabilities(&self) -> Capabilities {
        CAPABILITIES
    }

    async fn connect(&self) -> Result<()> {
        self.ensure_connected().await
    }

    async fn disconnect(&self) -> Result<()> {
        self.stop().await;
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
        self.find_order(symbol, client_order_id).await
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

    async fn subscribe_order_book(
        &self,
        symbol: &Symbol,
        depth: usize,
    ) -> Result<Subscription<BookUpdate>> {
        self.book_stream(symbol, depth).await
    }

    async fn subscribe_account(&self) -> Result<Subscription<AccountEvent>> {
        self.account_stream().await
    }
}
