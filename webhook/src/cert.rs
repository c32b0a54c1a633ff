//! Certificates for the webhook: a private CA and a serving certificate signed by it.
//!
//! `netward cert --out DIR --dns NAME` writes `ca.crt`, `tls.crt` and `tls.key` and prints the
//! `caBundle` to paste into the ValidatingWebhookConfiguration; `netward serve --dev` uses the
//! same issuer in memory.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use clap::Args;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};
use time::{Duration, OffsetDateTime};

/// `netward cert` flags.
#[derive(Debug, Args)]
pub struct CertArgs {
    /// Directory to write ca.crt, tls.crt and tls.key into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// DNS name (or IP address) the API server uses to reach the webhook; repeatable.
    /// For a Service `netward` in namespace `netward`: netward.netward.svc.
    #[arg(long = "dns", value_name = "NAME", required = true)]
    pub dns: Vec<String>,
    /// Validity of the serving certificate, in days (the CA gets ten times as long).
    #[arg(long, default_value_t = 365, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub days: u32,
}

/// PEM text of a CA certificate and of a serving certificate and key it signed.
#[derive(Debug, Clone)]
pub struct Issued {
    /// The CA certificate (what clients trust; the webhook configuration's caBundle).
    pub ca_pem: String,
    /// The serving certificate.
    pub cert_pem: String,
    /// The serving certificate's private key (PKCS#8).
    pub key_pem: String,
}

impl Issued {
    /// The base64 of the CA certificate's PEM, as `clientConfig.caBundle` wants it.
    pub fn ca_bundle(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.ca_pem.as_bytes())
    }
}

/// Issues a fresh CA and a serving certificate for `names` (DNS names or IP addresses).
pub fn issue(names: &[String], days: u32) -> Result<Issued, String> {
    let problem = |e: rcgen::Error| format!("cannot issue the certificate: {e}");
    let now = OffsetDateTime::now_utc();
    let ca_key = KeyPair::generate().map_err(problem)?;
    let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(problem)?;
    ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca.distinguished_name = named("netward webhook CA");
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    ca.not_before = now - Duration::hours(1);
    ca.not_after = now + Duration::days(i64::from(days) * 10);
    let ca_cert = ca.self_signed(&ca_key).map_err(problem)?;

    let key = KeyPair::generate().map_err(problem)?;
    let mut leaf = CertificateParams::new(names.to_vec()).map_err(problem)?;
    leaf.distinguished_name = named(names.first().map_or("netward", String::as_str));
    leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    leaf.not_before = now - Duration::hours(1);
    leaf.not_after = now + Duration::days(i64::from(days));
    let issuer = Issuer::new(ca, ca_key);
    let cert = leaf.signed_by(&key, &issuer).map_err(problem)?;
    Ok(Issued {
        ca_pem: ca_cert.pem(),
        cert_pem: cert.pem(),
        key_pem: key.serialize_pem(),
    })
}

fn named(common_name: &str) -> DistinguishedName {
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, common_name);
    name
}

/// Writes the three files (the key readable by its owner only).
pub fn write(issued: &Issued, dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for (name, text, private) in [
        ("ca.crt", &issued.ca_pem, false),
        ("tls.crt", &issued.cert_pem, false),
        ("tls.key", &issued.key_pem, true),
    ] {
        let path = dir.join(name);
        write_file(&path, text.as_bytes(), private)
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

#[cfg(unix)]
fn write_file(path: &Path, bytes: &[u8], private: bool) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    use std::os::unix::fs::PermissionsExt as _;
    let mode = if private { 0o600 } else { 0o644 };
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(mode)
        .open(path)?;
    // `mode` only applies to a new file; an existing one keeps its permissions otherwise.
    file.set_permissions(std::fs::Permissions::from_mode(mode))?;
    file.write_all(bytes)
}

#[cfg(not(unix))]
fn write_file(path: &Path, bytes: &[u8], _private: bool) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

/// `netward cert`: issue, write, print the caBundle and what to do with it.
pub fn run(args: &CertArgs) -> Result<u8, String> {
    let issued = issue(&args.dns, args.days)?;
    write(&issued, &args.out)?;
    println!(
        "wrote {dir}/ca.crt, {dir}/tls.crt and {dir}/tls.key (serving certificate for {names}, valid {days} days)\n\
         \n\
         1. store the serving pair as the webhook's Secret:\n   \
         kubectl -n netward create secret tls netward-tls --cert={dir}/tls.crt --key={dir}/tls.key\n\
         2. paste this caBundle into deploy/webhook.yaml (clientConfig.caBundle):\n\n{bundle}",
        dir = args.out.display(),
        names = args.dns.join(", "),
        days = args.days,
        bundle = issued.ca_bundle(),
    );
    Ok(0)
}
