//! [`BinanceExchange`]: the [`Exchange`] trait for Binance spot, margin and USD-M futures, on
//! the shared plumbing (REST client, session manager, rate limiter, server clock).
//!
//! One struct serves the three products; [`Product`] picks paths, procedures and capabilities.
//! `connect` synchronises the clock, loads the markets and opens the market-stream session;
//! every subscription and driver task is owned by the running connection (a
//! [`CancellationToken`] and a [`TaskTracker`]) and ends on `disconnect`.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use async_trait::async_trait;
use tokio::sync::{Mutex, watch};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::Product;
use super::config::BinanceConfig;
use super::endpoints::{self, Paths};
use super::http::BinanceHttp;
use super::market_poll::MarketPoller;
use super::market_ws::MarketProtocol;
use super::markets_cache::MarketCache;
use super::parse::frame::MarketEvent;
use super::rest_venue::BinanceAuth;
use crate::exchange::{Capabilities, Capability};
use crate::model::{
    AccountEvent, Balance, Candle, Fill, Market, Order, OrderRequest, Position, Symbol, Ticker,
    Timeframe, Trade,
};
use crate::session::{FrameCounters, Poller, Session, SessionHandle, presets};
use crate::{
    AdapterConfig, BookUpdate, ConnectionState, Exchange, ExchangeError, Result, Subscription,
};

const COMMON: Capabilities = Capabilities::EMPTY
    .with(Capability::FetchMarkets)
    .with(Capability::FetchBalance)
    .with(Capability::PlaceOrder)
    .with(Capability::CancelOrder)
    .with(Capability::FetchOrderStatus)
    .with(Capability::FetchOrderFills)
    .with(Capability::FetchOpenOrders)
    .with(Capability::FetchOhlcv)
    .with(Capability::SubscribeTrades)
    .with(Capability::SubscribeOrderBook)
    .with(Capability::SubscribeTicker)
    .with(Capability::SubscribeOhlcv);

/// Spot: everything but positions (spot holds balances, not positions).
const SPOT: Capabilities = COMMON.with(Capability::SubscribeAccount);
/// Margin: no private stream (the margin user stream is not implemented).
const MARGIN: Capabilities = COMMON;
/// USD-M: positions and the listenKey stream.
const USDM: Capabilities = COMMON
    .with(Capability::FetchPositions)
    .with(Capability::SubscribeAccount);

/// The market-stream session of a connected adapter.
pub(crate) type MarketSession = SessionHandle<String, MarketEvent>;

/// What exists while connected.
pub(crate) struct Running {
    pub(crate) cancel: CancellationToken,
    pub(crate) tracker: TaskTracker,
    pub(crate) market: Session<String, MarketEvent>,
}

impl Drop for Running {
    /// Dropping the adapter without `disconnect` still stops every task it started.
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

/// Binance spot, margin or USD-M futures for one account.
///
/// Each stream (one symbol's trades, ticker, candles of one timeframe, book) can be subscribed
/// once at a time per adapter; a second subscription to the same stream is refused with
/// [`ExchangeError::Config`] until the first is dropped.
pub struct BinanceExchange {
    pub(crate) venue: String,
    pub(crate) adapter: AdapterConfig,
    pub(crate) cfg: BinanceConfig,
    pub(crate) paths: Paths,
    pub(crate) http: BinanceHttp,
    pub(crate) markets: RwLock<Arc<MarketCache>>,
    pub(crate) running: Mutex<Option<Running>>,
    pub(crate) state: watch::Sender<ConnectionState>,
    /// Undecodable frames of the market session, across reconnects.
    pub(crate) counters: FrameCounters,
    /// REST polling of the market streams while their WebSocket is unreachable.
    pub(crate) poller: Arc<MarketPoller>,
}

impl std::fmt::Debug for BinanceExchange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BinanceExchange")
            .field("venue", &self.venue)
            .field("product", &self.cfg.product)
            .field("urls", &self.cfg.urls)
            .finish_non_exhaustive()
    }
}

impl BinanceExchange {
    /// Builds the adapter of `product` from the factory's configuration. No I/O.
    pub fn new(product: Product, adapter: AdapterConfig) -> Result<Self> {
        let cfg = BinanceConfig::from_adapter(product, &adapter)?;
        let auth = adapter
            .credentials
            .as_ref()
            .map(BinanceAuth::from_credentials)
            .transpose()?
            .map(Arc::new);
        let paths = endpoints::paths(product);
        let http = BinanceHttp::new(&cfg.urls.rest, &paths, auth, &cfg.options)?;
        let (state, _) = watch::channel(ConnectionState::Disconnected);
        Ok(BinanceExchange {
            venue: adapter.venue.clone(),
            adapter,
            cfg,
            paths,
            poller: Arc::new(MarketPoller::new(http.clone(), product)),
            http,
            markets: RwLock::new(Arc::new(MarketCache::default())),
            running: Mutex::new(None),
            state,
            counters: FrameCounters::new(),
        })
    }

    /// The product this adapter trades.
    pub fn product(&self) -> Product {
        self.cfg.product
    }

    /// The REST side (limiter, clock), for diagnostics and tests.
    pub fn http(&self) -> &BinanceHttp {
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

    /// Loads the markets into the cache.
    pub(crate) async fn load_markets(&self) -> Result<Vec<Market>> {
        let markets = self.request_markets().await?;
        *self.markets.write().unwrap_or_else(|p| p.into_inner()) =
            Arc::new(MarketCache::new(markets.clone()));
        Ok(markets)
    }

    /// The market-stream session, connecting first if needed.
    pub(crate) async fn market_session(
        &self,
    ) -> Result<(MarketSession, CancellationToken, TaskTracker)> {
        self.connect().await?;
        let running = self.running.lock().await;
        let running = running.as_ref().ok_or_else(|| ExchangeError::Connection {
            message: format!("{}: disconnected", self.venue),
            source: None,
        })?;
        Ok((
            running.market.handle(),
            running.cancel.clone(),
            running.tracker.clone(),
        ))
    }

    async fn start(&self) -> Result<Running> {
        self.http.sync_clock().await?;
        self.load_markets().await?;
        let cancel = CancellationToken::new();
        let tracker = TaskTracker::new();
        let url = format!("{}/stream", self.cfg.urls.market_ws.trim_end_matches('/'));
        let mut session_cfg = presets::binance(format!("{}-market", self.venue), url);
        session_cfg.stale_after = self.cfg.options.stale_after();
        session_cfg.counters = self.counters.clone();
        let options = &self.cfg.options;
        session_cfg.poll_after_failures = options.poll_after_failures;
        session_cfg.poll_interval = Duration::from_millis(options.poll_interval_ms.max(1));
        session_cfg.backoff.cap = Duration::from_millis(options.reconnect_cap_ms.max(1));
        let poller: Option<Arc<dyn Poller<String, MarketEvent>>> =
            (options.poll_after_failures > 0).then(|| self.poller.clone() as _);
        let market = Session::spawn(
            session_cfg,
            Arc::new(MarketProtocol::new()),
            poller,
            &cancel,
        )?;
        let mut states = market.handle().state();
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
            market,
        })
    }
}

#[async_trait]
impl Exchange for BinanceExchange {
    fn venue(&self) -> &str {
        &self.venue
    }

    fn capabilities(&self) -> Capabilities {
        match self.cfg.product {
            Product::Spot => SPOT,
            Product::Margin => MARGIN,
            Product::UsdM => USDM,
        }
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
            running.market.shutdown().await;
            running.tracker.close();
            running.tracker.wait().await;
        }
        self.state.send_replace(ConnectionState::Disconnected);
        Ok(())
    }

    fn connection_state(&self) -> watch::Receiver<ConnectionState> {
        self.state.subscribe()
    }

    fn frame_counters(&self) -> FrameCounters {
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

    async fn fetch_order_status(&self, symbol: &Symbol, client_order_id: &str) -> Result<Order> {
        self.query_order(symbol, client_order_id).await
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
