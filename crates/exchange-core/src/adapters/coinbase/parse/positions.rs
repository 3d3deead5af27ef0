//! Positions (§2): INTX perpetuals (`GET /intx/positions/{portfolio_uuid}`) and US futures
//! (`GET /cfm/positions`) → [`Position`]s. Accounts with neither have no positions; the adapter
//! answers `NotSupported` for them.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::num::{Money, money_value, opt_decimal};
use crate::adapters::coinbase::symbols;
use crate::model::{MarginMode, Position};

fn margin_mode(text: &str) -> Option<MarginMode> {
    match text {
        "MARGIN_TYPE_CROSS" | "CROSS" => Some(MarginMode::Cross),
        "MARGIN_TYPE_ISOLATED" | "ISOLATED" => Some(MarginMode::Isolated),
        _ => None,
    }
}

/// Signed size: short sides are negative whatever the sign on the wire.
fn signed(size: Decimal, side: &str) -> Decimal {
    if side.contains("SHORT") {
        -size.abs()
    } else {
        size.abs()
    }
}

/// One INTX perpetual position (recorded response, abridged).
///
/// ```json
/// {"product_id":"1r4njf84-0-0","symbol":"ADA-PERP-INTX",
///  "vwap":{"value":"0.5648","currency":"USDC"},"position_side":"POSITION_SIDE_LONG",
///  "net_size":"20","leverage":"1","unrealized_pnl":{"value":"0.018","currency":"USDC"},
///  "mark_price":{"value":"0.5657","currency":"USDC"},
///  "liquidation_price":{"value":"0","currency":"USDC"},"margin_type":"MARGIN_TYPE_CROSS",
///  "entry_vwap":{"value":"0.6091","currency":"USDC"}}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct IntxPosition {
    /// Product id (`ADA-PERP-INTX`); the `product_id` field is an internal id.
    pub symbol: String,
    /// `POSITION_SIDE_LONG` / `POSITION_SIDE_SHORT`.
    #[serde(default)]
    pub position_side: String,
    /// Size in base units.
    pub net_size: Decimal,
    /// Volume-weighted price of the position.
    #[serde(default)]
    pub vwap: Option<Money>,
    /// Average entry price.
    #[serde(default)]
    pub entry_vwap: Option<Money>,
    /// Leverage.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub leverage: Option<Decimal>,
    /// Unrealized PnL.
    #[serde(default)]
    pub unrealized_pnl: Option<Money>,
    /// Mark price.
    #[serde(default)]
    pub mark_price: Option<Money>,
    /// Liquidation price (`0` when none).
    #[serde(default)]
    pub liquidation_price: Option<Money>,
    /// `MARGIN_TYPE_CROSS` / `MARGIN_TYPE_ISOLATED`.
    #[serde(default)]
    pub margin_type: String,
}

impl IntxPosition {
    /// The normalized position, stamped `now_ns` (the body carries no time).
    pub fn to_position(&self, now_ns: i64) -> crate::Result<Position> {
        Ok(Position {
            symbol: symbols::to_symbol(&self.symbol)?,
            quantity: signed(self.net_size, &self.position_side),
            entry_price: money_value(&self.entry_vwap)
                .or(money_value(&self.vwap))
                .unwrap_or(Decimal::ZERO),
            mark_price: money_value(&self.mark_price),
            unrealized_pnl: money_value(&self.unrealized_pnl),
            liquidation_price: money_value(&self.liquidation_price).filter(|p| !p.is_zero()),
            leverage: self.leverage,
            margin_mode: margin_mode(&self.margin_type),
            updated_ts_ns: now_ns,
        })
    }
}

/// `GET /intx/positions/{portfolio_uuid}`: `{"positions":[…],"portfolio_summary":{…}}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct IntxPositionsResponse {
    /// Open positions.
    pub positions: Vec<IntxPosition>,
}

impl IntxPositionsResponse {
    /// The normalized positions; flat ones (zero size) are left out.
    pub fn to_positions(&self, now_ns: i64) -> crate::Result<Vec<Position>> {
        self.positions
            .iter()
            .filter(|p| !p.net_size.is_zero())
            .map(|p| p.to_position(now_ns))
            .collect()
    }
}

/// One US futures (CFM) position (SDK `FCMPosition` shape).
///
/// ```json
/// {"product_id":"BIT-28JUN24-CDE","expiration_time":"2024-06-28T15:00:00Z","side":"LONG",
///  "number_of_contracts":"2","current_price":"64000","avg_entry_price":"63000",
///  "unrealized_pnl":"20","daily_realized_pnl":"0"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CfmPosition {
    /// Product id.
    pub product_id: String,
    /// `LONG` / `SHORT`.
    #[serde(default)]
    pub side: String,
    /// Contracts held.
    pub number_of_contracts: Decimal,
    /// Current (mark) price.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub current_price: Option<Decimal>,
    /// Average entry price.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub avg_entry_price: Option<Decimal>,
    /// Unrealized PnL, USD.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub unrealized_pnl: Option<Decimal>,
}

impl CfmPosition {
    /// The normalized position in contracts, stamped `now_ns`.
    pub fn to_position(&self, now_ns: i64) -> crate::Result<Position> {
        Ok(Position {
            symbol: symbols::to_symbol(&self.product_id)?,
            quantity: signed(self.number_of_contracts, &self.side),
            entry_price: self.avg_entry_price.unwrap_or(Decimal::ZERO),
            mark_price: self.current_price,
            unrealized_pnl: self.unrealized_pnl,
            liquidation_price: None,
            leverage: None,
            margin_mode: None,
            updated_ts_ns: now_ns,
        })
    }
}

/// `GET /cfm/positions`: `{"positions":[…]}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CfmPositionsResponse {
    /// Open positions.
    pub positions: Vec<CfmPosition>,
}

impl CfmPositionsResponse {
    /// The normalized positions; flat ones are left out.
    pub fn to_positions(&self, now_ns: i64) -> crate::Result<Vec<Position>> {
        self.positions
            .iter()
            .filter(|p| !p.number_of_contracts.is_zero())
            .map(|p| p.to_position(now_ns))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cfm_shorts_are_negative() {
        let r: CfmPositionsResponse = serde_json::from_str(
            r#"{"positions":[{"product_id":"BIT-28JUN24-CDE","side":"SHORT","number_of_contracts":"2","current_price":"64000","avg_entry_price":"63000","unrealized_pnl":"-20"},{"product_id":"BIT-28JUN24-CDE","side":"LONG","number_of_contracts":"0"}]}"#,
        )
        .unwrap();
        let p = r.to_positions(5).unwrap();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].symbol.to_string(), "BIT28JUN24/USD:USD");
        assert_eq!(p[0].quantity, Decimal::from(-2));
        assert_eq!(p[0].entry_price, Decimal::from(63000));
    }
}
