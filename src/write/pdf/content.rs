//! Page content: one text object per page, one `TJ` per run of a face, every line inside the
//! marked-content sequence its [`Mark`] names, then the table rules as an artifact.
//!
//! Each glyph is drawn by its id in the subset's numbering and carries its character, so
//! printpdf writes the `/ToUnicode` map from it and `pdftotext` gives back exactly the input
//! text. The per-glyph positions of one run become one `TJ` with kerning numbers.

use std::collections::BTreeMap;

use printpdf::xobject::DictItem;
use printpdf::{
    Codepoint, Color, LinePoint, Mm, Op, PdfFontHandle, PdfPage, Point, Pt, Rgb, TextItem,
    TextMatrix, TextRenderingMode,
};

use super::fonts::{pdf_width, Subsets};
use super::tags::Mark;
use crate::layout::fonts::FontSet;
use crate::layout::{GlyphRun, Page, PT_PER_MM};
use crate::write::hash::Fnv;

/// Outline width of fake bold, in em (docs/layout.md: "a stroked fake bold of 0.03 em").
const FAKE_BOLD_EM: f32 = 0.03;

/// What every page needs to draw its text.
pub(super) struct Draw<'a> {
    pub subsets: &'a Subsets,
    pub faces: Vec<Option<ttf_parser::Face<'a>>>,
    /// Structure type of each element, for the marked-content tags.
    pub roles: Vec<&'static str>,
}

impl<'a> Draw<'a> {
    pub(super) fn new(subsets: &'a Subsets, fonts: &'a FontSet, roles: Vec<&'static str>) -> Self {
        Draw {
            subsets,
            faces: fonts.faces().iter().map(|f| f.parse()).collect(),
            roles,
        }
    }

    /// The page `page`, its lines marked as `marks` says. Everything drawn feeds `hasher`.
    pub(super) fn page(&self, page: &Page, marks: &[Mark], hasher: &mut Fnv) -> PdfPage {
        let mut ops = vec![Op::StartTextSection];
        let mut open: Option<Mark> = None;
        for (line, &mark) in page.lines.iter().zip(marks) {
            if open != Some(mark) {
                if open.is_some() {
                    ops.push(Op::EndMarkedContent);
                }
                ops.push(self.begin(mark));
                open = Some(mark);
            }
            for run in line.runs() {
                self.run(&mut ops, &run, page.height, hasher);
            }
        }
        if open.is_some() {
            ops.push(Op::EndMarkedContent);
        }
        ops.push(Op::EndTextSection);
        rules(&mut ops, page, hasher);
        PdfPage::new(Mm(page.width / PT_PER_MM), Mm(page.height / PT_PER_MM), ops)
    }

    fn begin(&self, mark: Mark) -> Op {
        let name = |s: &[u8]| DictItem::Name(s.to_vec());
        let (tag, props) = match mark {
            Mark::Content { mcid, elem } => (
                self.roles.get(elem).copied().unwrap_or("Span"),
                BTreeMap::from([("MCID".to_string(), DictItem::Int(mcid as i64))]),
            ),
            Mark::Footer => (
                "Artifact",
                BTreeMap::from([
                    ("Type".to_string(), name(b"Pagination")),
                    ("Subtype".to_string(), name(b"Footer")),
                ]),
            ),
            Mark::Repeated => (
                "Artifact",
                BTreeMap::from([("Type".to_string(), name(b"Pagination"))]),
            ),
        };
        Op::BeginMarkedContentWithProperties {
            tag: tag.to_string(),
            properties: DictItem::Dict { map: props },
        }
    }

    /// One run: a font, a text-matrix move, one `TJ`.
    fn run(&self, ops: &mut Vec<Op>, run: &GlyphRun<'_>, height: f32, hasher: &mut Fnv) {
        let Some((font_id, remapper)) = self.subsets.get(&run.face) else {
            return;
        };
        let Some(first) = run.glyphs.first() else {
            return;
        };
        ops.push(Op::SetFont {
            font: PdfFontHandle::External(font_id.clone()),
            size: Pt(run.size),
        });
        if run.bold {
            ops.push(Op::SetTextRenderingMode {
                mode: TextRenderingMode::FillStroke,
            });
            ops.push(Op::SetOutlineThickness {
                pt: Pt(FAKE_BOLD_EM * run.size),
            });
        }
        ops.push(Op::SetTextMatrix {
            matrix: TextMatrix::Translate(Pt(first.x), Pt(height - run.baseline)),
        });
        // Inside the run each glyph is followed by the TJ number that moves the pen from its
        // font advance to the next glyph's x, rounded to 1/100 000 em (invisible) so the
        // numbers stay short.
        let parsed = self.faces.get(run.face.0 as usize).and_then(|f| f.as_ref());
        let mut pen = first.x as f64;
        let mut codepoints = Vec::with_capacity(run.glyphs.len());
        for (k, g) in run.glyphs.iter().enumerate() {
            let gid = remapper.get(g.gid).unwrap_or(0);
            let w1000 = pdf_width(parsed, g.gid) as f64;
            let offset = match run.glyphs.get(k + 1) {
                Some(next) => {
                    let natural = pen + w1000 * run.size as f64 / 1000.0;
                    let n = (natural - next.x as f64) * 1000.0 / run.size as f64;
                    let n = (n * 100.0).round() / 100.0;
                    pen = natural - n * run.size as f64 / 1000.0;
                    n as f32
                }
                None => 0.0,
            };
            codepoints.push(Codepoint {
                gid,
                offset,
                cid: Some(g.ch.to_string()),
            });
            hasher.write(&gid.to_be_bytes());
            hasher.write(&g.x.to_bits().to_be_bytes());
        }
        ops.push(Op::ShowText {
            items: vec![TextItem::GlyphIds(codepoints)],
        });
        if run.bold {
            ops.push(Op::SetTextRenderingMode {
                mode: TextRenderingMode::Fill,
            });
        }
    }
}

/// The table rules, black, as one layout artifact.
fn rules(ops: &mut Vec<Op>, page: &Page, hasher: &mut Fnv) {
    if page.rules.is_empty() {
        return;
    }
    let h = page.height;
    ops.push(Op::BeginMarkedContent {
        tag: "Artifact".to_string(),
    });
    ops.push(Op::SaveGraphicsState);
    ops.push(Op::SetOutlineColor {
        col: Color::Rgb(Rgb {
            r: 0.0,
            g: 0.0,
            b: 0.0,
            icc_profile: None,
        }),
    });
    let mut width = f32::NAN;
    for r in &page.rules {
        if r.width != width {
            width = r.width;
            ops.push(Op::SetOutlineThickness { pt: Pt(width) });
        }
        let point = |x: f32, y: f32| LinePoint {
            p: Point {
                x: Pt(x),
                y: Pt(h - y),
            },
            bezier: false,
        };
        ops.push(Op::DrawLine {
            line: printpdf::Line {
                points: vec![point(r.x0, r.y0), point(r.x1, r.y1)],
                is_closed: false,
            },
        });
        hasher.write(&r.x0.to_bits().to_be_bytes());
        hasher.write(&r.y0.to_bits().to_be_bytes());
    }
    ops.push(Op::RestoreGraphicsState);
    ops.push(Op::EndMarkedContent);
}
