//! The logical structure of a tagged PDF (PDF/UA-1): what each line is, as a tree in reading
//! order, and which marked-content sequence (MCID) of which page holds its glyphs.
//!
//! The layout already knows what every line is ([`LineKind`], its block, and for table text its
//! cell), so the tree is written down, not guessed:
//! - `Document` → one element per block in reading order: `H1` for `一、` headings, `H2` for
//!   `（一）`, `P` for paragraphs (a run-in `1.`/`（1）` heading stays inside its `P`: it is the
//!   start of the paragraph's first sentence, not a heading of its own);
//! - the document title is `Title`, role-mapped to `H1`. PDF 1.7 has no title type (PDF 2.0's
//!   `Title` is the same idea), and the title is what a screen reader's heading list should
//!   start with, above the `一、` chapters; mapping it to `P` would hide it from that list;
//! - the 附件标识 is a `P` (a label line before the title, read as it is), and the 署名 and the
//!   成文日期 are a `P` each: two separate lines of the closing, as the text shows them;
//! - a table is one `Table` however many pages it runs over: its title is its `Caption`, then
//!   `TR` per row, `TH` (with `/Scope`: `Column` in a row of header cells only, else `Row`) or
//!   `TD` per cell, `/RowSpan` and `/ColSpan` where a cell is merged;
//! - artifacts, never in the tree: page numbers (`/Pagination /Footer`), the heading rows and
//!   merged labels drawn again on a continuation page (`/Pagination`), and table rules.
//!
//! Consecutive lines of one element on one page share one marked-content sequence, which keeps
//! the content streams and the parent tree small.

use std::collections::BTreeMap;

use lopdf::{Dictionary, Object, ObjectId};

use crate::layout::{CellPlace, Layout, Line, LineKind, Page};

/// What a line's glyphs are marked as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mark {
    /// Content of the element `elem`, in marked-content sequence `mcid` of its page.
    Content { mcid: u32, elem: usize },
    /// A page number.
    Footer,
    /// Text repeated on a continuation page.
    Repeated,
}

/// A child of a structure element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kid {
    Elem(usize),
    Mcid { page: usize, mcid: u32 },
}

/// A structure element.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Elem {
    /// Structure type (`P`, `H1`, `TD`, …).
    pub role: &'static str,
    /// Index of the parent element (the root's is itself).
    pub parent: usize,
    pub kids: Vec<Kid>,
    /// The page of its first marked content, for `/Pg`.
    pub page: Option<usize>,
    /// For table cells: spans and scope.
    pub cell: Option<(CellPlace, bool)>,
}

/// The whole structure: the elements (`elems[0]` is `Document`) and each line's mark.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Tree {
    pub elems: Vec<Elem>,
    /// Per page, per line.
    pub marks: Vec<Vec<Mark>>,
    /// Per page, the element each MCID belongs to (the parent tree).
    pub parents: Vec<Vec<usize>>,
}

/// What an element stands for, so lines of one element find it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Block(usize),
    Closing(usize, bool),
    Table(usize),
    Caption(usize),
    Row(usize, usize),
    Cell(usize, usize, usize),
}

struct Builder {
    elems: Vec<Elem>,
    keys: BTreeMap<Key, usize>,
    /// Rows of each table that hold header cells only.
    header_rows: BTreeMap<(usize, usize), bool>,
}

impl Builder {
    fn elem(&mut self, key: Key, parent: usize, role: &'static str) -> usize {
        if let Some(&e) = self.keys.get(&key) {
            return e;
        }
        let e = self.elems.len();
        self.elems.push(Elem {
            role,
            parent,
            kids: Vec::new(),
            page: None,
            cell: None,
        });
        self.elems[parent].kids.push(Kid::Elem(e));
        self.keys.insert(key, e);
        e
    }

    fn table(&mut self, t: usize) -> usize {
        self.elem(Key::Table(t), 0, "Table")
    }

    /// The element a line belongs to, or the artifact it is.
    fn target(&mut self, line: &Line, cell: Option<&CellPlace>) -> Result<usize, Mark> {
        let Some(b) = line.block else {
            return Err(Mark::Footer);
        };
        let (key, role) = match line.kind {
            LineKind::PageNumber => return Err(Mark::Footer),
            LineKind::Title => (Key::Block(b), "Title"),
            LineKind::Heading1 => (Key::Block(b), "H1"),
            LineKind::Heading2 => (Key::Block(b), "H2"),
            LineKind::Attachment | LineKind::Body => (Key::Block(b), "P"),
            LineKind::Signature => (Key::Closing(b, false), "P"),
            LineKind::Date => (Key::Closing(b, true), "P"),
            LineKind::TableTitle => {
                let t = self.table(b);
                return Ok(self.elem(Key::Caption(b), t, "Caption"));
            }
            LineKind::TableCell => return self.cell(b, line, cell),
        };
        Ok(self.elem(key, 0, role))
    }

    fn cell(&mut self, b: usize, line: &Line, cell: Option<&CellPlace>) -> Result<usize, Mark> {
        let Some(c) = cell else {
            // Table text outside any cell (the layout makes none): a paragraph of the table.
            let t = self.table(b);
            let _ = line;
            return Ok(self.elem(Key::Caption(b), t, "P"));
        };
        if c.repeat {
            return Err(Mark::Repeated);
        }
        Ok(self.cell_elem(c))
    }

    /// The `TH`/`TD` element of cell `c` (and its `TR` and `Table`), made on first sight.
    fn cell_elem(&mut self, c: &CellPlace) -> usize {
        let t = self.table(c.table);
        let tr = self.elem(Key::Row(c.table, c.row), t, "TR");
        let role = if c.header { "TH" } else { "TD" };
        let e = self.elem(Key::Cell(c.table, c.row, c.col), tr, role);
        let column = self
            .header_rows
            .get(&(c.table, c.row))
            .copied()
            .unwrap_or(false);
        self.elems[e].cell = Some((*c, column));
        e
    }

    /// Elements for the empty cells that stand before line `at` of `page`: a cell without
    /// text still holds its place in the row for a screen reader counting columns.
    fn empty_cells(&mut self, page: &Page, at: usize) {
        for c in &page.cells {
            if c.lines.is_empty() && c.lines.start == at && !c.place.repeat {
                self.cell_elem(&c.place);
            }
        }
    }
}

/// For each (table, row), whether every cell of the row is a header cell.
fn header_rows(layout: &Layout) -> BTreeMap<(usize, usize), bool> {
    let mut rows: BTreeMap<(usize, usize), bool> = BTreeMap::new();
    for c in layout.pages.iter().flat_map(|p| &p.cells) {
        let all = rows.entry((c.place.table, c.place.row)).or_insert(true);
        *all &= c.place.header;
    }
    rows
}

/// The cell each line of `page` belongs to.
fn cells_of(page: &Page) -> Vec<Option<&CellPlace>> {
    let mut out = vec![None; page.lines.len()];
    for c in &page.cells {
        for slot in out.get_mut(c.lines.clone()).into_iter().flatten() {
            *slot = Some(&c.place);
        }
    }
    out
}

/// Plans the structure of `layout`.
pub(super) fn plan(layout: &Layout) -> Tree {
    let mut b = Builder {
        elems: vec![Elem {
            role: "Document",
            parent: 0,
            kids: Vec::new(),
            page: None,
            cell: None,
        }],
        keys: BTreeMap::new(),
        header_rows: header_rows(layout),
    };
    let mut marks = Vec::with_capacity(layout.pages.len());
    let mut parents = Vec::with_capacity(layout.pages.len());
    for (pi, page) in layout.pages.iter().enumerate() {
        let cells = cells_of(page);
        let mut page_marks = Vec::with_capacity(page.lines.len());
        let mut page_parents: Vec<usize> = Vec::new();
        let mut open: Option<Mark> = None;
        for (li, (line, cell)) in page.lines.iter().zip(cells).enumerate() {
            b.empty_cells(page, li);
            let mark = match b.target(line, cell) {
                Err(artifact) => artifact,
                Ok(elem) => match open {
                    Some(m @ Mark::Content { elem: e, .. }) if e == elem => m,
                    _ => {
                        let mcid = page_parents.len() as u32;
                        page_parents.push(elem);
                        let el = &mut b.elems[elem];
                        el.kids.push(Kid::Mcid { page: pi, mcid });
                        el.page.get_or_insert(pi);
                        Mark::Content { mcid, elem }
                    }
                },
            };
            open = Some(mark);
            page_marks.push(mark);
        }
        b.empty_cells(page, page.lines.len());
        marks.push(page_marks);
        parents.push(page_parents);
    }
    Tree {
        elems: b.elems,
        marks,
        parents,
    }
}

impl Tree {
    /// Writes the structure tree into `doc` and returns the `StructTreeRoot`'s id. `pages` are
    /// the page objects in order; each gets its `/StructParents`.
    pub(super) fn write(&self, doc: &mut lopdf::Document, pages: &[ObjectId]) -> ObjectId {
        let root = doc.new_object_id();
        let ids: Vec<ObjectId> = self.elems.iter().map(|_| doc.new_object_id()).collect();
        for (k, el) in self.elems.iter().enumerate() {
            let parent = if k == 0 { root } else { ids[el.parent] };
            doc.objects.insert(
                ids[k],
                Object::Dictionary(self.elem_dict(el, parent, &ids, pages)),
            );
        }
        let mut nums = Vec::with_capacity(2 * pages.len());
        for (pi, (page, parents)) in pages.iter().zip(&self.parents).enumerate() {
            if let Ok(Object::Dictionary(d)) = doc.get_object_mut(*page) {
                d.set("StructParents", pi as i64);
                d.set("Tabs", Object::Name(b"S".to_vec()));
            }
            nums.push(Object::Integer(pi as i64));
            let refs = parents.iter().map(|&e| Object::Reference(ids[e]));
            nums.push(Object::Array(refs.collect()));
        }
        let mut parent_tree = Dictionary::new();
        parent_tree.set("Nums", nums);
        let mut role_map = Dictionary::new();
        role_map.set("Title", Object::Name(b"H1".to_vec()));
        let mut d = Dictionary::new();
        d.set("Type", Object::Name(b"StructTreeRoot".to_vec()));
        d.set("K", Object::Reference(ids[0]));
        d.set("ParentTree", parent_tree);
        d.set("ParentTreeNextKey", pages.len() as i64);
        d.set("RoleMap", role_map);
        doc.objects.insert(root, Object::Dictionary(d));
        root
    }

    fn elem_dict(
        &self,
        el: &Elem,
        parent: ObjectId,
        ids: &[ObjectId],
        pages: &[ObjectId],
    ) -> Dictionary {
        let mut d = Dictionary::new();
        d.set("Type", Object::Name(b"StructElem".to_vec()));
        d.set("S", Object::Name(el.role.as_bytes().to_vec()));
        d.set("P", Object::Reference(parent));
        if let Some(p) = el.page {
            d.set("Pg", Object::Reference(pages[p]));
        }
        let kids: Vec<Object> = el
            .kids
            .iter()
            .map(|k| match *k {
                Kid::Elem(e) => Object::Reference(ids[e]),
                Kid::Mcid { page, mcid } if Some(page) == el.page => Object::Integer(mcid as i64),
                Kid::Mcid { page, mcid } => {
                    let mut r = Dictionary::new();
                    r.set("Type", Object::Name(b"MCR".to_vec()));
                    r.set("Pg", Object::Reference(pages[page]));
                    r.set("MCID", mcid as i64);
                    Object::Dictionary(r)
                }
            })
            .collect();
        d.set(
            "K",
            match <[Object; 1]>::try_from(kids) {
                Ok([one]) => one,
                Err(kids) => Object::Array(kids),
            },
        );
        if let Some(a) = el.cell.and_then(|(c, column)| cell_attributes(&c, column)) {
            d.set("A", a);
        }
        d
    }
}

/// The table attributes of a cell: `/Scope` for header cells, spans where merged (`None` for a
/// plain data cell).
fn cell_attributes(c: &CellPlace, column: bool) -> Option<Dictionary> {
    if !c.header && c.row_span <= 1 && c.col_span <= 1 {
        return None;
    }
    let mut a = Dictionary::new();
    a.set("O", Object::Name(b"Table".to_vec()));
    if c.header {
        let scope: &[u8] = if column { b"Column" } else { b"Row" };
        a.set("Scope", Object::Name(scope.to_vec()));
    }
    if c.row_span > 1 {
        a.set("RowSpan", c.row_span as i64);
    }
    if c.col_span > 1 {
        a.set("ColSpan", c.col_span as i64);
    }
    Some(a)
}
