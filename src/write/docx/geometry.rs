//! Page geometry in twips (1/20 pt) and text widths, from GB/T 9704-2012 as `docs/layout.md` applies it.
//!
//! Every figure here is a default of the layout spec; the derivations are spelled out so a reader
//! can check them against the standard: 1 mm = 1440 / 25.4 twips ≈ 56.69 twips.

/// A4 portrait: 210 × 297 mm.
pub const PAGE_W: u32 = 11906;
/// A4 portrait height.
pub const PAGE_H: u32 = 16838;
/// 天头 37 mm.
pub const MARGIN_TOP: u32 = 2098;
/// 订口 28 mm.
pub const MARGIN_LEFT: u32 = 1587;
/// Right margin 26 mm.
pub const MARGIN_RIGHT: u32 = 1474;
/// Bottom margin 35 mm.
pub const MARGIN_BOTTOM: u32 = 1984;
/// Width of the type area (版心): 11906 − 1587 − 1474 = 8845 twips ≈ 156 mm.
pub const TYPE_W: u32 = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT;
/// Line pitch: 225 mm / 22 lines = 28.95 pt = 579 twips.
pub const LINE_PITCH: u32 = 579;
/// 3号 body size, 16 pt, in Word's half-points.
pub const BODY_HALF_PT: usize = 32;
/// 2号 title size, 22 pt.
pub const TITLE_HALF_PT: usize = 44;
/// 小二 table title, 18 pt.
pub const TABLE_TITLE_HALF_PT: usize = 36;
/// 小四 table text, 12 pt.
pub const TABLE_HALF_PT: usize = 24;
/// 五号 table text, 10.5 pt.
pub const TABLE_SMALL_HALF_PT: usize = 21;
/// 4号 page number, 14 pt.
pub const PAGE_NUMBER_HALF_PT: usize = 28;
/// One body character (16 pt) in twips: the unit of the 2-character indents.
pub const CHAR: i32 = 320;
/// Body character spacing of CJK (full-width) runs in twentieths of a point: −0.6 pt.
///
/// 28 CJK cells of 16 pt need 448 pt, the type area is 442.25 pt (8845 twips) wide, so the
/// glyphs must be squeezed; the justification then spreads every full line back to the whole
/// measure (a pitch of 15.79 pt, the standard's). Any spacing from −0.21 pt to −0.74 pt gives
/// 28 CJK cells (28 fit, 29 do not: 29 × 15.4 = 446.6 pt). −0.6 pt leaves 11 pt of slack
/// (28 × 15.4 = 431.2 pt), which LibreOffice needs: it ignores `w:autoSpaceDE`/`w:autoSpaceDN`
/// and always puts a ¼ em gap on both sides of a digit run (−0.25 pt lost a character on every
/// line with a number there).
///
/// The tightening applies to the CJK runs only; half-width runs keep [`NARROW_CHAR_SPACING`]
/// (0). With −0.6 pt on the digits too (as this writer once did), a Word-like renderer, which
/// honours autoSpace off, fitted 29 cells on lines with many digits (29 cells of n CJK and
/// d digits needed 8932 − 6·d twips); now they need 8932 + 6·d, so a line holds at most
/// 28.5 cells whatever its digits. Measured on the reference sample (render-docx-spire, the
/// README's Word imitation): check-pdf 16/17 → 17/17, full lines at 28 cells 82.4 % → 89.4 %,
/// line breaks identical to our PDF 51 % → 74 %. The price is paid in LibreOffice, where a
/// digit run now costs its full width plus the gaps: full lines at 28 cells 81.9 % → 77.1 %.
/// Word and WPS are what the reports are edited in, so they come first.
pub const BODY_CHAR_SPACING: i32 = -12;
/// Character spacing of half-width runs (digits, Latin) in body text, twentieths of a point:
/// none (see [`BODY_CHAR_SPACING`]). The DOCX body writer puts such runs in runs of their own.
pub const NARROW_CHAR_SPACING: i32 = 0;
/// The page number sits one 14 pt character in from the edge of the type area.
pub const PAGE_NUMBER_INDENT: i32 = 280;
/// Distance of the footer from the bottom edge. The number's baseline belongs 7 mm below the
/// type area (262 mm + 7 mm = 269 mm from the top, i.e. 28 mm above the bottom edge); a 14 pt
/// line set at exactly 14 pt has its baseline about 3 pt above the bottom of its line box, so the
/// box ends about 27 mm above the bottom edge: 27 mm = 1531 twips.
pub const FOOTER_DISTANCE: u32 = 1531;
/// Header distance (no header is written; Word's usual 15 mm).
pub const HEADER_DISTANCE: u32 = 851;

/// `em` ems of `size_pt` type in twips, rounded: how the table writer and its styles turn the
/// layout engine's em-based table measures ([`crate::layout::table`]) into Word's units
/// (e.g. 1.3 em of 12 pt: a 312-twip line).
pub fn em_twips(em: f32, size_pt: f32) -> u32 {
    (em * size_pt * 20.0).round().max(0.0) as u32
}

/// Width of `text` set in 16 pt body type, in twips: CJK and other full-width characters take a
/// full cell (320 twips), ASCII and other narrow characters half a cell (digits in 仿宋_GB2312
/// and the Fandol faces are half-width), and every character carries the style's character
/// spacing (`spacing_twentieths`, in 1/20 pt = twips).
pub fn text_width(text: &str, spacing_twentieths: i32) -> i32 {
    text.chars()
        .map(|c| {
            let advance = if is_narrow(c) { CHAR / 2 } else { CHAR };
            advance + spacing_twentieths
        })
        .sum()
}

/// Width of `text` in the 16 pt body styles as written: CJK cells with [`BODY_CHAR_SPACING`],
/// half-width runs with [`NARROW_CHAR_SPACING`].
pub fn body_text_width(text: &str) -> i32 {
    text.chars()
        .map(|c| {
            if is_narrow(c) {
                CHAR / 2 + NARROW_CHAR_SPACING
            } else {
                CHAR + BODY_CHAR_SPACING
            }
        })
        .sum()
}

/// Characters that take half a body cell.
pub fn is_narrow(c: char) -> bool {
    (c as u32) < 0x2E80
        && !matches!(
            c,
            '\u{2014}' | '\u{2026}' | '\u{201C}' | '\u{201D}' | '\u{2018}' | '\u{2019}'
        )
        || ('\u{FF61}'..='\u{FFDC}').contains(&c)
}

/// Indents (twips from the right or left edge of the type area) of the 署名 and 成文日期 lines
/// (GB/T 9704-2012 7.3.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignaturePlacement {
    /// 加盖印章: both lines right-aligned; `name_right` and `date_right` are right indents.
    Sealed { name_right: i32, date_right: i32 },
    /// 不加盖印章: the line that sits 2 characters from the right edge is right-aligned there;
    /// the other is left-aligned at an indent computed from the widths.
    Unsealed { name: Anchor, date: Anchor },
}

/// How a line is anchored: right-aligned with a right indent, or left-aligned with a left
/// indent (twips). Anchoring to the side the standard measures from keeps that edge exact even
/// where a renderer's widths differ from ours (LibreOffice's gaps around digits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Right(i32),
    Left(i32),
}

/// Computes the 署名/成文日期 placement from real text widths.
///
/// - With seal (7.3.5.1): the date is right-indented 4 characters; the 署名 is centred on the
///   date, so its right indent is the date's plus half the difference of the widths (clamped at
///   the right edge when the 署名 is very long).
/// - Without seal (7.3.5.2): the 署名 is right-indented 2 characters and the date starts 2
///   characters right of the 署名's first character; when that would push the date past the
///   2-character right indent, the date is right-indented 2 characters and the 署名 starts 2
///   characters left of the date.
pub fn signature_placement(name: &str, date: &str, seal: bool) -> SignaturePlacement {
    let wn = body_text_width(name);
    let wd = body_text_width(date);
    let type_w = TYPE_W as i32;
    if seal {
        let date_right = 4 * CHAR;
        let name_right = (date_right + (wd - wn) / 2).clamp(0, type_w);
        SignaturePlacement::Sealed {
            name_right,
            date_right,
        }
    } else {
        let right = 2 * CHAR;
        let name_left = type_w - right - wn;
        let date_left = name_left + 2 * CHAR;
        if date_left + wd > type_w - right {
            let date_left = type_w - right - wd;
            SignaturePlacement::Unsealed {
                name: Anchor::Left((date_left - 2 * CHAR).max(0)),
                date: Anchor::Right(right),
            }
        } else {
            SignaturePlacement::Unsealed {
                name: Anchor::Right(right),
                date: Anchor::Left(date_left.max(0)),
            }
        }
    }
}

/// Scales relative column widths to `total` twips; rounding leftovers go to the last column so
/// the widths add up exactly. `None` when there are no columns or all weights are zero.
pub fn scale_columns(weights: &[u32], total: u32) -> Option<Vec<u32>> {
    let sum: u64 = weights.iter().map(|&w| w as u64).sum();
    if sum == 0 {
        return None;
    }
    let mut out: Vec<u32> = weights
        .iter()
        .map(|&w| (w as u64 * total as u64 / sum) as u32)
        .collect();
    let used: u32 = out.iter().sum();
    if let Some(last) = out.last_mut() {
        *last += total - used;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_area_is_156_mm() {
        let mm = TYPE_W as f64 / 1440.0 * 25.4;
        assert!((mm - 156.0).abs() < 0.1, "{mm}");
        let h = (PAGE_H - MARGIN_TOP - MARGIN_BOTTOM) as f64 / 1440.0 * 25.4;
        assert!((h - 225.0).abs() < 0.1, "{h}");
        // 22 lines fit, 23 do not.
        assert_eq!((PAGE_H - MARGIN_TOP - MARGIN_BOTTOM) / LINE_PITCH, 22);
    }

    #[test]
    fn twenty_eight_cells_fit_the_measure() {
        let cjk = |n: usize| body_text_width(&"中".repeat(n));
        let mixed =
            |n: usize, d: usize| body_text_width(&format!("{}{}", "中".repeat(n), "1".repeat(d)));
        let w = TYPE_W as i32;
        assert!(cjk(28) <= w);
        assert!(cjk(29) > w);
        // LibreOffice's two ¼ em autospace gaps (2 × 80 twips) around one number still fit.
        assert!(mixed(26, 4) + 160 <= w);
        // No 29-cell line in Word, however many digits it has; 28.5 cells (an odd digit count)
        // may fit.
        for d in (2..=56).step_by(2) {
            assert!(mixed(29 - d / 2, d) > w, "{d} digits");
        }
        assert!(mixed(28, 1) <= w);
    }

    #[test]
    fn widths_count_digits_as_half() {
        assert_eq!(text_width("2022年3月23日", 0), 3 * 320 + 7 * 160);
        assert_eq!(text_width("卢龙县公安局", -5), 6 * 315);
        assert_eq!(text_width("——", 0), 640);
        assert_eq!(text_width("（1）", 0), 800);
        assert_eq!(text_width("A.%", 0), 480);
    }

    #[test]
    fn sealed_signature_centres_name_on_date() {
        let p = signature_placement("卢龙县公安局", "2022年3月23日", true);
        // As written: date 3 × 308 + 7 × 160 = 2044 twips wide, name 6 × 308 = 1848: name right
        // indent 1280 + 98.
        assert_eq!(body_text_width("2022年3月23日"), 2044);
        assert_eq!(
            p,
            SignaturePlacement::Sealed {
                name_right: 1378,
                date_right: 1280
            }
        );
        // A very long name is clamped at the right edge.
        let long = "某".repeat(40);
        let SignaturePlacement::Sealed { name_right, .. } =
            signature_placement(&long, "2022年3月23日", true)
        else {
            panic!("sealed expected")
        };
        assert_eq!(name_right, 0);
    }

    #[test]
    fn unsealed_signature_follows_7_3_5_2() {
        let name = "卢龙县公安局"; // 1848 twips as written
        let date = "2022年3月23日"; // 2044 twips
                                    // Date starting 2 cells right of the name would end past the 2-cell right indent, so
                                    // the date is right-indented 2 cells and the name starts 2 cells left of it.
        let date_left = TYPE_W as i32 - 640 - 2044;
        assert_eq!(
            signature_placement(name, date, false),
            SignaturePlacement::Unsealed {
                name: Anchor::Left(date_left - 640),
                date: Anchor::Right(640),
            }
        );
        // A long name: name right-indented 2 cells, date 2 cells right of its start.
        let name = "卢龙县人民政府办公室信息中心";
        let name_left = TYPE_W as i32 - 640 - 14 * 308;
        assert_eq!(
            signature_placement(name, date, false),
            SignaturePlacement::Unsealed {
                name: Anchor::Right(640),
                date: Anchor::Left(name_left + 640),
            }
        );
    }

    #[test]
    fn columns_scale_to_exact_total() {
        let w = scale_columns(&[1, 2, 3], 8845).unwrap();
        assert_eq!(w.iter().sum::<u32>(), 8845);
        assert_eq!(w[0], 1474);
        assert!(scale_columns(&[], 100).is_none());
        assert!(scale_columns(&[0, 0], 100).is_none());
    }
}
