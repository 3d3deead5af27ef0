//! A REST request as adapters describe it, before signing.

use reqwest::Method;
use reqwest::header::HeaderMap;

use crate::ratelimit::Cost;

/// What a request does, which decides retries and how failures are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestKind {
    /// Reads state; idempotent, so retryable errors are retried.
    Query,
    /// Places, amends or cancels an order: never retried; a 5xx or a timeout after sending is
    /// [`crate::ExchangeError::UnknownOrderStatus`], to be reconciled.
    Order,
    /// Any other request with effects (listen keys, transfers): never retried.
    Write,
}

impl RequestKind {
    /// Whether sending the request twice has the same effect as sending it once.
    pub fn is_idempotent(self) -> bool {
        matches!(self, RequestKind::Query)
    }
}

/// A request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// `application/x-www-form-urlencoded` pairs, in order (Kraken private calls, Binance).
    Form(Vec<(String, String)>),
    /// A JSON document (Coinbase).
    Json(String),
}

impl Body {
    /// The body's bytes exactly as sent (and signed).
    pub fn encoded(&self) -> String {
        match self {
            Body::Form(pairs) => encode_pairs(pairs),
            Body::Json(text) => text.clone(),
        }
    }

    /// Its `Content-Type`.
    pub fn content_type(&self) -> &'static str {
        match self {
            Body::Form(_) => "application/x-www-form-urlencoded",
            Body::Json(_) => "application/json",
        }
    }
}

/// URL-encodes pairs in order, as sent on the wire.
pub fn encode_pairs(pairs: &[(String, String)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// A REST request: method, path under the venue's base URL, query, body, and what it is.
#[derive(Debug, Clone)]
pub struct RestRequest {
    /// The HTTP method.
    pub method: Method,
    /// The path, starting with `/` (`/api/v3/order`).
    pub path: String,
    /// Query pairs, in order.
    pub query: Vec<(String, String)>,
    /// The body, if any.
    pub body: Option<Body>,
    /// Extra headers.
    pub headers: HeaderMap,
    /// Query, order or other write.
    pub kind: RequestKind,
    /// Whether the venue's signing hook runs.
    pub signed: bool,
    /// What it costs against the venue's limits; `None` for requests outside every limit.
    pub cost: Option<Cost>,
}

impl RestRequest {
    /// A request of `method` to `path`: an unsigned query with no cost until told otherwise.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            query: Vec::new(),
            body: None,
            headers: HeaderMap::new(),
            kind: RequestKind::Query,
            signed: false,
            cost: None,
        }
    }

    /// A `GET` query.
    pub fn get(path: impl Into<String>) -> Self {
        Self::new(Method::GET, path)
    }

    /// A `POST` (still a query until [`Self::kind`] says otherwise).
    pub fn post(path: impl Into<String>) -> Self {
        Self::new(Method::POST, path)
    }

    /// A `DELETE`.
    pub fn delete(path: impl Into<String>) -> Self {
        Self::new(Method::DELETE, path)
    }

    /// Adds a query pair.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Sets the body.
    pub fn body(mut self, body: Body) -> Self {
        self.body = Some(body);
        self
    }

    /// Sets what the request does.
    pub fn kind(mut self, kind: RequestKind) -> Self {
        self.kind = kind;
        self
    }

    /// Marks the request for signing.
    pub fn signed(mut self) -> Self {
        self.signed = true;
        self
    }

    /// Sets its cost against the venue's limits.
    pub fn cost(mut self, cost: Cost) -> Self {
        self.cost = Some(cost);
        self
    }

    /// `METHOD /path`, for error messages: never the query or body, which may carry
    /// signatures.
    pub fn describe(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_bodies_encode_in_order() {
        let body = Body::Form(vec![
            ("symbol".into(), "LTCBTC".into()),
            ("side".into(), "BUY".into()),
            ("note".into(), "a b&c".into()),
        ]);
        assert_eq!(body.encoded(), "symbol=LTCBTC&side=BUY&note=a+b%26c");
    }

    #[test]
    fn only_queries_are_idempotent() {
        assert!(RequestKind::Query.is_idempotent());
        assert!(!RequestKind::Order.is_idempotent());
        assert!(!RequestKind::Write.is_idempotent());
        let r = RestRequest::post("/api/v3/order")
            .query("signature", "secret-derived")
            .kind(RequestKind::Order);
        assert_eq!(r.describe(), "POST /api/v3/order");
    }
}
