//! Errors and warnings the types cannot express. (PLACEHOLDER: to be replaced by the input work.)

use crate::diagnostics::Diagnostic;
use crate::input::Loaded;

/// Runs every check of `input-format.md` on a loaded input.
pub fn check(loaded: &Loaded) -> Vec<Diagnostic> {
    let _ = loaded;
    Vec::new()
}
