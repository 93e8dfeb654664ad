//! clap in Chinese: its help (headings, usage, the `-h`/`-V` lines, default and possible-value
//! notes) and its errors, in the words the rest of jixiao uses.
//!
//! clap writes fixed English around our Chinese text. Its help is rendered by clap and the fixed
//! words are replaced (they are few and stable: [`HELP_WORDS`]). Its errors are written anew
//! from the error's kind and context (the argument, the value, the valid values and clap's
//! did-you-mean suggestion), since its English sentences vary too much to replace word by word.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::CommandFactory;
use std::process::ExitCode;

/// clap's fixed help words and ours, longest first where one contains another.
const HELP_WORDS: [(&str, &str); 17] = [
    (
        "Print help (see more with '--help')",
        "显示帮助（--help 显示更详细的帮助）",
    ),
    (
        "Print help (see a summary with '-h')",
        "显示帮助（-h 显示简要帮助）",
    ),
    (
        "Print this message or the help of the given subcommand(s)",
        "显示本帮助，或某个命令的帮助（jixiao help 命令）",
    ),
    ("Print help", "显示帮助"),
    ("Print version", "显示版本号"),
    ("Usage: ", "用法："),
    ("Usage:", "用法："),
    ("Commands:", "命令："),
    ("Arguments:", "参数："),
    ("Options:", "选项："),
    ("[OPTIONS]", "[选项]"),
    ("<COMMAND>", "<命令>"),
    ("[COMMAND]", "[命令]"),
    ("[default: ", "[默认："),
    ("[possible values: ", "[可选："),
    ("[aliases: ", "[又名："),
    ("[env: ", "[环境变量："),
];

/// Parses the command line; on help, version or an error, prints it in Chinese and gives the
/// exit code (0 for help and version, 2 for a wrong command line).
pub(super) fn parse<P: clap::Parser>() -> Result<P, ExitCode> {
    let mut cmd = P::command();
    let matches = cmd
        .try_get_matches_from_mut(std::env::args_os())
        .and_then(|m| <P as clap::FromArgMatches>::from_arg_matches(&m));
    matches.map_err(|e| {
        let e = e.with_cmd(&cmd);
        match e.kind() {
            ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                print!("{}", translate(&e.render().to_string()));
                ExitCode::SUCCESS
            }
            ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                eprint!("{}", translate(&e.render().to_string()));
                ExitCode::from(2)
            }
            _ => {
                eprint!("{}", error_text(&e));
                ExitCode::from(2)
            }
        }
    })
}

/// Help text with clap's fixed English words in Chinese.
pub(super) fn translate(help: &str) -> String {
    let mut s = help.to_owned();
    for (en, zh) in HELP_WORDS {
        s = s.replace(en, zh);
    }
    s
}

/// A context value as text: strings joined with “、”.
fn context(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) if !v.is_empty() => Some(v.join("、")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The whole error: what is wrong, clap's suggestion, the usage and where to read more.
pub(super) fn error_text(e: &clap::Error) -> String {
    let mut out = format!("错误: {}\n", what(e));
    for hint in suggestions(e) {
        out.push_str(&format!("  提示：{hint}\n"));
    }
    let usage = context(e, ContextKind::Usage).map(|u| translate(&u));
    if let Some(u) = &usage {
        out.push_str(&format!("\n{}\n", u.trim_end()));
    }
    let command = usage
        .as_deref()
        .map(command_of)
        .unwrap_or_else(named_command);
    out.push_str(&format!("\n更多说明请运行 {command} --help\n"));
    out
}

/// `用法： jixiao render [选项] <输入>...` → `jixiao render`.
fn command_of(usage: &str) -> String {
    let line = usage.trim().trim_start_matches("用法：").trim();
    let words: Vec<&str> = line
        .split_whitespace()
        .take_while(|w| !w.starts_with(['[', '<', '-']))
        .collect();
    if words.is_empty() {
        "jixiao".to_owned()
    } else {
        words.join(" ")
    }
}

/// `jixiao render` when the command line names the `render` command, else `jixiao`: the help
/// to point at when the error carries no usage line.
fn named_command() -> String {
    let cmd = super::Cli::command();
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect();
    std::env::args()
        .skip(1)
        .find(|a| names.contains(a))
        .map_or_else(|| "jixiao".to_owned(), |c| format!("jixiao {c}"))
}

/// What is wrong, by the error's kind.
fn what(e: &clap::Error) -> String {
    let arg = context(e, ContextKind::InvalidArg).unwrap_or_default();
    let value = context(e, ContextKind::InvalidValue).unwrap_or_default();
    match e.kind() {
        ErrorKind::UnknownArgument => format!("不认识的参数 “{arg}”"),
        ErrorKind::InvalidSubcommand => format!(
            "没有 “{}” 这个命令",
            context(e, ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::InvalidValue if value.is_empty() => format!("参数 {arg} 后面缺少值"),
        ErrorKind::InvalidValue => {
            let valid = context(e, ContextKind::ValidValue)
                .map(|v| format!("，可选的值：{v}"))
                .unwrap_or_default();
            format!("参数 {arg} 的值 “{value}” 不对{valid}")
        }
        ErrorKind::ValueValidation => format!("参数 {arg} 的值 “{value}” 不对：{}", reason(e)),
        ErrorKind::MissingRequiredArgument => format!("缺少必须写的参数：{arg}"),
        ErrorKind::MissingSubcommand => "缺少命令（如 render、check、init）".to_owned(),
        ErrorKind::ArgumentConflict => format!(
            "参数 {arg} 不能和 {} 一起用",
            context(e, ContextKind::PriorArg).unwrap_or_default()
        ),
        ErrorKind::TooManyValues => {
            format!("多出了一个值 “{value}”")
        }
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("参数 {arg} 的值的个数不对")
        }
        ErrorKind::NoEquals => format!("参数 {arg} 的值要用 = 连着写，如 {arg}=值"),
        ErrorKind::InvalidUtf8 => "命令行里有无法识别的字符（不是 UTF-8 编码）".to_owned(),
        _ => "命令行写法不对".to_owned(),
    }
}

/// Why a value failed its parser: our own parsers speak Chinese; a standard one (a number)
/// gets a Chinese sentence instead of Rust's English.
fn reason(e: &clap::Error) -> String {
    use std::error::Error;
    let own = e.source().map(|s| s.to_string()).unwrap_or_default();
    if own.chars().any(jixiao::display::is_han) {
        own
    } else if own.contains("digit") || own.contains("number") {
        "应为一个不小于 0 的整数".to_owned()
    } else {
        "格式不对".to_owned()
    }
}

/// clap's did-you-mean suggestions, in Chinese.
fn suggestions(e: &clap::Error) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(s) = context(e, ContextKind::SuggestedArg) {
        out.push(format!("是不是想写 “{s}”？"));
    }
    if let Some(s) = context(e, ContextKind::SuggestedSubcommand) {
        out.push(format!("是不是想写命令 “{s}”？"));
    }
    if let Some(s) = context(e, ContextKind::SuggestedValue) {
        out.push(format!("是不是想写 “{s}”？"));
    }
    if e.kind() == ErrorKind::UnknownArgument && e.get(ContextKind::Suggested).is_some() {
        let arg = context(e, ContextKind::InvalidArg).unwrap_or_default();
        out.push(format!("如果 “{arg}” 是一个值而不是参数，请在它前面写 -- "));
    }
    out
}
