//! The one error type of the bus crate.
//!
//! Every failure is a variant a caller can match: a bad subject token, a payload that does not
//! decode, a payload of another schema version, or a NATS/JetStream operation that failed. Nothing
//! in this crate panics on input from the network or a user.

/// The result type of the bus crate.
pub type Result<T, E = BusError> = std::result::Result<T, E>;

/// Boxed source error of a NATS or codec operation.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong on the bus.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BusError {
    /// A venue, account, client order id or symbol is not usable as a subject token or KV key.
    #[error("invalid {what} {token:?}: {why}")]
    InvalidToken {
        /// Which token (`venue`, `account`, `client_order_id`, `symbol`, ...).
        what: &'static str,
        /// The offending text.
        token: String,
        /// Why it was refused.
        why: String,
    },
    /// A subject or KV key does not follow the bus contract.
    #[error("invalid subject {subject:?}: {why}")]
    InvalidSubject {
        /// The offending subject or key.
        subject: String,
        /// Why it was refused.
        why: String,
    },
    /// The `Content-Type` header names an encoding the bus does not speak.
    #[error("unknown content type {0:?} (expected application/msgpack or application/json)")]
    UnknownContentType(String),
    /// A payload could not be encoded.
    #[error("cannot encode {payload} as {encoding}")]
    Encode {
        /// The payload type.
        payload: &'static str,
        /// The encoding (`msgpack`, `json`).
        encoding: &'static str,
        /// The serializer's error.
        #[source]
        source: BoxError,
    },
    /// A payload could not be decoded: garbage, truncated, or the wrong type.
    #[error("cannot decode {payload} from {encoding}: {source}")]
    Decode {
        /// The payload type that was expected.
        payload: &'static str,
        /// The encoding that was tried (`msgpack`, `json`).
        encoding: &'static str,
        /// The deserializer's error.
        #[source]
        source: BoxError,
    },
    /// A payload decoded, but carries another schema version than this build speaks.
    #[error("{payload} has schema version {found:?}, this build speaks version {expected}")]
    WrongSchema {
        /// The payload type.
        payload: &'static str,
        /// The version found in the payload (`None` when it has no `v` field).
        found: Option<u64>,
        /// The version this build speaks.
        expected: u16,
    },
    /// A payload decoded but breaks a rule of the contract (empty id, venue mismatch, ...).
    #[error("invalid {payload}: {why}")]
    InvalidPayload {
        /// The payload type.
        payload: &'static str,
        /// What is wrong.
        why: String,
    },
    /// A NATS or JetStream operation failed (publish, subscribe, KV read, stream definition).
    #[error("{op} failed: {source}")]
    Nats {
        /// What was attempted, with its subject, stream or bucket.
        op: String,
        /// The client's error.
        #[source]
        source: BoxError,
    },
    /// A bus setting is out of range (JetStream definitions, consumer limits).
    #[error("bus configuration: {0}")]
    Config(String),
    /// A subscription or KV watch ended (the client was closed or the server went away for good).
    #[error("{0} ended")]
    Closed(String),
}

impl BusError {
    /// Builds [`BusError::Nats`] from what was attempted and the client's error.
    pub fn nats(op: impl Into<String>, source: impl Into<BoxError>) -> Self {
        BusError::Nats {
            op: op.into(),
            source: source.into(),
        }
    }

    pub(crate) fn token(what: &'static str, token: &str, why: impl Into<String>) -> Self {
        BusError::InvalidToken {
            what,
            token: token.to_owned(),
            why: why.into(),
        }
    }

    pub(crate) fn subject(subject: &str, why: impl Into<String>) -> Self {
        BusError::InvalidSubject {
            subject: subject.to_owned(),
            why: why.into(),
        }
    }

    /// Whether the error is about one message's content (decode, schema, contract) rather than
    /// the connection: a consumer skips such a message (or rejects the command) and goes on.
    pub fn is_bad_message(&self) -> bool {
        matches!(
            self,
            BusError::UnknownContentType(_)
                | BusError::Decode { .. }
                | BusError::WrongSchema { .. }
                | BusError::InvalidPayload { .. }
                | BusError::InvalidToken { .. }
                | BusError::InvalidSubject { .. }
        )
    }
}
