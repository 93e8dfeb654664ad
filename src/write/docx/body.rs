//! The document's blocks as docx-rs paragraphs and tables, in order.
//!
//! Each block gets its paragraph style (all formatting lives in the styles, so a user who edits
//! the DOCX in Word keeps the layout); direct formatting is used only for what depends on the
//! text: the 署名/成文日期 indents, which are computed from the widths of the actual strings.
//!
//! Blank lines that GB/T 9704 asks for (between 附件标识 and title, after the title, before the
//! signature block) are empty body paragraphs: one grid row each, and visible as such in Word.

use docx_rs::{AlignmentType, BreakType, Paragraph, Run, SpecialIndentType, Table as WTable};

use super::error::DocxError;
use super::geometry::{
    body_text_width, is_narrow, signature_placement, Anchor, SignaturePlacement, CHAR,
    NARROW_CHAR_SPACING, TYPE_W,
};
use super::styles::id;
use super::table;
use super::xml::clean_text;
use crate::document::{Block, Document, Heading, Paragraph as DocParagraph, Signature, Title};
use crate::layout::table::TableMetrics;

/// One body-level item.
pub enum Item {
    Paragraph(Box<Paragraph>),
    Table(Box<WTable>),
}

/// The body items and, per table in order, how many header rows it has.
pub struct Body {
    pub items: Vec<Item>,
    pub header_rows: Vec<usize>,
}

/// Lays the blocks out as items; `metrics` gives, per table in order, the text size and row
/// heights our layout engine chose (see [`super::table`]).
pub fn build(doc: &Document, metrics: &[TableMetrics]) -> Result<Body, DocxError> {
    let mut metrics = metrics.iter();
    let mut out = Body {
        items: Vec::new(),
        header_rows: Vec::new(),
    };
    let mut page_break = false;
    let blocks = &doc.blocks;
    for (i, block) in blocks.iter().enumerate() {
        let first = out.items.len();
        match block {
            Block::PageBreak => {
                page_break = true;
                continue;
            }
            Block::Table(t) => {
                push_table(&mut out, t, blocks.get(i + 1), metrics.next())?;
                page_break = false;
                continue;
            }
            _ => push_text_block(&mut out, blocks, i),
        }
        if page_break {
            if let Some(Item::Paragraph(p)) = out.items.get_mut(first) {
                let taken = std::mem::replace(p.as_mut(), Paragraph::new());
                **p = taken.page_break_before(true);
            }
            page_break = false;
        }
    }
    Ok(out)
}

/// A block of text (`blocks[i]`), with the keep-with-next links that tie it to its neighbours.
fn push_text_block(out: &mut Body, blocks: &[Block], i: usize) {
    let next = blocks.get(i + 1);
    match &blocks[i] {
        Block::Attachment(text) => {
            push(out, add_text(styled(id::ATTACHMENT), text, None));
            if matches!(next, Some(Block::Title(_))) {
                push(out, blank().keep_next(true));
            }
        }
        Block::Title(title) => {
            push(out, title_paragraph(title));
            if next.is_some_and(|b| !matches!(b, Block::PageBreak | Block::Table(_))) {
                push(out, blank().keep_next(true));
            }
        }
        Block::Heading(h) => push(out, heading(h)),
        Block::Paragraph(p) => {
            let mut para = body_paragraph(p);
            // A heading keeps at least two lines of what follows it (docs/layout.md,
            // Pagination). Word's keepNext on the heading brings one line along; a
            // one-line paragraph after it passes the chain on to the next block.
            let after_heading = i > 0 && matches!(blocks[i - 1], Block::Heading(_));
            if after_heading && next.is_some() && fits_one_line(&p.full_text()) {
                para = para.keep_next(true);
            }
            push(out, para);
        }
        Block::Signature(s) => {
            // The block never stands alone on a page: keep the body's last paragraph with it
            // (widow control then brings at least two of its lines along).
            if let Some(Item::Paragraph(prev)) = out.items.last_mut() {
                let p = std::mem::replace(prev.as_mut(), Paragraph::new());
                **prev = p.keep_next(true);
            }
            for p in signature(s) {
                push(out, p);
            }
        }
        Block::PageBreak | Block::Table(_) => {}
    }
}

/// A table on a new page under its title, with the text size and row heights of `metrics`.
fn push_table(
    out: &mut Body,
    t: &crate::document::Table,
    next: Option<&Block>,
    metrics: Option<&TableMetrics>,
) -> Result<(), DocxError> {
    // Every table starts a new page, under its title.
    let opener = match &t.title {
        Some(title) => add_text(styled(id::TABLE_TITLE), title, None),
        // An untitled table opens with the 1 pt 表后段落, the smallest paragraph
        // that can carry the page break (the PDF has nothing above the table).
        None => styled(id::TABLE_END).keep_next(true),
    };
    push(out, opener.page_break_before(true));
    let m = metrics.cloned().unwrap_or(TableMetrics { size_pt: 12.0 });
    out.items.push(Item::Table(Box::new(table::build(t, &m)?)));
    out.header_rows.push(t.header_rows);
    if next.is_none() {
        // A body must not end with a table (Word adds a paragraph itself and asks
        // to save changes); a 1 pt 表后段落 is the smallest that can follow.
        push(out, styled(id::TABLE_END));
    }
    Ok(())
}

fn push(out: &mut Body, p: Paragraph) {
    out.items.push(Item::Paragraph(Box::new(p)));
}

fn styled(style: &str) -> Paragraph {
    Paragraph::new().style(style)
}

/// Whether a body paragraph (2-character first-line indent) fits on one line.
fn fits_one_line(text: &str) -> bool {
    2 * CHAR + body_text_width(text) <= TYPE_W as i32
}

/// An empty body line.
fn blank() -> Paragraph {
    Paragraph::new()
}

/// Adds `text` as runs, turning `\n` into line breaks and `\t` into tabs; characters XML 1.0
/// cannot carry (control characters pasted from other programs) are dropped, because one of
/// them makes Word refuse the whole file.
///
/// Runs of half-width characters (digits, Latin, `.` `%`) get their own run with the character
/// spacing [`NARROW_CHAR_SPACING`], so the body style's tightening applies to the CJK cells only
/// (see [`super::geometry::BODY_CHAR_SPACING`] for why).
fn add_text(mut p: Paragraph, text: &str, style: Option<&str>) -> Paragraph {
    let run = || match style {
        Some(s) => Run::new().style(s),
        None => Run::new(),
    };
    for (i, line) in clean_text(text).split('\n').enumerate() {
        if i > 0 {
            p = p.add_run(run().add_break(BreakType::TextWrapping));
        }
        for (j, piece) in line.split('\t').enumerate() {
            if j > 0 {
                p = p.add_run(run().add_tab());
            }
            for (narrow, seg) in width_runs(piece) {
                let r = run().add_text(seg);
                p = p.add_run(if narrow {
                    r.character_spacing(NARROW_CHAR_SPACING)
                } else {
                    r
                });
            }
        }
    }
    p
}

/// `text` cut into maximal runs of half-width (`true`) and full-width characters.
fn width_runs(text: &str) -> Vec<(bool, &str)> {
    let mut out: Vec<(bool, &str)> = Vec::new();
    let mut start = 0;
    let mut kind = None;
    for (i, c) in text.char_indices() {
        let narrow = is_narrow(c);
        match kind {
            Some(k) if k != narrow => {
                out.push((k, &text[start..i]));
                start = i;
            }
            _ => {}
        }
        kind = Some(narrow);
    }
    if let Some(k) = kind {
        out.push((k, &text[start..]));
    }
    out
}

/// The title: explicit lines are kept with line breaks; a title given as one string is left to
/// the word processor to wrap.
fn title_paragraph(title: &Title) -> Paragraph {
    let text = if title.explicit {
        title.lines.join("\n")
    } else {
        title.text()
    };
    add_text(styled(id::TITLE), &text, None)
}

fn heading(h: &Heading) -> Paragraph {
    let style = if h.level <= 1 {
        id::HEADING[0]
    } else {
        id::HEADING[1]
    };
    add_text(styled(style), &h.full_text(), None)
}

/// A body paragraph; a run-in heading gets its linked character style (标题 3/4 字符), so the
/// paragraph stays one paragraph while the label is still marked as a heading.
fn body_paragraph(p: &DocParagraph) -> Paragraph {
    let mut para = Paragraph::new();
    if let Some(r) = &p.run_in {
        let style = if r.level >= 4 {
            id::HEADING_CHAR[1]
        } else {
            id::HEADING_CHAR[0]
        };
        para = add_text(para, &format!("{}{}", r.label, r.text), Some(style));
    }
    if !p.text.is_empty() || p.run_in.is_none() {
        para = add_text(para, &p.text, None);
    }
    para
}

/// 署名 and 成文日期 after one blank line (GB/T 9704-2012 7.3.5), kept together and with the
/// body's last lines.
fn signature(s: &Signature) -> Vec<Paragraph> {
    // A paragraph in `style`, aligned `align`, with the given left and right indents (twips)
    // and no first-line indent.
    let placed = |style: &str, align: AlignmentType, left: i32, right: i32| {
        styled(style).align(align).indent(
            Some(left),
            Some(SpecialIndentType::FirstLine(0)),
            Some(right),
            None,
        )
    };
    let (name, date) = match signature_placement(&s.name, &s.date, s.seal) {
        SignaturePlacement::Sealed {
            name_right,
            date_right,
        } => (
            placed(id::SIGNATURE, AlignmentType::Right, 0, name_right),
            placed(id::DATE, AlignmentType::Right, 0, date_right),
        ),
        SignaturePlacement::Unsealed { name, date } => {
            let anchored = |style: &str, anchor: Anchor| match anchor {
                Anchor::Right(r) => placed(style, AlignmentType::Right, 0, r),
                Anchor::Left(l) => placed(style, AlignmentType::Left, l, 0),
            };
            (anchored(id::SIGNATURE, name), anchored(id::DATE, date))
        }
    };
    vec![
        blank().keep_next(true),
        add_text(name.keep_next(true), &s.name, None),
        add_text(date, &s.date, None),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_runs_split_where_the_width_class_changes() {
        assert_eq!(
            width_runs("2022年3月23日，APP上线98.6%"),
            [
                (true, "2022"),
                (false, "年"),
                (true, "3"),
                (false, "月"),
                (true, "23"),
                (false, "日，"),
                (true, "APP"),
                (false, "上线"),
                (true, "98.6%"),
            ]
        );
        assert!(width_runs("").is_empty());
        assert_eq!(width_runs("“全”"), [(false, "“全”")]);
    }
}
