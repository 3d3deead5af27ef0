//! A conformance check for adapters: undeclared methods must answer `NotSupported`.
//!
//! Every adapter's test suite calls [`check_undeclared`] on a freshly built adapter. It invokes
//! each method whose capability the adapter does not declare, with harmless probe arguments, and
//! reports each one that answered anything but [`crate::ErrorKind::NotSupported`]: such a method is
//! implemented but hidden from [`super::Exchange::has`], which breaks the capability rule.
//! Undeclared methods are expected to be the trait's defaults, which touch no network.

use std::fmt;

use rust_decimal::Decimal;

use super::{Capability, Exchange};
use crate::model::{OrderRequest, OrderType, Side, Symbol, TimeInForce, Timeframe};
use crate::{ErrorKind, ExchangeError, Result};

/// An undeclared capability whose method did not answer `NotSupported`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The capability the adapter does not declare.
    pub capability: Capability,
    /// What its method answered instead (`Ok`, or the error's kind code).
    pub answered: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not declared but answered {} instead of not_supported",
            self.capability, self.answered
        )
    }
}

fn verdict<T>(capability: Capability, outcome: Result<T>) -> Option<Violation> {
    let answered = match outcome {
        Ok(_) => "Ok".to_owned(),
        Err(e) if e.kind() == ErrorKind::NotSupported => return None,
        Err(e) => e.kind().code().to_owned(),
    };
    Some(Violation {
        capability,
        answered,
    })
}

fn probe_symbol() -> Result<Symbol> {
    Symbol::spot("BTC", "USDT").map_err(|e| ExchangeError::Config(e.to_string()))
}

fn probe_order(symbol: &Symbol) -> OrderRequest {
    OrderRequest {
        client_order_id: "conformance-probe".to_owned(),
        symbol: symbol.clone(),
        side: Side::Buy,
        order_type: OrderType::Limit,
        quantity: Decimal::ONE,
        price: Some(Decimal::ONE),
        stop_price: None,
        time_in_force: TimeInForce::Gtc,
        expire_ts_ns: None,
        post_only: true,
        reduce_only: false,
    }
}

/// Calls every method the adapter does not declare and returns those that did not answer
/// `NotSupported` (empty when the adapter keeps the capability rule).
pub async fn check_undeclared(exchange: &dyn Exchange) -> Result<Vec<Violation>> {
    let symbol = probe_symbol()?;
    let order = probe_order(&symbol);
    let tf = Timeframe::M1;
    let mut violations = Vec::new();
    for capability in exchange.capabilities().missing() {
        let found = match capability {
            Capability::FetchMarkets => verdict(capability, exchange.fetch_markets().await),
            Capability::FetchBalance => verdict(capability, exchange.fetch_balance().await),
            Capability::PlaceOrder => verdict(capability, exchange.place_order(&order).await),
            Capability::CancelOrder => verdict(
                capability,
                exchange.cancel_order(&symbol, &order.client_order_id).await,
            ),
            Capability::CancelAllOrders => {
                verdict(capability, exchange.cancel_all_orders(Some(&symbol)).await)
            }
            Capability::FetchOrderStatus => verdict(
                capability,
                exchange
                    .fetch_order_status(&symbol, &order.client_order_id)
                    .await,
            ),
            Capability::FetchOpenOrders => {
                verdict(capability, exchange.fetch_open_orders(None).await)
            }
            Capability::FetchPositions => verdict(capability, exchange.fetch_positions().await),
            Capability::FetchOhlcv => verdict(
                capability,
                exchange.fetch_ohlcv(&symbol, tf, None, Some(1)).await,
            ),
            Capability::SubscribeTrades => {
                verdict(capability, exchange.subscribe_trades(&symbol).await)
            }
            Capability::SubscribeOrderBook => {
                verdict(capability, exchange.subscribe_order_book(&symbol, 10).await)
            }
            Capability::SubscribeTicker => {
                verdict(capability, exchange.subscribe_ticker(&symbol).await)
            }
            Capability::SubscribeOhlcv => {
                verdict(capability, exchange.subscribe_ohlcv(&symbol, tf).await)
            }
            Capability::SubscribeAccount => verdict(capability, exchange.subscribe_account().await),
            Capability::FetchOrderFills => verdict(
                capability,
                exchange
                    .fetch_order_fills(&symbol, &order.client_order_id)
                    .await,
            ),
        };
        violations.extend(found);
    }
    Ok(violations)
}
