//! The crate's error type at its boundary (start-up and configuration).

/// Errors starting or configuring venue-sim.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SimError {
    /// Configuration could not be read or parsed.
    #[error("configuration: {0}")]
    Config(String),
    /// A listener could not be bound.
    #[error("bind {addr}: {source}")]
    Bind {
        /// Address.
        addr: String,
        /// Cause.
        #[source]
        source: std::io::Error,
    },
}

impl SimError {
    /// Whether retrying the same call could succeed (a port may free up; a bad config will not).
    pub fn is_retryable(&self) -> bool {
        matches!(self, SimError::Bind { .. })
    }
}
