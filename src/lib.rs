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
pub mod fuzz;
pub mod hash;
pub mod input;
pub mod layout;
pub mod ofd;
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
    let mut meta = markup::meta(
        &blocks,
        report.organization.trim(),
        &report.date.format("%Y-%m-%d").to_string(),
    );
    meta.facts = facts(report, &figures);
    Ok(Document { meta, blocks })
}

/// The key facts of a report for archive metadata (GB/T 33480 spirit), formatted as the report
/// prints them; a fact the report does not have (no score yet) is left out.
fn facts(report: &Report, figures: &figures::Figures) -> Vec<(String, String)> {
    let mut out = vec![
        ("部门".to_owned(), report.organization.trim().to_owned()),
        ("评价年度".to_owned(), report.fiscal_year.to_string()),
        (
            "成文日期".to_owned(),
            report.date.format("%Y-%m-%d").to_string(),
        ),
    ];
    if let Some(score) = figures.score {
        out.push(("综合考评得分".to_owned(), format::score(score)));
    }
    if let Some(grade) = figures.grade {
        out.push(("评价等次".to_owned(), grade.as_str().to_owned()));
    }
    let number = report.notice.number.trim();
    if !number.is_empty() {
        out.push(("文号".to_owned(), number.to_owned()));
    }
    out
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
