//! Order books over the bus: the publisher's sequence numbering, the pure consumer sequencer,
//! and the async consumer that maintains a book from `md.<venue>.book.<symbol>` and KV `md_books`.

mod consumer;
mod sequence;
mod sequencer;

pub use consumer::{BookChange, BookConsumer, BookConsumerConfig};
pub use sequence::BookSequence;
pub use sequencer::{
    BookAction, BookLevels, BookSequencer, DEFAULT_MAX_BUFFER, InvalidReason, SequencerStats,
};
