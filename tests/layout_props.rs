//! Property tests: for random paragraphs the laid-out text equals the input text (nothing lost,
//! nothing doubled), no line breaks a 禁则 or splits a number or word, and no line passes the
//! right edge of the type area.

use jixiao::document::{Block, Document, Meta, Paragraph};
use jixiao::layout::fonts::FontSet;
use jixiao::layout::linebreak::{NO_END, NO_START};
use jixiao::layout::{layout_document, Geometry, LayoutSettings, LineKind};
use proptest::prelude::*;

/// One token of random report-like text.
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        10 => prop::sample::select("绩效自评工作组织开展情况预算资金安排部门卢龙县公安局项目支出".chars().collect::<Vec<_>>())
            .prop_map(|c| c.to_string()),
        2 => prop::sample::select("，。、；：？！）》」』】〕〗”’…%".chars().collect::<Vec<_>>())
            .prop_map(|c| c.to_string()),
        1 => prop::sample::select("（《「『【〔〖“‘".chars().collect::<Vec<_>>()).prop_map(|c| c.to_string()),
        2 => "[0-9]{1,6}(\\.[0-9]{1,4})?%?",
        1 => "[A-Za-z]{1,8}",
        1 => Just("——".to_string()),
        1 => Just("……".to_string()),
    ]
}

fn paragraph() -> impl Strategy<Value = String> {
    prop::collection::vec(token(), 0..160).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn layout_keeps_text_and_rules(paras in prop::collection::vec(paragraph(), 1..4)) {
        let doc = Document {
            meta: Meta::default(),
            blocks: paras.iter().map(|p| Block::Paragraph(Paragraph::plain(p.clone()))).collect(),
        };
        let settings = LayoutSettings::default();
        let layout = layout_document(&doc, FontSet::bundled(), &settings);
        let geo = Geometry::new(&settings);
        let lines: Vec<_> = layout
            .pages
            .iter()
            .flat_map(|p| p.lines.iter())
            .filter(|l| l.kind == LineKind::Body)
            .collect();
        // Nothing lost, nothing doubled, in order.
        let got: String = lines.iter().map(|l| l.text()).collect();
        prop_assert_eq!(got, paras.concat());
        for (k, line) in lines.iter().enumerate() {
            let text: Vec<char> = line.text().chars().collect();
            prop_assert!(line.x_end().unwrap_or(geo.left) <= geo.right + 0.01);
            if line.last || text.is_empty() {
                continue;
            }
            // A break between this line and the next (same paragraph).
            let next: Vec<char> = lines[k + 1].text().chars().collect();
            let (a, b) = (*text.last().unwrap(), next[0]);
            // A run without any break opportunity that is longer than a line (concatenated
            // random Latin/digit tokens) is the one place the layout must split a unit; such a
            // line holds no ideograph.
            let emergency = !text.iter().any(|c| ('\u{4e00}'..='\u{9fff}').contains(c));
            if !emergency {
                prop_assert!(!NO_START.contains(b), "line starts with {}: {:?}", b, lines[k + 1].text());
                prop_assert!(!NO_END.contains(a), "line ends with {}: {:?}", a, line.text());
                prop_assert!(
                    !(a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric()),
                    "number or word split: {:?} | {:?}", line.text(), lines[k + 1].text()
                );
                prop_assert!(!(a == b && (a == '—' || a == '…')), "dash or ellipsis split");
                // Full lines end on the right edge.
                prop_assert!((line.x_end().unwrap() - geo.right).abs() < 0.01,
                    "line ends at {} not {}", line.x_end().unwrap(), geo.right);
            }
        }
    }
}
