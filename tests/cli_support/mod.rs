//! Test helpers for the command-line tests: run the real `jixiao` binary and read what it said.

#![allow(dead_code)]

use std::process::{Command, Output};

/// Runs the `jixiao` binary built for these tests with `args`.
pub fn jixiao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .output()
        .expect("jixiao runs")
}

/// Its standard error, as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
