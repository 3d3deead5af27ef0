//! Outgoing frames held while the connection is down, bounded: overflow is refused to the
//! caller, never dropped silently.

use std::collections::VecDeque;

/// A bounded FIFO of outgoing text frames.
pub(crate) struct Outbox {
    frames: VecDeque<String>,
    capacity: usize,
}

impl Outbox {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            frames: VecDeque::new(),
            capacity,
        }
    }

    /// Queues `frame`, or hands it back when the queue is full.
    pub(crate) fn push(&mut self, frame: String) -> Result<(), String> {
        if self.frames.len() >= self.capacity {
            return Err(frame);
        }
        self.frames.push_back(frame);
        Ok(())
    }

    /// Puts a frame that could not be sent back at the head (ignoring the bound: it was
    /// accepted before).
    pub(crate) fn push_front(&mut self, frame: String) {
        self.frames.push_front(frame);
    }

    pub(crate) fn pop(&mut self) -> Option<String> {
        self.frames.pop_front()
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.frames.len()
    }

    pub(crate) fn capacity(&self) -> usize {
        self.capacity
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_fifo_refuses_overflow() {
        let mut q = Outbox::new(2);
        q.push("a".into()).unwrap();
        q.push("b".into()).unwrap();
        assert_eq!(q.push("c".into()), Err("c".to_owned()));
        q.push_front("z".into());
        assert_eq!(q.pop().as_deref(), Some("z"));
        assert_eq!(q.pop().as_deref(), Some("a"));
        assert_eq!(q.len(), 1);
    }
}
