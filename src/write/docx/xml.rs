//! The XML patch layer: fixes in docx-rs's output what its API cannot express.
//!
//! docx-rs (0.4.22) writes the body, footers, relationships and content types well enough, but:
//! - it writes the children of `w:pPr`, `w:rPr`, `w:sectPr`, `w:tblPr`, `w:trPr` and `w:tcPr`
//!   in its own order, not the sequence the WordprocessingML schema (ECMA-376 part 1, wml.xsd)
//!   prescribes. Word rejects an out-of-order `w:sectPr` (the `w:footerReference` must come
//!   first) and validating consumers reject the rest, so [`normalize_order`] sorts them;
//! - it has no `w:tblHeader` (repeating table header rows): [`mark_header_rows`] adds it;
//! - its `w14:paraId` values come from a thread-local counter, so two renders in one process
//!   differ: [`renumber_para_ids`] makes them a function of the document alone.
//!
//! It also holds [`clean_text`], what every text run goes through before docx-rs escapes it.
//!
//! The layer parses a part into a small tree ([`Element`]), edits the tree and writes it back.
//! Text and attribute values are kept exactly as escaped in the input, so a round trip changes
//! nothing but what a patch touches.

use quick_xml::events::Event;
use quick_xml::Reader;

/// A node of the tree: an element, or raw (still escaped) character data.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Element(Element),
    /// Escaped text, entity references and CDATA sections, as they appeared in the input.
    Text(String),
}

/// An XML element with its attributes (values kept escaped) and children.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

/// A malformed part (never expected from docx-rs; reported instead of panicking).
#[derive(Debug, thiserror::Error)]
#[error("XML patch: {0}")]
pub struct PatchError(pub String);

impl Element {
    /// An element without attributes or children.
    pub fn new(name: &str) -> Self {
        Element {
            name: name.to_string(),
            attrs: Vec::new(),
            children: Vec::new(),
        }
    }

    /// Adds an attribute; `value` is escaped here.
    pub fn attr(mut self, key: &str, value: &str) -> Self {
        self.attrs.push((key.to_string(), escape(value)));
        self
    }

    /// Adds a child element.
    pub fn child(mut self, child: Element) -> Self {
        self.children.push(Node::Element(child));
        self
    }

    /// Adds escaped text for `text`.
    pub fn text(mut self, text: &str) -> Self {
        self.children.push(Node::Text(escape(text)));
        self
    }

    /// The raw (escaped) value of attribute `key`.
    pub fn get_attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Sets attribute `key` to the already escaped `raw` value, replacing an existing one.
    pub fn set_attr_raw(&mut self, key: &str, raw: String) {
        match self.attrs.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = raw,
            None => self.attrs.push((key.to_string(), raw)),
        }
    }

    /// The element children, in order.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The element children, mutable.
    pub fn elements_mut(&mut self) -> impl Iterator<Item = &mut Element> {
        self.children.iter_mut().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The first child element called `name`.
    pub fn find(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    /// The first child element called `name`, mutable.
    pub fn find_mut(&mut self, name: &str) -> Option<&mut Element> {
        self.elements_mut().find(|e| e.name == name)
    }

    /// Every descendant (self included) in document order.
    pub fn descendants(&self) -> Vec<&Element> {
        fn walk<'a>(e: &'a Element, out: &mut Vec<&'a Element>) {
            out.push(e);
            for c in e.elements() {
                walk(c, out);
            }
        }
        let mut out = Vec::new();
        walk(self, &mut out);
        out
    }

    fn write(&self, out: &mut String) {
        out.push('<');
        out.push_str(&self.name);
        for (k, v) in &self.attrs {
            out.push(' ');
            out.push_str(k);
            out.push_str("=\"");
            out.push_str(v);
            out.push('"');
        }
        if self.children.is_empty() {
            out.push_str("/>");
            return;
        }
        out.push('>');
        for c in &self.children {
            match c {
                Node::Element(e) => e.write(out),
                Node::Text(t) => out.push_str(t),
            }
        }
        out.push_str("</");
        out.push_str(&self.name);
        out.push('>');
    }
}

/// Escapes text or an attribute value for XML, dropping the characters XML 1.0 cannot carry at
/// all (C0 controls other than tab, line feed and carriage return; U+FFFE, U+FFFF): one of them
/// in `docProps/core.xml` would make Word refuse the whole file. The input check already
/// rejects them; this keeps the writer safe on its own.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// `text` without the characters XML 1.0 forbids (C0 controls other than tab and newline,
/// U+FFFE, U+FFFF); `\r\n` becomes `\n`. One of them, pasted from another program, makes Word
/// refuse the whole file.
///
/// It sits in this XML layer, below the body and table builders that both call it, rather than in
/// `body` (where it was, which made `body` and `table` import each other).
pub fn clean_text(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .filter(|&c| matches!(c, '\t' | '\n') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}'))
        .collect()
}

/// The XML declaration every part is written with.
pub const DECLARATION: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

/// Parses a whole part. Declarations, comments, processing instructions and a doctype are
/// dropped (docx-rs writes none but the declaration, which [`write`] puts back).
pub fn parse(bytes: &[u8]) -> Result<Element, PatchError> {
    let text = std::str::from_utf8(bytes).map_err(|e| PatchError(e.to_string()))?;
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let utf8 = |b: &[u8]| -> Result<String, PatchError> {
        String::from_utf8(b.to_vec()).map_err(|e| PatchError(e.to_string()))
    };
    let start = |e: &quick_xml::events::BytesStart| -> Result<Element, PatchError> {
        let mut el = Element::new(&utf8(e.name().as_ref())?);
        for a in e.attributes() {
            let a = a.map_err(|err| PatchError(err.to_string()))?;
            el.attrs.push((utf8(a.key.as_ref())?, utf8(&a.value)?));
        }
        Ok(el)
    };
    loop {
        let event = reader
            .read_event()
            .map_err(|e| PatchError(format!("at byte {}: {e}", reader.buffer_position())))?;
        let finished = match event {
            Event::Start(e) => {
                stack.push(start(&e)?);
                None
            }
            Event::Empty(e) => Some(start(&e)?),
            Event::End(_) => Some(
                stack
                    .pop()
                    .ok_or_else(|| PatchError("unbalanced end tag".into()))?,
            ),
            Event::Text(t) => {
                push_text(&mut stack, utf8(&t)?);
                None
            }
            Event::GeneralRef(r) => {
                push_text(&mut stack, format!("&{};", utf8(&r)?));
                None
            }
            Event::CData(c) => {
                push_text(&mut stack, format!("<![CDATA[{}]]>", utf8(&c)?));
                None
            }
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => None,
            Event::Eof => break,
        };
        if let Some(el) = finished {
            match stack.last_mut() {
                Some(parent) => parent.children.push(Node::Element(el)),
                None if root.is_none() => root = Some(el),
                None => return Err(PatchError("two root elements".into())),
            }
        }
    }
    if !stack.is_empty() {
        return Err(PatchError("unclosed element".into()));
    }
    root.ok_or_else(|| PatchError("no root element".into()))
}

fn push_text(stack: &mut [Element], text: String) {
    // Text outside the root (whitespace between declaration and root) is dropped.
    if let Some(parent) = stack.last_mut() {
        if let Some(Node::Text(prev)) = parent.children.last_mut() {
            prev.push_str(&text);
        } else {
            parent.children.push(Node::Text(text));
        }
    }
}

/// Writes a part: declaration plus the tree.
pub fn write(root: &Element) -> Vec<u8> {
    let mut out = String::from(DECLARATION);
    root.write(&mut out);
    out.into_bytes()
}

/// Child order of `w:pPr` (CT_PPr = CT_PPrBase + rPr, sectPr, pPrChange).
const PPR: &[&str] = &[
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
];

/// Child order of `w:rPr` (CT_ParaRPr's leading ins/del, then EG_RPrBase, then rPrChange).
const RPR: &[&str] = &[
    "w:ins",
    "w:del",
    "w:moveFrom",
    "w:moveTo",
    "w:rStyle",
    "w:rFonts",
    "w:b",
    "w:bCs",
    "w:i",
    "w:iCs",
    "w:caps",
    "w:smallCaps",
    "w:strike",
    "w:dstrike",
    "w:outline",
    "w:shadow",
    "w:emboss",
    "w:imprint",
    "w:noProof",
    "w:snapToGrid",
    "w:vanish",
    "w:webHidden",
    "w:color",
    "w:spacing",
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
    "w:rPrChange",
];

/// Child order of `w:sectPr` (CT_SectPr). Header and footer references share the first rank:
/// the schema lets them interleave.
const SECTPR: &[&str] = &[
    "w:headerReference|w:footerReference",
    "w:footnotePr",
    "w:endnotePr",
    "w:type",
    "w:pgSz",
    "w:pgMar",
    "w:paperSrc",
    "w:pgBorders",
    "w:lnNumType",
    "w:pgNumType",
    "w:cols",
    "w:formProt",
    "w:vAlign",
    "w:noEndnote",
    "w:titlePg",
    "w:textDirection",
    "w:bidi",
    "w:rtlGutter",
    "w:docGrid",
    "w:printerSettings",
    "w:sectPrChange",
];

/// Child order of `w:tblPr` (CT_TblPr).
const TBLPR: &[&str] = &[
    "w:tblStyle",
    "w:tblpPr",
    "w:tblOverlap",
    "w:bidiVisual",
    "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize",
    "w:tblW",
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
    "w:tblPrChange",
];

/// Child order of `w:trPr` (CT_TrPr: the base properties are a free choice; ins, del and
/// trPrChange follow them).
const TRPR: &[&str] = &[
    "w:cnfStyle|w:divId|w:gridBefore|w:gridAfter|w:wBefore|w:wAfter|w:cantSplit|w:trHeight|w:tblHeader|w:tblCellSpacing|w:jc|w:hidden",
    "w:ins",
    "w:del",
    "w:trPrChange",
];

/// Child order of `w:tcPr` (CT_TcPr).
const TCPR: &[&str] = &[
    "w:cnfStyle",
    "w:tcW",
    "w:gridSpan",
    "w:hMerge",
    "w:vMerge",
    "w:tcBorders",
    "w:shd",
    "w:noWrap",
    "w:tcMar",
    "w:textDirection",
    "w:tcFitText",
    "w:vAlign",
    "w:hideMark",
    "w:headers",
    "w:cellIns",
    "w:cellDel",
    "w:cellMerge",
    "w:tcPrChange",
];

/// Child order of `w:style` (CT_Style).
const STYLE: &[&str] = &[
    "w:name",
    "w:aliases",
    "w:basedOn",
    "w:next",
    "w:link",
    "w:autoRedefine",
    "w:uiPriority",
    "w:semiHidden",
    "w:unhideWhenUsed",
    "w:qFormat",
    "w:locked",
    "w:personal",
    "w:personalCompose",
    "w:personalReply",
    "w:rsid",
    "w:pPr",
    "w:rPr",
    "w:tblPr",
    "w:trPr",
    "w:tcPr",
    "w:tblStylePr",
];

/// The schema sequence for the children of `parent`, if this layer orders it.
fn order_for(parent: &str) -> Option<&'static [&'static str]> {
    Some(match parent {
        "w:pPr" => PPR,
        "w:rPr" => RPR,
        "w:sectPr" => SECTPR,
        "w:tblPr" => TBLPR,
        "w:trPr" => TRPR,
        "w:tcPr" => TCPR,
        "w:style" => STYLE,
        _ => return None,
    })
}

fn rank(order: &[&str], name: &str) -> Option<usize> {
    order
        .iter()
        .position(|slot| slot.split('|').any(|n| n == name))
}

/// Sorts the children of every ordered container (see [`order_for`]) into schema order, in the
/// whole tree. The sort is stable. Returns the names of children the schema tables do not know
/// (they keep their place at the end); callers' tests assert that this list is empty.
pub fn normalize_order(root: &mut Element) -> Vec<String> {
    let mut unknown = Vec::new();
    normalize_rec(root, &mut unknown);
    unknown.sort();
    unknown.dedup();
    unknown
}

fn normalize_rec(el: &mut Element, unknown: &mut Vec<String>) {
    if let Some(order) = order_for(&el.name) {
        // Whitespace text between property elements carries no meaning; drop it so the sort
        // sees elements only.
        el.children.retain(|n| matches!(n, Node::Element(_)));
        for c in el.elements() {
            if rank(order, &c.name).is_none() {
                unknown.push(format!("{}/{}", el.name, c.name));
            }
        }
        el.children.sort_by_key(|n| match n {
            Node::Element(e) => rank(order, &e.name).unwrap_or(usize::MAX),
            Node::Text(_) => usize::MAX,
        });
    }
    for c in el.elements_mut() {
        normalize_rec(c, unknown);
    }
}

/// Removes empty property containers that carry nothing (`<w:rPr/>` inside a `w:pPr`, say).
/// docx-rs writes one in every paragraph and run; they are valid but noise.
pub fn drop_empty(root: &mut Element, names: &[&str]) {
    root.children.retain(|n| match n {
        Node::Element(e) => {
            !(names.contains(&e.name.as_str()) && e.children.is_empty() && e.attrs.is_empty())
        }
        Node::Text(_) => true,
    });
    for c in root.elements_mut() {
        drop_empty(c, names);
    }
}

/// Removes attribute `attr` from every element called `name`. docx-rs writes
/// `<w:gridCol w:w=".." w:type="dxa"/>`, but CT_TblGridCol has no `w:type`.
pub fn remove_attr(root: &mut Element, name: &str, attr: &str) {
    if root.name == name {
        root.attrs.retain(|(k, _)| k != attr);
    }
    for c in root.elements_mut() {
        remove_attr(c, name, attr);
    }
}

/// Marks the first `counts[k]` rows of the k-th top-level table of the body as header rows
/// (`w:tblHeader`), which Word, WPS and LibreOffice repeat at the top of every page the table
/// runs onto. Tables beyond `counts` are left alone. Fails when a table has fewer rows than its
/// count says (a writer bug, not a user error).
pub fn mark_header_rows(document: &mut Element, counts: &[usize]) -> Result<(), PatchError> {
    let body = document
        .find_mut("w:body")
        .ok_or_else(|| PatchError("document without w:body".into()))?;
    let tables = body.elements_mut().filter(|e| e.name == "w:tbl");
    for (table, &n) in tables.zip(counts) {
        let mut rows = table.elements_mut().filter(|e| e.name == "w:tr");
        for _ in 0..n {
            let row = rows
                .next()
                .ok_or_else(|| PatchError("fewer rows than header rows".into()))?;
            if row.find("w:trPr").is_none() {
                row.children
                    .insert(0, Node::Element(Element::new("w:trPr")));
            }
            let tr_pr = row
                .find_mut("w:trPr")
                .ok_or_else(|| PatchError("w:trPr vanished".into()))?;
            if tr_pr.find("w:tblHeader").is_none() {
                tr_pr
                    .children
                    .push(Node::Element(Element::new("w:tblHeader")));
            }
        }
    }
    Ok(())
}

/// Gives every `w14:paraId` a value that depends only on the paragraph's position in the part
/// (`start`, `start+1`, …). Returns the next free value, so several parts can share one
/// sequence (Word wants paraIds unique across the package and below 0x80000000).
pub fn renumber_para_ids(root: &mut Element, start: u32) -> u32 {
    let mut next = start;
    fn walk(e: &mut Element, next: &mut u32) {
        if e.get_attr("w14:paraId").is_some() {
            e.set_attr_raw("w14:paraId", format!("{:08X}", *next));
            *next += 1;
        }
        for c in e.elements_mut() {
            walk(c, next);
        }
    }
    walk(root, &mut next);
    next
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(s: &str) -> String {
        let root = parse(s.as_bytes()).unwrap();
        String::from_utf8(write(&root)).unwrap()
    }

    #[test]
    fn clean_text_drops_what_xml_cannot_carry() {
        assert_eq!(clean_text("a\u{1}b\u{b}c\r\nd\te\u{FFFF}"), "abc\nd\te");
        assert_eq!(clean_text("中文（1）"), "中文（1）");
    }

    #[test]
    fn round_trip_keeps_text_and_escapes() {
        let src = r#"<w:p a="x &amp; &quot;y&quot;"><w:r><w:t xml:space="preserve"> a &lt;b&gt; &amp; 中文 </w:t></w:r><w:r/></w:p>"#;
        assert_eq!(roundtrip(src), format!("{DECLARATION}{src}"));
    }

    #[test]
    fn parse_rejects_malformed() {
        assert!(parse(b"<a><b></a>").is_err());
        assert!(parse(b"<a>").is_err());
        assert!(parse(b"").is_err());
    }

    #[test]
    fn sect_pr_is_put_in_schema_order() {
        let src = r#"<w:sectPr><w:pgSz w:w="1"/><w:pgMar w:top="2"/><w:cols w:space="425"/><w:docGrid w:type="lines"/><w:footerReference w:type="default" r:id="rId6"/><w:footerReference w:type="even" r:id="rId7"/><w:pgNumType w:start="1"/><w:titlePg/></w:sectPr>"#;
        let mut root = parse(src.as_bytes()).unwrap();
        assert!(normalize_order(&mut root).is_empty());
        let names: Vec<_> = root.elements().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "w:footerReference",
                "w:footerReference",
                "w:pgSz",
                "w:pgMar",
                "w:pgNumType",
                "w:cols",
                "w:titlePg",
                "w:docGrid"
            ]
        );
        // Stable: default before even, as written.
        assert_eq!(
            root.elements().next().unwrap().get_attr("w:type"),
            Some("default")
        );
    }

    #[test]
    fn ppr_and_rpr_are_ordered_recursively_and_unknowns_reported() {
        let src = r#"<w:p><w:pPr><w:rPr><w:sz w:val="32"/><w:rFonts w:eastAsia="x"/></w:rPr><w:pStyle w:val="a"/><w:jc w:val="both"/><w:ind w:left="0"/><w:keepNext/><w:bogus/></w:pPr></w:p>"#;
        let mut root = parse(src.as_bytes()).unwrap();
        let unknown = normalize_order(&mut root);
        assert_eq!(unknown, ["w:pPr/w:bogus"]);
        let ppr = root.find("w:pPr").unwrap();
        let names: Vec<_> = ppr.elements().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "w:pStyle",
                "w:keepNext",
                "w:ind",
                "w:jc",
                "w:rPr",
                "w:bogus"
            ]
        );
        let rpr: Vec<_> = ppr
            .find("w:rPr")
            .unwrap()
            .elements()
            .map(|e| e.name.as_str())
            .collect();
        assert_eq!(rpr, ["w:rFonts", "w:sz"]);
    }

    #[test]
    fn header_rows_get_tbl_header_once() {
        let src = r#"<w:document><w:body><w:tbl><w:tr><w:trPr><w:cantSplit/></w:trPr></w:tr><w:tr/><w:tr/></w:tbl><w:p/><w:tbl><w:tr/><w:tr/></w:tbl></w:body></w:document>"#;
        let mut root = parse(src.as_bytes()).unwrap();
        mark_header_rows(&mut root, &[2, 1]).unwrap();
        mark_header_rows(&mut root, &[2, 1]).unwrap();
        let body = root.find("w:body").unwrap();
        let tables: Vec<_> = body.elements().filter(|e| e.name == "w:tbl").collect();
        let header = |t: &Element| -> Vec<bool> {
            t.elements()
                .map(|r| {
                    r.find("w:trPr")
                        .and_then(|p| p.find("w:tblHeader"))
                        .is_some()
                })
                .collect()
        };
        assert_eq!(header(tables[0]), [true, true, false]);
        assert_eq!(header(tables[1]), [true, false]);
        let first = tables[0].elements().next().unwrap().find("w:trPr").unwrap();
        assert_eq!(first.elements().count(), 2);
        assert!(mark_header_rows(&mut root, &[4]).is_err());
    }

    #[test]
    fn para_ids_depend_on_position_only() {
        let src = r#"<w:body><w:p w14:paraId="0000002A"/><w:tbl><w:p w14:paraId="00000007"/></w:tbl><w:p/></w:body>"#;
        let mut root = parse(src.as_bytes()).unwrap();
        let next = renumber_para_ids(&mut root, 1);
        assert_eq!(next, 3);
        let out = String::from_utf8(write(&root)).unwrap();
        assert!(out.contains(r#"w14:paraId="00000001""#));
        assert!(out.contains(r#"w14:paraId="00000002""#));
    }

    #[test]
    fn remove_attr_only_touches_the_named_element() {
        let src = r#"<w:tblGrid><w:gridCol w:w="10" w:type="dxa"/><w:x w:type="dxa"/></w:tblGrid>"#;
        let mut root = parse(src.as_bytes()).unwrap();
        remove_attr(&mut root, "w:gridCol", "w:type");
        let out = String::from_utf8(write(&root)).unwrap();
        assert!(
            out.ends_with(r#"<w:tblGrid><w:gridCol w:w="10"/><w:x w:type="dxa"/></w:tblGrid>"#),
            "{out}"
        );
    }

    #[test]
    fn drop_empty_removes_only_empty_containers() {
        let src =
            r#"<w:p><w:pPr><w:rPr/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>x</w:t></w:r></w:p>"#;
        let mut root = parse(src.as_bytes()).unwrap();
        drop_empty(&mut root, &["w:rPr"]);
        drop_empty(&mut root, &["w:pPr"]);
        let out = String::from_utf8(write(&root)).unwrap();
        assert!(
            out.ends_with(r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>x</w:t></w:r></w:p>"#),
            "{out}"
        );
    }
}
