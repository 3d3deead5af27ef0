//! The [`Exchange`] trait: what every venue adapter offers, in normalized types.
//!
//! It is the seed's `BaseExchange` (connect, disconnect, fetch_markets, fetch_balance,
//! place_order, cancel_order, fetch_order_status, fetch_open_orders, fetch_positions,
//! fetch_ohlcv, subscribe_ohlcv, subscribe_trades, subscribe_order_book) plus `cancel_all_orders`,
//! `subscribe_ticker`, the private `subscribe_account` stream and a connection-state watch.
//!
//! # Implementing an adapter
//!
//! An adapter implements [`Exchange::venue`], [`Exchange::capabilities`] and the methods its venue
//! supports. Every other method keeps its default body, which answers
//! [`ExchangeError::NotSupported`] naming the venue and the method, so callers can handle a missing
//! feature like any other error and nothing panics.
//!
//! **The capability rule:** [`Exchange::capabilities`] must list exactly the methods the adapter
//! overrides. [`Exchange::has`] answers from that set, so a capability declared but not
//! implemented would promise what the adapter cannot do, and one implemented but not declared
//! would hide a working feature from callers. Two things keep the rule honest:
//!
//! - a default body that runs although its capability is declared says so in its message
//!   ("adapter bug: ... declared but not implemented"), still as `NotSupported`;
//! - every adapter's tests call [`conformance::check_undeclared`], which invokes each undeclared
//!   method and fails unless it answers `NotSupported`.
//!
//! # Streams
//!
//! `subscribe_*` return a [`Subscription`]: a stream that outlives reconnects (it yields
//! [`crate::StreamEvent::Resync`] after a gap) and unsubscribes when dropped. Order books come as
//! [`BookUpdate`]s: proven snapshots, gap-free deltas, or word that the book went stale.

mod capability;
pub mod conformance;

pub use capability::{Capabilities, Capability};

use async_trait::async_trait;
use tokio::sync::watch;

use crate::model::{
    AccountEvent, Balance, Candle, Fill, Market, Order, OrderRequest, Position, Symbol, Ticker,
    Timeframe, Trade,
};
use crate::session::FrameCounters;
use crate::{BookUpdate, ConnectionState, ExchangeError, Result, Subscription};

/// A venue adapter: market data, account queries and order entry, in normalized types.
///
/// Adapters are shared across tasks (`Arc<dyn Exchange>`), so every method takes `&self`.
/// See the [module documentation](self) for the capability rule every adapter follows.
#[async_trait]
pub trait Exchange: Send + Sync {
    /// The venue's registered name (`binance`, `coinbase`, `kraken`): the name the factory built
    /// it under (`AdapterConfig::venue`) and the `<venue>` token of bus subjects.
    fn venue(&self) -> &str;

    /// The optional methods and streams this adapter implements. See the capability rule in the
    /// [module documentation](self).
    fn capabilities(&self) -> Capabilities;

    /// Whether this adapter implements `capability`.
    fn has(&self, capability: Capability) -> bool {
        self.capabilities().contains(capability)
    }

    /// The error a default method body answers: `NotSupported`, naming venue and method.
    fn not_supported(&self, capability: Capability) -> ExchangeError {
        capability.not_supported(self.venue(), self.has(capability))
    }

    /// Establishes what the adapter needs before use: sessions, time sync, market cache.
    ///
    /// Idempotent. The default does nothing and succeeds: an adapter without a persistent session
    /// (REST only) has nothing to establish.
    async fn connect(&self) -> Result<()> {
        Ok(())
    }

    /// Closes sessions and ends every subscription stream. Idempotent; the default does nothing.
    async fn disconnect(&self) -> Result<()> {
        Ok(())
    }

    /// A watch on the adapter's connection state, as its session manager reports it.
    ///
    /// The default, for adapters without a persistent session, is a watch whose sender is gone:
    /// it reads [`ConnectionState::Disconnected`] and `changed()` returns an error at once.
    fn connection_state(&self) -> watch::Receiver<ConnectionState> {
        watch::channel(ConnectionState::Disconnected).1
    }

    /// Every market the venue lists, with its trading rules. Capability `fetch_markets`.
    async fn fetch_markets(&self) -> Result<Vec<Market>> {
        Err(self.not_supported(Capability::FetchMarkets))
    }

    /// The account's balances (assets with a zero total may be left out).
    /// Capability `fetch_balance`.
    async fn fetch_balance(&self) -> Result<Vec<Balance>> {
        Err(self.not_supported(Capability::FetchBalance))
    }

    /// Places one order, carrying `request.client_order_id` in the venue's client-order-id field,
    /// and returns the venue's acknowledgement. Callers validate the request against its market
    /// first ([`OrderRequest::validate`]). An outcome that cannot be known (timeout after sending,
    /// 5xx) is [`ExchangeError::UnknownOrderStatus`]. Capability `place_order`.
    async fn place_order(&self, request: &OrderRequest) -> Result<Order> {
        let _ = request;
        Err(self.not_supported(Capability::PlaceOrder))
    }

    /// Cancels one order by our client order id and returns it in its new state.
    /// Capability `cancel_order`.
    async fn cancel_order(&self, symbol: &Symbol, client_order_id: &str) -> Result<Order> {
        let _ = (symbol, client_order_id);
        Err(self.not_supported(Capability::CancelOrder))
    }

    /// Cancels every open order, of one symbol or of all, and returns the canceled orders.
    /// Capability `cancel_all_orders`.
    async fn cancel_all_orders(&self, symbol: Option<&Symbol>) -> Result<Vec<Order>> {
        let _ = symbol;
        Err(self.not_supported(Capability::CancelAllOrders))
    }

    /// The current state of one order, by our client order id. Capability `fetch_order_status`.
    async fn fetch_order_status(&self, symbol: &Symbol, client_order_id: &str) -> Result<Order> {
        let _ = (symbol, client_order_id);
        Err(self.not_supported(Capability::FetchOrderStatus))
    }

    /// Every execution of one order, by our client order id, oldest first, each with the venue's
    /// trade id: the REST check of the private stream's fills (reconciliation after a restart or a
    /// reconnect). An order the venue does not know is [`ExchangeError::OrderNotFound`].
    /// Capability `fetch_order_fills`.
    async fn fetch_order_fills(&self, symbol: &Symbol, client_order_id: &str) -> Result<Vec<Fill>> {
        let _ = (symbol, client_order_id);
        Err(self.not_supported(Capability::FetchOrderFills))
    }

    /// Open orders, of one symbol or of all. Capability `fetch_open_orders`.
    async fn fetch_open_orders(&self, symbol: Option<&Symbol>) -> Result<Vec<Order>> {
        let _ = symbol;
        Err(self.not_supported(Capability::FetchOpenOrders))
    }

    /// Open derivative or margin positions. Capability `fetch_positions`.
    async fn fetch_positions(&self) -> Result<Vec<Position>> {
        Err(self.not_supported(Capability::FetchPositions))
    }

    /// Historical candles, oldest first, starting at `since_ns` (ns since the epoch) when given,
    /// at most `limit` of them when given (the venue's own cap applies too).
    /// Capability `fetch_ohlcv`.
    async fn fetch_ohlcv(
        &self,
        symbol: &Symbol,
        timeframe: Timeframe,
        since_ns: Option<i64>,
        limit: Option<u32>,
    ) -> Result<Vec<Candle>> {
        let _ = (symbol, timeframe, since_ns, limit);
        Err(self.not_supported(Capability::FetchOhlcv))
    }

    /// Public trades of one market. Capability `subscribe_trades`.
    async fn subscribe_trades(&self, symbol: &Symbol) -> Result<Subscription<Trade>> {
        let _ = symbol;
        Err(self.not_supported(Capability::SubscribeTrades))
    }

    /// The order book of one market, kept in sync by the venue's documented snapshot + delta
    /// procedure, truncated to `depth` levels per side. Capability `subscribe_order_book`.
    async fn subscribe_order_book(
        &self,
        symbol: &Symbol,
        depth: usize,
    ) -> Result<Subscription<BookUpdate>> {
        let _ = (symbol, depth);
        Err(self.not_supported(Capability::SubscribeOrderBook))
    }

    /// Best bid/ask and 24-hour statistics of one market. Capability `subscribe_ticker`.
    async fn subscribe_ticker(&self, symbol: &Symbol) -> Result<Subscription<Ticker>> {
        let _ = symbol;
        Err(self.not_supported(Capability::SubscribeTicker))
    }

    /// Candles of one market as they form (`closed == false`) and close.
    /// Capability `subscribe_ohlcv`.
    async fn subscribe_ohlcv(
        &self,
        symbol: &Symbol,
        timeframe: Timeframe,
    ) -> Result<Subscription<Candle>> {
        let _ = (symbol, timeframe);
        Err(self.not_supported(Capability::SubscribeOhlcv))
    }

    /// The account's private stream: order updates, fills, balance and position changes.
    /// Needs credentials. Capability `subscribe_account`.
    async fn subscribe_account(&self) -> Result<Subscription<AccountEvent>> {
        Err(self.not_supported(Capability::SubscribeAccount))
    }

    /// Counts of the adapter's venue connections (undecodable frames), shared with its
    /// sessions: a handle read at any time, e.g. by a metrics scrape.
    ///
    /// The default, for an adapter without sessions, is a fresh handle that stays at zero.
    fn frame_counters(&self) -> FrameCounters {
        FrameCounters::new()
    }
}
