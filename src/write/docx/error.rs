//! Why a DOCX could not be written: the writer's one error type, below every stage of the
//! writer so that each can return it without importing the writer's root.

use super::xml;

/// Why a DOCX could not be written.
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    /// A table in the model is inconsistent (spans out of range, overlapping cells).
    #[error("表格“{table}”有误：{message}")]
    Table { table: String, message: String },
    /// docx-rs produced XML the patch layer could not read (a bug, reported rather than hidden).
    #[error("DOCX 内部错误：{0}")]
    Patch(#[from] xml::PatchError),
    /// Writing the zip archive failed.
    #[error("DOCX 打包失败：{0}")]
    Zip(String),
}
