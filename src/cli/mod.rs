//! The command line: every command, flag and help text in one place, and the dispatch to the
//! commands (`render`, `check`/`summary`, `forms`), which print through `report`.
//!
//! Exit codes: 0 success; 1 an input (or an output the run had to write) failed; 2 the command
//! line itself is wrong. Commands decide nothing about the pipeline: they call the library and
//! choose how to show what came back.

mod check;
mod forms;
mod render;
mod report;
mod serve;
mod zh;

use clap::{Args, Parser, Subcommand, ValueEnum};
use jixiao::layout::fonts::Role;
use jixiao::{Formats, LoadOptions};
use std::path::PathBuf;
use std::process::ExitCode;

/// jixiao（绩效）：把一个部门的 YAML 数据或 Excel 填报模板生成为符合 GB/T 9704-2012 的《部门绩效自评工作报告》（DOCX + PDF，可加 OFD）。
#[derive(Parser)]
#[command(name = "jixiao", version, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The inputs of a command that reads department files, and how to read them.
#[derive(Args)]
struct InputArgs {
    /// 输入的 YAML 文件、Excel 工作簿（.xlsx）或文件夹（文件夹内的 YAML 文件 *.yaml / *.yml 和工作簿 *.xlsx 按名称顺序全部处理）
    #[arg(required = true, value_name = "输入")]
    inputs: Vec<PathBuf>,
    /// 各部门共用的默认值文件（YAML 或工作簿，如通知、年度、成文日期）；部门文件里写了的字段优先。
    /// 输入文件夹里的 _defaults.yaml（或 _defaults.yml、_defaults.xlsx）也会自动使用
    #[arg(long, value_name = "文件")]
    defaults: Vec<PathBuf>,
    /// YAML 文件的编码（工作簿不用设）；Windows 记事本保存的 GBK 文件用 --encoding gbk
    #[arg(long, value_enum, default_value_t = Encoding::Utf8, value_name = "编码")]
    encoding: Encoding,
}

impl InputArgs {
    fn load_options(&self) -> LoadOptions {
        LoadOptions {
            gbk: matches!(self.encoding, Encoding::Gbk),
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// 生成报告：每个输入（YAML 或工作簿）写出同名的 .docx 和 .pdf（--format ofd 另写 .ofd）
    Render(RenderArgs),
    /// 只汇总（不生成报告）：每个部门一行，写成 .xlsx 或 .csv
    Summary {
        #[command(flatten)]
        input: InputArgs,
        /// 汇总表文件（.xlsx 或 .csv）
        #[arg(short, long, value_name = "文件")]
        output: PathBuf,
    },
    /// 只检查输入，不生成文件
    Check {
        #[command(flatten)]
        input: InputArgs,
        /// 把警告当作错误
        #[arg(long)]
        deny_warnings: bool,
    },
    /// 写出一个带中文注释的起始 YAML 文件（默认 report.yaml），或用 --xlsx 写出 Excel 填报模板
    Init {
        /// 要写出的 YAML 文件
        #[arg(default_value = "report.yaml", value_name = "文件")]
        file: PathBuf,
        /// 写出 Excel 填报模板（.xlsx），发给各部门在 Excel 或 WPS 表格里填写
        #[arg(long, value_name = "文件.xlsx")]
        xlsx: Option<PathBuf>,
        /// 用已有的 YAML 文件或工作簿填好模板（如把去年的数据发回去更新）；与 --xlsx 一起用
        #[arg(long, value_name = "文件.yaml", requires = "xlsx")]
        from: Option<PathBuf>,
        /// 文件已存在时覆盖
        #[arg(long)]
        force: bool,
    },
    /// 在 YAML 和 Excel 填报模板（.xlsx）之间转换，两个方向都不丢内容
    Convert {
        /// 输入文件（YAML 文件 .yaml 或工作簿 .xlsx）
        #[arg(value_name = "输入")]
        input: PathBuf,
        /// 输出文件（工作簿 .xlsx 或 YAML 文件 .yaml）
        #[arg(value_name = "输出")]
        output: PathBuf,
        /// 输出文件已存在时覆盖
        #[arg(long)]
        force: bool,
    },
    /// 打印输入格式的 JSON Schema
    Schema,
    /// 启动网页服务：各部门上传、检查、预览、提交，财政局收集
    Serve(serve::ServeArgs),
    /// 为部门生成链接（服务运行时也可用），每行输出“名称<TAB>链接”
    Invite(serve::InviteArgs),
}

/// `jixiao render`.
#[derive(Args)]
struct RenderArgs {
    #[command(flatten)]
    input: InputArgs,
    /// 输出文件夹（默认：与输入文件相同的文件夹）
    #[arg(short, long, value_name = "文件夹")]
    output: Option<PathBuf>,
    /// 输出格式，可用逗号列出多个，如 --format docx,pdf,ofd 或 all,ofd（all = docx + pdf；
    /// ofd 为 GB/T 33190 版式文档，供归档；svg 每页一个文件，供预览）
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "all",
        value_name = "格式"
    )]
    format: Vec<Format>,
    /// 使用自己的报告模板（minijinja），代替内置模板
    #[arg(long, value_name = "文件")]
    template: Option<PathBuf>,
    /// 把警告当作错误（有警告就不生成）
    #[arg(long)]
    deny_warnings: bool,
    /// 用自己的字体文件替换某个角色的字体，如 --font title=方正小标宋简体.ttf
    /// （角色：title, body, h1, h2, page_number）
    #[arg(long, value_name = "角色=字体文件", value_parser = parse_font)]
    font: Vec<(Role, PathBuf)>,
    /// 同时写出汇总表（.xlsx 或 .csv）
    #[arg(long, value_name = "文件")]
    summary: Option<PathBuf>,
    /// 并行生成的线程数（默认：CPU 核数）
    #[arg(long, short = 'j', value_name = "线程数", default_value_t = 0)]
    jobs: usize,
    /// 有一个文件失败就停止（尚未开始的文件不再生成，并逐一列出）
    #[arg(long)]
    fail_fast: bool,
    /// 把检查过的填报数据（YAML）附在 PDF 中，供归档后复核或重新生成（PDF/A-3）
    #[arg(long)]
    attach_source: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Docx,
    Pdf,
    Ofd,
    Svg,
    All,
}

/// The union of the formats asked for (`--format docx,ofd`, `--format all --format ofd`).
fn formats_of(list: &[Format]) -> Formats {
    let mut f = Formats {
        docx: false,
        pdf: false,
        ofd: false,
        svg: false,
    };
    for x in list {
        match x {
            Format::Docx => f.docx = true,
            Format::Pdf => f.pdf = true,
            Format::Ofd => f.ofd = true,
            Format::Svg => f.svg = true,
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

/// `--font role=file`.
fn parse_font(spec: &str) -> Result<(Role, PathBuf), String> {
    let Some((role, file)) = spec.split_once('=') else {
        return Err(format!(
            "--font 的写法是 角色=字体文件，如 title=FZXBSJW.TTF；得到 “{spec}”"
        ));
    };
    let Some(role) = Role::from_name(role.trim()) else {
        return Err(format!(
            "未知的字体角色 “{role}”（可用：title, body, h1, h2, page_number）"
        ));
    };
    Ok((role, PathBuf::from(file.trim())))
}

/// Parses the command line and runs the command.
pub fn run() -> ExitCode {
    let cli = match zh::parse::<Cli>() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    match cli.command {
        Command::Render(args) => render::render(&args),
        Command::Summary { input, output } => check::summary(&input, &output),
        Command::Check {
            input,
            deny_warnings,
        } => check::check(&input, deny_warnings),
        Command::Init {
            file,
            xlsx: Some(xlsx),
            from,
            force,
        } => forms::init_xlsx(&xlsx, from.as_deref(), force, &file),
        Command::Init { file, force, .. } => forms::init(&file, force),
        Command::Convert {
            input,
            output,
            force,
        } => forms::convert(&input, &output, force),
        Command::Serve(args) => serve::serve(&args),
        Command::Invite(args) => serve::invite(&args),
        Command::Schema => {
            println!("{}", jixiao::model::schema::json());
            ExitCode::SUCCESS
        }
    }
}

/// Exit code 2: the command line itself is wrong (clap uses 2 as well).
fn usage_error(msg: &str) -> ExitCode {
    eprintln!("错误: {msg}");
    ExitCode::from(2)
}

/// Exit code 1, after an error the run could not get past.
fn failure(msg: &str) -> ExitCode {
    eprintln!("错误: {msg}");
    ExitCode::from(1)
}
