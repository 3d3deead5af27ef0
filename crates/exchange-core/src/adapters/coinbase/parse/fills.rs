//! Fills (§2): `GET /orders/historical/fills` → [`Fill`]s.
//!
//! The endpoint does not return our client order id; the caller supplies it (the order gateway
//! knows which order it asked about). Commissions are charged in the quote currency.
//!
//! [`order_fills`] numbers one order's fills the way the `user` channel does
//! ([`crate::adapters::coinbase::user_fills`]): that channel reports cumulative figures, not
//! trades, and names the fill that raised an order's `number_of_fills` to `n`
//! `<order_id>:<n>`. Numbering the REST fills oldest first gives each the same id, so a fill
//! seen on both is one fill (as long as the channel saw each fill in its own update).

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

/// Whether a fill row is an execution (`FILL`; rows without a type are taken as fills):
/// `REVERSAL`, `CORRECTION` and `SYNTHETIC` rows adjust earlier ones and are not numbered.
pub fn is_execution(fill: &WireFill) -> bool {
    fill.trade_type.is_empty() || fill.trade_type == "FILL"
}

/// The fills of order `order_id` (ours: `client_order_id`) from every page's rows, in the order
/// the venue sent them (newest first): only that order's executions, oldest first (by trade
/// time, ties in the venue's order), each once (by `entry_id`), with trade id
/// `<order_id>:<n>` for the `n`-th, as the `user` channel names them.
pub fn order_fills(
    rows: &[WireFill],
    order_id: &str,
    client_order_id: &str,
    local_ts_ns: i64,
) -> crate::Result<Vec<Fill>> {
    let mut seen = std::collections::HashSet::new();
    let mut mine = Vec::new();
    for row in rows.iter().rev() {
        if row.order_id == order_id && is_execution(row) && seen.insert(row.entry_id.as_str()) {
            mine.push((rfc3339_to_ns(&row.trade_time)?, row));
        }
    }
    mine.sort_by_key(|(ts, _)| *ts);
    mine.iter()
        .enumerate()
        .map(|(i, (_, row))| {
            let mut fill = row.to_fill(client_order_id, local_ts_ns)?;
            fill.trade_id = format!("{order_id}:{}", i + 1);
            Ok(fill)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(entry: &str, order: &str, time: &str, kind: &str) -> WireFill {
        WireFill {
            entry_id: entry.into(),
            trade_id: format!("t-{entry}"),
            order_id: order.into(),
            trade_time: time.into(),
            trade_type: kind.into(),
            price: Decimal::ONE,
            size: Decimal::ONE,
            commission: Decimal::ZERO,
            product_id: "BTC-USD".into(),
            liquidity_indicator: "MAKER".into(),
            size_in_quote: false,
            side: "BUY".into(),
        }
    }

    #[test]
    fn numbers_one_orders_executions_oldest_first() {
        // Newest first, as the venue pages them; one row repeated across pages.
        let rows = vec![
            row("c", "o1", "2024-01-01T00:00:02Z", "FILL"),
            row("x", "o2", "2024-01-01T00:00:01Z", "FILL"),
            row("b", "o1", "2024-01-01T00:00:01Z", "FILL"),
            row("r", "o1", "2024-01-01T00:00:01Z", "CORRECTION"),
            row("a", "o1", "2024-01-01T00:00:01Z", "FILL"),
            row("a", "o1", "2024-01-01T00:00:01Z", "FILL"),
        ];
        let fills = order_fills(&rows, "o1", "c1", 5).unwrap();
        let ids: Vec<_> = fills.iter().map(|f| f.trade_id.as_str()).collect();
        assert_eq!(ids, ["o1:1", "o1:2", "o1:3"]);
        assert!(
            fills
                .iter()
                .all(|f| f.client_order_id == "c1" && f.venue_order_id == "o1")
        );
        assert!(fills[0].exchange_ts_ns <= fills[2].exchange_ts_ns);
    }
}
