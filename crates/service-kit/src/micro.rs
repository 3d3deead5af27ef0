//! The NATS micro service of a service: it answers `$SRV.PING`, `$SRV.INFO` and `$SRV.STATS`
//! (and their `.<name>` and `.<name>.<id>` forms), so `nats micro ls` and monitoring find it.

use async_nats::service::{Service, ServiceExt};

use crate::error::{Result, ServiceError};

/// Registers the service `name` (letters, digits, `-`, `_`) at `version` (semver) with a
/// description. Stop it with [`Service::stop`] during shutdown.
pub async fn start(
    client: &async_nats::Client,
    name: &str,
    version: &str,
    description: &str,
) -> Result<Service> {
    client
        .service_builder()
        .description(description)
        .start(name, version)
        .await
        .map_err(|e| ServiceError::nats(format!("start the micro service {name}"), e))
}

/// The last steps of every service's stop: the micro service stops answering, then the NATS
/// connection is flushed and drained (at most `timeout`). Failures are logged, not returned: a
/// stop goes on.
pub async fn stop_and_drain(
    service: Option<Service>,
    nats: &crate::NatsConnection,
    timeout: std::time::Duration,
) {
    if let Some(service) = service
        && let Err(e) = service.stop().await
    {
        tracing::warn!(error = %e, "stopping the micro service failed");
    }
    if let Err(e) = tokio::time::timeout(timeout, nats.drain()).await {
        tracing::warn!(error = %e, "NATS drain timed out");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn answers_ping_and_info() {
        let server = testkit::NatsServer::start().await.unwrap();
        let client = async_nats::connect(server.url()).await.unwrap();
        let service = start(&client, "md-test", "0.1.0", "test").await.unwrap();
        let reply = client
            .request("$SRV.PING.md-test", "".into())
            .await
            .unwrap();
        let ping: serde_json::Value = serde_json::from_slice(&reply.payload).unwrap();
        assert_eq!(ping["name"], "md-test");
        let reply = client.request("$SRV.INFO", "".into()).await.unwrap();
        let info: serde_json::Value = serde_json::from_slice(&reply.payload).unwrap();
        assert_eq!(info["description"], "test");
        let reply = client
            .request("$SRV.STATS.md-test", "".into())
            .await
            .unwrap();
        let stats: serde_json::Value = serde_json::from_slice(&reply.payload).unwrap();
        assert_eq!(stats["type"], "io.nats.micro.v1.stats_response");
        service.stop().await.unwrap();
    }
}
