//! OpenTelemetry span export over OTLP/HTTP with protobuf bodies (`POST <endpoint>/v1/traces`).
//!
//! Spans are batched by the SDK's batch processor (its own thread, started only when an endpoint
//! is configured) and sent by [`ExportClient`], a small adapter over the workspace's
//! `reqwest` 0.13 client (rustls with *ring*) that runs each request on the service's Tokio
//! runtime. This keeps `opentelemetry-otlp` off its own HTTP client features, which would bring
//! blocking reqwest; gRPC (tonic) is not built at all.

use std::time::Duration;

use opentelemetry_http::{Bytes, HttpClient, HttpError, Request, Response};
use opentelemetry_otlp::{WithExportConfig as _, WithHttpConfig as _};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::trace::{Sampler, SdkTracerProvider};
use serde::{Deserialize, Serialize};

use crate::error::{Result, ServiceError};

/// The path OTLP/HTTP collectors take traces on.
pub const TRACES_PATH: &str = "/v1/traces";

/// The `[log.otlp]` table: where and what to export.
///
/// ```toml
/// [log.otlp]
/// endpoint = "http://otel-collector:4318"   # required; "/v1/traces" is appended
/// service_name = "order-gateway-eu"          # default: the service's name (`[service] name`)
/// sample_ratio = 1.0                         # share of new traces kept; callers' sampled flag wins
/// timeout_ms = 10000                         # one export request
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OtlpConfig {
    /// The collector's OTLP/HTTP base URL (`http://host:4318`); `/v1/traces` is appended
    /// unless the URL already ends with it.
    pub endpoint: String,
    /// The `service.name` resource attribute; the service's own name when absent.
    #[serde(default)]
    pub service_name: Option<String>,
    /// The share of new traces (those a command did not start elsewhere) to record, 0 to 1.
    /// A trace a caller started follows its `traceparent` sampled flag.
    #[serde(default = "default_sample_ratio")]
    pub sample_ratio: f64,
    /// The timeout of one export request, ms.
    #[serde(default = "default_timeout_ms")]
    pub timeout_ms: u64,
}

fn default_sample_ratio() -> f64 {
    1.0
}

fn default_timeout_ms() -> u64 {
    10_000
}

/// The traces URL of a configured endpoint: `/v1/traces` appended to the base URL.
pub fn traces_url(endpoint: &str) -> String {
    let endpoint = endpoint.trim().trim_end_matches('/');
    if endpoint.ends_with(TRACES_PATH) {
        endpoint.to_owned()
    } else {
        format!("{endpoint}{TRACES_PATH}")
    }
}

/// The endpoint's scheme, host and port, for logs: any user info or query (which might hold a
/// secret) is left out.
pub fn describe_endpoint(endpoint: &str) -> String {
    match url::Url::parse(endpoint.trim()) {
        Ok(url) => format!(
            "{}://{}{}",
            url.scheme(),
            url.host_str().unwrap_or("?"),
            url.port().map(|p| format!(":{p}")).unwrap_or_default()
        ),
        Err(_) => "an unparsable URL".to_owned(),
    }
}

/// A tracer provider exporting to `config.endpoint` in batches. Needs a Tokio runtime.
pub fn tracer_provider(config: &OtlpConfig, service_name: &str) -> Result<SdkTracerProvider> {
    // Messages name the key, never the value (a URL may carry credentials).
    let invalid = |message: &str| ServiceError::Config(message.to_owned());
    let url = url::Url::parse(&traces_url(&config.endpoint))
        .map_err(|_| invalid("`log.otlp.endpoint` is not a URL: expected http(s)://host:port"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("`log.otlp.endpoint` must be an http or https URL"));
    }
    if !(0.0..=1.0).contains(&config.sample_ratio) {
        return Err(invalid("`log.otlp.sample_ratio` must be between 0 and 1"));
    }
    let timeout = Duration::from_millis(config.timeout_ms.max(1));
    let client = ExportClient::new(timeout)?;
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_http_client(client)
        .with_endpoint(url.as_str())
        .with_timeout(timeout)
        .build()
        .map_err(|e| {
            // The builder's message may quote the URL: only when it holds no credentials.
            if url.username().is_empty() && url.password().is_none() && url.query().is_none() {
                ServiceError::Telemetry(format!("OTLP exporter: {e}"))
            } else {
                ServiceError::Telemetry("OTLP exporter: invalid `log.otlp` settings".to_owned())
            }
        })?;
    let name = config
        .service_name
        .clone()
        .unwrap_or_else(|| service_name.to_owned());
    Ok(SdkTracerProvider::builder()
        .with_resource(Resource::builder().with_service_name(name).build())
        .with_sampler(Sampler::ParentBased(Box::new(Sampler::TraceIdRatioBased(
            config.sample_ratio,
        ))))
        .with_batch_exporter(exporter)
        .build())
}

/// Sends the exporter's requests with the workspace's `reqwest` client on the service's Tokio
/// runtime (the SDK's batch thread has none of its own).
#[derive(Debug)]
pub struct ExportClient {
    http: reqwest::Client,
    runtime: tokio::runtime::Handle,
}

impl ExportClient {
    /// A client with `timeout` per request, bound to the current Tokio runtime.
    pub fn new(timeout: Duration) -> Result<Self> {
        let runtime = tokio::runtime::Handle::try_current().map_err(|_| {
            ServiceError::Telemetry("the OTLP exporter needs a Tokio runtime".to_owned())
        })?;
        let tls = exchange_core::rest::tls::http_config()
            .map_err(|e| ServiceError::Telemetry(format!("OTLP exporter TLS: {e}")))?;
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .timeout(timeout)
            .build()
            .map_err(|e| ServiceError::Telemetry(format!("OTLP exporter HTTP client: {e}")))?;
        Ok(ExportClient { http, runtime })
    }
}

#[async_trait::async_trait]
impl HttpClient for ExportClient {
    async fn send_bytes(&self, request: Request<Bytes>) -> Result<Response<Bytes>, HttpError> {
        let request = reqwest::Request::try_from(request)?;
        let http = self.http.clone();
        let sent = self.runtime.spawn(async move {
            // Errors are logged by the SDK: without the URL, which may hold credentials.
            let response = http.execute(request).await.map_err(|e| e.without_url())?;
            let status = response.status();
            let headers = response.headers().clone();
            let body = response.bytes().await.map_err(|e| e.without_url())?;
            let mut out = Response::new(body);
            *out.status_mut() = status;
            *out.headers_mut() = headers;
            Ok::<_, reqwest::Error>(out)
        });
        Ok(sent.await??)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_traces_path_is_appended_once() {
        assert_eq!(
            traces_url("http://127.0.0.1:4318"),
            "http://127.0.0.1:4318/v1/traces"
        );
        assert_eq!(traces_url("http://c:4318/"), "http://c:4318/v1/traces");
        assert_eq!(
            traces_url("https://c/otlp/v1/traces"),
            "https://c/otlp/v1/traces"
        );
    }

    #[test]
    fn logs_show_no_user_info() {
        assert_eq!(
            describe_endpoint("https://user:hunter2@collector:4318/x?token=t"),
            "https://collector:4318"
        );
    }

    #[tokio::test]
    async fn bad_settings_are_configuration_errors() {
        let mut config = OtlpConfig {
            endpoint: "ftp://x".to_owned(),
            service_name: None,
            sample_ratio: 1.0,
            timeout_ms: 1000,
        };
        assert!(matches!(
            tracer_provider(&config, "s"),
            Err(ServiceError::Config(_))
        ));
        config.endpoint = "http://127.0.0.1:4318".to_owned();
        config.sample_ratio = 1.5;
        assert!(matches!(
            tracer_provider(&config, "s"),
            Err(ServiceError::Config(_))
        ));
    }
}
