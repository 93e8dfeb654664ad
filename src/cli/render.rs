//! `jixiao render`: the batch of the library (`run::batch`) with progress and a closing tally.

use super::report::{report_problems, Progress};
use super::{failure, formats_of, usage_error, RenderArgs};
use jixiao::run::batch::{self, Plan};
use jixiao::run::pipeline::{RenderOptions, Resources};
use std::process::ExitCode;

pub(super) fn render(args: &RenderArgs) -> ExitCode {
    // Usage errors first, before any work: a wrong --summary is not found after an hour.
    if let Some(path) = &args.summary {
        if let Err(e) = jixiao::run::summary::Kind::of(path) {
            return usage_error(&e);
        }
    }
    let named = args.template.iter().chain(args.font.iter().map(|(_, f)| f));
    if let Some(missing) = named.into_iter().find(|f| !f.exists()) {
        return usage_error(&format!("找不到文件 {}", missing.display()));
    }
    let plan = match batch::plan(
        &args.input.inputs,
        args.output.as_deref(),
        &args.input.defaults,
    ) {
        Ok(p) => p,
        Err(e) => return usage_error(&e),
    };
    if plan.swept > 0 {
        eprintln!(
            "已清除上次中断留下的 {} 个临时文件（.jixiao-*.tmp）",
            plan.swept
        );
    }
    report_problems(&plan.inputs.problems);
    let res = match Resources::load(args.template.as_deref(), &args.font) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
    };
    // A --summary path that is an input is refused when the summary is written (exit 1, the
    // input untouched), after every department has rendered: the run is not wasted.
    let opts = RenderOptions {
        formats: formats_of(&args.format),
        load: args.input.load_options(),
        deny_warnings: args.deny_warnings,
        protected: plan.protected.clone(),
        attach_source: args.attach_source,
    };
    let jobs = &plan.inputs.jobs;
    let progress = Progress::new(jobs.len());
    let outcomes = batch::run(jobs, &res, &opts, args.jobs, args.fail_fast, &|o| {
        progress.done(o)
    });
    progress.finish();
    let tally = batch::tally(&outcomes, &plan.inputs.problems);
    // One file ends with its own sentence (`report::report_outcome`); a batch with the tally.
    if outcomes.len() + plan.inputs.problems.len() > 1 {
        print_tally(&tally);
    }
    if let Some(path) = &args.summary {
        if let Err(code) = write_summary(&plan, &outcomes, path) {
            return code;
        }
    }
    if tally.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn print_tally(tally: &batch::Tally) {
    eprintln!(
        "完成：生成 {} 个，失败 {} 个，其中有警告 {} 个",
        tally.rendered, tally.failed, tally.warned
    );
    for (path, why) in &tally.failures {
        eprintln!("  失败：{}（{why}）", path.display());
    }
}

fn write_summary(
    plan: &Plan,
    outcomes: &[jixiao::run::pipeline::Outcome],
    path: &std::path::Path,
) -> Result<(), ExitCode> {
    let rows = batch::summary_rows(outcomes, &plan.inputs.problems);
    match batch::write_summary(&rows, path, &plan.protected) {
        Ok(warnings) => {
            super::report::report_county(&warnings);
            eprintln!("已写出汇总表 {}", path.display());
            Ok(())
        }
        Err(e) => Err(failure(&e)),
    }
}
