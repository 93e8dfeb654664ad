//! Conversion of a model into one of the input formats, verified by reading the result back.
//!
//! `jixiao convert` promises that nothing is lost between YAML and a workbook. The only way to
//! keep that promise for every field, including ones added later, is to read the converted bytes
//! back through the same reader as any input and compare the two models: a difference means a
//! writer bug, and the file is not written.

use crate::model::report::Report;
use crate::read;

/// The formats a model can be written to for people to edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Yaml,
    Workbook,
}

/// Why a conversion produced nothing.
#[derive(Debug)]
pub enum ConvertError {
    /// The workbook writer failed.
    Write(String),
    /// The result did not read back at all (its diagnostics).
    Unreadable(Vec<crate::diagnostic::Diagnostic>),
    /// The result read back as a different model.
    Differs,
}

/// `report` written as `form`, checked by reading it back under `name` (the output's file name,
/// for the diagnostics of a failed read-back).
pub fn convert(report: &Report, form: Form, name: &str) -> Result<Vec<u8>, ConvertError> {
    let (bytes, back) = match form {
        Form::Workbook => {
            let b = super::xlsx::workbook(Some(report))
                .map_err(|e| ConvertError::Write(e.to_string()))?;
            let back = read::load_workbook_bytes(name, &b);
            (b, back)
        }
        Form::Yaml => {
            let y = super::yaml::to_yaml(report);
            let back = read::load_str(name, &y);
            (y.into_bytes(), back)
        }
    };
    match back {
        Ok(l) if l.report == *report => Ok(bytes),
        Ok(_) => Err(ConvertError::Differs),
        Err(diags) => Err(ConvertError::Unreadable(diags)),
    }
}
