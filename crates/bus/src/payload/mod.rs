//! Payload types of the bus: what travels on each subject and in each KV bucket.
//!
//! Every payload is a struct with a schema version field `v` (a small integer, first field) that
//! [`crate::codec::decode`] checks against [`Payload::SCHEMA_VERSION`]. A change that an older
//! reader would misread bumps the version of that payload type; adding an optional field does not.
//! Payloads wrap the normalized types of `exchange_core::model` rather than copy their fields, so
//! prices and quantities are decimal strings (`"43000.10"`) and timestamps are integer
//! nanoseconds since the Unix epoch.

mod account;
mod book;
mod market;
mod order;

pub use account::{AccountError, AccountReply, AccountRequest, AccountResult};
pub use book::{BookEvent, BookEventKind, BookSnapshotRecord, BookState};
pub use market::{CandleMsg, FeedState, FeedStatus, TickerMsg, TradeMsg};
pub use order::{
    OrderAction, OrderCommand, OrderEvent, OrderEventKind, OrderPhase, OrderRecord, Reject,
};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// A bus payload: serializable, named, and versioned.
pub trait Payload: Serialize + DeserializeOwned {
    /// The type's name in errors and docs (`TradeMsg`).
    const NAME: &'static str;
    /// The schema version this build writes and reads.
    const SCHEMA_VERSION: u16;
    /// The version this value carries (its `v` field).
    fn schema_version(&self) -> u16;
}

/// Implements [`Payload`] for a struct with a `v: u16` field.
macro_rules! payload {
    ($ty:ident, $version:expr) => {
        impl $crate::payload::Payload for $ty {
            const NAME: &'static str = stringify!($ty);
            const SCHEMA_VERSION: u16 = $version;
            fn schema_version(&self) -> u16 {
                self.v
            }
        }
    };
}
pub(crate) use payload;
