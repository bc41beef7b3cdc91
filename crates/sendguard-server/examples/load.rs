//! A bounded load test on loopback: how many requests a small machine answers for the
//! routes every mail client hits, the policy and an add-in file.
//!
//! ```text
//! cargo run --release -p sendguard-server --example load -- --seconds 5
//! ```
//!
//! It starts the real server in this process on 127.0.0.1 (an ephemeral port, a fake
//! site in a temporary folder) and drives it with `--connections` keep-alive clients for
//! `--seconds` per scenario, stopping early after `--max-requests`. Nothing leaves the
//! machine: there is no option to aim it anywhere else. Client and server share the
//! same cores, so the numbers are a floor for what a dedicated machine does.
//!
//! Options: `--seconds N` (1–60, default 5), `--connections N` (1–256, default 32),
//! `--max-requests N` (per scenario, default 2,000,000), `--file-kib N` (size of the
//! add-in file, 1–4096, default 64), `--tls` (HTTPS with a generated certificate),
//! `--idle N` (0–10,000: first open N connections to the server that never send a byte,
//! then measure `/policy.json` alone while they are held, then report when the server
//! closed them; the server's header timeout is 10 s, so keep `--seconds` below it).
//!
//! ```text
//! cargo run --release -p sendguard-server --example load -- --idle 5000 --seconds 5
//! ```

// The report is this program's output.
#![allow(clippy::print_stdout)]

use std::error::Error;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use sendguard_server::{Server, ServerConfig, SiteRoots, Tls};

/// What to measure and for how long, with hard upper bounds.
struct Options {
    seconds: u64,
    connections: usize,
    max_requests: u64,
    file_kib: usize,
    tls: bool,
    idle: usize,
}

impl Options {
    fn parse() -> Result<Options, String> {
        let mut options = Options {
            seconds: 5,
            connections: 32,
            max_requests: 2_000_000,
            file_kib: 64,
            tls: false,
            idle: 0,
        };
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            let mut number = |low: u64, high: u64| -> Result<u64, String> {
                let value = args.next().ok_or(format!("{arg} needs a number"))?;
                let number: u64 = value
                    .parse()
                    .map_err(|_| format!("{arg}: {value:?} is not a number"))?;
                if !(low..=high).contains(&number) {
                    return Err(format!("{arg} must be between {low} and {high}"));
                }
                Ok(number)
            };
            match arg.as_str() {
                "--seconds" => options.seconds = number(1, 60)?,
                "--connections" => options.connections = to_usize(number(1, 256)?),
                "--max-requests" => options.max_requests = number(1, 10_000_000)?,
                "--file-kib" => options.file_kib = to_usize(number(1, 4096)?),
                "--tls" => options.tls = true,
                "--idle" => options.idle = to_usize(number(0, 10_000)?),
                other => return Err(format!("unknown option {other}")),
            }
        }
        Ok(options)
    }
}

fn to_usize(number: u64) -> usize {
    usize::try_from(number).unwrap_or(usize::MAX)
}

/// One scenario's results.
struct Measured {
    requests: u64,
    errors: u64,
    bytes: u64,
    elapsed: Duration,
    /// Sorted latencies in microseconds.
    latencies: Vec<u32>,
}

impl Measured {
    fn percentile(&self, percent: usize) -> f64 {
        if self.latencies.is_empty() {
            return 0.0;
        }
        let index = (self.latencies.len() * percent / 100).min(self.latencies.len() - 1);
        f64::from(self.latencies[index]) / 1000.0
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn Error>> {
    let options = Options::parse().map_err(|message| {
        format!("{message}\nusage: load [--seconds N] [--connections N] [--max-requests N] [--file-kib N] [--tls] [--idle N]")
    })?;
    let site = tempfile::tempdir()?;
    let addin_file = "x".repeat(options.file_kib * 1024);
    for (path, contents) in [
        ("www/index.html", "<!doctype html><title>sendguard</title>"),
        ("dist/addin-outlook/taskpane.js", addin_file.as_str()),
    ] {
        let path = site.path().join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, contents)?;
    }
    let tls = if options.tls {
        Tls::SelfSigned {
            dir: site.path().join("tls"),
        }
    } else {
        Tls::BehindProxy
    };
    let config = ServerConfig::new(
        "127.0.0.1:0".parse()?,
        tls,
        SiteRoots::in_checkout(site.path()),
    );
    let server = Server::bind(config).await?;
    let addr = server.local_addr();
    let max_connections = server.max_connections();
    let mut client = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(options.connections);
    let base = match server.self_signed_certificate() {
        Some(certificate) => {
            let pem = std::fs::read(certificate.authority_path())?;
            client = client
                .add_root_certificate(reqwest::Certificate::from_pem(&pem)?)
                .resolve("localhost", addr)
                .http1_only();
            format!("https://localhost:{}", addr.port())
        }
        None => format!("http://{addr}"),
    };
    let client = client.build()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(server.run(async {
        stopped.await.ok();
    }));

    // Connections that never send a byte, as an attacker (or a broken client) holds them.
    let opening = Instant::now();
    let mut idle = Vec::with_capacity(options.idle);
    for _ in 0..options.idle {
        idle.push(tokio::net::TcpStream::connect(addr).await?);
    }
    if !idle.is_empty() {
        println!(
            "holding {} idle connections to the server (opened in {:.2} s; connection cap {})",
            idle.len(),
            opening.elapsed().as_secs_f64(),
            max_connections
        );
    }

    let policy_etag = client
        .get(format!("{base}/policy.json"))
        .send()
        .await?
        .headers()
        .get("etag")
        .and_then(|tag| tag.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let scenarios = [
        ("GET /policy.json", "/policy.json", None),
        (
            "GET /policy.json, If-None-Match (304)",
            "/policy.json",
            Some(policy_etag),
        ),
        ("GET /outlook/taskpane.js", "/outlook/taskpane.js", None),
    ];
    println!(
        "sendguard-server load test on {base}: {} connections, {} s per scenario, \
         at most {} requests each, add-in file {} KiB{}",
        options.connections,
        options.seconds,
        options.max_requests,
        options.file_kib,
        if options.tls {
            ", HTTPS (HTTP/1.1)"
        } else {
            ", plain HTTP"
        }
    );
    println!(
        "{:<40} {:>10} {:>8} {:>10} {:>9} {:>9} {:>9}",
        "scenario", "requests", "errors", "req/s", "MB/s", "p50 ms", "p99 ms"
    );
    let scenarios = if idle.is_empty() {
        &scenarios[..]
    } else {
        &scenarios[..1]
    };
    for (name, path, etag) in scenarios.iter().cloned() {
        let measured = run_scenario(&client, &format!("{base}{path}"), etag, &options).await;
        let seconds = measured.elapsed.as_secs_f64();
        println!(
            "{:<40} {:>10} {:>8} {:>10.0} {:>9.1} {:>9.2} {:>9.2}",
            name,
            measured.requests,
            measured.errors,
            count_as_f64(measured.requests) / seconds,
            count_as_f64(measured.bytes) / seconds / 1_000_000.0,
            measured.percentile(50),
            measured.percentile(99),
        );
    }
    if !idle.is_empty() {
        let open = idle.iter().filter(|stream| still_open(stream)).count();
        println!(
            "idle connections still open after the run: {open} of {}",
            idle.len()
        );
        let deadline = Instant::now() + Duration::from_secs(30);
        while idle.iter().any(still_open) && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let open = idle.iter().filter(|stream| still_open(stream)).count();
        println!(
            "{} of {} idle connections closed by the server {:.1} s after the first was opened",
            idle.len() - open,
            idle.len(),
            opening.elapsed().as_secs_f64()
        );
    }
    stop.send(()).ok();
    running.await?;
    Ok(())
}

/// Whether the server has not closed this connection yet.
fn still_open(stream: &tokio::net::TcpStream) -> bool {
    let mut byte = [0u8; 1];
    matches!(stream.try_read(&mut byte), Err(error) if error.kind() == std::io::ErrorKind::WouldBlock)
}

fn count_as_f64(count: u64) -> f64 {
    // Counts here stay far below 2^52, where f64 is exact.
    u32::try_from(count).map_or(f64::from(u32::MAX), f64::from)
}

async fn run_scenario(
    client: &reqwest::Client,
    url: &str,
    etag: Option<String>,
    options: &Options,
) -> Measured {
    let issued = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(options.seconds);
    let workers: Vec<_> = (0..options.connections)
        .map(|_| {
            let client = client.clone();
            let url = url.to_owned();
            let etag = etag.clone();
            let issued = Arc::clone(&issued);
            let max_requests = options.max_requests;
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let (mut errors, mut bytes) = (0u64, 0u64);
                while Instant::now() < deadline
                    && issued.fetch_add(1, Ordering::Relaxed) < max_requests
                {
                    let sent = Instant::now();
                    let mut request = client.get(&url);
                    if let Some(etag) = &etag {
                        request = request.header("if-none-match", etag);
                    }
                    let ok = match request.send().await {
                        Ok(response)
                            if response.status().is_success() || response.status() == 304 =>
                        {
                            match response.bytes().await {
                                Ok(body) => {
                                    bytes += u64::try_from(body.len()).unwrap_or(0);
                                    true
                                }
                                Err(_) => false,
                            }
                        }
                        _ => false,
                    };
                    if ok {
                        latencies
                            .push(u32::try_from(sent.elapsed().as_micros()).unwrap_or(u32::MAX));
                    } else {
                        errors += 1;
                    }
                }
                (latencies, errors, bytes)
            })
        })
        .collect();
    let mut measured = Measured {
        requests: 0,
        errors: 0,
        bytes: 0,
        elapsed: Duration::ZERO,
        latencies: Vec::new(),
    };
    for worker in workers {
        if let Ok((latencies, errors, bytes)) = worker.await {
            measured.errors += errors;
            measured.bytes += bytes;
            measured.latencies.extend(latencies);
        }
    }
    measured.elapsed = started.elapsed();
    measured.requests =
        u64::try_from(measured.latencies.len()).unwrap_or(u64::MAX) + measured.errors;
    measured.latencies.sort_unstable();
    measured
}
