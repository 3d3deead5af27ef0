//! exchange-core integration tests: one binary, one module per concern.

mod binance;
mod binance_live;
mod coinbase;
mod keys_and_factory;
mod kraken;
mod order_validation;
mod orderbook_props;
mod plumbing;
