//! The bus codec: MessagePack with named fields or JSON, chosen by the `Content-Type` header.
//!
//! - `Content-Type: application/msgpack`: MessagePack, structs as maps with field names
//!   (`rmp_serde::to_vec_named`), so any MessagePack library can read them by name.
//! - `Content-Type: application/json`: JSON.
//! - No `Content-Type` header: MessagePack, the default.
//!
//! The header name and the media type are matched case-insensitively and media-type parameters
//! are ignored (`content-type: Application/JSON; charset=utf-8` is JSON); any other type is
//! [`BusError::UnknownContentType`].
//!
//! JetStream KV values carry no headers: [`decode_sniffed`] tells JSON (first non-blank byte `{`)
//! from MessagePack (a named struct always starts with a map marker).
//!
//! Decoding checks the payload's schema version `v` against [`Payload::SCHEMA_VERSION`]; garbage,
//! wrong types, trailing bytes and other versions are errors, never panics.

use std::cell::RefCell;
use std::fmt;
use std::io::Cursor;
use std::str::FromStr;

use async_nats::HeaderMap;
use bytes::Bytes;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::{BusError, Result};
use crate::payload::Payload;

/// The name of the header that says how a payload is encoded.
pub const CONTENT_TYPE: &str = "Content-Type";

/// The media type of MessagePack payloads.
pub const MSGPACK: &str = "application/msgpack";

/// The media type of JSON payloads.
pub const JSON: &str = "application/json";

/// How a payload is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Encoding {
    /// MessagePack with named fields (the default).
    #[default]
    MsgPack,
    /// JSON.
    Json,
}

impl Encoding {
    /// The `Content-Type` header value.
    pub fn content_type(self) -> &'static str {
        match self {
            Encoding::MsgPack => MSGPACK,
            Encoding::Json => JSON,
        }
    }

    /// The short name used in configuration and errors (`msgpack`, `json`).
    pub fn name(self) -> &'static str {
        match self {
            Encoding::MsgPack => "msgpack",
            Encoding::Json => "json",
        }
    }

    /// Parses a `Content-Type` value; parameters after `;` are ignored.
    pub fn from_content_type(value: &str) -> Result<Encoding> {
        let media = value.split(';').next().unwrap_or_default().trim();
        if media.eq_ignore_ascii_case(MSGPACK) {
            Ok(Encoding::MsgPack)
        } else if media.eq_ignore_ascii_case(JSON) {
            Ok(Encoding::Json)
        } else {
            Err(BusError::UnknownContentType(value.to_owned()))
        }
    }

    /// The encoding a message's headers declare; no headers or no `Content-Type` means MessagePack.
    /// The header name is matched case-insensitively (`content-type` from other clients).
    pub fn from_headers(headers: Option<&HeaderMap>) -> Result<Encoding> {
        let Some(headers) = headers else {
            return Ok(Encoding::MsgPack);
        };
        let value = headers.get(CONTENT_TYPE).or_else(|| {
            headers
                .iter()
                .find(|(name, _)| AsRef::<str>::as_ref(*name).eq_ignore_ascii_case(CONTENT_TYPE))
                .and_then(|(_, values)| values.first())
        });
        match value {
            Some(value) => Encoding::from_content_type(value.as_str()),
            None => Ok(Encoding::MsgPack),
        }
    }

    /// Guesses the encoding of a header-less value (a KV entry): JSON if the first non-blank byte
    /// is `{`, MessagePack otherwise.
    pub fn sniff(bytes: &[u8]) -> Encoding {
        match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => Encoding::Json,
            _ => Encoding::MsgPack,
        }
    }

    /// Headers carrying this encoding's `Content-Type`.
    pub fn headers(self) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, self.content_type());
        headers
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Encoding {
    type Err = BusError;

    /// Parses a configuration value: `msgpack` or `json` (or a media type).
    fn from_str(s: &str) -> Result<Encoding> {
        match s.trim().to_ascii_lowercase().as_str() {
            "msgpack" | "messagepack" => Ok(Encoding::MsgPack),
            "json" => Ok(Encoding::Json),
            _ => Encoding::from_content_type(s),
        }
    }
}

/// What a thread's encode buffer starts with: a market-data message is a few hundred bytes.
const SCRATCH_CAPACITY: usize = 4096;
/// A buffer grown past this by one large payload (a deep book snapshot) is not kept.
const SCRATCH_KEEP: usize = 1 << 20;

thread_local! {
    /// One reused encode buffer per thread: a payload is written into it and copied out once,
    /// instead of growing a fresh `Vec` from empty for every message.
    static SCRATCH: RefCell<Vec<u8>> = RefCell::new(Vec::with_capacity(SCRATCH_CAPACITY));
}

/// Encodes a payload.
pub fn encode<T: Payload>(payload: &T, encoding: Encoding) -> Result<Bytes> {
    SCRATCH
        .with(|scratch| match scratch.try_borrow_mut() {
            Ok(mut buf) => {
                buf.clear();
                let written =
                    write(payload, encoding, &mut buf).map(|()| Bytes::copy_from_slice(&buf));
                if buf.capacity() > SCRATCH_KEEP {
                    *buf = Vec::with_capacity(SCRATCH_CAPACITY);
                }
                written
            }
            // Only if a payload's `Serialize` encodes another payload: no reuse then.
            Err(_) => {
                let mut buf = Vec::new();
                write(payload, encoding, &mut buf).map(|()| Bytes::from(buf))
            }
        })
        .map_err(|source| BusError::Encode {
            payload: T::NAME,
            encoding: encoding.name(),
            source,
        })
}

fn write<T: Payload>(
    payload: &T,
    encoding: Encoding,
    buf: &mut Vec<u8>,
) -> std::result::Result<(), crate::error::BoxError> {
    match encoding {
        Encoding::MsgPack => rmp_serde::encode::write_named(buf, payload)?,
        Encoding::Json => serde_json::to_writer(buf, payload)?,
    }
    Ok(())
}

/// Decodes a payload and checks its schema version.
pub fn decode<T: Payload>(bytes: &[u8], encoding: Encoding) -> Result<T> {
    match decode_raw::<T>(bytes, encoding) {
        Ok(value) if value.schema_version() == T::SCHEMA_VERSION => Ok(value),
        Ok(value) => Err(BusError::WrongSchema {
            payload: T::NAME,
            found: Some(u64::from(value.schema_version())),
            expected: T::SCHEMA_VERSION,
        }),
        Err(source) => {
            // A payload of another version may not even have this version's shape: say so
            // rather than report a missing field.
            match decode_raw::<VersionProbe>(bytes, encoding) {
                Ok(VersionProbe { v: Some(found) }) if found != u64::from(T::SCHEMA_VERSION) => {
                    Err(BusError::WrongSchema {
                        payload: T::NAME,
                        found: Some(found),
                        expected: T::SCHEMA_VERSION,
                    })
                }
                _ => Err(BusError::Decode {
                    payload: T::NAME,
                    encoding: encoding.name(),
                    source,
                }),
            }
        }
    }
}

/// Decodes a NATS message by its `Content-Type` header.
pub fn decode_message<T: Payload>(message: &async_nats::Message) -> Result<T> {
    let encoding = Encoding::from_headers(message.headers.as_ref())?;
    decode(&message.payload, encoding)
}

/// Decodes a header-less value (a KV entry), telling the encoding by [`Encoding::sniff`].
pub fn decode_sniffed<T: Payload>(bytes: &[u8]) -> Result<T> {
    decode(bytes, Encoding::sniff(bytes))
}

/// Just the schema version of any payload.
#[derive(Deserialize)]
struct VersionProbe {
    v: Option<u64>,
}

fn decode_raw<T: DeserializeOwned>(
    bytes: &[u8],
    encoding: Encoding,
) -> std::result::Result<T, crate::error::BoxError> {
    match encoding {
        Encoding::Json => Ok(serde_json::from_slice(bytes)?),
        Encoding::MsgPack => {
            let mut de = rmp_serde::Deserializer::new(Cursor::new(bytes));
            let value = T::deserialize(&mut de)?;
            let used = de.position();
            if used != bytes.len() as u64 {
                return Err(format!(
                    "{} trailing bytes after the MessagePack value",
                    bytes.len() as u64 - used
                )
                .into());
            }
            Ok(value)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types() {
        assert_eq!(
            Encoding::from_content_type("application/msgpack").unwrap(),
            Encoding::MsgPack
        );
        assert_eq!(
            Encoding::from_content_type("Application/JSON; charset=utf-8").unwrap(),
            Encoding::Json
        );
        assert!(matches!(
            Encoding::from_content_type("text/plain"),
            Err(BusError::UnknownContentType(_))
        ));
        assert_eq!(Encoding::from_headers(None).unwrap(), Encoding::MsgPack);
        assert_eq!(
            Encoding::from_headers(Some(&HeaderMap::new())).unwrap(),
            Encoding::MsgPack
        );
        assert_eq!(
            Encoding::from_headers(Some(&Encoding::Json.headers())).unwrap(),
            Encoding::Json
        );
        let mut lower = HeaderMap::new();
        lower.insert("content-type", "application/json");
        assert_eq!(
            Encoding::from_headers(Some(&lower)).unwrap(),
            Encoding::Json
        );
        assert_eq!("json".parse::<Encoding>().unwrap(), Encoding::Json);
        assert_eq!("MsgPack".parse::<Encoding>().unwrap(), Encoding::MsgPack);
        assert!("xml".parse::<Encoding>().is_err());
    }

    #[test]
    fn sniffing() {
        assert_eq!(Encoding::sniff(b" \n{\"v\":1}"), Encoding::Json);
        assert_eq!(Encoding::sniff(&[0x81, 0xa1, b'v', 1]), Encoding::MsgPack);
        assert_eq!(Encoding::sniff(b""), Encoding::MsgPack);
    }
}
