//! How the command line shows a run: each input's diagnostics and written files, what the folder
//! walk passed over, and a progress bar on a terminal.

use jixiao::diagnostic;
use jixiao::run::batch::Problem;
use jixiao::run::pipeline::Outcome;

/// Progress: a bar on a terminal, plain lines otherwise. Each finished input prints its
/// diagnostics and written files above the bar.
pub(super) struct Progress {
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    pub(super) fn new(n: usize) -> Progress {
        use std::io::IsTerminal;
        let bar = (n > 1 && std::io::stderr().is_terminal()).then(|| {
            let b = indicatif::ProgressBar::new(n as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")
            {
                b.set_style(style);
            }
            b
        });
        Progress { bar }
    }

    pub(super) fn done(&self, o: &Outcome) {
        match &self.bar {
            Some(b) => {
                b.suspend(|| report_outcome(o));
                b.inc(1);
            }
            None => report_outcome(o),
        }
    }

    pub(super) fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

/// Prints what the folder walk passed over (a note or a failure each, never silent).
pub(super) fn report_problems(problems: &[Problem]) {
    for p in problems {
        let level = if p.failure { "错误" } else { "提示" };
        eprintln!("{level}: {}", p.message);
    }
}

/// Prints what the summary noticed across departments (mixed years, a department twice).
pub(super) fn report_county(warnings: &[String]) {
    for w in warnings {
        eprintln!("警告: {w}");
    }
}

/// Prints one finished input: its diagnostics, a failure, the writers' notes, and what was
/// written (or that nothing was).
fn report_outcome(o: &Outcome) {
    if !o.diagnostics.is_empty() {
        eprint!(
            "{}",
            diagnostic::render(&o.diagnostics, o.source.as_deref())
        );
    }
    if let Some(f) = &o.failure {
        eprintln!("{}: 错误: {f}", o.input.display());
    }
    for n in &o.notes {
        eprintln!("{}: 提示: {n}", o.input.display());
    }
    if o.ok() {
        for w in &o.written {
            eprintln!("已生成 {}", w.display());
        }
    } else {
        let errors = o.diagnostics.iter().filter(|d| d.is_error()).count();
        let count = if errors > 0 {
            format!("有 {errors} 个错误，")
        } else {
            String::new()
        };
        eprintln!("{}: 未生成（{count}请先改正上面的错误）", o.input.display());
    }
}
