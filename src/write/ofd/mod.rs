//! Pages of positioned glyphs → OFD (GB/T 33190-2016): the PDF writer's sibling for archives.
//!
//! OFD (开放版式文档) is the national fixed-layout format in which 党政机关电子公文 are exchanged
//! and archived. A package is a zip of XML parts plus the embedded fonts. This writer takes the
//! very [`Layout`] the PDF writer gets — the layout engine knows nothing of either file format —
//! and serialises it in stages, one a file:
//! - [`ids`]: the document-wide object numbering and `MaxUnitID`;
//! - [`fonts`]: one subset per face that keeps its Unicode `cmap` and `OS/2` (readers map each
//!   `TextCode` character through the cmap; a PDF-style subset without one draws nothing), with
//!   the family name as `FontName`;
//! - [`content`]: one `Content.xml` per page: a `TextObject` per run of one face on a line, with
//!   exact per-glyph advances, and the table rules as `PathObject`s;
//! - [`tags`]: the archive semantics: `CustomDatas` with the report's key facts and a
//!   `CustomTags` file that points at the title, headings, body, signature and date objects;
//! - [`package`]: `OFD.xml`, `Document.xml`, `PublicRes.xml`, and the order of the parts;
//! - [`container`]: the zip itself, deflated with a level chosen for font programs.
//!
//! Every length is in millimetres (OFD's unit), rounded to 1 µm. Every part binds the `ofd:`
//! prefix to `http://www.ofdspec.org/2016` and uses it on every element: a default namespace is
//! schema-valid but at least one common reader (easyofd) cannot read it.
//!
//! Output is byte-identical for the same input: IDs are allocated in page order, the zip's
//! timestamps are the creation date (from `SOURCE_DATE_EPOCH` when set, else the 成文日期, as
//! in the PDF), and `DocID` is a hash of the content.

pub mod content;
pub mod fonts;
pub mod ids;
pub mod package;
pub mod tags;

use crate::document::Meta;
use crate::layout::fonts::FontSet;
use crate::layout::{Layout, PT_PER_MM};
use crate::write::Written;

/// The OFD namespace, bound to the `ofd:` prefix in every part.
pub const NS: &str = "http://www.ofdspec.org/2016";

/// Why an OFD could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OfdError {
    /// A font could not be subset (a font format the subsetter does not understand).
    #[error("无法为字体“{face}”生成 OFD 子集：{reason}")]
    Subset {
        /// The face's name.
        face: String,
        /// What the subsetter said.
        reason: String,
    },
    /// Writing the zip failed (only possible when memory runs out).
    #[error("写入 OFD 失败：{0}")]
    Write(String),
}

/// Writes an already laid-out document as OFD.
pub fn write_layout(layout: &Layout, meta: &Meta, fonts: &FontSet) -> Result<Written, OfdError> {
    let mut ids = ids::Ids::new();
    let embedded = fonts::embed(layout, fonts, &mut ids)?;
    let pages = content::pages(layout, &embedded, &mut ids);
    let bytes = package::write(meta, layout, &embedded, &pages, ids)?;
    Ok(Written {
        bytes,
        warnings: layout.warnings.clone(),
        pages: layout.pages.len(),
    })
}

/// A length in pt as whole micrometres (OFD lengths are mm; 1 µm is far below what anyone can
/// see and keeps the numbers short). Positions are rounded once, absolutely, and everything
/// relative (advances, offsets inside a Boundary) is a difference of rounded numbers, so no
/// rounding error accumulates along a line.
pub(crate) fn um(pt: f32) -> i64 {
    (pt as f64 / PT_PER_MM as f64 * 1000.0).round() as i64
}

/// Micrometres as a millimetre number for XML: `12.3`, `5.644`, `0`, `-0.5`.
pub(crate) fn mm(um: i64) -> String {
    let sign = if um < 0 { "-" } else { "" };
    let a = um.unsigned_abs();
    let (int, frac) = (a / 1000, a % 1000);
    if frac == 0 {
        format!("{sign}{int}")
    } else {
        let f = format!("{frac:03}");
        format!("{sign}{int}.{}", f.trim_end_matches('0'))
    }
}

/// Text escaped for XML content and attribute values, without the characters XML 1.0 cannot
/// carry at all (see [`xml_char`]). The input check already rejects them; this keeps the writer
/// safe on its own, since one such character makes the whole part unreadable.
pub(crate) fn esc(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().all(xml_char) {
        quick_xml::escape::escape(s)
    } else {
        let clean: String = s.chars().filter(|&c| xml_char(c)).collect();
        std::borrow::Cow::Owned(quick_xml::escape::escape(clean.as_str()).into_owned())
    }
}

/// A character XML 1.0 can carry: not a C0 control other than tab, line feed and carriage
/// return, not U+FFFE or U+FFFF.
pub(crate) fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || !(c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn millimetres_are_short_and_exact() {
        assert_eq!(mm(0), "0");
        assert_eq!(mm(5644), "5.644");
        assert_eq!(mm(5600), "5.6");
        assert_eq!(mm(210_000), "210");
        assert_eq!(mm(-500), "-0.5");
        assert_eq!(mm(7), "0.007");
        // 16 pt is 5.644 mm, 595.28 pt is 210 mm.
        assert_eq!(mm(um(16.0)), "5.644");
        assert_eq!(mm(um(210.0 * PT_PER_MM)), "210");
    }

    #[test]
    fn escapes_markup_and_drops_what_xml_cannot_carry() {
        assert_eq!(esc("A & B <报告>"), "A &amp; B &lt;报告&gt;");
        assert_eq!(esc("a\u{1}b\u{FFFF}<"), "ab&lt;");
        assert_eq!(esc("a\tb"), "a\tb");
    }
}
