//! Page setup of the one section: A4, the GB/T 9704 margins, the line grid, and the odd/even
//! footers that carry the page number as a PAGE field (`— N —`).

use docx_rs::{
    AlignmentType, DocGrid, DocGridType, Docx, FieldCharType, Footer, InstrPAGE, InstrText,
    PageMargin, PageNumType, Paragraph, Run, SpecialIndentType,
};

use super::geometry::*;
use super::styles::id;

/// The footer paragraph: `— {PAGE} —` in 宋体 14 pt (from the footer style), one 14 pt character
/// in from the right edge of the type area on odd pages and from the left edge on even pages
/// (GB/T 9704-2012 7.5). The field result `1` is only a placeholder until the viewer updates it.
pub fn page_number_footer(odd: bool) -> Footer {
    let (align, left, right) = if odd {
        (AlignmentType::Right, 0, PAGE_NUMBER_INDENT)
    } else {
        (AlignmentType::Left, PAGE_NUMBER_INDENT, 0)
    };
    let p = Paragraph::new()
        .style(id::FOOTER)
        .align(align)
        .indent(
            Some(left),
            Some(SpecialIndentType::FirstLine(0)),
            Some(right),
            None,
        )
        .add_run(Run::new().add_text("\u{2014} "))
        .add_run(Run::new().add_field_char(FieldCharType::Begin, false))
        .add_run(Run::new().add_instr_text(InstrText::PAGE(InstrPAGE::new())))
        .add_run(Run::new().add_field_char(FieldCharType::Separate, false))
        .add_run(Run::new().add_text("1"))
        .add_run(Run::new().add_field_char(FieldCharType::End, false))
        .add_run(Run::new().add_text(" \u{2014}"));
    Footer::new().add_paragraph(p)
}

/// Applies page size, margins, grid, page numbering and footers.
///
/// The grid is `type="lines"` with a 579-twip (28.95 pt) pitch: 22 lines in the 225 mm type
/// area. A character grid (`linesAndChars` with `charSpace` −849, the usual Word 公文 template)
/// would give 28 characters a line in Word, but LibreOffice 7.4 spreads each 16 pt glyph over
/// two cells of such a grid (≈ 14–17 characters a line), so the 28 characters come from the
/// body style's negative character spacing instead (see [`BODY_CHAR_SPACING`]), which every
/// renderer honours.
pub fn setup(docx: Docx, first_page_number: u32) -> Docx {
    let mut docx = docx
        .page_size(PAGE_W, PAGE_H)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TOP as i32)
                .left(MARGIN_LEFT as i32)
                .right(MARGIN_RIGHT as i32)
                .bottom(MARGIN_BOTTOM as i32)
                .header(HEADER_DISTANCE as i32)
                .footer(FOOTER_DISTANCE as i32)
                .gutter(0),
        )
        .page_num_type(PageNumType::new().start(first_page_number))
        .footer(page_number_footer(true))
        .even_footer(page_number_footer(false));
    docx.document = docx.document.doc_grid(
        DocGrid::with_empty()
            .grid_type(DocGridType::Lines)
            .line_pitch(LINE_PITCH as usize),
    );
    docx
}
