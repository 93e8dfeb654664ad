//! Reading an input: bytes → positioned tree → typed model, within every limit.
//!
//! One stage a file, in pipeline order:
//! - `source`: bytes → text (byte budget, UTF-8 / BOM / GBK);
//! - `yaml`: text → [`tree::Node`] tree with source marks, within the limits of
//!   [`crate::model::limits`];
//! - `pdf`: the YAML a PDF written with `--attach-source` carries, read as a YAML input;
//! - `xlsx/`: a workbook's cells → the same tree, with positions that number cells (`cells`);
//! - `merge`: the department tree laid over the defaults trees;
//! - `shape`: the tree against the field table of [`crate::model::schema`] (every unknown,
//!   missing or wrongly typed field, with a did-you-mean hint);
//! - `slips`: hints for the usual slips in a value (`12.5万元`, `３８`, `1,234`, `√`);
//! - `deserialize`: tree → typed [`crate::model::Report`] (serde), serde errors in Chinese;
//! - `load`: the orchestration of the above, and [`Loaded`], which keeps the positions that the
//!   checks (`crate::check`) place their diagnostics at.

pub mod cells;
pub mod deserialize;
pub mod load;
pub mod merge;
pub mod pdf;
pub mod shape;
pub mod slips;
pub mod source;
pub mod tree;
pub mod xlsx;
pub mod yaml;

pub use load::{
    department_name, load_inputs, load_path, load_path_with_defaults, load_sources, load_str,
    load_workbook_bytes, place, Input, LoadOptions, Loaded, Source,
};
