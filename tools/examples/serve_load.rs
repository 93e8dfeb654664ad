//! Load on `jixiao serve`: N departments upload at once, M uploads in all, on this machine.
//! Prints p50/p95/max latency of an upload (sent → checked, rendered in four formats, stored,
//! answered), the server's peak memory (VmHWM), how often it answered 503, and then checks that
//! every upload has its row and every row its files.
//!
//! ```sh
//! cargo build --release
//! cargo run --release -p jixiao-tools --example serve_load -- [部门数，默认 50] [上传总数，默认 500]
//! ```
//!
//! The server is the release binary (`target/release/jixiao`, or `JIXIAO_BIN`), started as its
//! own process so that its memory is measured alone. Each upload is a different synthetic
//! department (`samplegen`), so no two share their files.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use jixiao::serve::store::Store;

const BOUNDARY: &str = "----jixiao-load";

/// One upload over a fresh connection: status, `Retry-After` seconds.
fn upload(addr: &str, path: &str, body: &[u8]) -> std::io::Result<(u16, u64)> {
    let mut s = std::net::TcpStream::connect(addr)?;
    let head = format!(
        "POST {path} HTTP/1.0\r\nHost: {addr}\r\nAccept: application/json\r\n\
         Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes())?;
    s.write_all(body)?;
    let mut all = Vec::new();
    s.read_to_end(&mut all)?;
    let text = String::from_utf8_lossy(&all);
    let status = text.get(9..12).and_then(|c| c.parse().ok()).unwrap_or(0);
    let retry = text
        .lines()
        .find_map(|l| l.strip_prefix("retry-after: "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    Ok((status, retry))
}

fn multipart(name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut b = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\r\n"
    )
    .into_bytes();
    b.extend_from_slice(bytes);
    b.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    b
}

fn binary() -> PathBuf {
    std::env::var_os("JIXIAO_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/release/jixiao"))
}

fn peak_memory_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// One department's uploads; each latency includes any wait after a 503.
fn department(addr: String, link: String, first: usize, count: usize) -> (Vec<Duration>, usize) {
    let mut times = Vec::new();
    let mut busy = 0;
    for k in 0..count {
        let yaml = jixiao_tools::samplegen::department_yaml(first + k);
        let body = multipart("dept.yaml", yaml.as_bytes());
        let start = Instant::now();
        loop {
            match upload(&addr, &format!("{link}/upload"), &body) {
                Ok((200, _)) => break,
                Ok((503, retry)) => {
                    busy += 1;
                    std::thread::sleep(Duration::from_secs(retry.max(1)));
                }
                other => panic!("upload failed: {other:?}"),
            }
        }
        times.push(start.elapsed());
    }
    (times, busy)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let departments: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(50);
    let uploads: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(500);
    let data = tempfile::tempdir().expect("temp folder");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let mut server = Command::new(binary())
        .args(["serve", "--listen", &addr, "--queue", "64", "--data"])
        .arg(data.path())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the release binary (cargo build --release, or JIXIAO_BIN)");
    let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
    assert!(lines.any(|l| l.is_ok_and(|l| l.starts_with("正在服务"))));
    let names: Vec<String> = (0..departments).map(|i| format!("第{i:02}局")).collect();
    let o = Command::new(binary())
        .args(["invite", "--base-url", "", "--data"])
        .arg(data.path())
        .args(&names)
        .output()
        .unwrap();
    let links: Vec<String> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split('\t').nth(1).unwrap().to_owned())
        .collect();
    let per = uploads / departments;
    let started = Instant::now();
    let threads: Vec<_> = links
        .iter()
        .enumerate()
        .map(|(i, link)| {
            let (addr, link) = (addr.clone(), link.clone());
            std::thread::spawn(move || department(addr, link, i * 1000, per))
        })
        .collect();
    let mut times = Vec::new();
    let mut busy = 0;
    for t in threads {
        let (t, b) = t.join().unwrap();
        times.extend(t);
        busy += b;
    }
    let wall = started.elapsed();
    let peak = peak_memory_kb(server.id());
    let _ = server.kill();
    let _ = server.wait();
    times.sort();
    println!(
        "{departments} 个部门同时上传，共 {} 次，用时 {:.1} s（{:.2} 次/秒）",
        times.len(),
        wall.as_secs_f64(),
        times.len() as f64 / wall.as_secs_f64()
    );
    println!(
        "上传延迟：p50 {:.2} s，p95 {:.2} s，最长 {:.2} s；503 回答 {busy} 次",
        percentile(&times, 0.5).as_secs_f64(),
        percentile(&times, 0.95).as_secs_f64(),
        times.last().unwrap().as_secs_f64()
    );
    println!("服务器内存峰值（VmHWM）：{} MB", peak.unwrap_or(0) / 1024);
    verify(data.path(), departments, per);
}

/// Every upload has its row; every row's files are on disk.
fn verify(data: &Path, departments: usize, per: usize) {
    let store = jixiao::serve::sqlite::SqliteStore::open(&data.join("jixiao.sqlite")).unwrap();
    let files = jixiao::serve::files::FileStore::open(&data.join("files")).unwrap();
    let mut rows = 0;
    for d in store.departments().unwrap() {
        let versions = store.versions(d.id).unwrap();
        assert_eq!(versions.len(), per, "{}", d.name);
        for v in &versions {
            assert!(v.data.ok, "{} v{}", d.name, v.number);
            assert!(files.has(&v.data.input));
            for h in v.data.files.hashes() {
                assert!(files.has(h), "{} v{}: {h}", d.name, v.number);
            }
        }
        rows += versions.len();
    }
    assert_eq!(rows, departments * per);
    println!("核对：{rows} 行，每行的输入和生成文件都在");
}
