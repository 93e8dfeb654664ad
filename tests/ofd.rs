//! Read-back tests of the samples' OFD: the package, the IDs, the text, the glyph positions, the
//! fonts' cmaps, the page count against the PDF, the archive metadata, the bytes.
//!
//! The package is read back with `zip` and `quick-xml` only (no OFD library), into a small tree
//! of elements, so that what is tested is what a reader would see in the file.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;

use jixiao::document::template::Template;
use jixiao::document::Document;
use jixiao::layout::fonts::FontSet;
use jixiao::layout::{layout_document, Layout, LayoutSettings, PT_PER_MM};
use quick_xml::events::Event;

const NS: &str = "http://www.ofdspec.org/2016";

// ---------------------------------------------------------------------------------------------
// A minimal reader
// ---------------------------------------------------------------------------------------------

/// An XML element: qualified name, attributes, text content (unescaped), children.
#[derive(Debug, Default)]
struct El {
    name: String,
    attrs: BTreeMap<String, String>,
    text: String,
    children: Vec<El>,
}

impl El {
    fn attr(&self, k: &str) -> Option<&str> {
        self.attrs.get(k).map(String::as_str)
    }

    /// Every descendant (self included), depth first, in document order.
    fn walk<'a>(&'a self, out: &mut Vec<&'a El>) {
        out.push(self);
        for c in &self.children {
            c.walk(out);
        }
    }

    fn all(&self) -> Vec<&El> {
        let mut v = Vec::new();
        self.walk(&mut v);
        v
    }

    fn find(&self, name: &str) -> Vec<&El> {
        self.all().into_iter().filter(|e| e.name == name).collect()
    }

    fn child(&self, name: &str) -> Option<&El> {
        self.children.iter().find(|c| c.name == name)
    }
}

fn element(e: &quick_xml::events::BytesStart<'_>) -> El {
    let mut el = El {
        name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
        ..El::default()
    };
    for a in e.attributes() {
        let a = a.expect("attribute");
        let k = String::from_utf8(a.key.as_ref().to_vec()).unwrap();
        let v = a
            .normalized_value(quick_xml::XmlVersion::Explicit1_0)
            .expect("attribute value")
            .into_owned();
        el.attrs.insert(k, v);
    }
    el
}

fn parse_xml(s: &str) -> El {
    let mut reader = quick_xml::Reader::from_str(s);
    let mut stack: Vec<El> = vec![El::default()];
    loop {
        let ev = reader.read_event().expect("well-formed XML");
        match ev {
            Event::Start(e) => stack.push(element(&e)),
            Event::Empty(e) => stack.last_mut().unwrap().children.push(element(&e)),
            Event::Text(t) => {
                let raw = t.decode().expect("utf-8");
                stack.last_mut().unwrap().text.push_str(&raw);
            }
            Event::GeneralRef(r) => {
                let name = r.decode().expect("utf-8");
                let ch = match name.as_ref() {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    _ => r.resolve_char_ref().ok().flatten().expect("known entity"),
                };
                stack.last_mut().unwrap().text.push(ch);
            }
            Event::End(_) => {
                let el = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(el);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "every element closed");
    let mut root = stack.pop().unwrap();
    assert_eq!(root.children.len(), 1, "one root element");
    root.children.pop().unwrap()
}

/// The package: every entry's bytes, by name.
struct Package {
    files: BTreeMap<String, Vec<u8>>,
}

impl Package {
    fn open(bytes: &[u8]) -> Package {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
        let mut files = BTreeMap::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            assert!(
                files.insert(f.name().to_string(), data).is_none(),
                "duplicate entry {}",
                f.name()
            );
        }
        Package { files }
    }

    fn xml(&self, name: &str) -> El {
        let bytes = self
            .files
            .get(name)
            .unwrap_or_else(|| panic!("{name} in the package"));
        parse_xml(std::str::from_utf8(bytes).expect("utf-8 XML"))
    }

    /// The Content.xml of each page, in order, with the page IDs.
    fn pages(&self) -> Vec<(u32, El)> {
        let doc = self.xml("Doc_0/Document.xml");
        doc.find("ofd:Page")
            .iter()
            .map(|p| {
                let id = p.attr("ID").unwrap().parse().unwrap();
                let loc = p.attr("BaseLoc").unwrap();
                (id, self.xml(&format!("Doc_0/{loc}")))
            })
            .collect()
    }

    /// Font ID → (FontName, the font file's bytes).
    fn fonts(&self) -> BTreeMap<u32, (String, Vec<u8>)> {
        let res = self.xml("Doc_0/PublicRes.xml");
        let base = res.attr("BaseLoc").unwrap().to_string();
        res.find("ofd:Font")
            .iter()
            .map(|f| {
                let file = f.child("ofd:FontFile").expect("FontFile").text.clone();
                let data = self
                    .files
                    .get(&format!("Doc_0/{base}/{file}"))
                    .unwrap_or_else(|| panic!("font file {file}"))
                    .clone();
                (
                    f.attr("ID").unwrap().parse().unwrap(),
                    (f.attr("FontName").unwrap().to_string(), data),
                )
            })
            .collect()
    }
}

/// One glyph read back: character, font ID, absolute x and baseline y in mm.
#[derive(Debug, Clone, Copy)]
struct ReadGlyph {
    ch: char,
    font: u32,
    x: f64,
    y: f64,
}

fn nums(s: &str) -> Vec<f64> {
    s.split_whitespace().map(|t| t.parse().unwrap()).collect()
}

/// DeltaX with the `g N V` form expanded.
fn expand_delta(s: &str) -> Vec<f64> {
    let mut out = Vec::new();
    let mut it = s.split_whitespace();
    while let Some(t) = it.next() {
        if t == "g" {
            let n: usize = it.next().unwrap().parse().unwrap();
            let v: f64 = it.next().unwrap().parse().unwrap();
            out.extend(std::iter::repeat_n(v, n));
        } else {
            out.push(t.parse().unwrap());
        }
    }
    out
}

/// Every glyph of a page's text objects, in order.
fn glyphs_of(page: &El) -> Vec<Vec<ReadGlyph>> {
    page.find("ofd:TextObject")
        .iter()
        .map(|t| {
            let b = nums(t.attr("Boundary").unwrap());
            let font = t.attr("Font").unwrap().parse().unwrap();
            let code = t.child("ofd:TextCode").expect("TextCode");
            let x0: f64 = code.attr("X").unwrap().parse().unwrap();
            let y0: f64 = code.attr("Y").unwrap().parse().unwrap();
            let deltas = code.attr("DeltaX").map(expand_delta).unwrap_or_default();
            let chars: Vec<char> = code.text.chars().collect();
            assert!(
                deltas.len() + 1 >= chars.len(),
                "DeltaX gives every advance of {:?}",
                code.text
            );
            let mut x = b[0] + x0;
            let mut out = Vec::new();
            for (k, ch) in chars.into_iter().enumerate() {
                out.push(ReadGlyph {
                    ch,
                    font,
                    x,
                    y: b[1] + y0,
                });
                if let Some(d) = deltas.get(k) {
                    x += d;
                }
            }
            out
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The samples
// ---------------------------------------------------------------------------------------------

fn sample(name: &str) -> Document {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(format!("{name}.yaml"));
    let loaded = jixiao::read::load_path(&path, &Default::default()).expect("sample loads");
    jixiao::document::build_document(
        &loaded.report,
        &jixiao::compute::figures::compute(&loaded.report),
        &Template::default_report(),
    )
    .expect("document")
}

struct Rendered {
    doc: Document,
    layout: Layout,
    ofd: jixiao::write::Written,
}

fn render(name: &str) -> Rendered {
    let doc = sample(name);
    let fonts = FontSet::bundled();
    let layout = layout_document(&doc, fonts, &LayoutSettings::default());
    let ofd = jixiao::write::ofd::write_layout(&layout, &doc.meta, fonts).expect("OFD writes");
    // Keep a copy for looking at and for check-ofd.
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}.ofd"));
    std::fs::write(&path, &ofd.bytes).expect("write the OFD");
    Rendered { doc, layout, ofd }
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[test]
fn package_has_the_standard_structure() {
    let r = render("lulong-police-2021");
    let pkg = Package::open(&r.ofd.bytes);
    let names: Vec<&str> = pkg.files.keys().map(String::as_str).collect();
    for must in [
        "OFD.xml",
        "Doc_0/Document.xml",
        "Doc_0/PublicRes.xml",
        "Doc_0/Pages/Page_0/Content.xml",
        "Doc_0/Tags/CustomTags.xml",
    ] {
        assert!(names.contains(&must), "{must} missing from {names:?}");
    }
    // Every XML part binds ofd: to the OFD namespace and uses the prefix on every element.
    for (name, bytes) in &pkg.files {
        if !name.ends_with(".xml") || name.ends_with("CustomTag.xml") {
            continue;
        }
        let text = std::str::from_utf8(bytes).unwrap();
        let root = parse_xml(text);
        assert_eq!(root.attr("xmlns:ofd"), Some(NS), "{name}");
        assert!(
            !root.attrs.contains_key("xmlns"),
            "{name}: no default namespace"
        );
        for el in root.all() {
            assert!(el.name.starts_with("ofd:"), "{name}: <{}>", el.name);
        }
    }
    let ofd = pkg.xml("OFD.xml");
    assert_eq!(ofd.attr("Version"), Some("1.0"));
    assert_eq!(ofd.attr("DocType"), Some("OFD"));
    assert_eq!(ofd.find("ofd:DocRoot")[0].text, "Doc_0/Document.xml");

    let doc = pkg.xml("Doc_0/Document.xml");
    let common = doc.child("ofd:CommonData").unwrap();
    assert_eq!(
        common.children[0].name, "ofd:MaxUnitID",
        "MaxUnitID comes first"
    );
    assert_eq!(
        common.find("ofd:PhysicalBox")[0].text,
        "0 0 210 297",
        "A4 in mm"
    );
    assert_eq!(common.child("ofd:PublicRes").unwrap().text, "PublicRes.xml");
    let pages = pkg.pages();
    assert_eq!(pages.len(), r.layout.pages.len());
    assert_eq!(pages.len(), r.ofd.pages);
    // Every referenced font file is in the package.
    assert_eq!(pkg.fonts().len(), 5, "five Fandol faces used");
}

#[test]
fn ids_are_unique_and_below_max_unit_id() {
    for name in ["lulong-police-2021", "funing-agri-2023"] {
        let r = render(name);
        let pkg = Package::open(&r.ofd.bytes);
        let doc = pkg.xml("Doc_0/Document.xml");
        let max: u32 = doc.find("ofd:MaxUnitID")[0].text.parse().unwrap();
        let mut seen = BTreeSet::new();
        let mut check = |el: &El, part: &str| {
            for e in el.all() {
                if let Some(id) = e.attr("ID") {
                    let id: u32 = id.parse().expect("numeric ID");
                    assert!(id >= 1 && id <= max, "{part}: ID {id} > MaxUnitID {max}");
                    assert!(seen.insert(id), "{part}: ID {id} used twice");
                }
            }
        };
        check(&doc, "Document.xml");
        check(&pkg.xml("Doc_0/PublicRes.xml"), "PublicRes.xml");
        let pages = pkg.pages();
        for (i, (_, p)) in pages.iter().enumerate() {
            check(p, &format!("page {i}"));
        }
        // References resolve: Font → a font; ObjectRef → a text object on its PageRef page.
        let fonts = pkg.fonts();
        let mut objects: BTreeMap<u32, BTreeSet<u32>> = BTreeMap::new();
        for (pid, p) in &pages {
            for t in p.find("ofd:TextObject") {
                let f: u32 = t.attr("Font").unwrap().parse().unwrap();
                assert!(fonts.contains_key(&f), "Font {f}");
                objects
                    .entry(*pid)
                    .or_default()
                    .insert(t.attr("ID").unwrap().parse().unwrap());
            }
        }
        let tags = pkg.xml("Doc_0/Tags/CustomTag.xml");
        let refs = tags.find("ofd:ObjectRef");
        assert!(refs.len() > 10);
        for r in refs {
            let page: u32 = r.attr("PageRef").unwrap().parse().unwrap();
            let obj: u32 = r.text.parse().unwrap();
            assert!(
                objects.get(&page).is_some_and(|o| o.contains(&obj)),
                "{name}: ObjectRef {obj} on page {page}"
            );
        }
        // So does the tag index.
        let index = pkg.xml("Doc_0/Tags/CustomTags.xml");
        let tag = index.child("ofd:CustomTag").unwrap();
        assert!(
            tag.attr("NameSpace").is_some(),
            "NameSpace, as the XSD says"
        );
        assert_eq!(tag.child("ofd:FileLoc").unwrap().text, "CustomTag.xml");
    }
}

#[test]
fn text_equals_the_expected_text() {
    let r = render("lulong-police-2021");
    let pkg = Package::open(&r.ofd.bytes);
    let mut got = String::new();
    for (i, (_, page)) in pkg.pages().iter().enumerate() {
        let mut text = String::new();
        for code in page.find("ofd:TextCode") {
            text.push_str(&code.text);
        }
        let text = squeeze(&text);
        let folio = format!("—{}—", i + 1);
        let body = text
            .strip_suffix(&folio)
            .unwrap_or_else(|| panic!("page {} ends with {folio}", i + 1));
        got.push_str(body);
    }
    let want = squeeze(include_str!("../samples/lulong-police-2021.expected.txt"));
    if got != want {
        let i = got
            .chars()
            .zip(want.chars())
            .take_while(|(a, b)| a == b)
            .count();
        let ctx = |s: &str| {
            s.chars()
                .skip(i.saturating_sub(15))
                .take(40)
                .collect::<String>()
        };
        panic!(
            "text differs at {i}: got …{}…, want …{}…",
            ctx(&got),
            ctx(&want)
        );
    }
}

#[test]
fn glyphs_sit_where_the_layout_put_them() {
    for name in ["lulong-police-2021", "funing-agri-2023"] {
        let r = render(name);
        let pkg = Package::open(&r.ofd.bytes);
        let pages = pkg.pages();
        let mut objects = 0;
        for (page, (_, content)) in r.layout.pages.iter().zip(&pages) {
            let read = glyphs_of(content);
            objects += read.len();
            let got: Vec<ReadGlyph> = read.iter().flatten().copied().collect();
            let want: Vec<(char, f64, f64)> = page
                .lines
                .iter()
                .flat_map(|l| {
                    l.glyphs.iter().map(move |g| {
                        (
                            g.ch,
                            g.x as f64 / PT_PER_MM as f64,
                            l.baseline as f64 / PT_PER_MM as f64,
                        )
                    })
                })
                .filter(|(c, _, _)| !c.is_whitespace())
                .collect();
            let got: Vec<ReadGlyph> = got.into_iter().filter(|g| !g.ch.is_whitespace()).collect();
            assert_eq!(got.len(), want.len(), "{name} page {}", page.number);
            for (g, (ch, x, y)) in got.iter().zip(&want) {
                assert_eq!(g.ch, *ch);
                assert!((g.x - x).abs() < 0.01, "{name}: {ch} at {} vs {x} mm", g.x);
                assert!(
                    (g.y - y).abs() < 0.01,
                    "{name}: {ch} baseline {} vs {y}",
                    g.y
                );
            }
            // And per object: the DeltaX sum is the laid-out distance from first to last glyph.
            for obj in &read {
                let (first, last) = (obj[0], obj[obj.len() - 1]);
                let line = page
                    .lines
                    .iter()
                    .find(|l| {
                        (l.baseline as f64 / PT_PER_MM as f64 - first.y).abs() < 0.01
                            && l.glyphs
                                .iter()
                                .any(|g| (g.x as f64 / PT_PER_MM as f64 - first.x).abs() < 0.01)
                    })
                    .expect("a laid-out line for every text object");
                let gx = |x: f64| {
                    line.glyphs
                        .iter()
                        .map(|g| g.x as f64 / PT_PER_MM as f64)
                        .min_by(|a, b| (a - x).abs().total_cmp(&(b - x).abs()))
                        .unwrap()
                };
                let width = gx(last.x) - gx(first.x);
                assert!(((last.x - first.x) - width).abs() < 0.01, "{name}: width");
            }
        }
        assert!(objects > 50, "{name}: {objects} text objects");
    }
}

#[test]
fn every_character_is_in_its_fonts_cmap_and_font_names_are_families() {
    for name in ["lulong-police-2021", "funing-agri-2023"] {
        let r = render(name);
        let pkg = Package::open(&r.ofd.bytes);
        let fonts = pkg.fonts();
        let parsed: BTreeMap<u32, (String, ttf_parser::Face<'_>)> = fonts
            .iter()
            .map(|(id, (n, data))| {
                let face = ttf_parser::Face::parse(data, 0).expect("the subset parses");
                assert!(face.tables().os2.is_some(), "OS/2 kept");
                (*id, (n.clone(), face))
            })
            .collect();
        let names: BTreeSet<&str> = parsed.values().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            BTreeSet::from(["FandolFang", "FandolHei", "FandolKai", "FandolSong"]),
            "{name}: family names, not `FandolFang R` or PostScript names"
        );
        let mut chars = 0;
        for (_, page) in pkg.pages() {
            for g in glyphs_of(&page).into_iter().flatten() {
                let face = &parsed[&g.font].1;
                assert!(
                    face.glyph_index(g.ch).is_some_and(|gid| gid.0 != 0),
                    "{name}: {:?} not in the cmap of font {}",
                    g.ch,
                    g.font
                );
                chars += 1;
            }
        }
        assert!(chars > 1000);
    }
}

#[test]
fn page_count_equals_the_pdfs() {
    for name in ["lulong-police-2021", "funing-agri-2023"] {
        let r = render(name);
        let pdf =
            jixiao::write::pdf::write_pdf(&r.doc, FontSet::bundled(), &LayoutSettings::default())
                .expect("PDF writes");
        let pdf_pages = lopdf::Document::load_mem(&pdf.bytes)
            .expect("PDF reads")
            .get_pages()
            .len();
        let pkg = Package::open(&r.ofd.bytes);
        assert_eq!(pkg.pages().len(), pdf_pages, "{name}");
    }
}

#[test]
fn tables_are_drawn_as_paths() {
    let r = render("funing-agri-2023");
    let pkg = Package::open(&r.ofd.bytes);
    let rules: usize = r.layout.pages.iter().map(|p| p.rules.len()).sum();
    assert!(rules > 0);
    let mut segments = 0;
    for (_, page) in pkg.pages() {
        for path in page.find("ofd:PathObject") {
            let lw: f64 = path.attr("LineWidth").unwrap().parse().unwrap();
            assert!(lw > 0.05 && lw < 1.0, "line width {lw} mm");
            let data = &path.child("ofd:AbbreviatedData").unwrap().text;
            segments += data.matches('M').count();
            assert_eq!(data.matches('M').count(), data.matches('L').count());
        }
    }
    assert_eq!(segments, rules, "one segment per rule");
}

#[test]
fn doc_info_carries_the_metadata_and_key_facts() {
    let r = render("lulong-police-2021");
    let pkg = Package::open(&r.ofd.bytes);
    let info = pkg.xml("OFD.xml");
    let info = info.find("ofd:DocInfo")[0];
    assert_eq!(info.child("ofd:Title").unwrap().text, r.doc.meta.title);
    assert_eq!(info.child("ofd:Author").unwrap().text, "卢龙县公安局");
    let id = &info.child("ofd:DocID").unwrap().text;
    assert_eq!(id.len(), 32);
    assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
    let facts: BTreeMap<&str, &str> = info
        .find("ofd:CustomData")
        .iter()
        .map(|d| (d.attr("Name").unwrap(), d.text.as_str()))
        .collect();
    assert_eq!(facts.get("部门"), Some(&"卢龙县公安局"));
    assert_eq!(facts.get("评价年度"), Some(&"2021"));
    assert_eq!(facts.get("成文日期"), Some(&"2022-03-23"));
    assert_eq!(facts.get("文号"), Some(&"卢财绩〔2022〕2号"));
    assert!(facts.contains_key("综合考评得分"));
    assert!(facts.contains_key("评价等次"));
    // Creation date: SOURCE_DATE_EPOCH when set (not in tests), else the 成文日期.
    if std::env::var_os("SOURCE_DATE_EPOCH").is_none() {
        assert_eq!(info.child("ofd:CreationDate").unwrap().text, "2022-03-23");
    }
}

#[test]
fn custom_tags_mark_title_headings_body_signature_and_date() {
    let r = render("lulong-police-2021");
    let pkg = Package::open(&r.ofd.bytes);
    let tags = pkg.xml("Doc_0/Tags/CustomTag.xml");
    let kinds: Vec<&str> = tags.children.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "jx:附件标识",
            "jx:标题",
            "jx:正文",
            "jx:发文机关署名",
            "jx:成文日期"
        ]
    );
    let body = tags.child("jx:正文").unwrap();
    let h1 = body
        .children
        .iter()
        .filter(|c| c.name == "jx:一级标题")
        .count();
    let paras = body.children.iter().filter(|c| c.name == "jx:段落").count();
    assert!(h1 >= 3 && paras >= 10, "{h1} headings, {paras} paragraphs");
}

#[test]
fn output_is_deterministic() {
    let a = render("funing-agri-2023").ofd.bytes;
    let b = render("funing-agri-2023").ofd.bytes;
    assert!(a == b, "two renders give the same bytes");
}

#[test]
fn fake_bold_is_stroked_like_the_pdf_where_no_bold_face_exists() {
    let doc = sample("lulong-police-2021");
    let settings = LayoutSettings {
        bold_heading2: true,
        bold_run_in: true,
        ..LayoutSettings::default()
    };
    let fonts = FontSet::bundled();
    let layout = layout_document(&doc, fonts, &settings);
    let bold_runs: usize = layout
        .pages
        .iter()
        .flat_map(|p| &p.lines)
        .map(|l| l.runs().iter().filter(|r| r.bold).count())
        .sum();
    assert!(bold_runs >= 5, "{bold_runs} bold runs");
    let ofd = jixiao::write::ofd::write_layout(&layout, &doc.meta, fonts).expect("OFD writes");
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("lulong-police-2021-bold.ofd");
    std::fs::write(&path, &ofd.bytes).expect("write the OFD");
    let pkg = Package::open(&ofd.bytes);
    let mut stroked = 0;
    for (_, page) in pkg.pages() {
        for t in page.find("ofd:TextObject") {
            if t.attr("Stroke") == Some("true") {
                stroked += 1;
                // 0.03 em of 16 pt, in mm.
                assert_eq!(t.attr("LineWidth"), Some("0.169"));
            }
        }
    }
    // FandolKai and FandolFang have no bold face in the set: every bold run is stroked.
    assert_eq!(stroked, bold_runs);
}

#[test]
fn characters_no_font_has_are_drawn_as_glyph_zero() {
    use jixiao::document::{Block, Meta, Paragraph};
    let doc = Document {
        meta: Meta {
            title: "测试".into(),
            author: "测试单位".into(),
            date: "2022-03-23".into(),
            ..Meta::default()
        },
        blocks: vec![Block::Paragraph(Paragraph::plain("笑😀一下"))],
    };
    let layout =
        jixiao::layout::layout_document(&doc, FontSet::bundled(), &LayoutSettings::default());
    let out = jixiao::write::ofd::write_layout(&layout, &doc.meta, FontSet::bundled())
        .expect("OFD writes");
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("missing-glyph.ofd");
    std::fs::write(&path, &out.bytes).expect("write the OFD");
    assert!(out.warnings.iter().any(|w| w.contains('😀')));
    let pkg = Package::open(&out.bytes);
    let (_, page) = pkg.pages().remove(0);
    let t = page
        .find("ofd:TextObject")
        .into_iter()
        .find(|t| t.child("ofd:TextCode").unwrap().text.contains('😀'))
        .expect("the character is kept in the text");
    let cg = t.child("ofd:CGTransform").expect("a CGTransform for it");
    assert_eq!(cg.attr("CodePosition"), Some("1"));
    assert_eq!(cg.child("ofd:Glyphs").unwrap().text, "0");
}

#[test]
fn cli_writes_ofd_alone_or_in_a_list() {
    let dir = tempfile::tempdir().unwrap();
    let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/minimal.yaml");
    let run = |format: &str, out: &Path| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_jixiao"))
            .arg("render")
            .arg(&input)
            .args(["--format", format, "-o"])
            .arg(out)
            .output()
            .expect("jixiao runs");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let mut names: Vec<String> = std::fs::read_dir(out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(run("ofd", &dir.path().join("a")), ["minimal.ofd"]);
    assert_eq!(
        run("docx,pdf,ofd", &dir.path().join("b")),
        ["minimal.docx", "minimal.ofd", "minimal.pdf"]
    );
    assert_eq!(
        run("all,ofd", &dir.path().join("c")),
        ["minimal.docx", "minimal.ofd", "minimal.pdf"]
    );
    assert_eq!(
        run("all", &dir.path().join("d")),
        ["minimal.docx", "minimal.pdf"]
    );
    // The OFD a user gets from the command line is the library's, byte for byte.
    let bytes = std::fs::read(dir.path().join("a/minimal.ofd")).unwrap();
    assert_eq!(
        bytes,
        std::fs::read(dir.path().join("b/minimal.ofd")).unwrap()
    );
    assert!(!Package::open(&bytes).pages().is_empty());
}

#[test]
fn the_outline_lists_the_headings_under_their_level_one_heading() {
    let r = render("lulong-police-2021");
    let pkg = Package::open(&r.ofd.bytes);
    let doc = pkg.xml("Doc_0/Document.xml");
    let outlines = doc.child("ofd:Outlines").expect("an outline");
    let pages: BTreeSet<u32> = pkg.pages().iter().map(|(id, _)| *id).collect();
    let h1: Vec<&El> = outlines.children.iter().collect();
    // The title first (the PDF's bookmarks are the same list), then the chapters.
    assert_eq!(h1[0].attr("Title"), Some(r.doc.meta.title.as_str()));
    assert_eq!(h1[1].attr("Title"), Some("一、绩效自评工作组织开展情况"));
    assert!(h1.len() >= 4);
    let h2: Vec<&str> = h1[1]
        .children
        .iter()
        .filter(|c| c.name == "ofd:OutlineElem")
        .map(|c| c.attr("Title").unwrap())
        .collect();
    assert_eq!(h2[0], "（一）组织情况");
    for e in outlines.find("ofd:Dest") {
        let page: u32 = e.attr("PageID").unwrap().parse().unwrap();
        assert!(pages.contains(&page), "Dest goes to a page");
    }
}

#[test]
fn source_date_epoch_sets_the_dates_and_reruns_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/minimal.yaml");
    let run = |out: &str| {
        let out = dir.path().join(out);
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_jixiao"))
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .arg("render")
            .arg(&input)
            .args(["--format", "ofd", "-o"])
            .arg(&out)
            .output()
            .expect("jixiao runs");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        std::fs::read(out.join("minimal.ofd")).unwrap()
    };
    let (a, b) = (run("a"), run("b"));
    assert!(a == b, "byte-identical reruns");
    let pkg = Package::open(&a);
    let info = pkg.xml("OFD.xml");
    assert_eq!(info.find("ofd:CreationDate")[0].text, "2023-11-14");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&a)).unwrap();
    for i in 0..zip.len() {
        let f = zip.by_index(i).unwrap();
        let t = f.last_modified().unwrap();
        assert_eq!(
            (t.year(), t.month(), t.day()),
            (2023, 11, 14),
            "{}",
            f.name()
        );
    }
}
