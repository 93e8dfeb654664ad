//! Bookmarks (`/Outlines`) from the layout's outline list ([`crate::layout::outline`]), the
//! same list the OFD outline is made from.
//!
//! printpdf's own bookmarks are one flat list that opens a page at its top; ours nest the
//! `（一）` headings under their `一、` heading and open the page at the heading itself
//! (`/XYZ left top null`), so they are written through lopdf.

use lopdf::{Dictionary, Object, ObjectId};

use crate::layout::OutlineEntry;

/// Writes the bookmarks of `entries` into `doc`; returns the `/Outlines` dictionary's id, or
/// `None` when there are none. `pages` are the page objects and `heights` their heights (pt).
pub(super) fn write(
    doc: &mut lopdf::Document,
    entries: &[OutlineEntry],
    pages: &[ObjectId],
    heights: &[f32],
) -> Option<ObjectId> {
    if entries.is_empty() {
        return None;
    }
    let root = doc.new_object_id();
    let (first, last, count) = write_level(doc, entries, root, pages, heights);
    let mut d = Dictionary::new();
    d.set("Type", Object::Name(b"Outlines".to_vec()));
    d.set("First", Object::Reference(first));
    d.set("Last", Object::Reference(last));
    d.set("Count", count);
    doc.objects.insert(root, Object::Dictionary(d));
    Some(root)
}

/// Writes one level of siblings under `parent`; returns the first, the last and how many
/// items are visible with every level open. The nesting is the outline's own (two levels).
fn write_level(
    doc: &mut lopdf::Document,
    entries: &[OutlineEntry],
    parent: ObjectId,
    pages: &[ObjectId],
    heights: &[f32],
) -> (ObjectId, ObjectId, i64) {
    let ids: Vec<ObjectId> = entries.iter().map(|_| doc.new_object_id()).collect();
    let mut count = 0;
    for (k, e) in entries.iter().enumerate() {
        let mut d = Dictionary::new();
        d.set("Title", text_string(&e.title));
        d.set("Parent", Object::Reference(parent));
        if k > 0 {
            d.set("Prev", Object::Reference(ids[k - 1]));
        }
        if let Some(next) = ids.get(k + 1) {
            d.set("Next", Object::Reference(*next));
        }
        let page = e.page.min(pages.len().saturating_sub(1));
        if let (Some(&pg), Some(&h)) = (pages.get(page), heights.get(page)) {
            let top = (h - e.top).max(0.0);
            d.set(
                "Dest",
                vec![
                    Object::Reference(pg),
                    Object::Name(b"XYZ".to_vec()),
                    Object::Null,
                    Object::Real((top * 100.0).round() / 100.0),
                    Object::Null,
                ],
            );
        }
        count += 1;
        if !e.children.is_empty() {
            let (f, l, c) = write_level(doc, &e.children, ids[k], pages, heights);
            d.set("First", Object::Reference(f));
            d.set("Last", Object::Reference(l));
            d.set("Count", c);
            count += c;
        }
        doc.objects.insert(ids[k], Object::Dictionary(d));
    }
    (ids[0], ids[ids.len() - 1], count)
}

/// A PDF text string: UTF-16BE with its byte-order mark (the titles are Chinese).
pub(super) fn text_string(s: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for u in s.encode_utf16() {
        bytes.extend_from_slice(&u.to_be_bytes());
    }
    Object::String(bytes, lopdf::StringFormat::Literal)
}
