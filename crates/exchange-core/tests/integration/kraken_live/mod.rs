//! The Kraken adapter against venue-sim over real sockets: every trait method, books against
//! the venue's truth through checksum faults, dropped and frozen connections, unknown order
//! outcomes, and an order's whole life on the `executions` channel.

mod account;
mod book;
mod faults;
mod order_fills;
mod rest;
mod streams;
mod support;
