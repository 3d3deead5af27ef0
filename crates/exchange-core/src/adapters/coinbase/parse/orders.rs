//! Orders (§2): `GET /orders/historical/{order_id}` and `GET /orders/historical/batch` (filters,
//! cursor) → [`Order`]; order status texts → [`OrderStatus`].

use rust_decimal::Decimal;
use serde::Deserialize;

use super::num::{opt_decimal, opt_text};
use super::order_config::{OrderConfiguration, lenient};
use super::time::{opt_rfc3339_to_ns, rfc3339_to_ns};
use super::trades::parse_side;
use crate::ExchangeError;
use crate::adapters::coinbase::symbols;
use crate::model::{Order, OrderStatus, OrderType, TimeInForce};

/// Our status of a Coinbase order status text, given how much has filled.
///
/// `OPEN`, `PENDING`, `QUEUED` and `CANCEL_QUEUED` are working (partially filled when anything
/// filled); `FILLED`; `CANCELLED`; `EXPIRED`; `FAILED` is a rejection.
pub fn parse_status(text: &str, filled: Decimal) -> crate::Result<OrderStatus> {
    let working = if filled > Decimal::ZERO {
        OrderStatus::PartiallyFilled
    } else {
        OrderStatus::Open
    };
    Ok(match text {
        "OPEN" | "PENDING" | "QUEUED" | "CANCEL_QUEUED" | "EDIT_QUEUED" => working,
        "FILLED" => OrderStatus::Filled,
        "CANCELLED" | "CANCELED" => OrderStatus::Canceled,
        "EXPIRED" => OrderStatus::Expired,
        "FAILED" | "REJECTED" => OrderStatus::Rejected,
        other => {
            return Err(ExchangeError::InvalidResponse(format!(
                "coinbase: unknown order status {other:?}"
            )));
        }
    })
}

/// Time in force text (`GOOD_UNTIL_CANCELLED`, ...), for orders whose configuration is unknown.
pub fn parse_time_in_force(text: &str) -> Option<TimeInForce> {
    match text {
        "GOOD_UNTIL_CANCELLED" => Some(TimeInForce::Gtc),
        "GOOD_UNTIL_DATE_TIME" => Some(TimeInForce::Gtd),
        "IMMEDIATE_OR_CANCEL" => Some(TimeInForce::Ioc),
        "FILL_OR_KILL" => Some(TimeInForce::Fok),
        _ => None,
    }
}

/// Order type text (`MARKET`, `LIMIT`, `STOP_LIMIT`), for orders whose configuration is unknown.
pub fn parse_order_type(text: &str) -> Option<OrderType> {
    match text {
        "MARKET" => Some(OrderType::Market),
        "LIMIT" => Some(OrderType::Limit),
        "STOP" | "STOP_LIMIT" => Some(OrderType::StopLimit),
        _ => None,
    }
}

/// One order (recorded response of `GET /orders/historical/batch`, abridged).
///
/// ```json
/// {"order_id":"01b6e467-b659-432f-9490-c7cefe949564","product_id":"ADA-USDT",
///  "order_configuration":{"market_market_ioc":{"base_size":"10"}},"side":"SELL",
///  "client_order_id":"a0f970a2-05fa-4e1f-9517-f6702c33cfd1","status":"FILLED",
///  "time_in_force":"IMMEDIATE_OR_CANCEL","created_time":"2023-11-26T10:19:47.423220Z",
///  "filled_size":"10","average_filled_price":"0.392","number_of_fills":"1",
///  "total_fees":"0.03136","order_type":"MARKET","product_type":"SPOT",
///  "last_fill_time":"2023-11-26T10:19:47.504Z"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct HistoricalOrder {
    /// Venue order id.
    pub order_id: String,
    /// Product id.
    pub product_id: String,
    /// Our client order id.
    #[serde(default)]
    pub client_order_id: String,
    /// Configuration (`None` for variants this adapter does not know).
    #[serde(default, deserialize_with = "lenient")]
    pub order_configuration: Option<OrderConfiguration>,
    /// `BUY` / `SELL`.
    pub side: String,
    /// `OPEN`, `FILLED`, `CANCELLED`, `EXPIRED`, `FAILED`, ...
    pub status: String,
    /// `GOOD_UNTIL_CANCELLED`, `IMMEDIATE_OR_CANCEL`, ...
    #[serde(default)]
    pub time_in_force: String,
    /// Creation time, RFC 3339.
    pub created_time: String,
    /// Filled base quantity.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub filled_size: Option<Decimal>,
    /// Average fill price.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub average_filled_price: Option<Decimal>,
    /// Fees so far.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub total_fees: Option<Decimal>,
    /// `MARKET`, `LIMIT`, `STOP_LIMIT`, ...
    #[serde(default)]
    pub order_type: String,
    /// Last fill time, RFC 3339.
    #[serde(default, deserialize_with = "opt_text::deserialize")]
    pub last_fill_time: Option<String>,
    /// Why it was rejected (`REJECT_REASON_UNSPECIFIED` when not).
    #[serde(default, deserialize_with = "opt_text::deserialize")]
    pub reject_reason: Option<String>,
    /// Cancel message.
    #[serde(default, deserialize_with = "opt_text::deserialize")]
    pub cancel_message: Option<String>,
}

impl HistoricalOrder {
    /// The normalized order. A market order sized in quote currency has no base quantity; its
    /// quantity is what filled.
    pub fn to_order(&self) -> crate::Result<Order> {
        let config = self.order_configuration.as_ref();
        let filled = self.filled_size.unwrap_or(Decimal::ZERO);
        let created = rfc3339_to_ns(&self.created_time)?;
        let order_type = config
            .map(OrderConfiguration::order_type)
            .or_else(|| parse_order_type(&self.order_type))
            .ok_or_else(|| {
                ExchangeError::InvalidResponse(format!(
                    "coinbase order {}: unknown order type {:?}",
                    self.order_id, self.order_type
                ))
            })?;
        let time_in_force = config
            .map(OrderConfiguration::time_in_force)
            .or_else(|| parse_time_in_force(&self.time_in_force))
            .unwrap_or(TimeInForce::Gtc);
        Ok(Order {
            client_order_id: self.client_order_id.clone(),
            venue_order_id: Some(self.order_id.clone()),
            symbol: symbols::to_symbol(&self.product_id)?,
            side: parse_side(&self.side)?,
            order_type,
            time_in_force,
            price: config.and_then(OrderConfiguration::limit_price),
            stop_price: config.and_then(OrderConfiguration::stop_price),
            quantity: config
                .and_then(OrderConfiguration::base_size)
                .unwrap_or(filled),
            filled_quantity: filled,
            average_price: self.average_filled_price.filter(|p| !p.is_zero()),
            status: parse_status(&self.status, filled)?,
            post_only: config.is_some_and(OrderConfiguration::post_only),
            reduce_only: false,
            created_ts_ns: created,
            updated_ts_ns: opt_rfc3339_to_ns(self.last_fill_time.as_deref())?.unwrap_or(created),
        })
    }
}

/// `GET /orders/historical/{order_id}`: `{"order":{…}}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct GetOrderResponse {
    /// The order.
    pub order: HistoricalOrder,
}

/// One page of `GET /orders/historical/batch` (recorded response, abridged).
///
/// ```json
/// {"orders":[{"order_id":"01b6e467-b659-432f-9490-c7cefe949564","product_id":"ADA-USDT",
///  "side":"SELL","status":"FILLED","created_time":"2023-11-26T10:19:47.423220Z",
///  "order_configuration":{"market_market_ioc":{"base_size":"10"}}}],
///  "sequence":"0","has_next":true,"cursor":"748478308"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ListOrdersResponse {
    /// Orders of this page.
    pub orders: Vec<HistoricalOrder>,
    /// Whether another page follows.
    #[serde(default)]
    pub has_next: bool,
    /// The cursor of the next page.
    #[serde(default, deserialize_with = "opt_text::deserialize")]
    pub cursor: Option<String>,
}

impl ListOrdersResponse {
    /// The normalized orders of this page.
    pub fn to_orders(&self) -> crate::Result<Vec<Order>> {
        self.orders.iter().map(HistoricalOrder::to_order).collect()
    }

    /// The cursor to fetch next, or `None` on the last page.
    pub fn next_cursor(&self) -> Option<&str> {
        if self.has_next {
            self.cursor.as_deref()
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_with_fills() {
        use OrderStatus as S;
        let z = Decimal::ZERO;
        let one = Decimal::ONE;
        assert_eq!(parse_status("OPEN", z).unwrap(), S::Open);
        assert_eq!(parse_status("OPEN", one).unwrap(), S::PartiallyFilled);
        assert_eq!(parse_status("PENDING", z).unwrap(), S::Open);
        assert_eq!(parse_status("FILLED", one).unwrap(), S::Filled);
        assert_eq!(parse_status("CANCELLED", one).unwrap(), S::Canceled);
        assert_eq!(parse_status("EXPIRED", z).unwrap(), S::Expired);
        assert_eq!(parse_status("FAILED", z).unwrap(), S::Rejected);
        assert!(parse_status("UNKNOWN_ORDER_STATUS", z).is_err());
    }
}
