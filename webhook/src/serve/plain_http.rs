//! Answers plain HTTP sent to the TLS port with a readable 400, as Go's servers do, instead
//! of a TLS alert the client cannot show.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::time::Duration;

use axum_server::accept::Accept;
use tokio::io::AsyncWriteExt as _;
use tokio::net::TcpStream;

const ANSWER: &[u8] = b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n\
Connection: close\r\nContent-Length: 51\r\n\r\nThis port speaks TLS: send the request to https://\n";

/// The acceptor in front of TLS: looks at the first byte of each connection (a TLS handshake
/// starts with 0x16, an HTTP request with a method name) within `first_byte_timeout`.
#[derive(Debug, Clone, Copy)]
pub struct PlainHttpGuard {
    /// How long a new connection may stay silent.
    pub first_byte_timeout: Duration,
}

impl<S: Send + 'static> Accept<TcpStream, S> for PlainHttpGuard {
    type Stream = TcpStream;
    type Service = S;
    type Future = Pin<Box<dyn Future<Output = io::Result<(TcpStream, S)>> + Send>>;

    fn accept(&self, mut stream: TcpStream, service: S) -> Self::Future {
        let wait = self.first_byte_timeout;
        Box::pin(async move {
            let mut first = [0u8; 1];
            let peeked = tokio::time::timeout(wait, stream.peek(&mut first))
                .await
                .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "no TLS handshake"))??;
            if peeked == 1 && first[0].is_ascii_uppercase() {
                // Best effort: the client may already be gone.
                let _ = stream.write_all(ANSWER).await;
                let _ = stream.shutdown().await;
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "plain HTTP on the TLS port",
                ));
            }
            Ok((stream, service))
        })
    }
}
