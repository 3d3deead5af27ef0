//! OpenTelemetry export: the order-gateway binary, started with `[log.otlp] endpoint` pointing at
//! a local OTLP/HTTP receiver, exports the span of a traced command as a child of the caller's
//! span (trace id and parent span id of the command's `traceparent`); spans still batched at
//! SIGTERM are flushed before the binary exits 0; a fill the private stream brings later is
//! published in a span of the same trace.

use std::sync::{Arc, Mutex};

use async_nats::HeaderMap;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;
use exchange_core::model::{OrderType, Side};
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::any_value::Value;
use prost::Message as _;
use rust_decimal_macros::dec;
use tokio::process::Child;

use crate::binary;
use crate::harness::*;
use crate::lifecycle::inside_bid;

const TRACE_ID: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT_ID: &str = "00f067aa0ba902b7";

/// A local OTLP/HTTP collector: keeps the body of every `POST /v1/traces`.
struct Collector {
    url: String,
    bodies: Arc<Mutex<Vec<Bytes>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Collector {
    async fn start() -> Collector {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let bodies: Arc<Mutex<Vec<Bytes>>> = Arc::default();
        let app = Router::new()
            .route(
                "/v1/traces",
                post(
                    |State(bodies): State<Arc<Mutex<Vec<Bytes>>>>, body: Bytes| async move {
                        bodies.lock().unwrap().push(body);
                        // An empty ExportTraceServiceResponse: everything accepted.
                        (
                            [("content-type", "application/x-protobuf")],
                            Vec::<u8>::new(),
                        )
                    },
                ),
            )
            .with_state(bodies.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Collector { url, bodies, task }
    }

    /// The exported spans named `name`, with their resource's `service.name`.
    fn spans(&self, name: &str) -> Vec<(String, opentelemetry_proto::tonic::trace::v1::Span)> {
        let bodies = self.bodies.lock().unwrap().clone();
        let mut found = Vec::new();
        for body in bodies {
            let request = ExportTraceServiceRequest::decode(body).unwrap();
            for resource_spans in request.resource_spans {
                let service = resource_spans
                    .resource
                    .iter()
                    .flat_map(|r| &r.attributes)
                    .find(|a| a.key == "service.name")
                    .and_then(|a| a.value.as_ref()?.value.as_ref())
                    .map(|v| match v {
                        Value::StringValue(s) => s.clone(),
                        other => format!("{other:?}"),
                    })
                    .unwrap_or_default();
                for scope in resource_spans.scope_spans {
                    for span in scope.spans {
                        if span.name == name {
                            found.push((service.clone(), span));
                        }
                    }
                }
            }
        }
        found
    }

    /// Whether the command span of `id` arrived, in the caller's trace, child of its span.
    fn has_command_span(&self, id: &str) -> bool {
        let trace_id = hex::decode(TRACE_ID).unwrap();
        let parent_id = hex::decode(PARENT_ID).unwrap();
        self.spans("order_command").iter().any(|(service, span)| {
            service == "order-gateway"
                && span.trace_id == trace_id
                && span.parent_span_id == parent_id
                && span.span_id.len() == 8
                && span.span_id != parent_id
                && span.attributes.iter().any(|a| {
                    a.key == "client_order_id"
                        && matches!(
                            a.value.as_ref().and_then(|v| v.value.as_ref()),
                            Some(Value::StringValue(s)) if s == id
                        )
                })
        })
    }
}

/// Starts the binary exporting to `collector` with the batch processor's
/// `schedule_delay_ms`, and waits until ready.
async fn spawn_exporting(stack: &Stack, collector: &Collector, schedule_delay_ms: u64) -> Child {
    let env = [
        ("EXGW_LOG__OTLP__ENDPOINT", collector.url.clone()),
        ("OTEL_BSP_SCHEDULE_DELAY", schedule_delay_ms.to_string()),
    ];
    binary::spawn(stack, &binary::free_health_addr(), &env).await
}

/// Sends a place command carrying the caller's trace context and waits for its `accepted`.
async fn send_traced(stack: &Stack, id: &str) {
    let mut headers = HeaderMap::new();
    headers.insert(
        "traceparent",
        format!("00-{TRACE_ID}-{PARENT_ID}-01").as_str(),
    );
    headers.insert("tracestate", "caller=1");
    let price = inside_bid(stack);
    stack
        .send(
            &place(id, Side::Buy, OrderType::Limit, dec!(0.001), Some(price)),
            headers,
        )
        .await;
    stack.wait_event(id, "accepted").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_span_is_exported_as_a_child_of_the_callers_span() {
    let stack = Stack::start().await;
    let collector = Collector::start().await;
    let gateway = spawn_exporting(&stack, &collector, 100).await;
    send_traced(&stack, "otel-1").await;
    testkit::wait_until(DEADLINE, "the command span at the collector", || async {
        collector.has_command_span("otel-1")
    })
    .await
    .unwrap_or_else(|e| {
        panic!(
            "{e}; order_command spans received: {:?}",
            collector.spans("order_command")
        )
    });
    // An untraced market order fills it: the maker's fill, from the private stream, is
    // published in a span of the maker's trace.
    stack
        .send(
            &market("otel-taker", Side::Sell, dec!(0.001)),
            HeaderMap::new(),
        )
        .await;
    stack.wait_event("otel-1", "filled").await;
    let trace_id = hex::decode(TRACE_ID).unwrap();
    testkit::wait_until(
        DEADLINE,
        "the fill's span in the caller's trace",
        || async {
            collector
                .spans("order_follow_up")
                .iter()
                .any(|(_, span)| span.trace_id == trace_id && span.parent_span_id.len() == 8)
        },
    )
    .await
    .unwrap_or_else(|e| {
        panic!(
            "{e}; order_follow_up spans received: {:?}",
            collector.spans("order_follow_up")
        )
    });
    let exit = binary::terminate(gateway).await;
    assert!(exit.success(), "{exit:?}");
    collector.task.abort();
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spans_still_batched_at_sigterm_are_flushed_before_exit() {
    let stack = Stack::start().await;
    let collector = Collector::start().await;
    // An hour between scheduled exports: the span can only leave with the shutdown flush.
    let gateway = spawn_exporting(&stack, &collector, 3_600_000).await;
    send_traced(&stack, "otel-2").await;
    // The command acked: its span has ended and sits in the exporter's batch.
    let stream = stack.js.get_stream("ORDERS_CMD").await.unwrap();
    testkit::wait_until(DEADLINE, "the command acked", || async {
        let consumer: Result<async_nats::jetstream::consumer::PullConsumer, _> =
            stream.get_consumer("order-gateway_binance_main").await;
        consumer.is_ok_and(|c| {
            let info = c.cached_info();
            info.num_pending == 0 && info.num_ack_pending == 0
        })
    })
    .await
    .unwrap();
    let exit = binary::terminate(gateway).await;
    assert!(exit.success(), "{exit:?}");
    assert!(
        collector.has_command_span("otel-2"),
        "order_command spans received: {:?}",
        collector.spans("order_command")
    );
    collector.task.abort();
    stack.stop().await;
}
