//! Small network probes for tests that run a service: a free local port, and the status code of
//! a plain HTTP GET (health endpoints).

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::TestkitError;

/// A port on 127.0.0.1 that was free a moment ago (bound, read, released).
pub fn free_port() -> Result<u16, TestkitError> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")
        .map_err(|e| TestkitError::io("binding a probe socket", e))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| TestkitError::io("reading the probe socket's port", e))
}

/// The status code of `GET path` on `addr` (`127.0.0.1:9464`), or `None` when nothing answers
/// or the answer is not HTTP.
pub async fn http_status(addr: &str, path: &str) -> Option<u16> {
    let mut stream = tokio::net::TcpStream::connect(addr).await.ok()?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.ok()?;
    answer.split(' ').nth(1)?.parse().ok()
}
