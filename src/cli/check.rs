//! `jixiao check` and `jixiao summary`: every input checked in turn, its diagnostics printed;
//! `summary` also writes the county table.

use super::report::report_problems;
use super::{failure, usage_error, InputArgs};
use jixiao::diagnostic::{self, Diagnostic};
use jixiao::run::batch;
use jixiao::run::pipeline::{self, Checked};
use std::path::Path;
use std::process::ExitCode;

/// Prints a checked input's diagnostics with their source lines.
fn print_diagnostics(checked: &Checked) {
    if !checked.diagnostics.is_empty() {
        let source = checked.loaded.as_ref().map(|l| l.text.as_str());
        eprint!("{}", diagnostic::render(&checked.diagnostics, source));
    }
}

pub(super) fn check(input: &InputArgs, deny_warnings: bool) -> ExitCode {
    let found = match batch::collect_inputs(&input.inputs, None, &input.defaults) {
        Ok(j) => j,
        Err(e) => return usage_error(&e),
    };
    report_problems(&found.problems);
    let mut failed = found.problems.iter().filter(|p| p.failure).count();
    batch::check_each(&found.jobs, &input.load_options(), &mut |job, checked| {
        let diags = match checked {
            Ok(c) => {
                print_diagnostics(&c);
                c.diagnostics
            }
            Err(e) => {
                eprintln!("{}: 错误: {e}", job.input.display());
                failed += 1;
                return;
            }
        };
        if diags
            .iter()
            .any(|d: &Diagnostic| d.is_error() || deny_warnings)
        {
            failed += 1;
        } else {
            let warned = if diags.is_empty() {
                String::new()
            } else {
                format!("（{} 个警告）", diags.len())
            };
            eprintln!("{}: 检查通过{warned}", job.input.display());
        }
    });
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

pub(super) fn summary(input: &InputArgs, output: &Path) -> ExitCode {
    if let Err(e) = jixiao::run::summary::Kind::of(output) {
        return usage_error(&e);
    }
    let found = match batch::collect_inputs(&input.inputs, None, &input.defaults) {
        Ok(j) => j,
        Err(e) => return usage_error(&e),
    };
    let protected = jixiao::run::atomic::Protected::new(batch::read_files(&found.jobs));
    if protected.contains(output) {
        return failure(&format!(
            "汇总表 {} 就是一个输入文件：为了不覆盖输入，没有写出汇总表；请换一个文件名",
            output.display()
        ));
    }
    report_problems(&found.problems);
    let mut rows = Vec::new();
    batch::check_each(&found.jobs, &input.load_options(), &mut |job, checked| {
        rows.push(match checked {
            Ok(c) => {
                print_diagnostics(&c);
                pipeline::summary_row(&job.input, &c, "检查通过")
            }
            Err(e) => {
                eprintln!("{}: 错误: {e}", job.input.display());
                batch::failed(job, e).summary
            }
        });
    });
    rows.extend(batch::summary_rows(&[], &found.problems));
    match batch::write_summary(&rows, output, &protected) {
        Ok(warnings) => {
            super::report::report_county(&warnings);
            eprintln!(
                "已写出汇总表 {}（{}）",
                output.display(),
                departments_counted(&rows)
            );
            // Every input has its row; a failed one still makes the run a failure.
            if rows.iter().any(|r| r.status.starts_with("失败")) {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => failure(&e),
    }
}

/// `3 个部门` for the closing line, with the files that repeat a department named apart: the
/// county counts departments, not files.
fn departments_counted(rows: &[jixiao::run::summary::SummaryRow]) -> String {
    let departments = jixiao::run::summary::distinct_departments(rows);
    match rows.len() - departments {
        0 => format!("{departments} 个部门"),
        twice => format!("{departments} 个部门；另有 {twice} 个文件与前面的部门重复，未计入合计"),
    }
}
