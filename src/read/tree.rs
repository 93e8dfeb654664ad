//! The input as a tree with source marks, and an index from field paths
//! (`projects[3].executed`) to the line and column of each value and of its key.
//!
//! serde gives us the typed model but forgets positions once it succeeds, so the semantic checks
//! (`executed` > `annual`, a missing 四是 …) could not point at the offending line. Every reader
//! (the YAML one in `yaml.rs`) therefore first builds this small tree of our own; the schema
//! walk, the defaults merge and the position index all work on it, and each node remembers which
//! source file it came from, so a merged input still names the file and line of a value.

use crate::model::schema::{join, parent_path};
use std::collections::BTreeMap;

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
    /// Index of the source file (see [`crate::read::load::Source`]).
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
