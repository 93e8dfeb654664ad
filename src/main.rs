//! The `jixiao` binary: the command line ([`cli`]) over the library's pipeline.

mod cli;

use std::process::ExitCode;

/// mimalloc: the PDF writer's font subsetting allocates heavily (a fifth of its time went to
/// glibc malloc/free); a faster allocator shortens every render.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    cli::run()
}
