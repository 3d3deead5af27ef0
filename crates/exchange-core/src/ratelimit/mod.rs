//! Rate limiting shared by every task of a venue.
//!
//! - [`RateLimiter`]: named buckets and endpoint classes; a request's [`Cost`] charges one or
//!   more buckets, admission waits (up to a bound) for room, classes or the whole venue can be
//!   paused ([`Scope`]).
//! - [`FixedWindow`] and [`DecayingCounter`]: the two shapes venues use, as pure arithmetic.
//! - [`binance`], [`coinbase`], [`kraken`]: each venue's buckets, costs, header resync and
//!   rate-limit answers.
//!
//! Why not `governor`: its GCRA quotas are fixed at construction, count unit cells rather than
//! per-request weights against several buckets at once, cannot adopt the venue's own counters
//! from response headers, have no notion of a decaying counter or of pausing a class for a
//! `Retry-After`, and run on their own clock rather than tokio's (so paused-clock tests could not
//! drive them). Those are the parts venues need; the remaining arithmetic is small and tested here.

pub mod binance;
mod bucket;
pub mod coinbase;
mod decay;
pub mod kraken;
mod limiter;
mod retry_after;
mod window;

pub use bucket::{Bucket, BucketSpec, Denied};
pub use decay::DecayingCounter;
pub use limiter::{Charge, Cost, RateLimiter, Scope};
pub use retry_after::{parse_retry_after, retry_after_header};
pub use window::FixedWindow;
