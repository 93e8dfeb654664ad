//! The web workbench in a real browser: Debian's Chromium driven over WebDriver (chromedriver)
//! by fantoccini, against a server on a socket.
//!
//! Department: upload a good workbook, see 检查通过 and the score, see the page previews drawn,
//! download the PDF and compare it with the CLI's; upload a workbook with a negative amount and
//! see the error that names 项目 and its cell; submit. Bureau: both departments with the right
//! statuses; the zip and the workbook download. Every page is photographed into
//! `target/screenshots/` (and into `docs/screenshots/` with `JIXIAO_UPDATE_SCREENSHOTS=1`, which
//! is how the README's pictures are made).
//!
//! Without chromium and chromedriver the test skips with a message, except in CI (`CI` set),
//! where it fails: `.ci/run` installs both.

mod serve_support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use serve_support::*;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// chromedriver, stopped when dropped.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The browser is here, or the test is skipped (locally) or fails (in CI).
fn browser_available() -> bool {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return true;
    }
    let msg =
        "浏览器测试需要 chromium 和 chromium-driver（apt-get install -y chromium chromium-driver）";
    assert!(std::env::var_os("CI").is_none(), "{msg}: CI 中不能跳过");
    eprintln!("跳过：{msg}");
    false
}

fn start_driver() -> (Driver, u16) {
    let port = free_port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not listen");
        std::thread::sleep(Duration::from_millis(50));
    }
    (Driver(child), port)
}

async fn connect(port: u16, profile: &Path) -> Client {
    let args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1800",
        &format!("--user-data-dir={}", profile.display()),
    ];
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": { "binary": CHROMIUM, "args": args },
    });
    let caps = caps.as_object().unwrap().clone();
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("WebDriver session")
}

fn screenshots() -> Vec<PathBuf> {
    let mut dirs = vec![PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("../screenshots")];
    if std::env::var_os("JIXIAO_UPDATE_SCREENSHOTS").is_some() {
        dirs.push(root().join("docs/screenshots"));
    }
    dirs
}

/// A full-page screenshot of what the browser shows, under `name`.
async fn photograph(c: &Client, name: &str) {
    // Make the window as tall as the page so the picture shows all of it.
    let height = c
        .execute("return document.documentElement.scrollHeight;", vec![])
        .await
        .unwrap()
        .as_u64()
        .unwrap_or(1800)
        .min(6000);
    c.set_window_size(1280, height as u32 + 140).await.unwrap();
    let png = c.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    for dir in screenshots() {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), &png).unwrap();
    }
    c.set_window_size(1280, 1800).await.unwrap();
}

async fn text(c: &Client, css: &str) -> String {
    let found = c
        .wait()
        .at_most(Duration::from_secs(60))
        .for_element(Locator::Css(css))
        .await;
    match found {
        Ok(e) => e.text().await.unwrap(),
        Err(e) => {
            let url = c.current_url().await.map(|u| u.to_string());
            let page = c.source().await.unwrap_or_default();
            panic!("{css}: {e}\nat {url:?}:\n{page}")
        }
    }
}

/// Waits until the element's text is `want` (after a form post the old page may still show).
async fn wait_text(c: &Client, css: &str, want: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let got = match c.find(Locator::Css(css)).await {
            Ok(e) => e.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if got == want {
            return;
        }
        assert!(Instant::now() < deadline, "{css}: “{got}”, want “{want}”");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Chooses `file` in the upload form and sends it.
async fn upload(c: &Client, file: &Path) {
    let input = c.find(Locator::Css("#file")).await.unwrap();
    input.send_keys(&file.display().to_string()).await.unwrap();
    c.find(Locator::Css("#upload"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// The PDF `jixiao render` writes for `input`.
fn cli_pdf(input: &Path) -> Vec<u8> {
    let out = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args([
            "render",
            &input.display().to_string(),
            "--format",
            "pdf",
            "-o",
        ])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stem = input.file_stem().unwrap().to_string_lossy();
    std::fs::read(out.path().join(format!("{stem}.pdf"))).unwrap()
}

async fn department_flow(c: &Client, base: &str, good_link: &str, bad_link: &str) {
    let good = root().join("tests/fixtures/xlsx/lulong-lo.xlsx");
    c.goto(good_link).await.unwrap();
    assert_eq!(text(c, "h1").await, "卢龙县公安局");
    photograph(c, "department-empty").await;
    upload(c, &good).await;
    assert_eq!(text(c, "#status").await, "检查通过");
    assert_eq!(text(c, "#score").await, "98.6");
    assert_eq!(text(c, "#grade").await, "优");
    // Every preview is an SVG the browser drew (an image that failed has no natural width).
    let drawn = c
        .execute(
            "const imgs = [...document.querySelectorAll('#pages img')];
             await Promise.all(imgs.map(i => i.decode()));
             return imgs.map(i => i.naturalWidth);",
            vec![],
        )
        .await
        .unwrap();
    let widths = drawn.as_array().unwrap();
    assert!(widths.len() >= 3, "{drawn}");
    assert!(
        widths.iter().all(|w| w.as_f64().unwrap() > 500.0),
        "{drawn}"
    );
    photograph(c, "department-passed").await;
    // The PDF link: the very bytes the CLI writes for this workbook.
    let href = c
        .find(Locator::Css("#pdf"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    let (status, headers, pdf) = http(base, "GET", &href, &[], b"").unwrap();
    assert_eq!(status, 200);
    assert!(headers
        .iter()
        .any(|(k, v)| k == "content-disposition" && v.contains("filename*=UTF-8''")));
    assert!(pdf == cli_pdf(&good), "the served PDF is the CLI's");
    // Submit.
    c.find(Locator::Css("#submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_text(c, "#status", "已提交").await;
    drag_and_drop(c).await;
    // The other department's workbook has a negative amount in 项目!D7.
    c.goto(bad_link).await.unwrap();
    upload(c, &root().join("tests/fixtures/xlsx/broken.xlsx")).await;
    assert!(text(c, "#status").await.starts_with("有错误"));
    let errors = text(c, "#errors").await;
    assert!(
        errors.contains("[项目]!D7") && errors.contains("负数"),
        "{errors}"
    );
    photograph(c, "department-errors").await;
}

/// Drops a file on the upload box (what `upload.js` adds): the workbook filled from the latest
/// version, fetched and dropped as a `File`, becomes version 2.
async fn drag_and_drop(c: &Client) {
    c.execute(
        "const bytes = await (await fetch(location.pathname.replace(/\\/v\\/\\d+$/, '') + '/template.xlsx?from=latest')).arrayBuffer();
         const dt = new DataTransfer();
         dt.items.add(new File([bytes], '拖入.xlsx'));
         const drop = document.getElementById('drop');
         drop.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
         drop.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));",
        vec![],
    )
    .await
    .unwrap();
    wait_text(c, "#h-result", "三、第 2 版的检查结果").await;
    wait_text(c, "#status", "检查通过").await;
}

async fn bureau_flow(c: &Client, base: &str, bureau_link: &str) {
    c.goto(bureau_link).await.unwrap();
    let table = text(c, "#departments").await;
    let lines: Vec<&str> = table.lines().collect();
    let row = |name: &str| {
        lines
            .iter()
            .find(|l| l.contains(name))
            .copied()
            .unwrap_or("")
    };
    assert!(row("卢龙县公安局").contains("已提交"), "{table}");
    assert!(row("抚宁区农业农村局").contains("有错误"), "{table}");
    assert!(row("卢龙县公安局").contains("98.6"), "{table}");
    photograph(c, "bureau").await;
    for (css, kind) in [("#zip", "application/zip"), ("#summary", "spreadsheetml")] {
        let href = c
            .find(Locator::Css(css))
            .await
            .unwrap()
            .attr("href")
            .await
            .unwrap()
            .unwrap();
        let (status, headers, body) = http(base, "GET", &href, &[], b"").unwrap();
        assert_eq!(status, 200, "{href}");
        assert!(headers
            .iter()
            .any(|(k, v)| k == "content-type" && v.contains(kind)));
        assert!(body.starts_with(b"PK"));
    }
    // Inviting through the page shows the new link once.
    c.find(Locator::Css("#names"))
        .await
        .unwrap()
        .send_keys("昌黎县教育局")
        .await
        .unwrap();
    c.find(Locator::Css("#invite"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(text(c, "#links").await.contains("/d/"));
    photograph(c, "bureau-new-link").await;
}

#[test]
fn departments_and_the_bureau_in_chromium() {
    if !browser_available() {
        return;
    }
    let server = Listening::start();
    let base = server.base.clone();
    let s = &server.server;
    let good = format!("{base}/d/{}", s.invite("卢龙县公安局").as_str());
    let bad = format!("{base}/d/{}", s.invite("抚宁区农业农村局").as_str());
    let bureau = format!("{base}/b/{}", s.bureau.as_str());
    let (_driver, port) = start_driver();
    let profile = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let c = connect(port, profile.path()).await;
        department_flow(&c, &base, &good, &bad).await;
        bureau_flow(&c, &base, &bureau).await;
        c.close().await.unwrap();
    });
}
