//! The template's output markup → the document model.
//!
//! The template emits plain text, one element a line; this parser turns it into
//! [`Document`] blocks. It is deliberately small (the grammar is listed in
//! `templates/report.j2`): headings are `#`-lines, directives are `@word` lines, every other
//! non-blank line is a body paragraph. Numbering labels are generated here from each heading's
//! position — level 1 `一、`, level 2 `（一）` restarting under each level 1, level 3 `1.`
//! restarting under each level 2, level 4 `（1）` restarting under each level 3 — so a user
//! never types them and they can never disagree with the structure.

use crate::display::chinese_count;
use crate::document::{
    Block, Heading, Meta, Paragraph, RunIn, Signature, Table, TableTextSize, Title,
};

/// A markup error: the markup line (1-based) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkupError {
    pub line: usize,
    pub message: String,
}

/// Supplies the 自评表 of project `n` (1-based) for `@scorecard n`.
pub trait Tables {
    fn scorecard(&self, n: usize) -> Option<Table>;
}

/// Parses markup into blocks.
pub fn parse(markup: &str, tables: &dyn Tables) -> Result<Vec<Block>, MarkupError> {
    let mut p = Parser::new(tables);
    for (i, raw) in markup.lines().enumerate() {
        let line = raw.trim();
        if !line.is_empty() {
            p.line(i + 1, line)?;
        }
    }
    p.finish()
}

fn err(line: usize, message: String) -> MarkupError {
    MarkupError { line, message }
}

/// The parser's state between lines: what is open (a title, a run-in heading waiting for its
/// paragraph, a signature waiting for its date) and the settings directives have made.
struct Parser<'t> {
    tables: &'t dyn Tables,
    blocks: Vec<Block>,
    /// Headings seen so far at each level, for the numbering labels.
    counters: [usize; 4],
    pending_run_in: Option<(usize, RunIn)>,
    pending_signature: Option<(usize, String)>,
    title: Vec<String>,
    seal: bool,
    table_size: TableTextSize,
}

impl<'t> Parser<'t> {
    fn new(tables: &'t dyn Tables) -> Parser<'t> {
        Parser {
            tables,
            blocks: Vec::new(),
            counters: [0; 4],
            pending_run_in: None,
            pending_signature: None,
            title: Vec::new(),
            seal: true,
            table_size: TableTextSize::default(),
        }
    }

    /// One non-empty, trimmed line.
    fn line(&mut self, lineno: usize, line: &str) -> Result<(), MarkupError> {
        // A title is the run of consecutive `@title` lines.
        if let Some(rest) = directive(line, "title") {
            self.title.push(rest.to_owned());
            return Ok(());
        }
        self.close_title();
        if let Some((sig_line, _)) = &self.pending_signature {
            if directive(line, "date").is_none() {
                return Err(err(*sig_line, "@signature 之后必须紧跟 @date 行".into()));
            }
        }
        if let Some((l, _)) = &self.pending_run_in {
            if line.starts_with(['#', '@']) {
                return Err(err(*l, "### / #### 标题后必须紧跟一个正文段落".into()));
            }
        }
        if let Some((level, text)) = heading(line) {
            self.heading(lineno, level, text);
            Ok(())
        } else if line.starts_with('@') {
            self.directive(lineno, line)
        } else {
            let text = line.strip_prefix('\\').unwrap_or(line).to_owned();
            let run_in = self.pending_run_in.take().map(|(_, r)| r);
            self.blocks
                .push(Block::Paragraph(Paragraph { run_in, text }));
            Ok(())
        }
    }

    fn close_title(&mut self) {
        if !self.title.is_empty() {
            let explicit = self.title.len() > 1;
            self.blocks.push(Block::Title(Title {
                lines: std::mem::take(&mut self.title),
                explicit,
            }));
        }
    }

    /// A `#`…`####` heading: its label comes from its position (一、（一）1.（1）); levels 3
    /// and 4 are run in, so they wait for the paragraph they open.
    fn heading(&mut self, lineno: usize, level: usize, text: &str) {
        self.counters[level - 1] += 1;
        for c in self.counters.iter_mut().skip(level) {
            *c = 0;
        }
        let n = self.counters[level - 1];
        let label = match level {
            1 => format!("{}、", chinese_count(n)),
            2 => format!("（{}）", chinese_count(n)),
            3 => format!("{n}."),
            _ => format!("（{n}）"),
        };
        if level <= 2 {
            let text = text.trim_end_matches(['。', '；', '，', '.']).to_owned();
            self.blocks.push(Block::Heading(Heading {
                level: level as u8,
                label,
                text,
            }));
        } else {
            let run_in = RunIn {
                level: level as u8,
                label,
                text: text.to_owned(),
            };
            self.pending_run_in = Some((lineno, run_in));
        }
    }

    /// An `@` line: a directive, or a paragraph that happens to start with `@` and a non-letter.
    fn directive(&mut self, lineno: usize, line: &str) -> Result<(), MarkupError> {
        if let Some(rest) = directive(line, "attachment") {
            self.blocks.push(Block::Attachment(rest.to_owned()));
        } else if let Some(rest) = directive(line, "signature") {
            self.pending_signature = Some((lineno, rest.to_owned()));
        } else if let Some(rest) = directive(line, "date") {
            let Some((_, name)) = self.pending_signature.take() else {
                return Err(err(lineno, "@date 必须紧跟在 @signature 行之后".into()));
            };
            self.blocks.push(Block::Signature(Signature {
                name,
                date: rest.to_owned(),
                seal: self.seal,
            }));
        } else if let Some(rest) = directive(line, "seal") {
            self.seal = parse_seal(lineno, rest)?;
        } else if let Some(rest) = directive(line, "table-size") {
            self.table_size = parse_table_size(lineno, rest)?;
        } else if directive(line, "pagebreak").is_some() {
            self.blocks.push(Block::PageBreak);
        } else if let Some(rest) = directive(line, "scorecard") {
            self.scorecard(lineno, rest)?;
        } else if line[1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            let word: String = line[1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            return Err(err(lineno, format!("未知的指令 @{word}")));
        } else {
            let run_in = self.pending_run_in.take().map(|(_, r)| r);
            let text = line.to_owned();
            self.blocks
                .push(Block::Paragraph(Paragraph { run_in, text }));
        }
        Ok(())
    }

    /// `@scorecard n`: the 自评表 of project n, at the current table size.
    fn scorecard(&mut self, lineno: usize, rest: &str) -> Result<(), MarkupError> {
        let n: usize = rest.parse().map_err(|_| {
            err(
                lineno,
                format!("@scorecard 需要项目序号（从 1 开始），实际为 “{rest}”"),
            )
        })?;
        let mut table = self.tables.scorecard(n).ok_or_else(|| {
            err(
                lineno,
                format!("第 {n} 个项目没有绩效指标（indicators），无法生成自评表"),
            )
        })?;
        table.text_size = self.table_size;
        self.blocks.push(Block::Table(table));
        Ok(())
    }

    /// The end of the markup: a trailing title closes, a signature without its date is an
    /// error, and a run-in heading with nothing after it stands as a paragraph of its own.
    fn finish(mut self) -> Result<Vec<Block>, MarkupError> {
        self.close_title();
        if let Some((l, _)) = self.pending_signature {
            return Err(err(l, "@signature 之后缺少 @date 行".into()));
        }
        if let Some((_, r)) = self.pending_run_in {
            self.blocks.push(Block::Paragraph(Paragraph {
                run_in: Some(r),
                text: String::new(),
            }));
        }
        Ok(self.blocks)
    }
}

fn parse_seal(lineno: usize, rest: &str) -> Result<bool, MarkupError> {
    match rest {
        "true" | "yes" | "on" => Ok(true),
        "false" | "no" | "off" => Ok(false),
        other => Err(err(
            lineno,
            format!("@seal 应为 true 或 false，实际为 “{other}”"),
        )),
    }
}

fn parse_table_size(lineno: usize, rest: &str) -> Result<TableTextSize, MarkupError> {
    match rest {
        "12" | "小四" => Ok(TableTextSize::Small4),
        "10.5" | "五号" => Ok(TableTextSize::Five),
        "auto" => Ok(TableTextSize::Auto),
        other => Err(err(
            lineno,
            format!("@table-size 应为 12（小四）、10.5（五号）或 auto，实际为 “{other}”"),
        )),
    }
}

/// `@name rest` → `Some(rest)`.
fn directive<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let rest = line.strip_prefix('@')?.strip_prefix(name)?;
    if rest.is_empty() {
        Some("")
    } else if rest.starts_with([' ', '\t']) {
        Some(rest.trim())
    } else {
        None
    }
}

/// `#`…`####` followed by a space → (level, text).
fn heading(line: &str) -> Option<(usize, &str)> {
    let hashes = line.chars().take_while(|&c| c == '#').count();
    if !(1..=4).contains(&hashes) {
        return None;
    }
    let rest = &line[hashes..];
    rest.starts_with([' ', '\t']).then(|| (hashes, rest.trim()))
}

/// Escapes a paragraph text so that the parser reads it as text even when it starts like a
/// heading or a directive (the template filter `esc`).
pub fn escape(text: &str) -> String {
    if text.starts_with(['#', '@', '\\']) {
        format!("\\{text}")
    } else {
        text.to_owned()
    }
}

/// Metadata of a parsed document: the title as one line.
pub fn meta(blocks: &[Block], author: &str, date: &str) -> Meta {
    let title = blocks
        .iter()
        .find_map(|b| match b {
            Block::Title(t) => Some(t.text()),
            _ => None,
        })
        .unwrap_or_default();
    Meta {
        title,
        author: author.to_owned(),
        date: date.to_owned(),
        facts: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoTables;
    impl Tables for NoTables {
        fn scorecard(&self, _: usize) -> Option<Table> {
            None
        }
    }

    #[test]
    fn labels_follow_position() {
        let m = "# 甲\n## 子一\n### 项：\n正文\n## 子二\n# 乙\n## 子\n### 项一：\n文\n### 项二：\n文\n#### 细：\n文";
        let blocks = parse(m, &NoTables).unwrap();
        let labels: Vec<String> = blocks
            .iter()
            .map(|b| match b {
                Block::Heading(h) => h.label.clone(),
                Block::Paragraph(p) => p
                    .run_in
                    .as_ref()
                    .map(|r| r.label.clone())
                    .unwrap_or_default(),
                _ => String::new(),
            })
            .collect();
        assert_eq!(
            labels,
            [
                "一、",
                "（一）",
                "1.",
                "（二）",
                "二、",
                "（一）",
                "1.",
                "2.",
                "（1）"
            ]
        );
    }

    #[test]
    fn title_signature_and_escapes() {
        let m = "@attachment 附件2\n@title 一行\n@title 二行\n正文\n\\# 不是标题\n@seal false\n@signature 某局\n@date 2022年3月23日";
        let blocks = parse(m, &NoTables).unwrap();
        assert_eq!(blocks[0], Block::Attachment("附件2".into()));
        assert_eq!(
            blocks[1],
            Block::Title(Title {
                lines: vec!["一行".into(), "二行".into()],
                explicit: true
            })
        );
        assert_eq!(blocks[3], Block::Paragraph(Paragraph::plain("# 不是标题")));
        assert_eq!(
            blocks[4],
            Block::Signature(Signature {
                name: "某局".into(),
                date: "2022年3月23日".into(),
                seal: false
            })
        );
    }

    /// Every project has a one-row table.
    struct AnyTable;
    impl Tables for AnyTable {
        fn scorecard(&self, _: usize) -> Option<Table> {
            Some(Table {
                title: None,
                columns: vec![1],
                header_rows: 0,
                rows: Vec::new(),
                text_size: TableTextSize::default(),
            })
        }
    }

    #[test]
    fn table_size_applies_to_the_tables_after_it() {
        let m = "@scorecard 1\n@table-size 五号\n@scorecard 2\n@table-size auto\n@scorecard 3\n@table-size 12\n@scorecard 4\n@table-size 10.5\n@scorecard 5";
        let sizes: Vec<TableTextSize> = parse(m, &AnyTable)
            .unwrap()
            .into_iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some(t.text_size),
                _ => None,
            })
            .collect();
        use TableTextSize::*;
        assert_eq!(sizes, [Small4, Five, Auto, Small4, Five]);
        let e = parse("正文\n@table-size 11", &AnyTable).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("@table-size"), "{}", e.message);
    }

    #[test]
    fn errors_name_the_markup_line() {
        assert_eq!(parse("正文\n@bogus x", &NoTables).unwrap_err().line, 2);
        assert_eq!(
            parse("@signature 某局\n正文", &NoTables).unwrap_err().line,
            1
        );
        assert_eq!(parse("@scorecard 1", &NoTables).unwrap_err().line, 1);
        assert_eq!(escape("#标签"), "\\#标签");
        assert_eq!(escape("正常"), "正常");
    }
}
