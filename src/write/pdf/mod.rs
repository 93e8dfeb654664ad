//! Pages of positioned glyphs → PDF with printpdf: subset fonts, Unicode mappings, metadata.
//!
//! The route, and why: printpdf 0.12 without its `text_layout` feature embeds whole
//! fonts — its own subsetter is a stub there — which made 9–23 MB files; turning the feature on
//! pulls in azul-layout (+16 crates, +90 s clean build) for a layout we do ourselves anyway. So
//! this writer subsets each face with the `subsetter` crate (the one Typst uses), hands printpdf
//! the subset as if it were the whole font, and draws glyph ids (`TextItem::GlyphIds`) in the
//! subset's numbering, each carrying its character. printpdf turns those characters into the
//! font's `/ToUnicode` map — so `pdftotext` and copy-and-paste give back exactly the input text,
//! with no inserted spaces — and merges the per-glyph positions of one baseline into a single
//! `TJ` with kerning numbers, which keeps the content streams small.
//!
//! `subsetter` rewrites CFF fonts (all of Fandol) as CID-keyed CFF with CID = new glyph id, and
//! printpdf embeds such a program as a bare `CIDFontType0C` stream whose codes are those CIDs, so
//! content, `/W` widths and `/ToUnicode` all agree by construction. The subset tag (`ABCDEF+`)
//! is ours: printpdf only writes one when it subset the font itself.
//!
//! Output is byte-identical for the same input: font resource names are `F0`, `F1`, … by face,
//! subset tags and the trailer `/ID` are hashes of the content (printpdf's own IDs come from a
//! process-global counter, so they are replaced), and the creation date comes from
//! `SOURCE_DATE_EPOCH` when it is set, else from the document's 成文日期, never from the clock.

use crate::write::hash::Fnv;
use crate::write::Written;
use std::collections::BTreeMap;

use printpdf::{
    Codepoint, Color, FontId, LinePoint, Mm, OffsetDateTime, Op, ParsedFont, PdfDocument, PdfFont,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rgb, TextItem, TextMatrix,
    TextRenderingMode,
};

use crate::document::{Document, Meta};
use crate::layout::fonts::{FaceId, FontSet};
use crate::layout::{layout_document, Layout, LayoutSettings, PT_PER_MM};

/// Why a PDF could not be written.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// A font could not be subset (a font file subsetter does not understand, e.g. CFF2).
    #[error("无法为字体“{face}”生成子集：{reason}")]
    Subset {
        /// The face's name.
        face: String,
        /// What the subsetter said.
        reason: String,
    },
    /// The subset font could not be read back.
    #[error("字体“{face}”的子集无法读取")]
    SubsetUnreadable {
        /// The face's name.
        face: String,
    },
    /// Serialising the PDF failed.
    #[error("写入 PDF 失败：{0}")]
    Write(String),
}

/// Lays out `doc` and writes it as PDF.
pub fn write_pdf(
    doc: &Document,
    fonts: &FontSet,
    settings: &LayoutSettings,
) -> Result<Written, PdfError> {
    let layout = layout_document(doc, fonts, settings);
    write_layout(&layout, &doc.meta, fonts)
}

/// Writes an already laid-out document as PDF.
pub fn write_layout(layout: &Layout, meta: &Meta, fonts: &FontSet) -> Result<Written, PdfError> {
    // 1. Which glyphs each face needs, and the character each one stands for.
    let mut used: BTreeMap<FaceId, BTreeMap<u16, char>> = BTreeMap::new();
    for page in &layout.pages {
        for line in &page.lines {
            for g in &line.glyphs {
                used.entry(g.face).or_default().entry(g.gid).or_insert(g.ch);
            }
        }
    }

    // 2. Subset each face and register it with printpdf under a stable name.
    let mut pdf = PdfDocument::new(&meta.title);
    let mut remaps: BTreeMap<FaceId, (FontId, subsetter::GlyphRemapper)> = BTreeMap::new();
    let mut hasher = Fnv::new();
    for (face_id, glyphs) in &used {
        let face = fonts.face(*face_id);
        let mut remapper = subsetter::GlyphRemapper::new();
        for gid in glyphs.keys() {
            remapper.remap(*gid);
        }
        let subset = subsetter::subset(face.data(), face.index(), &remapper).map_err(|e| {
            PdfError::Subset {
                face: face.name().to_string(),
                reason: e.to_string(),
            }
        })?;
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

    // 3. Pages: one text object per page, one TJ per run, then the table rules.
    let parsed_faces: Vec<Option<ttf_parser::Face<'_>>> =
        fonts.faces().iter().map(|f| f.parse()).collect();
    let mut pages = Vec::with_capacity(layout.pages.len());
    for page in &layout.pages {
        let h = page.height;
        let mut ops = vec![Op::StartTextSection];
        for line in &page.lines {
            for run in line.runs() {
                let Some((font_id, remapper)) = remaps.get(&run.face) else {
                    continue;
                };
                ops.push(Op::SetFont {
                    font: PdfFontHandle::External(font_id.clone()),
                    size: Pt(run.size),
                });
                // One text-matrix move per run; inside it each glyph is followed by the TJ
                // number that moves the pen from its font advance to the next glyph's x,
                // rounded to 1/100 000 em (invisible) so the numbers stay short.
                let Some(first) = run.glyphs.first() else {
                    continue;
                };
                if run.bold {
                    ops.push(Op::SetTextRenderingMode {
                        mode: TextRenderingMode::FillStroke,
                    });
                    ops.push(Op::SetOutlineThickness {
                        pt: Pt(FAKE_BOLD_EM * run.size),
                    });
                }
                ops.push(Op::SetTextMatrix {
                    matrix: TextMatrix::Translate(Pt(first.x), Pt(h - run.baseline)),
                });
                let parsed = &parsed_faces[run.face.0 as usize];
                let mut pen = first.x as f64;
                let mut codepoints = Vec::with_capacity(run.glyphs.len());
                for (k, g) in run.glyphs.iter().enumerate() {
                    let gid = remapper.get(g.gid).unwrap_or(0);
                    let w1000 = pdf_width(parsed.as_ref(), g.gid) as f64;
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
        ops.push(Op::EndTextSection);
        if !page.rules.is_empty() {
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
        }
        pages.push(PdfPage::new(
            Mm(page.width / PT_PER_MM),
            Mm(page.height / PT_PER_MM),
            ops,
        ));
    }
    pdf.pages = pages;

    // 4. Metadata.
    let date = creation_date(meta);
    hasher.write(meta.title.as_bytes());
    hasher.write(meta.author.as_bytes());
    let id = format!("{:032x}", hasher.finish128());
    let info = &mut pdf.metadata.info;
    info.document_title = meta.title.clone();
    info.author = meta.author.clone();
    info.creator = format!("jixiao {}", env!("CARGO_PKG_VERSION"));
    info.producer = "jixiao (printpdf)".to_string();
    info.creation_date = date;
    info.modification_date = date;
    info.metadata_date = date;
    info.identifier = id.clone();

    // 5. Serialise. printpdf's trailer /ID comes from a process-wide counter; replace it with
    //    the content hash so the same input always gives the same bytes.
    let opts = PdfSaveOptions {
        optimize: true,
        subset_fonts: false,
        secure: true,
        image_optimization: None,
    };
    let mut pdf_warnings = Vec::new();
    let mut lo = pdf.to_lopdf_document(&opts, &mut pdf_warnings);
    let id_string = lopdf::Object::String(id.into_bytes(), lopdf::StringFormat::Hexadecimal);
    lo.trailer.set(
        "ID",
        lopdf::Object::Array(vec![id_string.clone(), id_string]),
    );
    trim_widths(&mut lo);
    lo.version = "1.5".to_string();
    compress_streams(&mut lo);
    let mut bytes = Vec::new();
    // Object and cross-reference streams (PDF 1.5) compress the font and page dictionaries too.
    lo.save_modern(&mut bytes)
        .map_err(|e| PdfError::Write(e.to_string()))?;

    let mut warnings = layout.warnings.clone();
    for w in pdf_warnings
        .iter()
        .filter(|w| w.severity == printpdf::PdfParseErrorSeverity::Error)
    {
        warnings.push(format!("PDF 写入器报告：{}", w.msg));
    }
    Ok(Written {
        bytes,
        warnings,
        pages: layout.pages.len(),
    })
}

/// Outline width of fake bold, in em (docs/layout.md: "a stroked fake bold of 0.03 em").
const FAKE_BOLD_EM: f32 = 0.03;

/// Deflate level for every stream. On the sample, level 9 (what `lopdf` uses) spent half the
/// render time in deflate's match search and gave a slightly *larger* file than level 7
/// (299.2 KB); level 6 is 1.5 KB larger again.
const DEFLATE_LEVEL: u32 = 7;

/// Compresses every stream that is not compressed yet (`lopdf::Document::compress` always uses
/// the slowest level).
fn compress_streams(doc: &mut lopdf::Document) {
    use std::io::Write;
    for obj in doc.objects.values_mut() {
        let lopdf::Object::Stream(stream) = obj else {
            continue;
        };
        if stream.dict.has(b"Filter") || !stream.allows_compression {
            continue;
        }
        let mut enc = flate2::write::ZlibEncoder::new(
            Vec::with_capacity(stream.content.len() / 2),
            flate2::Compression::new(DEFLATE_LEVEL),
        );
        if enc.write_all(&stream.content).is_err() {
            continue;
        }
        let Ok(data) = enc.finish() else { continue };
        if data.len() < stream.content.len() {
            stream
                .dict
                .set("Filter", lopdf::Object::Name(b"FlateDecode".to_vec()));
            stream.set_content(data);
        }
    }
}

/// A glyph's advance as printpdf writes it into `/W` (1/1000 em, truncated), so the TJ numbers
/// computed against it put every glyph exactly where the layout did.
fn pdf_width(face: Option<&ttf_parser::Face<'_>>, gid: u16) -> i64 {
    let Some(face) = face else { return 1000 };
    let upm = face.units_per_em().max(1) as f32;
    face.glyph_hor_advance(ttf_parser::GlyphId(gid))
        .map(|w| (w as f32 * 1000.0 / upm) as i64)
        .unwrap_or(0)
}

/// Drops from every CID font's `/W` array the glyphs whose width is the default `/DW` (1000,
/// every CJK glyph): printpdf lists all of them, which for the body face is a few kilobytes of
/// `1000`s that say nothing.
fn trim_widths(doc: &mut lopdf::Document) {
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
            // Only the `c [w1 w2 …]` form, which is what printpdf writes.
            let mut pairs: Vec<(i64, Object)> = Vec::new();
            let mut it = w.iter();
            let mut ok = true;
            while let Some(first) = it.next() {
                match (first.as_i64(), it.next()) {
                    (Ok(c), Some(Object::Array(ws))) => {
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
                    _ => {
                        ok = false;
                        break;
                    }
                }
            }
            if !ok {
                continue;
            }
            let mut out: Vec<Object> = Vec::new();
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
            cid.set("W", Object::Array(out));
        }
    }
}

/// The creation date: `SOURCE_DATE_EPOCH` (reproducible builds) if set, else the document's
/// 成文日期 at 00:00 UTC, else the Unix epoch — never the clock, so output is reproducible.
fn creation_date(meta: &Meta) -> OffsetDateTime {
    creation_date_from(std::env::var("SOURCE_DATE_EPOCH").ok().as_deref(), meta)
}

fn creation_date_from(source_date_epoch: Option<&str>, meta: &Meta) -> OffsetDateTime {
    let epoch = source_date_epoch
        .and_then(|s| s.trim().parse::<i64>().ok())
        .or_else(|| {
            chrono::NaiveDate::parse_from_str(meta.date.trim(), "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|dt| dt.and_utc().timestamp())
        })
        .unwrap_or(0);
    OffsetDateTime::from_unix_timestamp(epoch)
        .or_else(|_| OffsetDateTime::from_unix_timestamp(0))
        .unwrap_or_else(|_| OffsetDateTime::epoch())
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
    fn creation_date_from_the_document_date_or_source_date_epoch() {
        let meta = Meta {
            title: String::new(),
            author: String::new(),
            date: "2022-03-23".to_string(),
            ..Meta::default()
        };
        let d = creation_date_from(None, &meta);
        assert_eq!(d.unix_timestamp(), 1_647_993_600);
        let d = creation_date_from(Some("1700000000"), &meta);
        assert_eq!(d.unix_timestamp(), 1_700_000_000);
        let none = Meta::default();
        assert_eq!(creation_date_from(Some("junk"), &none).unix_timestamp(), 0);
    }
}
