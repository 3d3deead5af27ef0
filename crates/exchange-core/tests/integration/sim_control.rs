//! venue-sim's control API over HTTP, shared by the adapters' live tests: faults, flow stepping
//! and the truth endpoints.

use std::time::Duration;

use serde_json::Value;
use venue_sim::VenueSim;

/// Time allowed for one control request.
const CONTROL_TIMEOUT: Duration = Duration::from_secs(30);

/// A plain HTTP client for the control API and raw venue requests.
pub fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(CONTROL_TIMEOUT)
        .build()
        .unwrap()
}

/// POSTs `body` to a control route and returns the JSON answer; a non-2xx status fails the test.
pub async fn control_post(sim: &VenueSim, path: &str, body: Value) -> Value {
    let r = http()
        .post(format!("{}{path}", sim.addrs().control_url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "control {path}: {}", r.status());
    r.json().await.unwrap()
}

/// GETs a control route and returns the JSON answer.
pub async fn control_get(sim: &VenueSim, path: &str) -> Value {
    http()
        .get(format!("{}{path}", sim.addrs().control_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}
