//! The Kraken REST server: `/0/public/<Method>` (GET or POST) and `/0/private/<Method>` (POST,
//! form-encoded, `API-Key` + `API-Sign`, strictly increasing `nonce` per key), faults and
//! latency as for the Binance APIs, the REST call counter, and the JSON envelope.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use super::error::{KrakenError, ok_body};
use super::limits::call_cost;
use super::sign;
use super::time::now_us;
use crate::server::faults::ApiKind;
use crate::server::state::Shared;

/// Decoded form or query parameters, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Form(pub Vec<(String, String)>);

fn unhex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => match (unhex(b[i + 1]), unhex(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Form {
    /// Parses `a=1&b=2` (percent and `+` decoding).
    pub fn parse(s: &str) -> Self {
        Form(
            s.split('&')
                .filter(|p| !p.is_empty())
                .map(|p| match p.split_once('=') {
                    Some((k, v)) => (decode(k), decode(v)),
                    None => (decode(p), String::new()),
                })
                .collect(),
        )
    }

    /// A parameter's value (the first one).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// A required parameter (`EGeneral:Invalid arguments:<name>` when absent).
    pub fn req(&self, name: &str) -> Result<&str, KrakenError> {
        self.get(name)
            .ok_or_else(|| KrakenError::invalid_arguments(Some(name)))
    }

    /// An optional decimal parameter.
    pub fn decimal(&self, name: &str) -> Result<Option<rust_decimal::Decimal>, KrakenError> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => v
                .parse()
                .map(Some)
                .map_err(|_| KrakenError::invalid_arguments(Some(name))),
        }
    }

    /// An optional integer parameter.
    pub fn int(&self, name: &str) -> Result<Option<i64>, KrakenError> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => v
                .parse()
                .map(Some)
                .map_err(|_| KrakenError::invalid_arguments(Some(name))),
        }
    }

    /// A boolean flag (`true` / `1`).
    pub fn flag(&self, name: &str) -> bool {
        matches!(self.get(name), Some("true" | "1"))
    }
}

/// The Kraken REST router.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(handle).with_state(shared)
}

fn respond(r: Result<String, KrakenError>) -> Response {
    match r {
        Ok(result) => (
            StatusCode::OK,
            [("content-type", "application/json; charset=utf-8")],
            ok_body(&result),
        )
            .into_response(),
        Err(e) => (
            StatusCode::from_u16(e.http).unwrap_or(StatusCode::OK),
            [("content-type", "application/json; charset=utf-8")],
            e.body(),
        )
            .into_response(),
    }
}

fn forced(status: u16) -> KrakenError {
    match status {
        429 => KrakenError {
            http: 429,
            ..KrakenError::api_rate_limit()
        },
        s => KrakenError::unavailable(s),
    }
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let latency = shared.faults().latency(ApiKind::KrakenRest);
    if latency > 0 {
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(latency)) => {}
            _ = shared.cancel.cancelled() => {}
        }
    }
    if let Some(status) = shared.faults().take_http(ApiKind::KrakenRest) {
        return respond(Err(forced(status)));
    }
    let path = uri.path().to_string();
    let raw_body = std::str::from_utf8(&body).unwrap_or("");
    if let Some(m) = path.strip_prefix("/0/public/") {
        let mut form = Form::parse(uri.query().unwrap_or(""));
        if method == Method::POST {
            form.0.extend(Form::parse(raw_body).0);
        }
        return respond(super::rest_public::run(&shared, m, &form));
    }
    let Some(m) = path.strip_prefix("/0/private/") else {
        return respond(Err(KrakenError::unknown_method()));
    };
    if method != Method::POST {
        return respond(Err(KrakenError::unknown_method()));
    }
    let now = now_us();
    let form = Form::parse(raw_body);
    let key = match authenticate(&shared, &path, &headers, &form, raw_body, m, now) {
        Ok(k) => k,
        Err(e) => return respond(Err(e)),
    };
    let kr = &shared.kraken;
    let result = {
        let mut venue = kr.venue();
        let r = super::rest_private::run(&shared, &mut venue, key, m, &form, now);
        super::publish::publish(&shared, &mut venue, now);
        r
    };
    let result = match result {
        Ok(_) if m == "AddOrder" && shared.faults().take_order_timeout(ApiKind::KrakenRest) => {
            Err(KrakenError::unavailable(504))
        }
        other => other,
    };
    respond(result)
}

/// Checks key, signature and nonce, then charges the call counter; returns the key index.
fn authenticate(
    shared: &Shared,
    path: &str,
    headers: &HeaderMap,
    form: &Form,
    raw_body: &str,
    method: &str,
    now_us: u64,
) -> Result<usize, KrakenError> {
    let header = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or("");
    let api_key = header("API-Key");
    let kr = &shared.kraken;
    let mut venue = kr.venue();
    let idx = venue
        .keys
        .iter()
        .position(|k| !api_key.is_empty() && k.api_key == api_key)
        .ok_or_else(KrakenError::invalid_key)?;
    let nonce_text = form.get("nonce").ok_or_else(KrakenError::invalid_nonce)?;
    let nonce: u64 = nonce_text
        .parse()
        .map_err(|_| KrakenError::invalid_nonce())?;
    let secret = venue.keys[idx].secret.clone();
    if !sign::verify(&secret, path, nonce_text, raw_body, header("API-Sign")) {
        return Err(KrakenError::invalid_signature());
    }
    let key = &mut venue.keys[idx];
    if nonce <= key.last_nonce {
        return Err(KrakenError::invalid_nonce());
    }
    key.last_nonce = nonce;
    let cost = call_cost(method);
    if cost > 0
        && !key
            .calls
            .charge(&kr.config.call_counter, cost, now_us / 1000)
    {
        return Err(KrakenError::api_rate_limit());
    }
    Ok(idx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_decoding() {
        let f = Form::parse("a=1&cl_ord_id=x%2By+z&empty=&pair=XBT%2FUSD&bad=%zz");
        assert_eq!(f.get("a"), Some("1"));
        assert_eq!(f.get("cl_ord_id"), Some("x+y z"));
        assert_eq!(f.get("pair"), Some("XBT/USD"));
        assert_eq!(f.get("empty"), None);
        assert_eq!(f.get("bad"), Some("%zz"));
        assert!(f.req("missing").is_err());
    }
}
