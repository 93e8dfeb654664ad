//! The zip screen in front of calamine: what a hostile `.xlsx` could make it do, checked on
//! our own bounded terms before calamine sees a byte.
//!
//! An `.xlsx` is a zip of XML parts. The file itself is at most 10 MB (the same byte budget as a
//! YAML file), but deflate expands up to about 1000×, and calamine trusts what it reads: it
//! reads the whole shared-strings part into memory, and reserves room for as many strings as
//! the part's `uniqueCount` attribute claims (a number in the file, so one attribute can ask for
//! terabytes and abort the process). So before calamine opens the workbook we
//! - count the zip's entries ([`MAX_ENTRIES`]),
//! - inflate every entry through a counting sink and stop at [`MAX_PART_BYTES`] per part and
//!   [`MAX_INFLATED_BYTES`] in all — the declared sizes in the zip directory may lie, the
//!   inflated byte count cannot —
//! - and read `uniqueCount` / `count` of the shared-strings part, which must not exceed the
//!   number of `<si>` elements its inflated size could hold.
//!
//! Inflating a 10 MB workbook twice costs a few milliseconds; a real 填报模板 is 20–60 KB.

use std::io::{Cursor, Read};

/// Most entries in the zip (a 填报模板 has about 15; Excel's own files have a few dozen).
pub const MAX_ENTRIES: usize = 1_000;
/// Largest inflated part (one sheet's XML, or the shared strings): 64 MB.
pub const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;
/// Most inflated bytes in all parts: 128 MB.
pub const MAX_INFLATED_BYTES: u64 = 128 * 1024 * 1024;

/// Why a workbook was refused, in Chinese.
pub fn screen(bytes: &[u8]) -> Result<(), String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|_| "不是有效的 Excel 工作簿（.xlsx 文件应为 zip 格式）".to_owned())?;
    if zip.len() > MAX_ENTRIES {
        return Err(format!(
            "工作簿内部有 {} 个部件，超过上限 {MAX_ENTRIES} 个",
            zip.len()
        ));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut entry = zip
            .by_index(i)
            .map_err(|e| format!("工作簿已损坏，无法读取（{e}）"))?;
        let name = entry.name().to_owned();
        let mut head = Vec::new();
        let n = if name.ends_with("sharedStrings.xml") {
            // Keep the start (the <sst …> element) to check its counts.
            let mut limited = (&mut entry).take(MAX_PART_BYTES + 1);
            let mut buf = [0u8; 4096];
            let k = limited.read(&mut buf).map_err(corrupt)?;
            head.extend_from_slice(&buf[..k]);
            k as u64 + std::io::copy(&mut limited, &mut std::io::sink()).map_err(corrupt)?
        } else {
            std::io::copy(
                &mut (&mut entry).take(MAX_PART_BYTES + 1),
                &mut std::io::sink(),
            )
            .map_err(corrupt)?
        };
        if n > MAX_PART_BYTES {
            return Err(format!(
                "工作簿部件 {name} 解压后超过 {} MB，不像是一份填报模板（可能是压缩炸弹）",
                MAX_PART_BYTES / (1024 * 1024)
            ));
        }
        total += n;
        if total > MAX_INFLATED_BYTES {
            return Err(format!(
                "工作簿解压后超过 {} MB，不像是一份填报模板（可能是压缩炸弹）",
                MAX_INFLATED_BYTES / (1024 * 1024)
            ));
        }
        if !head.is_empty() {
            check_counts(&head, n)?;
        }
    }
    Ok(())
}

fn corrupt(e: std::io::Error) -> String {
    format!("工作簿已损坏，无法解压（{e}）")
}

/// `uniqueCount` and `count` of `<sst>`: each string needs at least `<si></si>` (9 bytes), so a
/// count above `size / 9` is a lie, and calamine would reserve memory for it.
fn check_counts(head: &[u8], size: u64) -> Result<(), String> {
    let text = String::from_utf8_lossy(head);
    let Some(start) = text.find("<sst") else {
        return Ok(());
    };
    let tag = &text[start..text[start..].find('>').map_or(text.len(), |e| start + e)];
    for attr in ["uniqueCount=\"", "count=\""] {
        let mut rest = tag;
        while let Some(i) = rest.find(attr) {
            let after = &rest[i + attr.len()..];
            let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
            let claimed: u64 = digits.parse().unwrap_or(u64::MAX);
            if digits.is_empty() || claimed > size / 9 + 1 {
                return Err("工作簿的共享字符串表已损坏（声明的字符串个数与内容不符）".into());
            }
            rest = after;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in parts {
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn refuses_bombs_lies_and_junk() {
        assert!(screen(b"not a zip").unwrap_err().contains("zip"));
        let bomb = vec![b'a'; (MAX_PART_BYTES + 10) as usize];
        let z = zip_of(&[("xl/worksheets/sheet1.xml", &bomb)]);
        assert!(z.len() < 1024 * 1024, "{}", z.len());
        assert!(screen(&z).unwrap_err().contains("压缩炸弹"));
        let lie = br#"<?xml version="1.0"?><sst xmlns="x" count="99999999999" uniqueCount="99999999999"><si><t>a</t></si></sst>"#;
        let z = zip_of(&[("xl/sharedStrings.xml", lie)]);
        assert!(screen(&z).unwrap_err().contains("共享字符串"));
        let ok = br#"<sst xmlns="x" count="1" uniqueCount="1"><si><t>a</t></si></sst>"#;
        assert!(screen(&zip_of(&[("xl/sharedStrings.xml", ok)])).is_ok());
    }
}
