//! The typed, bounded model of one department's report, and the contract it is read against.
//!
//! - `report`: the types a checked input becomes ([`report::Report`], and [`report::Amount`],
//!   which cannot hold a value outside its limits);
//! - `schema`: the field table: every field's path, kind, bound and Chinese description, which
//!   the reader walks, the JSON Schema prints and the workbook form names;
//! - `limits`: every limit of `docs/input-format.md`, each with its reason;
//! - `workbook`: the 填报模板 as data: sheets, one-field-a-row lines and table columns, each tied
//!   to a field path of `schema`. The reader and the writer of workbooks share it.

pub mod limits;
pub mod report;
pub mod schema;
pub mod workbook;

pub use report::Report;
