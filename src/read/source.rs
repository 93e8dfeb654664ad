//! Bytes → text: the file's byte budget, UTF-8 (a BOM is dropped) or, on request, GBK/GB18030,
//! and the line/column arithmetic that diagnostics need.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::limits::MAX_FILE_BYTES;
use crate::read::tree::Pos;
use std::io::Read;
use std::path::Path;

/// The bytes of an input file, at most [`MAX_FILE_BYTES`] of them.
///
/// Only a regular file is opened: opening a FIFO named `x.yaml` would wait for a writer forever,
/// and a device could be endless. The read itself is capped one byte past the limit, so a huge
/// file costs 10 MB of memory, not its size.
pub fn read_bounded(path: &Path, name: &str) -> Result<Vec<u8>, Diagnostic> {
    let cannot = |e: std::io::Error| {
        Diagnostic::new(
            Severity::Error,
            name,
            0,
            0,
            "",
            format!("无法读取文件：{}", io_error_zh(&e)),
        )
    };
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if !meta.is_file() {
        return Err(Diagnostic::new(
            Severity::Error,
            name,
            0,
            0,
            "",
            "不是普通文件（是文件夹、管道或设备），无法作为输入读取",
        ));
    }
    if meta.len() > MAX_FILE_BYTES as u64 {
        return Err(too_large(name, meta.len().try_into().unwrap_or(usize::MAX)));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE_BYTES as u64 + 1).read_to_end(&mut bytes))
        .map_err(cannot)?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(too_large(name, bytes.len()));
    }
    Ok(bytes)
}

/// The error for an input over [`MAX_FILE_BYTES`].
pub fn too_large(name: &str, len: usize) -> Diagnostic {
    Diagnostic::new(
        Severity::Error,
        name,
        0,
        0,
        "",
        format!(
            "文件太大（{:.1} MB）：输入文件最大 {} MB（一份报告通常只有几十 KB）",
            len as f64 / (1024.0 * 1024.0),
            MAX_FILE_BYTES / (1024 * 1024)
        ),
    )
}

/// An I/O error in Chinese, with the system's own words kept for the details.
pub fn io_error_zh(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    let what = match e.kind() {
        NotFound => "文件不存在",
        PermissionDenied => "没有读取权限",
        IsADirectory => "这是一个文件夹",
        InvalidData => "内容无效",
        _ => return format!("{e}"),
    };
    format!("{what}（{e}）")
}

/// The byte offset where each line of a text starts, so that a position can be turned into an
/// offset (and back) in time proportional to one line, not to the file: the checks locate up to
/// thousands of values in a file of up to 10 MB.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text` (one pass).
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// Byte offset of a 1-based (line, char column) in `text`.
    pub fn offset_of(&self, text: &str, p: Pos) -> Option<usize> {
        let line_start = *self.starts.get(p.line.checked_sub(1)?)?;
        let line_end = self
            .starts
            .get(p.line)
            .map_or(text.len(), |&next| next.saturating_sub(1));
        let line = text.get(line_start..line_end.max(line_start))?;
        let mut chars = line.char_indices();
        for _ in 1..p.col {
            chars.next()?;
        }
        Some(line_start + chars.next().map(|(i, _)| i).unwrap_or(line.len()))
    }

    /// 1-based (line, char column) of a byte offset in `text` (a char boundary).
    pub fn pos_of(&self, text: &str, off: usize) -> Pos {
        let off = off.min(text.len());
        let line = self.starts.partition_point(|&s| s <= off).max(1);
        let start = self.starts[line - 1];
        Pos {
            line,
            col: text.get(start..off).map_or(0, |s| s.chars().count()) + 1,
        }
    }
}

/// 1-based (line, char column) of a byte offset in `text`.
pub fn pos_of_offset(text: &str, off: usize) -> Pos {
    let mut off = off.min(text.len());
    while !text.is_char_boundary(off) {
        off -= 1;
    }
    let before = &text[..off];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    Pos {
        line,
        col: before[line_start..].chars().count() + 1,
    }
}

/// What a file's bytes are, whatever its name says: a clerk's folder holds `.xlsx` saved as
/// `.xls`, old `.xls` renamed `.xlsx`, and WPS `.et` files, and each needs its own answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    /// A zip that is not an OpenDocument file: read as an Excel workbook (`.xlsx`).
    Workbook,
    /// An OpenDocument spreadsheet (`.ods`, a zip whose first entry names its mimetype).
    OpenDocument,
    /// A Compound File (OLE2): old Excel `.xls`, WPS `.et`, or old Word `.doc` / WPS `.wps`.
    Legacy,
    /// Anything else: text (YAML).
    Text,
}

/// Sniffs the first bytes of a file (see [`Content`]).
pub fn sniff(bytes: &[u8]) -> Content {
    const OLE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.starts_with(&OLE) {
        return Content::Legacy;
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        // ODF puts an uncompressed `mimetype` entry first (ODF 1.2, 3.3): its content follows
        // the 30-byte local header and the 8-byte name.
        let head = &bytes[..bytes.len().min(100)];
        let odf = head
            .windows(b"opendocument".len())
            .any(|w| w == b"opendocument");
        return if odf {
            Content::OpenDocument
        } else {
            Content::Workbook
        };
    }
    Content::Text
}

/// The lower-case extension of a file name (`""` when it has none).
pub fn extension(name: &str) -> String {
    Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}

/// What to tell a clerk whose file jixiao cannot read as it is, but Excel or WPS can convert:
/// an old `.xls` / `.et`, an `.ods`, an old Word file, or a spreadsheet extension on text.
/// `None` when the file is to be read (a workbook, or YAML text).
pub fn unreadable_kind(name: &str, bytes: &[u8]) -> Option<String> {
    let ext = extension(name);
    let spreadsheet_ext = matches!(ext.as_str(), "xls" | "xlsx" | "xlsm" | "et" | "ods" | "ett");
    match sniff(bytes) {
        Content::Workbook => None,
        Content::Legacy if matches!(ext.as_str(), "doc" | "wps") => Some(
            "这是 Word / WPS 文字文件，不是填报模板：请把数据填在 Excel 填报模板（jixiao init --xlsx 生成）里再试"
                .to_owned(),
        ),
        Content::Legacy => Some(OLD_SPREADSHEET.to_owned()),
        Content::OpenDocument => Some(
            "这是 OpenDocument 表格文件（.ods）：请在 WPS、Excel 或 LibreOffice 中“另存为” Excel 工作簿（.xlsx）后再试"
                .to_owned(),
        ),
        // Systems export HTML or XML spreadsheets under `.xls`; Excel opens them, we cannot.
        Content::Text if matches!(ext.as_str(), "xls" | "et") => Some(OLD_SPREADSHEET.to_owned()),
        Content::Text if spreadsheet_ext => Some(format!(
            "文件名是 .{ext}，但内容不是 Excel 工作簿：请在 Excel 或 WPS 中打开它，“另存为” Excel 工作簿（.xlsx）后再试"
        )),
        Content::Text => None,
    }
}

/// The one message for an old Excel / WPS spreadsheet.
pub const OLD_SPREADSHEET: &str =
    "这是旧版 Excel / WPS 表格文件：请在 Excel 或 WPS 中“另存为” Excel 工作簿（.xlsx）后再试";

const CONVERT_HELP: &str = "用记事本打开该文件，选“文件 → 另存为”，在“编码”处选 UTF-8 后保存；\
或在命令中加 `--encoding gbk` 让 jixiao 按 GBK 读取";

/// Bytes → text. UTF-8 (a BOM is dropped) is the format; GBK/GB18030 only on request, and a GBK
/// file read without the request gets an error that says so instead of mojibake.
pub fn decode(name: &str, bytes: &[u8], gbk: bool) -> Result<String, Diagnostic> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Diagnostic::new(
            Severity::Error,
            name,
            1,
            1,
            "",
            "文件是 UTF-16 编码，jixiao 需要 UTF-8 编码的 YAML 文件",
        )
        .with_help("用记事本打开该文件，选“文件 → 另存为”，在“编码”处选 UTF-8 后保存"));
    }
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let utf8_err = match std::str::from_utf8(body) {
        // Valid UTF-8 is taken as UTF-8 even with `--encoding gbk`: Chinese GBK text is
        // practically never valid UTF-8, so this only avoids mojibake when the flag is wrong.
        Ok(s) => return Ok(s.to_owned()),
        Err(e) => e,
    };
    let gb = encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(body);
    let at = pos_of_lossy(body, utf8_err.valid_up_to());
    match (gbk, gb) {
        (true, Some(text)) => Ok(text.into_owned()),
        (true, None) => Err(Diagnostic::new(
            Severity::Error,
            name,
            at.line,
            at.col,
            "",
            "文件既不是 UTF-8 编码，也不是有效的 GBK/GB18030 编码",
        )
        .with_help("请确认文件编码，另存为 UTF-8 后再试")),
        (false, Some(_)) => Err(Diagnostic::new(
            Severity::Error,
            name,
            at.line,
            at.col,
            "",
            "文件是 GBK/GB18030 编码（Windows 记事本的“ANSI”），jixiao 需要 UTF-8 编码",
        )
        .with_help(CONVERT_HELP)),
        (false, None) => Err(Diagnostic::new(
            Severity::Error,
            name,
            at.line,
            at.col,
            "",
            format!("文件不是 UTF-8 编码：第 {} 行有无法识别的字节", at.line),
        )
        .with_help("用记事本打开该文件，选“文件 → 另存为”，在“编码”处选 UTF-8 后保存")),
    }
}

/// Line/column of a byte offset in bytes that are valid UTF-8 up to that offset.
fn pos_of_lossy(bytes: &[u8], valid_up_to: usize) -> Pos {
    let prefix = std::str::from_utf8(&bytes[..valid_up_to]).unwrap_or("");
    pos_of_offset(prefix, prefix.len())
}
