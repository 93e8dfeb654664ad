//! Advances on the 15.79 pt grid (CJK) and natural widths (digits, Latin).
//!
//! GB/T 9704 fills the 156 mm type area with 28 characters of 3号 (16 pt): the characters are
//! set on a 156 mm ÷ 28 = 15.79 pt pitch, a little tighter than their 16 pt em (Word does the
//! same with `docGrid type="linesAndChars"`). So every *full-width* character here — ideographs,
//! full-width punctuation, and the East-Asian-"ambiguous" marks such as `“ ” — …` that Chinese
//! fonts draw full-width — advances by exactly one grid cell, whatever its font says. Digits,
//! Latin letters and half-width punctuation keep the advance their font gives them: the spec
//! wants `4675.926` to look like a number, not like eight characters spread over eight cells.
//!
//! The classification follows Unicode's East Asian Width property (W, F and A are full width),
//! which is what `check-pdf` counts cells by, so a line that the layout thinks holds 28 cells is
//! a line the checker counts as 28 cells.
//!
//! On the grid every advance is scaled by pitch ÷ size (15.79 ÷ 16), as if the whole 16 pt font
//! were condensed by 1.3 % onto the grid: a CJK character is then exactly one cell and a Fandol
//! digit (0.5 em) exactly half a cell.
//!
//! Besides its advance, every character on the grid has a *cell width*: one cell if full width,
//! half a cell otherwise. That is how the official fonts behave (仿宋_GB2312 has half-width
//! Latin letters and `%`), how Word's character grid counts, and how `check-pdf` counts. Lines
//! are filled by cell width (see [`super::paragraph`]), so a line holds the same characters the
//! official font would give it, and the difference between cells and advances — Fandol's Latin
//! capitals are up to 0.75 em, its `.` 0.28 em — is absorbed by the spacing between atoms.
//!
//! Text without a grid (the 22 pt title, the 14 pt page number, 12 pt table text) passes
//! `pitch = None` and every character keeps its font's own advance.

use unicode_width::UnicodeWidthChar;

use super::fonts::{FaceId, GlyphSource, Role};
use super::page::Glyph;

/// One character, measured: the glyph that draws it and the advance the layout gives it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Item {
    /// The character (one glyph per character: CJK text needs no shaping, and Latin ligatures
    /// would only make copy-and-paste harder).
    pub ch: char,
    /// The role the character was set in.
    pub role: Role,
    /// The face the glyph comes from (after fallback).
    pub face: FaceId,
    /// Glyph id in that face.
    pub gid: u16,
    /// Font size in pt.
    pub size: f32,
    /// The advance the layout uses, in pt: one grid cell for a full-width character on the
    /// grid, else the glyph's own advance (scaled to the grid, see the module docs).
    pub width: f32,
    /// The width the line filler counts: a cell or half a cell on the grid, else `width`.
    pub cell: f32,
    /// Drawn with a stroked "fake bold" (docs/layout.md: a template may make level-2/3 headings
    /// bold; the faces have no bold weight, and another family is never substituted).
    pub bold: bool,
}

/// Sets items side by side at their natural advances, the first with its left edge at `x0`
/// (titles, the signature block, page numbers: lines that are placed, not justified).
pub fn glyphs_from(items: &[Item], x0: f32) -> Vec<Glyph> {
    let mut x = x0;
    items
        .iter()
        .map(|it| {
            let g = it.glyph_at(x);
            x += it.width;
            g
        })
        .collect()
}

impl Item {
    /// The positioned glyph that draws this item with its left edge at `x`.
    pub fn glyph_at(&self, x: f32) -> Glyph {
        Glyph {
            ch: self.ch,
            role: self.role,
            face: self.face,
            gid: self.gid,
            x,
            advance: self.width,
            bold: self.bold,
        }
    }
}

/// `true` for characters that take a full cell: East Asian Width W, F or A.
pub fn is_wide(ch: char) -> bool {
    ch.width_cjk() == Some(2)
}

/// Measures `text` in `role` at `size` pt. With `pitch`, full-width characters advance by
/// exactly `pitch`; narrow ones (and everything without a grid) by their font advance.
/// Line feeds are not glyphs; callers split on them before measuring.
pub fn measure(
    src: &mut GlyphSource<'_>,
    role: Role,
    text: &str,
    size: f32,
    pitch: Option<f32>,
) -> Vec<Item> {
    text.chars()
        .filter(|c| *c != '\n' && *c != '\r')
        .map(|ch| measure_char(src, role, ch, size, pitch))
        .collect()
}

/// Measures one character (see [`measure`]). A tab is measured as a space.
pub fn measure_char(
    src: &mut GlyphSource<'_>,
    role: Role,
    ch: char,
    size: f32,
    pitch: Option<f32>,
) -> Item {
    let ch = if ch == '\t' { ' ' } else { ch };
    let found = src.glyph(role, ch);
    let natural = found.advance_em * size;
    let (width, cell) = match pitch {
        None => (natural, natural),
        Some(p) if is_wide(ch) => (p, p),
        Some(p) => (natural * p / size, p / 2.0),
    };
    Item {
        ch,
        role,
        face: found.face,
        gid: found.gid,
        size,
        width,
        cell,
        bold: false,
    }
}

/// Sum of the advances of `items`.
pub fn width_of(items: &[Item]) -> f32 {
    items.iter().map(|i| i.width).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::fonts::FontSet;

    #[test]
    fn wide_and_narrow_characters() {
        for c in ['绩', '，', '。', '“', '”', '—', '…', '（', '％'] {
            assert!(is_wide(c), "{c} should be full width");
        }
        for c in ['7', '.', '%', 'A', 'p', ' ', '(', ','] {
            assert!(!is_wide(c), "{c} should be narrow");
        }
    }

    #[test]
    fn grid_pitch_for_cjk_natural_for_digits() {
        let mut src = GlyphSource::new(FontSet::bundled());
        let pitch = 15.79;
        let items = measure(&mut src, Role::Body, "元97.3%", 16.0, Some(pitch));
        assert_eq!(items.len(), 6);
        assert_eq!(items[0].width, pitch);
        // Digits are exactly half a cell; "." and "%" keep their (grid-scaled) widths but
        // count as half a cell, like every half-width character.
        assert!((items[1].width - pitch / 2.0).abs() < 1e-4);
        assert!((items[2].width - pitch / 2.0).abs() < 1e-4);
        assert!(items[3].width < pitch / 2.0);
        assert!(items[5].width > pitch / 2.0);
        for it in &items[1..] {
            assert_eq!(it.cell, pitch / 2.0);
        }
        assert_eq!(items[0].cell, pitch);
        // No grid: CJK takes its own 1 em.
        let title = measure(&mut src, Role::Title, "报告", 22.0, None);
        assert!((title[0].width - 22.0).abs() < 1e-4);
    }
}
