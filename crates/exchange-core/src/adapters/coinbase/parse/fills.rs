//! Fills (§2): `GET /orders/historical/fills` → [`Fill`]s.
//!
//! The endpoint does not return our client order id; the caller supplies it (the order gateway
//! knows which order it asked about). Commissions are charged in the quote currency.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::num::opt_text;
use super::time::rfc3339_to_ns;
use super::trades::parse_side;
use crate::adapters::coinbase::symbols;
use crate::model::{Fill, Liquidity};

/// `MAKER` / `TAKER` (`UNKNOWN_LIQUIDITY_INDICATOR` is `None`).
pub fn parse_liquidity(text: &str) -> Option<Liquidity> {
    match text {
        "MAKER" | "M" => Some(Liquidity::Maker),
        "TAKER" | "T" => Some(Liquidity::Taker),
        _ => None,
    }
}

/// One fill (recorded response, spot).
///
/// ```json
/// {"entry_id":"dc7424ac5193601ae273cf704ece1667987d8c0b1077faa5fe3213e8e9efbd30",
///  "trade_id":"19fc7eee-f4b4-40a7-8104-033da1db5311",
///  "order_id":"01b6e467-b659-432f-9490-c7cefe949564","trade_time":"2023-11-26T10:19:47.504Z",
///  "trade_type":"FILL","price":"0.392","size":"10","commission":"0.03136",
///  "product_id":"ADA-USDT","sequence_timestamp":"2023-11-26T10:19:47.507001Z",
///  "liquidity_indicator":"TAKER","size_in_quote":false,
///  "user_id":"dbcb91e7-2bc9-5152-bb6f-72d6677e6727","side":"SELL","cursor":"114994851"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct WireFill {
    /// Unique fill entry id.
    pub entry_id: String,
    /// Trade id.
    pub trade_id: String,
    /// Venue order id.
    pub order_id: String,
    /// Execution time, RFC 3339.
    pub trade_time: String,
    /// `FILL`, `REVERSAL`, `CORRECTION`, `SYNTHETIC`.
    #[serde(default)]
    pub trade_type: String,
    /// Price.
    pub price: Decimal,
    /// Size, in base units unless `size_in_quote`.
    pub size: Decimal,
    /// Fee, in the quote currency.
    pub commission: Decimal,
    /// Product id.
    pub product_id: String,
    /// `MAKER`, `TAKER`, ...
    #[serde(default)]
    pub liquidity_indicator: String,
    /// Whether `size` is in quote units.
    #[serde(default)]
    pub size_in_quote: bool,
    /// `BUY` / `SELL`.
    pub side: String,
}

impl WireFill {
    /// The normalized fill of our order `client_order_id`.
    pub fn to_fill(&self, client_order_id: &str, local_ts_ns: i64) -> crate::Result<Fill> {
        let symbol = symbols::to_symbol(&self.product_id)?;
        let quantity = if self.size_in_quote && !self.price.is_zero() {
            self.size / self.price
        } else {
            self.size
        };
        Ok(Fill {
            client_order_id: client_order_id.to_owned(),
            venue_order_id: self.order_id.clone(),
            trade_id: self.trade_id.clone(),
            side: parse_side(&self.side)?,
            price: self.price,
            quantity,
            fee: self.commission,
            fee_asset: Some(symbol.quote().to_owned()),
            liquidity: parse_liquidity(&self.liquidity_indicator),
            exchange_ts_ns: rfc3339_to_ns(&self.trade_time)?,
            local_ts_ns,
            symbol,
        })
    }
}

/// One page of fills: `{"fills":[{…}],"cursor":"114994851"}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FillsResponse {
    /// Fills, newest first.
    pub fills: Vec<WireFill>,
    /// Cursor of the next page (empty on the last).
    #[serde(default, deserialize_with = "opt_text::deserialize")]
    pub cursor: Option<String>,
}
