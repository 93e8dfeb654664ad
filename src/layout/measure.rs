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
//! digit (0.5 em) exactly half a cell. The official 仿宋_GB2312 has half-width Latin letters;
//! Fandol's are proportional and up to 0.75 em wide, so a Latin letter (or `%`, 0.83 em) that is
//! wider than half a cell is drawn condensed (`scale` < 1) to fill exactly half a cell. Without
//! that, a line with `APP` on it would hold 27.4 "cells" by the count `check-pdf` (and a reader's
//! eye trained on 仿宋_GB2312) applies. Narrower characters (`.`, `i`, `l`) keep their width.
//!
//! Text without a grid (the 22 pt title, the 14 pt page number, 12 pt table text) passes
//! `pitch = None` and every character keeps its font's own advance.

use unicode_width::UnicodeWidthChar;

use super::fonts::{FaceId, GlyphSource, Role};

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
    /// Horizontal scale the glyph is drawn with: 1.0 except for a Latin letter condensed into
    /// half a grid cell.
    pub scale: f32,
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
    let (width, scale) = match pitch {
        None => (natural, 1.0),
        Some(p) if is_wide(ch) => (p, 1.0),
        Some(p) => {
            let half = p / 2.0;
            let on_grid = natural * p / size;
            if (ch.is_ascii_alphabetic() || ch == '%') && on_grid > half && natural > 0.0 {
                (half, half / natural)
            } else {
                (on_grid, 1.0)
            }
        }
    };
    Item {
        ch,
        role,
        face: found.face,
        gid: found.gid,
        size,
        width,
        scale,
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
        // Digits are exactly half a cell, "%" is condensed into half a cell, "." keeps its
        // (grid-scaled) width.
        assert!((items[1].width - pitch / 2.0).abs() < 1e-4);
        assert!((items[2].width - pitch / 2.0).abs() < 1e-4);
        assert!(items[3].width < pitch / 2.0 && items[3].scale == 1.0);
        assert!((items[5].width - pitch / 2.0).abs() < 1e-4);
        assert!(items[5].scale < 1.0);
        assert!((items[5].scale * 16.0 * 0.833 - pitch / 2.0).abs() < 0.05);
        // No grid: CJK takes its own 1 em.
        let title = measure(&mut src, Role::Title, "报告", 22.0, None);
        assert!((title[0].width - 22.0).abs() < 1e-4);
    }
}
