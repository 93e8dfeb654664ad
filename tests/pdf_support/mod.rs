//! Reading a tagged PDF back with lopdf alone: each page's marked-content sequences and the
//! text in them (through the fonts' `/ToUnicode` maps), and the structure tree in reading order.

#![allow(dead_code)]

use std::collections::BTreeMap;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Encoding, Object, ObjectId};

/// One marked-content sequence of a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Marked {
    /// Index of the page (0-based).
    pub page: usize,
    /// Its MCID, for content.
    pub mcid: Option<i64>,
    /// Its `/Type`, for an artifact (`""` for an artifact without one).
    pub artifact: Option<String>,
    /// The text drawn inside it.
    pub text: String,
    /// Glyphs drawn inside it.
    pub glyphs: usize,
}

/// Everything a page draws, by marked-content sequence.
#[derive(Debug, Default)]
pub struct PageMarks {
    pub marked: Vec<Marked>,
    /// Glyphs drawn outside any marked-content sequence.
    pub unmarked_glyphs: usize,
    /// Glyphs drawn inside more than one (nested) sequence.
    pub nested_glyphs: usize,
}

pub fn load(bytes: &[u8]) -> Document {
    Document::load_mem(bytes).expect("lopdf reads our PDF")
}

pub fn pages(doc: &Document) -> Vec<ObjectId> {
    doc.get_pages().into_values().collect()
}

fn name_of(o: &Object) -> String {
    o.as_name()
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .unwrap_or_default()
}

/// The marked content of page `index`.
pub fn page_marks(doc: &Document, index: usize) -> PageMarks {
    let page_id = pages(doc)[index];
    let fonts = doc.get_page_fonts(page_id).expect("page fonts");
    let encodings: BTreeMap<Vec<u8>, Encoding> = fonts
        .into_iter()
        .map(|(name, font)| (name, font.get_font_encoding(doc).expect("encoding")))
        .collect();
    let content = Content::decode(&doc.get_page_content(page_id)).unwrap();
    let mut out = PageMarks::default();
    let mut stack: Vec<Option<usize>> = Vec::new();
    let mut font: Option<&Encoding> = None;
    for op in &content.operations {
        match op.operator.as_str() {
            "BDC" | "BMC" => {
                let tag = name_of(&op.operands[0]);
                let props = op.operands.get(1).and_then(|p| p.as_dict().ok());
                let mcid = props.and_then(|p| p.get(b"MCID").ok()?.as_i64().ok());
                let artifact = (tag == "Artifact").then(|| {
                    props
                        .and_then(|p| p.get(b"Type").ok())
                        .map(name_of)
                        .unwrap_or_default()
                });
                out.marked.push(Marked {
                    page: index,
                    mcid,
                    artifact,
                    text: String::new(),
                    glyphs: 0,
                });
                stack.push(Some(out.marked.len() - 1));
            }
            "EMC" => {
                stack.pop();
            }
            "Tf" => font = encodings.get(op.operands[0].as_name().unwrap()),
            "Tj" | "TJ" => {
                let mut bytes = Vec::new();
                collect_strings(&op.operands, &mut bytes);
                let text = font
                    .map(|e| Document::decode_text(e, &bytes).unwrap_or_default())
                    .unwrap_or_default();
                // Our fonts are CID fonts with two-byte codes.
                let glyphs = bytes.len() / 2;
                match stack.as_slice() {
                    [] => out.unmarked_glyphs += glyphs,
                    [Some(k)] => {
                        out.marked[*k].text.push_str(&text);
                        out.marked[*k].glyphs += glyphs;
                    }
                    _ => out.nested_glyphs += glyphs,
                }
            }
            _ => {}
        }
    }
    out
}

fn collect_strings(operands: &[Object], out: &mut Vec<u8>) {
    for o in operands {
        match o {
            Object::String(b, _) => out.extend_from_slice(b),
            Object::Array(a) => collect_strings(a, out),
            _ => {}
        }
    }
}

/// A structure element, read back.
#[derive(Debug, Clone)]
pub struct Elem {
    pub role: String,
    /// Depth below the root element (0 for `Document`).
    pub depth: usize,
    /// Its own text: the text of the marked content it references directly.
    pub text: String,
    /// The page of its first marked content.
    pub page: Option<usize>,
    pub attrs: Option<Dictionary>,
}

/// The structure tree in reading order (depth first), with each element's text.
pub fn structure(doc: &Document) -> Vec<Elem> {
    let pages = pages(doc);
    let mut texts: BTreeMap<(usize, i64), String> = BTreeMap::new();
    for i in 0..pages.len() {
        for m in page_marks(doc, i).marked {
            if let Some(mcid) = m.mcid {
                texts.insert((i, mcid), m.text);
            }
        }
    }
    let root = catalog(doc)
        .get(b"StructTreeRoot")
        .unwrap()
        .as_reference()
        .unwrap();
    let root = doc.get_dictionary(root).unwrap();
    let mut out = Vec::new();
    walk(doc, root.get(b"K").unwrap(), &pages, &texts, 0, &mut out);
    out
}

pub fn catalog(doc: &Document) -> &Dictionary {
    doc.catalog().expect("catalog")
}

fn walk(
    doc: &Document,
    k: &Object,
    pages: &[ObjectId],
    texts: &BTreeMap<(usize, i64), String>,
    depth: usize,
    out: &mut Vec<Elem>,
) {
    match k {
        Object::Array(items) => {
            for item in items {
                walk(doc, item, pages, texts, depth, out);
            }
        }
        Object::Reference(id) => {
            let d = doc.get_dictionary(*id).unwrap();
            let page = d
                .get(b"Pg")
                .ok()
                .and_then(|p| p.as_reference().ok())
                .and_then(|p| pages.iter().position(|x| *x == p));
            out.push(Elem {
                role: name_of(d.get(b"S").unwrap()),
                depth,
                text: String::new(),
                page,
                attrs: d.get(b"A").ok().and_then(|a| a.as_dict().ok()).cloned(),
            });
            let me = out.len() - 1;
            if let Ok(kids) = d.get(b"K") {
                own_text(kids, pages, texts, page, &mut out[me]);
                walk(doc, kids, pages, texts, depth + 1, out);
            }
        }
        _ => {}
    }
}

/// Appends to `e` the text of the MCIDs among `kids`.
fn own_text(
    kids: &Object,
    pages: &[ObjectId],
    texts: &BTreeMap<(usize, i64), String>,
    pg: Option<usize>,
    e: &mut Elem,
) {
    let items: Vec<&Object> = match kids {
        Object::Array(a) => a.iter().collect(),
        other => vec![other],
    };
    for item in items {
        let key = match item {
            Object::Integer(mcid) => pg.map(|p| (p, *mcid)),
            Object::Dictionary(d) => {
                let page = d.get(b"Pg").ok().and_then(|p| p.as_reference().ok());
                let page = page.and_then(|p| pages.iter().position(|x| *x == p));
                let mcid = d.get(b"MCID").ok().and_then(|m| m.as_i64().ok());
                page.zip(mcid)
            }
            _ => None,
        };
        if let Some(t) = key.and_then(|k| texts.get(&k)) {
            e.text.push_str(t);
        }
    }
}

/// A PDF text string (UTF-16BE with its mark, or PDFDocEncoding as Latin-1).
pub fn text_string(o: &Object) -> String {
    let b = o.as_str().expect("a string");
    if b.starts_with(&[0xFE, 0xFF]) {
        let units: Vec<u16> = b[2..]
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        b.iter().map(|&c| c as char).collect()
    }
}
