//! `user` (§5, needs a JWT): our orders as they change, a snapshot first.
//!
//! Orders carry cumulative figures (`cumulative_quantity`, `filled_value`, `total_fees`,
//! `number_of_fills`), not individual executions; [`crate::adapters::coinbase::user_fills`]
//! turns their increases into fills.

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::ExchangeError;
use crate::adapters::coinbase::parse::num::{opt_decimal, opt_text};
use crate::adapters::coinbase::parse::orders::{
    parse_order_type, parse_status, parse_time_in_force,
};
use crate::adapters::coinbase::parse::time::opt_rfc3339_to_ns;
use crate::adapters::coinbase::parse::trades::parse_side;
use crate::adapters::coinbase::symbols;
use crate::model::{Order, TimeInForce};

/// One order of the `user` channel (SDK `UserOrders` shape; no live capture exists, §8).
///
/// ```json
/// {"order_id":"11111-00000-000000","client_order_id":"strat1-000042","status":"OPEN",
///  "product_id":"BTC-USD","order_side":"BUY","order_type":"LIMIT",
///  "time_in_force":"GOOD_UNTIL_CANCELLED","limit_price":"43000.00","stop_price":"",
///  "cumulative_quantity":"0.004","leaves_quantity":"0.006","avg_price":"43000.00",
///  "total_fees":"0.2","filled_value":"172","number_of_fills":"1","post_only":false,
///  "creation_time":"2024-01-01T00:00:00.000Z","product_type":"SPOT"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct UserOrder {
    /// Venue order id.
    pub order_id: String,
    /// Our client order id.
    #[serde(default)]
    pub client_order_id: String,
    /// `PENDING`, `OPEN`, `FILLED`, `CANCELLED`, `EXPIRED`, `FAILED`, ...
    pub status: String,
    /// Product id.
    pub product_id: String,
    /// `BUY` / `SELL`.
    pub order_side: String,
    /// `MARKET`, `LIMIT`, `STOP_LIMIT`.
    #[serde(default)]
    pub order_type: String,
    /// Time in force text.
    #[serde(default)]
    pub time_in_force: String,
    /// Limit price.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub limit_price: Option<Decimal>,
    /// Stop price.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub stop_price: Option<Decimal>,
    /// Filled base quantity so far.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub cumulative_quantity: Option<Decimal>,
    /// Base quantity still working.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub leaves_quantity: Option<Decimal>,
    /// Average fill price.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub avg_price: Option<Decimal>,
    /// Fees so far.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub total_fees: Option<Decimal>,
    /// Quote value filled so far.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub filled_value: Option<Decimal>,
    /// Number of fills so far.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub number_of_fills: Option<Decimal>,
    /// Post-only flag.
    #[serde(default)]
    pub post_only: bool,
    /// Creation time, RFC 3339.
    #[serde(default, deserialize_with = "opt_text::deserialize")]
    pub creation_time: Option<String>,
}

impl UserOrder {
    /// Filled so far (zero when absent).
    pub fn filled(&self) -> Decimal {
        self.cumulative_quantity.unwrap_or(Decimal::ZERO)
    }

    /// The normalized order as of `updated_ts_ns` (the message time). Its quantity is filled
    /// plus working.
    pub fn to_order(&self, updated_ts_ns: i64) -> crate::Result<Order> {
        let filled = self.filled();
        let created = opt_rfc3339_to_ns(self.creation_time.as_deref())?.unwrap_or(updated_ts_ns);
        Ok(Order {
            client_order_id: self.client_order_id.clone(),
            venue_order_id: Some(self.order_id.clone()),
            symbol: symbols::to_symbol(&self.product_id)?,
            side: parse_side(&self.order_side)?,
            order_type: parse_order_type(&self.order_type).ok_or_else(|| {
                ExchangeError::InvalidResponse(format!(
                    "coinbase user order {}: unknown order type {:?}",
                    self.order_id, self.order_type
                ))
            })?,
            time_in_force: parse_time_in_force(&self.time_in_force).unwrap_or(TimeInForce::Gtc),
            price: self.limit_price.filter(|p| !p.is_zero()),
            stop_price: self.stop_price.filter(|p| !p.is_zero()),
            quantity: filled + self.leaves_quantity.unwrap_or(Decimal::ZERO),
            filled_quantity: filled,
            average_price: self.avg_price.filter(|p| !p.is_zero()),
            status: parse_status(&self.status, filled)?,
            post_only: self.post_only,
            reduce_only: false,
            created_ts_ns: created,
            updated_ts_ns,
        })
    }
}

/// One `user` event: `{"type":"snapshot","orders":[{…}],"positions":{…}}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct UserEvent {
    /// `snapshot` or `update`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Orders that changed (all open ones in a snapshot).
    #[serde(default)]
    pub orders: Vec<UserOrder>,
}

impl UserEvent {
    /// Whether this is the snapshot sent after subscribing.
    pub fn is_snapshot(&self) -> bool {
        super::is_snapshot(&self.kind)
    }
}
