//! Markets: `GET /api/v3/exchangeInfo` (spot, margin) and `GET /fapi/v1/exchangeInfo` (USD-M).
//!
//! Tick size comes from `PRICE_FILTER.tickSize`, lot size and min/max quantity from
//! `LOT_SIZE`, min notional from `NOTIONAL.minNotional` (current) or `MIN_NOTIONAL.minNotional`
//! (spot before 2023) / `MIN_NOTIONAL.notional` (USD-M). Precisions are the decimals of tick and
//! lot size. USD-M lists only perpetuals here: a dated contract has no unified symbol yet.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::envelope::RateLimitState;
use super::non_zero;
use crate::adapters::binance::Product;
use crate::adapters::binance::symbols::unified_symbol;
use crate::model::{Market, MarketKind};

/// The exchangeInfo body (trimmed to what we read).
///
/// ```json
/// {"timezone":"UTC","serverTime":1633998511098,
///  "rateLimits":[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":1200}],
///  "exchangeFilters":[],"symbols":[{"symbol":"ETHBTC","status":"TRADING","baseAsset":"ETH",
///  "quoteAsset":"BTC","isSpotTradingAllowed":true,"isMarginTradingAllowed":true,
///  "filters":[{"filterType":"PRICE_FILTER","minPrice":"0.00000100","maxPrice":"922327.00000000",
///  "tickSize":"0.00000100"}]}]}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExchangeInfo {
    /// Server time, ms.
    pub server_time: i64,
    /// The live rate limits (§4).
    #[serde(default)]
    pub rate_limits: Vec<RateLimitState>,
    /// Every symbol.
    pub symbols: Vec<SymbolInfo>,
}

/// One symbol of exchangeInfo (2021 capture, trimmed).
///
/// ```json
/// {"symbol":"NKNUSDT","status":"TRADING","baseAsset":"NKN","baseAssetPrecision":8,
///  "quoteAsset":"USDT","quotePrecision":8,"orderTypes":["LIMIT","LIMIT_MAKER","MARKET"],
///  "isSpotTradingAllowed":true,"isMarginTradingAllowed":true,
///  "filters":[{"filterType":"LOT_SIZE","minQty":"1.00000000","maxQty":"9000000.00000000",
///  "stepSize":"1.00000000"}],"permissions":["SPOT","MARGIN"]}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SymbolInfo {
    /// Venue id (`ETHBTC`).
    pub symbol: String,
    /// `TRADING`, `HALT`, `BREAK` (USD-M also `PENDING_TRADING`, `SETTLING`, …).
    pub status: String,
    /// Base asset.
    pub base_asset: String,
    /// Quote asset.
    pub quote_asset: String,
    /// USD-M: the margin (settlement) asset.
    #[serde(default)]
    pub margin_asset: Option<String>,
    /// USD-M: `PERPETUAL`, `CURRENT_QUARTER`, …
    #[serde(default)]
    pub contract_type: Option<String>,
    /// Spot: whether spot trading is allowed.
    #[serde(default)]
    pub is_spot_trading_allowed: Option<bool>,
    /// Spot: whether margin trading is allowed.
    #[serde(default)]
    pub is_margin_trading_allowed: Option<bool>,
    /// Trading rules.
    pub filters: Vec<SymbolFilter>,
}

/// A symbol filter, by `filterType` (only the ones a [`Market`] needs are kept).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "filterType", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SymbolFilter {
    /// `{"filterType":"PRICE_FILTER","minPrice":"0.00000100","maxPrice":"922327.00000000","tickSize":"0.00000100"}`
    #[serde(rename_all = "camelCase")]
    PriceFilter {
        /// Price increment.
        tick_size: Decimal,
    },
    /// `{"filterType":"LOT_SIZE","minQty":"0.00010000","maxQty":"100000.00000000","stepSize":"0.00010000"}`
    #[serde(rename_all = "camelCase")]
    LotSize {
        /// Minimum quantity.
        min_qty: Decimal,
        /// Maximum quantity.
        max_qty: Decimal,
        /// Quantity increment.
        step_size: Decimal,
    },
    /// Spot (old): `{"filterType":"MIN_NOTIONAL","minNotional":"0.00010000",…}`;
    /// USD-M: `{"filterType":"MIN_NOTIONAL","notional":"5"}`.
    #[serde(rename_all = "camelCase")]
    MinNotional {
        /// Spot minimum notional.
        #[serde(default)]
        min_notional: Option<Decimal>,
        /// USD-M minimum notional.
        #[serde(default)]
        notional: Option<Decimal>,
    },
    /// Spot (current): `{"filterType":"NOTIONAL","minNotional":"5.00000000",…}`.
    #[serde(rename_all = "camelCase")]
    Notional {
        /// Minimum notional.
        min_notional: Decimal,
    },
    /// Any other filter.
    #[serde(other)]
    Other,
}

fn decimals(step: Decimal) -> u32 {
    step.normalize().scale()
}

impl SymbolInfo {
    /// The market for `product`, or `None` when the symbol does not belong to it (margin not
    /// allowed, a dated USD-M contract) or lacks the price/lot filters.
    pub fn to_market(&self, product: Product) -> Option<Market> {
        let kind = match product {
            Product::Spot if self.is_spot_trading_allowed != Some(false) => MarketKind::Spot,
            Product::Margin if self.is_margin_trading_allowed == Some(true) => MarketKind::Margin,
            Product::UsdM if self.contract_type.as_deref() == Some("PERPETUAL") => MarketKind::Swap,
            _ => return None,
        };
        let settle = match product {
            Product::UsdM => Some(
                self.margin_asset
                    .clone()
                    .unwrap_or_else(|| self.quote_asset.clone()),
            ),
            _ => None,
        };
        let symbol = unified_symbol(
            product,
            &self.base_asset,
            &self.quote_asset,
            settle.as_deref(),
        )
        .ok()?;
        let mut tick = None;
        let mut lot = None;
        let mut min_notional = None;
        for filter in &self.filters {
            match filter {
                SymbolFilter::PriceFilter { tick_size } => tick = Some(*tick_size),
                SymbolFilter::LotSize {
                    min_qty,
                    max_qty,
                    step_size,
                } => lot = Some((*step_size, *min_qty, *max_qty)),
                SymbolFilter::MinNotional {
                    min_notional: m,
                    notional,
                } => min_notional = min_notional.or(m.or(*notional)),
                SymbolFilter::Notional { min_notional: m } => min_notional = Some(*m),
                SymbolFilter::Other => {}
            }
        }
        let (tick, (step, min_qty, max_qty)) = (tick?, lot?);
        Some(Market {
            symbol,
            venue_id: self.symbol.clone(),
            kind,
            base: self.base_asset.clone(),
            quote: self.quote_asset.clone(),
            settle,
            tick_size: tick,
            lot_size: step,
            min_qty: non_zero(min_qty),
            max_qty: non_zero(max_qty),
            min_notional: min_notional.and_then(non_zero),
            price_precision: decimals(tick),
            qty_precision: decimals(step),
            contract_size: None,
            active: self.status == "TRADING",
        })
    }
}

impl ExchangeInfo {
    /// Every market of `product`; symbols that cannot be represented are skipped and logged.
    pub fn to_markets(&self, product: Product) -> Vec<Market> {
        self.symbols
            .iter()
            .filter_map(|info| {
                let market = info.to_market(product);
                if market.is_none() {
                    tracing::debug!(symbol = %info.symbol, ?product, "binance symbol skipped");
                }
                market
            })
            .collect()
    }
}
