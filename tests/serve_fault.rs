//! Crash safety of `jixiao serve`: the server process is killed (`SIGKILL`, no chance to clean
//! up) while departments upload, then started again on the same folder. Every upload that was
//! answered must be intact — its row, its input and every rendered file — and nothing may
//! dangle: no row without its file, no temporary, no file that no row names.

mod serve_support;

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jixiao::serve::store::Store;
use serve_support::*;

/// A running `jixiao serve`, and the base URL it serves.
struct Running {
    child: Child,
    base: String,
}

fn start(data: &Path) -> Running {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args([
            "serve",
            "--workers",
            "2",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--data",
        ])
        .arg(data)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let ready = lines.any(|l| l.is_ok_and(|l| l.starts_with("正在服务")));
    assert!(ready, "the server started");
    Running {
        child,
        base: format!("http://127.0.0.1:{port}"),
    }
}

fn invite(data: &Path, names: &[&str]) -> Vec<String> {
    let o = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["invite", "--base-url", "", "--data"])
        .arg(data)
        .args(names)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split('\t').nth(1).unwrap().to_owned())
        .collect()
}

/// Uploads from `threads` departments until `stop`; returns the (link path, version) of every
/// upload the server answered.
fn upload_until_killed(base: &str, links: &[String], stop: Arc<AtomicBool>) -> Vec<(String, i64)> {
    let done = Arc::new(Mutex::new(Vec::new()));
    let sample = file("samples/lulong-police-2021.yaml");
    let handles: Vec<_> = links
        .iter()
        .cloned()
        .map(|link| {
            let (base, stop, done, sample) =
                (base.to_owned(), stop.clone(), done.clone(), sample.clone());
            std::thread::spawn(move || {
                for n in 0.. {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    // Each upload different, so each has its own files.
                    let mut bytes = sample.clone();
                    bytes.extend_from_slice(format!("\n# {link} {n}\n").as_bytes());
                    match http_upload(&base, &format!("{link}/upload"), "a.yaml", &bytes) {
                        Ok((200, body)) => {
                            let j: serde_json::Value = serde_json::from_slice(&body).unwrap();
                            done.lock()
                                .unwrap()
                                .push((link.clone(), j["version"].as_i64().unwrap()));
                        }
                        Ok((status, _)) => panic!("upload answered {status}"),
                        Err(_) => break, // the server is gone
                    }
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    Arc::try_unwrap(done).unwrap().into_inner().unwrap()
}

/// Every answered upload is there with all its files.
fn check_answered(base: &str, answered: &[(String, i64)]) {
    for (link, version) in answered {
        let accept = [("Accept", "application/json".to_owned())];
        let (status, _, body) =
            http(base, "GET", &format!("{link}/v/{version}"), &accept, b"").unwrap();
        assert_eq!(status, 200, "{link} v{version}");
        let j: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(j["ok"], true);
        let f = &j["files"];
        let mut urls: Vec<String> = ["docx", "pdf", "ofd"]
            .iter()
            .map(|k| f[k].as_str().unwrap().to_owned())
            .collect();
        urls.extend(
            f["pages"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_str().unwrap().to_owned()),
        );
        for u in urls {
            let (status, _, body) = http(base, "GET", &u, &[], b"").unwrap();
            assert_eq!(status, 200, "{u}");
            assert!(!body.is_empty());
        }
    }
}

/// No row without its file, no temporary, no file without a row.
fn check_nothing_dangles(data: &Path) {
    let store = jixiao::serve::sqlite::SqliteStore::open(&data.join("jixiao.sqlite")).unwrap();
    let named: HashSet<String> = store.referenced_files().unwrap().into_iter().collect();
    let mut on_disk = HashSet::new();
    for e in std::fs::read_dir(data.join("files")).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.ends_with(".tmp"), "temporary {name} left");
        on_disk.insert(name);
    }
    for h in &named {
        assert!(on_disk.contains(h), "a row names {h}, which is missing");
    }
    for h in &on_disk {
        assert!(named.contains(h), "{h} is named by no row");
    }
}

#[test]
fn kill_9_during_uploads_loses_nothing_answered() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let mut first = start(data);
    let links = invite(data, &["甲局", "乙局", "丙局", "丁局"]);
    let stop = Arc::new(AtomicBool::new(false));
    let base = first.base.clone();
    let uploads = {
        let (links, stop) = (links.clone(), stop.clone());
        std::thread::spawn(move || upload_until_killed(&base, &links, stop))
    };
    // Let uploads run (several answered, more in flight), then kill without warning.
    std::thread::sleep(Duration::from_millis(2500));
    let killed_at = Instant::now();
    first.child.kill().unwrap();
    first.child.wait().unwrap();
    stop.store(true, Ordering::SeqCst);
    let answered = uploads.join().unwrap();
    assert!(answered.len() >= 2, "uploads were answered before the kill");
    let leftovers = std::fs::read_dir(data.join("files")).unwrap().count();
    let mut second = start(data);
    assert!(killed_at.elapsed() < Duration::from_secs(60));
    check_answered(&second.base, &answered);
    check_nothing_dangles(data);
    eprintln!(
        "answered before the kill: {}; files on disk after it: {leftovers}; after the restart's sweep: {}",
        answered.len(),
        std::fs::read_dir(data.join("files")).unwrap().count()
    );
    // The server works on after the crash.
    let (status, _) = http_upload(
        &second.base,
        &format!("{}/upload", links[0]),
        "b.yaml",
        &file("samples/minimal.yaml"),
    )
    .unwrap();
    assert_eq!(status, 200);
    second.child.kill().unwrap();
    second.child.wait().unwrap();
}
