//! Archive semantics (GB/T 33476/33480 spirit): the report's key facts and its semantic tags.
//!
//! Two things let an archive system index a report without reading its text:
//! - `CustomDatas` in `DocInfo`: 部门, 评价年度, 成文日期, 综合考评得分, 评价等次 and the
//!   notice's 文号, as the document model carries them ([`crate::document::Meta::facts`]);
//! - a custom tag file (GB/T 33190 §16, 自定义标引) that names the parts of the 公文 after the
//!   GB/T 9704 elements — 标题, 一级标题, 二级标题, 段落, 表格, 发文机关署名, 成文日期 — each
//!   pointing at the text objects that draw it (`<ofd:ObjectRef PageRef="page">object</…>`).
//!
//! - the outline (`Outlines` in `Document.xml`, a reader's bookmarks pane): the title, the
//!   level-1 headings with the level-2 headings under them, and the tables, each going to its
//!   place on its page — the same list as the PDF's bookmarks ([`crate::layout::outline`]).
//!
//! The index file `CustomTags.xml` names the tag vocabulary with the attribute `NameSpace`, as
//! the standard's schema (annex, `CustomTags.xsd`) says. Some producers (ofdrw) write `TypeID`
//! instead, which is what the standard's prose table shows; we follow the XSD so the file
//! validates, and give the vocabulary's own schema as `SchemaLoc`.

use std::fmt::Write as _;

use super::content::{PageContent, TextRef};
use super::{esc, mm, um, NS};
use crate::document::Meta;
use crate::layout::{Layout, LineKind, OutlineEntry};

/// The namespace of our tag vocabulary.
pub const TAGS_NS: &str = "urn:jixiao:ofd:gongwen-tags:1";

/// Where the tag parts live, relative to the document's folder.
pub const INDEX_LOC: &str = "Tags/CustomTags.xml";
/// The tag file, relative to the index's folder.
pub const FILE_LOC: &str = "CustomTag.xml";
/// The vocabulary's schema, relative to the index's folder.
pub const SCHEMA_LOC: &str = "CustomTag.xsd";

/// The `CustomDatas` element of `DocInfo` (empty when there are no facts).
pub fn custom_datas(meta: &Meta) -> String {
    if meta.facts.is_empty() {
        return String::new();
    }
    let mut out = String::from("<ofd:CustomDatas>");
    for (name, value) in &meta.facts {
        let _ = write!(
            out,
            r#"<ofd:CustomData Name="{}">{}</ofd:CustomData>"#,
            esc(name),
            esc(value)
        );
    }
    out.push_str("</ofd:CustomDatas>");
    out
}

/// The index part (`CustomTags.xml`).
pub fn index() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<ofd:CustomTags xmlns:ofd="{NS}"><ofd:CustomTag NameSpace="{TAGS_NS}"><ofd:SchemaLoc>{SCHEMA_LOC}</ofd:SchemaLoc><ofd:FileLoc>{FILE_LOC}</ofd:FileLoc></ofd:CustomTag></ofd:CustomTags>
"#
    )
}

/// The element name of a kind of line; `None` for page numbers (not content).
fn element(kind: LineKind) -> Option<&'static str> {
    Some(match kind {
        LineKind::Attachment => "附件标识",
        LineKind::Title => "标题",
        LineKind::Heading1 => "一级标题",
        LineKind::Heading2 => "二级标题",
        LineKind::Body => "段落",
        LineKind::Signature => "发文机关署名",
        LineKind::Date => "成文日期",
        LineKind::TableTitle | LineKind::TableCell => "表格",
        LineKind::PageNumber => return None,
    })
}

/// Elements that belong inside `正文`.
fn in_body(name: &str) -> bool {
    matches!(name, "一级标题" | "二级标题" | "段落" | "表格")
}

/// The tag file: one element per document block (a paragraph that runs over a page break is one
/// element with references on both pages), in reading order; headings, paragraphs and tables
/// inside `正文`, or inside `附件` when they follow the signature and date (the 自评表).
pub fn tag_file(pages: &[PageContent]) -> String {
    // Group consecutive objects of one block and element: (element, block, [(page, object)]).
    type Group = (&'static str, Option<usize>, Vec<(u32, TextRef)>);
    let mut groups: Vec<Group> = Vec::new();
    for page in pages {
        for obj in &page.objects {
            let Some(name) = element(obj.kind) else {
                continue;
            };
            match groups.last_mut() {
                Some((n, b, refs)) if *n == name && *b == obj.block && obj.block.is_some() => {
                    refs.push((page.id, *obj));
                }
                _ => groups.push((name, obj.block, vec![(page.id, *obj)])),
            }
        }
    }
    let mut out = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<jx:公文 xmlns:jx="{TAGS_NS}" xmlns:ofd="{NS}">"#
    );
    // Body parts before the signature go in 正文; what follows the date (the 自评表) is 附件.
    let mut open: Option<&str> = None;
    let mut signed = false;
    for (name, _, refs) in &groups {
        let wrapper = in_body(name).then_some(if signed { "附件" } else { "正文" });
        if wrapper != open {
            if let Some(w) = open {
                let _ = write!(out, "</jx:{w}>");
            }
            if let Some(w) = wrapper {
                let _ = write!(out, "<jx:{w}>");
            }
            open = wrapper;
        }
        if matches!(*name, "发文机关署名" | "成文日期") {
            signed = true;
        }
        let _ = write!(out, "<jx:{name}>");
        for (page, obj) in refs {
            let _ = write!(
                out,
                r#"<ofd:ObjectRef PageRef="{page}">{}</ofd:ObjectRef>"#,
                obj.id
            );
        }
        let _ = write!(out, "</jx:{name}>");
    }
    if let Some(w) = open {
        let _ = write!(out, "</jx:{w}>");
    }
    out.push_str("</jx:公文>\n");
    out
}

/// The `Outlines` element of `Document.xml` (empty when the document has no headings): the
/// layout's outline list ([`crate::layout::outline`]), the one the PDF bookmarks come from.
/// `pages` are the serialised pages of `layout`, for their IDs.
pub fn outlines(layout: &Layout, pages: &[PageContent]) -> String {
    let items = crate::layout::outline(layout);
    if items.is_empty() {
        return String::new();
    }
    let mut out = String::from("<ofd:Outlines>");
    for item in &items {
        outline_elem(&mut out, item, pages);
    }
    out.push_str("</ofd:Outlines>");
    out
}

fn outline_elem(out: &mut String, item: &OutlineEntry, pages: &[PageContent]) {
    let page_id = pages.get(item.page).map_or(0, |p| p.id);
    let _ = write!(
        out,
        r#"<ofd:OutlineElem Title="{}"><ofd:Actions><ofd:Action Event="CLICK"><ofd:Goto><ofd:Dest Type="XYZ" PageID="{}" Left="0" Top="{}"/></ofd:Goto></ofd:Action></ofd:Actions>"#,
        esc(&item.title),
        page_id,
        mm(um(item.top).max(0)),
    );
    for child in &item.children {
        outline_elem(out, child, pages);
    }
    out.push_str("</ofd:OutlineElem>");
}

/// The schema of the tag vocabulary (`SchemaLoc`).
pub fn schema() -> String {
    let refs = format!(
        r#"<xs:complexType name="Refs"><xs:sequence><xs:any namespace="{NS}" processContents="lax" maxOccurs="unbounded"/></xs:sequence></xs:complexType>"#
    );
    let part = |n: &str| format!(r#"<xs:element name="{n}" type="jx:Refs"/>"#);
    let body_parts: String = ["一级标题", "二级标题", "段落", "表格"]
        .iter()
        .map(|n| part(n))
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:jx="{TAGS_NS}" targetNamespace="{TAGS_NS}" elementFormDefault="qualified">
{refs}
<xs:element name="公文"><xs:complexType><xs:choice minOccurs="0" maxOccurs="unbounded">{}{}{}{}
<xs:element name="正文"><xs:complexType><xs:choice minOccurs="0" maxOccurs="unbounded">{body_parts}</xs:choice></xs:complexType></xs:element>
<xs:element name="附件"><xs:complexType><xs:choice minOccurs="0" maxOccurs="unbounded">{body_parts}</xs:choice></xs:complexType></xs:element>
</xs:choice></xs:complexType></xs:element>
</xs:schema>
"#,
        part("附件标识"),
        part("标题"),
        part("发文机关署名"),
        part("成文日期"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(id: u32, kind: LineKind, block: usize) -> TextRef {
        TextRef {
            id,
            kind,
            block: Some(block),
        }
    }

    #[test]
    fn blocks_become_elements_and_body_parts_nest() {
        let pages = vec![
            PageContent {
                id: 10,
                xml: String::new(),
                objects: vec![
                    obj(12, LineKind::Title, 0),
                    obj(13, LineKind::Heading1, 1),
                    obj(14, LineKind::Body, 2),
                    obj(15, LineKind::Body, 2),
                ],
            },
            PageContent {
                id: 20,
                xml: String::new(),
                objects: vec![
                    obj(22, LineKind::Body, 2),
                    obj(23, LineKind::Signature, 3),
                    obj(24, LineKind::Date, 3),
                    TextRef {
                        id: 25,
                        kind: LineKind::PageNumber,
                        block: None,
                    },
                    obj(26, LineKind::TableTitle, 4),
                    obj(27, LineKind::TableCell, 4),
                ],
            },
        ];
        let xml = tag_file(&pages);
        assert!(xml.contains(
            r#"<jx:标题><ofd:ObjectRef PageRef="10">12</ofd:ObjectRef></jx:标题><jx:正文><jx:一级标题>"#
        ));
        assert!(xml.contains(r#"<jx:段落><ofd:ObjectRef PageRef="10">14</ofd:ObjectRef><ofd:ObjectRef PageRef="10">15</ofd:ObjectRef><ofd:ObjectRef PageRef="20">22</ofd:ObjectRef></jx:段落></jx:正文><jx:发文机关署名>"#));
        assert!(xml.contains(
            r#"<jx:成文日期><ofd:ObjectRef PageRef="20">24</ofd:ObjectRef></jx:成文日期><jx:附件><jx:表格><ofd:ObjectRef PageRef="20">26</ofd:ObjectRef><ofd:ObjectRef PageRef="20">27</ofd:ObjectRef></jx:表格></jx:附件></jx:公文>"#
        ));
        assert!(!xml.contains(">25<"));
    }

    #[test]
    fn custom_datas_escape_values() {
        let meta = Meta {
            facts: vec![("文号".into(), "卢财绩〔2022〕2号 & <x>".into())],
            ..Meta::default()
        };
        assert_eq!(
            custom_datas(&meta),
            r#"<ofd:CustomDatas><ofd:CustomData Name="文号">卢财绩〔2022〕2号 &amp; &lt;x&gt;</ofd:CustomData></ofd:CustomDatas>"#
        );
        assert_eq!(custom_datas(&Meta::default()), "");
    }
}
