//! exchange-core integration tests: one binary, one module per concern.

mod keys_and_factory;
mod order_validation;
mod orderbook_props;
mod plumbing;
