//! One `Content.xml` per page: text objects with exact advances, and the table rules as paths.
//!
//! Text: a `TextObject` for each run of one drawn face (and one kind of fake bold) on a laid-out
//! line, its `TextCode` holding the run's characters. `X`/`Y` put the first glyph's origin on
//! the baseline, relative to the object's `Boundary`; `DeltaX` gives the distance from each glyph
//! to the next, so every glyph lands where the layout put it — justified lines, half-width
//! digits and grid-pitched CJK alike — whatever the font's own advances are. The distances are
//! differences of positions rounded once (to 1 µm), so rounding never accumulates along a line;
//! runs of equal distances use the standard's `g N V` form (a justified CJK line is mostly one
//! number). The `Boundary` spans the face's whole glyph box (`head`) vertically and every glyph's
//! advance or ink horizontally, plus a margin: some readers clip text to it.
//!
//! Rules: the table borders of a page, one `PathObject` per stroke width, each rule a
//! `M x y L x y` segment of its `AbbreviatedData`, with `LineWidth` in mm. Colours are the
//! defaults — black fill for text, black stroke for paths — which is what the PDF draws.

use std::fmt::Write as _;

use super::fonts::{Drawn, Embedded};
use super::ids::Ids;
use super::{esc, mm, um, xml_char, NS};
use crate::layout::{Glyph, Layout, Line, LineKind, Page, Rule};

/// Outline width of fake bold, in em: the PDF's (docs/layout.md: "a stroked fake bold of 0.03 em").
const FAKE_BOLD_EM: f32 = 0.03;

/// Margin around a text object's ink box, µm.
const BOUNDARY_MARGIN_UM: i64 = 100;

/// One page, serialised.
#[derive(Debug, Clone)]
pub struct PageContent {
    /// The page's ID (in `Document.xml`).
    pub id: u32,
    /// The `Content.xml` part.
    pub xml: String,
    /// The text objects, in reading order, for the custom tags.
    pub objects: Vec<TextRef>,
}

/// A text object and the laid-out line it draws (part of).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextRef {
    /// The object's ID.
    pub id: u32,
    /// What the line is.
    pub kind: LineKind,
    /// The document block the line comes from.
    pub block: Option<usize>,
}

/// Serialises every page. IDs: the page, its layer, then its objects in order.
pub fn pages(layout: &Layout, embedded: &Embedded, ids: &mut Ids) -> Vec<PageContent> {
    layout
        .pages
        .iter()
        .map(|page| page_content(page, embedded, ids))
        .collect()
}

fn page_content(page: &Page, embedded: &Embedded, ids: &mut Ids) -> PageContent {
    let id = ids.allocate();
    let layer = ids.allocate();
    let mut xml = String::with_capacity(16 * 1024);
    let _ = write!(
        xml,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<ofd:Page xmlns:ofd="{NS}">"#
    );
    let (w, h) = (um(page.width), um(page.height));
    if (w, h) != (210_000, 297_000) {
        let _ = write!(
            xml,
            "<ofd:Area><ofd:PhysicalBox>0 0 {} {}</ofd:PhysicalBox></ofd:Area>",
            mm(w),
            mm(h)
        );
    }
    let _ = write!(xml, r#"<ofd:Content><ofd:Layer ID="{layer}">"#);
    let mut objects = Vec::new();
    for line in &page.lines {
        for run in runs(line, embedded) {
            let id = ids.allocate();
            if text_object(&mut xml, id, line, &run, embedded) {
                objects.push(TextRef {
                    id,
                    kind: line.kind,
                    block: line.block,
                });
            }
        }
    }
    rules(&mut xml, &page.rules, ids);
    xml.push_str("</ofd:Layer></ofd:Content></ofd:Page>\n");
    PageContent { id, xml, objects }
}

/// Glyphs of a line drawn alike: same face, same fake bold.
struct Run {
    drawn: Vec<Drawn>,
    glyphs: Vec<Glyph>,
}

/// The line split where the drawn face or fake bold changes, without the white space at the
/// ends of each run (it draws nothing, and readers may trim it from the XML text), and without
/// characters XML cannot carry (the input check rejects them; each glyph is placed by its own
/// position, so leaving one out moves nothing else).
fn runs(line: &Line, embedded: &Embedded) -> Vec<Run> {
    let glyphs: Vec<Glyph> = line
        .glyphs
        .iter()
        .filter(|g| xml_char(g.ch))
        .copied()
        .collect();
    let drawn: Vec<Drawn> = glyphs.iter().map(|g| embedded.drawn(g)).collect();
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=glyphs.len() {
        let boundary = i == glyphs.len()
            || drawn[i].face != drawn[start].face
            || drawn[i].stroke != drawn[start].stroke;
        if !boundary {
            continue;
        }
        let (mut a, mut b) = (start, i);
        while a < b && glyphs[a].ch.is_whitespace() {
            a += 1;
        }
        while b > a && glyphs[b - 1].ch.is_whitespace() {
            b -= 1;
        }
        if a < b {
            out.push(Run {
                drawn: drawn[a..b].to_vec(),
                glyphs: glyphs[a..b].to_vec(),
            });
        }
        start = i;
    }
    out
}

/// Writes one text object; `false` if the run's face has no font (cannot happen: every drawn
/// face was embedded) and nothing was written.
fn text_object(xml: &mut String, id: u32, line: &Line, run: &Run, embedded: &Embedded) -> bool {
    let Some(font) = embedded.font(run.drawn[0].face) else {
        return false;
    };
    let size = line.size;
    let stroke = run.drawn[0].stroke;
    let stroke_um = if stroke { um(FAKE_BOLD_EM * size) } else { 0 };
    let [bx0, by0, bx1, by1] = font.bbox_em;
    // The ink box in pt, then µm with a margin (and half the fake-bold outline).
    let mut left = f32::INFINITY;
    let mut right = f32::NEG_INFINITY;
    for g in &run.glyphs {
        left = left.min(g.x).min(g.x + bx0 * size);
        right = right.max(g.x + g.advance.max(bx1 * size));
    }
    let pad = BOUNDARY_MARGIN_UM + stroke_um;
    let x0 = um(left) - pad;
    let x1 = um(right) + pad;
    let y0 = um(line.baseline - by1 * size) - pad;
    let y1 = um(line.baseline - by0 * size) + pad;
    let pos: Vec<i64> = run.glyphs.iter().map(|g| um(g.x)).collect();
    let _ = write!(
        xml,
        r#"<ofd:TextObject ID="{id}" Boundary="{} {} {} {}" Font="{}" Size="{}""#,
        mm(x0),
        mm(y0),
        mm(x1 - x0),
        mm(y1 - y0),
        font.id,
        mm(um(size)),
    );
    if stroke {
        let _ = write!(xml, r#" Stroke="true" LineWidth="{}""#, mm(stroke_um));
    }
    xml.push('>');
    // Characters no font has are drawn as glyph 0 (the .notdef box), like the PDF does.
    for (k, d) in run.drawn.iter().enumerate() {
        if d.gid == 0 {
            let _ = write!(
                xml,
                r#"<ofd:CGTransform CodePosition="{k}" CodeCount="1" GlyphCount="1"><ofd:Glyphs>0</ofd:Glyphs></ofd:CGTransform>"#
            );
        }
    }
    let text: String = run.glyphs.iter().map(|g| g.ch).collect();
    let _ = write!(
        xml,
        r#"<ofd:TextCode X="{}" Y="{}""#,
        mm(pos[0] - x0),
        mm(um(line.baseline) - y0)
    );
    if pos.len() > 1 {
        let _ = write!(xml, r#" DeltaX="{}""#, delta_x(&pos));
    }
    let _ = write!(xml, ">{}</ofd:TextCode></ofd:TextObject>", esc(&text));
    true
}

/// `DeltaX` for absolute positions in µm: the differences, runs of three or more equal ones
/// written `g N V`.
pub fn delta_x(pos: &[i64]) -> String {
    let d: Vec<i64> = pos.windows(2).map(|w| w[1] - w[0]).collect();
    let mut out = String::new();
    let mut i = 0;
    while i < d.len() {
        let mut j = i;
        while j < d.len() && d[j] == d[i] {
            j += 1;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        let n = j - i;
        if n >= 3 {
            let _ = write!(out, "g {n} {}", mm(d[i]));
        } else {
            let v = mm(d[i]);
            out.push_str(&v);
            if n == 2 {
                out.push(' ');
                out.push_str(&v);
            }
        }
        i = j;
    }
    out
}

/// The table rules: one path object per stroke width, in order of first use.
fn rules(xml: &mut String, rules: &[Rule], ids: &mut Ids) {
    let mut widths: Vec<i64> = Vec::new();
    for r in rules {
        let w = um(r.width);
        if !widths.contains(&w) {
            widths.push(w);
        }
    }
    for w in widths {
        let segs: Vec<[i64; 4]> = rules
            .iter()
            .filter(|r| um(r.width) == w)
            .map(|r| [um(r.x0), um(r.y0), um(r.x1), um(r.y1)])
            .collect();
        let pad = w / 2 + BOUNDARY_MARGIN_UM;
        let x0 = segs.iter().map(|s| s[0].min(s[2])).min().unwrap_or(0) - pad;
        let y0 = segs.iter().map(|s| s[1].min(s[3])).min().unwrap_or(0) - pad;
        let x1 = segs.iter().map(|s| s[0].max(s[2])).max().unwrap_or(0) + pad;
        let y1 = segs.iter().map(|s| s[1].max(s[3])).max().unwrap_or(0) + pad;
        let mut data = String::with_capacity(segs.len() * 32);
        for s in &segs {
            if !data.is_empty() {
                data.push(' ');
            }
            let _ = write!(
                data,
                "M {} {} L {} {}",
                mm(s[0] - x0),
                mm(s[1] - y0),
                mm(s[2] - x0),
                mm(s[3] - y0)
            );
        }
        let _ = write!(
            xml,
            r#"<ofd:PathObject ID="{}" Boundary="{} {} {} {}" LineWidth="{}"><ofd:AbbreviatedData>{data}</ofd:AbbreviatedData></ofd:PathObject>"#,
            ids.allocate(),
            mm(x0),
            mm(y0),
            mm(x1 - x0),
            mm(y1 - y0),
            mm(w),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delta_x_compresses_runs_of_equal_advances() {
        assert_eq!(delta_x(&[0]), "");
        assert_eq!(delta_x(&[0, 5571]), "5.571");
        assert_eq!(delta_x(&[0, 5571, 11142]), "5.571 5.571");
        assert_eq!(delta_x(&[0, 5571, 11142, 16713, 19000]), "g 3 5.571 2.287");
        assert_eq!(delta_x(&[10, 20, 25, 30, 35, 40]), "0.01 g 4 0.005");
    }

    /// Sums of the deltas give back the absolute positions exactly: no accumulated rounding.
    #[test]
    fn delta_x_sums_are_exact() {
        let pos: Vec<i64> = (0..28).map(|i| um(79.37 + i as f32 * 15.785_714)).collect();
        let s = delta_x(&pos);
        let mut t = s.split(' ');
        let mut vals = Vec::new();
        while let Some(tok) = t.next() {
            if tok == "g" {
                let n: usize = t.next().unwrap().parse().unwrap();
                let v: f64 = t.next().unwrap().parse().unwrap();
                vals.extend(std::iter::repeat_n(v, n));
            } else {
                vals.push(tok.parse::<f64>().unwrap());
            }
        }
        let sum: f64 = vals.iter().sum();
        let want = (pos[27] - pos[0]) as f64 / 1000.0;
        assert!((sum - want).abs() < 1e-9, "{sum} vs {want}");
    }
}
