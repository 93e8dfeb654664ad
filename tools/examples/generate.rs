//! Writes N synthetic department inputs (`jixiao_tools::samplegen`) into a folder, for trying batch
//! mode by hand: `cargo run -p jixiao-tools --example generate -- OUT_DIR [N]` then `jixiao render OUT_DIR`.

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!(
            "用法: cargo run -p jixiao-tools --example generate -- 输出文件夹 [数量，默认 100]"
        );
        std::process::exit(2);
    };
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(100);
    let dir = std::path::PathBuf::from(dir);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("无法创建 {}：{e}", dir.display());
        std::process::exit(1);
    }
    for i in 0..n {
        let path = dir.join(format!("dept-{i:03}.yaml"));
        if let Err(e) = std::fs::write(&path, jixiao_tools::samplegen::department_yaml(i)) {
            eprintln!("无法写入 {}：{e}", path.display());
            std::process::exit(1);
        }
    }
    eprintln!("已写出 {n} 个输入到 {}", dir.display());
}
