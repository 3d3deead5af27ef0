//! W3C trace context (`traceparent`, `tracestate`) from NATS headers into `tracing` spans.
//!
//! [`set_remote_parent`] makes a span the child of the caller's span named by a message's
//! headers, so the exported span joins the caller's trace. Without the OpenTelemetry layer
//! (no `[log.otlp]`) it does nothing.

use async_nats::HeaderMap;
use opentelemetry::propagation::{Extractor, TextMapPropagator as _};
use opentelemetry::trace::TraceContextExt as _;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use tracing_opentelemetry::OpenTelemetrySpanExt as _;

/// Reads NATS message headers as an OpenTelemetry text map.
#[derive(Debug)]
pub struct NatsHeaders<'a>(pub &'a HeaderMap);

impl Extractor for NatsHeaders<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(|value| value.as_str())
    }

    fn keys(&self) -> Vec<&str> {
        self.0.iter().map(|(name, _)| name.as_ref()).collect()
    }
}

/// Gives `span` the remote parent named by `headers`' `traceparent` (and `tracestate`), when
/// they carry a valid one. Call before the span is first entered. Returns whether a parent
/// was set (false without a valid `traceparent` or without the OpenTelemetry layer).
pub fn set_remote_parent(span: &tracing::Span, headers: Option<&HeaderMap>) -> bool {
    let Some(headers) = headers else {
        return false;
    };
    let context = TraceContextPropagator::new().extract(&NatsHeaders(headers));
    if !context.span().span_context().is_valid() {
        return false;
    }
    span.set_parent(context).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use opentelemetry::trace::{SpanId, TraceId};

    #[test]
    fn reads_the_trace_context_from_nats_headers() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "traceparent",
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        );
        headers.insert("tracestate", "vendor=1");
        let context = TraceContextPropagator::new().extract(&NatsHeaders(&headers));
        let span = context.span();
        let remote = span.span_context();
        assert!(remote.is_remote() && remote.is_sampled());
        assert_eq!(
            remote.trace_id(),
            TraceId::from_hex("0af7651916cd43dd8448eb211c80319c").unwrap()
        );
        assert_eq!(
            remote.span_id(),
            SpanId::from_hex("b7ad6b7169203331").unwrap()
        );
        assert_eq!(remote.trace_state().get("vendor"), Some("1"));
    }

    #[test]
    fn without_a_layer_or_a_context_nothing_is_set() {
        let span = tracing::info_span!("x");
        assert!(!set_remote_parent(&span, None));
        assert!(!set_remote_parent(&span, Some(&HeaderMap::new())));
    }
}
