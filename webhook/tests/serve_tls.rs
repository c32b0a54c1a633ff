//! The real `netward serve` process on loopback, driven by real TLS clients (reqwest on
//! rustls, and a raw rustls stream where a test needs control over the bytes): both HTTP
//! versions, bad input, client certificates, certificate rotation through a Kubernetes-style
//! symlink swap, options reload, and SIGTERM with a request in flight.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use netward::cert::{issue, Issued};
use netward_core::admission::{Mode, Reviewer};
use netward_core::options::Options;
use rcgen::{CertificateParams, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use serde_json::Value;

fn examples_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/admission")
}

fn example(name: &str) -> Vec<u8> {
    std::fs::read(examples_dir().join(format!("{name}.json"))).unwrap()
}

fn all_examples() -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<_> = std::fs::read_dir(examples_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

fn install_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// A running `netward serve`, killed when dropped.
struct Server {
    child: Child,
    listen: SocketAddr,
    admin: SocketAddr,
    logs: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_netward"))
            .arg("serve")
            .args(["--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let logs = Arc::new(Mutex::new(Vec::new()));
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let sink = logs.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Ok(entry) = serde_json::from_str::<Value>(&line) {
                    if entry["message"] == "ready" {
                        let _ = ready_tx.send(entry);
                    }
                }
                sink.lock().unwrap().push(line);
            }
        });
        let ready = ready_rx
            .recv_timeout(Duration::from_secs(20))
            .unwrap_or_else(|_| {
                let _ = child.kill();
                panic!("not ready: {:?}", logs.lock().unwrap())
            });
        let address = |key: &str| ready[key].as_str().unwrap().parse().unwrap();
        Server {
            listen: address("listen"),
            admin: address("admin_listen"),
            child,
            logs,
        }
    }

    fn url(&self) -> String {
        format!("https://localhost:{}/validate", self.listen.port())
    }

    fn admin(&self, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(self.admin).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: admin\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let status = response
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = response
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_owned())
            .unwrap_or_default();
        (status, body)
    }

    fn logs(&self) -> Vec<String> {
        self.logs.lock().unwrap().clone()
    }

    /// The log lines, once at least `count` of them satisfy `wanted` (the server writes its
    /// log from a background thread, so the last lines may trail the last answer).
    fn logs_when(&self, count: usize, wanted: impl Fn(&str) -> bool) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let logs = self.logs();
            if logs.iter().filter(|l| wanted(l)).count() >= count || Instant::now() > deadline {
                return logs;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Asserts that `/metrics` holds each line.
    fn assert_metrics(&self, lines: &[&str]) {
        let (_, metrics) = self.admin("/metrics");
        for line in lines {
            assert!(metrics.contains(line), "missing {line} in\n{metrics}");
        }
    }

    /// Asserts that a log line contains `text`.
    fn assert_logged(&self, text: &str) {
        let logs = self.logs_when(1, |l| l.contains(text));
        assert!(
            logs.iter().any(|l| l.contains(text)),
            "no {text:?} in {logs:?}"
        );
    }

    fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    fn wait(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Writes the serving pair (and CA) into `dir`.
fn write_pair(dir: &Path, issued: &Issued) -> (PathBuf, PathBuf, PathBuf) {
    netward::cert::write(issued, dir).unwrap();
    (dir.join("tls.crt"), dir.join("tls.key"), dir.join("ca.crt"))
}

fn localhost_pair() -> Issued {
    issue(&["localhost".to_owned(), "127.0.0.1".to_owned()], 1).unwrap()
}

/// A client certificate (PEM chain + key) signed by a fresh CA; returns it and the CA PEM.
fn client_identity() -> (String, String, String) {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let key = KeyPair::generate().unwrap();
    let mut leaf = CertificateParams::new(vec!["kube-apiserver".to_owned()]).unwrap();
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    let cert = leaf.signed_by(&key, &Issuer::new(ca, ca_key)).unwrap();
    (cert.pem(), key.serialize_pem(), ca_cert.pem())
}

fn client_config(
    ca_pem: &str,
    identity: Option<(&str, &str)>,
    alpn: &[&[u8]],
) -> rustls::ClientConfig {
    install_provider();
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
        roots.add(cert.unwrap()).unwrap();
    }
    let builder = rustls::ClientConfig::builder().with_root_certificates(roots);
    let mut config = match identity {
        Some((cert, key)) => builder
            .with_client_auth_cert(
                CertificateDer::pem_slice_iter(cert.as_bytes())
                    .map(Result::unwrap)
                    .collect(),
                PrivateKeyDer::from_pem_slice(key.as_bytes()).unwrap(),
            )
            .unwrap(),
        None => builder.with_no_client_auth(),
    };
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    config
}

fn client(ca_pem: &str, identity: Option<(&str, &str)>, http2: bool) -> reqwest::Client {
    let alpn: &[&[u8]] = if http2 { &[b"h2"] } else { &[b"http/1.1"] };
    let builder = reqwest::Client::builder()
        .tls_backend_preconfigured(client_config(ca_pem, identity, alpn))
        .timeout(Duration::from_secs(10));
    let builder = if http2 { builder } else { builder.http1_only() };
    builder.build().unwrap()
}

async fn post(client: &reqwest::Client, url: &str, body: Vec<u8>) -> reqwest::Result<(u16, Value)> {
    let response = client
        .post(url)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await?;
    let status = response.status().as_u16();
    let bytes = response.bytes().await?;
    Ok((
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    ))
}

/// A raw TLS stream (rustls over a blocking socket), for tests that pace their bytes.
fn raw_tls(
    server: &Server,
    ca_pem: &str,
) -> rustls::StreamOwned<rustls::ClientConnection, TcpStream> {
    let config = Arc::new(client_config(ca_pem, None, &[b"http/1.1"]));
    let name = ServerName::try_from("localhost").unwrap();
    let connection = rustls::ClientConnection::new(config, name).unwrap();
    let socket = TcpStream::connect(server.listen).unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    rustls::StreamOwned::new(connection, socket)
}

fn tls_args(cert: &Path, key: &Path) -> Vec<String> {
    vec![
        "--tls-cert".to_owned(),
        cert.display().to_string(),
        "--tls-key".to_owned(),
        key.display().to_string(),
    ]
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

#[tokio::test]
async fn every_example_over_http1_and_http2_matches_the_library() {
    let dir = tempfile::tempdir().unwrap();
    let issued = localhost_pair();
    let (cert, key, _) = write_pair(dir.path(), &issued);
    let server = Server::start(&strs(&tls_args(&cert, &key)));
    let reviewer = Reviewer::new(Options::default(), Mode::Enforce);
    for http2 in [false, true] {
        let client = client(&issued.ca_pem, None, http2);
        for (name, body) in all_examples() {
            let response = client
                .post(server.url())
                .header("content-type", "application/json")
                .body(body.clone())
                .send()
                .await
                .unwrap();
            let expected_version = if http2 {
                reqwest::Version::HTTP_2
            } else {
                reqwest::Version::HTTP_11
            };
            assert_eq!(response.version(), expected_version, "{name}");
            assert_eq!(response.status(), 200, "{name}");
            let answer: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
            let expected: Value =
                serde_json::from_slice(&reviewer.review(&body).unwrap().to_json()).unwrap();
            assert_eq!(answer, expected, "{name} (http2: {http2})");
        }
    }
    // One JSON log line per review, with the request's identity and never the object.
    let logs = server.logs_when(2 * all_examples().len(), |l| l.contains("admission review"));
    let reviews: Vec<Value> = logs
        .iter()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|l| l["message"] == "admission review")
        .collect();
    assert_eq!(reviews.len(), 2 * all_examples().len());
    let denied = reviews
        .iter()
        .find(|l| l["uid"] == "2c3f8c74-9f2e-4a0c-9c65-4b7b2d0f3e33")
        .unwrap();
    assert_eq!(denied["decision"], "denied");
    assert_eq!(denied["kind"], "Service");
    assert_eq!(denied["namespace"], "shop");
    assert_eq!(denied["findings"], "NW2011");
    assert!(denied["duration_us"].is_u64());
    assert!(
        !logs.iter().any(|l| l.contains("metadata.google.internal")),
        "an object leaked into the logs"
    );
}

#[tokio::test]
async fn bad_requests_get_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let issued = localhost_pair();
    let (cert, key, _) = write_pair(dir.path(), &issued);
    let server = Server::start(&strs(&tls_args(&cert, &key)));
    let client = client(&issued.ca_pem, None, false);

    let mut review: Value = serde_json::from_slice(&example("service-create-denied")).unwrap();
    let mut v1beta1 = review.clone();
    v1beta1["apiVersion"] = "admission.k8s.io/v1beta1".into();
    let mut no_uid = review.clone();
    no_uid["request"].as_object_mut().unwrap().remove("uid");
    review["request"]["object"] = Value::Null;
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        (
            "malformed",
            b"{\"apiVersion\": ".to_vec(),
            400,
            "not an AdmissionReview",
        ),
        (
            "wrong version",
            serde_json::to_vec(&v1beta1).unwrap(),
            400,
            "admission.k8s.io/v1",
        ),
        (
            "missing uid",
            serde_json::to_vec(&no_uid).unwrap(),
            400,
            "uid",
        ),
        (
            "missing object",
            serde_json::to_vec(&review).unwrap(),
            400,
            "request.object",
        ),
    ];
    for (what, body, status, says) in cases {
        let (got, answer) = post(&client, &server.url(), body).await.unwrap();
        assert_eq!(got, status, "{what}");
        assert!(
            answer["error"].as_str().unwrap().contains(says),
            "{what}: {answer}"
        );
    }
    // 4 MiB announced: answered 413 as soon as the headers arrive, without reading the body.
    let mut huge = raw_tls(&server, &issued.ca_pem);
    write!(
        huge,
        "POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        4 * 1024 * 1024
    )
    .unwrap();
    let _ = huge.write_all(&vec![b' '; 64 * 1024]);
    let mut answer = vec![0u8; 64];
    let read = huge.read(&mut answer).unwrap();
    let answer = String::from_utf8_lossy(&answer[..read]);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    // Still serving.
    let (got, _) = post(&client, &server.url(), example("service-create-allowed"))
        .await
        .unwrap();
    assert_eq!(got, 200);
    // An absent uid is a decoding error (malformed); an empty one would be missing_uid.
    server.assert_metrics(&[
        r#"netward_admission_bad_requests_total{reason="malformed"} 2"#,
        r#"netward_admission_bad_requests_total{reason="unsupported_version"} 1"#,
        r#"netward_admission_bad_requests_total{reason="missing_object"} 1"#,
    ]);
}

/// Asserts that the server closes `stream` (which sends nothing) within 3 seconds.
fn assert_closed_soon(stream: &mut impl Read, what: &str) {
    let started = Instant::now();
    let mut byte = [0u8; 1];
    let read = stream.read(&mut byte);
    assert!(matches!(read, Ok(0) | Err(_)), "{what}: {read:?}");
    assert!(started.elapsed() < Duration::from_secs(3), "{what} kept");
}

#[test]
fn plain_http_slow_and_silent_clients_are_answered_or_cut_off() {
    let dir = tempfile::tempdir().unwrap();
    let issued = localhost_pair();
    let (cert, key, _) = write_pair(dir.path(), &issued);
    let mut args = tls_args(&cert, &key);
    args.extend(["--header-timeout-ms".to_owned(), "400".to_owned()]);
    let server = Server::start(&strs(&args));

    // Plain HTTP to the TLS port: a readable 400.
    let mut plain = TcpStream::connect(server.listen).unwrap();
    plain
        .write_all(b"POST /validate HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
        .unwrap();
    let mut answer = String::new();
    plain.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains("speaks TLS"), "{answer}");

    // Headers sent slowly: the connection is closed after the header timeout.
    let mut slow = raw_tls(&server, &issued.ca_pem);
    slow.write_all(b"POST /validate HTTP/1.1\r\nHost: localhost\r\n")
        .unwrap();
    let started = Instant::now();
    std::thread::sleep(Duration::from_millis(1200));
    let _ = slow.write_all(b"Content-Type: application/json\r\n");
    let mut rest = Vec::new();
    let read = slow.read_to_end(&mut rest);
    assert!(
        read.is_err() || !String::from_utf8_lossy(&rest).contains("200 OK"),
        "slow client was served: {}",
        String::from_utf8_lossy(&rest)
    );
    assert!(started.elapsed() < Duration::from_secs(5));

    // A connection that never starts the handshake is closed too.
    let mut silent = TcpStream::connect(server.listen).unwrap();
    silent
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    assert_closed_soon(&mut silent, "silent client");

    // So is one that completes the handshake and then sends no request.
    let mut idle = raw_tls(&server, &issued.ca_pem);
    while idle.conn.is_handshaking() {
        idle.conn.complete_io(&mut idle.sock).unwrap();
    }
    assert_closed_soon(&mut idle, "idle TLS client");

    // Meanwhile the server answers others.
    let mut good = raw_tls(&server, &issued.ca_pem);
    let body = example("service-create-allowed");
    write!(
        good,
        "POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    good.write_all(&body).unwrap();
    let mut answer = Vec::new();
    let _ = good.read_to_end(&mut answer);
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200"));
}

#[tokio::test]
async fn client_certificates_are_checked_when_a_client_ca_is_set() {
    let dir = tempfile::tempdir().unwrap();
    let issued = localhost_pair();
    let (cert, key, _) = write_pair(dir.path(), &issued);
    let (client_cert, client_key, client_ca) = client_identity();
    let (stranger_cert, stranger_key, _) = client_identity();
    let ca_path = dir.path().join("client-ca.crt");
    std::fs::write(&ca_path, &client_ca).unwrap();
    let mut args = tls_args(&cert, &key);
    args.extend(["--client-ca".to_owned(), ca_path.display().to_string()]);
    let server = Server::start(&strs(&args));
    let body = example("service-create-allowed");

    let trusted = client(&issued.ca_pem, Some((&client_cert, &client_key)), false);
    let (status, _) = post(&trusted, &server.url(), body.clone()).await.unwrap();
    assert_eq!(status, 200);

    let anonymous = client(&issued.ca_pem, None, false);
    assert!(post(&anonymous, &server.url(), body.clone()).await.is_err());
    let stranger = client(&issued.ca_pem, Some((&stranger_cert, &stranger_key)), true);
    assert!(post(&stranger, &server.url(), body).await.is_err());
}

/// Lays out a Secret volume as the kubelet does: `..<version>/` holds the files, `..data`
/// points at the current version, and the visible names point through `..data`.
fn publish_secret_version(volume: &Path, version: &str, cert_pem: &str, key_pem: &str) {
    let versioned = volume.join(version);
    std::fs::create_dir_all(&versioned).unwrap();
    std::fs::write(versioned.join("tls.crt"), cert_pem).unwrap();
    std::fs::write(versioned.join("tls.key"), key_pem).unwrap();
    let staged = volume.join("..data_tmp");
    let _ = std::fs::remove_file(&staged);
    std::os::unix::fs::symlink(version, &staged).unwrap();
    std::fs::rename(&staged, volume.join("..data")).unwrap();
    for name in ["tls.crt", "tls.key"] {
        let link = volume.join(name);
        if std::fs::symlink_metadata(&link).is_err() {
            std::os::unix::fs::symlink(format!("..data/{name}"), &link).unwrap();
        }
    }
}

#[tokio::test]
async fn certificates_rotate_through_a_symlink_swap_without_dropping_connections() {
    let volume = tempfile::tempdir().unwrap();
    let first = localhost_pair();
    let second = localhost_pair();
    publish_secret_version(
        volume.path(),
        "..2026_11_23_01",
        &first.cert_pem,
        &first.key_pem,
    );
    let mut args = tls_args(
        &volume.path().join("tls.crt"),
        &volume.path().join("tls.key"),
    );
    args.extend(["--reload-interval-ms".to_owned(), "100".to_owned()]);
    let server = Server::start(&strs(&args));
    let body = example("service-create-allowed");

    let old_client = client(&first.ca_pem, None, false);
    assert_eq!(
        post(&old_client, &server.url(), body.clone())
            .await
            .unwrap()
            .0,
        200
    );
    let new_client = client(&second.ca_pem, None, false);
    assert!(post(&new_client, &server.url(), body.clone())
        .await
        .is_err());

    publish_secret_version(
        volume.path(),
        "..2026_11_23_02",
        &second.cert_pem,
        &second.key_pem,
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        // A fresh client each time: no pooled connection from before the swap.
        let fresh = client(&second.ca_pem, None, false);
        if post(&fresh, &server.url(), body.clone()).await.is_ok() {
            break;
        }
        assert!(Instant::now() < deadline, "new certificate never served");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The connection opened before the rotation is still up and still served.
    assert_eq!(
        post(&old_client, &server.url(), body.clone())
            .await
            .unwrap()
            .0,
        200
    );

    // A half-written rotation (new certificate, old key) is refused; the server keeps going.
    let third = localhost_pair();
    publish_secret_version(
        volume.path(),
        "..2026_11_23_03",
        &third.cert_pem,
        &second.key_pem,
    );
    tokio::time::sleep(Duration::from_millis(600)).await;
    let fresh = client(&second.ca_pem, None, false);
    assert_eq!(post(&fresh, &server.url(), body).await.unwrap().0, 200);
    server.assert_metrics(&[
        r#"netward_reloads_total{what="tls",result="ok"} 1"#,
        r#"netward_reloads_total{what="tls",result="error"} 1"#,
    ]);
    server.assert_logged("new TLS material refused");
}

#[tokio::test]
async fn options_reload_and_an_invalid_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let issued = localhost_pair();
    let (cert, key, _) = write_pair(dir.path(), &issued);
    let options = dir.path().join("options.yaml");
    std::fs::write(&options, "# defaults\n").unwrap();
    let mut args = tls_args(&cert, &key);
    args.extend([
        "--options".to_owned(),
        options.display().to_string(),
        "--reload-interval-ms".to_owned(),
        "100".to_owned(),
    ]);
    let server = Server::start(&strs(&args));
    let client = client(&issued.ca_pem, None, false);
    let allowed = |answer: &Value| answer["response"]["allowed"].as_bool().unwrap();
    let body = example("service-create-warned");
    assert!(allowed(
        &post(&client, &server.url(), body.clone()).await.unwrap().1
    ));

    std::fs::write(&options, "severity:\n  NW2015: error\n").unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while allowed(&post(&client, &server.url(), body.clone()).await.unwrap().1) {
        assert!(Instant::now() < deadline, "options never reloaded");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    std::fs::write(&options, "severity:\n  NW2015: [not, a, severity]\n").unwrap();
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert!(!allowed(
        &post(&client, &server.url(), body).await.unwrap().1
    ));
    server.assert_metrics(&[r#"netward_reloads_total{what="options",result="error"} 1"#]);
    server.assert_logged("new options refused");
}

#[test]
fn sigterm_finishes_the_request_in_flight() {
    let dir = tempfile::tempdir().unwrap();
    let issued = localhost_pair();
    let (cert, key, _) = write_pair(dir.path(), &issued);
    let mut args = tls_args(&cert, &key);
    args.extend(["--shutdown-delay-ms".to_owned(), "500".to_owned()]);
    let mut server = Server::start(&strs(&args));
    assert_eq!(server.admin("/readyz").0, 200);

    // Start a request and send only half its body.
    let body = example("service-create-denied");
    let (head, tail) = body.split_at(body.len() / 2);
    let mut in_flight = raw_tls(&server, &issued.ca_pem);
    write!(
        in_flight,
        "POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    in_flight.write_all(head).unwrap();
    in_flight.flush().unwrap();

    server.terminate();
    std::thread::sleep(Duration::from_millis(200));
    // During the shutdown delay the pod reports unready but still serves.
    assert_eq!(server.admin("/readyz").0, 503);
    std::thread::sleep(Duration::from_millis(500));
    in_flight.write_all(tail).unwrap();
    let mut answer = Vec::new();
    let _ = in_flight.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        answer.contains("2c3f8c74-9f2e-4a0c-9c65-4b7b2d0f3e33"),
        "{answer}"
    );

    let status = server.wait(Duration::from_secs(10)).expect("did not exit");
    assert!(status.success(), "{status:?}");
    server.assert_logged("\"stopped\"");
}

#[tokio::test]
async fn dev_mode_serves_with_a_generated_certificate() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_netward"))
        .args([
            "serve",
            "--dev",
            "--listen",
            "127.0.0.1:0",
            "--admin-listen",
            "127.0.0.1:0",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let _ = lines.next();
    let curl = lines.next().unwrap().unwrap();
    let url = first
        .split_whitespace()
        .find(|w| w.starts_with("https://"))
        .unwrap()
        .to_owned();
    let ca_path = curl.split_whitespace().nth(2).unwrap();
    assert!(curl.trim_start().starts_with("curl --cacert"), "{curl}");
    let ca = std::fs::read_to_string(ca_path).unwrap();
    let client = client(&ca, None, false);
    let url = url.replace("127.0.0.1", "localhost");
    let (status, answer) = post(&client, &url, example("service-create-denied"))
        .await
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(status, 200);
    assert_eq!(answer["response"]["allowed"], false);
}

#[test]
fn cert_command_writes_the_pair_and_prints_the_ca_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_netward"))
        .args(["cert", "--dns", "netward.netward.svc", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let ca = std::fs::read_to_string(dir.path().join("ca.crt")).unwrap();
    use base64::Engine as _;
    let bundle = base64::engine::general_purpose::STANDARD.encode(ca.as_bytes());
    assert!(stdout.contains(&bundle), "{stdout}");
    use std::os::unix::fs::PermissionsExt as _;
    let mode = std::fs::metadata(dir.path().join("tls.key"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    // The pair serves, and is valid for the name it was issued for.
    let cert = std::fs::read(dir.path().join("tls.crt")).unwrap();
    let key = std::fs::read(dir.path().join("tls.key")).unwrap();
    install_provider();
    netward::serve::tls::server_config(&cert, &key, None).unwrap();
    let client = client_config(&ca, None, &[]);
    let name = ServerName::try_from("netward.netward.svc").unwrap();
    rustls::ClientConnection::new(Arc::new(client), name).unwrap();
}
