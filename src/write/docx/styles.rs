//! The package parts jixiao writes itself: `styles.xml`, `settings.xml` and `fontTable.xml`.
//!
//! docx-rs always writes its own `Normal` style (no way to set its fonts, size or indents), puts
//! the children of `w:style` out of schema order and writes `w:evenAndOddHeaders` after
//! `w:compat` in `settings.xml`, where the schema does not allow it. These three parts are small
//! and entirely jixiao's design, so they are generated here from the style table below and
//! replace docx-rs's versions after `build()`.

use super::geometry::*;
use super::xml::Element;
use crate::layout::table::LINE_EM;

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// The font written for each typographic role (the official names by default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontNames {
    /// 仿宋: body, run-in headings, tables.
    pub fangsong: String,
    /// 黑体: level-1 headings, 附件标识, table header cells.
    pub heiti: String,
    /// 楷体: level-2 headings.
    pub kaiti: String,
    /// 小标宋: the title and table titles.
    pub xiaobiaosong: String,
    /// 宋体: page numbers.
    pub songti: String,
}

impl Default for FontNames {
    fn default() -> Self {
        FontNames {
            fangsong: "仿宋_GB2312".into(),
            heiti: "黑体".into(),
            kaiti: "楷体_GB2312".into(),
            xiaobiaosong: "方正小标宋简体".into(),
            songti: "宋体".into(),
        }
    }
}

/// Style ids (ASCII, as Word prefers; the display names are Chinese where Word has no built-in).
pub mod id {
    pub const NORMAL: &str = "Normal";
    pub const HEADING: [&str; 4] = ["Heading1", "Heading2", "Heading3", "Heading4"];
    pub const HEADING_CHAR: [&str; 2] = ["Heading3Char", "Heading4Char"];
    pub const ATTACHMENT: &str = "Attachment";
    pub const TITLE: &str = "DocTitle";
    pub const SIGNATURE: &str = "Signature";
    pub const DATE: &str = "SignDate";
    pub const TABLE_TEXT: &str = "TableText";
    pub const TABLE_HEADER: &str = "TableHeader";
    pub const TABLE_TITLE: &str = "TableTitle";
    pub const TABLE_TEXT_SMALL: &str = "TableTextSmall";
    pub const TABLE_HEADER_SMALL: &str = "TableHeaderSmall";
    pub const TABLE_END: &str = "TableEnd";
    pub const FOOTER: &str = "Footer";
    pub const TABLE_NORMAL: &str = "TableNormal";
    pub const DEFAULT_FONT: &str = "DefaultParagraphFont";
}

fn w(name: &str) -> Element {
    Element::new(&format!("w:{name}"))
}

fn val(name: &str, v: impl ToString) -> Element {
    w(name).attr("w:val", &v.to_string())
}

fn fonts(face: &str) -> Element {
    w("rFonts")
        .attr("w:ascii", face)
        .attr("w:eastAsia", face)
        .attr("w:hAnsi", face)
        .attr("w:cs", face)
}

fn size(half_pt: usize) -> [Element; 2] {
    [val("sz", half_pt), val("szCs", half_pt)]
}

/// Paragraph properties of a style, in schema order (CT_PPrGeneral).
#[derive(Default)]
struct PPr {
    keep_next: bool,
    keep_lines: bool,
    widow_control: Option<bool>,
    kinsoku: bool,
    /// `w:overflowPunct` off: punctuation may not hang past the right edge of the type area
    /// (the spec: a 禁则 conflict moves a character down instead). Word and WPS honour it.
    /// LibreOffice 7.4 reads the element inverted (writerfilter maps `val="0"` to
    /// `ParaIsHangingPunctuation = true`), so there it hangs line-end punctuation, and its PDF
    /// export was seen dropping such a hanging `，`; `val="1"` would stop LibreOffice but make
    /// Word hang. The reports are edited in Word and WPS, so the standard's behaviour wins.
    no_overflow_punct: bool,
    /// `w:autoSpaceDE`/`w:autoSpaceDN` off: no extra gap between CJK and Latin letters/digits.
    no_auto_space: bool,
    snap_to_grid: Option<bool>,
    /// `(before, after, line, lineRule)`.
    spacing: Option<(u32, u32, u32, &'static str)>,
    /// `(left, right, firstLine)`.
    ind: Option<(i32, i32, i32)>,
    jc: Option<&'static str>,
    outline: Option<u8>,
}

impl PPr {
    fn build(&self) -> Option<Element> {
        let mut p = w("pPr");
        if self.keep_next {
            p = p.child(w("keepNext"));
        }
        if self.keep_lines {
            p = p.child(w("keepLines"));
        }
        if let Some(on) = self.widow_control {
            p = p.child(val("widowControl", on as u8));
        }
        if self.kinsoku {
            p = p.child(val("kinsoku", 1));
        }
        if self.no_overflow_punct {
            p = p.child(val("overflowPunct", 0));
        }
        if self.no_auto_space {
            p = p.child(val("autoSpaceDE", 0)).child(val("autoSpaceDN", 0));
        }
        if let Some(on) = self.snap_to_grid {
            p = p.child(val("snapToGrid", on as u8));
        }
        if let Some((before, after, line, rule)) = self.spacing {
            p = p.child(
                w("spacing")
                    .attr("w:before", &before.to_string())
                    .attr("w:after", &after.to_string())
                    .attr("w:line", &line.to_string())
                    .attr("w:lineRule", rule),
            );
        }
        if let Some((left, right, first)) = self.ind {
            p = p.child(
                w("ind")
                    .attr("w:left", &left.to_string())
                    .attr("w:right", &right.to_string())
                    .attr("w:firstLine", &first.to_string()),
            );
        }
        if let Some(jc) = self.jc {
            p = p.child(val("jc", jc));
        }
        if let Some(level) = self.outline {
            p = p.child(val("outlineLvl", level));
        }
        (!p.children.is_empty()).then_some(p)
    }
}

/// Run properties of a style, in schema order.
#[derive(Default)]
struct RPr<'a> {
    font: Option<&'a str>,
    snap_to_grid: Option<bool>,
    spacing: Option<i32>,
    kern: Option<u32>,
    size: Option<usize>,
}

impl RPr<'_> {
    fn build(&self) -> Option<Element> {
        let mut r = w("rPr");
        if let Some(f) = self.font {
            r = r.child(fonts(f));
        }
        if let Some(on) = self.snap_to_grid {
            r = r.child(val("snapToGrid", on as u8));
        }
        if let Some(s) = self.spacing {
            r = r.child(val("spacing", s));
        }
        if let Some(k) = self.kern {
            r = r.child(val("kern", k));
        }
        if let Some(s) = self.size {
            for e in size(s) {
                r = r.child(e);
            }
        }
        (!r.children.is_empty()).then_some(r)
    }
}

struct StyleDef<'a> {
    kind: &'static str,
    id: &'static str,
    name: &'static str,
    based_on: Option<&'static str>,
    next: Option<&'static str>,
    link: Option<&'static str>,
    default: bool,
    ppr: PPr,
    rpr: RPr<'a>,
}

impl StyleDef<'_> {
    fn para(id: &'static str, name: &'static str) -> Self {
        StyleDef {
            kind: "paragraph",
            id,
            name,
            based_on: Some(id::NORMAL),
            next: None,
            link: None,
            default: false,
            ppr: PPr::default(),
            rpr: RPr::default(),
        }
    }

    fn build(&self) -> Element {
        let mut s = w("style").attr("w:type", self.kind);
        if self.default {
            s = s.attr("w:default", "1");
        }
        s = s.attr("w:styleId", self.id).child(val("name", self.name));
        if let Some(b) = self.based_on {
            s = s.child(val("basedOn", b));
        }
        if let Some(n) = self.next {
            s = s.child(val("next", n));
        }
        if let Some(l) = self.link {
            s = s.child(val("link", l));
        }
        s = s.child(w("qFormat"));
        if let Some(p) = self.ppr.build() {
            s = s.child(p);
        }
        if let Some(r) = self.rpr.build() {
            s = s.child(r);
        }
        s
    }
}

/// Line spacing of the body: exactly one grid pitch (28.95 pt). Exact spacing puts every line
/// on the 22-line grid in Word, WPS and LibreOffice alike, whatever the font's own ascent and
/// descent (the Fandol faces are taller than 仿宋_GB2312), and the `docGrid` keeps the same
/// pitch for anything the user adds without a style.
const BODY_LINE: (u32, u32, u32, &str) = (0, 0, LINE_PITCH, "exact");

/// `styles.xml`: the paragraph and character styles, one family a function.
pub fn styles_xml(f: &FontNames) -> Element {
    let defs = [
        base_styles(f),
        heading_styles(f),
        part_styles(f),
        table_styles(f),
        vec![footer_style(f)],
    ];
    let mut root = w("styles").attr("xmlns:w", W_NS).child(doc_defaults(f));
    for d in defs.iter().flatten() {
        root = root.child(d.build());
    }
    root.child(table_normal())
}

/// The base styles: Normal (the body: 仿宋 3号 on the line grid, first-line indent of two
/// characters, justified, with 禁则) and Word's default character style.
fn base_styles(f: &FontNames) -> Vec<StyleDef<'_>> {
    vec![
        StyleDef {
            kind: "paragraph",
            id: id::NORMAL,
            name: "Normal",
            based_on: None,
            next: None,
            link: None,
            default: true,
            ppr: PPr {
                widow_control: Some(true),
                kinsoku: true,
                no_overflow_punct: true,
                no_auto_space: true,
                spacing: Some(BODY_LINE),
                ind: Some((0, 0, 2 * CHAR)),
                jc: Some("both"),
                ..PPr::default()
            },
            rpr: RPr {
                font: Some(&f.fangsong),
                spacing: Some(BODY_CHAR_SPACING),
                kern: Some(0),
                size: Some(BODY_HALF_PT),
                ..RPr::default()
            },
        },
        StyleDef {
            kind: "character",
            id: id::DEFAULT_FONT,
            name: "Default Paragraph Font",
            based_on: None,
            next: None,
            link: None,
            default: true,
            ppr: PPr::default(),
            rpr: RPr::default(),
        },
    ]
}

/// Headings 1–4 (黑体, 楷体, then 仿宋 run-in levels) with their outline levels, and the
/// character styles the run-in headings 3 and 4 link to.
fn heading_styles(f: &FontNames) -> Vec<StyleDef<'_>> {
    let mut defs = Vec::new();
    let heading_fonts = [&f.heiti, &f.kaiti, &f.fangsong, &f.fangsong];
    for (i, face) in heading_fonts.into_iter().enumerate() {
        let mut s = StyleDef::para(
            id::HEADING[i],
            ["heading 1", "heading 2", "heading 3", "heading 4"][i],
        );
        s.next = Some(id::NORMAL);
        if i >= 2 {
            s.link = Some(id::HEADING_CHAR[i - 2]);
        }
        s.ppr = PPr {
            keep_next: true,
            keep_lines: true,
            outline: Some(i as u8),
            ..PPr::default()
        };
        s.rpr = RPr {
            font: Some(face),
            ..RPr::default()
        };
        defs.push(s);
    }
    for (i, name) in ["Heading 3 Char", "Heading 4 Char"].into_iter().enumerate() {
        defs.push(StyleDef {
            kind: "character",
            id: id::HEADING_CHAR[i],
            name,
            based_on: Some(id::DEFAULT_FONT),
            next: None,
            link: Some(id::HEADING[i + 2]),
            default: false,
            ppr: PPr::default(),
            rpr: RPr {
                font: Some(&f.fangsong),
                ..RPr::default()
            },
        });
    }
    defs
}

/// The parts of a 公文 around the body: 附件标识, 文档标题, 署名 and 成文日期.
fn part_styles(f: &FontNames) -> Vec<StyleDef<'_>> {
    let no_indent = Some((0, 0, 0));
    let mut defs = Vec::new();
    let mut attachment = StyleDef::para(id::ATTACHMENT, "附件标识");
    attachment.next = Some(id::TITLE);
    attachment.ppr = PPr {
        keep_next: true,
        ind: no_indent,
        jc: Some("left"),
        ..PPr::default()
    };
    attachment.rpr = RPr {
        font: Some(&f.heiti),
        spacing: Some(0),
        ..RPr::default()
    };
    defs.push(attachment);

    // No outline level: the GB/T 9704 title is set in 小标宋, and a level-1 outline style is the
    // 黑体 of the `一、` headings (what checkers of 公文 DOCX files expect). The tagged PDF does
    // tag the title as a heading (`Title`, mapped to `H1`); in the DOCX the navigation pane
    // starts at the `一、` headings, which keep the PDF's levels (标题 1 = `H1`, 标题 2 = `H2`).
    let mut title = StyleDef::para(id::TITLE, "文档标题");
    title.next = Some(id::NORMAL);
    title.ppr = PPr {
        keep_next: true,
        keep_lines: true,
        ind: no_indent,
        jc: Some("center"),
        ..PPr::default()
    };
    title.rpr = RPr {
        font: Some(&f.xiaobiaosong),
        spacing: Some(0),
        size: Some(TITLE_HALF_PT),
        ..RPr::default()
    };
    defs.push(title);

    let mut signature = StyleDef::para(id::SIGNATURE, "署名");
    signature.next = Some(id::DATE);
    signature.ppr = PPr {
        keep_next: true,
        ind: no_indent,
        jc: Some("right"),
        ..PPr::default()
    };
    defs.push(signature);

    let mut date = StyleDef::para(id::DATE, "成文日期");
    date.ppr = PPr {
        ind: no_indent,
        jc: Some("right"),
        ..PPr::default()
    };
    defs.push(date);

    defs
}

/// Table text and headers at 小四 and 五号, the paragraph after a table, and the table title.
fn table_styles(f: &FontNames) -> Vec<StyleDef<'_>> {
    let mut defs = table_cell_styles(f);
    defs.extend(table_frame_styles(f));
    defs
}

/// The text of table cells, body and header, at the table's two sizes (小四 and 五号).
fn table_cell_styles(f: &FontNames) -> Vec<StyleDef<'_>> {
    let no_indent = Some((0, 0, 0));
    let mut defs = Vec::new();
    // Table text: the layout engine's size and exact line pitch (crate::layout::table), so
    // a cell's lines take the same height in every renderer as in our PDF.
    let table_line = |half_pt: usize| -> (u32, u32, u32, &'static str) {
        (0, 0, em_twips(LINE_EM, half_pt as f32 / 2.0), "exact")
    };
    let mut table_text = StyleDef::para(id::TABLE_TEXT, "表格文字");
    table_text.ppr = PPr {
        widow_control: Some(false),
        snap_to_grid: Some(false),
        spacing: Some(table_line(TABLE_HALF_PT)),
        ind: no_indent,
        jc: Some("center"),
        ..PPr::default()
    };
    table_text.rpr = RPr {
        font: Some(&f.fangsong),
        spacing: Some(0),
        size: Some(TABLE_HALF_PT),
        ..RPr::default()
    };
    defs.push(table_text);

    let mut table_header = StyleDef::para(id::TABLE_HEADER, "表格表头");
    table_header.based_on = Some(id::TABLE_TEXT);
    table_header.rpr = RPr {
        font: Some(&f.heiti),
        ..RPr::default()
    };
    defs.push(table_header);

    // 五号 tables (a template's `@table-size`): the same two styles at 10.5 pt.
    let mut table_text_small = StyleDef::para(id::TABLE_TEXT_SMALL, "表格文字（五号）");
    table_text_small.based_on = Some(id::TABLE_TEXT);
    table_text_small.ppr = PPr {
        spacing: Some(table_line(TABLE_SMALL_HALF_PT)),
        ..PPr::default()
    };
    table_text_small.rpr = RPr {
        size: Some(TABLE_SMALL_HALF_PT),
        ..RPr::default()
    };
    defs.push(table_text_small);

    let mut table_header_small = StyleDef::para(id::TABLE_HEADER_SMALL, "表格表头（五号）");
    table_header_small.based_on = Some(id::TABLE_TEXT_SMALL);
    table_header_small.rpr = RPr {
        font: Some(&f.heiti),
        ..RPr::default()
    };
    defs.push(table_header_small);
    defs
}

/// What stands around a table: its title above and the empty paragraph after it.
fn table_frame_styles(f: &FontNames) -> Vec<StyleDef<'_>> {
    let no_indent = Some((0, 0, 0));
    let mut defs = Vec::new();
    // The empty paragraph a body may not end without after a table: 1 pt, so that a table
    // that fills its last page does not push it onto a page of its own. It also opens an
    // untitled table (carrying the page break).
    let mut table_end = StyleDef::para(id::TABLE_END, "表后段落");
    table_end.ppr = PPr {
        widow_control: Some(false),
        snap_to_grid: Some(false),
        spacing: Some((0, 0, 20, "exact")),
        ind: no_indent,
        ..PPr::default()
    };
    table_end.rpr = RPr {
        size: Some(2),
        ..RPr::default()
    };
    defs.push(table_end);

    // The table title: 18 pt on a 27 pt line and 10.8 pt below it (1.5 em and 0.6 em, the
    // layout engine's), not on the body grid, so the table starts where it does in the PDF.
    let mut table_title = StyleDef::para(id::TABLE_TITLE, "表格标题");
    table_title.next = Some(id::TABLE_TEXT);
    table_title.ppr = PPr {
        keep_next: true,
        keep_lines: true,
        snap_to_grid: Some(false),
        spacing: Some((0, 216, 540, "exact")),
        ind: no_indent,
        jc: Some("center"),
        ..PPr::default()
    };
    table_title.rpr = RPr {
        font: Some(&f.xiaobiaosong),
        spacing: Some(0),
        size: Some(TABLE_TITLE_HALF_PT),
        ..RPr::default()
    };
    defs.push(table_title);

    defs
}

/// The footer: 宋体 4号 page numbers.
fn footer_style(f: &FontNames) -> StyleDef<'_> {
    let no_indent = Some((0, 0, 0));
    let mut footer = StyleDef::para(id::FOOTER, "footer");
    footer.ppr = PPr {
        widow_control: Some(false),
        snap_to_grid: Some(false),
        spacing: Some((0, 0, 240, "auto")),
        ind: no_indent,
        ..PPr::default()
    };
    footer.rpr = RPr {
        font: Some(&f.songti),
        spacing: Some(0),
        size: Some(PAGE_NUMBER_HALF_PT),
        ..RPr::default()
    };
    footer
}

/// docDefaults: 仿宋 16 pt, Chinese as the East Asian language (Word chooses its 禁则 lists and
/// line-breaking rules by it).
fn doc_defaults(f: &FontNames) -> Element {
    let mut rpr = w("rPr").child(fonts(&f.fangsong));
    for e in size(BODY_HALF_PT) {
        rpr = rpr.child(e);
    }
    rpr = rpr.child(
        w("lang")
            .attr("w:val", "en-US")
            .attr("w:eastAsia", "zh-CN")
            .attr("w:bidi", "ar-SA"),
    );
    w("docDefaults")
        .child(w("rPrDefault").child(rpr))
        .child(w("pPrDefault").child(w("pPr").child(val("kinsoku", 1))))
}

/// Word's default table style, with its usual 0.19 cm cell margins left and right.
fn table_normal() -> Element {
    w("style")
        .attr("w:type", "table")
        .attr("w:default", "1")
        .attr("w:styleId", id::TABLE_NORMAL)
        .child(val("name", "Normal Table"))
        .child(val("uiPriority", 99))
        .child(w("semiHidden"))
        .child(w("unhideWhenUsed"))
        .child(
            w("tblPr")
                .child(w("tblInd").attr("w:w", "0").attr("w:type", "dxa"))
                .child(
                    w("tblCellMar")
                        .child(w("top").attr("w:w", "0").attr("w:type", "dxa"))
                        .child(w("left").attr("w:w", "108").attr("w:type", "dxa"))
                        .child(w("bottom").attr("w:w", "0").attr("w:type", "dxa"))
                        .child(w("right").attr("w:w", "108").attr("w:type", "dxa")),
                ),
        )
}

/// `settings.xml`: odd and even footers, no punctuation compression (the 28-character line
/// relies on full-width punctuation), Chinese theme language, Word 2013+ layout.
pub fn settings_xml() -> Element {
    let compat_setting = |name: &str, v: &str| {
        w("compatSetting")
            .attr("w:name", name)
            .attr("w:uri", "http://schemas.microsoft.com/office/word")
            .attr("w:val", v)
    };
    w("settings")
        .attr("xmlns:w", W_NS)
        .child(w("zoom").attr("w:percent", "100"))
        .child(val("defaultTabStop", 420))
        .child(w("evenAndOddHeaders"))
        .child(val("characterSpacingControl", "doNotCompress"))
        .child(
            w("compat")
                .child(w("useFELayout"))
                .child(compat_setting("compatibilityMode", "15"))
                .child(compat_setting(
                    "overrideTableStyleFontSizeAndJustification",
                    "1",
                ))
                .child(compat_setting("enableOpenTypeFeatures", "1"))
                .child(compat_setting("doNotFlipMirrorIndents", "1")),
        )
        .child(
            w("themeFontLang")
                .attr("w:val", "en-US")
                .attr("w:eastAsia", "zh-CN"),
        )
        .child(val("decimalSymbol", "."))
        .child(val("listSeparator", ","))
}

/// `fontTable.xml`: the fonts in use, declared as GB2312 (charset 86) faces, with the name of
/// the face Windows ships as `altName` so Word substitutes sensibly where the official font is
/// not installed (仿宋_GB2312 → 仿宋, 方正小标宋简体 → 宋体).
pub fn font_table_xml(f: &FontNames) -> Element {
    let alt = |name: &str| -> Option<&'static str> {
        Some(match name {
            "仿宋_GB2312" => "仿宋",
            "楷体_GB2312" => "楷体",
            "方正小标宋简体" => "宋体",
            "黑体" => "SimHei",
            "宋体" => "SimSun",
            _ => return None,
        })
    };
    let mut names: Vec<&str> = vec![&f.fangsong, &f.heiti, &f.kaiti, &f.xiaobiaosong, &f.songti];
    let mut seen = std::collections::HashSet::new();
    names.retain(|n| seen.insert(*n));
    let mut root = w("fonts").attr("xmlns:w", W_NS);
    for name in names {
        let mut font = w("font").attr("w:name", name);
        if let Some(a) = alt(name) {
            font = font.child(val("altName", a));
        }
        font = font
            .child(val("charset", 86))
            .child(val("family", "modern"))
            .child(val("pitch", "fixed"));
        root = root.child(font);
    }
    root
}

#[cfg(test)]
mod tests {
    use super::*;

    fn style<'a>(root: &'a Element, id: &str) -> &'a Element {
        root.elements()
            .find(|e| e.name == "w:style" && e.get_attr("w:styleId") == Some(id))
            .unwrap_or_else(|| panic!("style {id}"))
    }

    #[test]
    fn heading_styles_carry_outline_levels_and_fonts() {
        let f = FontNames::default();
        let root = styles_xml(&f);
        for (i, sid) in id::HEADING.iter().enumerate() {
            let s = style(&root, sid);
            let lvl = s.find("w:pPr").unwrap().find("w:outlineLvl").unwrap();
            assert_eq!(lvl.get_attr("w:val"), Some(i.to_string().as_str()));
            assert_eq!(
                s.find("w:name").unwrap().get_attr("w:val"),
                Some(format!("heading {}", i + 1).as_str())
            );
        }
        let ea = |sid: &str| {
            style(&root, sid)
                .find("w:rPr")
                .unwrap()
                .find("w:rFonts")
                .unwrap()
                .get_attr("w:eastAsia")
                .unwrap()
                .to_string()
        };
        assert_eq!(ea("Heading1"), "黑体");
        assert_eq!(ea("Heading2"), "楷体_GB2312");
        assert_eq!(ea("Normal"), "仿宋_GB2312");
        assert_eq!(ea("DocTitle"), "方正小标宋简体");
        assert_eq!(ea("Footer"), "宋体");
    }

    #[test]
    fn styles_are_in_schema_order_already() {
        let mut root = styles_xml(&FontNames::default());
        let before = root.clone();
        assert!(super::super::xml::normalize_order(&mut root).is_empty());
        assert_eq!(root, before);
    }

    #[test]
    fn font_table_lists_each_face_once() {
        let mut f = FontNames::default();
        f.kaiti = f.fangsong.clone();
        let t = font_table_xml(&f);
        assert_eq!(t.elements().count(), 4);
    }
}
