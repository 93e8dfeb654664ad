//! The SVG writer: each laid-out page as one standalone SVG, for previews in a browser.
//!
//! The pages are the very [`Layout`] the PDF and OFD writers serialise, so a preview shows what
//! prints, with no PDF plug-in. Glyphs are drawn as paths from the embedded faces (a browser has
//! no Fandol fonts): each glyph a page uses is outlined once, in `<defs>`, in font units, and
//! placed with `<use>`. A run of glyphs shares one transform that scales font units to the font
//! size and flips y, so each glyph costs one short element. Fake bold is the PDF's: the outline
//! stroked at 0.03 em. Table rules are `<line>`s. Each run carries its text as `aria-label`,
//! so a screen reader and a read-back test see the words.

mod outline;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::layout::fonts::{FaceId, FontSet};
use crate::layout::{GlyphRun, Layout, Page, Rule};
use outline::{glyph_path, push_number, push_scale};

/// Outline width of fake bold, in em: the PDF's (docs/layout.md: "a stroked fake bold of 0.03 em").
const FAKE_BOLD_EM: f32 = 0.03;

/// Writes every page of `layout` as an SVG document, in page order.
pub fn write_pages(layout: &Layout, fonts: &FontSet) -> Vec<String> {
    let parsed: Vec<Option<ttf_parser::Face<'_>>> =
        fonts.faces().iter().map(|f| f.parse()).collect();
    layout
        .pages
        .iter()
        .map(|page| write_page(page, fonts, &parsed))
        .collect()
}

fn write_page(page: &Page, fonts: &FontSet, parsed: &[Option<ttf_parser::Face<'_>>]) -> String {
    let mut defs = BTreeMap::new();
    let mut body = String::with_capacity(32 * 1024);
    for line in &page.lines {
        for run in line.runs() {
            let upem = f32::from(fonts.face(run.face).units_per_em().max(1));
            let face = parsed.get(usize::from(run.face.0)).and_then(Option::as_ref);
            write_run(&mut body, &run, upem, face, &mut defs);
        }
    }
    write_rules(&mut body, &page.rules);
    let mut svg = String::with_capacity(body.len() + defs.len() * 400 + 512);
    let (w, h) = (page.width, page.height);
    svg.push_str(r#"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width=""#);
    push_number(&mut svg, w);
    svg.push_str(r#"pt" height=""#);
    push_number(&mut svg, h);
    svg.push_str(r#"pt" viewBox="0 0 "#);
    push_number(&mut svg, w);
    svg.push(' ');
    push_number(&mut svg, h);
    let _ = write!(
        svg,
        "\" role=\"img\"><title>第 {} 页</title>\n<defs>\n",
        page.number
    );
    for (id, d) in &defs {
        if let Some(d) = d {
            let _ = writeln!(svg, r#"<path id="{id}" d="{d}"/>"#);
        }
    }
    svg.push_str("</defs>\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n");
    svg.push_str(&body);
    svg.push_str("</svg>\n");
    svg
}

/// The id of a glyph's outline in `<defs>`: face and glyph id, unique within the page.
fn glyph_id(face: FaceId, gid: u16) -> String {
    format!("g{}-{}", face.0, gid)
}

/// One run: a group scaled from font units to the font size (y flipped) on the baseline, and a
/// `<use>` per glyph that has ink, its x in font units.
fn write_run(
    out: &mut String,
    run: &GlyphRun<'_>,
    upem: f32,
    face: Option<&ttf_parser::Face<'_>>,
    defs: &mut BTreeMap<String, Option<String>>,
) {
    let s = run.size / upem;
    let text: String = run.glyphs.iter().map(|g| g.ch).collect();
    out.push_str("<g transform=\"matrix(");
    for (i, v) in [s, 0.0, 0.0, -s, 0.0, run.baseline].iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if i < 4 {
            push_scale(out, *v);
        } else {
            push_number(out, *v);
        }
    }
    out.push_str(")\" aria-label=\"");
    push_escaped(out, &text);
    out.push('"');
    if run.bold {
        out.push_str(r##" stroke="#000" stroke-linejoin="round" stroke-width=""##);
        push_number(out, FAKE_BOLD_EM * upem);
        out.push('"');
    }
    out.push_str(">\n");
    for g in run.glyphs {
        let id = glyph_id(run.face, g.gid);
        let has_ink = defs
            .entry(id.clone())
            .or_insert_with(|| face.and_then(|f| glyph_path(f, g.gid)))
            .is_some();
        if has_ink {
            let _ = write!(out, "<use href=\"#{id}\" x=\"");
            push_number(out, g.x / s);
            out.push_str("\"/>\n");
        }
    }
    out.push_str("</g>\n");
}

fn write_rules(out: &mut String, rules: &[Rule]) {
    if rules.is_empty() {
        return;
    }
    out.push_str("<g stroke=\"#000\" stroke-linecap=\"square\">\n");
    for r in rules {
        out.push_str("<line");
        let attrs = ["x1", "y1", "x2", "y2", "stroke-width"];
        for (name, v) in attrs.iter().zip([r.x0, r.y0, r.x1, r.y1, r.width]) {
            let _ = write!(out, " {name}=\"");
            push_number(out, v);
            out.push('"');
        }
        out.push_str("/>\n");
    }
    out.push_str("</g>\n");
}

/// Text in an attribute value: the five XML escapes, and characters XML 1.0 cannot carry
/// dropped (the input check rejects them; the label is only a description).
fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_text_is_escaped() {
        let mut s = String::new();
        push_escaped(&mut s, "a<b>&\"c'\u{1}");
        assert_eq!(s, "a&lt;b&gt;&amp;&quot;c&apos;");
    }
}
