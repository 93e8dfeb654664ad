//! jixiao (绩效): a department's year, as YAML or an Excel 填报模板, → the 部门绩效自评工作报告
//! as DOCX, PDF and OFD in the GB/T 9704-2012 layout.
//!
//! The pipeline runs one way, one stage a folder:
//!
//! ```text
//! bytes ─read─▶ model ─check─▶ diagnostics
//!               model ─compute─▶ figures ─document─▶ Document ─write::docx─▶ DOCX
//!                                                   Document ─layout─▶ pages ─write::{pdf, ofd}─▶ PDF, OFD
//! ```
//!
//! [`check_input`] and [`render_checked`] are the whole pipeline for one input held in memory;
//! the command line (`run::batch`), the fuzz harness and any other front end call these two and
//! nothing else, so there is one copy of the pipeline. `run/` adds files, folders, atomic output
//! and the county summary around it. See `docs/architecture.md`.

pub mod check;
pub mod compute;
pub mod diagnostic;
pub mod display;
pub mod document;
pub mod forms;
pub mod layout;
pub mod model;
pub mod read;
pub mod run;
pub mod serve;
pub mod write;

pub use read::{Input, LoadOptions};
pub use run::pipeline::{
    check_input, render_checked, Checked, Format, Formats, Rendered, Resources,
};
