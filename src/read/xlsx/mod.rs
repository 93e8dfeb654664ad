//! Reading Excel workbooks: the 填报模板 a department fills in Excel or WPS 表格,
//! read into the same tree as a YAML file, and written from a model.
//!
//! - `form`: the template as data — sheets, one-field-a-row lines, table columns, each tied to a
//!   field path of `model::schema`;
//! - `guard`: the zip screen in front of calamine (entry count, inflated bytes, shared-string
//!   counts), so a hostile workbook is one file's error;
//! - `read`: cells → [`crate::read::tree::Node`] tree with positions that name cells
//!   (`cells.rs`), floats through their shortest decimal;
//! - `write`: model → workbook (rust_xlsxwriter) with notes, validation and frozen headers.
//!
//! Reading ends in the YAML path's tree: `load.rs` merges it over the defaults, walks it,
//! deserializes and checks it exactly as it does a YAML file's, so every limit and check applies
//! and nothing is bypassed.

pub mod guard;
pub mod read;

use std::path::Path;

/// Whether a path names a workbook this module reads (`.xlsx`, any case).
pub fn is_workbook(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

pub use read::{build, read_sheets, Read};
