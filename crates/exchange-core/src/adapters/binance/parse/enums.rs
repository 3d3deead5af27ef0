//! Binance enums (enums.md, §2) and their normalized counterparts.

use serde::Deserialize;

use crate::model::{OrderStatus, OrderType, Side, TimeInForce};

/// `side`: `"BUY"` / `"SELL"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum WireSide {
    /// Buy.
    Buy,
    /// Sell.
    Sell,
}

impl From<WireSide> for Side {
    fn from(side: WireSide) -> Self {
        match side {
            WireSide::Buy => Side::Buy,
            WireSide::Sell => Side::Sell,
        }
    }
}

/// Order `status` (spot and USD-M).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum WireOrderStatus {
    /// Accepted by the engine.
    New,
    /// Accepted, not yet processed by the engine (order lists).
    PendingNew,
    /// Part of the quantity filled.
    PartiallyFilled,
    /// Completely filled.
    Filled,
    /// Canceled by the user.
    Canceled,
    /// Documented as currently unused.
    PendingCancel,
    /// Not accepted by the engine.
    Rejected,
    /// Canceled by the engine (time in force, liquidation, maintenance).
    Expired,
    /// Expired by self-trade prevention.
    ExpiredInMatch,
    /// USD-M: a new order in the insurance fund / ADL flow.
    NewInsurance,
    /// USD-M: a new order from auto-deleveraging.
    NewAdl,
}

impl From<WireOrderStatus> for OrderStatus {
    fn from(status: WireOrderStatus) -> Self {
        match status {
            WireOrderStatus::New
            | WireOrderStatus::PendingNew
            | WireOrderStatus::NewInsurance
            | WireOrderStatus::NewAdl => OrderStatus::Open,
            WireOrderStatus::PartiallyFilled => OrderStatus::PartiallyFilled,
            WireOrderStatus::Filled => OrderStatus::Filled,
            WireOrderStatus::Canceled | WireOrderStatus::PendingCancel => OrderStatus::Canceled,
            WireOrderStatus::Rejected => OrderStatus::Rejected,
            WireOrderStatus::Expired | WireOrderStatus::ExpiredInMatch => OrderStatus::Expired,
        }
    }
}

/// Order `type` (spot types, then the USD-M-only ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum WireOrderType {
    /// Limit.
    Limit,
    /// Market.
    Market,
    /// Spot: market order triggered at `stopPrice`.
    StopLoss,
    /// Spot: limit order triggered at `stopPrice`.
    StopLossLimit,
    /// Spot: market order triggered at `stopPrice`; USD-M: limit order triggered at `stopPrice`.
    TakeProfit,
    /// Spot: limit order triggered at `stopPrice`.
    TakeProfitLimit,
    /// Spot post-only limit order.
    LimitMaker,
    /// USD-M: limit order triggered at `stopPrice`.
    Stop,
    /// USD-M: market order triggered at `stopPrice`.
    StopMarket,
    /// USD-M: market order triggered at `stopPrice`.
    TakeProfitMarket,
    /// USD-M: trailing stop.
    TrailingStopMarket,
    /// USD-M: liquidation order (user stream `o` only).
    Liquidation,
}

impl WireOrderType {
    /// Our order type and whether the Binance type is post-only (`LIMIT_MAKER`).
    ///
    /// Triggered orders that become market orders (`STOP_LOSS`, `STOP_MARKET`, …) map to
    /// [`OrderType::Market`]; their trigger is kept in [`crate::model::Order::stop_price`].
    pub fn normalize(self, product_is_futures: bool) -> (OrderType, bool) {
        match self {
            WireOrderType::Limit => (OrderType::Limit, false),
            WireOrderType::LimitMaker => (OrderType::Limit, true),
            WireOrderType::Market | WireOrderType::Liquidation => (OrderType::Market, false),
            WireOrderType::StopLossLimit | WireOrderType::TakeProfitLimit | WireOrderType::Stop => {
                (OrderType::StopLimit, false)
            }
            WireOrderType::TakeProfit if product_is_futures => (OrderType::StopLimit, false),
            WireOrderType::TakeProfit
            | WireOrderType::StopLoss
            | WireOrderType::StopMarket
            | WireOrderType::TakeProfitMarket
            | WireOrderType::TrailingStopMarket => (OrderType::Market, false),
        }
    }
}

/// `timeInForce`: spot GTC/IOC/FOK; USD-M adds GTX (post-only) and GTD.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum WireTimeInForce {
    /// Good till canceled.
    Gtc,
    /// Immediate or cancel.
    Ioc,
    /// Fill or kill.
    Fok,
    /// USD-M "good till crossing": post-only.
    Gtx,
    /// USD-M good till date (`goodTillDate`).
    Gtd,
}

impl WireTimeInForce {
    /// Our time in force and whether it means post-only (`GTX`).
    pub fn normalize(self) -> (TimeInForce, bool) {
        match self {
            WireTimeInForce::Gtc => (TimeInForce::Gtc, false),
            WireTimeInForce::Ioc => (TimeInForce::Ioc, false),
            WireTimeInForce::Fok => (TimeInForce::Fok, false),
            WireTimeInForce::Gtx => (TimeInForce::Gtc, true),
            WireTimeInForce::Gtd => (TimeInForce::Gtd, false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_enums_parse_and_normalize() {
        let s: WireOrderStatus = serde_json::from_str("\"EXPIRED_IN_MATCH\"").unwrap();
        assert_eq!(OrderStatus::from(s), OrderStatus::Expired);
        let t: WireOrderType = serde_json::from_str("\"LIMIT_MAKER\"").unwrap();
        assert_eq!(t.normalize(false), (OrderType::Limit, true));
        let t: WireOrderType = serde_json::from_str("\"TAKE_PROFIT\"").unwrap();
        assert_eq!(t.normalize(false).0, OrderType::Market);
        assert_eq!(t.normalize(true).0, OrderType::StopLimit);
        let f: WireTimeInForce = serde_json::from_str("\"GTX\"").unwrap();
        assert_eq!(f.normalize(), (TimeInForce::Gtc, true));
        assert!(serde_json::from_str::<WireSide>("\"buy\"").is_err());
    }
}
