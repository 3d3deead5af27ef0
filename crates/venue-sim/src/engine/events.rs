//! What the engine reports after each operation; the wire layer renders these into Binance
//! stream and user-data payloads.

use rust_decimal::Decimal;

use super::candles::PublicTrade;
use super::types::{ExecType, Order};

/// A change of one order, with the execution that caused it.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderUpdate {
    /// The order after the change.
    pub order: Order,
    /// What happened.
    pub exec: ExecType,
    /// Last executed quantity (zero unless `exec` is TRADE).
    pub last_qty: Decimal,
    /// Last executed price.
    pub last_price: Decimal,
    /// Commission of this execution.
    pub commission: Decimal,
    /// Commission asset, None when no execution.
    pub commission_asset: Option<String>,
    /// Trade id, -1 when no execution.
    pub trade_id: i64,
    /// Whether this execution was on the maker side.
    pub is_maker: bool,
    /// Realized PnL of this execution (futures).
    pub realized_pnl: Decimal,
    /// Event time (ms).
    pub time: u64,
    /// Client id of the cancel request, on a CANCELED update caused by one.
    pub cancel_client_id: Option<String>,
}

/// An engine event.
#[derive(Debug, Clone, PartialEq)]
pub enum EngineEvent {
    /// A public trade.
    Trade {
        /// Symbol.
        symbol: String,
        /// The trade.
        trade: PublicTrade,
    },
    /// The best bid or ask changed.
    BookTicker {
        /// Symbol.
        symbol: String,
        /// Book update id.
        update_id: u64,
        /// Best bid (price, qty), zeros when empty.
        bid: (Decimal, Decimal),
        /// Best ask (price, qty), zeros when empty.
        ask: (Decimal, Decimal),
        /// Time (ms).
        time: u64,
    },
    /// An account order changed.
    Order(Box<OrderUpdate>),
    /// Balances (and, for futures, a position) of an account changed.
    Account {
        /// Account index.
        account: usize,
        /// Assets whose balance changed.
        assets: Vec<String>,
        /// Futures symbol whose position changed.
        position: Option<String>,
        /// Time (ms).
        time: u64,
        /// Futures reason (`ORDER`, `DEPOSIT`, ...).
        reason: &'static str,
    },
    /// A balance was credited or debited outside trading (`balanceUpdate`).
    BalanceDelta {
        /// Account index.
        account: usize,
        /// Asset.
        asset: String,
        /// Signed amount.
        delta: Decimal,
        /// Time (ms).
        time: u64,
    },
}
