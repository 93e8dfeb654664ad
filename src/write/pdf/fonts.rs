//! Font subsets: which glyphs each face needs, subset programs with our own subset tags, and the
//! width tables printpdf writes for them.
//!
//! `subsetter` rewrites CFF fonts (all of Fandol) as CID-keyed CFF with CID = new glyph id, and
//! printpdf embeds such a program as a bare `CIDFontType0C` stream whose codes are those CIDs, so
//! content, `/W` widths and `/ToUnicode` all agree by construction. The subset tag (`ABCDEF+`)
//! is ours (a hash of the face and its glyphs): printpdf only writes one when it subset the font
//! itself.

use std::collections::BTreeMap;

use printpdf::{FontId, ParsedFont, PdfDocument, PdfFont};

use super::PdfError;
use crate::layout::fonts::{FaceId, FontSet};
use crate::layout::Layout;
use crate::write::cff;
use crate::write::hash::Fnv;

/// A registered subset: its resource name and the old → new glyph id map.
pub(super) type Subsets = BTreeMap<FaceId, (FontId, subsetter::GlyphRemapper)>;

/// Which glyphs each face needs, and the character each one stands for.
fn used_glyphs(layout: &Layout) -> BTreeMap<FaceId, BTreeMap<u16, char>> {
    let mut used: BTreeMap<FaceId, BTreeMap<u16, char>> = BTreeMap::new();
    for page in &layout.pages {
        for line in &page.lines {
            for g in &line.glyphs {
                used.entry(g.face).or_default().entry(g.gid).or_insert(g.ch);
            }
        }
    }
    used
}

/// Subsets every face `layout` uses and registers it with `pdf` as `F<face>`.
pub(super) fn register(
    pdf: &mut PdfDocument,
    layout: &Layout,
    fonts: &FontSet,
) -> Result<Subsets, PdfError> {
    let mut remaps = Subsets::new();
    for (face_id, glyphs) in &used_glyphs(layout) {
        let face = fonts.face(*face_id);
        let mut remapper = subsetter::GlyphRemapper::new();
        for gid in glyphs.keys() {
            remapper.remap(*gid);
        }
        let subset = subset_face(face, glyphs, &remapper)?;
        let mut font_warnings = Vec::new();
        let mut parsed =
            ParsedFont::from_bytes(&subset, 0, &mut font_warnings).ok_or_else(|| {
                PdfError::SubsetUnreadable {
                    face: face.name().to_string(),
                }
            })?;
        let mut tag_hash = Fnv::new();
        tag_hash.write(face.name().as_bytes());
        for gid in glyphs.keys() {
            tag_hash.write(&gid.to_be_bytes());
        }
        parsed.font_name = Some(format!("{}+{}", subset_tag(tag_hash.finish()), face.name()));
        let id = FontId(format!("F{}", face_id.0));
        pdf.resources
            .fonts
            .map
            .insert(id.clone(), PdfFont::new(parsed));
        remaps.insert(*face_id, (id, remapper));
    }
    Ok(remaps)
}

/// The subset font file of `face` for `glyphs`, numbered as `remapper` numbers them.
///
/// The fonts we ship (and any CID-keyed CFF font without subroutines) take the fast path of
/// [`crate::write::cff`]: charstrings copied without their hints, a tenth of the time of the
/// general route and no pass over the result afterwards. Other fonts (TrueType, or CFF with
/// subroutines, which a `--font` may bring) go through the `subsetter` crate, whose CFF output
/// has its hints taken out the same way afterwards.
fn subset_face(
    face: &crate::layout::fonts::Face,
    glyphs: &BTreeMap<u16, char>,
    remapper: &subsetter::GlyphRemapper,
) -> Result<Vec<u8>, PdfError> {
    let order: Vec<u16> = remapper.remapped_gids().collect();
    debug_assert_eq!(
        order.len(),
        glyphs.len() + usize::from(!glyphs.contains_key(&0))
    );
    if let Ok(otf) = cff::subset_otf(face.data(), face.index(), &order, cff::Hints::Strip) {
        return Ok(otf);
    }
    let otf =
        subsetter::subset(face.data(), face.index(), remapper).map_err(|e| PdfError::Subset {
            face: face.name().to_string(),
            reason: e.to_string(),
        })?;
    Ok(cff::strip_hints_otf(&otf).unwrap_or(otf))
}

/// A glyph's advance as printpdf writes it into `/W` (1/1000 em, truncated), so the TJ numbers
/// computed against it put every glyph exactly where the layout did.
pub(super) fn pdf_width(face: Option<&ttf_parser::Face<'_>>, gid: u16) -> i64 {
    let Some(face) = face else { return 1000 };
    let upm = face.units_per_em().max(1) as f32;
    face.glyph_hor_advance(ttf_parser::GlyphId(gid))
        .map(|w| (w as f32 * 1000.0 / upm) as i64)
        .unwrap_or(0)
}

/// Drops from every CID font's `/W` array the glyphs whose width is the default `/DW` (1000,
/// every CJK glyph): printpdf lists all of them, which for the body face is a few kilobytes of
/// `1000`s that say nothing.
pub(super) fn trim_widths(doc: &mut lopdf::Document) {
    use lopdf::Object;
    for obj in doc.objects.values_mut() {
        let Ok(dict) = obj.as_dict_mut() else {
            continue;
        };
        let Ok(Object::Array(descendants)) = dict.get_mut(b"DescendantFonts") else {
            continue;
        };
        for d in descendants.iter_mut() {
            let Ok(cid) = d.as_dict_mut() else { continue };
            let dw = cid.get(b"DW").and_then(|o| o.as_i64()).unwrap_or(1000);
            let Ok(Object::Array(w)) = cid.get(b"W") else {
                continue;
            };
            if let Some(pairs) = widths_not_default(w, dw) {
                cid.set("W", Object::Array(width_runs(pairs)));
            }
        }
    }
}

/// The `(cid, width)` pairs of a `/W` array in the `c [w1 w2 …]` form (what printpdf writes)
/// whose width is not `dw`; `None` for any other form.
fn widths_not_default(w: &[lopdf::Object], dw: i64) -> Option<Vec<(i64, lopdf::Object)>> {
    use lopdf::Object;
    let mut pairs = Vec::new();
    let mut it = w.iter();
    while let Some(first) = it.next() {
        let (Ok(c), Some(Object::Array(ws))) = (first.as_i64(), it.next()) else {
            return None;
        };
        for (k, wv) in ws.iter().enumerate() {
            let keep = match wv {
                Object::Integer(v) => *v != dw,
                Object::Real(v) => (*v as f64 - dw as f64).abs() > 1e-6,
                _ => true,
            };
            if keep {
                pairs.push((c + k as i64, wv.clone()));
            }
        }
    }
    Some(pairs)
}

/// `(cid, width)` pairs in ascending order as a `/W` array of consecutive runs.
fn width_runs(pairs: Vec<(i64, lopdf::Object)>) -> Vec<lopdf::Object> {
    use lopdf::Object;
    let mut out = Vec::new();
    let mut run: Vec<Object> = Vec::new();
    let mut run_start = 0i64;
    let mut next = i64::MIN;
    for (c, wv) in pairs {
        if c != next && !run.is_empty() {
            out.push(Object::Integer(run_start));
            out.push(Object::Array(std::mem::take(&mut run)));
        }
        if run.is_empty() {
            run_start = c;
        }
        run.push(wv);
        next = c + 1;
    }
    if !run.is_empty() {
        out.push(Object::Integer(run_start));
        out.push(Object::Array(run));
    }
    out
}

/// Six capital letters for a subset tag (ISO 32000-1 9.6.4), from a hash.
fn subset_tag(hash: u64) -> String {
    let mut h = hash;
    (0..6)
        .map(|_| {
            let c = (b'A' + (h % 26) as u8) as char;
            h /= 26;
            c
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subset_tags_are_six_capitals() {
        let t = subset_tag(0x1234_5678_9abc_def0);
        assert_eq!(t.len(), 6);
        assert!(t.chars().all(|c| c.is_ascii_uppercase()));
        assert_ne!(subset_tag(1), subset_tag(2));
    }

    #[test]
    fn default_widths_are_dropped_and_runs_rejoined() {
        use lopdf::Object::{Array, Integer};
        let w = vec![
            Integer(1),
            Array(vec![
                Integer(500),
                Integer(1000),
                Integer(250),
                Integer(300),
            ]),
        ];
        let pairs = widths_not_default(&w, 1000).unwrap();
        let runs = width_runs(pairs);
        assert_eq!(
            runs,
            vec![
                Integer(1),
                Array(vec![Integer(500)]),
                Integer(3),
                Array(vec![Integer(250), Integer(300)]),
            ]
        );
        assert!(widths_not_default(&[Integer(1), Integer(2)], 1000).is_none());
    }
}
