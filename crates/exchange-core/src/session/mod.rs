//! The WebSocket session manager shared by every adapter.
//!
//! An adapter describes its venue's protocol ([`SessionProtocol`]: subscribe/unsubscribe frames,
//! frame classification, application ping) and optionally a REST [`Poller`]; [`Session::spawn`]
//! does the rest in one task per connection that owns the socket:
//!
//! - connect (rustls with ring, webpki roots), resubscribe everything active, flush frames
//!   queued while disconnected ([`SessionHandle::send`]; the queue is bounded and overflow is an
//!   error to the caller);
//! - answer server pings with the same payload; send protocol or application pings;
//! - watchdogs: no frame on the connection, or no data on a watched subscription, within the
//!   configured window → [`ConnectionState::Stale`] and reconnect;
//! - reconnect with exponential backoff, full jitter and a cap, within a connection-attempt
//!   budget ([`backoff`]); planned disconnects (a shutdown notice, the connection age limit)
//!   reconnect at once;
//! - after repeated failures, the poller keeps data flowing ([`ConnectionState::Polling`]) until
//!   the WebSocket is back;
//! - frames the adapter cannot decode ([`Inbound::Undecodable`]) are logged and counted in the
//!   session's [`FrameCounters`], never fatal;
//! - state as a watch channel plus an ordered transition feed; every subscription stream
//!   yields [`StreamEvent::Resync`] after a disconnect and after a polling hand-over, and
//!   unsubscribes when dropped.
//!
//! See `docs/plumbing.md` for the life of a session.
//!
//! [`ConnectionState::Stale`]: crate::stream::ConnectionState::Stale
//! [`ConnectionState::Polling`]: crate::stream::ConnectionState::Polling
//! [`StreamEvent::Resync`]: crate::stream::StreamEvent::Resync

pub mod backoff;
mod command;
mod config;
mod connection;
mod counters;
mod down;
mod driver;
mod handle;
mod outbox;
mod poller;
pub mod presets;
mod protocol;
mod registry;
mod state;

pub use backoff::{AttemptBudget, Backoff};
pub use config::{PingConfig, PingKind, SessionConfig};
pub use counters::FrameCounters;
pub use handle::{Session, SessionHandle, SessionSubscription, SubscribeOptions};
pub use poller::Poller;
pub use protocol::{Frame, Inbound, SessionProtocol};
