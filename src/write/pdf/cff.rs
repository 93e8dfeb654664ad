//! Hints out of CFF subsets: the stem hints and hint masks of every glyph program, which only
//! steer rasterisers at small pixel sizes, are about 4 % of a Fandol subset — 13 KB of the
//! sample's PDF.
//!
//! Both subsetters we use (`subsetter`, and [`crate::write::cff`]'s copying fast path) write
//! CID-keyed CFF whose glyph programs call no subroutines (`subsetter` desubroutinises; Fandol
//! has none). So each program is rewritten on its own and the CharStrings INDEX rebuilt in
//! place; the structures after it (`subsetter` puts CharStrings last, the fast path puts the
//! FDArray and Private DICTs after it) move up, and every offset that points past it is
//! rewritten — which needs those offsets in the 5-byte integer form both writers use, so a
//! DICT's size never changes. A font in any other shape (a subroutine call, a short offset, a
//! malformed number) is left as it was.

/// `cff` without hints, or `None` when it is not a font this function understands.
pub(super) fn strip_hints(cff: &[u8]) -> Option<Vec<u8>> {
    let header_size = *cff.get(2)? as usize;
    let (_, after_names) = read_index(cff, header_size)?;
    let (top_dicts, _) = read_index(cff, after_names)?;
    let top = *top_dicts.first()?;
    let top_at = offset_in(cff, top);
    let top_ops = dict_entries(top)?;
    let charstrings_at = usize::try_from(operand(&top_ops, 17)?.value).ok()?;
    let (programs, end) = read_index(cff, charstrings_at)?;
    let stripped: Vec<Vec<u8>> = programs
        .iter()
        .map(|p| strip_program(p))
        .collect::<Option<_>>()?;
    let mut out = cff[..charstrings_at].to_vec();
    write_index(&mut out, &stripped);
    let shift = end.checked_sub(out.len())?;
    out.extend_from_slice(&cff[end..]);
    // Offsets past the CharStrings move up by `shift`: the Top DICT's, then each Font DICT's
    // Private offset.
    let moved = |v: i64| -> Option<i64> {
        match usize::try_from(v).ok()? {
            v if v >= end => Some((v - shift) as i64),
            v if v > charstrings_at => None,
            v => Some(v as i64),
        }
    };
    for key in [15, 16, 18, 1236, 1237] {
        if let Some(o) = operand(&top_ops, key) {
            patch(&mut out, top_at + o.at, o.len, moved(o.value)?)?;
        }
    }
    if let Some(fd_array) = operand(&top_ops, 1236) {
        let fd_array_at = usize::try_from(moved(fd_array.value)?).ok()?;
        let (dicts, _) = read_index(&out, fd_array_at)?;
        let mut fixes = Vec::new();
        for d in dicts {
            let at = offset_in(&out, d);
            if let Some(p) = operand(&dict_entries(d)?, 18) {
                fixes.push((at + p.at, p.len, moved(p.value)?));
            }
        }
        for (at, len, v) in fixes {
            patch(&mut out, at, len, v)?;
        }
    }
    Some(out)
}

/// Where `part` (a slice of `whole`) starts in `whole`.
fn offset_in(whole: &[u8], part: &[u8]) -> usize {
    part.as_ptr() as usize - whole.as_ptr() as usize
}

/// Rewrites the 5-byte integer operand at `at` (of encoded length `len`) to `v`; `None` when it
/// is not in that form or `v` does not change (a shorter form could not be rewritten in place).
fn patch(out: &mut [u8], at: usize, len: usize, v: i64) -> Option<()> {
    let slot = out.get_mut(at..at + len)?;
    if slot[0] == 29 && len == 5 {
        slot[1..].copy_from_slice(&i32::try_from(v).ok()?.to_be_bytes());
        return Some(());
    }
    let same = decode_int(slot)? == v;
    same.then_some(())
}

fn decode_int(b: &[u8]) -> Option<i64> {
    Some(match *b.first()? {
        28 => i16::from_be_bytes(b.get(1..3)?.try_into().ok()?) as i64,
        29 => i32::from_be_bytes(b.get(1..5)?.try_into().ok()?) as i64,
        b0 @ 32..=246 => b0 as i64 - 139,
        b0 @ 247..=250 => (b0 as i64 - 247) * 256 + *b.get(1)? as i64 + 108,
        b0 @ 251..=254 => -(b0 as i64 - 251) * 256 - *b.get(1)? as i64 - 108,
        _ => return None,
    })
}

/// Reads the INDEX at `at`; returns its items and the offset after it.
fn read_index(data: &[u8], at: usize) -> Option<(Vec<&[u8]>, usize)> {
    let count = u16::from_be_bytes(data.get(at..at + 2)?.try_into().ok()?) as usize;
    if count == 0 {
        return Some((Vec::new(), at + 2));
    }
    let off_size = *data.get(at + 2)? as usize;
    if !(1..=4).contains(&off_size) {
        return None;
    }
    let offsets_at = at + 3;
    let offset = |k: usize| -> Option<usize> {
        let b = data.get(offsets_at + k * off_size..offsets_at + (k + 1) * off_size)?;
        Some(b.iter().fold(0usize, |v, &x| (v << 8) | x as usize))
    };
    let base = offsets_at + (count + 1) * off_size - 1;
    let mut items = Vec::with_capacity(count);
    for k in 0..count {
        let (a, b) = (offset(k)?, offset(k + 1)?);
        items.push(data.get(base + a..base + b)?);
    }
    Some((items, base + offset(count)?))
}

fn write_index(out: &mut Vec<u8>, items: &[Vec<u8>]) {
    out.extend_from_slice(&(items.len() as u16).to_be_bytes());
    if items.is_empty() {
        return;
    }
    let total: usize = items.iter().map(Vec::len).sum::<usize>() + 1;
    let off_size = match total {
        0..=0xff => 1,
        0x100..=0xffff => 2,
        0x1_0000..=0xff_ffff => 3,
        _ => 4,
    };
    out.push(off_size as u8);
    let mut offset = 1usize;
    let push = |out: &mut Vec<u8>, v: usize| {
        out.extend_from_slice(&(v as u32).to_be_bytes()[4 - off_size..]);
    };
    push(out, offset);
    for item in items {
        offset += item.len();
        push(out, offset);
    }
    for item in items {
        out.extend_from_slice(item);
    }
}

/// The last operand of a DICT entry: its value, where it starts in the DICT, how long it is.
#[derive(Debug, Clone, Copy)]
struct Operand {
    value: i64,
    at: usize,
    len: usize,
}

/// A DICT's entries: operator (two-byte ones as 1200 + second byte) and last integer operand.
fn dict_entries(dict: &[u8]) -> Option<Vec<(u16, Option<Operand>)>> {
    let mut out = Vec::new();
    let mut last: Option<Operand> = None;
    let mut i = 0;
    while i < dict.len() {
        let b0 = dict[i];
        let len = match b0 {
            0..=21 => {
                let key = if b0 == 12 {
                    1200 + *dict.get(i + 1)? as u16
                } else {
                    b0 as u16
                };
                out.push((key, last.take()));
                i += if b0 == 12 { 2 } else { 1 };
                continue;
            }
            28 => 3,
            29 => 5,
            30 => {
                // A real number: nibbles up to an 0xf nibble. Never an offset.
                let mut j = i + 1;
                while (dict.get(j)? & 0x0f) != 0x0f && (dict.get(j)? >> 4) != 0x0f {
                    j += 1;
                }
                last = None;
                i = j + 1;
                continue;
            }
            32..=246 => 1,
            247..=254 => 2,
            _ => return None,
        };
        let value = decode_int(dict.get(i..i + len)?)?;
        last = Some(Operand { value, at: i, len });
        i += len;
    }
    Some(out)
}

fn operand(entries: &[(u16, Option<Operand>)], key: u16) -> Option<Operand> {
    entries
        .iter()
        .find(|(k, _)| *k == key)
        .and_then(|(_, o)| *o)
}

/// One Type 2 glyph program without `hstem`, `vstem`, `hstemhm`, `vstemhm`, `hintmask` and
/// `cntrmask`. The advance width, which the first stack-clearing operator may carry as an
/// extra first operand, moves to the next operator that stays.
fn strip_program(p: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(p.len());
    let mut operands: Vec<&[u8]> = Vec::new();
    let mut stems = 0usize;
    let mut cleared = false;
    let mut width: Option<&[u8]> = None;
    let mut i = 0;
    while i < p.len() {
        let b0 = p[i];
        let len = match b0 {
            28 => 3,
            32..=246 => 1,
            247..=254 => 2,
            255 => 5,
            _ => 0,
        };
        if len > 0 {
            operands.push(p.get(i..i + len)?);
            i += len;
            continue;
        }
        match b0 {
            1 | 3 | 18 | 23 | 19 | 20 => {
                if !cleared && !operands.len().is_multiple_of(2) {
                    width = operands.first().copied();
                }
                stems += operands.len() / 2;
                cleared = true;
                operands.clear();
                i += 1;
                if matches!(b0, 19 | 20) {
                    i += stems.div_ceil(8);
                }
            }
            10 | 29 => return None,
            _ => {
                let op_len = if b0 == 12 { 2 } else { 1 };
                if let Some(w) = width.take() {
                    out.extend_from_slice(w);
                }
                cleared = true;
                for o in operands.drain(..) {
                    out.extend_from_slice(o);
                }
                out.extend_from_slice(p.get(i..i + op_len)?);
                i += op_len;
            }
        }
    }
    (operands.is_empty() && i == p.len()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Encodes a small integer as a Type 2 operand.
    fn n(v: i32) -> u8 {
        (v + 139) as u8
    }

    #[test]
    fn stems_and_masks_go_and_the_width_moves_to_the_next_operator() {
        // width 10, hstemhm (2 stems), 2 implicit vstems + hintmask (1 byte), rmoveto, endchar.
        let p = [
            n(10),
            n(1),
            n(2),
            n(3),
            n(4),
            18,
            n(5),
            n(6),
            n(7),
            n(8),
            19,
            0b1010_0000,
            n(20),
            n(30),
            21,
            14,
        ];
        assert_eq!(
            strip_program(&p).unwrap(),
            vec![n(10), n(20), n(30), 21, 14]
        );
        // No width: the stems' operands are even.
        let q = [n(1), n(2), 1, n(20), n(30), 21, 14];
        assert_eq!(strip_program(&q).unwrap(), vec![n(20), n(30), 21, 14]);
        // A subroutine call is not ours to flatten.
        assert!(strip_program(&[n(1), 10, 14]).is_none());
    }

    /// Records an outline as text, so two outlines can be compared.
    #[derive(Default)]
    struct Trace(String);

    impl ttf_parser::OutlineBuilder for Trace {
        fn move_to(&mut self, x: f32, y: f32) {
            self.0 += &format!("M{x} {y} ");
        }
        fn line_to(&mut self, x: f32, y: f32) {
            self.0 += &format!("L{x} {y} ");
        }
        fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
            self.0 += &format!("Q{x1} {y1} {x} {y} ");
        }
        fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
            self.0 += &format!("C{x1} {y1} {x2} {y2} {x} {y} ");
        }
        fn close(&mut self) {
            self.0 += "Z ";
        }
    }

    fn outlines(cff: &[u8]) -> Vec<String> {
        let t = ttf_parser::cff::Table::parse(cff).expect("the CFF parses");
        (0..t.number_of_glyphs())
            .map(|g| {
                let mut tr = Trace::default();
                let _ = t.outline(ttf_parser::GlyphId(g), &mut tr);
                tr.0
            })
            .collect()
    }

    /// Both subsetters' output (CharStrings last, or in the middle) loses its hints and keeps
    /// every outline, for every shipped face.
    #[test]
    fn shipped_faces_keep_their_outlines_without_hints() {
        let fonts = crate::layout::fonts::FontSet::bundled();
        for face in fonts.faces() {
            let parsed = face.parse().expect("a shipped face parses");
            let mut glyphs = vec![0u16];
            for ch in "绩效自评报告，一二三〇（）2023年度项目".chars() {
                glyphs.push(parsed.glyph_index(ch).expect("a glyph").0);
            }
            let copied = crate::write::cff::subset(face.data(), face.index(), &glyphs).unwrap();
            let mut remapper = subsetter::GlyphRemapper::new();
            for g in &glyphs {
                remapper.remap(*g);
            }
            let otf = subsetter::subset(face.data(), face.index(), &remapper).unwrap();
            let otf_face = ttf_parser::RawFace::parse(&otf, 0).unwrap();
            let decompiled = otf_face
                .table(ttf_parser::Tag::from_bytes(b"CFF "))
                .unwrap();
            for cff in [copied.as_slice(), decompiled] {
                let stripped = strip_hints(cff).unwrap_or_else(|| panic!("{}", face.name()));
                assert!(stripped.len() <= cff.len());
                assert_eq!(outlines(&stripped), outlines(cff), "{}", face.name());
            }
        }
    }

    #[test]
    fn an_index_round_trips() {
        let items = vec![vec![1u8, 2, 3], vec![], vec![4; 300]];
        let mut out = Vec::new();
        write_index(&mut out, &items);
        let (read, end) = read_index(&out, 0).unwrap();
        assert_eq!(end, out.len());
        assert_eq!(read, items.iter().map(Vec::as_slice).collect::<Vec<_>>());
    }
}
