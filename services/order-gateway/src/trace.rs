//! W3C trace context (<https://www.w3.org/TR/trace-context/>) from commands to events and spans.
//!
//! A command's `traceparent` (and `tracestate`) headers are copied onto every event the command
//! causes; the order's record keeps the `traceparent`, so events the private stream or
//! reconciliation cause later (fills, cancels) carry the trace of the command that placed the
//! order. The gateway's span for a command is, in OpenTelemetry, a child of the caller's span
//! (exported when `[log.otlp]` is configured, see `docs/operations.md`), and it records the trace
//! id and parent span id as fields (`trace_id`, `parent_id`), so logs join the caller's trace too.

use async_nats::HeaderMap;
use bus::publish::{TRACEPARENT, TRACESTATE, copy_trace_context};

/// A parsed `traceparent`: `00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceParent {
    /// The trace id (32 lowercase hex digits, not all zero).
    pub trace_id: String,
    /// The parent span id (16 lowercase hex digits, not all zero).
    pub parent_id: String,
    /// The trace flags (2 hex digits).
    pub flags: String,
}

impl TraceParent {
    /// Parses a version-00 `traceparent`; `None` for anything malformed (which the spec says to
    /// ignore, not to reject the request).
    pub fn parse(text: &str) -> Option<TraceParent> {
        let mut parts = text.trim().split('-');
        let (version, trace_id, parent_id, flags) =
            (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        let hex = |s: &str, n: usize| {
            s.len() == n
                && s.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        };
        let valid = version == "00"
            && parts.next().is_none()
            && hex(trace_id, 32)
            && hex(parent_id, 16)
            && hex(flags, 2)
            && trace_id.bytes().any(|b| b != b'0')
            && parent_id.bytes().any(|b| b != b'0');
        valid.then(|| TraceParent {
            trace_id: trace_id.to_owned(),
            parent_id: parent_id.to_owned(),
            flags: flags.to_owned(),
        })
    }
}

/// The valid `traceparent` of a message's headers, as text.
pub fn traceparent_of(headers: Option<&HeaderMap>) -> Option<String> {
    let value = headers?.get(TRACEPARENT)?.as_str();
    TraceParent::parse(value).map(|_| value.trim().to_owned())
}

/// The headers of an event: the causing command's trace context when there is one, else the
/// `traceparent` kept in the order's record.
pub fn event_headers(command: Option<&HeaderMap>, kept: Option<&str>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    if command.is_some_and(|h| h.get(TRACEPARENT).is_some()) {
        copy_trace_context(command, &mut headers);
    } else if let Some(traceparent) = kept {
        headers.insert(TRACEPARENT, traceparent);
    }
    if headers.get(TRACESTATE).is_some() && headers.get(TRACEPARENT).is_none() {
        headers = HeaderMap::new();
    }
    headers
}

/// The span of one command: action, client order id and, when the command carries a valid
/// `traceparent`, its trace id and parent span id; that span is also its OpenTelemetry parent.
pub fn command_span(action: &str, id: &str, headers: Option<&HeaderMap>) -> tracing::Span {
    let parent = traceparent_of(headers).and_then(|t| TraceParent::parse(&t));
    let (trace_id, parent_id) = parent
        .map(|p| (p.trace_id, p.parent_id))
        .unwrap_or_default();
    let span = tracing::info_span!(
        "order_command",
        action,
        client_order_id = id,
        trace_id = %trace_id,
        parent_id = %parent_id
    );
    if !trace_id.is_empty() {
        service_kit::telemetry::set_remote_parent(&span, headers);
    }
    span
}

/// The span of events the private stream or reconciliation publish about an order placed
/// earlier: a child of the placing command's `traceparent` (kept in the order's record), so a
/// fill joins the trace of the order it fills.
pub fn follow_up_span(id: &str, event_headers: &HeaderMap) -> tracing::Span {
    let span = tracing::info_span!("order_follow_up", client_order_id = id);
    service_kit::telemetry::set_remote_parent(&span, Some(event_headers));
    span
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    #[test]
    fn parses_the_specs_example() {
        let t = TraceParent::parse(GOOD).unwrap();
        assert_eq!(t.trace_id, "0af7651916cd43dd8448eb211c80319c");
        assert_eq!(t.parent_id, "b7ad6b7169203331");
        assert_eq!(t.flags, "01");
    }

    #[test]
    fn refuses_malformed_values() {
        for bad in [
            "",
            "01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            "00-00000000000000000000000000000000-b7ad6b7169203331-01",
            "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01",
            "00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01",
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331",
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-x",
            "00-0af7651916cd43dd8448eb211c8031-b7ad6b7169203331-01",
        ] {
            assert_eq!(TraceParent::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn events_carry_the_commands_context_or_the_kept_one() {
        let mut command = HeaderMap::new();
        command.insert(TRACEPARENT, GOOD);
        command.insert(TRACESTATE, "vendor=1");
        let h = event_headers(Some(&command), Some("00-kept"));
        assert_eq!(h.get(TRACEPARENT).map(|v| v.as_str()), Some(GOOD));
        assert_eq!(h.get(TRACESTATE).map(|v| v.as_str()), Some("vendor=1"));
        let h = event_headers(None, Some(GOOD));
        assert_eq!(h.get(TRACEPARENT).map(|v| v.as_str()), Some(GOOD));
        let h = event_headers(Some(&HeaderMap::new()), None);
        assert!(h.get(TRACEPARENT).is_none());
        assert_eq!(traceparent_of(Some(&command)).as_deref(), Some(GOOD));
    }
}
