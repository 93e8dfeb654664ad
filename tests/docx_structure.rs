//! DOCX structure tests: write the reference sample (and small documents) and read the XML back.

mod docx_support;

use docx_support::*;
use jixiao::document::{Block, Document, Meta, Paragraph, Signature, Title};
use jixiao::write::docx::xml::{self, Element};
use jixiao::write::docx::{write_docx, write_docx_with, DocxOptions};

fn sample_package() -> Package {
    let bytes = write_docx(&sample_document()).expect("sample writes");
    if let Some(path) = std::env::var_os("JIXIAO_DOCX_DUMP") {
        std::fs::write(path, &bytes).unwrap();
    }
    Package::open(&bytes)
}

fn paragraphs(body: &Element) -> Vec<&Element> {
    body.elements().filter(|e| e.name == "w:p").collect()
}

fn ppr_val<'a>(p: &'a Element, name: &str) -> Option<&'a str> {
    p.find("w:pPr").and_then(|ppr| val(ppr, name))
}

fn ppr_has(p: &Element, name: &str) -> bool {
    p.find("w:pPr").and_then(|ppr| ppr.find(name)).is_some()
}

fn ind_attr(p: &Element, attr: &str) -> Option<String> {
    p.find("w:pPr")?
        .find("w:ind")?
        .get_attr(attr)
        .map(str::to_string)
}

fn small_doc(blocks: Vec<Block>) -> Document {
    Document {
        meta: Meta {
            title: "测试".into(),
            author: "测试单位".into(),
            date: "2022-03-23".into(),
            ..Meta::default()
        },
        blocks,
    }
}

#[test]
fn sample_text_is_complete_and_in_order() {
    let pkg = sample_package();
    let got: String = text_of(&body(&pkg)).split_whitespace().collect();
    let want: String = SAMPLE_TEXT.split_whitespace().collect();
    assert_eq!(got, want);
}

#[test]
fn normal_style_is_the_body_style() {
    let pkg = sample_package();
    let normal = pkg.style("Normal");
    assert_eq!(normal.get_attr("w:default"), Some("1"));
    let rpr = normal.find("w:rPr").unwrap();
    let fonts = rpr.find("w:rFonts").unwrap();
    for attr in ["w:eastAsia", "w:ascii", "w:hAnsi"] {
        assert_eq!(fonts.get_attr(attr), Some("仿宋_GB2312"), "{attr}");
    }
    assert_eq!(val(rpr, "w:sz"), Some("32"));
    assert_eq!(val(rpr, "w:spacing"), Some("-12"));
    let ppr = normal.find("w:pPr").unwrap();
    assert_eq!(val(ppr, "w:jc"), Some("both"));
    assert_eq!(val(ppr, "w:kinsoku"), Some("1"));
    let ind = ppr.find("w:ind").unwrap();
    assert_eq!(ind.get_attr("w:firstLine"), Some("640"));
    let spacing = ppr.find("w:spacing").unwrap();
    assert_eq!(spacing.get_attr("w:line"), Some("579"));
    assert_eq!(spacing.get_attr("w:lineRule"), Some("exact"));
    // docx-rs's own empty Normal style is gone: exactly one style with that id.
    let styles = pkg.xml("word/styles.xml");
    let n = styles
        .elements()
        .filter(|s| s.get_attr("w:styleId") == Some("Normal"))
        .count();
    assert_eq!(n, 1);
}

#[test]
fn heading_styles_have_outline_levels_and_official_fonts() {
    let pkg = sample_package();
    let want = ["黑体", "楷体_GB2312", "仿宋_GB2312", "仿宋_GB2312"];
    for (i, font) in want.iter().enumerate() {
        let s = pkg.style(&format!("Heading{}", i + 1));
        assert_eq!(
            val(&s, "w:name"),
            Some(format!("heading {}", i + 1).as_str())
        );
        let lvl = i.to_string();
        assert_eq!(
            val(s.find("w:pPr").unwrap(), "w:outlineLvl"),
            Some(lvl.as_str())
        );
        let f = s.find("w:rPr").unwrap().find("w:rFonts").unwrap();
        assert_eq!(f.get_attr("w:eastAsia"), Some(*font));
        assert_eq!(f.get_attr("w:ascii"), Some(*font));
    }
}

#[test]
fn named_styles_exist_with_their_fonts() {
    let pkg = sample_package();
    let cases = [
        ("Attachment", "附件标识", "黑体", None),
        ("DocTitle", "文档标题", "方正小标宋简体", Some("44")),
        ("Signature", "署名", "", None),
        ("SignDate", "成文日期", "", None),
        ("TableText", "表格文字", "仿宋_GB2312", Some("24")),
        ("TableHeader", "表格表头", "黑体", None),
        ("TableTitle", "表格标题", "方正小标宋简体", Some("36")),
        ("Footer", "footer", "宋体", Some("28")),
    ];
    for (id, name, font, size) in cases {
        let s = pkg.style(id);
        assert_eq!(val(&s, "w:name"), Some(name), "{id}");
        if !font.is_empty() {
            let f = s.find("w:rPr").unwrap().find("w:rFonts").unwrap();
            assert_eq!(f.get_attr("w:eastAsia"), Some(font), "{id}");
        }
        if let Some(sz) = size {
            assert_eq!(val(s.find("w:rPr").unwrap(), "w:sz"), Some(sz), "{id}");
        }
    }
    // Table text does not snap to the body's line grid.
    let tt = pkg.style("TableText");
    assert_eq!(val(tt.find("w:pPr").unwrap(), "w:snapToGrid"), Some("0"));
}

#[test]
fn blocks_get_their_styles() {
    let pkg = sample_package();
    let body = body(&pkg);
    let ps = paragraphs(&body);
    assert_eq!(p_style(ps[0]), "Attachment");
    assert_eq!(text_of(ps[0]), "附件2");
    assert_eq!(text_of(ps[1]), "", "blank line between 附件 mark and title");
    assert_eq!(p_style(ps[2]), "DocTitle");
    assert_eq!(text_of(ps[3]), "", "blank line after the title");
    for p in &ps {
        let t = text_of(p);
        if t.starts_with("一、") || t.starts_with("二、") {
            assert_eq!(p_style(p), "Heading1", "{t}");
        } else if t.starts_with("（一）") || t.starts_with("（二）") {
            assert_eq!(p_style(p), "Heading2", "{t}");
        }
    }
    // Run-in level-3 heading: first run in the linked character style, rest plain body text.
    let p = ps
        .iter()
        .find(|p| text_of(p).starts_with("1.秦皇岛"))
        .expect("run-in paragraph");
    assert_eq!(p_style(p), "Normal");
    // Runs are cut where the text changes between full- and half-width characters: the
    // half-width ones carry character spacing 0 and nothing else.
    let runs: Vec<_> = p.elements().filter(|e| e.name == "w:r").collect();
    let styled = |r: &Element| r.find("w:rPr").and_then(|r| val(r, "w:rStyle")).is_some();
    let label: String = runs
        .iter()
        .take_while(|r| styled(r))
        .map(|r| text_of(r))
        .collect();
    assert!(label.starts_with("1.秦皇岛"), "{label}");
    assert!(label.ends_with("（卢龙县部分）："), "{label}");
    for r in runs.iter().skip_while(|r| styled(r)) {
        assert!(!styled(r), "label runs first");
        if let Some(rpr) = r.find("w:rPr") {
            assert_eq!(rpr.elements().count(), 1);
            assert_eq!(val(rpr, "w:spacing"), Some("0"));
            assert!(
                text_of(r).chars().all(|c| (c as u32) < 0x2E80),
                "{}",
                text_of(r)
            );
        }
    }
}

#[test]
fn sealed_signature_geometry() {
    let pkg = sample_package();
    let body = body(&pkg);
    let ps = paragraphs(&body);
    let n = ps.len();
    let (blank, name, date) = (ps[n - 3], ps[n - 2], ps[n - 1]);
    assert_eq!(text_of(blank), "");
    assert!(ppr_has(blank, "w:keepNext"));
    assert_eq!(p_style(name), "Signature");
    assert_eq!(p_style(date), "SignDate");
    assert_eq!(ppr_val(date, "w:jc"), Some("right"));
    assert_eq!(ind_attr(date, "w:right").as_deref(), Some("1280"));
    // 署名 6 CJK, date 3 CJK + 7 digits, CJK at −0.6 pt and digits at 0: centred on the date.
    let wn = 6 * (320 - 12);
    let wd = 3 * (320 - 12) + 7 * 160;
    let want = 1280 + (wd - wn) / 2;
    assert_eq!(ind_attr(name, "w:right"), Some(want.to_string()));
    // The body's last paragraph is kept with the block.
    assert!(ppr_has(ps[n - 4], "w:keepNext"));
}

#[test]
fn unsealed_signature_follows_7_3_5_2() {
    let doc = small_doc(vec![
        Block::Paragraph(Paragraph::plain("正文。")),
        Block::Signature(Signature {
            name: "卢龙县人民政府办公室信息中心".into(),
            date: "2022年3月23日".into(),
            seal: false,
        }),
    ]);
    let pkg = Package::open(&write_docx(&doc).unwrap());
    let body = body(&pkg);
    let ps = paragraphs(&body);
    let n = ps.len();
    let (name, date) = (ps[n - 2], ps[n - 1]);
    // The long 署名 sits 2 characters from the right edge; the date starts 2 characters right
    // of the 署名's first character.
    assert_eq!(ppr_val(name, "w:jc"), Some("right"));
    assert_eq!(ind_attr(name, "w:right").as_deref(), Some("640"));
    assert_eq!(ppr_val(date, "w:jc"), Some("left"));
    let dl: i32 = ind_attr(date, "w:left").unwrap().parse().unwrap();
    assert_eq!(dl, 8845 - 640 - 14 * (320 - 12) + 640);
}

#[test]
fn section_page_setup_and_grid() {
    let pkg = sample_package();
    let body = body(&pkg);
    let sect = body.find("w:sectPr").expect("sectPr");
    let names: Vec<&str> = sect.elements().map(|e| e.name.as_str()).collect();
    assert_eq!(&names[..2], ["w:footerReference", "w:footerReference"]);
    assert_eq!(*names.last().unwrap(), "w:docGrid");
    let pg = sect.find("w:pgSz").unwrap();
    assert_eq!(pg.get_attr("w:w"), Some("11906"));
    assert_eq!(pg.get_attr("w:h"), Some("16838"));
    let m = sect.find("w:pgMar").unwrap();
    for (a, v) in [
        ("w:top", "2098"),
        ("w:left", "1587"),
        ("w:right", "1474"),
        ("w:bottom", "1984"),
        ("w:gutter", "0"),
    ] {
        assert_eq!(m.get_attr(a), Some(v), "{a}");
    }
    let grid = sect.find("w:docGrid").unwrap();
    assert_eq!(grid.get_attr("w:type"), Some("lines"));
    assert_eq!(grid.get_attr("w:linePitch"), Some("579"));
    assert_eq!(
        sect.find("w:pgNumType").unwrap().get_attr("w:start"),
        Some("1")
    );
}

/// Text of a footer paragraph with the PAGE field written as `{PAGE}`.
fn field_text(p: &Element) -> String {
    let mut out = String::new();
    let mut in_result = false;
    for r in p.elements().filter(|e| e.name == "w:r") {
        if let Some(fc) = r.find("w:fldChar") {
            match fc.get_attr("w:fldCharType") {
                Some("separate") => in_result = true,
                Some("end") => in_result = false,
                _ => {}
            }
            continue;
        }
        if let Some(instr) = r.find("w:instrText") {
            let t = text_children(instr);
            if t.trim() == "PAGE" {
                out.push_str("{PAGE}");
            }
            continue;
        }
        if !in_result {
            out.push_str(&text_of(r));
        }
    }
    out
}

fn text_children(e: &Element) -> String {
    e.children
        .iter()
        .filter_map(|c| match c {
            xml::Node::Text(t) => Some(unescape(t)),
            _ => None,
        })
        .collect()
}

#[test]
fn odd_and_even_footers_carry_a_page_field() {
    let pkg = sample_package();
    let body = body(&pkg);
    let sect = body.find("w:sectPr").unwrap();
    let mut seen = Vec::new();
    for fr in sect.elements().filter(|e| e.name == "w:footerReference") {
        let typ = fr.get_attr("w:type").unwrap().to_string();
        let part = pkg.rel_target(fr.get_attr("r:id").unwrap());
        let footer = pkg.xml(&part);
        let p = footer.find("w:p").unwrap();
        assert_eq!(field_text(p), "\u{2014} {PAGE} \u{2014}", "{typ}");
        assert_eq!(p_style(p), "Footer");
        let (jc, side) = if typ == "default" {
            ("right", "w:right")
        } else {
            ("left", "w:left")
        };
        assert_eq!(ppr_val(p, "w:jc"), Some(jc), "{typ}");
        assert_eq!(ind_attr(p, side).as_deref(), Some("280"), "{typ}");
        // No run overrides the footer style's 14 pt.
        for r in p.elements().filter(|e| e.name == "w:r") {
            assert!(r.find("w:rPr").and_then(|rp| rp.find("w:sz")).is_none());
        }
        seen.push(typ);
    }
    seen.sort();
    assert_eq!(seen, ["default", "even"]);
    let settings = pkg.xml("word/settings.xml");
    let names: Vec<&str> = settings.elements().map(|e| e.name.as_str()).collect();
    let eo = names
        .iter()
        .position(|n| *n == "w:evenAndOddHeaders")
        .expect("evenAndOddHeaders");
    let compat = names.iter().position(|n| *n == "w:compat").unwrap();
    assert!(eo < compat, "schema order: evenAndOddHeaders before compat");
}

#[test]
fn every_part_is_in_schema_order() {
    let pkg = sample_package();
    for name in pkg.parts.keys().filter(|n| n.ends_with(".xml")) {
        let root = pkg.xml(name);
        let mut sorted = root.clone();
        let unknown = xml::normalize_order(&mut sorted);
        assert!(unknown.is_empty(), "{name}: {unknown:?}");
        assert!(sorted == root, "{name} is not in schema order");
    }
}

#[test]
fn output_is_deterministic() {
    let doc = sample_document();
    let a = write_docx(&doc).unwrap();
    let b = write_docx(&doc).unwrap();
    assert!(a == b, "two renders differ");
    // paraIds are unique across document and footers.
    let pkg = Package::open(&a);
    let mut ids = Vec::new();
    for name in pkg.parts.keys().filter(|n| n.starts_with("word/")) {
        if let Ok(root) = xml::parse(&pkg.parts[name]) {
            for e in root.descendants() {
                if let Some(id) = e.get_attr("w14:paraId") {
                    ids.push(id.to_string());
                }
            }
        }
    }
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n);
}

#[test]
fn page_break_and_explicit_title_lines() {
    let doc = small_doc(vec![
        Block::Title(Title {
            lines: vec!["第一行".into(), "第二行".into()],
            explicit: true,
        }),
        Block::Paragraph(Paragraph::plain("甲。")),
        Block::PageBreak,
        Block::Paragraph(Paragraph::plain("乙。")),
    ]);
    let pkg = Package::open(&write_docx(&doc).unwrap());
    let body = body(&pkg);
    let ps = paragraphs(&body);
    let title = ps[0];
    assert_eq!(p_style(title), "DocTitle");
    let brs = title
        .descendants()
        .iter()
        .filter(|e| e.name == "w:br")
        .count();
    assert_eq!(brs, 1);
    let yi = ps.iter().find(|p| text_of(p) == "乙。").unwrap();
    assert!(ppr_has(yi, "w:pageBreakBefore"));
    let jia = ps.iter().find(|p| text_of(p) == "甲。").unwrap();
    assert!(!ppr_has(jia, "w:pageBreakBefore"));
}

#[test]
fn options_change_fonts_and_first_page_number() {
    let mut options = DocxOptions::default();
    options.fonts.xiaobiaosong = "FZXiaoBiaoSong-B05S".into();
    options.first_page_number = 5;
    let pkg = Package::open(&write_docx_with(&sample_document(), &options).unwrap());
    let title = pkg.style("DocTitle");
    let f = title.find("w:rPr").unwrap().find("w:rFonts").unwrap();
    assert_eq!(f.get_attr("w:eastAsia"), Some("FZXiaoBiaoSong-B05S"));
    let body = body(&pkg);
    let sect = body.find("w:sectPr").unwrap();
    assert_eq!(
        sect.find("w:pgNumType").unwrap().get_attr("w:start"),
        Some("5")
    );
    let fonts = pkg.xml("word/fontTable.xml");
    assert!(fonts
        .elements()
        .any(|f| f.get_attr("w:name") == Some("FZXiaoBiaoSong-B05S")));
}

#[test]
fn core_properties_carry_title_author_and_date() {
    let pkg = sample_package();
    let core = pkg.text("docProps/core.xml");
    assert!(core.contains("<dc:title>卢龙县公安局部门绩效自评工作报告</dc:title>"));
    assert!(core.contains("<dc:creator>卢龙县公安局</dc:creator>"));
    if std::env::var_os("SOURCE_DATE_EPOCH").is_none() {
        assert!(core.contains(">2022-03-23T00:00:00Z</dcterms:created>"));
    }
}

#[test]
fn control_characters_are_dropped_and_level_4_run_ins_styled() {
    use jixiao::document::RunIn;
    let doc = small_doc(vec![
        Block::Paragraph(Paragraph {
            run_in: Some(RunIn {
                level: 4,
                label: "（1）".into(),
                text: "名称：".into(),
            }),
            text: "甲\u{b}乙\u{1}丙\t丁".into(),
        }),
        Block::Paragraph(Paragraph::plain("")),
    ]);
    let pkg = Package::open(&write_docx(&doc).unwrap());
    let body = body(&pkg);
    let ps = paragraphs(&body);
    assert_eq!(text_of(ps[0]), "（1）名称：甲乙丙丁");
    let first_run = ps[0].find("w:r").unwrap();
    assert_eq!(
        first_run.find("w:rPr").and_then(|r| val(r, "w:rStyle")),
        Some("Heading4Char")
    );
    assert_eq!(
        ps[0]
            .descendants()
            .iter()
            .filter(|e| e.name == "w:tab")
            .count(),
        1
    );
    assert_eq!(text_of(ps[1]), "");
}

#[test]
fn blank_lines_only_where_the_standard_wants_them() {
    let title = || {
        Block::Title(Title {
            lines: vec!["标题".into()],
            explicit: false,
        })
    };
    // No 附件 mark: the title is the first line; a page break after it adds no blank line.
    let doc = small_doc(vec![
        title(),
        Block::PageBreak,
        Block::Paragraph(Paragraph::plain("正文。")),
        Block::Attachment("附件1".into()),
        Block::Paragraph(Paragraph::plain("说明。")),
    ]);
    let pkg = Package::open(&write_docx(&doc).unwrap());
    let body = body(&pkg);
    let texts: Vec<String> = paragraphs(&body).iter().map(|p| text_of(p)).collect();
    assert_eq!(texts, ["标题", "正文。", "附件1", "说明。"]);
}

#[test]
fn a_heading_keeps_two_lines_even_when_the_first_paragraph_is_short() {
    use jixiao::document::Heading;
    let h = |t: &str| {
        Block::Heading(Heading {
            level: 2,
            label: "（一）".into(),
            text: t.into(),
        })
    };
    let long = "很长的段落。".repeat(10);
    let doc = small_doc(vec![
        h("甲"),
        Block::Paragraph(Paragraph::plain("一行。")),
        h("乙"),
        Block::Paragraph(Paragraph::plain(long.clone())),
        Block::Paragraph(Paragraph::plain("末段。")),
    ]);
    let pkg = Package::open(&write_docx(&doc).unwrap());
    let body = body(&pkg);
    let ps = paragraphs(&body);
    let keep = |t: &str| {
        let p = ps.iter().find(|p| text_of(p) == t).unwrap();
        ppr_has(p, "w:keepNext")
    };
    assert!(
        keep("一行。"),
        "one-line paragraph after a heading passes the keep on"
    );
    assert!(!keep(&long), "a long paragraph carries two lines itself");
    assert!(!keep("末段。"), "not after a heading");
}
