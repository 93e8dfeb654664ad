//! A checked report and its figures → the document model, through the template.
//!
//! This is the one place where the three upstream products meet: the model (what the department
//! wrote), the figures (what we computed from it) and the template (how the report words it).
//! The template sees both through [`super::view`] and emits line markup; [`super::markup`] turns
//! that into blocks, asking [`Scorecards`] for each 自评表 the markup names.

use super::markup;
use super::template::{Template, TemplateError};
use super::{Document, Table};
use crate::compute::figures::Figures;
use crate::display;
use crate::model::report::Report;

/// Report → document through a template.
pub fn build_document(
    report: &Report,
    figures: &Figures,
    template: &Template,
) -> Result<Document, TemplateError> {
    let ctx = super::view::context(report, figures);
    let text = template.render(&ctx)?;
    let tables = Scorecards { report, figures };
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
    meta.facts = facts(report, figures);
    Ok(Document { meta, blocks })
}

/// The key facts of a report for archive metadata (GB/T 33480 spirit), formatted as the report
/// prints them; a fact the report does not have (no score yet) is left out.
fn facts(report: &Report, figures: &Figures) -> Vec<(String, String)> {
    let mut out = vec![
        ("部门".to_owned(), report.organization.trim().to_owned()),
        ("评价年度".to_owned(), report.fiscal_year.to_string()),
        (
            "成文日期".to_owned(),
            report.date.format("%Y-%m-%d").to_string(),
        ),
    ];
    if let Some(score) = figures.score {
        out.push(("综合考评得分".to_owned(), display::score(score)));
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
    figures: &'a Figures,
}

impl markup::Tables for Scorecards<'_> {
    fn scorecard(&self, n: usize) -> Option<Table> {
        let i = n.checked_sub(1)?;
        let score = self.figures.project_scores.get(i)?.as_ref()?;
        Some(super::scorecard::table(self.report, i, score))
    }
}
