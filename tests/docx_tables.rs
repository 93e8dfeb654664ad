//! DOCX tables read back from the XML: merges, header repeat, fixed widths, errors.

mod docx_support;

use docx_support::*;
use jixiao::document::{Align, Block, Cell, Document, Row, Table};
use jixiao::write::docx::xml::Element;
use jixiao::write::docx::{write_docx, DocxError};

fn cell(col: usize, text: &str) -> Cell {
    Cell {
        col,
        col_span: 1,
        row_span: 1,
        text: text.into(),
        header: false,
        align: Align::Center,
    }
}

fn header(col: usize, text: &str) -> Cell {
    Cell {
        header: true,
        ..cell(col, text)
    }
}

/// A 自评表-shaped table: two header rows, 一级/二级 indicators merged down, a total row
/// merged across. `groups` 一级 indicators with 2 二级 of `per` rows each.
pub fn scorecard(groups: usize, per: usize) -> Table {
    let mut rows = vec![
        Row {
            cells: vec![Cell {
                col_span: 8,
                ..header(
                    0,
                    "项目名称：秦皇岛市公共安全视频监控建设联网应用“雪亮工程”建设项目",
                )
            }],
        },
        Row {
            cells: [
                "一级指标",
                "二级指标",
                "三级指标",
                "年度指标值",
                "实际完成值",
                "分值",
                "得分",
                "偏差原因分析及改进措施",
            ]
            .iter()
            .enumerate()
            .map(|(i, t)| header(i, t))
            .collect(),
        },
    ];
    for g in 0..groups {
        for s in 0..2 {
            for k in 0..per {
                let mut cells = Vec::new();
                if s == 0 && k == 0 {
                    cells.push(Cell {
                        row_span: 2 * per,
                        ..cell(0, &format!("一级{}", g + 1))
                    });
                }
                if k == 0 {
                    cells.push(Cell {
                        row_span: per,
                        ..cell(1, &format!("二级{}-{}", g + 1, s + 1))
                    });
                }
                cells.push(Cell {
                    align: Align::Left,
                    ..cell(
                        2,
                        &format!(
                            "三级指标{}-{}-{}：完成视频监控点位建设数量",
                            g + 1,
                            s + 1,
                            k + 1
                        ),
                    )
                });
                cells.push(cell(3, "≥121个"));
                cells.push(cell(4, "121个"));
                cells.push(cell(5, "5"));
                cells.push(cell(6, "5"));
                cells.push(cell(
                    7,
                    if k % 3 == 1 {
                        "无偏差\n继续保持"
                    } else {
                        ""
                    },
                ));
                rows.push(Row { cells });
            }
        }
    }
    rows.push(Row {
        cells: vec![
            Cell {
                col_span: 5,
                ..cell(0, "总分")
            },
            cell(5, "100"),
            cell(6, "98.6"),
            cell(7, ""),
        ],
    });
    Table {
        title: Some("2021年度项目支出绩效自评表".into()),
        columns: vec![11, 12, 24, 16, 16, 11, 14, 39],
        header_rows: 2,
        rows,
        text_size: Default::default(),
    }
}

fn doc_with(table: Table) -> Document {
    let mut doc = sample_document();
    doc.blocks.push(Block::Table(table));
    doc
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

fn tc_val<'a>(tc: &'a Element, name: &str) -> Option<&'a str> {
    tc.find("w:tcPr").and_then(|p| val(p, name))
}

fn has_vmerge(tc: &Element) -> Option<&str> {
    let vm = tc.find("w:tcPr")?.find("w:vMerge")?;
    Some(vm.get_attr("w:val").unwrap_or("continue"))
}

#[test]
fn table_is_fixed_width_on_a_new_page_under_its_title() {
    let bytes = write_docx(&doc_with(scorecard(4, 5))).unwrap();
    if let Some(path) = std::env::var_os("JIXIAO_DOCX_TABLE_DUMP") {
        std::fs::write(path, &bytes).unwrap();
    }
    let pkg = Package::open(&bytes);
    let body = body(&pkg);
    let children: Vec<&Element> = body.elements().collect();
    let ti = children.iter().position(|e| e.name == "w:tbl").unwrap();
    let title = children[ti - 1];
    assert_eq!(p_style(title), "TableTitle");
    assert_eq!(text_of(title), "2021年度项目支出绩效自评表");
    assert!(title
        .find("w:pPr")
        .unwrap()
        .find("w:pageBreakBefore")
        .is_some());
    // The body does not end with the table.
    assert_eq!(children[ti + 1].name, "w:p");

    let tbl = children[ti];
    let pr = tbl.find("w:tblPr").unwrap();
    assert_eq!(
        pr.find("w:tblLayout").unwrap().get_attr("w:type"),
        Some("fixed")
    );
    assert_eq!(pr.find("w:tblW").unwrap().get_attr("w:w"), Some("8845"));
    // The layout engine's padding: 0.25 em of 12 pt left and right, 0.15 em top and bottom.
    let mar = pr.find("w:tblCellMar").unwrap();
    for (side, w) in [("w:left", "60"), ("w:right", "60"), ("w:top", "36")] {
        assert_eq!(mar.find(side).unwrap().get_attr("w:w"), Some(w), "{side}");
    }
    let borders = pr.find("w:tblBorders").unwrap();
    for b in borders.elements() {
        assert_eq!(b.get_attr("w:sz"), Some("4"), "{}", b.name);
        assert_eq!(b.get_attr("w:val"), Some("single"));
    }
    let grid: Vec<u32> = tbl
        .find("w:tblGrid")
        .unwrap()
        .elements()
        .map(|g| {
            assert_eq!(g.attrs.len(), 1, "CT_TblGridCol has only w:w");
            g.get_attr("w:w").unwrap().parse().unwrap()
        })
        .collect();
    assert_eq!(grid.len(), 8);
    assert_eq!(grid.iter().sum::<u32>(), 8845);
    // Every row's cell widths add up to the grid.
    for tr in rows(tbl) {
        let sum: u32 = cells(tr)
            .iter()
            .map(|tc| {
                tc.find("w:tcPr")
                    .unwrap()
                    .find("w:tcW")
                    .unwrap()
                    .get_attr("w:w")
                    .unwrap()
                    .parse::<u32>()
                    .unwrap()
            })
            .sum();
        assert_eq!(sum, 8845);
    }
}

#[test]
fn header_rows_repeat_and_no_row_splits() {
    let pkg = Package::open(&write_docx(&doc_with(scorecard(3, 4))).unwrap());
    let body = body(&pkg);
    let tbl = tables(&body)[0];
    for (i, tr) in rows(tbl).iter().enumerate() {
        let trpr = tr.find("w:trPr").expect("trPr");
        assert!(trpr.find("w:cantSplit").is_some(), "row {i}");
        assert_eq!(trpr.find("w:tblHeader").is_some(), i < 2, "row {i}");
    }
    // Header cells in 表格表头 (黑体), body cells in 表格文字 (仿宋).
    let r = rows(tbl);
    let first_p = |tc: &Element| tc.find("w:p").cloned().unwrap();
    assert_eq!(p_style(&first_p(cells(r[1])[0])), "TableHeader");
    assert_eq!(p_style(&first_p(cells(r[2])[2])), "TableText");
    assert_eq!(
        first_p(cells(r[2])[2])
            .find("w:pPr")
            .and_then(|p| val(p, "w:jc")),
        Some("left")
    );
}

#[test]
fn row_and_column_spans_become_vmerge_and_gridspan() {
    let per = 3;
    let pkg = Package::open(&write_docx(&doc_with(scorecard(1, per))).unwrap());
    let body = body(&pkg);
    let tbl = tables(&body)[0];
    let r = rows(tbl);
    // Row 0: one cell across all 8 columns.
    assert_eq!(cells(r[0]).len(), 1);
    assert_eq!(tc_val(cells(r[0])[0], "w:gridSpan"), Some("8"));
    // First data row: 一级 and 二级 start merges.
    let d0 = cells(r[2]);
    assert_eq!(d0.len(), 8);
    assert_eq!(has_vmerge(d0[0]), Some("restart"));
    assert_eq!(has_vmerge(d0[1]), Some("restart"));
    assert_eq!(text_of(d0[0]), "一级1");
    // Following rows carry continuation cells in the covered slots, empty.
    for k in 1..2 * per {
        let c = cells(r[2 + k]);
        assert_eq!(c.len(), 8, "row {k}");
        assert_eq!(has_vmerge(c[0]), Some("continue"));
        assert_eq!(text_of(c[0]), "");
        let want = if k % per == 0 { "restart" } else { "continue" };
        assert_eq!(has_vmerge(c[1]), Some(want), "row {k}");
        assert_eq!(has_vmerge(c[2]), None);
    }
    // Total row: 5 columns merged across.
    let last = cells(r[r.len() - 1]);
    assert_eq!(last.len(), 4);
    assert_eq!(tc_val(last[0], "w:gridSpan"), Some("5"));
    assert_eq!(text_of(last[0]), "总分");
    // A cell text with a line break becomes two paragraphs.
    let two = r
        .iter()
        .flat_map(|tr| cells(tr))
        .find(|tc| text_of(tc) == "无偏差继续保持")
        .unwrap();
    assert_eq!(two.elements().filter(|e| e.name == "w:p").count(), 2);
}

#[test]
fn every_cell_text_survives() {
    let t = scorecard(2, 2);
    let want: String = t
        .rows
        .iter()
        .flat_map(|r| r.cells.iter().map(|c| c.text.replace('\n', "")))
        .collect();
    let pkg = Package::open(&write_docx(&doc_with(t)).unwrap());
    let body = body(&pkg);
    assert_eq!(text_of(tables(&body)[0]), want);
}

#[test]
fn inconsistent_tables_are_errors_not_panics() {
    let mut overlap = scorecard(1, 2);
    overlap.rows[3].cells.push(cell(0, "重叠"));
    let mut too_wide = scorecard(1, 2);
    too_wide.rows[2].cells[2].col_span = 9;
    let mut too_tall = scorecard(1, 2);
    too_tall.rows[2].cells[0].row_span = 99;
    let mut header = scorecard(1, 2);
    header.header_rows = 999;
    let mut no_columns = scorecard(1, 2);
    no_columns.columns.clear();
    let mut zero_span = scorecard(1, 2);
    zero_span.rows[2].cells[3].col_span = 0;
    for (name, t) in [
        ("overlap", overlap),
        ("too_wide", too_wide),
        ("too_tall", too_tall),
        ("header", header),
        ("no_columns", no_columns),
        ("zero_span", zero_span),
    ] {
        match write_docx(&doc_with(t)) {
            Err(DocxError::Table { table, message }) => {
                assert_eq!(table, "2021年度项目支出绩效自评表", "{name}");
                assert!(!message.is_empty());
            }
            other => panic!("{name}: expected a table error, got {other:?}"),
        }
    }
}

#[test]
fn free_slots_are_filled_and_untitled_tables_still_break_the_page() {
    let t = Table {
        title: None,
        columns: vec![1, 1, 1],
        header_rows: 0,
        text_size: Default::default(),
        rows: vec![
            Row {
                cells: vec![cell(1, "中")],
            },
            Row {
                cells: vec![cell(0, "左"), cell(2, "右")],
            },
        ],
    };
    let doc = Document {
        meta: sample_document().meta,
        blocks: vec![Block::Table(t.clone()), Block::Table(t)],
    };
    let pkg = Package::open(&write_docx(&doc).unwrap());
    let body = body(&pkg);
    let ts = tables(&body);
    assert_eq!(ts.len(), 2, "two tables stay two tables");
    for tbl in ts {
        for tr in rows(tbl) {
            assert_eq!(cells(tr).len(), 3);
        }
    }
    let breaks = body
        .elements()
        .filter(|e| e.name == "w:p")
        .filter(|p| {
            p.find("w:pPr")
                .and_then(|pp| pp.find("w:pageBreakBefore"))
                .is_some()
        })
        .count();
    assert_eq!(breaks, 2);
}

/// Attributes each WordprocessingML element may carry (ECMA-376 part 1, wml.xsd), for the
/// elements jixiao writes. A wrong attribute (`w:tblInd w:val`, `w:gridCol w:type`) is ignored
/// or "repaired" by Word, so the whole package is checked against this list.
const ALLOWED: &[(&str, &[&str])] = &[
    // CT_Height.
    ("w:trHeight", &["w:val", "w:hRule"]),
    (
        "w:ind",
        &[
            "w:left",
            "w:right",
            "w:firstLine",
            "w:hanging",
            "w:start",
            "w:end",
        ],
    ),
    (
        "w:spacing",
        &["w:before", "w:after", "w:line", "w:lineRule", "w:val"],
    ),
    ("w:tblInd", &["w:w", "w:type"]),
    ("w:tblW", &["w:w", "w:type"]),
    ("w:tcW", &["w:w", "w:type"]),
    ("w:gridCol", &["w:w"]),
    (
        "w:top",
        &["w:val", "w:sz", "w:space", "w:color", "w:w", "w:type"],
    ),
    (
        "w:left",
        &["w:val", "w:sz", "w:space", "w:color", "w:w", "w:type"],
    ),
    (
        "w:bottom",
        &["w:val", "w:sz", "w:space", "w:color", "w:w", "w:type"],
    ),
    (
        "w:right",
        &["w:val", "w:sz", "w:space", "w:color", "w:w", "w:type"],
    ),
    ("w:insideH", &["w:val", "w:sz", "w:space", "w:color"]),
    ("w:insideV", &["w:val", "w:sz", "w:space", "w:color"]),
    ("w:pgSz", &["w:w", "w:h", "w:orient"]),
    (
        "w:pgMar",
        &[
            "w:top", "w:right", "w:bottom", "w:left", "w:header", "w:footer", "w:gutter",
        ],
    ),
    ("w:cols", &["w:num", "w:space"]),
    ("w:docGrid", &["w:type", "w:linePitch", "w:charSpace"]),
    ("w:pgNumType", &["w:start", "w:fmt"]),
    ("w:footerReference", &["w:type", "r:id"]),
    ("w:fldChar", &["w:fldCharType", "w:dirty"]),
    (
        "w:rFonts",
        &["w:ascii", "w:eastAsia", "w:hAnsi", "w:cs", "w:hint"],
    ),
    ("w:lang", &["w:val", "w:eastAsia", "w:bidi"]),
    ("w:style", &["w:type", "w:styleId", "w:default"]),
    ("w:tblLayout", &["w:type"]),
    ("w:t", &["xml:space"]),
    ("w:p", &["w14:paraId"]),
    ("w:font", &["w:name"]),
    ("w:zoom", &["w:percent"]),
    ("w:compatSetting", &["w:name", "w:uri", "w:val"]),
    ("w:themeFontLang", &["w:val", "w:eastAsia", "w:bidi"]),
    ("w:abstractNum", &["w:abstractNumId"]),
    ("w:lvl", &["w:ilvl"]),
    ("w:num", &["w:numId"]),
    ("w:br", &["w:type", "w:clear"]),
];

/// Elements whose only attribute is `w:val` (or none).
const VAL_ONLY: &[&str] = &[
    "w:pStyle",
    "w:rStyle",
    "w:jc",
    "w:vAlign",
    "w:vMerge",
    "w:gridSpan",
    "w:sz",
    "w:szCs",
    "w:kern",
    "w:name",
    "w:basedOn",
    "w:next",
    "w:link",
    "w:uiPriority",
    "w:outlineLvl",
    "w:kinsoku",
    "w:widowControl",
    "w:snapToGrid",
    "w:overflowPunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:cantSplit",
    "w:tblHeader",
    "w:qFormat",
    "w:semiHidden",
    "w:unhideWhenUsed",
    "w:altName",
    "w:charset",
    "w:family",
    "w:pitch",
    "w:defaultTabStop",
    "w:evenAndOddHeaders",
    "w:characterSpacingControl",
    "w:decimalSymbol",
    "w:listSeparator",
    "w:start",
    "w:numFmt",
    "w:lvlText",
    "w:lvlJc",
    "w:abstractNumId",
    "w:useFELayout",
];

#[test]
fn every_attribute_is_one_the_schema_allows() {
    let pkg = Package::open(&write_docx(&doc_with(scorecard(1, 2))).unwrap());
    let mut bad = Vec::new();
    for (name, bytes) in &pkg.parts {
        if !name.starts_with("word/") || !name.ends_with(".xml") {
            continue;
        }
        let root = jixiao::write::docx::xml::parse(bytes).unwrap();
        for e in root.descendants().into_iter().skip(1) {
            let allowed: Vec<&str> = match ALLOWED.iter().find(|(n, _)| *n == e.name) {
                Some((_, a)) => a.to_vec(),
                None if VAL_ONLY.contains(&e.name.as_str()) => vec!["w:val"],
                None => vec![],
            };
            for (k, _) in &e.attrs {
                if !allowed.contains(&k.as_str()) {
                    bad.push(format!("{name}: <{} {k}>", e.name));
                }
            }
        }
    }
    bad.sort();
    bad.dedup();
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn heading_rows_inside_a_table_keep_with_the_next_row() {
    // Header row 0 repeats; row 2 is a heading-only row in the body; the rest are body rows.
    let t = Table {
        title: None,
        columns: vec![1, 1],
        header_rows: 1,
        text_size: Default::default(),
        rows: vec![
            Row {
                cells: vec![header(0, "表头甲"), header(1, "表头乙")],
            },
            Row {
                cells: vec![cell(0, "甲"), cell(1, "乙")],
            },
            Row {
                cells: vec![header(0, "分组标题"), header(1, "分组标题")],
            },
            Row {
                cells: vec![cell(0, "丙"), cell(1, "丁")],
            },
        ],
    };
    let bytes = write_docx(&doc_with(t)).unwrap();
    let pkg = Package::open(&bytes);
    let body = body(&pkg);
    let tbl = tables(&body)[0];
    let keeps: Vec<bool> = rows(tbl)
        .iter()
        .map(|tr| {
            cells(tr).iter().all(|tc| {
                tc.elements().filter(|e| e.name == "w:p").all(|p| {
                    p.find("w:pPr")
                        .and_then(|pr| pr.find("w:keepNext"))
                        .is_some()
                })
            })
        })
        .collect();
    assert_eq!(keeps, [false, false, true, false]);
}
