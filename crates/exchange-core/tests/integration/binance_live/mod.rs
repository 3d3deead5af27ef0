//! The Binance adapter against venue-sim over real sockets: every trait method for spot,
//! USD-M and margin, books against the venue's truth through faults, the private stream,
//! rate limits and unknown order outcomes.

mod account;
mod book;
mod faults;
mod order_fills;
mod pagination;
mod rest;
mod streams;
mod support;
