//! The Coinbase adapter against venue-sim's Coinbase over real sockets: every REST method,
//! JWT failures surfaced as authentication errors, unknown order outcomes, and the public
//! streams (the book against the venue's truth through faults).

mod account;
mod order_fills;
mod rest;
mod streams;
mod support;
