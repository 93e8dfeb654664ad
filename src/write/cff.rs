//! Subsets of CID-keyed CFF fonts by copying charstrings: the fast path for the fonts we ship.
//!
//! A PDF or OFD carries only the glyphs its pages use. The general route, the `subsetter`
//! crate, decompiles every used charstring into a program, resolves its subroutines, and
//! compiles it again; for one report that was a third of the whole run's instructions. The
//! Fandol faces have no subroutines at all (no global and no local `Subrs`) and one Font DICT, so
//! a charstring there is self-contained: a subset is the used charstrings copied byte for byte
//! into a new CFF around them. That is what this module writes, for any CID-keyed CFF without
//! subroutines; a font with subroutines, or a name-keyed one, gets [`Unsupported`] and the caller
//! takes the general route.
//!
//! The subset is CID-keyed with CID = new glyph id (a format-2 charset of one range), which is
//! what a PDF `CIDFontType0C` program with `/CIDToGIDMap`-free lookup and an OFD reader both
//! expect. Everything outside the charstrings is copied from the original: the String INDEX
//! (so the Top DICT's and Font DICTs' string ids stay valid), the Top DICT's operators other than
//! offsets and the unique ids (a subset is not the same font, so `UniqueID`, `XUID` and
//! `UIDBase` must go), every Font DICT and its Private DICT. Offsets are written as 5-byte
//! integers, so the Top DICT's size does not depend on the offsets it holds and the layout is
//! computed in one pass.
//!
//! Hints (stems and hint masks) can be left out on the way ([`Hints::Strip`]): a PDF is read on
//! screens of every resolution and printed at 600 dpi, where they do nothing. The advance width
//! that the first hint operator may carry moves to the next operator that stays.
//!
//! Reference: Adobe Technical Note #5176, "The Compact Font Format Specification".

use std::borrow::Cow;
use std::fmt;

/// Why the fast path does not apply (the caller subsets with the general route instead), or
/// the font's CFF data is damaged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported(pub &'static str);

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CFF 字体不能直接子集化：{}", self.0)
    }
}

impl std::error::Error for Unsupported {}

/// What to do with the stem hints and hint masks of the glyph programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hints {
    /// Copy the programs as they are.
    Keep,
    /// Take the hints out. They only steer rasterisers at small pixel sizes and are about a
    /// sixth of a Fandol subset, the largest part of our PDF.
    Strip,
}

/// The CFF program of `font` (an OpenType font with a `CFF ` table) reduced to `glyphs`, in that
/// order: new glyph id (and CID) `i` is the original glyph `glyphs[i]`. The first entry should
/// be 0, the `.notdef` glyph, which every CFF font starts with.
pub fn subset(
    font: &[u8],
    index: u32,
    glyphs: &[u16],
    hints: Hints,
) -> Result<Vec<u8>, Unsupported> {
    let face = ttf_parser::RawFace::parse(font, index).map_err(|_| Unsupported("字体文件损坏"))?;
    let cff = face
        .table(ttf_parser::Tag::from_bytes(b"CFF "))
        .ok_or(Unsupported("没有 CFF 表"))?;
    Cff::parse(cff)?.write_subset(glyphs, hints)
}

/// `otf` (an OpenType font whose CFF table is CID-keyed and has no subroutines, such as the
/// `subsetter` crate writes) with the hints taken out of every glyph; `None` when it is not
/// such a font.
pub fn strip_hints_otf(otf: &[u8]) -> Option<Vec<u8>> {
    let face = ttf_parser::RawFace::parse(otf, 0).ok()?;
    let mut tables: Vec<([u8; 4], Vec<u8>)> = Vec::new();
    for record in face.table_records {
        let (at, len) = (record.offset as usize, record.length as usize);
        let data = otf.get(at..at.checked_add(len)?)?;
        let tag = record.tag.to_bytes();
        if tag == *b"CFF " {
            let parsed = Cff::parse(data).ok()?;
            let count = u16::try_from(parsed.char_strings.count()).ok()?;
            let all: Vec<u16> = (0..count).collect();
            tables.push((tag, parsed.write_subset(&all, Hints::Strip).ok()?));
        } else {
            tables.push((tag, data.to_vec()));
        }
    }
    Some(sfnt(tables.iter().map(|(t, d)| (t, d.clone())).collect()))
}

/// The subset of [`subset`] as an OpenType font: the new `CFF ` table with the `head`, `hhea`,
/// `maxp`, `hmtx`, `OS/2`, `name` and `post` a reader of the font file needs, reduced to the same
/// glyphs (`hmtx` and the glyph counts) or copied (the rest; `post` without glyph names). No
/// `cmap`: a PDF addresses glyphs by CID and carries its own `/ToUnicode`.
pub fn subset_otf(
    font: &[u8],
    index: u32,
    glyphs: &[u16],
    hints: Hints,
) -> Result<Vec<u8>, Unsupported> {
    subset_otf_with(font, index, glyphs, hints, Vec::new())
}

/// [`subset_otf`] with `extra` tables added, numbered in the subset's glyph ids: the OFD
/// writer's `cmap`, which its readers need to draw Unicode text.
pub fn subset_otf_with(
    font: &[u8],
    index: u32,
    glyphs: &[u16],
    hints: Hints,
    extra: Vec<(&[u8; 4], Vec<u8>)>,
) -> Result<Vec<u8>, Unsupported> {
    let face = ttf_parser::RawFace::parse(font, index).map_err(|_| Unsupported("字体文件损坏"))?;
    let table = |tag: &[u8; 4]| face.table(ttf_parser::Tag::from_bytes(tag));
    let missing = Unsupported("缺少必需的字体表");
    let cff = Cff::parse(table(b"CFF ").ok_or(missing.clone())?)?.write_subset(glyphs, hints)?;
    let n = u16::try_from(glyphs.len()).map_err(|_| Unsupported("字形太多"))?;
    let hhea_in = table(b"hhea")
        .filter(|t| t.len() >= 36)
        .ok_or(missing.clone())?;
    let hmtx_in = table(b"hmtx").ok_or(missing.clone())?;
    let long_metrics = usize::from(read_u16(hhea_in, 34).unwrap_or(0));
    let mut hmtx = Vec::with_capacity(glyphs.len() * 4);
    for &g in glyphs {
        let g = usize::from(g);
        let advance_at = 4 * g.min(long_metrics.saturating_sub(1));
        let lsb_at = if g < long_metrics {
            4 * g + 2
        } else {
            4 * long_metrics + 2 * (g - long_metrics)
        };
        hmtx.extend_from_slice(
            hmtx_in
                .get(advance_at..advance_at + 2)
                .ok_or(missing.clone())?,
        );
        hmtx.extend_from_slice(hmtx_in.get(lsb_at..lsb_at + 2).unwrap_or(&[0, 0]));
    }
    let mut hhea = hhea_in.to_vec();
    hhea[34..36].copy_from_slice(&n.to_be_bytes());
    let mut maxp = 0x0000_5000u32.to_be_bytes().to_vec();
    maxp.extend_from_slice(&n.to_be_bytes());
    let mut head = table(b"head")
        .filter(|t| t.len() >= 54)
        .ok_or(missing.clone())?
        .to_vec();
    head[8..12].fill(0);
    let mut post = table(b"post").filter(|t| t.len() >= 32).ok_or(missing)?[..32].to_vec();
    post[..4].copy_from_slice(&0x0003_0000u32.to_be_bytes());
    let mut tables: Vec<(&[u8; 4], Vec<u8>)> = vec![
        (b"CFF ", cff),
        (b"head", head),
        (b"hhea", hhea),
        (b"hmtx", hmtx),
        (b"maxp", maxp),
        (b"post", post),
    ];
    for tag in [b"OS/2", b"name"] {
        if let Some(t) = table(tag) {
            tables.push((tag, t.to_vec()));
        }
    }
    tables.extend(extra);
    Ok(sfnt(tables))
}

/// An OpenType font file (`OTTO`) of `tables`: the table directory sorted by tag, each table
/// 4-byte aligned with its checksum, and `head.checkSumAdjustment` set so the whole file sums to
/// 0xB1B0AFBA (OpenType, "head" table).
fn sfnt(mut tables: Vec<(&[u8; 4], Vec<u8>)>) -> Vec<u8> {
    tables.sort_by_key(|(tag, _)| **tag);
    let count = tables.len() as u16;
    let selector = 15 - count.max(1).leading_zeros() as u16;
    let search_range = (1u16 << selector) * 16;
    let mut out = Vec::new();
    out.extend_from_slice(b"OTTO");
    for v in [count, search_range, selector, count * 16 - search_range] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for (tag, data) in &tables {
        out.extend_from_slice(*tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        if **tag == *b"head" {
            head_at = Some(offset);
        }
        offset += data.len().next_multiple_of(4);
    }
    for (_, data) in &tables {
        out.extend_from_slice(data);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    if let Some(at) = head_at {
        let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[at + 8..at + 12].copy_from_slice(&adjustment.to_be_bytes());
    }
    out
}

/// The OpenType table checksum: the sum of big-endian 32-bit words, zero-padded.
fn checksum(data: &[u8]) -> u32 {
    let words = data.chunks_exact(4);
    let tail = words.remainder();
    let sum = words.fold(0u32, |sum, w| {
        sum.wrapping_add(u32::from_be_bytes([w[0], w[1], w[2], w[3]]))
    });
    let mut last = [0u8; 4];
    last[..tail.len()].copy_from_slice(tail);
    sum.wrapping_add(u32::from_be_bytes(last))
}

/// The parts of a CID-keyed CFF font that a subset needs.
struct Cff<'a> {
    name: &'a [u8],
    /// The Top DICT's operators other than the offsets and unique ids, as raw bytes.
    top_rest: Vec<u8>,
    /// The String INDEX, whole.
    strings: &'a [u8],
    char_strings: Index<'a>,
    /// Per glyph of the original, its Font DICT.
    fd_select: FdSelect<'a>,
    /// Per Font DICT: its operators other than `Private`, and its Private DICT's bytes.
    font_dicts: Vec<(Vec<u8>, &'a [u8])>,
}

impl<'a> Cff<'a> {
    fn parse(data: &'a [u8]) -> Result<Cff<'a>, Unsupported> {
        let damaged = Unsupported("CFF 表损坏");
        if data.len() < 4 || data[0] != 1 {
            return Err(Unsupported("不是 CFF 1 字体"));
        }
        let (names, at) = Index::parse(data, data[2] as usize)?;
        let name = names.get(0).ok_or(damaged.clone())?;
        let (tops, at) = Index::parse(data, at)?;
        let top = parse_dict(tops.get(0).ok_or(damaged.clone())?)?;
        let (strings_index, at) = Index::parse(data, at)?;
        let strings = &data[strings_index.start..at];
        let (global_subrs, _) = Index::parse(data, at)?;
        if global_subrs.count() != 0 {
            return Err(Unsupported("字体有全局子程序"));
        }
        if !top.iter().any(|e| e.op == ROS) {
            return Err(Unsupported("不是 CID 字体"));
        }
        let offset_of = |op: u16| -> Result<usize, Unsupported> {
            let e = top.iter().find(|e| e.op == op).ok_or(damaged.clone())?;
            e.int(0)
                .and_then(|v| usize::try_from(v).ok())
                .ok_or(damaged.clone())
        };
        let (char_strings, _) = Index::parse(data, offset_of(CHAR_STRINGS)?)?;
        let glyph_count = char_strings.count();
        let fd_select = FdSelect::parse(data, offset_of(FD_SELECT)?, glyph_count)?;
        let (fd_array, _) = Index::parse(data, offset_of(FD_ARRAY)?)?;
        let mut font_dicts = Vec::with_capacity(fd_array.count());
        for i in 0..fd_array.count() {
            font_dicts.push(font_dict(data, fd_array.get(i).ok_or(damaged.clone())?)?);
        }
        let top_rest = top
            .iter()
            .filter(|e| !TOP_DROPPED.contains(&e.op))
            .flat_map(|e| e.raw.iter().copied())
            .collect();
        Ok(Cff {
            name,
            top_rest,
            strings,
            char_strings,
            fd_select,
            font_dicts,
        })
    }

    /// Writes the subset: header, Name, Top DICT, String and (empty) Global Subr INDEXes, then
    /// charset, FDSelect, CharStrings, FDArray and the Private DICTs, in that order.
    fn write_subset(&self, glyphs: &[u16], hints: Hints) -> Result<Vec<u8>, Unsupported> {
        let too_many = Unsupported("字形太多");
        let n = u16::try_from(glyphs.len()).map_err(|_| too_many.clone())?;
        let mut charstrings = Vec::with_capacity(glyphs.len());
        let mut fds = Vec::with_capacity(glyphs.len());
        for &g in glyphs {
            let cs = self
                .char_strings
                .get(usize::from(g))
                .ok_or(Unsupported("字形编号超出字体范围"))?;
            charstrings.push(match hints {
                Hints::Keep => Cow::Borrowed(cs),
                Hints::Strip => strip_program(cs).map_or(Cow::Borrowed(cs), Cow::Owned),
            });
            fds.push(self.fd_select.fd(g).ok_or(Unsupported("FDSelect 损坏"))?);
        }
        if fds
            .iter()
            .any(|&fd| usize::from(fd) >= self.font_dicts.len())
        {
            return Err(Unsupported("FDSelect 指向不存在的 Font DICT"));
        }

        let mut out = vec![1, 0, 4, 4];
        write_index(&mut out, &[self.name]);
        // The Top DICT: its size is fixed (5-byte offsets), so write a placeholder, lay out the
        // rest, then write it again with the offsets known.
        let top_at = out.len();
        let top_len = index_len(&[&self.top_dict(n, [0; 4])]);
        out.resize(top_at + top_len, 0);
        out.extend_from_slice(self.strings);
        write_index(&mut out, &[]);

        let charset = out.len();
        out.push(2);
        if n > 1 {
            out.extend_from_slice(&1u16.to_be_bytes());
            out.extend_from_slice(&(n - 2).to_be_bytes());
        }
        let fd_select = out.len();
        write_fd_select(&mut out, &fds);
        let char_strings_at = out.len();
        let refs: Vec<&[u8]> = charstrings.iter().map(|c| c.as_ref()).collect();
        write_index(&mut out, &refs);

        // Private DICTs go after the FDArray, whose entries point at them: the Font DICTs'
        // sizes are fixed too (5-byte Private offset and size), so their offsets can be
        // computed before they are written.
        let fd_array = out.len();
        let placeholders = self.font_dict_bytes(&vec![0; self.font_dicts.len()]);
        let placeholder_refs: Vec<&[u8]> = placeholders.iter().map(Vec::as_slice).collect();
        let privates_at = fd_array + index_len(&placeholder_refs);
        let mut private_offsets = Vec::with_capacity(self.font_dicts.len());
        let mut at = privates_at;
        for (_, private) in &self.font_dicts {
            private_offsets.push(at);
            at += private.len();
        }
        let dicts = self.font_dict_bytes(&private_offsets);
        let refs: Vec<&[u8]> = dicts.iter().map(Vec::as_slice).collect();
        write_index(&mut out, &refs);
        for (_, private) in &self.font_dicts {
            out.extend_from_slice(private);
        }

        let offsets = [charset, fd_select, char_strings_at, fd_array];
        let top = self.top_dict(n, offsets.map(|o| o as i32));
        let mut top_index = Vec::with_capacity(top_len);
        write_index(&mut top_index, &[&top]);
        out[top_at..top_at + top_len].copy_from_slice(&top_index);
        Ok(out)
    }

    /// The Top DICT with `CIDCount` = `n` and the offsets of charset, FDSelect, CharStrings and
    /// FDArray. `ROS` must come first (5176, Table 9), so it is moved to the front.
    fn top_dict(&self, n: u16, [charset, fd_select, char_strings, fd_array]: [i32; 4]) -> Vec<u8> {
        let mut d = Vec::with_capacity(self.top_rest.len() + 40);
        let entries = parse_dict(&self.top_rest).unwrap_or_default();
        for e in entries.iter().filter(|e| e.op == ROS) {
            d.extend_from_slice(&e.raw);
        }
        for e in entries.iter().filter(|e| e.op != ROS) {
            d.extend_from_slice(&e.raw);
        }
        put_int(&mut d, i32::from(n));
        put_op(&mut d, CID_COUNT);
        put_int(&mut d, charset);
        put_op(&mut d, CHARSET);
        put_int(&mut d, fd_select);
        put_op(&mut d, FD_SELECT);
        put_int(&mut d, char_strings);
        put_op(&mut d, CHAR_STRINGS);
        put_int(&mut d, fd_array);
        put_op(&mut d, FD_ARRAY);
        d
    }

    /// Every Font DICT with its `Private` operator pointing at `private_offsets[i]`.
    fn font_dict_bytes(&self, private_offsets: &[usize]) -> Vec<Vec<u8>> {
        self.font_dicts
            .iter()
            .zip(private_offsets)
            .map(|((rest, private), &at)| {
                let mut d = rest.clone();
                put_int(&mut d, private.len() as i32);
                put_int(&mut d, at as i32);
                put_op(&mut d, PRIVATE);
                d
            })
            .collect()
    }
}

/// One Type 2 glyph program without `hstem`, `vstem`, `hstemhm`, `vstemhm`, `hintmask` and
/// `cntrmask`. The advance width, which the first stack-clearing operator may carry as an
/// extra first operand, moves to the next operator that stays. `None` for a program this
/// cannot rewrite: one that calls a subroutine, or whose bytes end inside a number.
///
/// The operands of one operator are contiguous bytes, so the program is copied a run at a time
/// (operands and operator together) rather than an operand at a time: this runs over every
/// glyph of every subset, and the copy per operand was most of its cost.
pub(crate) fn strip_program(p: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(p.len());
    // The operands since the last operator: where they start, how many, the first one's end.
    let mut args_at = 0;
    let mut args = 0usize;
    let mut first_end = 0;
    let mut stems = 0usize;
    let mut cleared = false;
    let mut width: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < p.len() {
        let len = match p[i] {
            28 => 3,
            32..=246 => 1,
            247..=254 => 2,
            255 => 5,
            _ => 0,
        };
        if len > 0 {
            if args == 0 {
                args_at = i;
                first_end = i + len;
            }
            args += 1;
            i += len;
            continue;
        }
        let b0 = p[i];
        match b0 {
            1 | 3 | 18 | 23 | 19 | 20 => {
                if !cleared && args % 2 == 1 {
                    width = Some((args_at, first_end));
                }
                stems += args / 2;
                cleared = true;
                i += 1;
                if matches!(b0, 19 | 20) {
                    i += stems.div_ceil(8);
                }
            }
            10 | 29 => return None,
            _ => {
                let op_len = if b0 == 12 { 2 } else { 1 };
                if let Some((a, b)) = width.take() {
                    out.extend_from_slice(&p[a..b]);
                }
                cleared = true;
                let from = if args > 0 { args_at } else { i };
                out.extend_from_slice(p.get(from..i + op_len)?);
                i += op_len;
            }
        }
        args = 0;
    }
    (args == 0 && i == p.len()).then_some(out)
}

const CHARSET: u16 = 15;
const ENCODING: u16 = 16;
const CHAR_STRINGS: u16 = 17;
const PRIVATE: u16 = 18;
const SUBRS: u16 = 19;
const UNIQUE_ID: u16 = 13;
const XUID: u16 = 14;
const ROS: u16 = 1200 + 30;
const CID_COUNT: u16 = 1200 + 34;
const UID_BASE: u16 = 1200 + 35;
const FD_ARRAY: u16 = 1200 + 36;
const FD_SELECT: u16 = 1200 + 37;

/// Top DICT operators the subset writes anew or leaves out.
const TOP_DROPPED: [u16; 10] = [
    CHARSET,
    ENCODING,
    CHAR_STRINGS,
    PRIVATE,
    UNIQUE_ID,
    XUID,
    CID_COUNT,
    UID_BASE,
    FD_ARRAY,
    FD_SELECT,
];

/// A Font DICT's operators other than `Private`, and its Private DICT, which must not have
/// `Subrs` (a local subroutine INDEX, at an offset relative to the Private DICT, which copying
/// would have to follow).
fn font_dict<'a>(data: &'a [u8], dict: &[u8]) -> Result<(Vec<u8>, &'a [u8]), Unsupported> {
    let damaged = Unsupported("Font DICT 损坏");
    let entries = parse_dict(dict)?;
    let private = entries
        .iter()
        .find(|e| e.op == PRIVATE)
        .ok_or(damaged.clone())?;
    let size = private.int(0).and_then(|v| usize::try_from(v).ok());
    let offset = private.int(1).and_then(|v| usize::try_from(v).ok());
    let (Some(size), Some(offset)) = (size, offset) else {
        return Err(damaged);
    };
    let bytes = data.get(offset..offset + size).ok_or(damaged)?;
    if parse_dict(bytes)?.iter().any(|e| e.op == SUBRS) {
        return Err(Unsupported("字体有局部子程序"));
    }
    let rest = entries
        .iter()
        .filter(|e| e.op != PRIVATE)
        .flat_map(|e| e.raw.iter().copied())
        .collect();
    Ok((rest, bytes))
}

/// An INDEX: a count, an offset size, `count + 1` offsets and the data they point into.
struct Index<'a> {
    /// Where the INDEX starts in the table.
    start: usize,
    offsets: Vec<usize>,
    data: &'a [u8],
}

impl<'a> Index<'a> {
    /// The INDEX at `at`, and where the next structure starts.
    fn parse(table: &'a [u8], at: usize) -> Result<(Index<'a>, usize), Unsupported> {
        let damaged = || Unsupported("INDEX 损坏");
        let count = usize::from(read_u16(table, at).ok_or_else(damaged)?);
        if count == 0 {
            let index = Index {
                start: at,
                offsets: vec![1],
                data: &[],
            };
            return Ok((index, at + 2));
        }
        let off_size = usize::from(*table.get(at + 2).ok_or_else(damaged)?);
        if !(1..=4).contains(&off_size) {
            return Err(damaged());
        }
        let offsets_at = at + 3;
        let data_at = offsets_at + (count + 1) * off_size - 1;
        let mut offsets = Vec::with_capacity(count + 1);
        for i in 0..=count {
            let p = offsets_at + i * off_size;
            let bytes = table.get(p..p + off_size).ok_or_else(damaged)?;
            let v = bytes.iter().fold(0usize, |v, b| v << 8 | usize::from(*b));
            offsets.push(v);
        }
        if offsets.windows(2).any(|w| w[0] > w[1]) || offsets[0] != 1 {
            return Err(damaged());
        }
        // Offsets count from the byte before the data, so the first item starts at offset 1.
        let end = data_at + offsets[count];
        let data = table.get(data_at + 1..end).ok_or_else(damaged)?;
        let index = Index {
            start: at,
            offsets,
            data,
        };
        Ok((index, end))
    }

    fn count(&self) -> usize {
        self.offsets.len() - 1
    }

    fn get(&self, i: usize) -> Option<&'a [u8]> {
        let a = *self.offsets.get(i)? - 1;
        let b = *self.offsets.get(i + 1)? - 1;
        self.data.get(a..b)
    }
}

/// The size of an INDEX holding `items` (offset size 4 when they need it; see [`write_index`]).
fn index_len(items: &[&[u8]]) -> usize {
    if items.is_empty() {
        return 2;
    }
    let data: usize = items.iter().map(|i| i.len()).sum();
    let off_size = off_size_for(data + 1);
    3 + (items.len() + 1) * off_size + data
}

fn off_size_for(max_offset: usize) -> usize {
    match max_offset {
        0..=0xFF => 1,
        0x100..=0xFFFF => 2,
        0x1_0000..=0xFF_FFFF => 3,
        _ => 4,
    }
}

fn write_index(out: &mut Vec<u8>, items: &[&[u8]]) {
    out.extend_from_slice(&(items.len() as u16).to_be_bytes());
    if items.is_empty() {
        return;
    }
    let data: usize = items.iter().map(|i| i.len()).sum();
    let off_size = off_size_for(data + 1);
    out.push(off_size as u8);
    let mut offset = 1usize;
    let put = |out: &mut Vec<u8>, v: usize| {
        out.extend_from_slice(&(v as u32).to_be_bytes()[4 - off_size..]);
    };
    put(out, offset);
    for item in items {
        offset += item.len();
        put(out, offset);
    }
    for item in items {
        out.extend_from_slice(item);
    }
}

/// FDSelect of the original font: format 0 (one byte a glyph) or 3 (ranges).
enum FdSelect<'a> {
    Format0(&'a [u8]),
    Format3(Vec<(u16, u8)>, u16),
}

impl<'a> FdSelect<'a> {
    fn parse(data: &'a [u8], at: usize, glyphs: usize) -> Result<FdSelect<'a>, Unsupported> {
        let damaged = || Unsupported("FDSelect 损坏");
        match data.get(at) {
            Some(0) => Ok(FdSelect::Format0(
                data.get(at + 1..at + 1 + glyphs).ok_or_else(damaged)?,
            )),
            Some(3) => {
                let n = usize::from(read_u16(data, at + 1).ok_or_else(damaged)?);
                let mut ranges = Vec::with_capacity(n);
                for i in 0..n {
                    let p = at + 3 + i * 3;
                    let first = read_u16(data, p).ok_or_else(damaged)?;
                    let fd = *data.get(p + 2).ok_or_else(damaged)?;
                    ranges.push((first, fd));
                }
                let sentinel = read_u16(data, at + 3 + n * 3).ok_or_else(damaged)?;
                Ok(FdSelect::Format3(ranges, sentinel))
            }
            _ => Err(Unsupported("不认识的 FDSelect 格式")),
        }
    }

    fn fd(&self, glyph: u16) -> Option<u8> {
        match self {
            FdSelect::Format0(fds) => fds.get(usize::from(glyph)).copied(),
            FdSelect::Format3(ranges, sentinel) => {
                if glyph >= *sentinel {
                    return None;
                }
                let i = ranges.partition_point(|(first, _)| *first <= glyph);
                i.checked_sub(1).map(|i| ranges[i].1)
            }
        }
    }
}

/// FDSelect format 3 for the subset: one range per run of glyphs with the same Font DICT.
fn write_fd_select(out: &mut Vec<u8>, fds: &[u8]) {
    let mut ranges: Vec<(u16, u8)> = Vec::new();
    for (gid, &fd) in fds.iter().enumerate() {
        if ranges.last().is_none_or(|(_, last)| *last != fd) {
            ranges.push((gid as u16, fd));
        }
    }
    out.push(3);
    out.extend_from_slice(&(ranges.len() as u16).to_be_bytes());
    for (first, fd) in ranges {
        out.extend_from_slice(&first.to_be_bytes());
        out.push(fd);
    }
    out.extend_from_slice(&(fds.len() as u16).to_be_bytes());
}

/// One DICT entry: its operator (two-byte operators as 1200 + second byte), its integer
/// operands (reals are kept only as raw bytes) and its raw bytes, operands included.
#[derive(Debug, Clone)]
struct Entry {
    op: u16,
    ints: Vec<Option<i32>>,
    raw: Vec<u8>,
}

impl Entry {
    fn int(&self, i: usize) -> Option<i32> {
        self.ints.get(i).copied().flatten()
    }
}

/// The entries of a DICT (5176, section 4). Bounded by the DICT's bytes: every step consumes at
/// least one byte.
fn parse_dict(dict: &[u8]) -> Result<Vec<Entry>, Unsupported> {
    let damaged = || Unsupported("DICT 损坏");
    let mut entries = Vec::new();
    let mut ints = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < dict.len() {
        let b0 = dict[i];
        let (value, len) = match b0 {
            0..=21 => {
                let (op, len) = if b0 == 12 {
                    (1200 + u16::from(*dict.get(i + 1).ok_or_else(damaged)?), 2)
                } else {
                    (u16::from(b0), 1)
                };
                i += len;
                entries.push(Entry {
                    op,
                    ints: std::mem::take(&mut ints),
                    raw: dict[start..i].to_vec(),
                });
                start = i;
                continue;
            }
            28 => (read_u16(dict, i + 1).map(|v| v as i16 as i32), 3),
            29 => (
                dict.get(i + 1..i + 5)
                    .map(|b| i32::from_be_bytes([b[0], b[1], b[2], b[3]])),
                5,
            ),
            30 => (None, real_len(&dict[i..]).ok_or_else(damaged)?),
            32..=246 => (Some(i32::from(b0) - 139), 1),
            247..=250 => {
                let b1 = i32::from(*dict.get(i + 1).ok_or_else(damaged)?);
                (Some((i32::from(b0) - 247) * 256 + b1 + 108), 2)
            }
            251..=254 => {
                let b1 = i32::from(*dict.get(i + 1).ok_or_else(damaged)?);
                (Some(-(i32::from(b0) - 251) * 256 - b1 - 108), 2)
            }
            _ => return Err(damaged()),
        };
        if i + len > dict.len() || (b0 != 30 && value.is_none()) {
            return Err(damaged());
        }
        ints.push(value);
        i += len;
    }
    Ok(entries)
}

/// The length of a real operand (nibbles up to and including the `f` end nibble).
fn real_len(bytes: &[u8]) -> Option<usize> {
    let end = bytes
        .iter()
        .skip(1)
        .position(|b| b >> 4 == 0xf || b & 0xf == 0xf)?;
    Some(end + 2)
}

fn read_u16(data: &[u8], at: usize) -> Option<u16> {
    data.get(at..at + 2)
        .map(|b| u16::from_be_bytes([b[0], b[1]]))
}

/// An integer operand in its 5-byte form, so that its size does not depend on its value.
fn put_int(out: &mut Vec<u8>, v: i32) {
    out.push(29);
    out.extend_from_slice(&v.to_be_bytes());
}

fn put_op(out: &mut Vec<u8>, op: u16) {
    if op >= 1200 {
        out.extend_from_slice(&[12, (op - 1200) as u8]);
    } else {
        out.push(op as u8);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::fonts::FontSet;

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

    fn outline(table: &ttf_parser::cff::Table<'_>, gid: u16) -> String {
        let mut t = Trace::default();
        let _ = table.outline(ttf_parser::GlyphId(gid), &mut t);
        t.0
    }

    #[test]
    fn every_shipped_face_subsets_to_the_same_outlines() {
        let fonts = FontSet::bundled();
        for face in fonts.faces() {
            let original = face.parse().expect("a shipped face parses");
            let cff = original.tables().cff.expect("Fandol is CFF");
            // .notdef, the glyphs of some characters, and the face's last glyph.
            let mut glyphs = vec![0u16];
            for ch in "绩效自评报告，一二三〇".chars() {
                glyphs.push(original.glyph_index(ch).expect("a glyph").0);
            }
            glyphs.push(original.number_of_glyphs() - 1);
            let bytes = subset(face.data(), face.index(), &glyphs, Hints::Keep)
                .unwrap_or_else(|e| panic!("{}: {e}", face.name()));
            let sub = ttf_parser::cff::Table::parse(&bytes).expect("the subset parses");
            assert_eq!(sub.number_of_glyphs() as usize, glyphs.len());
            for (new, &old) in glyphs.iter().enumerate() {
                assert_eq!(
                    outline(&sub, new as u16),
                    outline(&cff, old),
                    "{} {old}",
                    face.name()
                );
            }
            assert!(
                bytes.len() < 40_000,
                "{} bytes for a dozen glyphs",
                bytes.len()
            );
        }
    }

    #[test]
    fn a_font_file_without_hints_keeps_outlines_and_advances() {
        let fonts = FontSet::bundled();
        let mut saved = 0;
        for face in fonts.faces() {
            let original = face.parse().expect("a shipped face parses");
            let mut glyphs = vec![0u16];
            for ch in "部门绩效自评工作报告（一）１２３".chars() {
                glyphs.push(original.glyph_index(ch).expect("a glyph").0);
            }
            let hinted = subset(face.data(), face.index(), &glyphs, Hints::Keep).unwrap();
            let otf = subset_otf(face.data(), face.index(), &glyphs, Hints::Strip).unwrap();
            let sub = ttf_parser::Face::parse(&otf, 0).expect("the subset font parses");
            assert_eq!(sub.number_of_glyphs() as usize, glyphs.len());
            let (cff, sub_cff) = (original.tables().cff.unwrap(), sub.tables().cff.unwrap());
            for (new, &old) in glyphs.iter().enumerate() {
                let (new_id, old_id) = (ttf_parser::GlyphId(new as u16), ttf_parser::GlyphId(old));
                assert_eq!(
                    sub.glyph_hor_advance(new_id),
                    original.glyph_hor_advance(old_id)
                );
                assert_eq!(outline(&sub_cff, new as u16), outline(&cff, old));
            }
            let stripped = subset(face.data(), face.index(), &glyphs, Hints::Strip).unwrap();
            // FandolSong-Regular has no hints; the others lose theirs.
            assert!(stripped.len() <= hinted.len(), "{}", face.name());
            saved += hinted.len() - stripped.len();
            assert_eq!(checksum(&otf), 0xB1B0_AFBA, "{}", face.name());
        }
        assert!(saved > 0, "hints were taken out");
    }

    #[test]
    fn the_general_routes_fonts_lose_their_hints_and_keep_their_outlines() {
        let fonts = FontSet::bundled();
        let face = &fonts.faces()[0];
        let original = face.parse().unwrap();
        let glyphs: Vec<u16> = "绩效评价"
            .chars()
            .map(|c| original.glyph_index(c).unwrap().0)
            .collect();
        let remapper = subsetter::GlyphRemapper::new_from_glyphs(&glyphs);
        let otf = subsetter::subset(face.data(), face.index(), &remapper).unwrap();
        let stripped = strip_hints_otf(&otf).expect("subsetter writes CFF this reads");
        assert!(stripped.len() < otf.len());
        let (a, b) = (
            ttf_parser::Face::parse(&otf, 0).unwrap(),
            ttf_parser::Face::parse(&stripped, 0).unwrap(),
        );
        let (a, b) = (a.tables().cff.unwrap(), b.tables().cff.unwrap());
        for gid in 0..=glyphs.len() as u16 {
            assert_eq!(outline(&a, gid), outline(&b, gid));
        }
    }

    #[test]
    fn out_of_range_glyphs_and_garbage_are_errors_not_panics() {
        let fonts = FontSet::bundled();
        let face = &fonts.faces()[0];
        assert!(subset(face.data(), face.index(), &[0, u16::MAX], Hints::Keep).is_err());
        assert!(subset(b"not a font", 0, &[0], Hints::Strip).is_err());
        let mut cut = face.data().to_vec();
        cut.truncate(cut.len() / 2);
        let _ = subset(&cut, 0, &[0, 1, 2], Hints::Strip);
        let _ = subset_otf(&cut, 0, &[0, 1, 2], Hints::Strip);
        assert!(strip_hints_otf(b"OTTO").is_none());
    }

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
    fn dict_numbers_decode() {
        let d = parse_dict(&[139, 247, 0, 251, 0, 28, 0x12, 0x34, 29, 0, 1, 0, 0, 17]).unwrap();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].op, CHAR_STRINGS);
        assert_eq!(
            d[0].ints,
            vec![Some(0), Some(108), Some(-108), Some(0x1234), Some(0x10000)]
        );
        let real = parse_dict(&[30, 0x1a, 0x2f, 12, 7]).unwrap();
        assert_eq!(real[0].op, 1207);
        assert_eq!(real[0].ints, vec![None]);
    }
}
