//! The embedded fonts: a subset of every face the pages use, with its `cmap` kept.
//!
//! An OFD `TextCode` holds Unicode text, not glyph ids. A reader draws it by looking each
//! character up in the embedded font's `cmap` — unless a `CGTransform` lists glyph ids for every
//! run. The PDF writer's subsets (made with `subsetter`) drop the cmap, because a PDF carries
//! its own code-to-glyph mapping; embedded in an OFD such a subset draws nothing, or readers
//! substitute a system font. Two ways out: write a `CGTransform` for every text object (twice
//! the XML, and readers differ in how well they support it), or subset with the cmap kept. We do
//! the second, with `allsorts` (already in the build through printpdf): profile `Minimal` keeps
//! `cmap` (rebuilt as a Unicode cmap for the kept glyphs), `OS/2`, `hhea`, `name` and `post`, so
//! the subset is a complete OpenType font that any reader (and fontTools) accepts. The only
//! `CGTransform`s written are for characters no font has (glyph 0, drawn as the `.notdef` box
//! like the PDF does), which no cmap can map.
//!
//! The fonts we ship take a faster route: [`crate::write::cff`] copies their charstrings (hints
//! left out, as in the PDF) into a font file that carries a cmap we build in the subset's glyph
//! numbering. Other fonts go through allsorts as follows.
//!
//! The subsetter is handed the face with its cmap replaced by one we build from the laid-out
//! glyphs (character → glyph, exactly the pairs the pages use): allsorts finds the mappings to
//! keep by testing every mapping of the source cmap against the kept glyphs, which for a CJK
//! face (30 000 mappings × hundreds of glyphs) was half the subsetting time. The subset's cmap
//! is then exactly the text's characters.
//!
//! `FontName` is the face's *family* name: the typographic family (name ID 16) when the font
//! has one, else name ID 1 — `FandolFang`, not `FandolFang R` (ID 1) or `FandolFang-Regular`
//! (the PostScript name). Readers that resolve fonts by name (ofdrw-rs via fontdb) substitute a
//! system font otherwise, even with the font file right there. The style is given by the
//! `Bold` and `Italic` attributes.
//!
//! Fake bold: the PDF strokes the outline (0.03 em) for text the layout marks bold, and so can
//! OFD (`Stroke="true"`), but not every reader draws strokes on text (sofd's renderer does not).
//! So where the font set has a real bold face of the same family that has the character, the
//! glyph is set in that face instead; only the rest is stroked.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use crate::write::cff;
use allsorts::binary::read::ReadScope;
use allsorts::error::ParseError;
use allsorts::font_data::FontData;
use allsorts::subset::{subset, CmapTarget, SubsetProfile};
use allsorts::tables::FontTableProvider;

use super::ids::Ids;
use super::OfdError;
use crate::layout::fonts::{Face, FaceId, FontSet};
use crate::layout::{Glyph, Layout};

/// One embedded font resource.
#[derive(Debug, Clone)]
pub struct EmbeddedFont {
    /// The resource ID that `TextObject`s refer to.
    pub id: u32,
    /// The face it is a subset of.
    pub face: FaceId,
    /// The family name (`FontName` and `FamilyName`).
    pub family: String,
    /// The face is bold (its own weight, not fake bold).
    pub bold: bool,
    /// The face is italic.
    pub italic: bool,
    /// File name inside the resource folder, e.g. `font_1.otf`.
    pub file: String,
    /// The subset font program.
    pub data: Vec<u8>,
    /// The face's glyph bounding box (`head`), in em: x min, y min, x max, y max (y up). Every
    /// glyph's ink is inside it, so a text object's Boundary built from it never clips.
    pub bbox_em: [f32; 4],
}

/// Where each glyph of the pages is drawn from.
#[derive(Debug)]
pub struct Embedded {
    /// The fonts, in the order of their IDs.
    pub fonts: Vec<EmbeddedFont>,
    by_face: BTreeMap<FaceId, usize>,
    /// (face, char) of a fake-bold glyph → (bold face of the same family, its glyph id).
    bold: HashMap<(FaceId, char), (FaceId, u16)>,
}

/// How one glyph is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Drawn {
    /// The face whose subset draws it.
    pub face: FaceId,
    /// The glyph id in that (full) face; 0 means no font has the character.
    pub gid: u16,
    /// Draw with a stroked outline (fake bold: no real bold face has the character).
    pub stroke: bool,
}

impl Embedded {
    /// How `g` is drawn: in a real bold face when it is bold and one exists, else as laid out.
    pub fn drawn(&self, g: &Glyph) -> Drawn {
        if g.bold {
            if let Some(&(face, gid)) = self.bold.get(&(g.face, g.ch)) {
                return Drawn {
                    face,
                    gid,
                    stroke: false,
                };
            }
        }
        Drawn {
            face: g.face,
            gid: g.gid,
            stroke: g.bold,
        }
    }

    /// The embedded font of a face (every face [`Embedded::drawn`] returns has one).
    pub fn font(&self, face: FaceId) -> Option<&EmbeddedFont> {
        self.by_face.get(&face).map(|&i| &self.fonts[i])
    }
}

/// Names and style of a face, read from its tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaceStyle {
    /// Typographic family (name ID 16), else family (ID 1), else the PostScript name.
    pub family: String,
    /// Bold: OS/2 bold bit, weight ≥ 600, or a subfamily name that says so.
    pub bold: bool,
    /// Italic (OS/2 italic bit).
    pub italic: bool,
}

/// The style of `face`.
pub fn face_style(face: &Face) -> FaceStyle {
    let Some(parsed) = face.parse() else {
        return FaceStyle {
            family: face.name().to_string(),
            bold: false,
            italic: false,
        };
    };
    let family = name(&parsed, ttf_parser::name_id::TYPOGRAPHIC_FAMILY)
        .or_else(|| name(&parsed, ttf_parser::name_id::FAMILY))
        .unwrap_or_else(|| face.name().to_string());
    let subfamily = name(&parsed, ttf_parser::name_id::TYPOGRAPHIC_SUBFAMILY)
        .or_else(|| name(&parsed, ttf_parser::name_id::SUBFAMILY))
        .unwrap_or_default();
    let bold = parsed.is_bold()
        || parsed.weight().to_number() >= 600
        || subfamily.to_ascii_lowercase().contains("bold");
    FaceStyle {
        family,
        bold,
        italic: parsed.is_italic(),
    }
}

/// A name of the font: the US English Windows entry when there is one, else the first entry
/// with that ID that decodes.
fn name(face: &ttf_parser::Face<'_>, id: u16) -> Option<String> {
    let names = face.names();
    let entries = || names.into_iter().filter(move |n| n.name_id == id);
    entries()
        .filter(|n| n.language_id == 0x0409)
        .find_map(|n| n.to_string())
        .or_else(|| entries().find_map(|n| n.to_string()))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Subsets every face the pages use and numbers the fonts.
pub fn embed(layout: &Layout, fonts: &FontSet, ids: &mut Ids) -> Result<Embedded, OfdError> {
    let styles: Vec<FaceStyle> = fonts.faces().iter().map(face_style).collect();
    let parsed: Vec<Option<ttf_parser::Face<'_>>> =
        fonts.faces().iter().map(|f| f.parse()).collect();

    // 1. The real bold face, if any, of each face that has fake-bold text.
    let mut twin: BTreeMap<FaceId, Option<FaceId>> = BTreeMap::new();
    let mut bold = HashMap::new();
    // Per face: character → glyph id.
    let mut used: BTreeMap<FaceId, BTreeMap<char, u16>> = BTreeMap::new();
    for g in layout
        .pages
        .iter()
        .flat_map(|p| &p.lines)
        .flat_map(|l| &l.glyphs)
    {
        if g.bold {
            let t = *twin.entry(g.face).or_insert_with(|| {
                let own = &styles[g.face.0 as usize];
                (0..styles.len())
                    .find(|&i| styles[i].bold && !own.bold && styles[i].family == own.family)
                    .map(|i| FaceId(i as u16))
            });
            let found = t.and_then(|t| {
                let gid = parsed[t.0 as usize].as_ref()?.glyph_index(g.ch)?.0;
                (gid != 0).then_some((t, gid))
            });
            if let Some((t, gid)) = found {
                bold.insert((g.face, g.ch), (t, gid));
                used.entry(t).or_default().insert(g.ch, gid);
                continue;
            }
        }
        used.entry(g.face).or_default().insert(g.ch, g.gid);
    }

    // 2. One subset per face, in face order.
    let mut out = Vec::with_capacity(used.len());
    let mut by_face = BTreeMap::new();
    for (face_id, chars) in &used {
        let face = fonts.face(*face_id);
        let data = subset_face(face, chars)?;
        let style = &styles[face_id.0 as usize];
        let id = ids.allocate();
        let ext = if data.get(..4) == Some(b"OTTO") {
            "otf"
        } else {
            "ttf"
        };
        let bbox_em = parsed[face_id.0 as usize]
            .as_ref()
            .map(|p| {
                let b = p.global_bounding_box();
                let upm = p.units_per_em().max(1) as f32;
                [
                    b.x_min as f32 / upm,
                    b.y_min as f32 / upm,
                    b.x_max as f32 / upm,
                    b.y_max as f32 / upm,
                ]
            })
            .unwrap_or([0.0, -0.2, 1.0, 1.0]);
        by_face.insert(*face_id, out.len());
        out.push(EmbeddedFont {
            id,
            face: *face_id,
            family: style.family.clone(),
            bold: style.bold,
            italic: style.italic,
            file: format!("font_{id}.{ext}"),
            data,
            bbox_em,
        });
    }
    Ok(Embedded {
        fonts: out,
        by_face,
        bold,
    })
}

/// A subset of `face` with glyph 0 and the glyphs of `chars`, whose cmap maps exactly those
/// characters (glyph 0 — a character no font has — is left out of the cmap), with OS/2 kept.
pub fn subset_face(face: &Face, chars: &BTreeMap<char, u16>) -> Result<Vec<u8>, OfdError> {
    let err = |reason: String| OfdError::Subset {
        face: face.name().to_string(),
        reason,
    };
    if let Some(otf) = subset_fast(face, chars) {
        return Ok(otf);
    }
    let scope = ReadScope::new(face.data());
    let data = scope
        .read::<FontData<'_>>()
        .map_err(|e| err(e.to_string()))?;
    let provider = data
        .table_provider(face.index() as usize)
        .map_err(|e| err(e.to_string()))?;
    let mapped: BTreeMap<char, u16> = chars
        .iter()
        .filter(|(_, &g)| g != 0)
        .map(|(&c, &g)| (c, g))
        .collect();
    let provider = WithCmap {
        inner: provider,
        cmap: cmap_format12(&mapped),
    };
    // Glyph 0 first (the subsetter requires it), then the rest in order, without duplicates.
    let mut glyphs: Vec<u16> = mapped.values().copied().collect();
    glyphs.sort_unstable();
    glyphs.dedup();
    glyphs.insert(0, 0);
    subset(
        &provider,
        &glyphs,
        &SubsetProfile::Minimal,
        CmapTarget::Unicode,
    )
    .map_err(|e| err(e.to_string()))
}

/// The subset of [`subset_face`] by the fast path the PDF writer takes ([`crate::write::cff`]:
/// charstrings copied, hints left out) with a cmap in the subset's numbering; `None` for a face
/// that path does not take (TrueType, or CFF with subroutines), which allsorts then subsets.
fn subset_fast(face: &Face, chars: &BTreeMap<char, u16>) -> Option<Vec<u8>> {
    let mut glyphs: Vec<u16> = chars.values().copied().filter(|&g| g != 0).collect();
    glyphs.sort_unstable();
    glyphs.dedup();
    glyphs.insert(0, 0);
    let renumbered: BTreeMap<char, u16> = chars
        .iter()
        .filter(|(_, &g)| g != 0)
        .filter_map(|(&c, g)| Some((c, glyphs[1..].binary_search(g).ok()? as u16 + 1)))
        .collect();
    let cmap = cmap_format12(&renumbered);
    cff::subset_otf_with(
        face.data(),
        face.index(),
        &glyphs,
        cff::Hints::Strip,
        vec![(b"cmap", cmap)],
    )
    .ok()
}

/// A face whose `cmap` is replaced.
struct WithCmap<P> {
    inner: P,
    cmap: Vec<u8>,
}

impl<P: FontTableProvider> FontTableProvider for WithCmap<P> {
    fn table_data(&self, tag: u32) -> Result<Option<Cow<'_, [u8]>>, ParseError> {
        if tag == allsorts::tag::CMAP {
            Ok(Some(Cow::Borrowed(&self.cmap)))
        } else {
            self.inner.table_data(tag)
        }
    }

    fn has_table(&self, tag: u32) -> bool {
        tag == allsorts::tag::CMAP || self.inner.has_table(tag)
    }

    fn table_tags(&self) -> Option<Vec<u32>> {
        let mut tags = self.inner.table_tags()?;
        if !tags.contains(&allsorts::tag::CMAP) {
            tags.push(allsorts::tag::CMAP);
        }
        Some(tags)
    }
}

/// A `cmap` table with one Windows Unicode (UCS-4) format 12 subtable for `map`, runs of
/// consecutive characters on consecutive glyphs as one group.
fn cmap_format12(map: &BTreeMap<char, u16>) -> Vec<u8> {
    let mut groups: Vec<(u32, u32, u32)> = Vec::new();
    for (&c, &g) in map {
        let (c, g) = (c as u32, g as u32);
        match groups.last_mut() {
            Some(last) if last.1 + 1 == c && last.2 + (c - last.0) == g => last.1 = c,
            _ => groups.push((c, c, g)),
        }
    }
    let len = 16 + 12 * groups.len() as u32;
    let mut out = Vec::with_capacity(12 + len as usize);
    let mut put = |v: &[u8]| out.extend_from_slice(v);
    put(&0u16.to_be_bytes()); // version
    put(&1u16.to_be_bytes()); // one subtable
    put(&3u16.to_be_bytes()); // platform: Windows
    put(&10u16.to_be_bytes()); // encoding: Unicode full repertoire
    put(&12u32.to_be_bytes()); // offset
    put(&12u16.to_be_bytes()); // format
    put(&0u16.to_be_bytes());
    put(&len.to_be_bytes());
    put(&0u32.to_be_bytes()); // language
    put(&(groups.len() as u32).to_be_bytes());
    for (start, end, glyph) in groups {
        put(&start.to_be_bytes());
        put(&end.to_be_bytes());
        put(&glyph.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn font_names_are_typographic_families() {
        let set = FontSet::bundled();
        let fams: Vec<(String, bool)> = set
            .faces()
            .iter()
            .map(face_style)
            .map(|s| (s.family, s.bold))
            .collect();
        assert_eq!(fams[0], ("FandolFang".to_string(), false));
        assert_eq!(fams[1], ("FandolSong".to_string(), false));
        assert_eq!(fams[2], ("FandolSong".to_string(), true));
        assert_eq!(fams[3].0, "FandolHei");
        assert_eq!(fams[4].0, "FandolKai");
    }

    #[test]
    fn subset_keeps_the_cmap_of_the_kept_glyphs() {
        let set = FontSet::bundled();
        let face = set.face(FaceId(0));
        let full = face.parse().unwrap();
        let chars = ['绩', '效', '7', '，'];
        let map: BTreeMap<char, u16> = chars
            .iter()
            .map(|c| (*c, full.glyph_index(*c).unwrap().0))
            .collect();
        let data = subset_face(face, &map).unwrap();
        assert!(data.len() < 40_000, "{} bytes", data.len());
        let sub = ttf_parser::Face::parse(&data, 0).unwrap();
        assert_eq!(sub.number_of_glyphs() as usize, map.len() + 1);
        for c in chars {
            let g = sub.glyph_index(c).expect("char in the subset's cmap");
            // Same advance as in the full face: the same glyph.
            let orig = full.glyph_index(c).unwrap();
            assert_eq!(sub.glyph_hor_advance(g), full.glyph_hor_advance(orig));
        }
        assert!(sub.glyph_index('财').is_none());
        assert!(sub.tables().os2.is_some());
    }

    #[test]
    fn cmap_groups_runs_of_consecutive_characters_and_glyphs() {
        let map: BTreeMap<char, u16> = [('0', 10), ('1', 11), ('2', 12), ('4', 14), ('中', 99)]
            .into_iter()
            .collect();
        let cmap = cmap_format12(&map);
        // Header (4) + record (8) + subtable header (16) + three groups.
        assert_eq!(cmap.len(), 12 + 16 + 3 * 12);
        let table = ttf_parser::cmap::Table::parse(&cmap).unwrap();
        let sub = table.subtables.into_iter().next().unwrap();
        for (c, g) in &map {
            assert_eq!(sub.glyph_index(*c as u32).map(|g| g.0), Some(*g), "{c}");
        }
        assert_eq!(sub.glyph_index('3' as u32), None);
    }

    /// Bold text in FandolSong (regular) is drawn from FandolSong-Bold, not stroked; bold text
    /// in FandolFang, which has no bold face in the set, is stroked.
    #[test]
    fn fake_bold_uses_a_real_bold_face_of_the_family() {
        use crate::layout::fonts::Role;
        use crate::layout::{Line, LineKind, Page};
        let set = FontSet::bundled();
        let glyph = |face: u16, ch: char| {
            let gid = set
                .face(FaceId(face))
                .parse()
                .unwrap()
                .glyph_index(ch)
                .unwrap()
                .0;
            Glyph {
                ch,
                role: Role::Body,
                face: FaceId(face),
                gid,
                x: 100.0,
                advance: 16.0,
                bold: true,
            }
        };
        let (song, fang) = (glyph(1, '年'), glyph(0, '年'));
        let layout = Layout {
            pages: vec![Page {
                number: 1,
                width: 595.0,
                height: 842.0,
                lines: vec![Line {
                    kind: LineKind::Body,
                    block: Some(0),
                    row: Some(0),
                    size: 16.0,
                    baseline: 100.0,
                    glyphs: vec![song, fang],
                    justified: false,
                    first: true,
                    last: true,
                }],
                rules: Vec::new(),
                cells: Vec::new(),
            }],
            warnings: Vec::new(),
        };
        let e = embed(&layout, set, &mut Ids::new()).unwrap();
        let d = e.drawn(&song);
        assert_eq!(d.face, FaceId(2), "FandolSong-Bold");
        assert!(!d.stroke);
        assert_eq!(
            d.gid,
            set.face(FaceId(2))
                .parse()
                .unwrap()
                .glyph_index('年')
                .unwrap()
                .0
        );
        let d = e.drawn(&fang);
        assert_eq!((d.face, d.stroke), (FaceId(0), true));
        let faces: Vec<FaceId> = e.fonts.iter().map(|f| f.face).collect();
        assert_eq!(
            faces,
            [FaceId(0), FaceId(2)],
            "no subset of the unused regular face"
        );
        assert!(e.font(FaceId(2)).unwrap().bold);
    }
}
