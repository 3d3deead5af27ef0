//! Connection state reporting: the current state as a `watch` channel, and every transition, in
//! order, on a `broadcast` channel (a `watch` keeps only the latest value, so quick successions
//! such as `Stale` → `Reconnecting` would be invisible to a slow reader).

use tokio::sync::{broadcast, watch};

use crate::stream::ConnectionState;

/// Publishes state changes of one session.
pub(crate) struct StateReporter {
    current: watch::Sender<ConnectionState>,
    transitions: broadcast::Sender<ConnectionState>,
}

impl StateReporter {
    pub(crate) fn new(transitions_buffer: usize) -> Self {
        let (current, _) = watch::channel(ConnectionState::Disconnected);
        let (transitions, _) = broadcast::channel(transitions_buffer.max(1));
        Self {
            current,
            transitions,
        }
    }

    pub(crate) fn get(&self) -> ConnectionState {
        *self.current.borrow()
    }

    /// Moves to `state`, announcing it if it differs from the current one.
    pub(crate) fn set(&self, state: ConnectionState) {
        if self.get() == state {
            return;
        }
        self.current.send_replace(state);
        // No receiver is fine: nobody is listening for transitions.
        let _ = self.transitions.send(state);
    }

    pub(crate) fn watch(&self) -> watch::Receiver<ConnectionState> {
        self.current.subscribe()
    }

    pub(crate) fn transitions(&self) -> broadcast::Sender<ConnectionState> {
        self.transitions.clone()
    }
}
