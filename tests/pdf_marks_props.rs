//! Property: whatever the document, every glyph on every page of the PDF is inside exactly one
//! marked-content sequence — an MCID that the structure tree's parent tree references, or an
//! artifact — and none is lost on the way from the layout.

mod pdf_support;

use jixiao::document::{
    Align, Block, Cell, Document, Heading, Meta, Paragraph, Row, RunIn, Signature, Table,
    TableTextSize, Title,
};
use jixiao::layout::fonts::FontSet;
use jixiao::layout::{layout_document, LayoutSettings};
use jixiao::write::pdf::write_layout;
use proptest::prelude::*;

const CHARS: &[char] = &[
    '绩', '效', '自', '评', '项', '目', '资', '金', '预', '算', '执', '行', '率', '，', '。', '、',
    '（', '）', '1', '2', '3', '.', '%', 'A', '万', '元',
];

fn text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(CHARS), 1..max).prop_map(|v| v.into_iter().collect())
}

fn cell(col: usize, text: String, header: bool, row_span: usize) -> Cell {
    Cell {
        col,
        col_span: 1,
        row_span,
        text,
        header,
        align: Align::Left,
    }
}

/// A table of three columns whose first column is sometimes merged down two rows.
fn table(rows: Vec<(String, String, bool)>) -> Block {
    let n = rows.len();
    let mut out = vec![Row {
        cells: vec![
            cell(0, "指标".into(), true, 1),
            cell(1, "内容".into(), true, 1),
            cell(2, "分值".into(), true, 1),
        ],
    }];
    let mut covered = false;
    for (k, (a, b, merge)) in rows.into_iter().enumerate() {
        let mut cells = Vec::new();
        if !covered {
            let span = if merge && k + 1 < n { 2 } else { 1 };
            cells.push(cell(0, a, false, span));
            covered = span == 2;
        } else {
            covered = false;
        }
        cells.push(cell(1, b, false, 1));
        cells.push(cell(2, format!("{k}"), false, 1));
        out.push(Row { cells });
    }
    Block::Table(Table {
        title: Some("项目支出绩效自评表".into()),
        columns: vec![2, 6, 2],
        header_rows: 1,
        rows: out,
        text_size: TableTextSize::default(),
    })
}

fn block() -> impl Strategy<Value = Block> {
    prop_oneof![
        2 => (1u8..3, text(30)).prop_map(|(level, t)| Block::Heading(Heading {
            level,
            label: if level == 1 { "一、".into() } else { "（一）".into() },
            text: t,
        })),
        5 => (text(300), any::<bool>()).prop_map(|(t, run_in)| Block::Paragraph(Paragraph {
            run_in: run_in.then(|| RunIn { level: 3, label: "1.".into(), text: "项目：".into() }),
            text: t,
        })),
        1 => prop::collection::vec((text(12), text(80), any::<bool>()), 1..40).prop_map(table),
    ]
}

fn document(blocks: Vec<Block>) -> Document {
    let mut all = vec![
        Block::Attachment("附件2".into()),
        Block::Title(Title {
            lines: vec!["某局部门绩效自评工作报告".into()],
            explicit: false,
        }),
    ];
    all.extend(blocks);
    all.push(Block::Signature(Signature {
        name: "某局".into(),
        date: "2023年3月1日".into(),
        seal: true,
    }));
    Document {
        meta: Meta {
            title: "某局部门绩效自评工作报告".into(),
            author: "某局".into(),
            date: "2023-03-01".into(),
            facts: Vec::new(),
        },
        blocks: all,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn every_glyph_is_in_exactly_one_mcid_or_artifact(
        blocks in prop::collection::vec(block(), 1..10)
    ) {
        let doc = document(blocks);
        let fonts = FontSet::bundled();
        let layout = layout_document(&doc, fonts, &LayoutSettings::default());
        let laid: usize = layout.pages.iter().flat_map(|p| &p.lines).map(|l| l.glyphs.len()).sum();
        let bytes = write_layout(&layout, &doc.meta, fonts).unwrap().bytes;
        let pdf = pdf_support::load(&bytes);
        let root = pdf_support::catalog(&pdf).get(b"StructTreeRoot").unwrap();
        let root = pdf.get_dictionary(root.as_reference().unwrap()).unwrap();
        let nums = root.get(b"ParentTree").unwrap().as_dict().unwrap();
        let nums = nums.get(b"Nums").unwrap().as_array().unwrap();
        let mut drawn = 0;
        for (i, page_id) in pdf_support::pages(&pdf).into_iter().enumerate() {
            let marks = pdf_support::page_marks(&pdf, i);
            prop_assert_eq!(marks.unmarked_glyphs, 0, "page {}", i);
            prop_assert_eq!(marks.nested_glyphs, 0, "page {}", i);
            let page = pdf.get_dictionary(page_id).unwrap();
            let key = page.get(b"StructParents").unwrap().as_i64().unwrap();
            let at = nums.iter().position(|o| o.as_i64().ok() == Some(key)).unwrap();
            let parents = nums[at + 1].as_array().unwrap();
            for m in &marks.marked {
                drawn += m.glyphs;
                match (m.mcid, &m.artifact) {
                    (Some(mcid), None) => {
                        let parent = parents.get(mcid as usize);
                        prop_assert!(
                            parent.is_some_and(|p| p.as_reference().is_ok()),
                            "page {} MCID {} not in the parent tree", i, mcid
                        );
                    }
                    (None, Some(_)) => {}
                    other => prop_assert!(false, "page {}: neither MCID nor artifact: {:?}", i, other),
                }
            }
        }
        prop_assert_eq!(drawn, laid);
    }
}
