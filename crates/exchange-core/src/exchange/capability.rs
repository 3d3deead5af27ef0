//! Capabilities: what an adapter can do, declared once and queryable.
//!
//! Every optional method and stream of [`crate::Exchange`] has a [`Capability`]. An adapter
//! declares the set it implements in [`crate::Exchange::capabilities`]; callers ask
//! [`crate::Exchange::has`] before relying on one (the market-data gateway, for instance, falls
//! back from `subscribe_ticker` to deriving tickers only when `has(SubscribeTicker)` is false).
//! A method whose capability is absent answers [`ExchangeError::NotSupported`], never panics.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ExchangeError;

/// One optional operation or stream of the [`crate::Exchange`] trait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Capability {
    /// [`crate::Exchange::fetch_markets`].
    FetchMarkets,
    /// [`crate::Exchange::fetch_balance`].
    FetchBalance,
    /// [`crate::Exchange::place_order`].
    PlaceOrder,
    /// [`crate::Exchange::cancel_order`].
    CancelOrder,
    /// [`crate::Exchange::cancel_all_orders`].
    CancelAllOrders,
    /// [`crate::Exchange::fetch_order_status`].
    FetchOrderStatus,
    /// [`crate::Exchange::fetch_open_orders`].
    FetchOpenOrders,
    /// [`crate::Exchange::fetch_positions`].
    FetchPositions,
    /// [`crate::Exchange::fetch_ohlcv`].
    FetchOhlcv,
    /// [`crate::Exchange::subscribe_trades`].
    SubscribeTrades,
    /// [`crate::Exchange::subscribe_order_book`].
    SubscribeOrderBook,
    /// [`crate::Exchange::subscribe_ticker`].
    SubscribeTicker,
    /// [`crate::Exchange::subscribe_ohlcv`].
    SubscribeOhlcv,
    /// [`crate::Exchange::subscribe_account`]: the private order/fill/balance stream.
    SubscribeAccount,
    /// [`crate::Exchange::fetch_order_fills`]: one order's executions over REST.
    FetchOrderFills,
}

impl Capability {
    /// Every capability, in declaration order.
    pub const ALL: [Capability; 15] = [
        Capability::FetchMarkets,
        Capability::FetchBalance,
        Capability::PlaceOrder,
        Capability::CancelOrder,
        Capability::CancelAllOrders,
        Capability::FetchOrderStatus,
        Capability::FetchOpenOrders,
        Capability::FetchPositions,
        Capability::FetchOhlcv,
        Capability::SubscribeTrades,
        Capability::SubscribeOrderBook,
        Capability::SubscribeTicker,
        Capability::SubscribeOhlcv,
        Capability::SubscribeAccount,
        Capability::FetchOrderFills,
    ];

    /// The name of the trait method this capability stands for (`fetch_ohlcv`); also its
    /// serialized form.
    pub fn method(self) -> &'static str {
        match self {
            Capability::FetchMarkets => "fetch_markets",
            Capability::FetchBalance => "fetch_balance",
            Capability::PlaceOrder => "place_order",
            Capability::CancelOrder => "cancel_order",
            Capability::CancelAllOrders => "cancel_all_orders",
            Capability::FetchOrderStatus => "fetch_order_status",
            Capability::FetchOpenOrders => "fetch_open_orders",
            Capability::FetchPositions => "fetch_positions",
            Capability::FetchOhlcv => "fetch_ohlcv",
            Capability::SubscribeTrades => "subscribe_trades",
            Capability::SubscribeOrderBook => "subscribe_order_book",
            Capability::SubscribeTicker => "subscribe_ticker",
            Capability::SubscribeOhlcv => "subscribe_ohlcv",
            Capability::SubscribeAccount => "subscribe_account",
            Capability::FetchOrderFills => "fetch_order_fills",
        }
    }

    /// The bit of this capability in a [`Capabilities`] set: the discriminant, which equals the
    /// position in [`Capability::ALL`] (tested below).
    const fn bit(self) -> u32 {
        1 << self as u32
    }

    /// The error a venue without this capability answers.
    ///
    /// `declared` says whether the adapter nevertheless declared the capability: then the
    /// message calls it what it is, an adapter bug (declared but not implemented), so that the
    /// mismatch shows up in logs instead of hiding behind an ordinary "not supported".
    pub fn not_supported(self, venue: &str, declared: bool) -> ExchangeError {
        if declared {
            ExchangeError::NotSupported(format!(
                "{venue}: adapter bug: `{}` is declared as a capability but not implemented",
                self.method()
            ))
        } else {
            ExchangeError::NotSupported(format!("{venue} does not support `{}`", self.method()))
        }
    }
}

impl fmt::Display for Capability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.method())
    }
}

/// A set of [`Capability`]s: what one adapter implements.
///
/// Built in `const` context so an adapter can keep its declaration in one place:
///
/// ```
/// use exchange_core::{Capabilities, Capability};
///
/// const CAPS: Capabilities = Capabilities::EMPTY
///     .with(Capability::FetchMarkets)
///     .with(Capability::SubscribeTrades);
/// assert!(CAPS.contains(Capability::SubscribeTrades));
/// assert!(!CAPS.contains(Capability::PlaceOrder));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Capabilities(u32);

impl Capabilities {
    /// No capability at all.
    pub const EMPTY: Capabilities = Capabilities(0);

    /// This set plus `capability`.
    pub const fn with(self, capability: Capability) -> Capabilities {
        Capabilities(self.0 | capability.bit())
    }

    /// Every capability there is.
    pub fn all() -> Capabilities {
        Capability::ALL.into_iter().collect()
    }

    /// Whether `capability` is in the set.
    pub fn contains(self, capability: Capability) -> bool {
        self.0 & capability.bit() != 0
    }

    /// The capabilities in the set, in [`Capability::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Capability> {
        Capability::ALL
            .into_iter()
            .filter(move |c| self.contains(*c))
    }

    /// The capabilities not in the set, in [`Capability::ALL`] order.
    pub fn missing(self) -> impl Iterator<Item = Capability> {
        Capability::ALL
            .into_iter()
            .filter(move |c| !self.contains(*c))
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

impl FromIterator<Capability> for Capabilities {
    fn from_iter<I: IntoIterator<Item = Capability>>(iter: I) -> Self {
        iter.into_iter()
            .fold(Capabilities::EMPTY, Capabilities::with)
    }
}

impl fmt::Debug for Capabilities {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl Serialize for Capabilities {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Capabilities {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Vec::<Capability>::deserialize(deserializer)?
            .into_iter()
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_every_variant_once_in_discriminant_order() {
        for (index, capability) in Capability::ALL.into_iter().enumerate() {
            assert_eq!(capability as usize, index, "{capability} out of order");
            assert_eq!(capability.bit(), 1 << index);
        }
    }

    #[test]
    fn const_with_and_contains_agree() {
        for capability in Capability::ALL {
            let set = Capabilities::EMPTY.with(capability);
            assert!(set.contains(capability));
            assert_eq!(set.iter().collect::<Vec<_>>(), vec![capability]);
            assert_eq!(set.missing().count(), Capability::ALL.len() - 1);
        }
        assert_eq!(Capabilities::all().iter().count(), Capability::ALL.len());
        assert!(Capabilities::EMPTY.is_empty());
    }

    #[test]
    fn serializes_as_method_names() {
        let set = Capabilities::EMPTY
            .with(Capability::SubscribeOrderBook)
            .with(Capability::FetchMarkets);
        let json = serde_json::to_string(&set).unwrap();
        assert_eq!(json, r#"["fetch_markets","subscribe_order_book"]"#);
        let back: Capabilities = serde_json::from_str(&json).unwrap();
        assert_eq!(back, set);
        for capability in Capability::ALL {
            let text = serde_json::to_string(&capability).unwrap();
            assert_eq!(text, format!("\"{}\"", capability.method()));
        }
    }

    #[test]
    fn not_supported_names_venue_and_method() {
        let e = Capability::FetchOhlcv.not_supported("kraken", false);
        assert_eq!(e.kind(), crate::ErrorKind::NotSupported);
        assert_eq!(
            e.to_string(),
            "not supported: kraken does not support `fetch_ohlcv`"
        );
        let bug = Capability::PlaceOrder.not_supported("kraken", true);
        assert_eq!(bug.kind(), crate::ErrorKind::NotSupported);
        assert!(bug.to_string().contains("adapter bug"));
    }
}
