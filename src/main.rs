//! The `jixiao` command line: render, check, init, schema — flags and their help in one place.

use clap::{Parser, Subcommand, ValueEnum};
use jixiao::diagnostic;
use jixiao::document::template::Template;
use jixiao::forms::convert::{convert, ConvertError, Form};
use jixiao::layout::fonts::{FontSet, Role};
use jixiao::layout::LayoutSettings;
use jixiao::read::LoadOptions;
use jixiao::run::atomic::Protected;
use jixiao::run::pipeline::{self, Formats, RenderOptions, Resources};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// mimalloc: the PDF writer's font subsetting allocates heavily (a fifth of its time went to
/// glibc malloc/free); a faster allocator shortens every render.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// jixiao（绩效）：把一个部门的 YAML 数据生成为符合 GB/T 9704-2012 的《部门绩效自评工作报告》（DOCX + PDF，可加 OFD）。
#[derive(Parser)]
#[command(name = "jixiao", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 生成报告：每个 YAML 输入写出同名的 .docx 和 .pdf（--format ofd 另写 .ofd）
    Render {
        /// 输入的 YAML 文件或文件夹（文件夹内的 *.yaml / *.yml 按名称顺序全部生成）
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// 输出文件夹（默认：与输入文件相同的文件夹）
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// 输出格式，可用逗号列出多个，如 --format docx,pdf,ofd 或 all,ofd（all = docx + pdf；
        /// ofd 为 GB/T 33190 版式文档，供归档）
        #[arg(long, value_enum, value_delimiter = ',', default_value = "all")]
        format: Vec<Format>,
        /// 使用自己的报告模板（minijinja），代替内置模板
        #[arg(long, value_name = "FILE")]
        template: Option<PathBuf>,
        /// 各部门共用的默认值文件（如通知、年度、成文日期）；部门文件里写了的字段优先。
        /// 输入文件夹里的 _defaults.yaml 也会自动使用
        #[arg(long, value_name = "FILE")]
        defaults: Vec<PathBuf>,
        /// 输入文件的编码；Windows 记事本保存的 GBK 文件用 --encoding gbk
        #[arg(long, value_enum, default_value_t = Encoding::Utf8)]
        encoding: Encoding,
        /// 把警告当作错误（有警告就不生成）
        #[arg(long)]
        deny_warnings: bool,
        /// 用自己的字体文件替换某个角色的字体，如 --font title=方正小标宋简体.ttf
        /// （角色：title, body, h1, h2, page_number）
        #[arg(long, value_name = "ROLE=FILE")]
        font: Vec<String>,
        /// 同时写出汇总表（.xlsx 或 .csv）
        #[arg(long, value_name = "FILE")]
        summary: Option<PathBuf>,
        /// 并行生成的线程数（默认：CPU 核数）
        #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
        jobs: usize,
        /// 有一个文件失败就停止（尚未开始的文件不再生成，并逐一列出）
        #[arg(long)]
        fail_fast: bool,
    },
    /// 只汇总（不生成报告）：每个部门一行，写成 .xlsx 或 .csv
    Summary {
        /// 输入的 YAML 文件或文件夹
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// 汇总表文件（.xlsx 或 .csv）
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
        /// 各部门共用的默认值文件（如通知、年度、成文日期）；部门文件里写了的字段优先。
        /// 输入文件夹里的 _defaults.yaml 也会自动使用
        #[arg(long, value_name = "FILE")]
        defaults: Vec<PathBuf>,
        /// 输入文件的编码
        #[arg(long, value_enum, default_value_t = Encoding::Utf8)]
        encoding: Encoding,
    },
    /// 只检查输入，不生成文件
    Check {
        /// 输入的 YAML 文件或文件夹
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// 各部门共用的默认值文件（如通知、年度、成文日期）；部门文件里写了的字段优先。
        /// 输入文件夹里的 _defaults.yaml 也会自动使用
        #[arg(long, value_name = "FILE")]
        defaults: Vec<PathBuf>,
        /// 输入文件的编码
        #[arg(long, value_enum, default_value_t = Encoding::Utf8)]
        encoding: Encoding,
        /// 把警告当作错误
        #[arg(long)]
        deny_warnings: bool,
    },
    /// 写出一个带中文注释的起始 YAML 文件（默认 report.yaml），或用 --xlsx 写出 Excel 填报模板
    Init {
        /// 要写出的文件
        #[arg(default_value = "report.yaml")]
        file: PathBuf,
        /// 写出 Excel 填报模板（.xlsx），发给各部门在 Excel 或 WPS 表格里填写
        #[arg(long, value_name = "FILE.xlsx")]
        xlsx: Option<PathBuf>,
        /// 用已有的 YAML 文件填好模板（如把去年的数据发回去更新）；与 --xlsx 一起用
        #[arg(long, value_name = "FILE.yaml", requires = "xlsx")]
        from: Option<PathBuf>,
        /// 文件已存在时覆盖
        #[arg(long)]
        force: bool,
    },
    /// 在 YAML 和 Excel 填报模板（.xlsx）之间转换，两个方向都不丢内容
    Convert {
        /// 输入文件（.yaml 或 .xlsx）
        input: PathBuf,
        /// 输出文件（.xlsx 或 .yaml）
        output: PathBuf,
        /// 输出文件已存在时覆盖
        #[arg(long)]
        force: bool,
    },
    /// 打印输入格式的 JSON Schema
    Schema,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Docx,
    Pdf,
    Ofd,
    All,
}

/// The union of the formats asked for (`--format docx,ofd`, `--format all --format ofd`).
fn formats_of(list: &[Format]) -> Formats {
    let mut f = Formats {
        docx: false,
        pdf: false,
        ofd: false,
    };
    for x in list {
        match x {
            Format::Docx => f.docx = true,
            Format::Pdf => f.pdf = true,
            Format::Ofd => f.ofd = true,
            Format::All => {
                f.docx = true;
                f.pdf = true;
            }
        }
    }
    f
}

#[derive(Clone, Copy, ValueEnum)]
enum Encoding {
    Utf8,
    Gbk,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Render {
            inputs,
            output,
            format,
            template,
            encoding,
            deny_warnings,
            font,
            summary,
            jobs,
            fail_fast,
            defaults,
        } => {
            let formats = formats_of(&format);
            let opts = RenderOptions {
                formats,
                load: load_options(encoding),
                deny_warnings,
                protected: Default::default(),
            };
            let batch = BatchOptions {
                summary,
                jobs,
                fail_fast,
                defaults,
            };
            cmd_render(
                &inputs,
                output.as_deref(),
                template.as_deref(),
                &font,
                &opts,
                &batch,
            )
        }
        Command::Summary {
            inputs,
            output,
            encoding,
            defaults,
        } => cmd_summary(&inputs, &output, &defaults, load_options(encoding)),
        Command::Check {
            inputs,
            encoding,
            deny_warnings,
            defaults,
        } => cmd_check(&inputs, &defaults, load_options(encoding), deny_warnings),
        Command::Init {
            file,
            xlsx: Some(xlsx),
            from,
            force,
        } => cmd_init_xlsx(&xlsx, from.as_deref(), force, &file),
        Command::Init { file, force, .. } => cmd_init(&file, force),
        Command::Convert {
            input,
            output,
            force,
        } => cmd_convert(&input, &output, force),
        Command::Schema => {
            println!("{}", jixiao::model::schema::json());
            ExitCode::SUCCESS
        }
    }
}

fn load_options(e: Encoding) -> LoadOptions {
    LoadOptions {
        gbk: matches!(e, Encoding::Gbk),
    }
}

/// Exit code 2: the command line itself is wrong (clap uses 2 as well).
fn usage_error(msg: &str) -> ExitCode {
    eprintln!("错误: {msg}");
    ExitCode::from(2)
}

struct BatchOptions {
    summary: Option<PathBuf>,
    jobs: usize,
    fail_fast: bool,
    defaults: Vec<PathBuf>,
}

fn cmd_render(
    inputs: &[PathBuf],
    output: Option<&Path>,
    template: Option<&Path>,
    fonts: &[String],
    opts: &RenderOptions,
    batch: &BatchOptions,
) -> ExitCode {
    // Usage errors first, before any work: a wrong --summary is not found after an hour.
    if let Some(path) = &batch.summary {
        if let Err(e) = jixiao::run::summary::Kind::of(path) {
            return usage_error(&e);
        }
    }
    let found = match jixiao::run::batch::collect_inputs(inputs, output, &batch.defaults) {
        Ok(j) => j,
        Err(e) => return usage_error(&e),
    };
    let jobs = &found.jobs;
    // A --summary path that is an input is refused when the summary is written (exit 1, the
    // input untouched), after every department has rendered: the run is not wasted.
    let protected = Protected::new(jixiao::run::batch::read_files(jobs));
    let opts = &RenderOptions {
        protected,
        ..opts.clone()
    };
    let swept = jixiao::run::batch::sweep_output_folders(jobs);
    if swept > 0 {
        eprintln!("已清除上次中断留下的 {swept} 个临时文件（.jixiao-*.tmp）");
    }
    report_problems(&found.problems);
    let template = match template {
        None => Template::default_report(),
        Some(p) => match Template::from_file(p) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(1);
            }
        },
    };
    let fonts: &'static FontSet = if fonts.is_empty() {
        FontSet::bundled()
    } else {
        let mut overrides = Vec::new();
        for spec in fonts {
            let Some((role, file)) = spec.split_once('=') else {
                return usage_error(&format!(
                    "--font 的写法是 角色=字体文件，如 title=FZXBSJW.TTF；得到 “{spec}”"
                ));
            };
            let Some(role) = Role::from_name(role.trim()) else {
                return usage_error(&format!(
                    "未知的字体角色 “{role}”（可用：title, body, h1, h2, page_number）"
                ));
            };
            overrides.push((role, PathBuf::from(file.trim())));
        }
        match FontSet::with_overrides(&overrides) {
            Ok(f) => Box::leak(Box::new(f)),
            Err(e) => {
                eprintln!("错误: {e}");
                return ExitCode::from(1);
            }
        }
    };
    let res = Resources {
        template,
        fonts,
        layout: LayoutSettings::default(),
    };
    let progress = Progress::new(jobs.len());
    let outcomes = jixiao::run::batch::run(jobs, &res, opts, batch.jobs, batch.fail_fast, &|o| {
        progress.done(o)
    });
    progress.finish();
    let folder_failures = found.problems.iter().filter(|p| p.failure).count();
    let failed = outcomes.iter().filter(|o| !o.ok()).count() + folder_failures;
    let warned = outcomes
        .iter()
        .filter(|o| o.ok() && o.warnings() > 0)
        .count();
    if outcomes.len() > 1 || failed > 0 {
        eprintln!(
            "完成：生成 {} 个，失败 {} 个，其中有警告 {} 个",
            outcomes.len() + folder_failures - failed,
            failed,
            warned
        );
        for o in outcomes.iter().filter(|o| !o.ok()) {
            eprintln!("  失败：{}（{}）", o.input.display(), o.summary.status);
        }
        for p in found.problems.iter().filter(|p| p.failure) {
            eprintln!("  失败：{}（{}）", p.path.display(), p.message);
        }
    }
    if let Some(path) = &batch.summary {
        let mut rows: Vec<_> = outcomes.iter().map(|o| o.summary.clone()).collect();
        rows.extend(problem_rows(&found.problems));
        jixiao::run::atomic::sweep_stale(
            path.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new(".")),
        );
        match jixiao::run::summary::write(&rows, path, &opts.protected) {
            Ok(()) => eprintln!("已写出汇总表 {}", path.display()),
            Err(e) => {
                eprintln!("错误: {e}");
                return ExitCode::from(1);
            }
        }
    }
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Progress: a bar on a terminal, plain lines otherwise. Each finished input prints its
/// diagnostics and written files above the bar.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    fn new(n: usize) -> Progress {
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

    fn done(&self, o: &pipeline::Outcome) {
        match &self.bar {
            Some(b) => {
                b.suspend(|| report_outcome(o));
                b.inc(1);
            }
            None => report_outcome(o),
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

fn cmd_summary(
    inputs: &[PathBuf],
    output: &Path,
    defaults: &[PathBuf],
    load: LoadOptions,
) -> ExitCode {
    if let Err(e) = jixiao::run::summary::Kind::of(output) {
        return usage_error(&e);
    }
    let found = match jixiao::run::batch::collect_inputs(inputs, None, defaults) {
        Ok(j) => j,
        Err(e) => return usage_error(&e),
    };
    let protected = Protected::new(jixiao::run::batch::read_files(&found.jobs));
    if protected.contains(output) {
        eprintln!(
            "错误: 汇总表 {} 就是一个输入文件：为了不覆盖输入，没有写出汇总表；请换一个文件名",
            output.display()
        );
        return ExitCode::from(1);
    }
    report_problems(&found.problems);
    let mut rows = Vec::new();
    for job in &found.jobs {
        let row = jixiao::run::batch::isolate(|| {
            let checked = pipeline::check_paths(&job.input, &job.defaults, &load);
            let source = checked.loaded.as_ref().map(|l| l.text.as_str());
            if !checked.diagnostics.is_empty() {
                eprint!("{}", diagnostic::render(&checked.diagnostics, source));
            }
            pipeline::summary_row(&job.input, &checked, "检查通过")
        });
        rows.push(row.unwrap_or_else(|e| {
            eprintln!("{}: 错误: {e}", job.input.display());
            jixiao::run::batch::failed(job, e).summary
        }));
    }
    rows.extend(problem_rows(&found.problems));
    jixiao::run::atomic::sweep_stale(
        output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new(".")),
    );
    match jixiao::run::summary::write(&rows, output, &protected) {
        Ok(()) => {
            eprintln!("已写出汇总表 {}（{} 个部门）", output.display(), rows.len());
            // Every input has its row; a failed one still makes the run a failure.
            if rows.iter().any(|r| r.status.starts_with("失败")) {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            eprintln!("错误: {e}");
            ExitCode::from(1)
        }
    }
}

/// Prints what the folder walk passed over (a note or a failure each, never silent).
fn report_problems(problems: &[jixiao::run::batch::Problem]) {
    for p in problems {
        let level = if p.failure { "错误" } else { "提示" };
        eprintln!("{level}: {}", p.message);
    }
}

/// The summary rows of the folder-walk failures (an unreadable folder), so the county table
/// shows them too.
fn problem_rows(problems: &[jixiao::run::batch::Problem]) -> Vec<jixiao::run::summary::SummaryRow> {
    problems
        .iter()
        .filter(|p| p.failure)
        .map(|p| {
            let name = p.path.display().to_string();
            jixiao::run::summary::SummaryRow::failed(
                &name,
                &name,
                0,
                &format!("失败：{}", p.message),
            )
        })
        .collect()
}

fn report_outcome(o: &pipeline::Outcome) {
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
        eprintln!("{}: 未生成（请先改正上面的错误）", o.input.display());
    }
}

fn cmd_check(
    inputs: &[PathBuf],
    defaults: &[PathBuf],
    load: LoadOptions,
    deny_warnings: bool,
) -> ExitCode {
    let found = match jixiao::run::batch::collect_inputs(inputs, None, defaults) {
        Ok(j) => j,
        Err(e) => return usage_error(&e),
    };
    report_problems(&found.problems);
    let mut failed = found.problems.iter().filter(|p| p.failure).count();
    for job in &found.jobs {
        let checked = jixiao::run::batch::isolate(|| {
            let checked = pipeline::check_paths(&job.input, &job.defaults, &load);
            let source = checked.loaded.as_ref().map(|l| l.text.as_str());
            if !checked.diagnostics.is_empty() {
                eprint!("{}", diagnostic::render(&checked.diagnostics, source));
            }
            checked.diagnostics
        });
        let diags = match checked {
            Ok(d) => d,
            Err(e) => {
                eprintln!("{}: 错误: {e}", job.input.display());
                failed += 1;
                continue;
            }
        };
        let bad = diags.iter().any(|d| d.is_error() || deny_warnings);
        if bad {
            failed += 1;
        } else {
            eprintln!(
                "{}: 检查通过{}",
                job.input.display(),
                if diags.is_empty() {
                    String::new()
                } else {
                    format!("（{} 个警告）", diags.len())
                }
            );
        }
    }
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn cmd_init(file: &Path, force: bool) -> ExitCode {
    if file.exists() && !force {
        return usage_error(&format!("{} 已存在；要覆盖请加 --force", file.display()));
    }
    match jixiao::run::atomic::write_atomic(
        file,
        jixiao::forms::starter_yaml().as_bytes(),
        &Protected::default(),
    ) {
        Ok(()) => {
            eprintln!(
                "已写出 {}：按注释填写后运行 jixiao render {}",
                file.display(),
                file.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("错误: {e}");
            ExitCode::from(1)
        }
    }
}

// ── Workbooks: `init --xlsx`, `convert` ────────────────────────────────────────

/// `jixiao init --xlsx 填报模板.xlsx [--from 去年.yaml]`.
fn cmd_init_xlsx(path: &Path, from: Option<&Path>, force: bool, file: &Path) -> ExitCode {
    if file != Path::new("report.yaml") {
        return usage_error("--xlsx 已给出要写出的文件，不要再写 YAML 文件名");
    }
    if path.exists() && !force {
        return usage_error(&format!("{} 已存在；要覆盖请加 --force", path.display()));
    }
    let report = match from {
        None => None,
        Some(src) => match load_for_convert(src) {
            Ok(r) => Some(r),
            Err(code) => return code,
        },
    };
    let bytes = match jixiao::forms::xlsx::workbook(report.as_ref()) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("错误: {e}");
            return ExitCode::from(1);
        }
    };
    let protected = Protected::new(from);
    match jixiao::run::atomic::write_atomic(path, &bytes, &protected) {
        Ok(()) => {
            eprintln!(
                "已写出 {}：在 Excel 或 WPS 表格里填写浅黄色的格子，然后运行 jixiao render {}",
                path.display(),
                path.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("错误: {e}");
            ExitCode::from(1)
        }
    }
}

/// Loads an input (YAML or workbook) for conversion; load errors are printed.
fn load_for_convert(path: &Path) -> Result<jixiao::model::report::Report, ExitCode> {
    match jixiao::read::load_path(path, &LoadOptions::default()) {
        Ok(l) => Ok(l.report),
        Err(diags) => {
            eprint!("{}", diagnostic::render(&diags, None));
            eprintln!("{}: 无法读取，未转换（请先改正上面的错误）", path.display());
            Err(ExitCode::from(1))
        }
    }
}

/// `jixiao convert IN OUT`: YAML ⇄ XLSX. The result is read back and compared with the input's
/// model before it is written, so a conversion that would lose anything fails instead.
fn cmd_convert(input: &Path, output: &Path, force: bool) -> ExitCode {
    let is_xlsx = jixiao::read::xlsx::is_workbook;
    let is_yaml = |p: &Path| {
        p.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
    };
    if !(is_xlsx(output) || is_yaml(output)) || !(is_xlsx(input) || is_yaml(input)) {
        return usage_error("convert 的输入和输出应为 .yaml 或 .xlsx 文件");
    }
    if is_xlsx(input) == is_xlsx(output) {
        return usage_error("convert 在 YAML 和 .xlsx 之间转换：输入和输出的格式应不同");
    }
    if output.exists() && !force {
        return usage_error(&format!("{} 已存在；要覆盖请加 --force", output.display()));
    }
    let report = match load_for_convert(input) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let form = if is_xlsx(output) {
        Form::Workbook
    } else {
        Form::Yaml
    };
    let bytes = match convert(&report, form, &output.display().to_string()) {
        Ok(b) => b,
        Err(ConvertError::Write(e)) => {
            eprintln!("错误: {e}");
            return ExitCode::from(1);
        }
        Err(ConvertError::Differs) => {
            eprintln!("错误: 转换结果读回后与输入不一致，未写出（这是 jixiao 的缺陷，请报告）");
            return ExitCode::from(1);
        }
        Err(ConvertError::Unreadable(diags)) => {
            eprint!("{}", diagnostic::render(&diags, None));
            eprintln!("错误: 转换结果无法读回，未写出（这是 jixiao 的缺陷，请报告）");
            return ExitCode::from(1);
        }
    };
    // Never over the input, whatever --force says.
    match jixiao::run::atomic::write_atomic(output, &bytes, &Protected::new([input])) {
        Ok(()) => {
            eprintln!("已写出 {}", output.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("错误: {e}");
            ExitCode::from(1)
        }
    }
}
