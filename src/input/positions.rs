//! Where every value of an input was written: a YAML node tree with source marks, and an index
//! from field paths (`projects[3].executed`) to the line and column of the value and of its key.
//!
//! serde gives us the typed model but forgets positions once it succeeds, so the semantic checks
//! (`executed` > `annual`, a missing 四是 …) could not point at the offending line. We therefore
//! parse the text a second time with saphyr-parser, whose events carry [`Span`]s, and keep a
//! small tree of our own. The tree is also what the schema walk (all unknown fields, all missing
//! fields, wrong kinds) and the defaults merge work on; each node remembers which source file it
//! came from so a merged input still names the file and line where a value was written.

use saphyr_parser::{Event, Parser, ScalarStyle, Span};
use std::collections::{BTreeMap, HashMap};

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

/// The scalar of a node, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar {
    /// The scalar's value after YAML unescaping and folding.
    pub text: String,
    /// Plain (unquoted) scalars are subject to type resolution (`2021`, `true`, `~`).
    pub plain: bool,
}

impl Scalar {
    /// YAML 1.2 core-schema null: an empty plain scalar, `~`, `null`.
    pub fn is_null(&self) -> bool {
        self.plain && matches!(self.text.as_str(), "" | "~" | "null" | "Null" | "NULL")
    }
}

/// What a node holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Scalar(Scalar),
    Seq(Vec<Node>),
    /// Keys in source order; keys are scalars (other keys are rejected when building).
    Map(Vec<(String, Node)>),
}

/// A YAML node with the place it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub value: Value,
    /// Start of the value (for block mappings/sequences: their first entry).
    pub start: Pos,
    /// End of the value (exclusive).
    pub end: Pos,
    /// Position of this node's key, when it is a mapping value.
    pub key: Option<Pos>,
    /// Index of the source file (see [`crate::input::load::Source`]).
    pub file: usize,
}

impl Node {
    /// The scalar, if this node is one.
    pub fn scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// Whether the node is a YAML null.
    pub fn is_null(&self) -> bool {
        self.scalar().is_some_and(Scalar::is_null)
    }

    /// The child with this key, if this node is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, n)| n),
            _ => None,
        }
    }

    /// Short Chinese name of the node's kind, for messages.
    pub fn kind_name(&self) -> &'static str {
        match &self.value {
            Value::Scalar(s) if s.is_null() => "空值",
            Value::Scalar(_) => "单个值",
            Value::Seq(_) => "列表",
            Value::Map(_) => "映射（键: 值）",
        }
    }
}

/// A YAML syntax problem found while building the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub pos: Pos,
    /// Chinese message.
    pub message: String,
}

/// At most this many nodes after alias expansion: a guard against "billion laughs" alias bombs.
const MAX_NODES: usize = 200_000;

fn pos_of(m: saphyr_parser::Marker) -> Pos {
    Pos {
        line: m.line(),
        col: m.col() + 1,
    }
}

/// Parses `text` into a node tree. An empty document gives a null scalar at 1:1.
pub fn parse_tree(text: &str, file: usize) -> Result<Node, SyntaxError> {
    let mut b = Builder {
        parser: Parser::new_from_str(text),
        anchors: HashMap::new(),
        file,
        count: 0,
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

struct Builder<'a> {
    parser: Parser<'a, saphyr_parser::StrInput<'a>>,
    anchors: HashMap<usize, Node>,
    file: usize,
    count: usize,
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

    fn bump(&mut self, n: usize, at: Pos) -> Result<(), SyntaxError> {
        self.count += n;
        if self.count > MAX_NODES {
            return Err(SyntaxError {
                pos: at,
                message: format!("文件过大或别名（alias）展开过多：超过 {MAX_NODES} 个节点"),
            });
        }
        Ok(())
    }

    fn node(&mut self, ev: Event<'a>, span: Span) -> Result<Node, SyntaxError> {
        let start = pos_of(span.start);
        let (node, anchor) = match ev {
            Event::Scalar(text, style, anchor, _tag) => {
                self.bump(1, start)?;
                let node = Node {
                    value: Value::Scalar(Scalar {
                        text: text.into_owned(),
                        plain: style == ScalarStyle::Plain,
                    }),
                    start,
                    end: pos_of(span.end),
                    key: None,
                    file: self.file,
                };
                (node, anchor)
            }
            Event::Alias(id) => {
                let Some(target) = self.anchors.get(&id).cloned() else {
                    return Err(SyntaxError {
                        pos: start,
                        message: "YAML 语法错误：别名（*alias）引用了未定义的锚点（&anchor）"
                            .into(),
                    });
                };
                self.bump(count_nodes(&target), start)?;
                let mut n = target;
                n.key = None;
                return Ok(n);
            }
            Event::SequenceStart(anchor, _tag) => {
                self.bump(1, start)?;
                let mut items = Vec::new();
                let end = loop {
                    let (ev, sp) = self.next()?;
                    if matches!(ev, Event::SequenceEnd) {
                        break pos_of(sp.end);
                    }
                    items.push(self.node(ev, sp)?);
                };
                let end = items.last().map(|n| n.end).unwrap_or(end).max(start);
                let node = Node {
                    value: Value::Seq(items),
                    start,
                    end,
                    key: None,
                    file: self.file,
                };
                (node, anchor)
            }
            Event::MappingStart(anchor, _tag) => {
                self.bump(1, start)?;
                let mut entries: Vec<(String, Node)> = Vec::new();
                let end = loop {
                    let (ev, sp) = self.next()?;
                    if matches!(ev, Event::MappingEnd) {
                        break pos_of(sp.end);
                    }
                    let key_pos = pos_of(sp.start);
                    let key = match ev {
                        Event::Scalar(text, ..) => text.into_owned(),
                        _ => {
                            return Err(SyntaxError {
                                pos: key_pos,
                                message: "不支持的键：字段名必须是简单文字".into(),
                            })
                        }
                    };
                    let (vev, vsp) = self.next()?;
                    let mut value = self.node(vev, vsp)?;
                    value.key = Some(key_pos);
                    if entries.iter().any(|(k, _)| *k == key) {
                        return Err(SyntaxError {
                            pos: key_pos,
                            message: format!("字段 `{key}` 重复出现：同一层级每个字段只能写一次"),
                        });
                    }
                    entries.push((key, value));
                };
                let end = entries.last().map(|(_, n)| n.end).unwrap_or(end).max(start);
                let node = Node {
                    value: Value::Map(entries),
                    start,
                    end,
                    key: None,
                    file: self.file,
                };
                (node, anchor)
            }
            _ => {
                return Err(SyntaxError {
                    pos: start,
                    message: "YAML 语法错误：意外的结构".into(),
                })
            }
        };
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        Ok(node)
    }
}

fn count_nodes(n: &Node) -> usize {
    1 + match &n.value {
        Value::Scalar(_) => 0,
        Value::Seq(items) => items.iter().map(count_nodes).sum(),
        Value::Map(entries) => entries.iter().map(|(_, n)| count_nodes(n)).sum(),
    }
}

/// Chinese wording for the scanner's most common messages; the English original is kept for
/// the rest so that nothing is lost.
fn translate_scan_error(info: &str) -> String {
    let known: &[(&str, &str)] = &[
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
        ("tab", "出现了制表符 Tab：YAML 只能用空格缩进"),
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
    for (en, zh) in known {
        if info.contains(en) {
            return format!("{zh}（{info}）");
        }
    }
    info.to_owned()
}

/// One indexed value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// Where the value starts.
    pub value: Pos,
    /// Where the value ends (exclusive).
    pub end: Pos,
    /// Where its key is, when it is a mapping value.
    pub key: Option<Pos>,
    /// Source file index.
    pub file: usize,
}

/// Field path → position of its value and key, for one (possibly merged) input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Positions {
    entries: BTreeMap<String, Entry>,
}

impl Positions {
    /// Indexes every node of `root` by its field path (`""` is the root).
    pub fn from_tree(root: &Node) -> Positions {
        let mut p = Positions::default();
        p.add("", root);
        p
    }

    fn add(&mut self, path: &str, n: &Node) {
        self.entries.insert(
            path.to_owned(),
            Entry {
                value: n.start,
                end: n.end,
                key: n.key,
                file: n.file,
            },
        );
        match &n.value {
            Value::Scalar(_) => {}
            Value::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.add(&format!("{path}[{i}]"), item);
                }
            }
            Value::Map(entries) => {
                for (k, v) in entries {
                    self.add(&join(path, k), v);
                }
            }
        }
    }

    /// The entry of exactly this path.
    pub fn get(&self, path: &str) -> Option<&Entry> {
        self.entries.get(path)
    }

    /// The entry of the path, or of its nearest existing ancestor (then pointing at the
    /// ancestor's key when it has one: a missing field is reported at its parent's line).
    pub fn nearest(&self, path: &str) -> Option<(Entry, bool)> {
        let mut p = path;
        loop {
            if let Some(e) = self.entries.get(p) {
                return Some((*e, p == path));
            }
            if p.is_empty() {
                return None;
            }
            p = parent_path(p);
        }
    }

    /// All indexed paths, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }
}

/// `parent` + `.key` (no dot at the root).
pub fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

/// `projects[3].executed` → `projects[3]` → `projects` → ``.
pub fn parent_path(path: &str) -> &str {
    if path.ends_with(']') {
        if let Some(i) = path.rfind('[') {
            return &path[..i];
        }
    }
    match path.rfind('.') {
        Some(i) => &path[..i],
        None => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
