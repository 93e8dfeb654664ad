//! The YAML contract (`input-format.md`): loading, the typed model, and the checks.
//!
//! One stage a file, in pipeline order:
//! - `source`: bytes → text (byte budget, UTF-8 / BOM / GBK);
//! - `yaml`: text → [`tree::Node`] tree with source marks, within the limits of `limits`;
//! - `merge`: the department tree laid over the defaults trees;
//! - `walk`: the tree against the field table of `schema` (all unknown / missing / wrong fields);
//! - `deserialize`: tree → typed [`model::Report`] (serde), serde errors in Chinese;
//! - `load`: the orchestration of the above, and [`Loaded`], which keeps the positions;
//! - `check`: the errors and warnings that the types alone cannot express.

pub mod check;
pub mod deserialize;
pub mod limits;
pub mod load;
pub mod merge;
pub mod model;
pub mod schema;
pub mod source;
pub mod starter;
pub mod tree;
pub mod walk;
pub mod yaml;

pub use load::{
    load_path, load_path_with_defaults, load_sources, load_str, place, LoadOptions, Loaded, Source,
};
pub use starter::starter_yaml;

/// The JSON Schema of the input file (`jixiao schema`), pretty-printed, descriptions in Chinese.
pub fn schema_json() -> String {
    serde_json::to_string_pretty(&schema::json_schema()).unwrap_or_default()
}
