//! Account queries: request-reply on `acct.<venue>.<account>.<query>`.
//!
//! The request body is an [`AccountRequest`] (an empty body means "no filter"); the reply is an
//! [`AccountReply`] whose `data` type depends on the query:
//!
//! | query | `data` |
//! |---|---|
//! | `balance` | `Vec<Balance>` |
//! | `positions` | `Vec<Position>` |
//! | `open_orders` | `Vec<Order>` |
//! | `markets` | `Vec<Market>` |

use exchange_core::model::Symbol;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::{Payload, payload};
use crate::codec::{Encoding, decode};
use crate::error::Result;

/// An account query's request body.
///
/// ```json
/// {"v":1,"symbol":"BTC/USDT"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRequest {
    /// Schema version ([`AccountRequest::VERSION`]).
    pub v: u16,
    /// Only this symbol (open orders, positions), when set.
    pub symbol: Option<Symbol>,
}

impl AccountRequest {
    /// The schema version this build speaks.
    pub const VERSION: u16 = 1;

    /// A request, optionally for one symbol.
    pub fn new(symbol: Option<Symbol>) -> Self {
        AccountRequest {
            v: Self::VERSION,
            symbol,
        }
    }

    /// Decodes a request body; an empty body is a request without filter.
    pub fn decode_body(body: &[u8], encoding: Encoding) -> Result<Self> {
        if body.is_empty() {
            Ok(AccountRequest::new(None))
        } else {
            decode(body, encoding)
        }
    }
}
payload!(AccountRequest, AccountRequest::VERSION);

/// Why an account query failed: a stable code (an `exchange_core` error kind such as
/// `rate_limited`, or `bad_request`) and a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountError {
    /// Stable snake_case code.
    pub code: String,
    /// Detail for humans.
    pub message: String,
}

/// The outcome of an account query. Tagged by `status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum AccountResult<T> {
    /// The answer.
    Ok {
        /// The data (see the module table for its type per query).
        data: T,
    },
    /// The query failed.
    Error {
        /// Why.
        error: AccountError,
    },
}

/// The reply to an account query.
///
/// ```json
/// {"v":1,"result":{"status":"ok","data":[{"asset":"BTC","free":"0.5","locked":"0",
///  "borrowed":null}]}}
/// ```
///
/// ```json
/// {"v":1,"result":{"status":"error","error":{"code":"rate_limited",
///  "message":"rate limited: too many requests"}}}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountReply<T> {
    /// Schema version ([`AccountReply::VERSION`]).
    pub v: u16,
    /// Data or error.
    pub result: AccountResult<T>,
}

impl<T> AccountReply<T> {
    /// The schema version this build speaks.
    pub const VERSION: u16 = 1;

    /// A successful reply.
    pub fn ok(data: T) -> Self {
        AccountReply {
            v: Self::VERSION,
            result: AccountResult::Ok { data },
        }
    }

    /// A failed reply.
    pub fn error(code: impl Into<String>, message: impl Into<String>) -> Self {
        AccountReply {
            v: Self::VERSION,
            result: AccountResult::Error {
                error: AccountError {
                    code: code.into(),
                    message: message.into(),
                },
            },
        }
    }

    /// The data, or the error.
    pub fn into_result(self) -> std::result::Result<T, AccountError> {
        match self.result {
            AccountResult::Ok { data } => Ok(data),
            AccountResult::Error { error } => Err(error),
        }
    }
}

impl<T: Serialize + DeserializeOwned> Payload for AccountReply<T> {
    const NAME: &'static str = "AccountReply";
    const SCHEMA_VERSION: u16 = Self::VERSION;

    fn schema_version(&self) -> u16 {
        self.v
    }
}
