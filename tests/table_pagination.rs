//! Table pagination in both writers (docs/layout.md, "Pagination"): breaks inside merged groups,
//! pages filled to three-quarters or more, repeated headings and merged labels, keep-with only
//! for section rows, the table text size (12 pt, 10.5 pt, auto), and a read-back that the PDF's
//! and the DOCX's tables hold the same cell texts in the same order.

mod common;
mod docx_support;

use docx_support::{body, p_style, text_of, val, Package};
use jixiao::document::{Align, Block, Cell, Document, Meta, Row, Table, TableTextSize};
use jixiao::layout::fonts::FontSet;
use jixiao::layout::table::table_metrics;
use jixiao::layout::{layout_document, Geometry, Layout, LayoutSettings, LineKind, Page};
use jixiao::write::docx::write_docx;
use jixiao::write::docx::xml::Element;
use jixiao::write::pdf::write_pdf;

fn cell(col: usize, text: &str, header: bool) -> Cell {
    Cell {
        col,
        col_span: 1,
        row_span: 1,
        text: text.into(),
        header,
        align: if header { Align::Center } else { Align::Left },
    }
}

/// A 自评表-like table: one repeated heading row, then `groups` 一级指标 groups of `per` rows,
/// the 一级 cell merged down its whole group. Row texts are unique (`第g-k行`), and every third
/// row wraps to three lines so the rows are of unequal height. With `section`, a row of header
/// cells only (a section heading, like 绩效指标) opens every group.
fn tall(groups: usize, per: usize, section: bool) -> Table {
    let mut rows = vec![Row {
        cells: vec![
            cell(0, "一级指标", true),
            cell(1, "三级指标", true),
            cell(2, "指标值", true),
        ],
    }];
    for g in 0..groups {
        if section {
            rows.push(Row {
                cells: vec![Cell {
                    col_span: 3,
                    ..cell(0, &format!("分组标题{g}"), true)
                }],
            });
        }
        for k in 0..per {
            let mut cells = Vec::new();
            if k == 0 {
                cells.push(Cell {
                    row_span: per,
                    ..cell(0, &format!("一级{g}"), false)
                });
            }
            let filler = if k % 3 == 0 {
                "完成视频监控点位建设及安全边界接入系统建设，并接入市级平台统一管理"
            } else {
                "完成建设"
            };
            cells.push(cell(1, &format!("第{g}-{k}行{filler}"), false));
            cells.push(cell(2, &format!("≥{k}个"), false));
            rows.push(Row { cells });
        }
    }
    Table {
        title: Some("2023年度项目支出绩效自评表".into()),
        columns: vec![3, 10, 3],
        header_rows: 1,
        rows,
        text_size: TableTextSize::default(),
    }
}

fn doc(blocks: Vec<Block>) -> Document {
    Document {
        meta: Meta {
            title: "表".into(),
            author: "某局".into(),
            date: "2023-03-01".into(),
            facts: Vec::new(),
        },
        blocks,
    }
}

fn lay(t: &Table) -> Layout {
    layout_document(
        &doc(vec![Block::Table(t.clone())]),
        FontSet::bundled(),
        &LayoutSettings::default(),
    )
}

fn page_text(p: &Page) -> String {
    p.lines
        .iter()
        .filter(|l| l.kind != LineKind::PageNumber)
        .map(|l| l.text())
        .collect()
}

/// How far down the type area the table reaches on `p`, 0–1.
fn fill(p: &Page, g: &Geometry) -> f32 {
    let bottom = p.rules.iter().map(|r| r.y1.max(r.y0)).fold(g.top, f32::max);
    (bottom - g.top) / (g.bottom - g.top)
}

#[test]
fn tall_merged_groups_break_inside_and_pages_are_three_quarters_full() {
    let g = Geometry::new(&LayoutSettings::default());
    for (groups, per) in [(2, 30), (3, 17), (1, 70), (5, 9)] {
        let t = tall(groups, per, false);
        let l = lay(&t);
        assert!(
            l.pages.len() >= 2,
            "{groups}×{per}: {} pages",
            l.pages.len()
        );
        let mut split_groups = 0;
        let mut on_pages = vec![0usize; groups];
        for (i, p) in l.pages.iter().enumerate() {
            let text = page_text(p);
            assert!(text.contains("一级指标三级指标指标值"), "page {i}: heading");
            if i + 1 < l.pages.len() {
                let f = fill(p, &g);
                assert!(f >= 0.75, "{groups}×{per}: page {i} only {f:.2} full");
            }
            for (gi, count) in on_pages.iter_mut().enumerate() {
                let rows_here = (0..per)
                    .filter(|k| text.contains(&format!("第{gi}-{k}行")))
                    .count();
                let labels = p
                    .lines
                    .iter()
                    .filter(|x| x.text() == format!("一级{gi}"))
                    .count();
                if rows_here > 0 {
                    *count += 1;
                    // The merged label is printed (again) on every page the group is on.
                    assert_eq!(labels, 1, "group {gi} on page {i}");
                } else {
                    assert_eq!(labels, 0, "group {gi} not on page {i}");
                }
            }
        }
        split_groups += on_pages.iter().filter(|&&n| n > 1).count();
        assert!(split_groups > 0, "{groups}×{per}: no group was broken");
        // Every row exactly once, none split: its unique start and its end on the same page.
        let all: Vec<String> = l.pages.iter().map(page_text).collect();
        for gi in 0..groups {
            for k in 0..per {
                let key = format!("第{gi}-{k}行");
                let pages: Vec<usize> = (0..all.len()).filter(|&i| all[i].contains(&key)).collect();
                assert_eq!(pages.len(), 1, "{key} on pages {pages:?}");
                if k % 3 == 0 {
                    assert!(all[pages[0]].contains("统一管理"));
                }
            }
        }
    }
}

#[test]
fn a_section_row_is_never_the_last_row_of_a_page() {
    for per in 5..25 {
        let t = tall(6, per, true);
        let l = lay(&t);
        let g = Geometry::new(&LayoutSettings::default());
        for (i, p) in l.pages.iter().enumerate() {
            // The lowest cell line on the page is not a section heading.
            let last = p
                .lines
                .iter()
                .filter(|x| x.kind == LineKind::TableCell)
                .max_by(|a, b| a.baseline.total_cmp(&b.baseline))
                .unwrap();
            assert!(
                !last.text().starts_with("分组标题"),
                "per {per}, page {i}: {}",
                last.text()
            );
            if i + 1 < l.pages.len() {
                // Stepping back over one section row still leaves the page well filled.
                assert!(fill(p, &g) >= 0.75, "per {per}, page {i}");
            }
        }
    }
}

#[test]
fn table_text_size_is_12_or_10_5_and_auto_takes_10_5_only_to_save_a_page() {
    let fonts = FontSet::bundled();
    let settings = LayoutSettings::default();
    let with = |n: usize, size: TableTextSize| Table {
        text_size: size,
        ..tall(1, n, false)
    };
    let pages = |t: &Table| lay(t).pages.len();
    let cell_size = |t: &Table| {
        lay(t).pages[0]
            .lines
            .iter()
            .find(|x| x.kind == LineKind::TableCell)
            .unwrap()
            .size
    };
    assert_eq!(cell_size(&with(3, TableTextSize::Small4)), 12.0);
    assert_eq!(cell_size(&with(3, TableTextSize::Five)), 10.5);
    // The smallest table that needs two pages at 12 pt.
    let n = (1..200)
        .find(|&n| pages(&with(n, TableTextSize::Small4)) > 1)
        .unwrap();
    assert_eq!(
        pages(&with(n, TableTextSize::Five)),
        1,
        "{n} rows fit at 五号"
    );
    let auto = with(n, TableTextSize::Auto);
    assert_eq!(cell_size(&auto), 10.5);
    assert_eq!(pages(&auto), 1);
    assert_eq!(table_metrics(&auto, fonts, &settings).size_pt, 10.5);
    // One row fewer fits at 12 pt: auto keeps 12 pt.
    let fits = with(n - 1, TableTextSize::Auto);
    assert_eq!(cell_size(&fits), 12.0);
    assert_eq!(table_metrics(&fits, fonts, &settings).size_pt, 12.0);
    // Too long for one page even at 10.5 pt: auto keeps 12 pt.
    let m = (n..400)
        .find(|&m| pages(&with(m, TableTextSize::Five)) > 1)
        .unwrap();
    let long = with(m, TableTextSize::Auto);
    assert_eq!(cell_size(&long), 12.0);
    assert_eq!(table_metrics(&long, fonts, &settings).size_pt, 12.0);
}

fn tables(body: &Element) -> Vec<&Element> {
    body.elements().filter(|e| e.name == "w:tbl").collect()
}

fn rows(tbl: &Element) -> Vec<&Element> {
    tbl.elements().filter(|e| e.name == "w:tr").collect()
}

fn cells(tr: &Element) -> Vec<&Element> {
    tr.elements().filter(|e| e.name == "w:tc").collect()
}

fn vmerge(tc: &Element) -> Option<String> {
    let vm = tc.find("w:tcPr")?.find("w:vMerge")?;
    Some(vm.get_attr("w:val").unwrap_or("continue").to_string())
}

fn paragraphs(tc: &Element) -> Vec<&Element> {
    tc.elements().filter(|e| e.name == "w:p").collect()
}

fn keeps_next(tc: &Element) -> bool {
    paragraphs(tc).iter().any(|p| {
        p.find("w:pPr")
            .and_then(|pr| pr.find("w:keepNext"))
            .is_some()
    })
}

#[test]
fn docx_rows_never_split_and_keep_only_section_rows() {
    let t = tall(6, 8, true);
    let bytes = write_docx(&doc(vec![Block::Table(t.clone())])).unwrap();
    let pkg = Package::open(&bytes);
    let body = body(&pkg);
    let tbl = tables(&body)[0];
    let trs = rows(tbl);
    assert_eq!(trs.len(), t.rows.len());
    let mut continued = 0;
    for (r, tr) in trs.iter().enumerate() {
        let pr = tr.find("w:trPr").unwrap();
        assert!(pr.find("w:cantSplit").is_some(), "row {r} may split");
        // Row heights are the renderer's (lines and padding as ours give our heights).
        assert!(pr.find("w:trHeight").is_none(), "row {r}: no fixed height");
        // keepNext exactly on the section rows (header cells only, below the heading row).
        let section = r >= 1 && t.rows[r].cells.iter().all(|c| c.header);
        let tcs = cells(tr);
        assert_eq!(
            tcs.iter().any(|tc| keeps_next(tc)),
            section,
            "row {r}: keepNext"
        );
        continued += tcs
            .iter()
            .filter(|tc| vmerge(tc).as_deref() == Some("continue"))
            .count();
    }
    // The merged 一级 cells continue down their groups (and may cross a page there).
    assert_eq!(continued, 6 * 7);
    // Cell padding and line pitch are the layout engine's: 0.25 em and 0.15 em of 12 pt, 1.2 em.
    let mar = tbl.find("w:tblPr").unwrap().find("w:tblCellMar").unwrap();
    let side = |s: &str| mar.find(s).unwrap().get_attr("w:w").unwrap().to_string();
    assert_eq!(
        [
            side("w:top"),
            side("w:left"),
            side("w:bottom"),
            side("w:right")
        ],
        ["36", "60", "36", "60"]
    );
    let spacing = pkg
        .style("TableText")
        .find("w:pPr")
        .unwrap()
        .find("w:spacing")
        .unwrap()
        .clone();
    assert_eq!(spacing.get_attr("w:line"), Some("288"));
    assert_eq!(spacing.get_attr("w:lineRule"), Some("exact"));
    let small = pkg.style("TableTextSmall");
    let sz = small.find("w:rPr").unwrap();
    assert_eq!(val(sz, "w:sz"), Some("21"));
}

#[test]
fn docx_table_size_follows_the_layouts_choice() {
    let fonts = FontSet::bundled();
    let settings = LayoutSettings::default();
    for (n, size) in [
        (3, TableTextSize::Five),
        (3, TableTextSize::Auto),
        (40, TableTextSize::Auto),
        (3, TableTextSize::Small4),
    ] {
        let t = Table {
            text_size: size,
            ..tall(1, n, false)
        };
        let small = table_metrics(&t, fonts, &settings).size_pt < 11.0;
        let bytes = write_docx(&doc(vec![Block::Table(t)])).unwrap();
        let pkg = Package::open(&bytes);
        let body = body(&pkg);
        let tbl = tables(&body)[0];
        for tr in rows(tbl) {
            for tc in cells(tr) {
                for p in paragraphs(tc) {
                    let s = p_style(p);
                    assert_eq!(s.ends_with("Small"), small, "{n} rows, {size:?}: {s}");
                }
            }
        }
        let mar = tbl.find("w:tblPr").unwrap().find("w:tblCellMar").unwrap();
        let left = mar.find("w:left").unwrap().get_attr("w:w").unwrap();
        // 0.25 em of 10.5 pt is 52.5 twips.
        let want: &[&str] = if small { &["52", "53"] } else { &["60"] };
        assert!(want.contains(&left), "{left}");
    }
}

/// The text of each DOCX table row, cell by cell: `plain` as stored (a continued merge is
/// empty), `full` with a continued merge showing the text of the cell it continues.
fn docx_rows(tbl: &Element) -> Vec<(String, String)> {
    let mut above: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for tr in rows(tbl) {
        let (mut plain, mut full) = (String::new(), String::new());
        let mut col = 0;
        for tc in cells(tr) {
            let span: usize = tc
                .find("w:tcPr")
                .and_then(|p| val(p, "w:gridSpan"))
                .map_or(1, |s| s.parse().unwrap());
            if above.len() < col + span {
                above.resize(col + span, String::new());
            }
            let text = common::squeeze(&text_of(tc));
            match vmerge(tc).as_deref() {
                Some("continue") => full.push_str(&above[col]),
                _ => {
                    plain.push_str(&text);
                    full.push_str(&text);
                    above[col] = text;
                }
            }
            col += span;
        }
        out.push((plain, full));
    }
    out
}

#[test]
fn pdf_and_docx_tables_hold_the_same_cells_in_the_same_order() {
    let mut t = tall(3, 25, true);
    // A merged cell in the middle column too, and a paragraph break inside a cell.
    t.rows[3].cells[1].text = "第0-1行完成\n建设".into();
    let document = doc(vec![Block::Table(t.clone())]);
    let pdf = write_pdf(&document, FontSet::bundled(), &LayoutSettings::default()).unwrap();
    let pdf = lopdf::Document::load_mem(&pdf.bytes).unwrap();
    let docx = write_docx(&document).unwrap();
    let pkg = Package::open(&docx);
    let body = body(&pkg);
    let tbl = tables(&body)[0];
    let docx_rows = docx_rows(tbl);
    let heading = &docx_rows[0].1;
    let title_of_docx = body
        .elements()
        .find(|e| e.name == "w:p" && p_style(e) == "TableTitle")
        .map(text_of)
        .unwrap();

    // Each PDF page: [title on the first] + the heading row + its first row with continued
    // merged cells repeated + the following rows as stored + `—N—`.
    let mut next = 1;
    let pages: Vec<u32> = pdf.get_pages().keys().copied().collect();
    assert!(pages.len() >= 3, "{} pages", pages.len());
    for (i, p) in pages.iter().enumerate() {
        let mut text = common::squeeze(&pdf.extract_text(&[*p]).unwrap());
        let folio = format!("—{}—", i + 1);
        assert!(text.ends_with(&folio), "page {i}: {text}");
        text.truncate(text.len() - folio.len());
        let mut rest = text.as_str();
        if i == 0 {
            rest = rest
                .strip_prefix(title_of_docx.as_str())
                .unwrap_or_else(|| panic!("title: {rest}"));
        }
        rest = rest
            .strip_prefix(heading.as_str())
            .unwrap_or_else(|| panic!("page {i} heading: {rest}"));
        rest = rest
            .strip_prefix(docx_rows[next].1.as_str())
            .unwrap_or_else(|| panic!("page {i} first row {next}: {rest}"));
        next += 1;
        while !rest.is_empty() {
            rest = rest
                .strip_prefix(docx_rows[next].0.as_str())
                .unwrap_or_else(|| panic!("page {i} row {next}: {rest}"));
            next += 1;
        }
    }
    assert_eq!(next, docx_rows.len(), "every row read back");
}

/// What a generated row is: a section row, or a body row with its text length and, when it
/// opens a merged 一级 cell, the rows that cell spans.
#[derive(Debug, Clone)]
enum Gen {
    Section,
    Body { len: usize, span: usize },
}

/// A random 自评表-like table from `plan`: unique row keys `R{i}:`, section rows `节{i}:`,
/// merged labels `组{i}`. A merge that would cover a section row or run past the end is cut.
fn random_table(plan: &[Gen]) -> Table {
    let mut rows = vec![Row {
        cells: vec![
            cell(0, "甲", true),
            cell(1, "乙", true),
            cell(2, "丙", true),
        ],
    }];
    let filler = "完成视频监控点位建设及安全边界接入系统建设并接入市级平台统一管理";
    let mut covered_until = 0;
    for (i, g) in plan.iter().enumerate() {
        match g {
            Gen::Section if i >= covered_until => rows.push(Row {
                cells: vec![Cell {
                    col_span: 3,
                    ..cell(0, &format!("节{i}:"), true)
                }],
            }),
            Gen::Section | Gen::Body { .. } => {
                let (len, span) = match g {
                    Gen::Body { len, span } => (*len, *span),
                    Gen::Section => (1, 1),
                };
                let mut cells = Vec::new();
                if i >= covered_until {
                    let span = (i..plan.len())
                        .take(span)
                        .take_while(|&k| k == i || matches!(plan[k], Gen::Body { .. }))
                        .count();
                    covered_until = i + span;
                    cells.push(Cell {
                        row_span: span,
                        ..cell(0, &format!("组{i}"), false)
                    });
                }
                let text: String = filler.chars().cycle().take(len).collect();
                cells.push(cell(1, &format!("R{i}:{text}"), false));
                cells.push(cell(2, &format!("{i}个"), false));
                rows.push(Row { cells });
            }
        }
    }
    Table {
        title: Some("自评表".into()),
        columns: vec![3, 10, 3],
        header_rows: 1,
        rows,
        text_size: TableTextSize::default(),
    }
}

fn gen() -> impl Strategy<Value = Gen> {
    prop_oneof![
        1 => Just(Gen::Section),
        9 => (1usize..60, 1usize..12).prop_map(|(len, span)| Gen::Body { len, span }),
    ]
}

use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Whatever the merges: every row once and whole, the heading on every page, no section row
    /// at the foot of a page, a merged label on every page its rows are on, and (rows being at
    /// most three lines here) every page but the last at least three-quarters full.
    #[test]
    fn random_tables_paginate_by_the_rules(plan in prop::collection::vec(gen(), 1..90)) {
        let t = random_table(&plan);
        let l = lay(&t);
        let g = Geometry::new(&LayoutSettings::default());
        let texts: Vec<String> = l.pages.iter().map(page_text).collect();
        for (i, p) in l.pages.iter().enumerate() {
            prop_assert!(texts[i].contains("甲乙丙"), "page {} heading", i);
            if i + 1 < l.pages.len() {
                prop_assert!(fill(p, &g) >= 0.75, "page {} only {:.2} full", i, fill(p, &g));
                let last = p
                    .lines
                    .iter()
                    .filter(|x| x.kind == LineKind::TableCell)
                    .max_by(|a, b| a.baseline.total_cmp(&b.baseline))
                    .unwrap();
                prop_assert!(!last.text().starts_with('节'), "page {} ends on {}", i, last.text());
            }
        }
        let mut label = String::new();
        for (i, g) in plan.iter().enumerate() {
            let key = match g {
                Gen::Section if t.rows.iter().any(|r| r.cells[0].text == format!("节{i}:")) => {
                    format!("节{i}:")
                }
                _ => format!("R{i}:"),
            };
            let on: Vec<usize> = (0..texts.len()).filter(|&k| texts[k].contains(&key)).collect();
            prop_assert_eq!(on.len(), 1, "{} on pages {:?}", key, on);
            if key.starts_with('R') {
                let opener = format!("组{i}");
                if t.rows.iter().any(|r| r.cells[0].text == opener) {
                    label = opener;
                }
                // The merged label of this row's group is printed on the row's page.
                let here = &l.pages[on[0]];
                prop_assert!(
                    here.lines.iter().any(|x| x.text() == label),
                    "{} without {} on page {}", key, label, on[0]
                );
            }
        }
    }
}
