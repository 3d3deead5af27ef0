//! The `order-gateway` binary in tests: started with the demo configuration pointed at a test
//! stack (environment overrides), awaited until `/readyz` answers 200, stopped with SIGTERM.

use std::process::Stdio;
use std::time::Duration;

use tokio::process::{Child, Command};

use crate::harness::{DEADLINE, Stack};

/// A free `127.0.0.1:<port>` for a health server.
pub fn free_health_addr() -> String {
    format!("127.0.0.1:{}", testkit::free_port().unwrap())
}

/// Starts the binary with `config/orders-demo.toml`, NATS and venue-sim of `stack`, health on
/// `health`, plus `env`; waits until it is ready.
pub async fn spawn(stack: &Stack, health: &str, env: &[(&str, String)]) -> Child {
    let config =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config/orders-demo.toml");
    let mut command = Command::new(env!("CARGO_BIN_EXE_order-gateway"));
    command
        .arg("--config")
        .arg(&config)
        .env("EXGW_NATS__URL", stack.nats.url())
        .env("EXGW_HEALTH__LISTEN", health);
    for (role, url) in stack.sim.addrs().binance_base_urls() {
        let name = format!("EXGW_VENUES__BINANCE__BASE_URLS__{}", role.to_uppercase());
        command.env(name, url);
    }
    for (name, value) in env {
        command.env(name, value);
    }
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    testkit::wait_until(DEADLINE, "the order-gateway binary ready", || async {
        testkit::http_status(health, "/readyz").await == Some(200)
    })
    .await
    .unwrap();
    child
}

/// SIGTERM, then the exit status.
pub async fn terminate(mut child: Child) -> std::process::ExitStatus {
    let pid = child.id().unwrap();
    let status = Command::new("kill")
        .arg("-TERM")
        .arg(pid.to_string())
        .status()
        .await
        .unwrap();
    assert!(status.success());
    tokio::time::timeout(Duration::from_secs(20), child.wait())
        .await
        .unwrap()
        .unwrap()
}
