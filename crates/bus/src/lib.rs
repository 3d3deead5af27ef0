//! The NATS bus contract.
