//! API credentials per (venue, account), kept secret end to end.
//!
//! - [`KeyManager`] finds a pair's [`Credentials`] in the environment
//!   (`EXGW_<VENUE>_<ACCOUNT>_*`, see [`env`](mod@env)), in files named by `*_FILE` variables or
//!   `*_file` settings (docker secrets), or in the `[credentials]` configuration section
//!   ([`CredentialsConfig`]); the environment wins as a whole. `docs/credentials.md` is the
//!   operator's guide.
//! - Secret material lives in [`secrecy::SecretString`]. No `Debug`, `Display`, `Serialize` or
//!   error message of this module shows it: they print [`REDACTED`] or describe the problem
//!   ("the API secret is a PEM block that is not well-formed") without quoting the value.
//!   Adapters call `expose_secret()` only where they sign.

mod config;
mod credentials;
pub mod env;
mod manager;
mod pem;
mod redact;
mod secret_kind;

pub use config::{CredentialEntry, CredentialsConfig};
pub use credentials::{CredentialSource, Credentials};
pub use manager::{KeyManager, MAX_SECRET_FILE_BYTES};
pub use redact::REDACTED;
pub use secret_kind::{SecretKind, UnknownSecretKind};
