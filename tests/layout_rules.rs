//! Layout rules of docs/layout.md, one test each: 禁则, numbers at line ends, justification,
//! 28 characters a line, 22 lines a page, keep rules, the signature block, titles, fallback.

mod common;

use jixiao::document::{
    Align, Block, Cell, Document, Heading, Meta, Paragraph, Row, Signature, Table, Title,
};
use jixiao::layout::fonts::FontSet;
use jixiao::layout::linebreak::{NO_END, NO_START};
use jixiao::layout::{layout_document, Geometry, Layout, LayoutSettings, Line, LineKind};

fn doc(blocks: Vec<Block>) -> Document {
    Document {
        meta: Meta::default(),
        blocks,
    }
}

fn para(text: &str) -> Block {
    Block::Paragraph(Paragraph::plain(text))
}

fn lay(blocks: Vec<Block>) -> Layout {
    layout_document(&doc(blocks), FontSet::bundled(), &LayoutSettings::default())
}

fn geo() -> Geometry {
    Geometry::new(&LayoutSettings::default())
}

fn body_lines(l: &Layout) -> Vec<&Line> {
    l.pages
        .iter()
        .flat_map(|p| p.lines.iter())
        .filter(|l| l.kind == LineKind::Body)
        .collect()
}

/// Asserts the 禁则 and the right edge for every line of a one-paragraph layout.
fn assert_clean(l: &Layout) {
    let lines = body_lines(l);
    let g = geo();
    for (k, line) in lines.iter().enumerate() {
        let text: Vec<char> = line.text().chars().collect();
        if k > 0 {
            assert!(
                !NO_START.contains(text[0]),
                "line {k} starts with {}: {}",
                text[0],
                line.text()
            );
        }
        if !line.last {
            let last = *text.last().unwrap();
            assert!(
                !NO_END.contains(last),
                "line {k} ends with {last}: {}",
                line.text()
            );
            let end = line.x_end().unwrap();
            assert!(
                (end - g.right).abs() < 0.01,
                "line {k} ends at {end}, not {}",
                g.right
            );
        }
        assert!(line.x_end().unwrap() <= g.right + 0.01);
    }
}

#[test]
fn every_closing_mark_is_kept_off_the_start_of_a_line() {
    for p in NO_START.chars() {
        // 25 + 1 characters fill the indented first line exactly; the mark would start line 2.
        let text = format!("{}甲{p}乙{}", "我".repeat(25), "丙".repeat(40));
        let l = lay(vec![para(&text)]);
        assert_clean(&l);
        let lines = body_lines(&l);
        assert!(
            lines[1].text().starts_with(&format!("甲{p}")),
            "{p}: {}",
            lines[1].text()
        );
        assert!(lines[0].justified);
    }
}

#[test]
fn every_opening_mark_is_kept_off_the_end_of_a_line() {
    for p in NO_END.chars() {
        let text = format!("{}{p}甲乙{}", "我".repeat(25), "丙".repeat(40));
        let l = lay(vec![para(&text)]);
        assert_clean(&l);
        assert!(body_lines(&l)[1].text().starts_with(&format!("{p}甲")));
    }
}

#[test]
fn numbers_words_dashes_and_ellipses_are_never_split() {
    for unit in ["4675.926", "97.3%", "APP", "——", "……", "2647.933万"] {
        for lead in 20..27 {
            let text = format!("{}{unit}{}", "我".repeat(lead), "丙".repeat(40));
            let l = lay(vec![para(&text)]);
            assert_clean(&l);
            let lines = body_lines(&l);
            let unit_head: String = unit.chars().take_while(|c| *c != '万').collect();
            assert!(
                lines.iter().any(|x| x.text().contains(&unit_head)),
                "{unit} split after {lead}: {:?}",
                lines.iter().map(|x| x.text()).collect::<Vec<_>>()
            );
        }
    }
}

#[test]
fn number_at_the_line_end_moves_whole_and_the_line_is_spread() {
    let text = format!("{}4675.926万元", "我".repeat(24));
    let l = lay(vec![para(&text)]);
    let lines = body_lines(&l);
    assert_eq!(lines[0].text(), "我".repeat(24));
    assert!(lines[0].justified);
    assert!((lines[0].x_end().unwrap() - geo().right).abs() < 0.01);
    assert!(lines[1].text().starts_with("4675.926"));
}

#[test]
fn full_lines_hold_28_characters_and_first_lines_26_after_the_indent() {
    let l = lay(vec![para(&"我".repeat(26 + 28 * 3 + 3))]);
    let lines = body_lines(&l);
    assert_eq!(lines.len(), 5);
    let g = geo();
    assert_eq!(lines[0].glyphs.len(), 26);
    assert!((lines[0].x_start().unwrap() - (g.left + 2.0 * g.pitch)).abs() < 0.01);
    for line in &lines[1..4] {
        assert_eq!(line.glyphs.len(), 28);
        assert!((line.x_start().unwrap() - g.left).abs() < 0.01);
        assert!((line.x_end().unwrap() - g.right).abs() < 0.01);
    }
    assert_eq!(lines[4].glyphs.len(), 3);
    assert!(!lines[4].justified);
    // 15.79 pt pitch: 156 mm / 28.
    assert!((g.pitch - 156.0 * 72.0 / 25.4 / 28.0).abs() < 1e-3);
}

#[test]
fn pages_hold_22_lines_on_a_28_95_pt_pitch() {
    let blocks: Vec<Block> = (0..40).map(|_| para(&"我".repeat(26 + 28 * 4))).collect();
    let l = lay(blocks);
    let g = geo();
    assert!(l.pages.len() >= 9);
    for (i, page) in l.pages.iter().enumerate() {
        let rows: Vec<usize> = page.lines.iter().filter_map(|x| x.row).collect();
        assert!(rows.len() <= 22, "page {i} has {} rows", rows.len());
        assert!(rows.iter().all(|r| *r < 22));
        for line in page.lines.iter().filter(|x| x.row.is_some()) {
            let r = line.row.unwrap();
            assert!((line.baseline - g.baseline(r, 16.0)).abs() < 1e-3);
        }
        if i + 1 < l.pages.len() {
            // A five-line paragraph splits 2+3 or 3+2 (no widow, no orphan), so a page ends at
            // most one row short.
            assert!(rows.len() >= 21, "page {i}: {} rows", rows.len());
        }
    }
    assert!((g.line_pitch - 28.95).abs() < 1e-6);
}

#[test]
fn heading_is_kept_with_two_lines_of_what_follows() {
    // 20 one-line paragraphs fill rows 0–19; a heading on row 20 would leave one line after it.
    let mut blocks: Vec<Block> = (0..20).map(|_| para("短段落。")).collect();
    blocks.push(Block::Heading(Heading {
        level: 1,
        label: "一、".into(),
        text: "标题".into(),
    }));
    blocks.push(para(&"我".repeat(60)));
    let l = lay(blocks);
    let heading_page = l
        .pages
        .iter()
        .position(|p| p.lines.iter().any(|x| x.kind == LineKind::Heading1))
        .unwrap();
    assert_eq!(heading_page, 1);
    let p = &l.pages[1];
    assert_eq!(p.lines[0].kind, LineKind::Heading1);
    assert_eq!(p.lines[0].row, Some(0));
}

#[test]
fn heading_followed_by_a_one_line_paragraph_still_keeps_two_lines() {
    // Rows 0–19 full; the heading would sit on row 20 with a one-line paragraph on row 21, and
    // the next heading on the following page: the heading must move on with both lines.
    let mut blocks: Vec<Block> = (0..20).map(|_| para("短段落。")).collect();
    for text in ["甲", "乙"] {
        blocks.push(Block::Heading(Heading {
            level: 2,
            label: "（一）".into(),
            text: text.into(),
        }));
        blocks.push(para("只有一行的段落。"));
    }
    let l = lay(blocks);
    let first_heading_page = l
        .pages
        .iter()
        .position(|p| p.lines.iter().any(|x| x.kind == LineKind::Heading2))
        .unwrap();
    assert_eq!(first_heading_page, 1, "the heading moves to the next page");
    let body_on_first = l.pages[0]
        .lines
        .iter()
        .filter(|x| x.kind == LineKind::Body)
        .count();
    assert_eq!(body_on_first, 20);
}

#[test]
fn no_orphan_or_widow_lines() {
    // 21 one-line paragraphs, then a three-line paragraph: 1 + 2 would orphan, so all 3 move.
    let mut blocks: Vec<Block> = (0..21).map(|_| para("短段落。")).collect();
    blocks.push(para(&"我".repeat(26 + 28 + 10)));
    let l = lay(blocks);
    assert_eq!(l.pages.len(), 2);
    let second: Vec<&Line> = l.pages[1]
        .lines
        .iter()
        .filter(|x| x.kind == LineKind::Body)
        .collect();
    assert_eq!(second.len(), 3);
    // 20 + a four-line paragraph: 2 + 2 is allowed.
    let mut blocks: Vec<Block> = (0..20).map(|_| para("短段落。")).collect();
    blocks.push(para(&"我".repeat(26 + 28 * 2 + 10)));
    let l = lay(blocks);
    let second = l.pages[1]
        .lines
        .iter()
        .filter(|x| x.kind == LineKind::Body)
        .count();
    assert_eq!(second, 2);
}

#[test]
fn signature_that_would_fall_alone_takes_two_body_lines_with_it() {
    // 22 one-line paragraphs fill page 1 exactly; the signature block must not stand alone.
    let mut blocks: Vec<Block> = (0..22).map(|_| para("短段落。")).collect();
    blocks.push(Block::Signature(Signature {
        name: "卢龙县公安局".into(),
        date: "2022年3月23日".into(),
        seal: true,
    }));
    let l = lay(blocks);
    assert_eq!(l.pages.len(), 2);
    let last = &l.pages[1];
    let body = last
        .lines
        .iter()
        .filter(|x| x.kind == LineKind::Body)
        .count();
    assert!(
        body >= 2,
        "only {body} body lines share the signature's page"
    );
    let sig = last
        .lines
        .iter()
        .find(|x| x.kind == LineKind::Signature)
        .unwrap();
    let date = last
        .lines
        .iter()
        .find(|x| x.kind == LineKind::Date)
        .unwrap();
    assert_eq!(sig.row.unwrap() + 1, date.row.unwrap());
    // One blank row between the body and the 署名.
    let last_body = last
        .lines
        .iter()
        .filter(|x| x.kind == LineKind::Body)
        .map(|x| x.row.unwrap())
        .max()
        .unwrap();
    assert_eq!(sig.row.unwrap(), last_body + 2);
}

#[test]
fn signature_with_seal_centres_the_name_on_the_date_right_indented_4() {
    let l = lay(vec![
        para("正文。"),
        Block::Signature(Signature {
            name: "卢龙县公安局".into(),
            date: "2022年3月23日".into(),
            seal: true,
        }),
    ]);
    let g = geo();
    let lines = &l.pages[0].lines;
    let sig = lines
        .iter()
        .find(|x| x.kind == LineKind::Signature)
        .unwrap();
    let date = lines.iter().find(|x| x.kind == LineKind::Date).unwrap();
    assert!((date.x_end().unwrap() - (g.right - 4.0 * g.pitch)).abs() < 0.01);
    let centre = |x: &Line| (x.x_start().unwrap() + x.x_end().unwrap()) / 2.0;
    assert!((centre(sig) - centre(date)).abs() < 0.01);
}

#[test]
fn signature_without_seal_follows_7_3_5_2() {
    let g = geo();
    // Short date: 署名 right-indented 2, date starts 2 characters right of the 署名.
    let l = lay(vec![
        para("正文。"),
        Block::Signature(Signature {
            name: "卢龙县人民政府办公室".into(),
            date: "2022年3月23日".into(),
            seal: false,
        }),
    ]);
    let lines = &l.pages[0].lines;
    let sig = lines
        .iter()
        .find(|x| x.kind == LineKind::Signature)
        .unwrap();
    let date = lines.iter().find(|x| x.kind == LineKind::Date).unwrap();
    assert!((sig.x_end().unwrap() - (g.right - 2.0 * g.pitch)).abs() < 0.01);
    assert!((date.x_start().unwrap() - (sig.x_start().unwrap() + 2.0 * g.pitch)).abs() < 0.01);
    // Date longer than the 署名: the date is right-indented 2, the 署名 2 characters left of it.
    let l = lay(vec![
        para("正文。"),
        Block::Signature(Signature {
            name: "公安局".into(),
            date: "2022年12月23日".into(),
            seal: false,
        }),
    ]);
    let lines = &l.pages[0].lines;
    let sig = lines
        .iter()
        .find(|x| x.kind == LineKind::Signature)
        .unwrap();
    let date = lines.iter().find(|x| x.kind == LineKind::Date).unwrap();
    assert!((date.x_end().unwrap() - (g.right - 2.0 * g.pitch)).abs() < 0.01);
    assert!((date.x_start().unwrap() - (sig.x_start().unwrap() + 2.0 * g.pitch)).abs() < 0.01);
}

#[test]
fn title_on_line_3_after_an_attachment_mark_else_line_1() {
    let title = Block::Title(Title {
        lines: vec!["卢龙县公安局部门绩效自评工作报告".into()],
        explicit: false,
    });
    let l = lay(vec![
        Block::Attachment("附件2".into()),
        title.clone(),
        para("正文。"),
    ]);
    let p = &l.pages[0].lines;
    assert_eq!(p[0].kind, LineKind::Attachment);
    assert_eq!(p[0].row, Some(0));
    assert!((p[0].x_start().unwrap() - geo().left).abs() < 0.01);
    assert_eq!(p[1].kind, LineKind::Title);
    assert_eq!(p[1].row, Some(2));
    assert_eq!(p[1].size, 22.0);
    assert_eq!(p[2].row, Some(4));
    let l = lay(vec![title, para("正文。")]);
    assert_eq!(l.pages[0].lines[0].row, Some(0));
    assert_eq!(l.pages[0].lines[1].row, Some(2));
}

#[test]
fn too_long_title_is_broken_symmetrically_and_centred() {
    let text = "卢龙县公安局关于二〇二一年度部门整体支出及项目支出绩效自评工作情况的报告";
    let l = lay(vec![
        Block::Title(Title {
            lines: vec![text.into()],
            explicit: false,
        }),
        para("正文。"),
    ]);
    let g = geo();
    let titles: Vec<&Line> = l.pages[0]
        .lines
        .iter()
        .filter(|x| x.kind == LineKind::Title)
        .collect();
    assert_eq!(titles.len(), 2);
    let joined: String = titles.iter().map(|x| x.text()).collect();
    assert_eq!(joined, text);
    let counts: Vec<usize> = titles.iter().map(|x| x.glyphs.len()).collect();
    assert!(counts.iter().all(|c| *c >= 3));
    assert!(counts[0].abs_diff(counts[1]) <= 3, "{counts:?}");
    for t in &titles {
        let centre = (t.x_start().unwrap() + t.x_end().unwrap()) / 2.0;
        assert!((centre - (g.left + g.right) / 2.0).abs() < 0.01);
    }
    // Explicit lines are kept as given.
    let l = lay(vec![Block::Title(Title {
        lines: vec!["卢龙县公安局".into(), "部门绩效自评工作报告".into()],
        explicit: true,
    })]);
    let titles: Vec<String> = l.pages[0]
        .lines
        .iter()
        .filter(|x| x.kind == LineKind::Title)
        .map(|x| x.text())
        .collect();
    assert_eq!(titles, ["卢龙县公安局", "部门绩效自评工作报告"]);
}

#[test]
fn missing_glyph_falls_back_is_kept_and_warned() {
    // 😀 is in no Fandol face: it stays in the text (as .notdef) and the render warns.
    let l = lay(vec![para("笑脸😀在此。")]);
    assert_eq!(body_lines(&l)[0].text(), "笑脸😀在此。");
    assert!(
        l.warnings.iter().any(|w| w.contains('😀')),
        "{:?}",
        l.warnings
    );
    let g = body_lines(&l)[0].glyphs[2];
    assert_eq!(g.gid, 0);
}

#[test]
fn page_numbers_odd_right_even_left() {
    let blocks: Vec<Block> = (0..30).map(|_| para("短段落。")).collect();
    let l = lay(blocks);
    let g = geo();
    assert_eq!(l.pages.len(), 2);
    for (i, page) in l.pages.iter().enumerate() {
        let folio = page
            .lines
            .iter()
            .find(|x| x.kind == LineKind::PageNumber)
            .unwrap();
        assert_eq!(folio.text(), format!("— {} —", i + 1));
        assert_eq!(folio.size, 14.0);
        if i % 2 == 0 {
            assert!((folio.x_end().unwrap() - (g.right - 14.0)).abs() < 0.01);
        } else {
            assert!((folio.x_start().unwrap() - (g.left + 14.0)).abs() < 0.01);
        }
        assert!(folio.baseline > g.bottom + 7.0 * 72.0 / 25.4);
    }
}

fn cell(col: usize, text: &str, header: bool) -> Cell {
    Cell {
        col,
        col_span: 1,
        row_span: 1,
        text: text.into(),
        header,
        align: Align::Center,
    }
}

#[test]
fn tables_start_a_page_repeat_their_header_and_never_split_rows() {
    let mut rows = vec![Row {
        cells: vec![
            cell(0, "一级指标", true),
            cell(1, "二级指标", true),
            cell(2, "指标值", true),
        ],
    }];
    for i in 0..60 {
        rows.push(Row {
            cells: vec![
                Cell {
                    row_span: if i % 3 == 0 { 3 } else { 1 },
                    ..cell(0, "产出指标", false)
                },
                cell(
                    1,
                    &format!("第{i}项：完成视频监控点位建设及安全边界接入系统建设"),
                    false,
                ),
                cell(2, "97.3%", false),
            ]
            .into_iter()
            .filter(|c| i % 3 == 0 || c.col != 0)
            .collect(),
        });
    }
    let table = Table {
        title: Some("2021年度项目支出绩效自评表".into()),
        columns: vec![2, 5, 2],
        header_rows: 1,
        rows,
        text_size: Default::default(),
    };
    let l = lay(vec![para("正文。"), Block::Table(table)]);
    assert!(l.pages.len() >= 3, "{}", l.pages.len());
    let g = geo();
    // Page 1 is the body; the table starts on page 2 with its title.
    assert!(l.pages[0]
        .lines
        .iter()
        .all(|x| x.kind != LineKind::TableCell));
    assert_eq!(l.pages[1].lines[0].kind, LineKind::TableTitle);
    assert_eq!(l.pages[1].lines[0].size, 18.0);
    let mut seen_rows = 0;
    for page in &l.pages[1..] {
        let cells: Vec<&Line> = page
            .lines
            .iter()
            .filter(|x| x.kind == LineKind::TableCell)
            .collect();
        assert!(
            cells.iter().any(|x| x.text() == "一级指标"),
            "header repeated"
        );
        assert!(cells.iter().all(|x| x.size == 12.0));
        for r in &page.rules {
            assert!(
                r.y0 >= g.top - 0.01 && r.y1 <= g.bottom + 0.01,
                "rule outside the type area"
            );
            assert_eq!(r.width, 0.5);
        }
        // Each row's text wraps to two lines, the second one ending 系统建设: no row is split.
        // A 3-row group may be (tables break between any rows); its merged 产出指标 is then
        // printed on both pages: one per group started here, plus one for a continued group.
        let items = cells.iter().filter(|x| x.text().starts_with('第')).count();
        let seconds = cells
            .iter()
            .filter(|x| x.text().ends_with("系统建设"))
            .count();
        let merged = cells.iter().filter(|x| x.text() == "产出指标").count();
        assert_eq!(items, seconds, "a row was split");
        let starts = (seen_rows..seen_rows + items)
            .filter(|i| i % 3 == 0)
            .count();
        let continued = usize::from(seen_rows % 3 != 0);
        assert_eq!(merged, starts + continued);
        seen_rows += items;
    }
    assert_eq!(seen_rows, 60);
    // Nothing lost.
    let text: String = l
        .pages
        .iter()
        .flat_map(|p| p.lines.iter())
        .map(|x| x.text())
        .collect();
    assert!(text.contains("第59项：完成视频监控点位建设及安全边界接入系统建设"));
}

#[test]
fn sample_layout_has_the_expected_text_and_shape() {
    let l = layout_document(
        &common::sample(),
        FontSet::bundled(),
        &LayoutSettings::default(),
    );
    assert!(l.warnings.is_empty(), "{:?}", l.warnings);
    assert_eq!(l.pages.len(), 6);
    let text: String = l
        .pages
        .iter()
        .flat_map(|p| p.lines.iter())
        .filter(|x| x.kind != LineKind::PageNumber)
        .map(|x| x.text())
        .collect();
    assert_eq!(text, common::squeeze(common::SAMPLE_EXPECTED));
}

#[test]
fn fake_bold_only_where_the_settings_ask_for_it() {
    let blocks = vec![
        Block::Heading(Heading {
            level: 2,
            label: "（一）".into(),
            text: "组织情况".into(),
        }),
        Block::Paragraph(Paragraph {
            run_in: Some(jixiao::document::RunIn {
                level: 3,
                label: "1.".into(),
                text: "名称：".into(),
            }),
            text: "正文。".into(),
        }),
    ];
    let plain = lay(blocks.clone());
    assert!(plain.pages[0]
        .lines
        .iter()
        .all(|l| l.glyphs.iter().all(|g| !g.bold)));
    let settings = LayoutSettings {
        bold_heading2: true,
        bold_run_in: true,
        ..LayoutSettings::default()
    };
    let l = layout_document(&doc(blocks), FontSet::bundled(), &settings);
    let lines = &l.pages[0].lines;
    assert!(lines[0].glyphs.iter().all(|g| g.bold));
    let bold: String = lines[1]
        .glyphs
        .iter()
        .filter(|g| g.bold)
        .map(|g| g.ch)
        .collect();
    assert_eq!(bold, "1.名称：");
    assert_eq!(lines[1].runs().len(), 2);
    assert!(lines[1].runs()[0].bold && !lines[1].runs()[1].bold);
}

#[test]
fn a_row_of_column_headings_never_stands_alone_at_the_foot_of_a_page() {
    // Body rows, then a heading-only row, then its body rows; however many body rows come
    // first, the heading row is always on the page of the row after it.
    for before in 20..40 {
        let mut rows = vec![Row {
            cells: vec![cell(0, "表头", true), cell(1, "表头", true)],
        }];
        for i in 0..before {
            rows.push(Row {
                cells: vec![cell(0, &format!("甲{i}"), false), cell(1, "值", false)],
            });
        }
        rows.push(Row {
            cells: vec![cell(0, "分组标题", true), cell(1, "分组标题", true)],
        });
        rows.push(Row {
            cells: vec![cell(0, "分组第一行", false), cell(1, "值", false)],
        });
        let t = Table {
            title: None,
            columns: vec![1, 1],
            header_rows: 1,
            rows,
            text_size: Default::default(),
        };
        let l = lay(vec![Block::Table(t)]);
        let page_of = |needle: &str| {
            l.pages
                .iter()
                .position(|p| {
                    p.lines.iter().any(|x| {
                        x.glyphs
                            .iter()
                            .map(|g| g.ch)
                            .collect::<String>()
                            .contains(needle)
                    })
                })
                .unwrap()
        };
        assert_eq!(
            page_of("分组标题"),
            page_of("分组第一行"),
            "{before} rows before"
        );
    }
}
