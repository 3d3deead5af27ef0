//! The `market-data-gateway` binary: configuration file plus environment overrides, health and
//! readiness over HTTP, the micro service on NATS, and a clean exit on SIGTERM.

use std::process::Stdio;
use std::time::Duration;

use testkit::{free_port, http_status};
use tokio::process::Command;

const DEADLINE: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runs_from_config_and_env_then_stops_on_sigterm() {
    let nats = testkit::NatsServer::start().await.unwrap();
    let sim = venue_sim::VenueSim::start(venue_sim::SimConfig::for_tests())
        .await
        .unwrap();
    let health = format!("127.0.0.1:{}", free_port().unwrap());
    let config = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config/demo.toml");
    let mut child = Command::new(env!("CARGO_BIN_EXE_market-data-gateway"))
        .arg("--config")
        .arg(&config)
        .env("EXGW_NATS__URL", nats.url())
        .env("EXGW_HEALTH__LISTEN", &health)
        .env("EXGW_SERVICE__NAME", "md-bin")
        .env(
            "EXGW_VENUES__BINANCE__BASE_URLS__SPOT_REST",
            sim.addrs().spot_rest_url(),
        )
        .env(
            "EXGW_VENUES__BINANCE__BASE_URLS__SPOT_WS",
            sim.addrs().spot_ws_url(),
        )
        .env(
            "EXGW_VENUES__BINANCE__BASE_URLS__WS_API",
            sim.addrs().ws_api_url(),
        )
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();

    testkit::wait_until(DEADLINE, "/readyz 200", || {
        let health = health.clone();
        async move { http_status(&health, "/readyz").await == Some(200) }
    })
    .await
    .unwrap();
    assert_eq!(http_status(&health, "/healthz").await, Some(200));
    assert_eq!(http_status(&health, "/metrics").await, Some(200));

    let client = async_nats::connect(nats.url()).await.unwrap();
    let reply = client.request("$SRV.PING.md-bin", "".into()).await.unwrap();
    let ping: serde_json::Value = serde_json::from_slice(&reply.payload).unwrap();
    assert_eq!(ping["name"], "md-bin");

    let pid = child.id().unwrap().to_string();
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(sent.success());
    let status = tokio::time::timeout(DEADLINE, child.wait())
        .await
        .expect("exits promptly on SIGTERM")
        .unwrap();
    assert!(status.success(), "{status:?}");
    sim.shutdown().await;
}
