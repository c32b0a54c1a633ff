//! The server's TLS configuration: certificate, key and optional client CA, from PEM.

use std::path::PathBuf;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;
use rustls::{RootCertStore, ServerConfig};

/// Where the certificate, key and client CA come from.
#[derive(Debug, Clone)]
pub enum TlsSource {
    /// Files, re-read when they change.
    Files {
        /// Serving certificate chain (PEM).
        cert: PathBuf,
        /// Its private key (PEM).
        key: PathBuf,
        /// CA whose certificates clients must present (PEM), if client auth is on.
        client_ca: Option<PathBuf>,
    },
    /// PEM held in memory (`--dev`).
    Memory {
        /// Serving certificate chain (PEM).
        cert: String,
        /// Its private key (PEM).
        key: String,
    },
}

impl TlsSource {
    /// The files to watch for changes (none for in-memory material).
    pub fn watched_files(&self) -> Vec<PathBuf> {
        match self {
            TlsSource::Files {
                cert,
                key,
                client_ca,
            } => [Some(cert), Some(key), client_ca.as_ref()]
                .into_iter()
                .flatten()
                .cloned()
                .collect(),
            TlsSource::Memory { .. } => Vec::new(),
        }
    }

    /// Reads the material and builds the server configuration.
    pub async fn load(&self) -> Result<Arc<ServerConfig>, String> {
        match self {
            TlsSource::Files {
                cert,
                key,
                client_ca,
            } => {
                let read = |path: PathBuf| async move {
                    tokio::fs::read(&path)
                        .await
                        .map_err(|e| format!("{}: {e}", path.display()))
                };
                let cert_pem = read(cert.clone()).await?;
                let key_pem = read(key.clone()).await?;
                let ca_pem = match client_ca {
                    Some(path) => Some(read(path.clone()).await?),
                    None => None,
                };
                server_config(&cert_pem, &key_pem, ca_pem.as_deref())
            }
            TlsSource::Memory { cert, key } => server_config(cert.as_bytes(), key.as_bytes(), None),
        }
    }
}

/// A TLS 1.2/1.3 server configuration offering HTTP/2 and HTTP/1.1 by ALPN, verifying client
/// certificates against `client_ca_pem` when given.
pub fn server_config(
    cert_pem: &[u8],
    key_pem: &[u8],
    client_ca_pem: Option<&[u8]>,
) -> Result<Arc<ServerConfig>, String> {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(cert_pem)
        .collect::<Result<_, _>>()
        .map_err(|e| format!("serving certificate: {e}"))?;
    if chain.is_empty() {
        return Err("serving certificate: no CERTIFICATE block in the PEM".to_owned());
    }
    let key = PrivateKeyDer::from_pem_slice(key_pem).map_err(|e| format!("private key: {e}"))?;
    let builder = ServerConfig::builder_with_protocol_versions(&[
        &rustls::version::TLS13,
        &rustls::version::TLS12,
    ]);
    let builder = match client_ca_pem {
        Some(pem) => {
            let mut roots = RootCertStore::empty();
            for cert in CertificateDer::pem_slice_iter(pem) {
                let cert = cert.map_err(|e| format!("client CA: {e}"))?;
                roots.add(cert).map_err(|e| format!("client CA: {e}"))?;
            }
            if roots.is_empty() {
                return Err("client CA: no CERTIFICATE block in the PEM".to_owned());
            }
            let verifier = WebPkiClientVerifier::builder(Arc::new(roots))
                .build()
                .map_err(|e| format!("client CA: {e}"))?;
            builder.with_client_cert_verifier(verifier)
        }
        None => builder.with_no_client_auth(),
    };
    let mut config = builder
        .with_single_cert(chain, key)
        .map_err(|e| format!("serving certificate and key: {e}"))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}
