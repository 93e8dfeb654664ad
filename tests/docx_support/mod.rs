//! Test support for the DOCX tests: a hand-made document model of the reference sample, and
//! helpers that unzip a DOCX and read its parts back.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{Cursor, Read};

use jixiao::document::{Block, Document, Heading, Meta, Paragraph, RunIn, Signature, Title};
use jixiao::write::docx::xml::{self, Element};

/// The reference sample's expected text (one paragraph a line).
pub const SAMPLE_TEXT: &str = include_str!("../fixtures/lulong-police-2021.expected.txt");

/// Turns the expected text into a document the way the template would: line 1 is the
/// 附件标识, line 2 the title, `一、`/`（一）` lines headings, `1.名称：…` lines paragraphs
/// with a run-in level-3 heading, the last two lines the signature (with seal).
pub fn sample_document() -> Document {
    document_from_text(SAMPLE_TEXT)
}

pub fn document_from_text(text: &str) -> Document {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let n = lines.len();
    assert!(n >= 4, "sample too short");
    let mut blocks = vec![
        Block::Attachment(lines[0].to_string()),
        Block::Title(Title {
            lines: vec![lines[1].to_string()],
            explicit: false,
        }),
    ];
    for line in &lines[2..n - 2] {
        blocks.push(classify(line));
    }
    let date = lines[n - 1].to_string();
    blocks.push(Block::Signature(Signature {
        name: lines[n - 2].to_string(),
        date: date.clone(),
        seal: true,
    }));
    Document {
        meta: Meta {
            title: lines[1].to_string(),
            author: lines[n - 2].to_string(),
            date: iso_date(&date),
            ..Meta::default()
        },
        blocks,
    }
}

fn classify(line: &str) -> Block {
    const NUMERALS: &str = "一二三四五六七八九十";
    let numeral_prefix = |s: &str| -> usize {
        s.char_indices()
            .take_while(|(_, c)| NUMERALS.contains(*c))
            .last()
            .map(|(i, c)| i + c.len_utf8())
            .unwrap_or(0)
    };
    let k = numeral_prefix(line);
    if k > 0 && line[k..].starts_with('、') {
        let split = k + '、'.len_utf8();
        return Block::Heading(Heading {
            level: 1,
            label: line[..split].to_string(),
            text: line[split..].to_string(),
        });
    }
    if let Some(rest) = line.strip_prefix('（') {
        let k = numeral_prefix(rest);
        if k > 0 && rest[k..].starts_with('）') {
            let split = '（'.len_utf8() + k + '）'.len_utf8();
            return Block::Heading(Heading {
                level: 2,
                label: line[..split].to_string(),
                text: line[split..].to_string(),
            });
        }
    }
    let digits = line.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 && line[digits..].starts_with('.') {
        if let Some(colon) = line.find('：') {
            let label_end = digits + 1;
            let text_end = colon + '：'.len_utf8();
            return Block::Paragraph(Paragraph {
                run_in: Some(RunIn {
                    level: 3,
                    label: line[..label_end].to_string(),
                    text: line[label_end..text_end].to_string(),
                }),
                text: line[text_end..].to_string(),
            });
        }
    }
    Block::Paragraph(Paragraph::plain(line))
}

/// `2022年3月23日` → `2022-03-23`.
fn iso_date(date: &str) -> String {
    let nums: Vec<u32> = date
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    format!("{:04}-{:02}-{:02}", nums[0], nums[1], nums[2])
}

/// The parts of a DOCX, by name.
pub struct Package {
    pub parts: HashMap<String, Vec<u8>>,
}

impl Package {
    pub fn open(bytes: &[u8]) -> Package {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("DOCX is a zip");
        let mut parts = HashMap::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            if f.is_dir() {
                continue;
            }
            let mut buf = Vec::new();
            f.read_to_end(&mut buf).unwrap();
            parts.insert(f.name().to_string(), buf);
        }
        Package { parts }
    }

    pub fn xml(&self, name: &str) -> Element {
        let bytes = self
            .parts
            .get(name)
            .unwrap_or_else(|| panic!("part {name} missing"));
        xml::parse(bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    pub fn text(&self, name: &str) -> String {
        String::from_utf8(self.parts[name].clone()).unwrap()
    }

    /// Target of relationship `rid` in `word/_rels/document.xml.rels`, as a part name.
    pub fn rel_target(&self, rid: &str) -> String {
        let rels = self.xml("word/_rels/document.xml.rels");
        let rel = rels
            .elements()
            .find(|r| r.get_attr("Id") == Some(rid))
            .unwrap_or_else(|| panic!("relationship {rid}"));
        format!("word/{}", rel.get_attr("Target").unwrap())
    }

    /// The style element with `w:styleId == id`.
    pub fn style(&self, id: &str) -> Element {
        self.xml("word/styles.xml")
            .elements()
            .find(|s| s.name == "w:style" && s.get_attr("w:styleId") == Some(id))
            .cloned()
            .unwrap_or_else(|| panic!("style {id}"))
    }
}

/// `w:val` of child `name` of `el`.
pub fn val<'a>(el: &'a Element, name: &str) -> Option<&'a str> {
    el.find(name).and_then(|e| e.get_attr("w:val"))
}

/// All `w:t` text below `el`, concatenated.
pub fn text_of(el: &Element) -> String {
    let mut out = String::new();
    for e in el.descendants() {
        if e.name == "w:t" {
            for c in &e.children {
                if let xml::Node::Text(t) = c {
                    out.push_str(&unescape(t));
                }
            }
        }
    }
    out
}

pub fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The body paragraphs and tables of `word/document.xml`.
pub fn body(pkg: &Package) -> Element {
    pkg.xml("word/document.xml")
        .find("w:body")
        .cloned()
        .expect("w:body")
}

/// The paragraph style id of `p` (`Normal` when none is given).
pub fn p_style(p: &Element) -> String {
    p.find("w:pPr")
        .and_then(|ppr| val(ppr, "w:pStyle"))
        .unwrap_or("Normal")
        .to_string()
}
