//! Font roles → faces, parsed once per process; glyph lookup and fallback.
//!
//! A *role* is what the layout asks for ("the body face", "the level-1 heading face"); a *face* is
//! a font file. Each role has an ordered list of faces, its fallback chain: the user's own font
//! for that role if one was given, then the bundled Fandol face that stands in for the official
//! font, then the other Fandol faces. A character missing from the first face is looked up in the
//! next one, so nothing is ever dropped; [`GlyphSource`] records every fallback so that the render
//! can warn about it in Chinese.
//!
//! The five Fandol faces are compiled into the binary (`include_bytes!`): a PDF must look the same
//! on every machine, with no fonts installed. Parsing them is cheap (ttf-parser reads the table
//! directory lazily), but a prototype spent 50–100 ms per document re-reading 5–8 MB font files,
//! so the bundled set is built once per process ([`FontSet::bundled`]) and shared by every
//! document; user fonts are read once when the set is built.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// What a piece of text is set in. The layout asks for roles, never for files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// 小标宋: the document title and table titles.
    Title,
    /// 仿宋: body text, run-in level-3/4 headings, signature, date, table cells.
    Body,
    /// 黑体 for level-1 headings (`一、`).
    H1,
    /// 楷体 for level-2 headings (`（一）`).
    H2,
    /// 宋体 for page numbers.
    PageNumber,
    /// 黑体 for everything else that is set in it: the 附件标识, table header cells.
    Hei,
    /// 楷体 for everything else that is set in it.
    Kai,
}

impl Role {
    /// Every role, in a fixed order (used for tables indexed by role).
    pub const ALL: [Role; 7] = [
        Role::Title,
        Role::Body,
        Role::H1,
        Role::H2,
        Role::PageNumber,
        Role::Hei,
        Role::Kai,
    ];

    /// The role for a settings / command-line name: `title`, `body`, `h1`, `h2`,
    /// `page_number`, `hei`, `kai` (`page-number` is accepted too).
    pub fn from_name(name: &str) -> Option<Role> {
        Some(match name.trim() {
            "title" => Role::Title,
            "body" => Role::Body,
            "h1" => Role::H1,
            "h2" => Role::H2,
            "page_number" | "page-number" => Role::PageNumber,
            "hei" => Role::Hei,
            "kai" => Role::Kai,
            _ => return None,
        })
    }

    /// The settings name of the role (inverse of [`Role::from_name`]).
    pub fn name(self) -> &'static str {
        match self {
            Role::Title => "title",
            Role::Body => "body",
            Role::H1 => "h1",
            Role::H2 => "h2",
            Role::PageNumber => "page_number",
            Role::Hei => "hei",
            Role::Kai => "kai",
        }
    }

    /// The Chinese name of the typeface the role stands for, used in warnings.
    pub fn chinese(self) -> &'static str {
        match self {
            Role::Title => "小标宋",
            Role::Body => "仿宋",
            Role::H1 => "一级标题黑体",
            Role::H2 => "二级标题楷体",
            Role::PageNumber => "页码宋体",
            Role::Hei => "黑体",
            Role::Kai => "楷体",
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    /// The bundled face that stands in for the role's official font (docs/layout.md, "Fonts").
    fn bundled_face(self) -> usize {
        match self {
            Role::Title => SONG_BOLD,
            Role::Body => FANG,
            Role::H1 | Role::Hei => HEI,
            Role::H2 | Role::Kai => KAI,
            Role::PageNumber => SONG,
        }
    }
}

/// Index of a face in its [`FontSet`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FaceId(pub u16);

/// One font face: its bytes and what the writer needs to embed it.
#[derive(Debug)]
pub struct Face {
    name: String,
    data: Cow<'static, [u8]>,
    index: u32,
    units_per_em: u16,
    bundled: bool,
}

impl Face {
    fn new(
        data: Cow<'static, [u8]>,
        index: u32,
        fallback_name: &str,
        bundled: bool,
    ) -> Option<Face> {
        let parsed = ttf_parser::Face::parse(&data, index).ok()?;
        // A face without a Unicode cmap cannot map our text to glyphs at all.
        let has_unicode = parsed
            .tables()
            .cmap
            .is_some_and(|c| c.subtables.into_iter().any(|s| s.is_unicode()));
        if !has_unicode {
            return None;
        }
        let units_per_em = parsed.units_per_em();
        let name = parsed
            .names()
            .into_iter()
            .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            .find_map(|n| n.to_string())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| fallback_name.to_string());
        Some(Face {
            name,
            data,
            index,
            units_per_em,
            bundled,
        })
    }

    /// The face's PostScript name (e.g. `FandolFang-Regular`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The font file's bytes (a whole collection for a TTC; see [`Face::index`]).
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// The face's index inside a collection (0 for a plain font file).
    pub fn index(&self) -> u32 {
        self.index
    }

    /// Font units per em.
    pub fn units_per_em(&self) -> u16 {
        self.units_per_em
    }

    /// `true` for the Fandol faces compiled into the binary.
    pub fn is_bundled(&self) -> bool {
        self.bundled
    }

    /// Parses the face. The bytes were validated when the face was built, so this only fails if
    /// memory was corrupted; callers treat `None` as "no glyphs".
    pub fn parse(&self) -> Option<ttf_parser::Face<'_>> {
        ttf_parser::Face::parse(&self.data, self.index).ok()
    }
}

/// Why a user font could not be used. The messages are shown to the user as they are.
#[derive(Debug, thiserror::Error)]
pub enum FontError {
    /// The file could not be read.
    #[error("无法读取字体文件“{path}”：{source}")]
    Read {
        /// The font file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not a TrueType/OpenType font (or collection) with a Unicode cmap.
    #[error(
        "“{path}”不是可用的 TrueType/OpenType 字体文件（TTF、OTF、TTC），或缺少 Unicode 字符映射表"
    )]
    Parse {
        /// The font file.
        path: PathBuf,
    },
}

// Indices of the bundled faces in every FontSet (they are always its first five faces).
const FANG: usize = 0;
const SONG: usize = 1;
const SONG_BOLD: usize = 2;
const HEI: usize = 3;
const KAI: usize = 4;

/// The bundled faces, in the order of the constants above. The same order is the tail of every
/// fallback chain: 仿宋 first, because body-like text is the most common.
static BUNDLED: [(&str, &[u8]); 5] = [
    (
        "FandolFang-Regular",
        include_bytes!("../../fonts/FandolFang-Regular.otf"),
    ),
    (
        "FandolSong-Regular",
        include_bytes!("../../fonts/FandolSong-Regular.otf"),
    ),
    (
        "FandolSong-Bold",
        include_bytes!("../../fonts/FandolSong-Bold.otf"),
    ),
    (
        "FandolHei-Regular",
        include_bytes!("../../fonts/FandolHei-Regular.otf"),
    ),
    (
        "FandolKai-Regular",
        include_bytes!("../../fonts/FandolKai-Regular.otf"),
    ),
];

/// The faces of a render and each role's fallback chain.
#[derive(Debug)]
pub struct FontSet {
    faces: Vec<Face>,
    chains: Vec<Vec<FaceId>>,
}

impl FontSet {
    /// The bundled Fandol set, built on first use and shared for the rest of the process.
    pub fn bundled() -> &'static FontSet {
        static SET: OnceLock<FontSet> = OnceLock::new();
        SET.get_or_init(|| FontSet::build(Vec::new()))
    }

    /// A set in which the given roles use the user's font files first. Each file is read and
    /// checked once, here. A TTC contributes its first face. Roles not listed keep their
    /// bundled face; every chain still ends with the bundled faces, so a character missing
    /// from a user font falls back to Fandol instead of disappearing.
    pub fn with_overrides(overrides: &[(Role, PathBuf)]) -> Result<FontSet, FontError> {
        // The same file mapped to several roles is read once.
        let mut seen: BTreeMap<PathBuf, usize> = BTreeMap::new();
        let mut user_faces: Vec<Face> = Vec::new();
        let mut role_face: Vec<(Role, usize)> = Vec::new();
        for (role, path) in overrides {
            let i = match seen.get(path) {
                Some(&i) => i,
                None => {
                    user_faces.push(load_user_face(path)?);
                    seen.insert(path.clone(), user_faces.len() - 1);
                    user_faces.len() - 1
                }
            };
            role_face.push((*role, i));
        }
        let mut set = FontSet::build(user_faces);
        // build() puts the user faces after the bundled ones, in order.
        for (role, i) in role_face {
            let id = FaceId((BUNDLED.len() + i) as u16);
            let chain = &mut set.chains[role.index()];
            chain.retain(|f| *f != id);
            chain.insert(0, id);
        }
        Ok(set)
    }

    fn build(user_faces: Vec<Face>) -> FontSet {
        let mut faces: Vec<Face> = BUNDLED
            .iter()
            .filter_map(|(name, data)| Face::new(Cow::Borrowed(*data), 0, name, true))
            .collect();
        // The bundled fonts are part of the binary; the unit tests prove they parse.
        debug_assert_eq!(faces.len(), BUNDLED.len());
        faces.extend(user_faces);
        let chains = Role::ALL
            .iter()
            .map(|role| {
                let first = role.bundled_face();
                let mut chain = vec![FaceId(first as u16)];
                chain.extend(
                    (0..BUNDLED.len())
                        .filter(|i| *i != first)
                        .map(|i| FaceId(i as u16)),
                );
                chain
            })
            .collect();
        FontSet { faces, chains }
    }

    /// All faces of the set; a [`FaceId`] indexes this slice.
    pub fn faces(&self) -> &[Face] {
        &self.faces
    }

    /// One face.
    pub fn face(&self, id: FaceId) -> &Face {
        &self.faces[id.0 as usize]
    }

    /// The fallback chain of a role, first choice first.
    pub fn chain(&self, role: Role) -> &[FaceId] {
        &self.chains[role.index()]
    }

    /// The first face of a role.
    pub fn primary(&self, role: Role) -> FaceId {
        self.chains[role.index()][0]
    }
}

fn load_user_face(path: &Path) -> Result<Face, FontError> {
    let data = std::fs::read(path).map_err(|source| FontError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "UserFont".to_string());
    Face::new(Cow::Owned(data), 0, &stem, false).ok_or_else(|| FontError::Parse {
        path: path.to_path_buf(),
    })
}

/// A glyph found for a character: which face, which glyph, and its natural advance in em.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Found {
    /// The face the glyph comes from.
    pub face: FaceId,
    /// Glyph id in that face (0, `.notdef`, when no face has the character).
    pub gid: u16,
    /// The glyph's own advance, in em.
    pub advance_em: f32,
}

/// Glyph lookup for one render: the parsed faces of a [`FontSet`] plus a record of every
/// fallback, so the render can say which characters were not in their role's first face.
pub struct GlyphSource<'a> {
    set: &'a FontSet,
    parsed: Vec<Option<ttf_parser::Face<'a>>>,
    /// (role, face that lacked the char, face used) → characters.
    fell_back: BTreeMap<(Role, FaceId, FaceId), BTreeSet<char>>,
    /// Characters no face has, by role.
    missing: BTreeMap<Role, BTreeSet<char>>,
    cache: std::collections::HashMap<(Role, char), Found>,
}

impl<'a> GlyphSource<'a> {
    /// Parses every face of the set (a table-directory read each, microseconds).
    pub fn new(set: &'a FontSet) -> Self {
        GlyphSource {
            set,
            parsed: set.faces.iter().map(|f| f.parse()).collect(),
            fell_back: BTreeMap::new(),
            missing: BTreeMap::new(),
            cache: std::collections::HashMap::new(),
        }
    }

    /// The font set the glyphs come from.
    pub fn set(&self) -> &'a FontSet {
        self.set
    }

    /// The glyph for `ch` in `role`: the first face of the role's chain that has it. A
    /// character no face has gets `.notdef` of the role's first face (and a warning), so the
    /// text is still there for copy and search.
    pub fn glyph(&mut self, role: Role, ch: char) -> Found {
        if let Some(found) = self.cache.get(&(role, ch)) {
            return *found;
        }
        let chain = self.set.chain(role);
        let mut found = None;
        for &id in chain {
            if let Some(face) = &self.parsed[id.0 as usize] {
                if let Some(gid) = face.glyph_index(ch) {
                    if gid.0 != 0 {
                        found = Some(Found {
                            face: id,
                            gid: gid.0,
                            advance_em: advance_em(face, gid),
                        });
                        break;
                    }
                }
            }
        }
        let found = match found {
            Some(f) => {
                if f.face != chain[0] && !is_control(ch) {
                    self.fell_back
                        .entry((role, chain[0], f.face))
                        .or_default()
                        .insert(ch);
                }
                f
            }
            None => {
                if !is_control(ch) {
                    self.missing.entry(role).or_default().insert(ch);
                }
                let id = chain[0];
                let advance_em = self.parsed[id.0 as usize]
                    .as_ref()
                    .map(|f| advance_em(f, ttf_parser::GlyphId(0)))
                    .unwrap_or(1.0);
                Found {
                    face: id,
                    gid: 0,
                    advance_em,
                }
            }
        };
        self.cache.insert((role, ch), found);
        found
    }

    /// The vertical centre of a glyph's outline, in em above the baseline (used to put the
    /// page-number dashes exactly 7 mm below the type area).
    pub fn glyph_centre_em(&self, found: &Found) -> Option<f32> {
        let face = self.parsed[found.face.0 as usize].as_ref()?;
        let bbox = face.glyph_bounding_box(ttf_parser::GlyphId(found.gid))?;
        Some((bbox.y_min as f32 + bbox.y_max as f32) / 2.0 / face.units_per_em() as f32)
    }

    /// Chinese warnings for every character that fell back or has no glyph anywhere.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        for ((role, from, to), chars) in &self.fell_back {
            out.push(format!(
                "{}字体“{}”中没有这些字符，已改用“{}”：{}",
                role.chinese(),
                self.set.face(*from).name(),
                self.set.face(*to).name(),
                char_list(chars)
            ));
        }
        for (role, chars) in &self.missing {
            out.push(format!(
                "{}：所有可用字体中都没有这些字符，PDF 中将显示为空框（文字仍可复制）：{}",
                role.chinese(),
                char_list(chars)
            ));
        }
        out
    }
}

/// The characters of a warning: all of them up to 40, else the first 40 and the count (a user
/// font without CJK glyphs would otherwise list thousands).
fn char_list(chars: &BTreeSet<char>) -> String {
    const MAX: usize = 40;
    let shown: String = chars.iter().take(MAX).collect();
    if chars.len() > MAX {
        format!("{shown}……等共 {} 个字符", chars.len())
    } else {
        shown
    }
}

fn is_control(ch: char) -> bool {
    ch.is_control()
}

fn advance_em(face: &ttf_parser::Face<'_>, gid: ttf_parser::GlyphId) -> f32 {
    let upm = face.units_per_em().max(1) as f32;
    face.glyph_hor_advance(gid)
        .map(|a| a as f32 / upm)
        .unwrap_or(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_faces_parse_with_their_names() {
        let set = FontSet::bundled();
        let names: Vec<&str> = set.faces().iter().map(|f| f.name()).collect();
        assert_eq!(
            names,
            [
                "FandolFang-Regular",
                "FandolSong-Regular",
                "FandolSong-Bold",
                "FandolHei-Regular",
                "FandolKai-Regular"
            ]
        );
        assert_eq!(
            set.face(set.primary(Role::Body)).name(),
            "FandolFang-Regular"
        );
        assert_eq!(set.face(set.primary(Role::Title)).name(), "FandolSong-Bold");
        assert_eq!(set.face(set.primary(Role::H1)).name(), "FandolHei-Regular");
        assert_eq!(set.face(set.primary(Role::H2)).name(), "FandolKai-Regular");
        assert_eq!(
            set.face(set.primary(Role::PageNumber)).name(),
            "FandolSong-Regular"
        );
    }

    #[test]
    fn role_names_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::from_name(role.name()), Some(role));
        }
        assert_eq!(Role::from_name("footer"), None);
    }

    #[test]
    fn cjk_glyphs_are_one_em_and_digits_narrower() {
        let mut src = GlyphSource::new(FontSet::bundled());
        let han = src.glyph(Role::Body, '绩');
        assert!(han.gid != 0);
        assert!((han.advance_em - 1.0).abs() < 1e-6);
        let digit = src.glyph(Role::Body, '7');
        assert!(digit.advance_em < 0.75, "{}", digit.advance_em);
        assert!(src.warnings().is_empty());
    }

    #[test]
    fn missing_glyph_is_kept_and_warned() {
        let mut src = GlyphSource::new(FontSet::bundled());
        // U+1F600 (emoji) is in no Fandol face.
        let f = src.glyph(Role::Body, '😀');
        assert_eq!(f.gid, 0);
        let w = src.warnings();
        assert_eq!(w.len(), 1);
        assert!(w[0].contains('😀'));
    }

    #[test]
    fn unreadable_override_is_an_error_not_a_panic() {
        let err = FontSet::with_overrides(&[(Role::Title, PathBuf::from("/nonexistent/x.ttf"))])
            .unwrap_err();
        assert!(err.to_string().contains("无法读取字体文件"));
        let dir = std::env::temp_dir().join("jixiao-font-test-not-a-font.ttf");
        std::fs::write(&dir, b"not a font").unwrap();
        let err = FontSet::with_overrides(&[(Role::Title, dir.clone())]).unwrap_err();
        assert!(matches!(err, FontError::Parse { .. }));
        let _ = std::fs::remove_file(dir);
    }

    #[test]
    fn override_goes_first_and_falls_back_to_bundled() {
        // Use a bundled file as the "user" font for the title: it becomes the chain's head and
        // the bundled faces follow.
        let dir = std::env::temp_dir().join("jixiao-font-test-卢龙.otf");
        std::fs::write(&dir, BUNDLED[KAI].1).unwrap();
        let set = FontSet::with_overrides(&[(Role::Title, dir.clone())]).unwrap();
        let chain = set.chain(Role::Title);
        assert_eq!(chain[0], FaceId(5));
        assert!(!set.face(chain[0]).is_bundled());
        assert_eq!(chain[1], FaceId(SONG_BOLD as u16));
        assert_eq!(chain.len(), 6);
        assert_eq!(set.chain(Role::Body)[0], FaceId(FANG as u16));
        let _ = std::fs::remove_file(dir);
    }
}
