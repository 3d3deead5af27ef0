//! The `level2` order book (§5) as pure state machines: messages in, [`BookAction`]s out.
//!
//! Procedure (CDP WebSocket channels guide; live capture in `shared/exchanges/fixtures`):
//! 1. subscribe `level2` for a product (with `heartbeats` on the same connection, so that
//!    quiet channels are not closed);
//! 2. the first `l2_data` event is a `snapshot` of the whole book (levels unsorted): replace the
//!    book with it;
//! 3. then `update` events: set each level to `new_quantity` (absolute), `"0"` deletes;
//! 4. every message of the connection, on any channel, carries `sequence_num`, one more than the
//!    previous: a jump means messages were lost, possibly `l2_data` ones, so every book of the
//!    connection is unproven: mark it stale and resubscribe (or reconnect) for a fresh snapshot;
//! 5. a new connection starts its own sequence: books wait for their new snapshot.
//!
//! - [`ConnectionSequence`]: step 4's check, one per connection.
//! - [`L2Book`]: one product's book (steps 2, 3 and the stale/resync rules), publishing
//!   [`crate::BookUpdate`]s with a gap-free publication `seq`.
//! - [`Level2Feed`]: the two together over a whole connection's frames (replay, tests, and
//!   drivers that read raw frames).
//! - [`replay()`]: `xctl replay book --venue coinbase --updates FILE`.

mod feed;
mod l2;
mod replay;
mod sequence;

pub use feed::{FeedAction, Level2Feed};
pub use l2::{BookAction, BookCounters, BookState, L2Book};
pub use replay::{LevelCounts, ReplayReport, replay};
pub use sequence::{ConnectionSequence, SeqCheck};
