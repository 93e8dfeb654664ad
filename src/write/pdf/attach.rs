//! The source inside (PDF/A-3): the checked input, written out as YAML, as an associated file
//! of the document (`/AF`, `/AFRelationship /Source`), so whoever holds the archived report can
//! re-check or regenerate it years later.
//!
//! Not the default (`render --attach-source` asks for it): the data may hold what was never
//! meant to be published with the report (contacts, notes, figures the report does not print),
//! a report put on a website should not carry it, and some archives take PDF/A-1/2 only. The
//! attachment is the checked model written out, never the raw file, whose comments are private.
//!
//! printpdf has no embedded files or associated files, so the file specification, the
//! embedded-file stream and the catalog's `/AF` and `/Names /EmbeddedFiles` are written through
//! lopdf.

use lopdf::{Dictionary, Object, ObjectId, Stream};

use super::outline::text_string;
use super::SourceFile;

/// The MIME type of the attached source.
pub const MIME: &str = "application/yaml";

/// Attaches `source` to the document whose catalog is `catalog`. `date` is the PDF date string
/// of the document (the file's modification date, as PDF/A-3 asks for one).
pub(super) fn attach(
    doc: &mut lopdf::Document,
    catalog: ObjectId,
    source: &SourceFile,
    date: &str,
) {
    let mut params = Dictionary::new();
    params.set("Size", source.yaml.len() as i64);
    params.set("ModDate", Object::string_literal(date));
    let mut d = Dictionary::new();
    d.set("Type", Object::Name(b"EmbeddedFile".to_vec()));
    d.set("Subtype", Object::Name(MIME.as_bytes().to_vec()));
    d.set("Params", params);
    let file = doc.add_object(Stream::new(d, source.yaml.clone()));

    let mut ef = Dictionary::new();
    ef.set("F", Object::Reference(file));
    ef.set("UF", Object::Reference(file));
    let mut spec = Dictionary::new();
    spec.set("Type", Object::Name(b"Filespec".to_vec()));
    spec.set("F", Object::string_literal(ascii_name(&source.name)));
    spec.set("UF", text_string(&source.name));
    spec.set("EF", ef);
    spec.set("AFRelationship", Object::Name(b"Source".to_vec()));
    spec.set("Desc", text_string("生成本报告的填报数据（经检查的 YAML）"));
    let spec = doc.add_object(spec);

    let Ok(Object::Dictionary(c)) = doc.get_object_mut(catalog) else {
        return;
    };
    c.set("AF", vec![Object::Reference(spec)]);
    let mut files = Dictionary::new();
    files.set(
        "Names",
        vec![text_string(&source.name), Object::Reference(spec)],
    );
    let mut names = Dictionary::new();
    names.set("EmbeddedFiles", files);
    c.set("Names", names);
}

/// The file name for `/F`, which older readers take as bytes: the name's ASCII characters, or
/// `source.yaml` when that leaves nothing but the extension.
fn ascii_name(name: &str) -> String {
    let ascii: String = name.chars().filter(|c| c.is_ascii_graphic()).collect();
    if ascii.trim_start_matches('.').len() <= "yaml".len() {
        "source.yaml".to_string()
    } else {
        ascii
    }
}

/// A file name after the department: `卢龙县公安局.yaml`, with the characters file systems
/// refuse (`/\:*?"<>|` and controls) left out.
pub fn file_name(department: &str) -> String {
    let stem: String = department
        .chars()
        .filter(|c| !c.is_control() && !r#"/\:*?"<>|"#.contains(*c))
        .collect();
    let stem = stem.trim().trim_matches('.');
    if stem.is_empty() {
        "source.yaml".to_string()
    } else {
        format!("{stem}.yaml")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe_file_names() {
        assert_eq!(file_name("卢龙县公安局"), "卢龙县公安局.yaml");
        assert_eq!(file_name("a/b:c"), "abc.yaml");
        assert_eq!(file_name(" .. "), "source.yaml");
        assert_eq!(ascii_name("卢龙县公安局.yaml"), "source.yaml");
        assert_eq!(ascii_name("police.yaml"), "police.yaml");
    }
}
