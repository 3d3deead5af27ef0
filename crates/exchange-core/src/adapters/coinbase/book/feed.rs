//! A whole connection's `level2` books: the sequence check applied to every message, then
//! `l2_data` events routed to their product's [`L2Book`].

use std::collections::BTreeMap;

use super::l2::{BookAction, L2Book};
use super::sequence::{ConnectionSequence, SeqCheck};
use crate::adapters::coinbase::parse::ws::{ChannelBody, ChannelMessage};
use crate::adapters::coinbase::symbols;

/// A [`BookAction`] of one product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedAction {
    /// The product.
    pub product_id: String,
    /// What to do.
    pub action: BookAction,
}

/// The books of one connection.
#[derive(Debug, Clone, Default)]
pub struct Level2Feed {
    sequence: ConnectionSequence,
    books: BTreeMap<String, L2Book>,
    gaps: u64,
    other_messages: u64,
}

impl Level2Feed {
    /// No books yet; a book starts with its product's first snapshot.
    pub fn new() -> Self {
        Self::default()
    }

    /// The book of `product_id`.
    pub fn book(&self, product_id: &str) -> Option<&L2Book> {
        self.books.get(product_id)
    }

    /// Every book, by product id.
    pub fn books(&self) -> impl Iterator<Item = &L2Book> {
        self.books.values()
    }

    /// Sequence gaps seen on the connection.
    pub fn gaps(&self) -> u64 {
        self.gaps
    }

    /// Messages of other channels (acks, heartbeats, trades, ...): checked, not applied.
    pub fn other_messages(&self) -> u64 {
        self.other_messages
    }

    /// Handles one channel message received at `local_ts_ns` (step 4, then steps 2–3).
    pub fn on_message(
        &mut self,
        msg: &ChannelMessage,
        local_ts_ns: i64,
    ) -> crate::Result<Vec<FeedAction>> {
        let mut out = Vec::new();
        match self.sequence.observe(msg.sequence_num) {
            SeqCheck::First | SeqCheck::InOrder => {}
            SeqCheck::Gap { expected, received } => {
                self.gaps += 1;
                let reason = format!("sequence_num gap: expected {expected}, received {received}");
                for book in self.books.values_mut() {
                    let product_id = book.product_id().to_owned();
                    out.extend(book.on_gap(&reason).into_iter().map(|action| FeedAction {
                        product_id: product_id.clone(),
                        action,
                    }));
                }
            }
            SeqCheck::Restarted { previous, received } => {
                let reason = format!("new connection (sequence_num {received} after {previous})");
                for book in self.books.values_mut() {
                    let product_id = book.product_id().to_owned();
                    out.extend(
                        book.on_disconnect(&reason)
                            .into_iter()
                            .map(|action| FeedAction {
                                product_id: product_id.clone(),
                                action,
                            }),
                    );
                }
            }
        }
        let ChannelBody::Level2(events) = &msg.body else {
            self.other_messages += 1;
            return Ok(out);
        };
        for event in events {
            let book = match self.books.get_mut(&event.product_id) {
                Some(book) => book,
                None if event.is_snapshot() => {
                    let symbol = symbols::to_symbol(&event.product_id)?;
                    self.books
                        .entry(event.product_id.clone())
                        .or_insert_with(|| L2Book::new(&event.product_id, symbol))
                }
                None => continue,
            };
            let actions = book.on_event(event, msg.sequence_num, msg.timestamp_ns, local_ts_ns)?;
            out.extend(actions.into_iter().map(|action| FeedAction {
                product_id: event.product_id.clone(),
                action,
            }));
        }
        Ok(out)
    }

    /// The connection was lost: forget its sequence; books wait for new snapshots.
    pub fn on_disconnect(&mut self, reason: &str) -> Vec<FeedAction> {
        self.sequence.reset();
        let mut out = Vec::new();
        for book in self.books.values_mut() {
            let product_id = book.product_id().to_owned();
            out.extend(
                book.on_disconnect(reason)
                    .into_iter()
                    .map(|action| FeedAction {
                        product_id: product_id.clone(),
                        action,
                    }),
            );
        }
        out
    }
}
