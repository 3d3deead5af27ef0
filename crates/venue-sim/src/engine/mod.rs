//! The matching engine: pure, synchronous, no I/O. One [`Exchange`] per market (spot, futures);
//! the synthetic [`Flow`] drives public data; the true book of every symbol is always readable.

pub mod account;
pub mod book;
pub mod candles;
mod entry;
pub mod events;
pub mod exchange;
pub mod flow;
mod settle;
pub mod spec;
pub mod types;

#[cfg(test)]
mod tests;

pub use account::{Account, AccountFill, AccountKind, Balance, Position};
pub use book::{Book, BookDiff};
pub use entry::stop_triggered;
pub use events::{EngineEvent, OrderUpdate};
pub use exchange::{EngineError, Exchange, Fees, MarketKind, NewOrder, SideEffect, SymbolState};
pub use flow::Flow;
pub use spec::SymbolSpec;
pub use types::{ExecType, Order, OrderStatus, OrderType, Side, TimeInForce};
