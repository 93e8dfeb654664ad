//! Glyph outlines as SVG path data, read from the embedded font faces.
//!
//! A page preview must look exactly like the printed page without asking the browser for fonts
//! it may not have (the Fandol faces are not web fonts, and a CJK web font is megabytes). So
//! every glyph becomes a path in the face's own units (y up, as the font stores it); the page
//! places it with one transform that scales to the font size and flips y.

use std::fmt::Write as _;

/// Collects the outline of one glyph as SVG path data (`M`, `L`, `Q`, `C`, `Z`).
struct PathData(String);

impl PathData {
    fn point(&mut self, cmd: char, coords: &[f32]) {
        self.0.push(cmd);
        for (i, c) in coords.iter().enumerate() {
            if i > 0 {
                self.0.push(' ');
            }
            push_number(&mut self.0, *c);
        }
    }
}

impl ttf_parser::OutlineBuilder for PathData {
    fn move_to(&mut self, x: f32, y: f32) {
        self.point('M', &[x, y]);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.point('L', &[x, y]);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.point('Q', &[x1, y1, x, y]);
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.point('C', &[x1, y1, x2, y2, x, y]);
    }
    fn close(&mut self) {
        self.0.push('Z');
    }
}

/// The outline of glyph `gid` in font units, or `None` when the glyph draws nothing (a space)
/// or the face has no such glyph.
pub fn glyph_path(face: &ttf_parser::Face<'_>, gid: u16) -> Option<String> {
    let mut data = PathData(String::new());
    face.outline_glyph(ttf_parser::GlyphId(gid), &mut data)?;
    (!data.0.is_empty()).then_some(data.0)
}

/// Writes `v` with at most six decimals, for scale factors (a font size over units per em is
/// 0.016: two decimals would move a glyph at the right margin by a quarter of its width).
pub fn push_scale(out: &mut String, v: f32) {
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    out.push_str(if s == "-0" { "0" } else { s });
}

/// Writes `v` with at most two decimals and no trailing zeros: short, and exact enough at any
/// zoom a browser offers (1/100 of a font unit or of a point).
pub fn push_number(out: &mut String, v: f32) {
    let r = (v * 100.0).round() / 100.0;
    let r = if r == 0.0 { 0.0 } else { r };
    if r.fract() == 0.0 {
        let _ = write!(out, "{}", r as i64);
    } else {
        let s = format!("{r:.2}");
        out.push_str(s.trim_end_matches('0'));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(v: f32) -> String {
        let mut s = String::new();
        push_number(&mut s, v);
        s
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.5), "12.5");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(5.43219), "5.43");
        let mut s = String::new();
        push_scale(&mut s, 0.016);
        assert_eq!(s, "0.016");
    }

    #[test]
    fn a_cjk_glyph_has_an_outline_and_a_space_has_none() {
        let fonts = crate::layout::fonts::FontSet::bundled();
        let face = fonts.faces()[0].parse().expect("bundled face parses");
        let gid = face.glyph_index('财').expect("glyph").0;
        let path = glyph_path(&face, gid).expect("outline");
        assert!(path.starts_with('M') && path.contains('Z'), "{path}");
        let space = face.glyph_index(' ').expect("space").0;
        assert_eq!(glyph_path(&face, space), None);
    }
}
