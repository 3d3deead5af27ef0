//! Products (§2): `GET /products`, `GET /products/{id}` and their public `/market/...` twins →
//! [`Market`].
//!
//! Mapping: tick size = `price_increment` (the price step; `quote_increment` when absent), lot
//! size = `base_increment`, min/max quantity = `base_min_size`/`base_max_size`, min notional =
//! `quote_min_size`; precisions are the decimals of the tick and lot. A product is active when it
//! is `online` and neither disabled nor cancel-only.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::num::opt_decimal;
use crate::adapters::coinbase::symbols;
use crate::model::Market;

/// Derivative details of a futures or perpetual product (SDK `FutureProductDetails`, subset).
///
/// ```json
/// {"venue":"cde","contract_code":"BIT","contract_expiry":"2024-06-28T15:00:00Z",
///  "contract_size":"0.01","contract_root_unit":"BTC","contract_expiry_type":"EXPIRING"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FutureProductDetails {
    /// Units of the root asset per contract.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub contract_size: Option<Decimal>,
    /// Expiry, RFC 3339 (absent on perpetuals).
    #[serde(default)]
    pub contract_expiry: Option<String>,
    /// `EXPIRING` or `PERPETUAL`.
    #[serde(default)]
    pub contract_expiry_type: Option<String>,
}

/// One product (live capture of `GET /market/products/BTC-USD`, abridged; unknown fields are
/// ignored).
///
/// ```json
/// {"product_id":"BTC-USD","price":"68923.67","base_increment":"0.00000001",
///  "quote_increment":"0.01","quote_min_size":"1","quote_max_size":"150000000",
///  "base_min_size":"0.00000001","base_max_size":"3400","is_disabled":false,"status":"online",
///  "cancel_only":false,"limit_only":false,"post_only":false,"trading_disabled":false,
///  "product_type":"SPOT","quote_currency_id":"USD","base_currency_id":"BTC",
///  "alias_to":["BTC-USDC"],"price_increment":"0.01","product_venue":"CBE"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Product {
    /// Product id (`BTC-USD`).
    pub product_id: String,
    /// Last price.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub price: Option<Decimal>,
    /// Quantity step.
    pub base_increment: Decimal,
    /// Quote amount step.
    pub quote_increment: Decimal,
    /// Price step (newer field; equals `quote_increment` on most spot products).
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub price_increment: Option<Decimal>,
    /// Smallest order value in the quote currency.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub quote_min_size: Option<Decimal>,
    /// Largest order value in the quote currency.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub quote_max_size: Option<Decimal>,
    /// Smallest order quantity.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub base_min_size: Option<Decimal>,
    /// Largest order quantity.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub base_max_size: Option<Decimal>,
    /// `online`, `offline`, `delisted`, ...
    #[serde(default)]
    pub status: String,
    /// Disabled product.
    #[serde(default)]
    pub is_disabled: bool,
    /// Only cancels accepted.
    #[serde(default)]
    pub cancel_only: bool,
    /// Only limit orders accepted.
    #[serde(default)]
    pub limit_only: bool,
    /// Only post-only orders accepted.
    #[serde(default)]
    pub post_only: bool,
    /// Trading halted.
    #[serde(default)]
    pub trading_disabled: bool,
    /// `SPOT` or `FUTURE`.
    #[serde(default)]
    pub product_type: String,
    /// Base currency.
    #[serde(default)]
    pub base_currency_id: String,
    /// Quote currency.
    #[serde(default)]
    pub quote_currency_id: String,
    /// Products that share this product's book (`BTC-USD` ⇄ `BTC-USDC`).
    #[serde(default)]
    pub alias_to: Vec<String>,
    /// Futures and perpetual details.
    #[serde(default)]
    pub future_product_details: Option<FutureProductDetails>,
}

fn precision(step: Decimal) -> u32 {
    step.normalize().scale()
}

impl Product {
    /// Whether new orders are accepted.
    pub fn is_active(&self) -> bool {
        self.status.eq_ignore_ascii_case("online")
            && !self.is_disabled
            && !self.trading_disabled
            && !self.cancel_only
    }

    /// The normalized market.
    pub fn to_market(&self) -> crate::Result<Market> {
        let product = symbols::parse_product_id(&self.product_id)?;
        let tick = self.price_increment.unwrap_or(self.quote_increment);
        let symbol = product.symbol;
        Ok(Market {
            venue_id: self.product_id.clone(),
            kind: product.kind,
            base: symbol.base().to_owned(),
            quote: symbol.quote().to_owned(),
            settle: symbol.settle().map(str::to_owned),
            tick_size: tick,
            lot_size: self.base_increment,
            min_qty: self.base_min_size,
            max_qty: self.base_max_size,
            min_notional: self.quote_min_size,
            price_precision: precision(tick),
            qty_precision: precision(self.base_increment),
            contract_size: self
                .future_product_details
                .as_ref()
                .and_then(|d| d.contract_size),
            active: self.is_active(),
            symbol,
        })
    }
}

/// `GET /products`: `{"products":[…],"num_products":1}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ProductsResponse {
    /// The products.
    pub products: Vec<Product>,
    /// How many products.
    #[serde(default)]
    pub num_products: Option<u64>,
}

impl ProductsResponse {
    /// Every product whose id maps to a unified symbol; others (unknown id shapes) are skipped
    /// and counted.
    pub fn to_markets(&self) -> (Vec<Market>, usize) {
        let mut skipped = 0;
        let markets = self
            .products
            .iter()
            .filter_map(|p| p.to_market().map_err(|_| skipped += 1).ok())
            .collect();
        (markets, skipped)
    }
}
