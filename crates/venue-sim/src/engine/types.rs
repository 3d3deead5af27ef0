//! Order vocabulary shared by the engine and the wire layer: sides, order types, statuses.
//!
//! Each enum knows its Binance wire spelling (`as_str`) and parses from it (`parse`), so the wire
//! layer never invents strings of its own.

use rust_decimal::Decimal;

/// Which side of the book an order is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Side {
    /// Buys the base asset.
    Buy,
    /// Sells the base asset.
    Sell,
}

impl Side {
    /// Binance spelling (`BUY` / `SELL`).
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Buy => "BUY",
            Side::Sell => "SELL",
        }
    }
    /// Parses the Binance spelling.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "BUY" => Some(Side::Buy),
            "SELL" => Some(Side::Sell),
            _ => None,
        }
    }
    /// The other side.
    pub fn opposite(self) -> Self {
        match self {
            Side::Buy => Side::Sell,
            Side::Sell => Side::Buy,
        }
    }
}

/// Order types the engine implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderType {
    /// Rests at a price.
    Limit,
    /// Takes liquidity until filled or the book is empty.
    Market,
    /// Post-only limit: rejected if it would take.
    LimitMaker,
    /// Becomes a limit order when the last price falls to (sell) / rises to (buy) the stop price.
    StopLossLimit,
    /// Becomes a limit order when the last price rises to (sell) / falls to (buy) the stop price.
    TakeProfitLimit,
}

impl OrderType {
    /// Binance spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderType::Limit => "LIMIT",
            OrderType::Market => "MARKET",
            OrderType::LimitMaker => "LIMIT_MAKER",
            OrderType::StopLossLimit => "STOP_LOSS_LIMIT",
            OrderType::TakeProfitLimit => "TAKE_PROFIT_LIMIT",
        }
    }
    /// Futures spelling (`STOP` / `TAKE_PROFIT` for the stop-limit pair).
    pub fn as_futures_str(self) -> &'static str {
        match self {
            OrderType::StopLossLimit => "STOP",
            OrderType::TakeProfitLimit => "TAKE_PROFIT",
            other => other.as_str(),
        }
    }
    /// Parses the spot spelling.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "LIMIT" => Some(OrderType::Limit),
            "MARKET" => Some(OrderType::Market),
            "LIMIT_MAKER" => Some(OrderType::LimitMaker),
            "STOP_LOSS_LIMIT" => Some(OrderType::StopLossLimit),
            "TAKE_PROFIT_LIMIT" => Some(OrderType::TakeProfitLimit),
            _ => None,
        }
    }
    /// Parses the futures spelling (`STOP`, `TAKE_PROFIT` are stop-limit orders).
    pub fn parse_futures(s: &str) -> Option<Self> {
        match s {
            "LIMIT" => Some(OrderType::Limit),
            "MARKET" => Some(OrderType::Market),
            "STOP" => Some(OrderType::StopLossLimit),
            "TAKE_PROFIT" => Some(OrderType::TakeProfitLimit),
            _ => None,
        }
    }
    /// Whether the order waits for a stop price before working.
    pub fn is_stop(self) -> bool {
        matches!(self, OrderType::StopLossLimit | OrderType::TakeProfitLimit)
    }
}

/// Time in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeInForce {
    /// Good till canceled.
    Gtc,
    /// Immediate or cancel.
    Ioc,
    /// Fill or kill.
    Fok,
    /// Futures post-only (good till crossing).
    Gtx,
}

impl TimeInForce {
    /// Binance spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            TimeInForce::Gtc => "GTC",
            TimeInForce::Ioc => "IOC",
            TimeInForce::Fok => "FOK",
            TimeInForce::Gtx => "GTX",
        }
    }
    /// Parses the Binance spelling.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "GTC" => Some(TimeInForce::Gtc),
            "IOC" => Some(TimeInForce::Ioc),
            "FOK" => Some(TimeInForce::Fok),
            "GTX" => Some(TimeInForce::Gtx),
            _ => None,
        }
    }
}

/// Order status (enums.md "Order status").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderStatus {
    /// Accepted by the engine.
    New,
    /// Part of the quantity filled.
    PartiallyFilled,
    /// Completely filled.
    Filled,
    /// Canceled by the user.
    Canceled,
    /// Rejected.
    Rejected,
    /// Expired by time in force (IOC/FOK remainder, market remainder).
    Expired,
}

impl OrderStatus {
    /// Binance spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::New => "NEW",
            OrderStatus::PartiallyFilled => "PARTIALLY_FILLED",
            OrderStatus::Filled => "FILLED",
            OrderStatus::Canceled => "CANCELED",
            OrderStatus::Rejected => "REJECTED",
            OrderStatus::Expired => "EXPIRED",
        }
    }
    /// Whether the order can still trade.
    pub fn is_open(self) -> bool {
        matches!(self, OrderStatus::New | OrderStatus::PartiallyFilled)
    }
}

/// Execution type of a user-data event (enums.md "Execution types").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExecType {
    /// Order accepted.
    New,
    /// Order canceled.
    Canceled,
    /// Order traded.
    Trade,
    /// Order expired.
    Expired,
}

impl ExecType {
    /// Binance spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ExecType::New => "NEW",
            ExecType::Canceled => "CANCELED",
            ExecType::Trade => "TRADE",
            ExecType::Expired => "EXPIRED",
        }
    }
}

/// Who owns a resting order: the synthetic flow or an account of one of the products.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Owner {
    /// The synthetic order flow (public liquidity).
    Flow,
    /// An account trading with its own balances (spot, margin or futures wallet).
    Account(usize),
}

/// An account order as the engine tracks it.
#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    /// Exchange order id.
    pub id: u64,
    /// Owning account index.
    pub account: usize,
    /// Symbol, upper case.
    pub symbol: String,
    /// Client order id.
    pub client_id: String,
    /// Side.
    pub side: Side,
    /// Type.
    pub kind: OrderType,
    /// Time in force (GTC for market orders on the wire).
    pub tif: TimeInForce,
    /// Limit price (zero for market orders).
    pub price: Decimal,
    /// Ordered base quantity (zero for a quote-quantity market order until filled).
    pub qty: Decimal,
    /// Ordered quote quantity of a market order (`quoteOrderQty`), else zero.
    pub quote_qty: Decimal,
    /// Stop price (zero when not a stop order).
    pub stop_price: Decimal,
    /// Executed base quantity.
    pub executed: Decimal,
    /// Executed quote quantity.
    pub cum_quote: Decimal,
    /// Status.
    pub status: OrderStatus,
    /// Creation time (ms).
    pub time: u64,
    /// Last update time (ms).
    pub update_time: u64,
    /// When the order started working (stop orders: when triggered).
    pub working_time: Option<u64>,
    /// Futures: reduce only.
    pub reduce_only: bool,
    /// Amount still locked in the account for this order (quote for buys, base for sells; futures: margin).
    pub locked: Decimal,
}

impl Order {
    /// Remaining base quantity.
    pub fn remaining(&self) -> Decimal {
        self.qty - self.executed
    }
    /// Average fill price, zero when nothing filled.
    pub fn avg_price(&self) -> Decimal {
        if self.executed.is_zero() {
            Decimal::ZERO
        } else {
            self.cum_quote / self.executed
        }
    }
}
