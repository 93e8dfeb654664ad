//! The document's outline: its headings and tables as a reader's bookmarks pane lists them.
//!
//! One list, taken from the laid-out pages, feeds both the PDF bookmarks and the OFD outline,
//! so the two can never disagree. The document title comes first (a tagged PDF makes it a
//! heading, and every heading a reader can list gets its bookmark); a level-1 heading (`一、`) is an entry and the level-2
//! headings (`（一）`) after it are its children; each table is an entry of its own, named after
//! what its first row names (the 自评表's repeated `项目名称 | name` row gives the project's
//! name), else its title. Every entry points at the top of its first line.

use super::page::{Layout, LineKind, Page};

/// One entry of the outline.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineEntry {
    /// 1 for the title, `一、` headings and tables, 2 for `（一）` headings.
    pub level: u8,
    /// What the entry says (whitespace removed).
    pub title: String,
    /// Index of the page it points to (0-based).
    pub page: usize,
    /// The top of its first line, pt from the top of the page.
    pub top: f32,
    /// Entries nested under it.
    pub children: Vec<OutlineEntry>,
}

/// The outline of `layout`, in reading order.
pub fn outline(layout: &Layout) -> Vec<OutlineEntry> {
    let mut items: Vec<OutlineEntry> = Vec::new();
    let mut tables = std::collections::BTreeSet::new();
    let mut last_heading = None;
    for (pi, page) in layout.pages.iter().enumerate() {
        for line in &page.lines {
            let (level, title) = match (line.kind, line.block) {
                (LineKind::Title | LineKind::Heading1 | LineKind::Heading2, Some(b)) => {
                    let level = if line.kind == LineKind::Heading2 {
                        2
                    } else {
                        1
                    };
                    let text = squeeze(&line.text());
                    // A heading that wraps continues its entry.
                    if last_heading.replace(b) == Some(b) {
                        if let Some(entry) = last_entry(&mut items, level) {
                            entry.title.push_str(&text);
                        }
                        continue;
                    }
                    (level, text)
                }
                (LineKind::TableTitle | LineKind::TableCell, Some(b)) => {
                    last_heading = None;
                    if !tables.insert(b) {
                        continue;
                    }
                    (
                        1,
                        table_name(page, b).unwrap_or_else(|| squeeze(&line.text())),
                    )
                }
                _ => {
                    last_heading = None;
                    continue;
                }
            };
            let entry = OutlineEntry {
                level,
                title,
                page: pi,
                top: (line.baseline - line.size).max(0.0),
                children: Vec::new(),
            };
            match items.last_mut() {
                Some(h1) if level == 2 && h1.level == 1 => h1.children.push(entry),
                _ => items.push(entry),
            }
        }
    }
    items
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The entry a continuation line of a heading of `level` belongs to.
fn last_entry(items: &mut [OutlineEntry], level: u8) -> Option<&mut OutlineEntry> {
    let last = items.last_mut()?;
    if level == 2 && last.level == 1 {
        return last.children.last_mut();
    }
    Some(last)
}

/// What the first row of table `block` names when it is a label and its value (`项目名称 |
/// …`): the value. `None` when the first row is anything else (column headings, say).
fn table_name(page: &Page, block: usize) -> Option<String> {
    let mut first_row: Vec<_> = page
        .cells
        .iter()
        .filter(|c| c.place.table == block && c.place.row == 0)
        .collect();
    first_row.sort_by_key(|c| c.place.col);
    let [label, value] = first_row.as_slice() else {
        return None;
    };
    if !label.place.header || value.place.header {
        return None;
    }
    let text: String = page.lines[value.lines.clone()]
        .iter()
        .map(|l| squeeze(&l.text()))
        .collect();
    (!text.is_empty()).then_some(text)
}
