//! The YAML contract (`input-format.md`): loading, the typed model, and the checks.
//!
//! `load` turns bytes into a [`model::Report`] plus the source positions of every value
//! (`positions`); `schema` is the field table behind the structural checks, `jixiao schema` and
//! the starter file; `check` finds the errors and warnings that the types alone cannot express.

pub mod check;
pub mod load;
pub mod model;
pub mod positions;
pub mod schema;
pub mod starter;

pub use load::{
    load_path, load_path_with_defaults, load_sources, load_str, place, LoadOptions, Loaded, Source,
};
pub use starter::starter_yaml;

/// The JSON Schema of the input file (`jixiao schema`), pretty-printed, descriptions in Chinese.
pub fn schema_json() -> String {
    serde_json::to_string_pretty(&schema::json_schema()).unwrap_or_default()
}
