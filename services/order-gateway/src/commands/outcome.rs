//! How a command ends, and the delivery facts a handler needs.

use async_nats::HeaderMap;

/// How the handling of one command ended; decides the ack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Its outcome is durable (events published, record written): ack.
    Done,
    /// Refused, with a `rejected` event published: ack.
    Rejected,
    /// A repeat of a command already settled: ack.
    Duplicate,
    /// Not settleable yet (the venue's answer is unknown, a place is still pending): deliver it
    /// again later.
    Retry(String),
}

impl Outcome {
    /// The metric label.
    pub fn label(&self) -> &'static str {
        match self {
            Outcome::Done => "done",
            Outcome::Rejected => "rejected",
            Outcome::Duplicate => "duplicate",
            Outcome::Retry(_) => "retry",
        }
    }
}

/// What the handler knows of the message that carried the command.
#[derive(Debug, Clone, Default)]
pub struct Delivery {
    /// The message headers (trace context).
    pub headers: Option<HeaderMap>,
    /// How many times JetStream delivered it (1 the first time).
    pub delivered: i64,
    /// Its sequence in `ORDERS_CMD`: unique per message, the same on every redelivery.
    pub stream_sequence: u64,
}

impl Delivery {
    /// Whether this is a redelivery of a message the gateway had in hand before.
    pub fn is_redelivery(&self) -> bool {
        self.delivered > 1
    }
}
