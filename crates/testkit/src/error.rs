//! The testkit error type.

use std::time::Duration;

/// Why a testkit helper failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TestkitError {
    /// `nats-server` is not installed (or `NATS_SERVER_BIN` points nowhere).
    #[error("nats-server not found ({0}); run scripts/install-nats-server.sh")]
    NatsServerMissing(String),
    /// A process or file operation failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A condition did not become true before its deadline.
    #[error("timed out after {timeout:?} waiting for {what}")]
    Timeout {
        /// What was awaited.
        what: String,
        /// How long we waited.
        timeout: Duration,
    },
}

impl TestkitError {
    pub(crate) fn io(what: impl Into<String>, source: std::io::Error) -> Self {
        TestkitError::Io {
            what: what.into(),
            source,
        }
    }
}
