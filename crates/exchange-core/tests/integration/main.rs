//! exchange-core integration tests: one binary, one module per concern.

mod keys_and_factory;
mod plumbing;
