//! exchange-core integration tests: one binary, one module per concern.

mod binance;
mod binance_live;
mod coinbase;
mod coinbase_live;
mod keys_and_factory;
mod kraken;
mod kraken_live;
mod order_validation;
mod orderbook_props;
mod plumbing;
mod sim_control;
