//! `netward serve`: the TLS validating admission webhook.
//!
//! Transport around [`netward_core::admission`]: TLS (rustls; HTTP/1.1 and HTTP/2 by ALPN) on
//! one port with `POST /validate`, plain HTTP on an admin port with `/livez`, `/readyz` and
//! `/metrics`, certificates and options re-read when they change on disk, JSON logs, and a
//! graceful shutdown on SIGTERM that finishes the requests in flight.

pub mod app;
pub mod metrics;
pub mod plain_http;
pub mod tls;
pub mod watch;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum_server::tls_rustls::{RustlsAcceptor, RustlsConfig};
use clap::{Args, ValueEnum};
use hyper_util::rt::TokioTimer;

use netward_core::admission::{Mode, Reviewer};
use netward_core::options::Options;

use app::{AppState, Limits};
use tls::TlsSource;
use watch::Watcher;

/// Concurrent requests one HTTP/2 connection may carry.
const MAX_HTTP2_STREAMS: u32 = 64;

/// What the webhook does with findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModeArg {
    /// Error findings deny; warnings become API warnings.
    Enforce,
    /// Never deny; every finding becomes an API warning.
    Warn,
    /// Allow everything; findings are logged, counted and put in audit annotations.
    Audit,
}

impl From<ModeArg> for Mode {
    fn from(mode: ModeArg) -> Self {
        match mode {
            ModeArg::Enforce => Mode::Enforce,
            ModeArg::Warn => Mode::Warn,
            ModeArg::Audit => Mode::Audit,
        }
    }
}

/// `netward serve` flags; each can also be set by the environment variable it names.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address of the TLS port [default: 0.0.0.0:8443; 127.0.0.1:8443 with --dev].
    #[arg(long, env = "NETWARD_LISTEN", value_name = "ADDR:PORT")]
    pub listen: Option<SocketAddr>,
    /// Address of the plain-HTTP admin port (/livez, /readyz, /metrics)
    /// [default: 0.0.0.0:8080; 127.0.0.1:8080 with --dev].
    #[arg(long, env = "NETWARD_ADMIN_LISTEN", value_name = "ADDR:PORT")]
    pub admin_listen: Option<SocketAddr>,
    /// Serving certificate chain (PEM); re-read when it changes.
    #[arg(
        long,
        env = "NETWARD_TLS_CERT",
        value_name = "FILE",
        required_unless_present = "dev"
    )]
    pub tls_cert: Option<PathBuf>,
    /// Private key of the serving certificate (PEM); re-read when it changes.
    #[arg(
        long,
        env = "NETWARD_TLS_KEY",
        value_name = "FILE",
        required_unless_present = "dev"
    )]
    pub tls_key: Option<PathBuf>,
    /// Require client certificates signed by this CA (PEM), as the API server can present.
    #[arg(long, env = "NETWARD_CLIENT_CA", value_name = "FILE")]
    pub client_ca: Option<PathBuf>,
    /// Options file (YAML or JSON, the same as `netward check --options`); re-read when it
    /// changes, and an invalid new version is refused while the old one stays in force.
    #[arg(long, env = "NETWARD_OPTIONS", value_name = "FILE")]
    pub options: Option<PathBuf>,
    /// What findings do.
    #[arg(long, env = "NETWARD_MODE", value_enum, default_value = "enforce")]
    pub mode: ModeArg,
    /// Start on loopback with a generated self-signed certificate and print a curl command.
    #[arg(long, env = "NETWARD_DEV", conflicts_with_all = ["tls_cert", "tls_key", "client_ca"])]
    pub dev: bool,
    /// How often the certificate, key, client CA and options files are checked for changes.
    #[arg(
        long,
        env = "NETWARD_RELOAD_INTERVAL_MS",
        default_value_t = 2000,
        value_name = "MS"
    )]
    pub reload_interval_ms: u64,
    /// Largest request body accepted (the API server sends at most 3 MiB).
    #[arg(long, env = "NETWARD_MAX_BODY_BYTES", default_value_t = 3 * 1024 * 1024)]
    pub max_body_bytes: usize,
    /// Longest a request may take to arrive, its body included (the API server waits at most
    /// the webhook's timeoutSeconds: 5 s in deploy/).
    #[arg(
        long,
        env = "NETWARD_REQUEST_TIMEOUT_MS",
        default_value_t = 4_000,
        value_name = "MS"
    )]
    pub request_timeout_ms: u64,
    /// Longest a client may take to complete the TLS handshake, and then to send the request
    /// headers.
    #[arg(
        long,
        env = "NETWARD_HEADER_TIMEOUT_MS",
        default_value_t = 5_000,
        value_name = "MS"
    )]
    pub header_timeout_ms: u64,
    /// On SIGTERM, keep serving this long while /readyz fails, so endpoints stop sending
    /// new requests before the listener closes.
    #[arg(
        long,
        env = "NETWARD_SHUTDOWN_DELAY_MS",
        default_value_t = 0,
        value_name = "MS"
    )]
    pub shutdown_delay_ms: u64,
    /// Then wait at most this long for requests in flight.
    #[arg(
        long,
        env = "NETWARD_SHUTDOWN_GRACE_MS",
        default_value_t = 25_000,
        value_name = "MS"
    )]
    pub shutdown_grace_ms: u64,
    /// Worker threads [default: one per CPU].
    #[arg(long, env = "NETWARD_WORKERS")]
    pub workers: Option<usize>,
    /// Log filter (`info`, `warn`, `netward=debug`, ...); logs are JSON lines on stderr.
    #[arg(long, env = "NETWARD_LOG", default_value = "info")]
    pub log: String,
    /// Benchmark baseline only: answer a constant `allowed: true` without deciding.
    #[arg(long, hide = true)]
    pub constant_allow: bool,
}

/// Runs the webhook until SIGTERM or SIGINT.
pub fn run(args: ServeArgs) -> Result<u8, String> {
    let started = Instant::now();
    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    if let Some(workers) = args.workers {
        runtime.worker_threads(workers.max(1));
    }
    let runtime = runtime
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    runtime.block_on(serve(args, started))
}

/// JSON log lines on stderr, written by a background thread; the returned guard flushes what
/// is pending when dropped (at the end of [`serve`]). Lines are never dropped: when the
/// thread falls behind, request handlers wait for it.
fn init_logging(filter: &str) -> Result<tracing_appender::non_blocking::WorkerGuard, String> {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .map_err(|e| format!("--log {filter:?}: {e}"))?;
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        .finish(std::io::stderr());
    tracing_subscriber::fmt()
        .json()
        .flatten_event(true)
        .with_current_span(false)
        .with_span_list(false)
        .with_target(false)
        .with_env_filter(filter)
        .with_writer(writer)
        .try_init()
        .map_err(|e| format!("cannot start logging: {e}"))?;
    Ok(guard)
}

fn read_options(path: &Path) -> Result<Options, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Options::parse(&path.display().to_string(), &text)
}

/// Where the TLS material comes from; with `--dev`, a fresh certificate for loopback whose CA
/// is written to a temporary directory for curl.
fn tls_source(args: &ServeArgs) -> Result<(TlsSource, Option<PathBuf>), String> {
    if args.dev {
        let names = ["localhost", "127.0.0.1", "::1"].map(str::to_owned);
        let issued = crate::cert::issue(&names, 30)?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir =
            std::env::temp_dir().join(format!("netward-dev-{}-{nanos:08x}", std::process::id()));
        crate::cert::write(&issued, &dir)?;
        let source = TlsSource::Memory {
            cert: issued.cert_pem,
            key: issued.key_pem,
        };
        return Ok((source, Some(dir.join("ca.crt"))));
    }
    match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Ok((
            TlsSource::Files {
                cert: cert.clone(),
                key: key.clone(),
                client_ca: args.client_ca.clone(),
            },
            None,
        )),
        _ => Err("--tls-cert and --tls-key are required (or --dev)".to_owned()),
    }
}

fn default_address(given: Option<SocketAddr>, dev: bool, port: u16) -> SocketAddr {
    given.unwrap_or_else(|| {
        let ip = if dev {
            std::net::Ipv4Addr::LOCALHOST
        } else {
            std::net::Ipv4Addr::UNSPECIFIED
        };
        SocketAddr::from((ip, port))
    })
}

async fn serve(args: ServeArgs, started: Instant) -> Result<u8, String> {
    let _flush_logs_on_exit = init_logging(&args.log)?;
    // Ignore the error: a provider is already installed when tests start several servers.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let (tls, dev_ca) = tls_source(&args)?;
    // The watchers look at the files before they are loaded, so a change in between is seen.
    let interval = Duration::from_millis(args.reload_interval_ms.max(10));
    let tls_watcher = Watcher::new(tls.watched_files(), interval).await;
    let options_watcher = match &args.options {
        Some(path) => Some(Watcher::new(vec![path.clone()], interval).await),
        None => None,
    };
    let tls_config = tls.load().await?;
    let options = match &args.options {
        Some(path) => read_options(path)?,
        None => Options::default(),
    };
    let mode = Mode::from(args.mode);
    let mut state = AppState::new(Reviewer::new(options, mode));
    if args.constant_allow {
        state = state.answering_constant_allow();
    }
    let state = Arc::new(state);

    let listen = default_address(args.listen, args.dev, 8443);
    let admin_listen = default_address(args.admin_listen, args.dev, 8080);
    let bind_error =
        |addr: SocketAddr| move |e: std::io::Error| format!("cannot listen on {addr}: {e}");
    let listener = std::net::TcpListener::bind(listen).map_err(bind_error(listen))?;
    listener.set_nonblocking(true).map_err(bind_error(listen))?;
    let listen = listener.local_addr().map_err(bind_error(listen))?;
    let admin_listener = tokio::net::TcpListener::bind(admin_listen)
        .await
        .map_err(bind_error(admin_listen))?;
    let admin_listen = admin_listener
        .local_addr()
        .map_err(bind_error(admin_listen))?;

    let rustls_config = RustlsConfig::from_config(tls_config);
    let header_timeout = Duration::from_millis(args.header_timeout_ms);
    let acceptor = RustlsAcceptor::new(rustls_config.clone())
        .handshake_timeout(header_timeout)
        .acceptor(plain_http::PlainHttpGuard {
            first_byte_timeout: header_timeout,
        });
    let handle = axum_server::Handle::new();
    // A connection must send its first request within the header timeout (the TLS handshake
    // has its own), HTTP/1 headers must arrive within it, and HTTP/2 connections are pinged
    // so that dead peers are dropped.
    let mut server = axum_server::from_tcp(listener)
        .map_err(bind_error(listen))?
        .acceptor(acceptor)
        .handle(handle.clone())
        .first_request_timeout(header_timeout);
    server
        .http_builder()
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    server
        .http_builder()
        .http2()
        .timer(TokioTimer::new())
        .max_concurrent_streams(MAX_HTTP2_STREAMS)
        .keep_alive_interval(Duration::from_secs(20))
        .keep_alive_timeout(header_timeout);
    let limits = Limits {
        max_body_bytes: args.max_body_bytes,
        request_timeout: Duration::from_millis(args.request_timeout_ms),
    };
    let app = app::router(state.clone(), limits);
    let server_task = tokio::spawn(server.serve(app.into_make_service()));

    let (stop_admin, admin_stopped) = tokio::sync::oneshot::channel::<()>();
    let admin = axum::serve(admin_listener, app::admin_router(state.clone()))
        .with_graceful_shutdown(async {
            let _ = admin_stopped.await;
        });
    let admin_task = tokio::spawn(async move { admin.await });

    if !tls.watched_files().is_empty() {
        tokio::spawn(reload_tls(
            tls.clone(),
            tls_watcher,
            rustls_config,
            state.clone(),
        ));
    }
    if let (Some(path), Some(watcher)) = (args.options.clone(), options_watcher) {
        tokio::spawn(reload_options(path, watcher, mode, state.clone()));
    }

    state.set_ready(true);
    tracing::info!(
        listen = %listen,
        admin_listen = %admin_listen,
        mode = mode.as_str(),
        client_auth = args.client_ca.is_some(),
        options = args.options.as_ref().map(|p| p.display().to_string()).unwrap_or_default(),
        startup_ms = started.elapsed().as_secs_f64() * 1000.0,
        "ready"
    );
    if let Some(ca) = &dev_ca {
        println!(
            "netward serve --dev: https://{listen}/validate (admin: http://{admin_listen}/metrics)\n\
             try it:\n  curl --cacert {ca} -H 'Content-Type: application/json' \
             --data @examples/admission/service-create-denied.json https://{listen}/validate",
            ca = ca.display()
        );
    }

    let mut server_task = server_task;
    tokio::select! {
        () = shutdown_signal() => {}
        ended = &mut server_task => {
            // The TLS server stopped on its own: exit, so the kubelet restarts the pod rather
            // than leaving it Ready with nothing listening.
            state.set_ready(false);
            let _ = stop_admin.send(());
            let _ = admin_task.await;
            return Err(match ended {
                Ok(Ok(())) => "the TLS server stopped unexpectedly".to_owned(),
                Ok(Err(e)) => format!("server failed: {e}"),
                Err(e) => format!("server task failed: {e}"),
            });
        }
    }
    state.set_ready(false);
    tracing::info!(
        delay_ms = args.shutdown_delay_ms,
        connections = handle.connection_count(),
        "shutting down: /readyz now fails"
    );
    tokio::time::sleep(Duration::from_millis(args.shutdown_delay_ms)).await;
    handle.graceful_shutdown(Some(Duration::from_millis(args.shutdown_grace_ms)));
    let served = server_task.await;
    let _ = stop_admin.send(());
    let _ = admin_task.await;
    if let Some(dir) = dev_ca.as_ref().and_then(|ca| ca.parent()) {
        // Best effort: the generated key should not outlive the dev server.
        let _ = std::fs::remove_dir_all(dir);
    }
    match served {
        Ok(Ok(())) => {
            tracing::info!("stopped");
            Ok(0)
        }
        Ok(Err(e)) => Err(format!("server failed: {e}")),
        Err(e) => Err(format!("server task failed: {e}")),
    }
}

/// Re-reads the TLS material whenever its files change; a set that does not load (a key that
/// does not match its certificate mid-rotation, say) is logged and the old one kept.
async fn reload_tls(
    tls: TlsSource,
    mut watcher: Watcher,
    config: RustlsConfig,
    state: Arc<AppState>,
) {
    loop {
        watcher.changed().await;
        match tls.load().await {
            Ok(new) => {
                config.reload_from_config(new);
                state.metrics().reload("tls", true);
                tracing::info!("TLS certificate reloaded");
            }
            Err(e) => {
                state.metrics().reload("tls", false);
                tracing::error!(error = %e, "new TLS material refused; the previous certificate stays in use");
            }
        }
    }
}

/// Re-reads the options file whenever it changes; an invalid file is logged and refused.
async fn reload_options(path: PathBuf, mut watcher: Watcher, mode: Mode, state: Arc<AppState>) {
    loop {
        watcher.changed().await;
        match read_options(&path) {
            Ok(options) => {
                state.replace_reviewer(Reviewer::new(options, mode));
                state.metrics().reload("options", true);
                tracing::info!(options = %path.display(), "options reloaded");
            }
            Err(e) => {
                state.metrics().reload("options", false);
                tracing::error!(options = %path.display(), error = %e, "new options refused; the previous options stay in force");
            }
        }
    }
}

/// Resolves on SIGTERM or SIGINT (Ctrl-C).
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
