//! jixiao (绩效): YAML → 部门绩效自评工作报告 as DOCX and PDF in the GB/T 9704-2012 layout.
//!
//! The pipeline, one way: load → check → figures → document → writers.
//! [`build_document`] is the middle of it: a loaded, checked report becomes the document model
//! that both writers consume.

pub mod batch;
pub mod diagnostics;
pub mod document;
pub mod docx;
pub mod figures;
pub mod format;
pub mod input;
pub mod layout;
pub mod output;
pub mod pdf;
pub mod rate;
pub mod render;
pub mod samplegen;
pub mod scorecard;
pub mod scoring;
pub mod summary;
pub mod template;

use document::{Document, Table};
use input::model::Report;
use template::{markup, Template, TemplateError};

/// Every check of a loaded input: those of `input-format.md` (`input::check`) and those of
/// `scoring.md` (indicators, weights, the department score and its grade), placed at their
/// lines and sorted by position.
pub fn check(loaded: &input::Loaded) -> Vec<diagnostics::Diagnostic> {
    input::check::check_with(loaded, &[scoring::validate])
}

/// Report → document through a template.
pub fn build_document(report: &Report, template: &Template) -> Result<Document, TemplateError> {
    let figures = figures::compute(report);
    let ctx = template::view::context(report, &figures);
    let text = template.render(&ctx)?;
    let tables = Scorecards { report };
    let blocks = markup::parse(&text, &tables).map_err(|e| TemplateError {
        file: template.name().to_owned(),
        line: 0,
        message: format!("模板输出第 {} 行：{}", e.line, e.message),
    })?;
    let meta = markup::meta(
        &blocks,
        report.organization.trim(),
        &report.date.format("%Y-%m-%d").to_string(),
    );
    Ok(Document { meta, blocks })
}

/// The 自评表 of each project with indicators.
struct Scorecards<'a> {
    report: &'a Report,
}

impl markup::Tables for Scorecards<'_> {
    fn scorecard(&self, n: usize) -> Option<Table> {
        let p = self.report.projects.get(n.checked_sub(1)?)?;
        if p.indicators.is_empty() {
            return None;
        }
        Some(scorecard::table(
            self.report,
            n - 1,
            &scoring::score_project(p),
        ))
    }
}
