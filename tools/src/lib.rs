//! jixiao's development tools, kept out of the product: the structure-aware fuzz harness
//! (`fuzz`), the generator of fictitious departments for benchmarks and trials (`samplegen`),
//! and helpers that let their tests find the repository and the built `jixiao` binary.

pub mod fuzz;
pub mod samplegen;

use std::path::PathBuf;

/// The repository's root folder (the product's crate), where `samples/` and `tests/fixtures/`
/// live.
pub fn repo_root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// The `jixiao` binary of the same build: `JIXIAO_BIN` when set, else `target/<profile>/jixiao`
/// beside the running test or example (`cargo test` at the workspace root builds it, because
/// the product's own integration tests need it).
pub fn jixiao_binary() -> PathBuf {
    if let Some(p) = std::env::var_os("JIXIAO_BIN") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().expect("the running executable's path");
    let mut dir = exe.parent().map(PathBuf::from).unwrap_or_default();
    if dir.ends_with("deps") || dir.ends_with("examples") {
        dir.pop();
    }
    let bin = dir.join(format!("jixiao{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.is_file(),
        "{} not found: build it first (`cargo build`), or set JIXIAO_BIN",
        bin.display()
    );
    bin
}
