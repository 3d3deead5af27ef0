//! `order_configuration` (§2, SDK `orders.py`): one key naming the order's type and time in
//! force, holding its sizes and prices. Serialized for create-order requests and read back from
//! historical orders.

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};

use crate::model::{OrderType, TimeInForce};

/// Sizes and prices of a market order: exactly one of `quote_size` / `base_size`.
///
/// ```json
/// {"quote_size":"50.0"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarketParams {
    /// Amount to spend, in the quote currency (buys).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote_size: Option<Decimal>,
    /// Amount to trade, in the base currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_size: Option<Decimal>,
}

/// Sizes and prices of a limit order.
///
/// ```json
/// {"base_size":"0.001","limit_price":"10000.00","post_only":true}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LimitParams {
    /// Base quantity.
    pub base_size: Decimal,
    /// Limit price.
    pub limit_price: Decimal,
    /// Expiry (GTD), RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    /// Post-only (GTC/GTD only; FOK and IOC have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_only: Option<bool>,
}

/// Sizes and prices of a stop-limit order.
///
/// ```json
/// {"base_size":"0.001","limit_price":"9900.00","stop_price":"10000.00",
///  "stop_direction":"STOP_DIRECTION_STOP_UP"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StopLimitParams {
    /// Base quantity.
    pub base_size: Decimal,
    /// Limit price once triggered.
    pub limit_price: Decimal,
    /// Trigger price.
    pub stop_price: Decimal,
    /// Expiry (GTD), RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    /// `STOP_DIRECTION_STOP_UP` (triggers when the price rises to the stop) or
    /// `STOP_DIRECTION_STOP_DOWN`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_direction: Option<String>,
}

/// Sizes and prices of a bracket order (a limit order with an attached stop).
///
/// ```json
/// {"base_size":"0.001","limit_price":"10000.00","stop_trigger_price":"9000.00"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BracketParams {
    /// Base quantity.
    pub base_size: Decimal,
    /// Limit price.
    pub limit_price: Decimal,
    /// Stop trigger price.
    pub stop_trigger_price: Decimal,
    /// Expiry (GTD), RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
}

/// An `order_configuration` object: its single key is the variant.
///
/// ```json
/// {"limit_limit_gtc":{"base_size":"0.001","limit_price":"10000.00","post_only":false}}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderConfiguration {
    /// Market, immediate or cancel.
    MarketMarketIoc(MarketParams),
    /// Smart-order-routed limit, immediate or cancel.
    SorLimitIoc(LimitParams),
    /// Limit, good till cancelled.
    LimitLimitGtc(LimitParams),
    /// Limit, good till `end_time`.
    LimitLimitGtd(LimitParams),
    /// Limit, fill or kill.
    LimitLimitFok(LimitParams),
    /// Stop-limit, good till cancelled.
    StopLimitStopLimitGtc(StopLimitParams),
    /// Stop-limit, good till `end_time`.
    StopLimitStopLimitGtd(StopLimitParams),
    /// Bracket, good till cancelled.
    TriggerBracketGtc(BracketParams),
    /// Bracket, good till `end_time`.
    TriggerBracketGtd(BracketParams),
}

impl OrderConfiguration {
    /// Our order type (a bracket is reported as the limit order it rests as).
    pub fn order_type(&self) -> OrderType {
        match self {
            OrderConfiguration::MarketMarketIoc(_) => OrderType::Market,
            OrderConfiguration::StopLimitStopLimitGtc(_)
            | OrderConfiguration::StopLimitStopLimitGtd(_) => OrderType::StopLimit,
            _ => OrderType::Limit,
        }
    }

    /// Our time in force.
    pub fn time_in_force(&self) -> TimeInForce {
        use OrderConfiguration as C;
        match self {
            C::MarketMarketIoc(_) | C::SorLimitIoc(_) => TimeInForce::Ioc,
            C::LimitLimitFok(_) => TimeInForce::Fok,
            C::LimitLimitGtd(_) | C::StopLimitStopLimitGtd(_) | C::TriggerBracketGtd(_) => {
                TimeInForce::Gtd
            }
            C::LimitLimitGtc(_) | C::StopLimitStopLimitGtc(_) | C::TriggerBracketGtc(_) => {
                TimeInForce::Gtc
            }
        }
    }

    /// The base quantity, when the order is sized in base units.
    pub fn base_size(&self) -> Option<Decimal> {
        use OrderConfiguration as C;
        match self {
            C::MarketMarketIoc(p) => p.base_size,
            C::SorLimitIoc(p) | C::LimitLimitGtc(p) | C::LimitLimitGtd(p) | C::LimitLimitFok(p) => {
                Some(p.base_size)
            }
            C::StopLimitStopLimitGtc(p) | C::StopLimitStopLimitGtd(p) => Some(p.base_size),
            C::TriggerBracketGtc(p) | C::TriggerBracketGtd(p) => Some(p.base_size),
        }
    }

    /// The limit price.
    pub fn limit_price(&self) -> Option<Decimal> {
        use OrderConfiguration as C;
        match self {
            C::MarketMarketIoc(_) => None,
            C::SorLimitIoc(p) | C::LimitLimitGtc(p) | C::LimitLimitGtd(p) | C::LimitLimitFok(p) => {
                Some(p.limit_price)
            }
            C::StopLimitStopLimitGtc(p) | C::StopLimitStopLimitGtd(p) => Some(p.limit_price),
            C::TriggerBracketGtc(p) | C::TriggerBracketGtd(p) => Some(p.limit_price),
        }
    }

    /// The stop price of a stop-limit order.
    pub fn stop_price(&self) -> Option<Decimal> {
        match self {
            OrderConfiguration::StopLimitStopLimitGtc(p)
            | OrderConfiguration::StopLimitStopLimitGtd(p) => Some(p.stop_price),
            _ => None,
        }
    }

    /// The post-only flag.
    pub fn post_only(&self) -> bool {
        match self {
            OrderConfiguration::LimitLimitGtc(p) | OrderConfiguration::LimitLimitGtd(p) => {
                p.post_only.unwrap_or(false)
            }
            _ => false,
        }
    }
}

/// Reads an `order_configuration` leniently: a variant this adapter does not know (the venue
/// adds some, e.g. TWAP) is `None` instead of failing the whole order.
pub(crate) fn lenient<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<OrderConfiguration>, D::Error> {
    let value = Option::<serde_json::Value>::deserialize(d)?;
    Ok(value.and_then(|v| serde_json::from_value(v).ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_every_documented_variant() {
        for (json, ot, tif) in [
            (
                r#"{"market_market_ioc":{"quote_size":"50.0"}}"#,
                OrderType::Market,
                TimeInForce::Ioc,
            ),
            (
                r#"{"limit_limit_gtc":{"base_size":"1","limit_price":"2","post_only":true}}"#,
                OrderType::Limit,
                TimeInForce::Gtc,
            ),
            (
                r#"{"limit_limit_gtd":{"base_size":"1","limit_price":"2","end_time":"2026-01-01T00:00:00Z","post_only":false}}"#,
                OrderType::Limit,
                TimeInForce::Gtd,
            ),
            (
                r#"{"limit_limit_fok":{"base_size":"1","limit_price":"2"}}"#,
                OrderType::Limit,
                TimeInForce::Fok,
            ),
            (
                r#"{"sor_limit_ioc":{"base_size":"1","limit_price":"2"}}"#,
                OrderType::Limit,
                TimeInForce::Ioc,
            ),
            (
                r#"{"stop_limit_stop_limit_gtc":{"base_size":"1","limit_price":"2","stop_price":"3","stop_direction":"STOP_DIRECTION_STOP_UP"}}"#,
                OrderType::StopLimit,
                TimeInForce::Gtc,
            ),
            (
                r#"{"stop_limit_stop_limit_gtd":{"base_size":"1","limit_price":"2","stop_price":"3","end_time":"2026-01-01T00:00:00Z","stop_direction":"STOP_DIRECTION_STOP_DOWN"}}"#,
                OrderType::StopLimit,
                TimeInForce::Gtd,
            ),
            (
                r#"{"trigger_bracket_gtc":{"base_size":"1","limit_price":"2","stop_trigger_price":"3"}}"#,
                OrderType::Limit,
                TimeInForce::Gtc,
            ),
        ] {
            let c: OrderConfiguration = serde_json::from_str(json).unwrap();
            assert_eq!((c.order_type(), c.time_in_force()), (ot, tif), "{json}");
            assert_eq!(serde_json::to_string(&c).unwrap(), json, "round trip");
        }
    }

    #[test]
    fn unknown_variants_are_none_when_lenient() {
        #[derive(Deserialize)]
        struct T {
            #[serde(default, deserialize_with = "lenient")]
            c: Option<OrderConfiguration>,
        }
        let t: T = serde_json::from_str(r#"{"c":{"twap_limit_gtd":{"quote_size":"1"}}}"#).unwrap();
        assert!(t.c.is_none());
    }
}
