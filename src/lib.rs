//! jixiao (绩效): YAML → 部门绩效自评工作报告 as DOCX and PDF in the GB/T 9704-2012 layout.
//!
//! The pipeline, one way: load → check → figures → document → writers.

pub mod diagnostics;
pub mod document;
pub mod input;
pub mod layout;
pub mod pdf;
pub mod scoring;
