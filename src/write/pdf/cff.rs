//! Hints out of CFF subsets: the stem hints and hint masks of every glyph program, which only
//! steer rasterisers at small pixel sizes, are about a sixth of a Fandol subset — the largest
//! part of our PDF.
//!
//! `subsetter` writes CID-keyed CFF with desubroutinised glyph programs (no `callsubr`) and the
//! CharStrings INDEX last, so the programs can be rewritten in place without moving any other
//! part of the font: the INDEX is rebuilt at the offset the Top DICT already names. A program
//! that is not in that shape (a subroutine call, a malformed number) leaves the font as it was.

/// `cff` without hints, or `None` when it is not a font this function understands.
pub(super) fn strip_hints(cff: &[u8]) -> Option<Vec<u8>> {
    let header_size = *cff.get(2)? as usize;
    let (_, after_names) = read_index(cff, header_size)?;
    let (top_dicts, _) = read_index(cff, after_names)?;
    let charstrings_at = dict_operand(top_dicts.first()?, 17)?;
    let charstrings_at = usize::try_from(charstrings_at).ok()?;
    let (programs, end) = read_index(cff, charstrings_at)?;
    if end != cff.len() {
        return None;
    }
    let stripped: Vec<Vec<u8>> = programs
        .iter()
        .map(|p| strip_program(p))
        .collect::<Option<_>>()?;
    let mut out = cff[..charstrings_at].to_vec();
    write_index(&mut out, &stripped);
    Some(out)
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

/// The integer operand of DICT operator `op` (a one-byte operator).
fn dict_operand(dict: &[u8], op: u8) -> Option<i64> {
    let mut operands: Vec<i64> = Vec::new();
    let mut i = 0;
    while i < dict.len() {
        let b0 = dict[i];
        match b0 {
            0..=21 => {
                let key = if b0 == 12 {
                    1200 + *dict.get(i + 1)? as u16
                } else {
                    b0 as u16
                };
                if key == op as u16 {
                    return operands.last().copied();
                }
                operands.clear();
                i += if b0 == 12 { 2 } else { 1 };
            }
            28 => {
                let v = i16::from_be_bytes(dict.get(i + 1..i + 3)?.try_into().ok()?);
                operands.push(v as i64);
                i += 3;
            }
            29 => {
                let v = i32::from_be_bytes(dict.get(i + 1..i + 5)?.try_into().ok()?);
                operands.push(v as i64);
                i += 5;
            }
            30 => {
                // A real number: nibbles up to an 0xf nibble.
                i += 1;
                while (dict.get(i)? & 0x0f) != 0x0f && (dict.get(i)? >> 4) != 0x0f {
                    i += 1;
                }
                i += 1;
                operands.push(0);
            }
            32..=246 => {
                operands.push(b0 as i64 - 139);
                i += 1;
            }
            247..=250 => {
                operands.push((b0 as i64 - 247) * 256 + *dict.get(i + 1)? as i64 + 108);
                i += 2;
            }
            251..=254 => {
                operands.push(-(b0 as i64 - 251) * 256 - *dict.get(i + 1)? as i64 - 108);
                i += 2;
            }
            _ => return None,
        }
    }
    None
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
