//! The private stream: what happens to our orders and our account, as it happens.

use serde::{Deserialize, Serialize};

use super::{Balance, Fill, Order, Position};

/// One event of an account's private stream (Binance user data, Coinbase `user`, Kraken
/// `executions`), normalized.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AccountEvent {
    /// An order changed state (the full order after the change).
    Order(Order),
    /// One of our orders executed.
    Fill(Fill),
    /// Balances changed (only the assets that changed).
    Balances {
        /// The changed balances.
        balances: Vec<Balance>,
    },
    /// A position changed.
    Position(Position),
}
