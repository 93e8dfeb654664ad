//! The numbers of `docs/layout.md` ([`LayoutSettings`]) and the page geometry derived from them
//! ([`Geometry`]): type area, line pitch, grid cell, baselines.

/// Points per millimetre (72 pt per inch, 25.4 mm per inch).
pub const PT_PER_MM: f32 = 72.0 / 25.4;

/// The numbers of `docs/layout.md`. Every field is a default that a template's layout settings may
/// override.
#[derive(Debug, Clone, PartialEq)]
pub struct LayoutSettings {
    /// Paper width, mm (A4).
    pub page_width_mm: f32,
    /// Paper height, mm (A4).
    pub page_height_mm: f32,
    /// 天头: top margin, mm.
    pub margin_top_mm: f32,
    /// Bottom margin, mm.
    pub margin_bottom_mm: f32,
    /// 订口: left margin, mm.
    pub margin_left_mm: f32,
    /// Right margin, mm.
    pub margin_right_mm: f32,
    /// Lines per page (GB/T 9704 5.2.3: 22).
    pub lines_per_page: usize,
    /// Characters per line (GB/T 9704 5.2.3: 28; the character pitch is the type area's
    /// width divided by this).
    pub chars_per_line: usize,
    /// Line pitch, pt. 225 mm ÷ 22 lines, as Word stores it: `linePitch="579"` twips = 28.95 pt,
    /// so the PDF and the DOCX put lines at the same heights.
    pub line_pitch_pt: f32,
    /// Body text (3号), pt.
    pub body_size_pt: f32,
    /// Title (2号 小标宋), pt.
    pub title_size_pt: f32,
    /// Page numbers (4号), pt.
    pub page_number_size_pt: f32,
    /// Table text (小四), pt.
    pub table_size_pt: f32,
    /// Table text when a table asks for 五号 (or `auto` chooses it), pt.
    pub table_small_size_pt: f32,
    /// Table titles, pt.
    pub table_title_size_pt: f32,
    /// Distance from the bottom of the type area down to the page number's dash line, mm
    /// (GB/T 9704 7.5: 一字线上距版心下边缘 7 mm).
    pub page_number_gap_mm: f32,
    /// The number printed on the first page.
    pub first_page_number: usize,
    /// With a seal, the date is right-indented this many characters (GB/T 9704 7.3.5.1).
    pub date_indent_chars_seal: f32,
    /// Without a seal, the 署名 is right-indented this many characters (7.3.5.2).
    pub signature_indent_chars_no_seal: f32,
    /// Set level-2 headings (`（一）`, 楷体) in fake bold (docs/layout.md: not bold by default).
    pub bold_heading2: bool,
    /// Set run-in level-3/4 headings (`1.名称：`) in fake bold.
    pub bold_run_in: bool,
}

impl Default for LayoutSettings {
    fn default() -> Self {
        LayoutSettings {
            page_width_mm: 210.0,
            page_height_mm: 297.0,
            margin_top_mm: 37.0,
            margin_bottom_mm: 35.0,
            margin_left_mm: 28.0,
            margin_right_mm: 26.0,
            lines_per_page: 22,
            chars_per_line: 28,
            line_pitch_pt: 28.95,
            body_size_pt: 16.0,
            title_size_pt: 22.0,
            page_number_size_pt: 14.0,
            table_size_pt: 12.0,
            table_small_size_pt: 10.5,
            table_title_size_pt: 18.0,
            page_number_gap_mm: 7.0,
            first_page_number: 1,
            date_indent_chars_seal: 4.0,
            signature_indent_chars_no_seal: 2.0,
            bold_heading2: false,
            bold_run_in: false,
        }
    }
}

/// Derived page geometry, all in pt from the top-left corner of the page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geometry {
    /// Page width.
    pub page_width: f32,
    /// Page height.
    pub page_height: f32,
    /// Left edge of the type area.
    pub left: f32,
    /// Right edge of the type area.
    pub right: f32,
    /// Top edge of the type area.
    pub top: f32,
    /// Bottom edge of the type area.
    pub bottom: f32,
    /// Width of the type area (the measure of a body line).
    pub measure: f32,
    /// Character pitch: the measure divided by the characters per line (15.79 pt).
    pub pitch: f32,
    /// Line pitch (28.95 pt).
    pub line_pitch: f32,
    /// Lines per page.
    pub lines: usize,
}

impl Geometry {
    /// The geometry of `s`.
    pub fn new(s: &LayoutSettings) -> Geometry {
        let page_width = s.page_width_mm * PT_PER_MM;
        let page_height = s.page_height_mm * PT_PER_MM;
        let left = s.margin_left_mm * PT_PER_MM;
        let right = page_width - s.margin_right_mm * PT_PER_MM;
        let top = s.margin_top_mm * PT_PER_MM;
        let bottom = page_height - s.margin_bottom_mm * PT_PER_MM;
        let measure = right - left;
        Geometry {
            page_width,
            page_height,
            left,
            right,
            top,
            bottom,
            measure,
            pitch: measure / s.chars_per_line.max(1) as f32,
            line_pitch: s.line_pitch_pt,
            lines: s.lines_per_page.max(1),
        }
    }

    /// The baseline of text of `size` pt on grid row `row` (0-based): the glyphs' em box
    /// (0.88 em above the baseline, 0.12 em below, the usual ideographic split) is centred in
    /// the row.
    pub fn baseline(&self, row: usize, size: f32) -> f32 {
        self.top + row as f32 * self.line_pitch + (self.line_pitch - size) / 2.0 + 0.88 * size
    }
}
