//! WebSocket v2 control frames: the routing header, `status`, method responses (subscribe
//! acks, `pong`, errors, `add_order`/`cancel_order` results) (§5.1).

use serde::Deserialize;
use serde_json::value::RawValue;

use super::from_json;
use super::system::SystemState;

/// The fields that say what a v2 frame is, read before the rest.
///
/// Channel messages carry `channel` (and `type`: `snapshot`/`update`); method responses carry
/// `method`, `success`, `req_id` and `result` or `error`.
#[derive(Debug, Deserialize)]
pub struct FrameHeader {
    /// `book`, `trade`, `ticker`, `ohlc`, `instrument`, `executions`, `status`, `heartbeat`.
    #[serde(default)]
    pub channel: Option<String>,
    /// `snapshot` or `update`.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// `subscribe`, `unsubscribe`, `pong`, `add_order`, ….
    #[serde(default)]
    pub method: Option<String>,
}

impl FrameHeader {
    /// Reads the header of a frame.
    pub fn parse(text: &str) -> crate::Result<FrameHeader> {
        from_json("v2 frame", text)
    }
}

/// One entry of the `status` frame, the first frame on connect (fixture
/// `kraken_ws_v2_session_frames.jsonl`):
///
/// ```json
/// {"channel":"status","type":"update","data":[{"version":"2.0.10","system":"online",
///  "api_version":"v2","connection_id":3874220236022742727}]}
/// ```
///
/// `connection_id` exceeds 2^53: it is read as a `u64`, never as a double.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct StatusData {
    /// Server version.
    pub version: String,
    /// Trading status.
    pub system: SystemState,
    /// `v2`.
    pub api_version: String,
    /// This connection's id.
    pub connection_id: u64,
}

/// A `status` frame.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct StatusFrame {
    /// Usually one entry.
    pub data: Vec<StatusData>,
}

/// A method response (fixture `kraken_ws_v2_session_frames.jsonl`, and `success:false` in
/// `kraken_ws_v2_subscribe_error_and_update.jsonl`):
///
/// ```json
/// {"method":"subscribe","result":{"channel":"book","depth":10,"snapshot":true,
///  "symbol":"BTC/USD"},"success":true,"time_in":"2026-07-20T21:04:03.811983Z",
///  "time_out":"2026-07-20T21:04:03.812018Z"}
/// ```
#[derive(Debug, Clone, Deserialize)]
pub struct MethodResponse {
    /// The method answered (`subscribe`, `pong`, `add_order`, …).
    pub method: String,
    /// The request's `req_id`, echoed.
    #[serde(default)]
    pub req_id: Option<u64>,
    /// Whether the request succeeded (absent on `pong`).
    #[serde(default)]
    pub success: Option<bool>,
    /// The method's result.
    #[serde(default)]
    pub result: Option<Box<RawValue>>,
    /// The failure, as a Kraken error string.
    #[serde(default)]
    pub error: Option<String>,
    /// Some failures name the symbol at top level.
    #[serde(default)]
    pub symbol: Option<String>,
    /// When the request arrived, RFC 3339.
    #[serde(default)]
    pub time_in: Option<String>,
    /// When the response left, RFC 3339.
    #[serde(default)]
    pub time_out: Option<String>,
}

impl PartialEq for MethodResponse {
    fn eq(&self, other: &Self) -> bool {
        self.method == other.method
            && self.req_id == other.req_id
            && self.success == other.success
            && self.result.as_ref().map(|r| r.get()) == other.result.as_ref().map(|r| r.get())
            && self.error == other.error
            && self.symbol == other.symbol
    }
}

/// The `result` of a successful `subscribe`/`unsubscribe`: one per symbol.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SubscribeResult {
    /// The channel.
    pub channel: String,
    /// The symbol, for per-symbol channels.
    #[serde(default)]
    pub symbol: Option<String>,
    /// Book depth.
    #[serde(default)]
    pub depth: Option<u32>,
    /// OHLC interval, minutes.
    #[serde(default)]
    pub interval: Option<u32>,
}

/// The `result` of `add_order` / `cancel_order` (Kraken docs example):
///
/// ```json
/// {"order_id":"AA5JGQ-SBMRC-SCJ7J7","cl_ord_id":"my-order-1"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct OrderMethodResult {
    /// The venue order id.
    pub order_id: String,
    /// Our client order id, echoed.
    #[serde(default)]
    pub cl_ord_id: Option<String>,
}

impl MethodResponse {
    /// The mapped error when `success` is false.
    pub fn error(&self) -> Option<crate::ExchangeError> {
        (self.success == Some(false)).then(|| {
            super::super::errors::map_error_message(self.error.as_deref().unwrap_or("unknown"))
        })
    }

    /// The `result` parsed as `T`.
    pub fn result_as<T: serde::de::DeserializeOwned>(&self) -> crate::Result<Option<T>> {
        self.result
            .as_ref()
            .map(|r| from_json(&self.method, r.get()))
            .transpose()
    }
}
