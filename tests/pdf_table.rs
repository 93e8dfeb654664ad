//! A report with a 自评表: the table pages come out of the PDF with their text and header rows.

mod common;

use jixiao::document::{Align, Block, Cell, Row, Table};
use jixiao::layout::fonts::FontSet;
use jixiao::layout::LayoutSettings;
use jixiao::write::pdf::write_pdf;

fn cell(col: usize, col_span: usize, row_span: usize, text: &str, header: bool) -> Cell {
    Cell {
        col,
        col_span,
        row_span,
        text: text.into(),
        header,
        align: if header { Align::Center } else { Align::Left },
    }
}

fn scorecard() -> Table {
    let mut rows = vec![
        Row {
            cells: vec![
                cell(0, 1, 1, "项目名称", true),
                cell(
                    1,
                    4,
                    1,
                    "秦皇岛市公共安全视频监控建设联网应用“雪亮工程”建设项目（卢龙县部分）",
                    false,
                ),
            ],
        },
        Row {
            cells: vec![
                cell(0, 1, 1, "一级指标", true),
                cell(1, 1, 1, "二级指标", true),
                cell(2, 1, 1, "三级指标", true),
                cell(3, 1, 1, "年度指标值", true),
                cell(4, 1, 1, "实际完成值", true),
            ],
        },
    ];
    for i in 0..40 {
        let mut cells = Vec::new();
        if i % 4 == 0 {
            cells.push(cell(0, 1, 4, "产出指标", false));
        }
        cells.push(cell(1, 1, 1, "数量指标", false));
        cells.push(cell(
            2,
            1,
            1,
            &format!("视频监控点位建设第{i}批（高点、全结构化摄像机）"),
            false,
        ));
        cells.push(cell(3, 1, 1, "121个", false));
        cells.push(cell(4, 1, 1, "4675.926万元", false));
        rows.push(Row { cells });
    }
    Table {
        title: Some("2021年度项目支出绩效自评表".into()),
        columns: vec![3, 3, 6, 3, 3],
        header_rows: 2,
        rows,
        text_size: Default::default(),
    }
}

#[test]
fn table_pages_read_back_with_repeated_headers() {
    let mut doc = common::sample();
    doc.blocks.push(Block::Table(scorecard()));
    let out = write_pdf(&doc, FontSet::bundled(), &LayoutSettings::default()).unwrap();
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("with-table.pdf");
    std::fs::write(path, &out.bytes).unwrap();
    assert!(out.pages >= 8, "{} pages", out.pages);
    let pdf = lopdf::Document::load_mem(&out.bytes).unwrap();
    let pages: Vec<u32> = pdf.get_pages().keys().copied().collect();
    let mut all = String::new();
    for p in &pages[6..] {
        let text = common::squeeze(&pdf.extract_text(&[*p]).unwrap());
        assert!(
            text.contains("一级指标二级指标三级指标年度指标值实际完成值"),
            "page {p}: {text}"
        );
        all.push_str(&text);
    }
    assert!(all.starts_with("2021年度项目支出绩效自评表"));
    for i in 0..40 {
        assert!(
            all.contains(&format!("视频监控点位建设第{i}批")),
            "row {i} missing"
        );
    }
}

#[test]
fn empty_document_gives_one_numbered_page() {
    let doc = jixiao::document::Document {
        meta: Default::default(),
        blocks: vec![Block::PageBreak],
    };
    let out = write_pdf(&doc, FontSet::bundled(), &LayoutSettings::default()).unwrap();
    assert_eq!(out.pages, 1);
    let pdf = lopdf::Document::load_mem(&out.bytes).unwrap();
    assert_eq!(pdf.get_pages().len(), 1);
    assert_eq!(common::squeeze(&pdf.extract_text(&[1]).unwrap()), "—1—");
}

#[test]
fn fake_bold_is_a_stroked_fill() {
    let doc = common::sample();
    let settings = LayoutSettings {
        bold_heading2: true,
        ..LayoutSettings::default()
    };
    let out = write_pdf(&doc, FontSet::bundled(), &settings).unwrap();
    let pdf = lopdf::Document::load_mem(&out.bytes).unwrap();
    let page1 = *pdf.get_pages().get(&1).unwrap();
    let content = String::from_utf8_lossy(&pdf.get_page_content(page1)).into_owned();
    assert!(content.contains("2 Tr"), "fill+stroke mode");
    assert!(content.contains("0.48 w"), "0.03 em outline at 16 pt");
    let plain = write_pdf(&doc, FontSet::bundled(), &LayoutSettings::default()).unwrap();
    let pdf = lopdf::Document::load_mem(&plain.bytes).unwrap();
    let page1 = *pdf.get_pages().get(&1).unwrap();
    assert!(!String::from_utf8_lossy(&pdf.get_page_content(page1)).contains(" Tr"));
}
