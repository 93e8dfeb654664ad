//! The YAML contract (`input-format.md`): loading, the typed model, and the checks.
//!
//! `load` turns bytes into a [`model::Report`] plus the source positions of every value;
//! `check` finds the errors and warnings that the types alone cannot express.

pub mod check;
pub mod load;
pub mod model;

pub use load::{load_path, load_str, LoadOptions, Loaded};
