//! Step 4: the per-connection `sequence_num` check.

/// What one message's `sequence_num` says about the connection's stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeqCheck {
    /// The first message seen.
    First,
    /// Exactly one more than the previous: nothing was lost.
    InOrder,
    /// Messages `expected..received` were lost.
    Gap {
        /// The number that should have come.
        expected: u64,
        /// The number that came.
        received: u64,
    },
    /// Not above the previous number: a new connection's sequence (or a replayed message).
    Restarted {
        /// The previous number.
        previous: u64,
        /// The number that came.
        received: u64,
    },
}

/// Tracks `sequence_num` over one connection, across all channels.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ConnectionSequence {
    last: Option<u64>,
}

impl ConnectionSequence {
    /// A tracker that has seen nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// The last number seen.
    pub fn last(&self) -> Option<u64> {
        self.last
    }

    /// Checks and records one message's number.
    pub fn observe(&mut self, received: u64) -> SeqCheck {
        let check = match self.last {
            None => SeqCheck::First,
            Some(previous) if received == previous.saturating_add(1) => SeqCheck::InOrder,
            Some(previous) if received > previous => SeqCheck::Gap {
                expected: previous + 1,
                received,
            },
            Some(previous) => SeqCheck::Restarted { previous, received },
        };
        self.last = Some(received);
        check
    }

    /// Forgets the connection (call on reconnect).
    pub fn reset(&mut self) {
        self.last = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_gaps_and_restarts() {
        let mut s = ConnectionSequence::new();
        assert_eq!(s.observe(0), SeqCheck::First);
        assert_eq!(s.observe(1), SeqCheck::InOrder);
        assert_eq!(s.observe(2), SeqCheck::InOrder);
        assert_eq!(
            s.observe(4),
            SeqCheck::Gap {
                expected: 3,
                received: 4
            }
        );
        assert_eq!(s.observe(5), SeqCheck::InOrder);
        assert_eq!(
            s.observe(0),
            SeqCheck::Restarted {
                previous: 5,
                received: 0
            }
        );
        s.reset();
        assert_eq!(s.observe(7), SeqCheck::First);
        assert_eq!(s.last(), Some(7));
    }
}
