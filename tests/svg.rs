//! Read-back tests of the SVG page previews: every page of the layout is one SVG whose glyphs
//! sit where the layout put them, each glyph outlined once per page, the table rules as lines,
//! and the text in the runs' labels; and `jixiao render --format svg` writes one file a page.

mod cli_support;

use std::collections::{BTreeMap, BTreeSet};

use jixiao::layout::fonts::FontSet;
use jixiao::layout::{layout_document, Layout, LayoutSettings};
use jixiao::{check_input, render_checked, Format, Formats, Input, LoadOptions, Resources};
use quick_xml::events::Event;

const SAMPLE: &str = "samples/lulong-police-2021.yaml";

/// An element of interest: its name and attributes.
struct El {
    name: String,
    attrs: BTreeMap<String, String>,
}

fn elements(svg: &str) -> Vec<El> {
    let mut reader = quick_xml::Reader::from_str(svg);
    let mut out = Vec::new();
    loop {
        match reader.read_event().expect("well-formed SVG") {
            Event::Start(e) | Event::Empty(e) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                let attrs = e
                    .attributes()
                    .map(|a| {
                        let a = a.expect("attribute");
                        let k = String::from_utf8(a.key.as_ref().to_vec()).unwrap();
                        let v = a
                            .normalized_value(quick_xml::XmlVersion::Explicit1_0)
                            .expect("value")
                            .into_owned();
                        (k, v)
                    })
                    .collect();
                out.push(El { name, attrs });
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn sample() -> (Layout, Vec<String>) {
    render(SAMPLE)
}

/// The layout of a sample and its SVG pages.
fn render(path: &str) -> (Layout, Vec<String>) {
    let bytes = std::fs::read(path).unwrap();
    let input = Input {
        name: path.into(),
        bytes,
    };
    let checked = check_input(&input, &[], &LoadOptions::default());
    let res = Resources::load(None, &[]).unwrap();
    let formats = Formats {
        docx: false,
        pdf: false,
        ofd: false,
        svg: true,
    };
    let rendered = render_checked(&checked, &res, formats).expect("renders");
    let pages: Vec<String> = rendered
        .files
        .into_iter()
        .map(|(f, b)| {
            assert_eq!(f, Format::Svg);
            String::from_utf8(b).expect("UTF-8")
        })
        .collect();
    let doc = jixiao::run::pipeline::document_of(&checked, &res).unwrap();
    let layout = layout_document(&doc, FontSet::bundled(), &LayoutSettings::default());
    (layout, pages)
}

fn matrix(transform: &str) -> Vec<f32> {
    let inner = transform
        .strip_prefix("matrix(")
        .and_then(|t| t.strip_suffix(')'))
        .expect("a matrix");
    inner.split(' ').map(|n| n.parse().unwrap()).collect()
}

#[test]
fn one_svg_per_page_with_the_page_size() {
    let (layout, pages) = sample();
    assert_eq!(pages.len(), layout.pages.len());
    assert!(pages.len() >= 3, "the sample has several pages");
    for (page, svg) in layout.pages.iter().zip(&pages) {
        let root = &elements(svg)[0];
        assert_eq!(root.name, "svg");
        let vb = format!("0 0 {:.2} {:.2}", page.width, page.height);
        let got: Vec<f32> = root.attrs["viewBox"]
            .split(' ')
            .map(|n| n.parse().unwrap())
            .collect();
        let want: Vec<f32> = vb.split(' ').map(|n| n.parse().unwrap()).collect();
        assert_eq!(got, want);
        assert_eq!(
            root.attrs["width"],
            format!("{}pt", root.attrs["viewBox"].split(' ').nth(2).unwrap())
        );
    }
}

#[test]
fn every_glyph_is_placed_where_the_layout_put_it_and_outlined_once() {
    let (layout, pages) = sample();
    for (page, svg) in layout.pages.iter().zip(&pages) {
        let els = elements(svg);
        let mut defined = BTreeSet::new();
        for e in els.iter().filter(|e| e.name == "path") {
            assert!(defined.insert(e.attrs["id"].clone()), "outlined twice");
            assert!(e.attrs["d"].starts_with('M'));
        }
        // Walk the runs in order against the layout's runs.
        let groups: Vec<usize> = (0..els.len())
            .filter(|&i| els[i].name == "g" && els[i].attrs.contains_key("aria-label"))
            .collect();
        let runs: Vec<_> = page.lines.iter().flat_map(|l| l.runs()).collect();
        assert_eq!(groups.len(), runs.len());
        let mut used = BTreeSet::new();
        for (k, (&gi, run)) in groups.iter().zip(&runs).enumerate() {
            let g = &els[gi];
            let text: String = run.glyphs.iter().map(|g| g.ch).collect();
            assert_eq!(g.attrs["aria-label"], text);
            let m = matrix(&g.attrs["transform"]);
            assert!((m[5] - run.baseline).abs() < 0.01);
            assert!((m[0] + m[3]).abs() < 1e-6, "y flipped");
            assert_eq!(g.attrs.contains_key("stroke"), run.bold);
            let end = groups.get(k + 1).copied().unwrap_or(els.len());
            let uses: Vec<&El> = els[gi + 1..end]
                .iter()
                .filter(|e| e.name == "use")
                .collect();
            let inked: Vec<_> = run
                .glyphs
                .iter()
                .filter(|g| !g.ch.is_whitespace())
                .collect();
            assert_eq!(uses.len(), inked.len(), "{text}");
            for (u, glyph) in uses.iter().zip(inked) {
                let href = &u.attrs["href"];
                assert_eq!(href, &format!("#g{}-{}", glyph.face.0, glyph.gid));
                assert!(defined.contains(&href[1..]));
                used.insert(href[1..].to_string());
                let x: f32 = u.attrs["x"].parse().unwrap();
                assert!((x * m[0] - glyph.x).abs() < 0.02, "{x} vs {}", glyph.x);
            }
        }
        assert_eq!(used, defined, "no outline left unused");
    }
}

#[test]
fn table_rules_are_lines() {
    let (layout, pages) = render("samples/funing-agri-2023.yaml");
    let mut total = 0;
    for (page, svg) in layout.pages.iter().zip(&pages) {
        let lines: Vec<El> = elements(svg)
            .into_iter()
            .filter(|e| e.name == "line")
            .collect();
        assert_eq!(lines.len(), page.rules.len());
        for (l, r) in lines.iter().zip(&page.rules) {
            let x1: f32 = l.attrs["x1"].parse().unwrap();
            let y2: f32 = l.attrs["y2"].parse().unwrap();
            let w: f32 = l.attrs["stroke-width"].parse().unwrap();
            assert!(
                (x1 - r.x0).abs() < 0.01 && (y2 - r.y1).abs() < 0.01 && (w - r.width).abs() < 0.01
            );
        }
        total += lines.len();
    }
    assert!(total > 0, "the sample's 自评表 has rules");
}

#[test]
fn cli_writes_one_svg_per_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let o = cli_support::jixiao(&["render", SAMPLE, "--format", "svg", "-o", out]);
    assert!(o.status.success(), "{}", cli_support::stderr(&o));
    let (layout, _) = sample();
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let want: BTreeSet<String> = (1..=layout.pages.len())
        .map(|n| format!("lulong-police-2021-{n}.svg"))
        .collect();
    assert_eq!(names.into_iter().collect::<BTreeSet<_>>(), want);
}
