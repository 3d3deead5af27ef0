//! The NATS bus contract of the gateway (DESIGN §4, documented in `docs/bus.md`).
//!
//! - [`subject`] and [`kv_key`]: subject and KV key builders and parsers, with token rules.
//! - [`payload`]: the versioned payload types that travel on each subject and bucket.
//! - [`codec`]: MessagePack (named fields) or JSON by `Content-Type`, decode errors never panic.
//! - [`publish`]: publishing with the right headers (`Content-Type`, `Nats-Msg-Id`).
//! - [`jetstream`]: the order streams and KV buckets, defined idempotently.
//! - [`book`]: book sequencing for publishers and the book consumer helper.
//! - [`error`]: the crate's one error type.

pub mod book;
pub mod codec;
pub mod error;
pub mod jetstream;
pub mod kv_key;
pub mod payload;
pub mod publish;
pub mod subject;

pub use book::{BookChange, BookConsumer, BookConsumerConfig, BookSequence, BookSequencer};
pub use codec::Encoding;
pub use error::{BusError, Result};
pub use payload::{
    AccountError, AccountReply, AccountRequest, AccountResult, BookEvent, BookEventKind,
    BookSnapshotRecord, BookState, CandleMsg, FeedState, FeedStatus, OrderAction, OrderCommand,
    OrderEvent, OrderEventKind, OrderPhase, OrderRecord, Payload, Reject, TickerMsg, TradeMsg,
};
pub use subject::{AccountQuery, MdChannel, Subject};
