//! Templates: the minijinja environment, its formatting filters, and markup → document.
//!
//! A template words and orders the report; it never computes. It receives the view of
//! [`view::context`] (input and figures, decimals as exact strings) and prints numbers through
//! the filters registered here, which call [`crate::display`]. Its output is the small line
//! markup of [`markup`], parsed into the [`Document`](crate::document::Document).

use super::markup;
use crate::display;
use minijinja::{Environment, Error as JinjaError, ErrorKind, UndefinedBehavior, Value};
use rust_decimal::Decimal;
use std::error::Error as _;
use std::path::Path;

/// The default report template, compiled into the binary.
pub const DEFAULT_TEMPLATE: &str = include_str!("../../templates/report.j2");

/// Name under which the default template is registered (shown in error messages).
pub const DEFAULT_NAME: &str = "templates/report.j2";

/// A template error, located in the template file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    /// The template file (its path, or [`DEFAULT_NAME`]).
    pub file: String,
    /// 1-based line in the template (0 when unknown).
    pub line: usize,
    /// What went wrong, in Chinese with the engine's detail.
    pub message: String,
}

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: 模板错误: {}", self.file, self.line, self.message)
    }
}

impl std::error::Error for TemplateError {}

/// A compiled template, ready to render any number of reports.
pub struct Template {
    env: Environment<'static>,
    name: String,
}

impl Template {
    /// The default template.
    pub fn default_report() -> Template {
        Template::from_source(DEFAULT_NAME, DEFAULT_TEMPLATE.to_owned())
            .expect("the bundled template compiles (tested)")
    }

    /// A user's template file.
    pub fn from_file(path: &Path) -> Result<Template, TemplateError> {
        let name = path.display().to_string();
        let source = std::fs::read_to_string(path).map_err(|e| TemplateError {
            file: name.clone(),
            line: 0,
            message: format!("无法读取模板文件（须为 UTF-8 文本）：{e}"),
        })?;
        Template::from_source(&name, source)
    }

    /// Compiles a template from source text.
    pub fn from_source(name: &str, source: String) -> Result<Template, TemplateError> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_keep_trailing_newline(true);
        env.add_filter("amount", filter_amount);
        env.add_filter("percent", filter_percent);
        env.add_filter("score", filter_score);
        env.add_filter("date", filter_date);
        env.add_filter("esc", |s: String| markup::escape(&s));
        // Budgets for a template that loops or grows without end (a user's template is code):
        // an instruction budget, and no `namespace`, the one way to carry a growing value from
        // one loop iteration to the next. See [`TEMPLATE_FUEL`].
        env.set_fuel(Some(TEMPLATE_FUEL));
        env.add_function(
            "namespace",
            |_: minijinja::value::Rest<Value>| -> Result<Value, JinjaError> {
                Err(JinjaError::new(
                    ErrorKind::InvalidOperation,
                    "报告模板里不能使用 namespace（为防止模板无限增长占满内存）",
                ))
            },
        );
        env.add_template_owned(name.to_owned(), source)
            .map_err(|e| from_jinja(name, &e))?;
        Ok(Template {
            env,
            name: name.to_owned(),
        })
    }

    /// Renders the markup for a context, within [`TEMPLATE_FUEL`] instructions and
    /// [`MAX_OUTPUT_BYTES`] of output.
    pub fn render(&self, ctx: &serde_json::Value) -> Result<String, TemplateError> {
        let tmpl = self
            .env
            .get_template(&self.name)
            .map_err(|e| from_jinja(&self.name, &e))?;
        let mut out = CappedWriter::default();
        match tmpl.render_captured_to(Value::from_serialize(ctx), &mut out) {
            Ok(_) => String::from_utf8(out.bytes).map_err(|_| TemplateError {
                file: self.name.clone(),
                line: 0,
                message: "模板输出不是有效的 UTF-8 文本".into(),
            }),
            Err(_) if out.over => Err(TemplateError {
                file: self.name.clone(),
                line: 0,
                message: format!(
                    "模板输出超过 {} MB：模板里可能有不会结束的循环或不断变长的文字",
                    MAX_OUTPUT_BYTES / (1024 * 1024)
                ),
            }),
            Err(e) => Err(from_jinja(&self.name, &e)),
        }
    }

    /// The template's file name as shown in messages.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// Instructions one render may execute. The default template needs about 60 per project and a
/// few thousand in all (the 2,000-project maximum stays under 500,000); 20 million leave any
/// real template a wide margin while stopping `range(10)` nested nine deep (10^9 iterations)
/// within a second or two, instead of minutes.
pub const TEMPLATE_FUEL: u64 = 20_000_000;

/// Largest template output: the markup of the largest report (1,000,000 characters of text)
/// is about 4 MB; 64 MB is far past any real template and far below a harmful size.
pub const MAX_OUTPUT_BYTES: usize = 64 * 1024 * 1024;

/// A `Write` into memory that refuses to grow past [`MAX_OUTPUT_BYTES`].
#[derive(Default)]
struct CappedWriter {
    bytes: Vec<u8>,
    over: bool,
}

impl std::io::Write for CappedWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > MAX_OUTPUT_BYTES {
            self.over = true;
            return Err(std::io::Error::other("template output too large"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn from_jinja(name: &str, e: &JinjaError) -> TemplateError {
    if e.kind() == ErrorKind::OutOfFuel {
        return TemplateError {
            file: e.name().unwrap_or(name).to_owned(),
            line: e.line().unwrap_or(0),
            message: format!(
                "模板运行步数超过上限（{TEMPLATE_FUEL} 步）：模板里可能有嵌套过深或不会结束的循环"
            ),
        };
    }
    let mut message = e.to_string();
    let mut src = e.source();
    while let Some(inner) = src {
        message.push_str(&format!("（{inner}）"));
        src = inner.source();
    }
    TemplateError {
        file: e.name().unwrap_or(name).to_owned(),
        line: e.line().unwrap_or(0),
        message,
    }
}

fn parse_dec(filter: &str, v: &Value) -> Result<Option<Decimal>, JinjaError> {
    if v.is_none() || v.is_undefined() {
        return Ok(None);
    }
    let text = v.to_string();
    text.parse::<Decimal>().map(Some).map_err(|_| {
        JinjaError::new(
            ErrorKind::InvalidOperation,
            format!("过滤器 {filter} 需要一个数字，得到 “{text}”"),
        )
    })
}

/// `{{ x | amount }}`: 万元 amount, exact, trimmed.
fn filter_amount(v: Value) -> Result<String, JinjaError> {
    parse_dec("amount", &v)?
        .map(display::amount)
        .ok_or_else(|| JinjaError::new(ErrorKind::InvalidOperation, "过滤器 amount 得到空值"))
}

/// `{{ rate | percent }}`: `97.3%`; a missing rate (budget 0) prints `—`.
fn filter_percent(v: Value) -> Result<String, JinjaError> {
    Ok(parse_dec("percent", &v)?
        .map(display::percent)
        .unwrap_or_else(|| "—".to_owned()))
}

/// `{{ s | score }}`: half-up to 2 decimals, trimmed.
fn filter_score(v: Value) -> Result<String, JinjaError> {
    parse_dec("score", &v)?
        .map(display::score)
        .ok_or_else(|| JinjaError::new(ErrorKind::InvalidOperation, "过滤器 score 得到空值"))
}

/// `{{ "2022-03-23" | date }}`: `2022年3月23日`.
fn filter_date(v: String) -> Result<String, JinjaError> {
    chrono::NaiveDate::parse_from_str(&v, "%Y-%m-%d")
        .map(display::date)
        .map_err(|_| {
            JinjaError::new(
                ErrorKind::InvalidOperation,
                format!("过滤器 date 需要 YYYY-MM-DD，得到 “{v}”"),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_format_exact_decimals() {
        let t = Template::from_source(
            "t",
            "{{ a | amount }} {{ r | percent }} {{ n | percent }} {{ s | score }} {{ d | date }}"
                .into(),
        )
        .unwrap();
        let out = t
            .render(&serde_json::json!({"a": "532.770", "r": "0.973", "n": null, "s": "98.60", "d": "2022-03-23"}))
            .unwrap();
        assert_eq!(out, "532.77 97.3% — 98.6 2022年3月23日");
    }

    #[test]
    fn runaway_templates_stop_with_an_error() {
        let nested = "{% for a in range(10) %}".repeat(9) + "x" + &"{% endfor %}".repeat(9);
        let t = Template::from_source("loops.j2", nested).unwrap();
        let e = t.render(&serde_json::json!({})).unwrap_err();
        assert!(e.message.contains("步数"), "{e}");
        let grow = "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}";
        let t = Template::from_source("grow.j2", grow.into()).unwrap();
        let e = t.render(&serde_json::json!({})).unwrap_err();
        assert!(e.message.contains("namespace"), "{e}");
        let wide = "{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}";
        let t = Template::from_source("wide.j2", wide.into()).unwrap();
        let e = t.render(&serde_json::json!({})).unwrap_err();
        assert!(e.message.contains("MB"), "{e}");
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = Template::from_source("my.j2", "ok\n{% if %}".into())
            .err()
            .unwrap();
        assert_eq!((e.file.as_str(), e.line), ("my.j2", 2));
        let t = Template::from_source("my.j2", "a\nb\n{{ missing.field }}".into()).unwrap();
        let e = t.render(&serde_json::json!({})).unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("my.j2", 3));
    }
}
