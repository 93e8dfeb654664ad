//! Structure-aware fuzzing of the whole pipeline: mutate the samples, drive `check`
//! and the full render in process and the real binary in a subprocess, and report what panics,
//! aborts, hangs, blows up memory or writes a broken file.
//!
//! # Engine, and why
//!
//! A hand-rolled, structure-aware mutator ([`mutate`]) driven by a seeded SplitMix64
//! ([`rng`]), on stable Rust, with no new dependency.
//!
//! - `cargo fuzz` (libFuzzer) needs a nightly compiler for its sanitizer flags; nightly cannot be
//!   installed here, and `RUSTC_BOOTSTRAP=1` on stable is a hack the project should not depend
//!   on. `afl.rs` needs `cargo afl` and the AFL++ runtime installed on every developer machine
//!   and on Windows does not run at all. Both would also be one more toolchain for the county's
//!   developers to keep working.
//! - Coverage guidance matters most when the input format must be discovered byte by byte. Here
//!   it is known: YAML with a documented schema, and the bugs found so far sat behind valid
//!   structure (an amount that overflows in the figures, a title that makes balancing cubic, a
//!   control character that reaches the DOCX). Mutations that keep the structure and change one
//!   value to something hostile reach those stages directly; a coverage-guided byte fuzzer
//!   spends most of its time in the YAML parser.
//! - `proptest` (already a dev-dependency) generates values from strategies and shrinks them;
//!   its model fits typed values, not "this file with one line changed", and its runner has no
//!   answer to aborts and hangs. `arbitrary` would only replace our PRNG with a byte buffer.
//! - Every case is a pure function of (seed, kind, index): a finding is named `render #4711 of
//!   seed 1` and regenerates on any machine, without storing a corpus; the saved input is there
//!   for convenience.
//!
//! What it does not do: learn from coverage. The edit classes ([`mutate`]) are the hardening
//! list (extreme numbers, deleted/duplicated/swapped lines, swapped values, Unicode, control
//! characters, long strings, repeated ordinals, deep nesting, aliases, tags, duplicate keys,
//! GBK and invalid bytes, BOMs, counts, years, dates, indicator targets); a new class of input
//! needs a new edit.
//!
//! # Parts
//!
//! [`drive`] runs one case in process (panics caught, outputs checked); [`campaign`] runs many
//! in supervised worker processes (aborts and hangs become findings, not the end of the run);
//! [`binary`] runs the real binary per case; [`findings`] counts and saves what a run found;
//! [`exec`] watches a child process (timeout, peak RSS);
//! [`alloc`] counts allocations per case; [`minimize`] shrinks a failing input. The developer's
//! command is `cargo run --release -p jixiao-tools --example fuzz` (README, 开发).

pub mod alloc;
pub mod binary;
pub mod campaign;
pub mod drive;
pub mod exec;
pub mod findings;
pub mod minimize;
pub mod mutate;
pub mod rng;
pub mod seeds;

/// Which driver a case is for. Each kind has its own sequence of cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Load and check, in process.
    Check = 0,
    /// Load, check and the whole render to bytes, in process.
    Render = 1,
    /// `jixiao check` and `jixiao render` as a subprocess on a temporary file.
    Exec = 2,
}

impl Kind {
    /// Lower-case name, as in findings (`render #12`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Check => "check",
            Kind::Render => "render",
            Kind::Exec => "exec",
        }
    }

    /// Parses [`Kind::name`].
    pub fn from_name(s: &str) -> Option<Kind> {
        [Kind::Check, Kind::Render, Kind::Exec]
            .into_iter()
            .find(|k| k.name() == s)
    }
}
