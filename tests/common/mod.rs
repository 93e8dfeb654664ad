//! Test helpers: documents built by hand, shared by the layout and PDF tests.
//!
//! For tests of the layout alone, independent of the template, the sample report is rebuilt
//! from its expected text (one paragraph a line): the first line is the 附件标识, the second the
//! title, `一、…`/`（一）…` lines are headings with their label split off, `1.名称：…` lines open
//! with a run-in level-3 heading, the last two lines are the 署名 and the date.

#![allow(dead_code)]

use jixiao::document::{Block, Document, Heading, Meta, Paragraph, RunIn, Signature, Title};

/// The expected text of the sample report.
pub const SAMPLE_EXPECTED: &str = include_str!("../fixtures/lulong-police-2021.expected.txt");

const CN_NUM: &str = "一二三四五六七八九十";

fn split_h1(line: &str) -> Option<(String, String)> {
    let pos = line.find('、')?;
    let label = &line[..pos];
    (!label.is_empty() && label.chars().all(|c| CN_NUM.contains(c))).then(|| {
        (
            line[..pos + '、'.len_utf8()].to_string(),
            line[pos + '、'.len_utf8()..].to_string(),
        )
    })
}

fn split_h2(line: &str) -> Option<(String, String)> {
    let rest = line.strip_prefix('（')?;
    let pos = rest.find('）')?;
    let label = &rest[..pos];
    (!label.is_empty() && label.chars().all(|c| CN_NUM.contains(c))).then(|| {
        let end = '（'.len_utf8() + pos + '）'.len_utf8();
        (line[..end].to_string(), line[end..].to_string())
    })
}

fn split_run_in(line: &str) -> Option<Paragraph> {
    let digits: String = line.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() {
        return None;
    }
    let rest = line[digits.len()..].strip_prefix('.')?;
    let colon = rest.find('：')?;
    Some(Paragraph {
        run_in: Some(RunIn {
            level: 3,
            label: format!("{digits}."),
            text: rest[..colon + '：'.len_utf8()].to_string(),
        }),
        text: rest[colon + '：'.len_utf8()..].to_string(),
    })
}

/// A document from expected text in the sample's shape.
pub fn document_from_expected(text: &str) -> Document {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let n = lines.len();
    let mut blocks = Vec::new();
    blocks.push(Block::Attachment(lines[0].to_string()));
    blocks.push(Block::Title(Title {
        lines: vec![lines[1].to_string()],
        explicit: false,
    }));
    for line in &lines[2..n - 2] {
        if let Some((label, text)) = split_h1(line) {
            blocks.push(Block::Heading(Heading {
                level: 1,
                label,
                text,
            }));
        } else if let Some((label, text)) = split_h2(line) {
            blocks.push(Block::Heading(Heading {
                level: 2,
                label,
                text,
            }));
        } else if let Some(p) = split_run_in(line) {
            blocks.push(Block::Paragraph(p));
        } else {
            blocks.push(Block::Paragraph(Paragraph::plain(*line)));
        }
    }
    blocks.push(Block::Signature(Signature {
        name: lines[n - 2].to_string(),
        date: lines[n - 1].to_string(),
        seal: true,
    }));
    Document {
        meta: Meta {
            title: lines[1].to_string(),
            author: lines[n - 2].to_string(),
            date: "2022-03-23".to_string(),
            ..Meta::default()
        },
        blocks,
    }
}

/// The sample report.
pub fn sample() -> Document {
    document_from_expected(SAMPLE_EXPECTED)
}

/// All characters of a text, whitespace removed.
pub fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}
