//! The content rules that the types alone cannot express, each diagnostic placed at its value's
//! line or cell: `report` holds those of `docs/input-format.md`, `scoring` those of
//! `docs/scoring.md` (indicators, weights, the department score and its grade).

pub mod report;
pub mod scoring;

use crate::diagnostic::Diagnostic;
use crate::read::Loaded;

/// Every check of a loaded input, placed at its lines and sorted by position.
pub fn run(loaded: &Loaded) -> Vec<Diagnostic> {
    report::check_with(loaded, &[scoring::validate])
}
