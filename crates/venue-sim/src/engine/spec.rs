//! Symbol specifications and the exchange filters (PRICE_FILTER, LOT_SIZE, NOTIONAL) that orders
//! must pass.

use rust_decimal::Decimal;
use serde::Deserialize;

/// Static description of one tradable symbol.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SymbolSpec {
    /// Symbol, upper case (`BTCUSDT`).
    pub symbol: String,
    /// Base asset (`BTC`).
    pub base: String,
    /// Quote asset (`USDT`).
    pub quote: String,
    /// Price tick.
    pub tick_size: Decimal,
    /// Quantity step.
    pub step_size: Decimal,
    /// Minimum quantity.
    pub min_qty: Decimal,
    /// Maximum quantity.
    pub max_qty: Decimal,
    /// Minimum price.
    pub min_price: Decimal,
    /// Maximum price.
    pub max_price: Decimal,
    /// Minimum notional (price × quantity).
    pub min_notional: Decimal,
    /// Reference price the synthetic flow starts around.
    pub start_price: Decimal,
}

/// Why an order failed a filter; the wire layer maps it to `-1013 Filter failure: <name>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterFailure {
    /// PRICE_FILTER.
    Price,
    /// LOT_SIZE.
    LotSize,
    /// NOTIONAL (spot) / MIN_NOTIONAL (futures).
    Notional,
}

impl FilterFailure {
    /// The filter's Binance name.
    pub fn as_str(self) -> &'static str {
        match self {
            FilterFailure::Price => "PRICE_FILTER",
            FilterFailure::LotSize => "LOT_SIZE",
            FilterFailure::Notional => "NOTIONAL",
        }
    }
}

fn is_multiple(value: Decimal, step: Decimal, origin: Decimal) -> bool {
    step.is_zero() || ((value - origin) % step).is_zero()
}

impl SymbolSpec {
    /// Checks a price against PRICE_FILTER.
    pub fn check_price(&self, price: Decimal) -> Result<(), FilterFailure> {
        if price < self.min_price
            || price > self.max_price
            || !is_multiple(price, self.tick_size, self.min_price)
        {
            return Err(FilterFailure::Price);
        }
        Ok(())
    }

    /// Checks a quantity against LOT_SIZE.
    pub fn check_qty(&self, qty: Decimal) -> Result<(), FilterFailure> {
        if qty < self.min_qty
            || qty > self.max_qty
            || !is_multiple(qty, self.step_size, self.min_qty)
        {
            return Err(FilterFailure::LotSize);
        }
        Ok(())
    }

    /// Checks a notional against NOTIONAL.
    pub fn check_notional(&self, notional: Decimal) -> Result<(), FilterFailure> {
        if notional < self.min_notional {
            return Err(FilterFailure::Notional);
        }
        Ok(())
    }

    /// Number of decimals of the tick size (futures `pricePrecision`).
    pub fn price_decimals(&self) -> u32 {
        self.tick_size.normalize().scale()
    }

    /// Number of decimals of the step size (futures `quantityPrecision`).
    pub fn qty_decimals(&self) -> u32 {
        self.step_size.normalize().scale()
    }

    /// Rounds a price down to the tick.
    pub fn round_price(&self, price: Decimal) -> Decimal {
        (price / self.tick_size).floor() * self.tick_size
    }

    /// Rounds a quantity down to the step.
    pub fn round_qty(&self, qty: Decimal) -> Decimal {
        (qty / self.step_size).floor() * self.step_size
    }
}

/// Default spot symbols: BTCUSDT, ETHUSDT, ETHBTC.
pub fn default_spot_symbols() -> Vec<SymbolSpec> {
    vec![
        spec("BTCUSDT", "BTC", "USDT", "0.01", "0.00001", "5", "60000"),
        spec("ETHUSDT", "ETH", "USDT", "0.01", "0.0001", "5", "3000"),
        spec(
            "ETHBTC", "ETH", "BTC", "0.00001", "0.0001", "0.0001", "0.05",
        ),
    ]
}

/// Default USD-M perpetual symbols: BTCUSDT, ETHUSDT.
pub fn default_futures_symbols() -> Vec<SymbolSpec> {
    vec![
        spec("BTCUSDT", "BTC", "USDT", "0.10", "0.001", "100", "60000"),
        spec("ETHUSDT", "ETH", "USDT", "0.01", "0.001", "20", "3000"),
    ]
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap_or_default()
}

fn spec(
    symbol: &str,
    base: &str,
    quote: &str,
    tick: &str,
    step: &str,
    notional: &str,
    start: &str,
) -> SymbolSpec {
    SymbolSpec {
        symbol: symbol.into(),
        base: base.into(),
        quote: quote.into(),
        tick_size: dec(tick),
        step_size: dec(step),
        min_qty: dec(step),
        max_qty: dec("9000"),
        min_price: dec(tick),
        max_price: dec("1000000"),
        min_notional: dec(notional),
        start_price: dec(start),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters() {
        let s = &default_spot_symbols()[0];
        assert!(s.check_price(dec("60000.01")).is_ok());
        assert_eq!(s.check_price(dec("60000.001")), Err(FilterFailure::Price));
        assert_eq!(s.check_qty(dec("0.000001")), Err(FilterFailure::LotSize));
        assert!(s.check_qty(dec("0.00002")).is_ok());
        assert_eq!(s.check_notional(dec("4.99")), Err(FilterFailure::Notional));
        assert_eq!(s.price_decimals(), 2);
        assert_eq!(default_futures_symbols()[0].price_decimals(), 1);
    }
}
