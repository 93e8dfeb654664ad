//! The web workbench over HTTP, in process: every route with a good request, a bad one, a
//! foreign token, a revoked token, an oversized body and the wrong method; the security headers;
//! the JSON contract of the upload; the bureau's downloads.

mod serve_support;

use std::io::Read;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use futures_util::StreamExt;
use serve_support::*;

const SAMPLE: &str = "samples/lulong-police-2021.yaml";
const BROKEN: &str = "tests/fixtures/xlsx/broken.xlsx";
const GOOD_XLSX: &str = "tests/fixtures/xlsx/lulong-lo.xlsx";

/// A department that uploaded the sample once; its token and the upload's JSON.
async fn uploaded(s: &Server) -> (String, serde_json::Value) {
    let t = s.invite("卢龙县公安局").as_str().to_owned();
    let a = s
        .upload(
            &format!("/d/{t}/upload"),
            &[("file", "卢龙.yaml", &file(SAMPLE))],
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    (t, a.json())
}

#[tokio::test]
async fn the_upload_answers_the_json_contract() {
    let s = Server::new();
    let (t, j) = uploaded(&s).await;
    assert_eq!(j["version"], 1);
    assert_eq!(j["ok"], true);
    assert_eq!(j["errors"].as_array().unwrap().len(), 0);
    assert!(
        !j["warnings"].as_array().unwrap().is_empty(),
        "the sample has a warning"
    );
    let w = &j["warnings"][0];
    assert!(
        w["where"].as_str().unwrap().starts_with("卢龙.yaml:"),
        "{w}"
    );
    assert!(w["field"].as_str().unwrap().starts_with("projects["));
    assert!(!w["message"].as_str().unwrap().is_empty());
    let f = &j["figures"];
    assert_eq!(f["annual"], "2647.933");
    assert_eq!(f["rate"], "100");
    assert_eq!(f["score"], "98.6");
    assert_eq!(f["grade"], "优");
    let files = &j["files"];
    for k in ["docx", "pdf", "ofd"] {
        assert_eq!(files[k], format!("/d/{t}/v/1/report.{k}"));
    }
    assert!(files["pages"].as_array().unwrap().len() >= 3);
}

#[tokio::test]
async fn downloads_are_the_rendered_files_with_safe_names() {
    let s = Server::new();
    let (t, j) = uploaded(&s).await;
    let pdf = s.get(j["files"]["pdf"].as_str().unwrap(), false).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.header("content-type"), "application/pdf");
    assert!(pdf.body.starts_with(b"%PDF-"));
    let cd = pdf.header("content-disposition");
    assert!(cd.contains("filename*=UTF-8''%E5%8D%A2"), "{cd}");
    assert!(cd.is_ascii());
    // The same bytes the CLI's pipeline makes for this input.
    let docx = s.get(&format!("/d/{t}/v/1/x.docx"), false).await;
    assert!(docx.body.starts_with(b"PK"));
    let ofd = s.get(&format!("/d/{t}/v/1/x.ofd"), false).await;
    assert!(ofd.body.starts_with(b"PK"));
    let svg = s.get(j["files"]["pages"][0].as_str().unwrap(), false).await;
    assert_eq!(svg.header("content-type"), "image/svg+xml");
    assert!(svg.text().contains("<svg"));
    for bad in [
        "x.exe",
        "page-0.svg",
        "page-99.svg",
        "..%2Fjixiao.sqlite",
        "x",
    ] {
        let a = s.get(&format!("/d/{t}/v/1/{bad}"), false).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{bad}");
    }
    assert_eq!(
        s.get(&format!("/d/{t}/v/2/x.pdf"), false).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_workbook_with_a_negative_amount_names_the_cell() {
    let s = Server::new();
    let t = s.invite("抚宁区农业农村局").as_str().to_owned();
    let a = s
        .upload(
            &format!("/d/{t}/upload"),
            &[("file", "坏表.xlsx", &file(BROKEN))],
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    let j = a.json();
    assert_eq!(j["ok"], false);
    assert_eq!(j["files"]["pdf"], serde_json::Value::Null);
    let errors = j["errors"].as_array().unwrap();
    let d7 = errors
        .iter()
        .find(|e| e["field"] == "projects[1].executed")
        .unwrap_or_else(|| panic!("{j}"));
    assert!(
        d7["where"].as_str().unwrap().contains("坏表.xlsx[项目]!D7"),
        "{d7}"
    );
    assert!(d7["message"].as_str().unwrap().contains("负数"));
    // A version with errors cannot be submitted.
    let sub = s.post(&format!("/d/{t}/submit/1"), true).await;
    assert_eq!(sub.status, StatusCode::CONFLICT);
    // The HTML page shows the error and its cell.
    let page = s.get(&format!("/d/{t}/v/1"), false).await.text();
    assert!(
        page.contains("[项目]!D7") && page.contains("有错误"),
        "{page}"
    );
}

#[tokio::test]
async fn versions_are_kept_and_one_is_submitted() {
    let s = Server::new();
    let (t, _) = uploaded(&s).await;
    let a = s
        .upload(
            &format!("/d/{t}/upload"),
            &[("file", "卢龙.xlsx", &file(GOOD_XLSX))],
        )
        .await;
    assert_eq!(a.json()["version"], 2);
    assert_eq!(a.json()["ok"], true);
    let sub = s.post(&format!("/d/{t}/submit/1"), true).await;
    assert_eq!(sub.status, StatusCode::OK);
    assert_eq!(sub.json()["submitted"], true);
    let all = s.get(&format!("/d/{t}"), true).await.json();
    let vs = all["versions"].as_array().unwrap();
    assert_eq!(vs.len(), 2);
    assert_eq!(
        (vs[0]["version"].as_i64(), vs[0]["submitted"].as_bool()),
        (Some(2), Some(false))
    );
    assert_eq!(
        (vs[1]["version"].as_i64(), vs[1]["submitted"].as_bool()),
        (Some(1), Some(true))
    );
    // The HTML form posts answer with a redirect to the version's page.
    let html = s.post(&format!("/d/{t}/submit/2"), false).await;
    assert_eq!(html.status, StatusCode::SEE_OTHER);
    assert_eq!(html.header("location"), format!("/d/{t}/v/2"));
    assert_eq!(
        s.post(&format!("/d/{t}/submit/9"), true).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn pages_render_in_chinese_with_security_headers() {
    let s = Server::new();
    let (t, _) = uploaded(&s).await;
    let page = s.get(&format!("/d/{t}"), false).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page
        .header("content-security-policy")
        .contains("default-src 'self'"));
    assert_eq!(page.header("x-content-type-options"), "nosniff");
    assert_eq!(page.header("referrer-policy"), "same-origin");
    let html = page.text();
    for want in [
        "卢龙县公安局",
        "检查通过",
        "98.6",
        "page-1.svg",
        "提交第 1 版",
        "lang=\"zh-CN\"",
    ] {
        assert!(html.contains(want), "{want}");
    }
    let b = s.get(&format!("/b/{}", s.bureau.as_str()), false).await;
    assert!(b.text().contains("卢龙县公安局") && b.text().contains("检查通过"));
    let css = s.get("/static/style.css", false).await;
    assert!(css.header("content-type").starts_with("text/css"));
    assert_eq!(
        s.get("/static/../Cargo.toml", false).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(s.get("/", false).await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_template_downloads_blank_and_prefilled() {
    let s = Server::new();
    let (t, _) = uploaded(&s).await;
    let blank = s.get(&format!("/d/{t}/template.xlsx"), false).await;
    assert_eq!(blank.status, StatusCode::OK);
    assert!(blank
        .header("content-disposition")
        .contains("filename*=UTF-8''"));
    let filled = s
        .get(&format!("/d/{t}/template.xlsx?from=latest"), false)
        .await;
    let back = jixiao::read::load_workbook_bytes("t.xlsx", &filled.body).unwrap();
    assert_eq!(back.report.organization, "卢龙县公安局");
    assert_ne!(blank.body, filled.body);
}

#[tokio::test]
async fn last_years_data_fills_the_template_by_organisation() {
    let s = Server::new();
    let b = s.bureau.as_str().to_owned();
    let t = s.invite("卢龙县公安局").as_str().to_owned();
    let a = s
        .upload(
            &format!("/b/{b}/last-year"),
            &[
                ("files", "lulong.yaml", &file(SAMPLE)),
                ("files", "x.yaml", b"not: [valid"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_eq!(a.json()["imported"], serde_json::json!(["卢龙县公安局"]));
    let page = s.get(&format!("/d/{t}"), false).await.text();
    assert!(page.contains("from=last-year"));
    let filled = s
        .get(&format!("/d/{t}/template.xlsx?from=last-year"), false)
        .await;
    let back = jixiao::read::load_workbook_bytes("t.xlsx", &filled.body).unwrap();
    assert_eq!(back.report.fiscal_year, 2021);
}

#[tokio::test]
async fn foreign_malformed_and_revoked_tokens_get_404() {
    let s = Server::new();
    let (t, _) = uploaded(&s).await;
    let other = s.invite("别的部门").as_str().to_owned();
    let b = s.bureau.as_str().to_owned();
    // Another department's token does not open this department's versions.
    assert_eq!(
        s.get(&format!("/d/{other}/v/1/x.pdf"), false).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        s.get(&format!("/d/{other}/v/1"), true).await.status,
        StatusCode::NOT_FOUND
    );
    // A department's token is not the bureau's, and the other way round.
    assert_eq!(
        s.get(&format!("/b/{t}"), true).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        s.get(&format!("/d/{b}"), true).await.status,
        StatusCode::NOT_FOUND
    );
    for bad in ["x", "../../etc/passwd", &"0".repeat(48), &t.to_uppercase()] {
        let a = s.get(&format!("/d/{bad}"), true).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{bad}");
        assert!(a.json()["error"].is_string());
    }
    // Revoked: the link stops working at once; a new link works, the old stays dead.
    let list = s.get(&format!("/b/{b}"), true).await.json();
    let id = list["departments"][0]["id"].as_i64().unwrap();
    let r = s
        .post(&format!("/b/{b}/departments/{id}/revoke"), true)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        s.get(&format!("/d/{t}"), false).await.status,
        StatusCode::NOT_FOUND
    );
    let up = s
        .upload(
            &format!("/d/{t}/upload"),
            &[("file", "a.yaml", &file(SAMPLE))],
        )
        .await;
    assert_eq!(up.status, StatusCode::NOT_FOUND);
    let fresh = s
        .post(&format!("/b/{b}/departments/{id}/new-link"), true)
        .await
        .json();
    let url = fresh["links"][0]["url"].as_str().unwrap();
    let path = url.strip_prefix("http://127.0.0.1:8080").unwrap();
    let again = s.get(path, true).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(
        again.json()["versions"].as_array().unwrap().len(),
        1,
        "history kept"
    );
    assert_eq!(
        s.get(&format!("/d/{t}"), false).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        s.post(&format!("/b/{b}/departments/999/revoke"), true)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        s.post(&format!("/b/{t}/departments/{id}/revoke"), true)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn oversized_uploads_get_413() {
    let s = Server::new();
    let t = s.invite("部门").as_str().to_owned();
    let big = vec![b'a'; jixiao::model::limits::MAX_FILE_BYTES + 1];
    // Announced: refused before the body is read.
    let body = multipart(&[("file", "big.yaml", &big)]);
    let r = Request::post(format!("/d/{t}/upload"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header("content-length", body.len().to_string())
        .header("accept", "application/json")
        .body(Body::from(body))
        .unwrap();
    assert_eq!(s.send(r).await.status, StatusCode::PAYLOAD_TOO_LARGE);
    // Streamed without a length: counted while it arrives.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = multipart(&[("file", "big.yaml", &big)])
        .chunks(64 * 1024)
        .map(|c| Ok(c.to_vec()))
        .collect();
    let r = Request::post(format!("/d/{t}/upload"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header("accept", "application/json")
        .body(Body::from_stream(futures_util::stream::iter(chunks)))
        .unwrap();
    let a = s.send(r).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", a.text());
    // Nothing was stored.
    let v = s.get(&format!("/d/{t}"), true).await.json();
    assert_eq!(v["versions"].as_array().unwrap().len(), 0);
    // A file exactly at the limit is read (and is an input error, not a 413).
    let at = vec![b'#'; jixiao::model::limits::MAX_FILE_BYTES];
    let a = s
        .upload(&format!("/d/{t}/upload"), &[("file", "at.yaml", &at)])
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_eq!(a.json()["ok"], false);
}

#[tokio::test]
async fn a_trickling_upload_times_out_with_408() {
    let s = Server::with(|c| c.request_timeout = std::time::Duration::from_millis(500));
    let t = s.invite("部门").as_str().to_owned();
    let start = multipart(&[("file", "a.yaml", b"x")]);
    let first: Result<Vec<u8>, std::io::Error> = Ok(start[..start.len() / 2].to_vec());
    let stalled = futures_util::stream::iter([first]).chain(futures_util::stream::pending());
    let r = Request::post(format!("/d/{t}/upload"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header("accept", "application/json")
        .body(Body::from_stream(stalled))
        .unwrap();
    assert_eq!(s.send(r).await.status, StatusCode::REQUEST_TIMEOUT);
}

#[tokio::test]
async fn bad_uploads_are_400_and_wrong_methods_405() {
    let s = Server::new();
    let t = s.invite("部门").as_str().to_owned();
    let b = s.bureau.as_str().to_owned();
    let a = s
        .upload(&format!("/d/{t}/upload"), &[("other", "a.yaml", b"x")])
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    let r = Request::post(format!("/d/{t}/upload"))
        .header("content-type", "text/plain")
        .body(Body::from("hello"))
        .unwrap();
    assert_eq!(s.send(r).await.status, StatusCode::BAD_REQUEST);
    // Hostile bytes are an input error with a message, not a failure.
    let a = s
        .upload(
            &format!("/d/{t}/upload"),
            &[("file", "z.xlsx", b"PK\x03\x04garbage")],
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json()["ok"], false);
    assert!(!a.json()["errors"].as_array().unwrap().is_empty());
    for (method, uri) in [
        ("GET", format!("/d/{t}/upload")),
        ("GET", format!("/d/{t}/submit/1")),
        ("POST", format!("/d/{t}/template.xlsx")),
        ("DELETE", format!("/d/{t}")),
        ("POST", format!("/b/{b}/summary.xlsx")),
        ("GET", format!("/b/{b}/departments")),
        ("PUT", format!("/b/{b}/defaults")),
    ] {
        let r = Request::builder()
            .method(method)
            .uri(&uri)
            .body(Body::empty())
            .unwrap();
        assert_eq!(
            s.send(r).await.status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {uri}"
        );
    }
}

#[tokio::test]
async fn a_foreign_origin_is_refused_on_every_post() {
    let s = Server::new();
    let t = s.invite("部门").as_str().to_owned();
    let b = s.bureau.as_str().to_owned();
    for uri in [
        format!("/d/{t}/upload"),
        format!("/d/{t}/submit/1"),
        format!("/b/{b}/departments"),
        format!("/b/{b}/departments/1/revoke"),
        format!("/b/{b}/departments/1/new-link"),
        format!("/b/{b}/defaults"),
        format!("/b/{b}/last-year"),
    ] {
        let r = Request::post(&uri)
            .header("origin", "http://evil.example")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from("names=x"))
            .unwrap();
        let a = s.send(r).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{uri}");
        assert!(a
            .header("content-security-policy")
            .contains("default-src 'self'"));
    }
    let d = s.get(&format!("/b/{b}"), true).await.json();
    assert_eq!(
        d["departments"].as_array().unwrap().len(),
        1,
        "nothing was added"
    );
}

#[tokio::test]
async fn the_bureau_invites_sees_statuses_and_downloads() {
    let s = Server::new();
    let b = s.bureau.as_str().to_owned();
    let names = form_value("卢龙县公安局\n抚宁区农业农村局\n\n  \n昌黎县教育局");
    let a = s
        .post_form(
            &format!("/b/{b}/departments"),
            &format!("names={names}"),
            true,
        )
        .await;
    let links = a.json()["links"].as_array().unwrap().clone();
    assert_eq!(links.len(), 3, "blank lines are skipped");
    let path = |i: usize| {
        links[i]["url"]
            .as_str()
            .unwrap()
            .strip_prefix("http://127.0.0.1:8080")
            .unwrap()
            .to_owned()
    };
    let html = s
        .post_form(
            &format!("/b/{b}/departments"),
            "names=%E4%B8%81%E5%B1%80",
            false,
        )
        .await;
    assert!(
        html.text().contains("新链接（只显示这一次"),
        "the new link is shown once"
    );
    let (d0, d1) = (path(0), path(1));
    s.upload(
        &format!("{d0}/upload"),
        &[("file", "a.yaml", &file(SAMPLE))],
    )
    .await;
    s.post(&format!("{d0}/submit/1"), true).await;
    s.upload(
        &format!("{d1}/upload"),
        &[("file", "b.xlsx", &file(BROKEN))],
    )
    .await;
    let list = s.get(&format!("/b/{b}"), true).await.json();
    let status: Vec<&str> = list["departments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["status"].as_str().unwrap())
        .collect();
    assert_eq!(status, ["已提交", "有错误", "未上传", "未上传"]);
    assert_eq!(list["departments"][0]["figures"]["score"], "98.6");
    let sorted = s.get(&format!("/b/{b}?sort=name"), true).await.json();
    // By name (code point order): 丁局, added last, comes first.
    assert_eq!(sorted["departments"][0]["name"], "丁局");
    // The summary workbook: the CLI's writer over the submitted version, every department a row.
    let x = s.get(&format!("/b/{b}/summary.xlsx"), false).await;
    assert_eq!(x.status, StatusCode::OK);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&x.body)).unwrap();
    let mut strings = String::new();
    zip.by_name("xl/sharedStrings.xml")
        .unwrap()
        .read_to_string(&mut strings)
        .unwrap();
    for want in ["卢龙县公安局", "已提交", "未提交", "昌黎县教育局"] {
        assert!(strings.contains(want), "{want}");
    }
    // The zip: the submitted report only, DOCX + PDF, and OFD when asked.
    let z = s.get(&format!("/b/{b}/reports.zip"), false).await;
    let zip = zip::ZipArchive::new(std::io::Cursor::new(&z.body)).unwrap();
    let names: Vec<&str> = zip.file_names().collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.iter().all(|n| n.starts_with("卢龙县公安局-1/")));
    let z = s.get(&format!("/b/{b}/reports.zip?ofd=1"), false).await;
    assert_eq!(
        zip::ZipArchive::new(std::io::Cursor::new(&z.body))
            .unwrap()
            .len(),
        3
    );
    assert_eq!(
        s.get(
            &format!("/d/{}/summary.xlsx", d0.trim_start_matches("/d/")),
            false
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn new_county_defaults_recheck_every_latest_version() {
    let s = Server::new();
    let b = s.bureau.as_str().to_owned();
    let (t, _) = uploaded(&s).await;
    s.post(&format!("/d/{t}/submit/1"), true).await;
    // A broken defaults file makes every department's latest version fail (with the defaults
    // file named) and withdraws the submission.
    let bad = b"notice: [unclosed\n";
    let a = s
        .upload(
            &format!("/b/{b}/defaults"),
            &[("file", "_defaults.yaml", bad)],
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_eq!(a.json()["rechecked"], 1);
    let v = s.get(&format!("/d/{t}/v/1"), true).await.json();
    assert_eq!(v["ok"], false, "{v}");
    assert!(
        v["errors"][0]["where"]
            .as_str()
            .unwrap()
            .contains("_defaults.yaml"),
        "{v}"
    );
    let list = s.get(&format!("/b/{b}"), true).await.json();
    assert_eq!(list["departments"][0]["status"], "有错误");
    // A good one (the department's own values win) makes it pass again.
    let good = b"seal: true\n";
    s.upload(
        &format!("/b/{b}/defaults"),
        &[("file", "_defaults.yaml", good)],
    )
    .await;
    let v = s.get(&format!("/d/{t}/v/1"), true).await.json();
    assert_eq!(v["ok"], true, "{v}");
    let page = s.get(&format!("/b/{b}"), false).await.text();
    assert!(page.contains("_defaults.yaml"));
}

#[tokio::test]
async fn a_full_render_queue_answers_503_with_retry_after() {
    let s = Server::with(|c| {
        c.workers = 1;
        c.queue = 0;
    });
    let t = s.invite("部门").as_str().to_owned();
    // Hold the only worker.
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let app = s.app.clone();
    let hold = tokio::spawn(async move { app.pool.run(move || rx.recv().is_ok()).await });
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let a = s
        .upload(
            &format!("/d/{t}/upload"),
            &[("file", "a.yaml", &file(SAMPLE))],
        )
        .await;
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(a.header("retry-after").parse::<u32>().unwrap() > 0);
    tx.send(()).unwrap();
    hold.await.unwrap().unwrap();
    let a = s
        .upload(
            &format!("/d/{t}/upload"),
            &[("file", "a.yaml", &file(SAMPLE))],
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
}

#[tokio::test]
async fn restart_keeps_everything_and_prints_the_same_bureau_link() {
    let s = Server::new();
    let (t, _) = uploaded(&s).await;
    let config = jixiao::serve::Config::new(s.data(), "http://127.0.0.1:8080");
    let (app, bureau) = jixiao::serve::App::open(&config).unwrap();
    assert_eq!(bureau.as_str(), s.bureau.as_str());
    let d = jixiao::serve::link::department_of(&app, &t)
        .unwrap()
        .unwrap();
    let v = app.store.versions(d.id).unwrap();
    assert_eq!(v.len(), 1);
    for h in v[0].data.files.hashes() {
        assert!(app.files.has(h));
    }
    // The database holds hashes only: no token is stored in clear.
    let db = std::fs::read(s.data().join("jixiao.sqlite")).unwrap();
    let wal = std::fs::read(s.data().join("jixiao.sqlite-wal")).unwrap_or_default();
    for bytes in [&db, &wal] {
        assert!(!bytes.windows(48).any(|w| w == t.as_bytes()));
    }
}
