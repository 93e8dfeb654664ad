//! YAML text → [`Node`] tree, within budgets: saphyr-parser's events, which carry source spans,
//! become our own tree; YAML syntax errors become Chinese messages at their line.

use crate::model::limits::{MAX_DEPTH, MAX_KEY_CHARS, MAX_NODES, MAX_TREE_BYTES};
use crate::read::tree::{Node, Pos, Scalar, Value};
use saphyr_parser::{Event, Parser, ScalarStyle, Span};
use std::collections::{HashMap, HashSet};
/// A YAML syntax problem (or a broken budget) found while building the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub pos: Pos,
    /// Chinese message.
    pub message: String,
}

fn pos_of(m: saphyr_parser::Marker) -> Pos {
    Pos {
        line: m.line(),
        col: m.col() + 1,
    }
}

/// Parses `text` into a node tree. An empty document gives a null scalar at 1:1.
///
/// The tree stays within [`MAX_DEPTH`] levels, [`MAX_NODES`] nodes and [`MAX_TREE_BYTES`] bytes
/// of text after alias expansion; past any of them the build stops with an error at the place
/// where the budget broke, so a 4 KB file of `- - - …` or an alias bomb costs microseconds, not a
/// stack overflow or gigabytes. Control characters anywhere in the file are refused first, at
/// their own line and column, before the YAML scanner can misdescribe them.
pub fn parse_tree(text: &str, file: usize) -> Result<Node, SyntaxError> {
    if let Some(e) = control_character(text) {
        return Err(e);
    }
    let mut b = Builder {
        parser: Parser::new_from_str(text),
        anchors: HashMap::new(),
        file,
        nodes: 0,
        bytes: 0,
        anchor_bytes: 0,
        depth: 0,
    };
    b.document().map_err(|e| refine(text, e))
}

/// Sharpens the commonest mistakes using the source line itself: a Chinese colon, no space
/// after the colon, a tab in the indentation (the scanner may notice it a line late).
fn refine(text: &str, mut e: SyntaxError) -> SyntaxError {
    if e.message.contains("这一行缺少冒号") {
        // The scanner notices a missing `: ` on the line after; look at both.
        let lines: Vec<&str> = text.lines().collect();
        let here = e.pos.line.saturating_sub(1);
        for i in [here.saturating_sub(1), here] {
            let line = lines.get(i).copied().unwrap_or("");
            let no_space = line
                .char_indices()
                .any(|(j, c)| c == ':' && line[j + 1..].starts_with(|n: char| !n.is_whitespace()));
            let msg = if line.contains('：') && !line.contains(": ") {
                "YAML 语法错误：字段名后用了中文冒号“：”，应为英文冒号加一个空格 `: `"
            } else if no_space && !line.contains(": ") {
                "YAML 语法错误：冒号 `:` 后面要有一个空格（如 `annual: 38`）"
            } else {
                continue;
            };
            e.message = msg.into();
            let indent = line.chars().take_while(|c| *c == ' ').count();
            e.pos = Pos {
                line: i + 1,
                col: indent + 1,
            };
            break;
        }
    }
    if e.message.contains("制表符") {
        let tab = text.lines().enumerate().find_map(|(i, l)| {
            let indent = l.len() - l.trim_start_matches([' ', '\t']).len();
            l[..indent].find('\t').map(|b| (i, b))
        });
        if let Some((i, b)) = tab {
            e.pos = Pos {
                line: i + 1,
                col: text
                    .lines()
                    .nth(i)
                    .map_or(1, |l| l[..b].chars().count() + 1),
            };
        }
    }
    e
}

/// The first character that no field may hold, anywhere in the file: C0 controls other than tab,
/// line feed and carriage return; DEL; and the non-characters U+FFFE / U+FFFF. Text pasted from
/// other programs sometimes carries them invisibly; the YAML scanner would report them as
/// something else (a "tab", an unexpected token) or keep them, and they would then break the
/// DOCX's XML.
pub fn control_character(text: &str) -> Option<SyntaxError> {
    let (off, c) = text.char_indices().find(|&(_, c)| is_forbidden_char(c))?;
    let before = &text[..off];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    Some(SyntaxError {
        pos: Pos { line, col },
        message: format!(
            "第 {line} 行第 {col} 列有一个不可见的控制字符 {}，YAML 文件里不允许出现（多半是从别的软件复制粘贴时带进来的）",
            describe_char(c)
        ),
    })
}

/// Whether `c` may appear nowhere in an input (see [`control_character`]).
pub fn is_forbidden_char(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{7f}' | '\u{fffe}' | '\u{ffff}')
}

/// `U+0000（NUL）` and the like, for messages.
pub fn describe_char(c: char) -> String {
    let name = match c {
        '\0' => "（NUL，空字符）",
        '\t' => "（Tab，制表符）",
        '\r' => "（CR，回车符）",
        '\u{1b}' => "（ESC）",
        '\u{7f}' => "（DEL）",
        '\u{feff}' => "（BOM）",
        _ => "",
    };
    format!("U+{:04X}{name}", c as u32)
}

/// The tree under construction and what it has used of its budgets.
struct Builder<'a> {
    parser: Parser<'a, saphyr_parser::StrInput<'a>>,
    /// Anchored nodes with their (node count, text bytes), so an alias is charged without a walk.
    anchors: HashMap<usize, (Node, usize, usize)>,
    file: usize,
    /// Nodes in the tree so far, aliases expanded.
    nodes: usize,
    /// Bytes of text (scalars and keys) in the tree so far, aliases expanded.
    bytes: usize,
    /// Bytes held in the anchor table (each anchored subtree is kept once more there).
    anchor_bytes: usize,
    /// Collections open around the current event.
    depth: usize,
}

impl<'a> Builder<'a> {
    fn next(&mut self) -> Result<(Event<'a>, Span), SyntaxError> {
        match self.parser.next_event() {
            None => Err(SyntaxError {
                pos: Pos { line: 1, col: 1 },
                message: "文件意外结束".into(),
            }),
            Some(Err(e)) => Err(SyntaxError {
                pos: pos_of(*e.marker()),
                message: format!("YAML 语法错误：{}", translate_scan_error(e.info())),
            }),
            Some(Ok(ev)) => Ok(ev),
        }
    }

    fn document(&mut self) -> Result<Node, SyntaxError> {
        let null = |p: Pos, file| Node {
            value: Value::Scalar(Scalar {
                text: String::new(),
                plain: true,
            }),
            start: p,
            end: p,
            key: None,
            file,
        };
        let start = Pos { line: 1, col: 1 };
        loop {
            let (ev, span) = self.next()?;
            match ev {
                Event::StreamStart => continue,
                Event::StreamEnd => return Ok(null(start, self.file)),
                Event::DocumentStart(_) => break,
                _ => {
                    return Err(SyntaxError {
                        pos: pos_of(span.start),
                        message: "YAML 语法错误：文档开头有无法识别的内容".into(),
                    })
                }
            }
        }
        let (ev, span) = self.next()?;
        let root = if matches!(ev, Event::DocumentEnd) {
            null(pos_of(span.start), self.file)
        } else {
            let root = self.node(ev, span)?;
            let (end, _) = self.next()?;
            if !matches!(end, Event::DocumentEnd) {
                return Err(SyntaxError {
                    pos: root.end,
                    message: "YAML 语法错误：文档结构不完整".into(),
                });
            }
            root
        };
        // Only one document per file: a second one would be silently ignored otherwise.
        let (ev, span) = self.next()?;
        if let Event::DocumentStart(_) = ev {
            return Err(SyntaxError {
                pos: pos_of(span.start),
                message: "一个文件只能有一个 YAML 文档（发现第二个 `---`）".into(),
            });
        }
        Ok(root)
    }

    /// Charges `nodes` nodes and `bytes` bytes of text to the budgets.
    fn charge(&mut self, nodes: usize, bytes: usize, at: Pos) -> Result<(), SyntaxError> {
        self.nodes = self.nodes.saturating_add(nodes);
        self.bytes = self.bytes.saturating_add(bytes);
        if self.nodes > MAX_NODES {
            return Err(SyntaxError {
                pos: at,
                message: format!(
                    "文件过大或别名（*alias）展开过多：超过 {MAX_NODES} 个值（一份报告通常只有几百个）"
                ),
            });
        }
        if self.bytes > MAX_TREE_BYTES {
            return Err(SyntaxError {
                pos: at,
                message: format!(
                    "文件过大或别名（*alias）展开过多：展开后的文字超过 {} MB",
                    MAX_TREE_BYTES / (1024 * 1024)
                ),
            });
        }
        Ok(())
    }

    /// One node (and, for a collection, everything inside it) from its first event.
    ///
    /// Recursive, but never deeper than [`MAX_DEPTH`]: a collection that would open one level
    /// more is refused before its children are read.
    fn node(&mut self, ev: Event<'a>, span: Span) -> Result<Node, SyntaxError> {
        let start = pos_of(span.start);
        let (nodes0, bytes0) = (self.nodes, self.bytes);
        let (node, anchor) = match ev {
            Event::Scalar(text, style, anchor, _tag) => {
                (self.scalar(text, style, start, span)?, anchor)
            }
            Event::Alias(id) => return self.alias(id, start),
            Event::SequenceStart(anchor, _tag) => (self.sequence(start)?, anchor),
            Event::MappingStart(anchor, _tag) => (self.mapping(start)?, anchor),
            _ => {
                return Err(SyntaxError {
                    pos: start,
                    message: "YAML 语法错误：意外的结构".into(),
                })
            }
        };
        if anchor != 0 {
            let (nodes, bytes) = (self.nodes - nodes0, self.bytes - bytes0);
            // The anchor table keeps its own copy: charge it too, against the same ceiling.
            self.anchor_bytes = self.anchor_bytes.saturating_add(bytes);
            if self.anchor_bytes > MAX_TREE_BYTES {
                return Err(SyntaxError {
                    pos: start,
                    message: "锚点（&anchor）标记的内容过大".into(),
                });
            }
            self.anchors.insert(anchor, (node.clone(), nodes, bytes));
        }
        Ok(node)
    }

    fn scalar(
        &mut self,
        text: std::borrow::Cow<'a, str>,
        style: ScalarStyle,
        start: Pos,
        span: Span,
    ) -> Result<Node, SyntaxError> {
        self.charge(1, text.len(), start)?;
        Ok(Node {
            value: Value::Scalar(Scalar {
                text: text.into_owned(),
                plain: style == ScalarStyle::Plain,
            }),
            start,
            end: pos_of(span.end),
            key: None,
            file: self.file,
        })
    }

    /// An alias: a copy of its anchored node, charged to the budgets again.
    fn alias(&mut self, id: usize, start: Pos) -> Result<Node, SyntaxError> {
        let Some((target, nodes, bytes)) = self.anchors.get(&id) else {
            return Err(SyntaxError {
                pos: start,
                message: "YAML 语法错误：别名（*alias）引用了未定义的锚点（&anchor）".into(),
            });
        };
        let (mut n, nodes, bytes) = (target.clone(), *nodes, *bytes);
        // The budget is checked right after one copy: an alias bomb stops at its first
        // expansion past the ceiling, having allocated at most one anchored subtree.
        self.charge(nodes, bytes, start)?;
        n.key = None;
        Ok(n)
    }

    fn sequence(&mut self, start: Pos) -> Result<Node, SyntaxError> {
        self.charge(1, 0, start)?;
        self.enter(start)?;
        let mut items = Vec::new();
        let end = loop {
            let (ev, sp) = self.next()?;
            if matches!(ev, Event::SequenceEnd) {
                break pos_of(sp.end);
            }
            items.push(self.node(ev, sp)?);
        };
        self.depth -= 1;
        let end = items.last().map(|n| n.end).unwrap_or(end).max(start);
        Ok(Node {
            value: Value::Seq(items),
            start,
            end,
            key: None,
            file: self.file,
        })
    }

    fn mapping(&mut self, start: Pos) -> Result<Node, SyntaxError> {
        self.charge(1, 0, start)?;
        self.enter(start)?;
        let mut entries: Vec<(String, Node)> = Vec::new();
        // Keys seen so far: a hash set keeps the duplicate check linear in the keys.
        let mut seen: HashSet<String> = HashSet::new();
        let end = loop {
            let (ev, sp) = self.next()?;
            if matches!(ev, Event::MappingEnd) {
                break pos_of(sp.end);
            }
            let key_pos = pos_of(sp.start);
            let key = self.key(ev, key_pos, &mut seen)?;
            let (vev, vsp) = self.next()?;
            let mut value = self.node(vev, vsp)?;
            value.key = Some(key_pos);
            entries.push((key, value));
        };
        self.depth -= 1;
        let end = entries.last().map(|(_, n)| n.end).unwrap_or(end).max(start);
        Ok(Node {
            value: Value::Map(entries),
            start,
            end,
            key: None,
            file: self.file,
        })
    }

    /// A mapping key: simple text, not too long, not seen before in this mapping.
    fn key(
        &mut self,
        ev: Event<'a>,
        key_pos: Pos,
        seen: &mut HashSet<String>,
    ) -> Result<String, SyntaxError> {
        let key = match ev {
            Event::Scalar(text, ..) => text.into_owned(),
            _ => {
                return Err(SyntaxError {
                    pos: key_pos,
                    message: "不支持的键：字段名必须是简单文字".into(),
                })
            }
        };
        if key.chars().count() > MAX_KEY_CHARS {
            return Err(SyntaxError {
                pos: key_pos,
                message: format!(
                    "字段名太长（超过 {MAX_KEY_CHARS} 个字）：是不是把内容写在了冒号前面？"
                ),
            });
        }
        self.charge(0, key.len(), key_pos)?;
        if !seen.insert(key.clone()) {
            return Err(SyntaxError {
                pos: key_pos,
                message: format!("字段 `{key}` 重复出现：同一层级每个字段只能写一次"),
            });
        }
        Ok(key)
    }

    /// Opens one more collection level, refusing to go past [`MAX_DEPTH`].
    fn enter(&mut self, at: Pos) -> Result<(), SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(SyntaxError {
                pos: at,
                message: format!(
                    "嵌套层数太多：超过 {MAX_DEPTH} 层（报告最多用到 4 层，是不是缩进或 `- ` 写错了？）"
                ),
            });
        }
        Ok(())
    }
}

/// The scanner's most common messages (a part of each) and their Chinese wording.
const SCAN_ERRORS: &[(&str, &str)] = &[
    (
        "mapping values are not allowed in this context",
        "此处不能出现 `键: 值`（缩进不对，或值里有未加引号的 `: `）",
    ),
    (
        "while parsing a block mapping, did not find expected key",
        "缩进不一致：同一层的字段左边要对齐",
    ),
    (
        "while parsing a block collection, did not find expected '-' indicator",
        "列表项缩进不一致：同一列表的 `- ` 要对齐",
    ),
    (
        "invalid indentation in quoted scalar",
        "引号没有闭合（或引号内换行后的缩进不够）",
    ),
    ("invalid indentation", "缩进不正确：同一层的字段左边要对齐"),
    (
        "tab cannot be used",
        "出现了制表符 Tab：YAML 只能用空格缩进",
    ),
    ("tabs disallowed", "出现了制表符 Tab：YAML 只能用空格缩进"),
    ("found a tab", "出现了制表符 Tab：YAML 只能用空格缩进"),
    (
        "cannot start with a tab",
        "出现了制表符 Tab：YAML 只能用空格缩进",
    ),
    ("found unprintable character", "有无法显示的特殊字符"),
    (
        "unexpected character",
        "这个字符不能出现在值的开头（如 % @ ` 等）：请把整个值用引号括起来",
    ),
    (
        "recursion limit exceeded",
        "嵌套层数太多（方括号 [ 或花括号 { 套得太深）",
    ),
    (
        "simple key expect",
        "这一行缺少冒号 `:`（字段名后要写英文冒号和一个空格，不能用中文冒号“：”）",
    ),
    (
        "could not find expected ':'",
        "这一行缺少冒号 `:`（字段名后要写英文冒号和一个空格，不能用中文冒号“：”）",
    ),
    (
        "':' must be followed by a valid YAML whitespace",
        "冒号 `:` 后面要有一个空格",
    ),
    (
        "'-' must be followed by a valid YAML whitespace",
        "列表项的 `-` 后面要有一个空格",
    ),
    (
        "illegal placement of ':' indicator",
        "冒号 `:` 的位置不对（上方是否有没闭合的括号 [ 或 {？）",
    ),
    (
        "while parsing a flow sequence, expected ',' or ']'",
        "方括号 [ 没有闭合，或列表项之间缺少逗号",
    ),
    (
        "while parsing a flow mapping, did not find expected ',' or '}'",
        "花括号 { 没有闭合，或项之间缺少逗号",
    ),
    ("found unexpected end of stream", "引号没有闭合"),
    ("found unexpected document indicator", "引号没有闭合"),
    (
        "found unknown escape character",
        "双引号里的反斜杠 \\ 后面是无效的转义；要写反斜杠本身请用单引号",
    ),
    ("did not find expected node content", "这里缺少值"),
    (
        "block sequence entries are not allowed in this context",
        "此处不能出现列表项 `- `（缩进不对？）",
    ),
    (
        "wrongly indented line in block scalar",
        "多行文字的缩进不一致",
    ),
    (
        "unknown anchor",
        "别名（*alias）引用了未定义的锚点（&anchor）",
    ),
];

/// Chinese wording for the scanner's most common messages ([`SCAN_ERRORS`]); the English
/// original is kept for the rest so that nothing is lost.
fn translate_scan_error(info: &str) -> String {
    for (en, zh) in SCAN_ERRORS {
        if info.contains(en) {
            return format!("{zh}（{info}）");
        }
    }
    info.to_owned()
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::schema::parent_path;
    use crate::read::tree::Positions;

    const DOC: &str =
        "a: 1\nb: >-\n  xx\n  yy\nc:\n  - d: 1\n    e: [1, 2]\nf: \"q\"\ng:\n  h: 1\n";

    #[test]
    fn index_points_at_values_and_keys() {
        let t = parse_tree(DOC, 0).unwrap();
        let p = Positions::from_tree(&t);
        let e = p.get("c[0].d").unwrap();
        assert_eq!(e.value, Pos { line: 6, col: 8 });
        assert_eq!(e.key, Some(Pos { line: 6, col: 5 }));
        assert_eq!(p.get("c[0].e[1]").unwrap().value, Pos { line: 7, col: 12 });
        // A folded block scalar starts at its content line.
        assert_eq!(p.get("b").unwrap().value.line, 3);
        assert_eq!(p.get("g").unwrap().key, Some(Pos { line: 9, col: 1 }));
        assert_eq!(p.get("f").unwrap().value, Pos { line: 8, col: 4 });
        assert_eq!(t.get("f").unwrap().scalar().unwrap().text, "q");
        assert!(!t.get("f").unwrap().scalar().unwrap().plain);
    }

    #[test]
    fn nearest_falls_back_to_ancestors() {
        let t = parse_tree(DOC, 0).unwrap();
        let p = Positions::from_tree(&t);
        let (e, exact) = p.nearest("g.missing").unwrap();
        assert!(!exact);
        assert_eq!(e.key, Some(Pos { line: 9, col: 1 }));
        let (e, _) = p.nearest("c[5].x").unwrap();
        assert_eq!(e.key, Some(Pos { line: 5, col: 1 }));
        assert_eq!(parent_path("projects[3].executed"), "projects[3]");
        assert_eq!(parent_path("projects[3]"), "projects");
        assert_eq!(parent_path("projects"), "");
    }

    #[test]
    fn syntax_errors_have_positions_and_chinese_text() {
        let e = parse_tree("a: 1\nb: [1, 2\nc: 3\n", 0).unwrap_err();
        assert!(e.message.starts_with("YAML 语法错误"), "{}", e.message);
        assert!(e.pos.line >= 2);
        let e = parse_tree("a: 1\na: 2\n", 0).unwrap_err();
        assert_eq!(e.pos.line, 2);
        assert!(e.message.contains("重复"));
        assert!(parse_tree("a: 1\n---\nb: 2\n", 0).is_err());
    }

    #[test]
    fn common_mistakes_are_named() {
        let e = parse_tree("a: 1\norganization：卢龙\nb: 2\n", 0).unwrap_err();
        assert!(e.message.contains("中文冒号"), "{}", e.message);
        assert_eq!(e.pos, Pos { line: 2, col: 1 });
        let e = parse_tree("a: 1\nannual:38\nb: 2\n", 0).unwrap_err();
        assert!(e.message.contains("后面要有一个空格"), "{}", e.message);
        assert_eq!(e.pos.line, 2);
        let e = parse_tree("a:\n  b: 1\n\tc: 2\n", 0).unwrap_err();
        assert!(e.message.contains("制表符"), "{}", e.message);
        assert_eq!(e.pos, Pos { line: 3, col: 1 });
        let e = parse_tree("a: \"x\nb: 1\n", 0).unwrap_err();
        assert!(e.message.contains("引号"), "{}", e.message);
    }

    #[test]
    fn aliases_expand_with_a_budget() {
        let t = parse_tree("a: &x {k: 1}\nb: *x\n", 0).unwrap();
        assert_eq!(
            t.get("b").unwrap().get("k").unwrap().scalar().unwrap().text,
            "1"
        );
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..8 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            bomb.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        let e = parse_tree(&bomb, 0).unwrap_err();
        assert!(e.message.contains("别名"));
    }

    #[test]
    fn empty_document_is_null() {
        assert!(parse_tree("", 0).unwrap().is_null());
        assert!(parse_tree("# only a comment\n", 0).unwrap().is_null());
    }
}
