//! `jixiao serve` (the web workbench) and `jixiao invite` (department links from the command
//! line, also while the server runs).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use jixiao::serve::{App, Config};

/// The base URL `serve` last used, so that `invite` prints the same links.
const BASE_URL_FILE: &str = "base-url.txt";

/// `jixiao serve`.
#[derive(Args)]
pub struct ServeArgs {
    /// 数据文件夹（数据库 jixiao.sqlite 和上传、生成的文件都放在这里）
    #[arg(long, value_name = "文件夹")]
    data: PathBuf,
    /// 监听地址；办公网内使用时写 0.0.0.0:8080
    #[arg(long, value_name = "地址", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// 链接的前缀，如 http://10.0.0.5:8080（默认按监听地址）
    #[arg(long, value_name = "网址")]
    base_url: Option<String>,
    /// 同时生成报告的数量（默认：CPU 核数）
    #[arg(long, value_name = "数量")]
    workers: Option<usize>,
    /// 排队等候生成的上传数上限，超过时回答“服务器正忙”（默认：每个生成线程 16 个）
    #[arg(long, value_name = "数量")]
    queue: Option<usize>,
}

/// `jixiao invite`.
#[derive(Args)]
pub struct InviteArgs {
    /// 数据文件夹（与 serve 相同）
    #[arg(long, value_name = "文件夹")]
    data: PathBuf,
    /// 链接的前缀（默认：serve 上次使用的）
    #[arg(long, value_name = "网址")]
    base_url: Option<String>,
    /// 部门名称，一个或多个
    #[arg(required = true, value_name = "名称")]
    names: Vec<String>,
}

/// Runs the server until it is stopped.
pub fn serve(args: &ServeArgs) -> ExitCode {
    let base = args
        .base_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", args.listen));
    let mut config = Config::new(&args.data, &base);
    if let Some(n) = args.workers {
        config.workers = n.max(1);
        config.queue = config.workers * 16;
    }
    if let Some(q) = args.queue {
        config.queue = q;
    }
    let (app, bureau) = match App::open(&config) {
        Ok(x) => x,
        Err(e) => return super::failure(&e),
    };
    let _ = std::fs::write(args.data.join(BASE_URL_FILE), &config.base_url);
    if !args.listen.ip().is_loopback() {
        eprintln!(
            "警告: 正在监听 {}，办公网内的电脑都能访问；传输是未加密的 HTTP，除非前面有 TLS 代理（如 nginx）。",
            args.listen
        );
    }
    println!("财政局链接: {}", app.bureau_link(&bureau));
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return super::failure(&format!("无法启动：{e}")),
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(args.listen).await {
            Ok(l) => l,
            Err(e) => return super::failure(&format!("无法监听 {}：{e}", args.listen)),
        };
        println!("正在服务 {}（按 Ctrl+C 停止）", config.base_url);
        match jixiao::serve::serve(app, listener).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => super::failure(&e.to_string()),
        }
    })
}

/// Prints `名称<TAB>链接` per new department.
pub fn invite(args: &InviteArgs) -> ExitCode {
    let base = args
        .base_url
        .clone()
        .or_else(|| saved_base_url(&args.data))
        .unwrap_or_else(|| "http://127.0.0.1:8080".to_owned());
    let base = base.trim_end_matches('/');
    let db = args.data.join("jixiao.sqlite");
    if !db.is_file() {
        return super::failure(&format!(
            "{} 里没有数据库：请先运行 jixiao serve --data {}",
            args.data.display(),
            args.data.display()
        ));
    }
    let store = match jixiao::serve::sqlite::SqliteStore::open(&db) {
        Ok(s) => s,
        Err(e) => return super::failure(&e.to_string()),
    };
    match jixiao::serve::app::invite(&store, &args.names) {
        Ok(list) => {
            for (d, t) in list {
                println!("{}\t{base}/d/{}", d.name, t.as_str());
            }
            ExitCode::SUCCESS
        }
        Err(e) => super::failure(&e),
    }
}

fn saved_base_url(data: &Path) -> Option<String> {
    let s = std::fs::read_to_string(data.join(BASE_URL_FILE)).ok()?;
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}
