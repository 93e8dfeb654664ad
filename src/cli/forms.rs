//! `jixiao init` (the starter YAML, the 填报模板 workbook) and `jixiao convert` (YAML ⇄ workbook).

use super::{failure, usage_error};
use jixiao::diagnostic;
use jixiao::forms::{self, convert::ConvertError, convert::Form};
use jixiao::run::atomic::{write_atomic, Protected};
use jixiao::LoadOptions;
use std::path::Path;
use std::process::ExitCode;

/// `jixiao init [FILE]`: the starter YAML with Chinese comments.
pub(super) fn init(file: &Path, force: bool) -> ExitCode {
    if !is_yaml(file) {
        return usage_error(&format!(
            "{} 不是 YAML 文件名：起始文件的名称应以 .yaml 结尾；要 Excel 填报模板请用 jixiao init --xlsx 填报模板.xlsx",
            file.display()
        ));
    }
    if file.exists() && !force {
        return usage_error(&format!("{} 已存在；要覆盖请加 --force", file.display()));
    }
    match write_atomic(
        file,
        forms::starter_yaml().as_bytes(),
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
        Err(e) => failure(&e.to_string()),
    }
}

/// `jixiao init --xlsx 填报模板.xlsx [--from 去年.yaml]`.
pub(super) fn init_xlsx(path: &Path, from: Option<&Path>, force: bool, file: &Path) -> ExitCode {
    if file != Path::new("report.yaml") {
        return usage_error("--xlsx 已给出要写出的文件，不要再写 YAML 文件名");
    }
    if !jixiao::read::xlsx::is_workbook(path) {
        return usage_error(&format!(
            "{} 不是 .xlsx 文件名：填报模板是 Excel 工作簿，名称应以 .xlsx 结尾，如 --xlsx 填报模板.xlsx",
            path.display()
        ));
    }
    if path.exists() && !force {
        return usage_error(&format!("{} 已存在；要覆盖请加 --force", path.display()));
    }
    if let Some(src) = from.filter(|f| !f.exists()) {
        return usage_error(&format!("找不到 --from 的文件 {}", src.display()));
    }
    let report = match from {
        None => None,
        Some(src) => match load_for_convert(src) {
            Ok(r) => Some(r),
            Err(code) => return code,
        },
    };
    let bytes = match forms::xlsx::workbook(report.as_ref()) {
        Ok(b) => b,
        Err(e) => return failure(&e.to_string()),
    };
    let protected = Protected::new(from);
    match write_atomic(path, &bytes, &protected) {
        Ok(()) => {
            eprintln!(
                "已写出 {}：在 Excel 或 WPS 表格里填写浅黄色的格子，然后运行 jixiao render {}",
                path.display(),
                path.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => failure(&e.to_string()),
    }
}

/// Whether a file name ends in `.yaml` or `.yml` (any case).
fn is_yaml(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
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
pub(super) fn convert(input: &Path, output: &Path, force: bool) -> ExitCode {
    let is_xlsx = jixiao::read::xlsx::is_workbook;
    // A PDF written with --attach-source is an input too: its attached YAML is the model.
    let is_pdf = jixiao::read::pdf::is_pdf;
    if !(is_xlsx(output) || is_yaml(output)) || !(is_xlsx(input) || is_yaml(input) || is_pdf(input))
    {
        return usage_error("convert 的输入和输出应为 .yaml 或 .xlsx 文件");
    }
    if !input.exists() {
        return usage_error(&format!("找不到输入文件 {}", input.display()));
    }
    if is_xlsx(input) == is_xlsx(output) && !is_pdf(input) {
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
    let bytes = match forms::convert::convert(&report, form, &output.display().to_string()) {
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
    match write_atomic(output, &bytes, &Protected::new([input])) {
        Ok(()) => {
            eprintln!("已写出 {}", output.display());
            ExitCode::SUCCESS
        }
        Err(e) => failure(&e.to_string()),
    }
}
