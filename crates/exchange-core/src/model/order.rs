//! Orders: what we ask a venue for ([`OrderRequest`]) and what it holds ([`Order`]).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Market, MarketKind, Symbol};

/// Buy or sell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// Buy the base asset.
    Buy,
    /// Sell the base asset.
    Sell,
}

impl Side {
    /// The other side.
    pub fn opposite(self) -> Side {
        match self {
            Side::Buy => Side::Sell,
            Side::Sell => Side::Buy,
        }
    }
}

/// How an order executes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderType {
    /// Execute now against the book at any price.
    Market,
    /// Rest at `price` or better.
    Limit,
    /// Becomes a limit order at `price` once the market trades through `stop_price`.
    StopLimit,
}

/// How long an order stays working.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeInForce {
    /// Good till canceled.
    Gtc,
    /// Immediate or cancel: fill what can be filled now, cancel the rest.
    Ioc,
    /// Fill or kill: fill all now or nothing.
    Fok,
    /// Good till date: until `expire_ts_ns`.
    Gtd,
}

/// Why an order is invalid, as a stable machine-readable code ([`InvalidOrderReason::code`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum InvalidOrderReason {
    /// The client order id is empty, too long or has characters venues refuse.
    ClientOrderId,
    /// The request's symbol is not the market's.
    SymbolMismatch,
    /// The market is not open for trading.
    MarketClosed,
    /// Quantity is zero or negative.
    NonPositiveQuantity,
    /// Price or stop price is zero or negative.
    NonPositivePrice,
    /// A limit or stop-limit order has no price.
    MissingPrice,
    /// A market order carries a price.
    UnexpectedPrice,
    /// A stop-limit order has no stop price.
    MissingStopPrice,
    /// A non-stop order carries a stop price.
    UnexpectedStopPrice,
    /// A price is not a multiple of the tick size.
    TickSize,
    /// A quantity is not a multiple of the lot size.
    LotSize,
    /// The quantity is below the market's minimum.
    MinQuantity,
    /// The quantity is above the market's maximum.
    MaxQuantity,
    /// Price × quantity is below the market's minimum notional.
    MinNotional,
    /// A GTD order has no expiry, or another order has one.
    Expiry,
    /// Post-only with a market order, or with IOC/FOK.
    PostOnly,
    /// Reduce-only on a market that has no positions.
    ReduceOnly,
    /// A market order with a time in force other than IOC/FOK/GTC.
    TimeInForce,
    /// A post-only order would have taken liquidity (venue rejection).
    PostOnlyWouldTake,
    /// The client order id is already in use at the venue.
    DuplicateClientOrderId,
    /// The venue refused the order for a reason that fits no other code.
    VenueRejected,
}

impl InvalidOrderReason {
    /// The stable snake_case code (`tick_size`, `min_notional`, ...).
    pub fn code(self) -> &'static str {
        match self {
            InvalidOrderReason::ClientOrderId => "client_order_id",
            InvalidOrderReason::SymbolMismatch => "symbol_mismatch",
            InvalidOrderReason::MarketClosed => "market_closed",
            InvalidOrderReason::NonPositiveQuantity => "non_positive_quantity",
            InvalidOrderReason::NonPositivePrice => "non_positive_price",
            InvalidOrderReason::MissingPrice => "missing_price",
            InvalidOrderReason::UnexpectedPrice => "unexpected_price",
            InvalidOrderReason::MissingStopPrice => "missing_stop_price",
            InvalidOrderReason::UnexpectedStopPrice => "unexpected_stop_price",
            InvalidOrderReason::TickSize => "tick_size",
            InvalidOrderReason::LotSize => "lot_size",
            InvalidOrderReason::MinQuantity => "min_quantity",
            InvalidOrderReason::MaxQuantity => "max_quantity",
            InvalidOrderReason::MinNotional => "min_notional",
            InvalidOrderReason::Expiry => "expiry",
            InvalidOrderReason::PostOnly => "post_only",
            InvalidOrderReason::ReduceOnly => "reduce_only",
            InvalidOrderReason::TimeInForce => "time_in_force",
            InvalidOrderReason::PostOnlyWouldTake => "post_only_would_take",
            InvalidOrderReason::DuplicateClientOrderId => "duplicate_client_order_id",
            InvalidOrderReason::VenueRejected => "venue_rejected",
        }
    }
}

/// A request to place one order.
///
/// ```json
/// {"client_order_id":"strat1-000042","symbol":"BTC/USDT","side":"buy","order_type":"limit",
///  "quantity":"0.010","price":"43000.00","stop_price":null,"time_in_force":"gtc",
///  "expire_ts_ns":null,"post_only":true,"reduce_only":false}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderRequest {
    /// Our id for the order: the idempotency key, carried in the venue's client-order-id field.
    /// 1–36 characters of `A-Z a-z 0-9 - _`.
    pub client_order_id: String,
    /// Unified symbol.
    pub symbol: Symbol,
    /// Buy or sell.
    pub side: Side,
    /// Market, limit or stop-limit.
    pub order_type: OrderType,
    /// Base quantity (contracts for contract-sized derivatives).
    pub quantity: Decimal,
    /// Limit price (limit and stop-limit orders).
    pub price: Option<Decimal>,
    /// Trigger price (stop-limit orders).
    pub stop_price: Option<Decimal>,
    /// Time in force.
    pub time_in_force: TimeInForce,
    /// Expiry for GTD orders, ns since the epoch.
    pub expire_ts_ns: Option<i64>,
    /// Rest only: reject instead of taking liquidity.
    pub post_only: bool,
    /// Only reduce an existing position (derivatives).
    pub reduce_only: bool,
}

/// The longest client order id every venue we support accepts.
pub const MAX_CLIENT_ORDER_ID_LEN: usize = 36;

fn invalid(reason: InvalidOrderReason, message: String) -> crate::ExchangeError {
    crate::ExchangeError::invalid_order(reason, message)
}

fn is_multiple(value: Decimal, step: Decimal) -> bool {
    step.is_zero() || (value % step).is_zero()
}

impl OrderRequest {
    /// Checks the request against the market's rules before anything reaches a venue.
    ///
    /// Returns [`crate::ExchangeError::InvalidOrder`] with the first rule broken, in this order:
    /// client order id, symbol, market open, shape (prices for the order type, time in force,
    /// post-only, reduce-only), positivity, tick size, lot size, min/max quantity, min notional.
    pub fn validate(&self, market: &Market) -> crate::Result<()> {
        use InvalidOrderReason as R;
        let id = &self.client_order_id;
        if id.is_empty()
            || id.len() > MAX_CLIENT_ORDER_ID_LEN
            || !id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(invalid(
                R::ClientOrderId,
                format!(
                    "client_order_id must be 1-{MAX_CLIENT_ORDER_ID_LEN} characters of A-Z a-z 0-9 - _"
                ),
            ));
        }
        if self.symbol != market.symbol {
            return Err(invalid(
                R::SymbolMismatch,
                format!("order is for {}, market is {}", self.symbol, market.symbol),
            ));
        }
        if !market.active {
            return Err(invalid(
                R::MarketClosed,
                format!("{} is not trading", market.symbol),
            ));
        }
        self.validate_shape(market)?;
        if self.quantity <= Decimal::ZERO {
            return Err(invalid(
                R::NonPositiveQuantity,
                format!("quantity {} must be positive", self.quantity),
            ));
        }
        for (name, value) in [("price", self.price), ("stop_price", self.stop_price)] {
            let Some(value) = value else { continue };
            if value <= Decimal::ZERO {
                return Err(invalid(
                    R::NonPositivePrice,
                    format!("{name} {value} must be positive"),
                ));
            }
            if !is_multiple(value, market.tick_size) {
                return Err(invalid(
                    R::TickSize,
                    format!(
                        "{name} {value} is not a multiple of tick size {}",
                        market.tick_size
                    ),
                ));
            }
        }
        if !is_multiple(self.quantity, market.lot_size) {
            return Err(invalid(
                R::LotSize,
                format!(
                    "quantity {} is not a multiple of lot size {}",
                    self.quantity, market.lot_size
                ),
            ));
        }
        if let Some(min) = market.min_qty.filter(|min| self.quantity < *min) {
            return Err(invalid(
                R::MinQuantity,
                format!("quantity {} is below the minimum {min}", self.quantity),
            ));
        }
        if let Some(max) = market.max_qty.filter(|max| self.quantity > *max) {
            return Err(invalid(
                R::MaxQuantity,
                format!("quantity {} is above the maximum {max}", self.quantity),
            ));
        }
        if let (Some(min), Some(price)) = (market.min_notional, self.price) {
            let notional = price * self.quantity * market.contract_size.unwrap_or(Decimal::ONE);
            if notional < min {
                return Err(invalid(
                    R::MinNotional,
                    format!("notional {notional} is below the minimum {min}"),
                ));
            }
        }
        Ok(())
    }

    fn validate_shape(&self, market: &Market) -> crate::Result<()> {
        use InvalidOrderReason as R;
        match self.order_type {
            OrderType::Market => {
                if self.price.is_some() {
                    return Err(invalid(
                        R::UnexpectedPrice,
                        "a market order takes no price".into(),
                    ));
                }
                if self.time_in_force == TimeInForce::Gtd {
                    return Err(invalid(
                        R::TimeInForce,
                        "a market order cannot be GTD".into(),
                    ));
                }
                if self.post_only {
                    return Err(invalid(
                        R::PostOnly,
                        "a market order cannot be post-only".into(),
                    ));
                }
            }
            OrderType::Limit | OrderType::StopLimit => {
                if self.price.is_none() {
                    return Err(invalid(
                        R::MissingPrice,
                        "a limit order needs a price".into(),
                    ));
                }
                if self.post_only
                    && matches!(self.time_in_force, TimeInForce::Ioc | TimeInForce::Fok)
                {
                    return Err(invalid(
                        R::PostOnly,
                        "a post-only order cannot be IOC or FOK".into(),
                    ));
                }
            }
        }
        match (self.order_type, self.stop_price) {
            (OrderType::StopLimit, None) => {
                return Err(invalid(
                    R::MissingStopPrice,
                    "a stop-limit order needs a stop price".into(),
                ));
            }
            (OrderType::Market | OrderType::Limit, Some(_)) => {
                return Err(invalid(
                    R::UnexpectedStopPrice,
                    "only stop-limit orders take a stop price".into(),
                ));
            }
            _ => {}
        }
        if (self.time_in_force == TimeInForce::Gtd) != self.expire_ts_ns.is_some() {
            return Err(invalid(
                R::Expiry,
                "expire_ts_ns is required for GTD orders and only for them".into(),
            ));
        }
        if self.reduce_only && !matches!(market.kind, MarketKind::Swap | MarketKind::Future) {
            return Err(invalid(
                R::ReduceOnly,
                format!("{} has no positions to reduce", market.symbol),
            ));
        }
        Ok(())
    }
}

/// Where an order is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Accepted by the venue and working, nothing filled.
    Open,
    /// Working with part of the quantity filled.
    PartiallyFilled,
    /// Completely filled.
    Filled,
    /// Canceled (possibly after partial fills).
    Canceled,
    /// Refused by the venue or by validation.
    Rejected,
    /// Ended by its time in force or the venue (IOC remainder, GTD expiry, STP).
    Expired,
}

impl OrderStatus {
    /// The status as on the wire (`open`, `partially_filled`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Open => "open",
            OrderStatus::PartiallyFilled => "partially_filled",
            OrderStatus::Filled => "filled",
            OrderStatus::Canceled => "canceled",
            OrderStatus::Rejected => "rejected",
            OrderStatus::Expired => "expired",
        }
    }

    /// Whether the order can no longer change.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            OrderStatus::Filled
                | OrderStatus::Canceled
                | OrderStatus::Rejected
                | OrderStatus::Expired
        )
    }
}

/// An order as the venue holds it.
///
/// ```json
/// {"client_order_id":"strat1-000042","venue_order_id":"28","symbol":"BTC/USDT","side":"buy",
///  "order_type":"limit","time_in_force":"gtc","price":"43000.00","stop_price":null,
///  "quantity":"0.010","filled_quantity":"0.004","average_price":"43000.00",
///  "status":"partially_filled","post_only":false,"reduce_only":false,
///  "created_ts_ns":1507725176595000000,"updated_ts_ns":1507725176599000000}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    /// Our client order id.
    pub client_order_id: String,
    /// The venue's order id (absent until the venue has acknowledged the order).
    pub venue_order_id: Option<String>,
    /// Unified symbol.
    pub symbol: Symbol,
    /// Buy or sell.
    pub side: Side,
    /// Market, limit or stop-limit.
    pub order_type: OrderType,
    /// Time in force.
    pub time_in_force: TimeInForce,
    /// Limit price.
    pub price: Option<Decimal>,
    /// Stop price.
    pub stop_price: Option<Decimal>,
    /// Ordered quantity.
    pub quantity: Decimal,
    /// Filled so far.
    pub filled_quantity: Decimal,
    /// Average fill price, when anything filled.
    pub average_price: Option<Decimal>,
    /// Life-cycle state.
    pub status: OrderStatus,
    /// Post-only flag.
    pub post_only: bool,
    /// Reduce-only flag.
    pub reduce_only: bool,
    /// When the venue created it, ns since the epoch.
    pub created_ts_ns: i64,
    /// When it last changed, ns since the epoch.
    pub updated_ts_ns: i64,
}

impl OrderRequest {
    /// A good-till-canceled limit order (not post-only, not reduce-only).
    pub fn limit(
        client_order_id: impl Into<String>,
        symbol: Symbol,
        side: Side,
        quantity: Decimal,
        price: Decimal,
    ) -> Self {
        OrderRequest {
            client_order_id: client_order_id.into(),
            symbol,
            side,
            order_type: OrderType::Limit,
            quantity,
            price: Some(price),
            stop_price: None,
            time_in_force: TimeInForce::Gtc,
            expire_ts_ns: None,
            post_only: false,
            reduce_only: false,
        }
    }

    /// An immediate-or-cancel market order.
    pub fn market(
        client_order_id: impl Into<String>,
        symbol: Symbol,
        side: Side,
        quantity: Decimal,
    ) -> Self {
        OrderRequest {
            order_type: OrderType::Market,
            price: None,
            time_in_force: TimeInForce::Ioc,
            ..OrderRequest::limit(client_order_id, symbol, side, quantity, Decimal::ZERO)
        }
    }

    /// The order this request becomes once a venue holds it: the request's terms, open, nothing
    /// filled, created and updated at `ts_ns`, with the venue's id when one is known.
    pub fn to_order(&self, venue_order_id: Option<String>, ts_ns: i64) -> Order {
        Order {
            client_order_id: self.client_order_id.clone(),
            venue_order_id,
            symbol: self.symbol.clone(),
            side: self.side,
            order_type: self.order_type,
            time_in_force: self.time_in_force,
            price: self.price,
            stop_price: self.stop_price,
            quantity: self.quantity,
            filled_quantity: Decimal::ZERO,
            average_price: None,
            status: OrderStatus::Open,
            post_only: self.post_only,
            reduce_only: self.reduce_only,
            created_ts_ns: ts_ns,
            updated_ts_ns: ts_ns,
        }
    }
}

impl Order {
    /// Quantity still working.
    pub fn remaining_quantity(&self) -> Decimal {
        (self.quantity - self.filled_quantity).max(Decimal::ZERO)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_constructors_give_plain_gtc_limits_and_ioc_markets() {
        let symbol: Symbol = "BTC/USDT".parse().unwrap();
        let limit =
            OrderRequest::limit("a-1", symbol.clone(), Side::Buy, Decimal::ONE, Decimal::TEN);
        assert_eq!(
            (limit.order_type, limit.price, limit.time_in_force),
            (OrderType::Limit, Some(Decimal::TEN), TimeInForce::Gtc)
        );
        let market = OrderRequest::market("a-2", symbol, Side::Sell, Decimal::ONE);
        assert_eq!(
            (market.order_type, market.price, market.time_in_force),
            (OrderType::Market, None, TimeInForce::Ioc)
        );
        assert_eq!(
            (market.client_order_id.as_str(), market.side),
            ("a-2", Side::Sell)
        );
        assert!(!market.post_only && !market.reduce_only && market.stop_price.is_none());
        let order = limit.to_order(Some("9".into()), 5);
        assert_eq!((order.status, order.created_ts_ns), (OrderStatus::Open, 5));
        assert_eq!(order.filled_quantity, Decimal::ZERO);
    }
}
