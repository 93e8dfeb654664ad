//! What writes the input formats, for people to fill in: the starter YAML, a model written back
//! as YAML, the 填报模板 workbook, and conversion between them.
//!
//! These sit beside the pipeline, not in it: they read a model (through `read/`) and write the
//! files a department edits, so the reader and these writers share one field table
//! (`model::schema`) and one workbook layout (`model::workbook`).

pub mod convert;
pub mod starter;
pub mod xlsx;
pub mod yaml;

pub use starter::starter_yaml;
