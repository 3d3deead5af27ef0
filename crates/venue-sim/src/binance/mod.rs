//! The Binance protocol: parameters, signing, errors, limits, payload shapes, the REST route
//! tables and the stream sequencing. Pure functions and tables; the servers live in `server`.

pub mod auth;
pub mod depth_feed;
pub mod error;
pub mod futures_rest;
pub mod limits;
pub mod margin_rest;
pub mod orders;
pub mod params;
pub mod render;
pub mod spot_market;
pub mod spot_rest;
pub mod streams;
pub mod wire;
