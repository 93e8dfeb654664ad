//! The zip container of our packages (OFD and DOCX), written directly: deflated parts, fixed
//! metadata.
//!
//! Why not the `zip` crate: it sets up a fresh zlib-rs compressor for every entry, clearing
//! its 256 KB of tables each time, which made re-packing a DOCX half of the DOCX writer's time;
//! and for the fonts, the bulk of an OFD, zlib-rs offered level 1, which leaves them 19 % larger,
//! or levels that cost three times as long. Writing the container ourselves is small: a local
//! header and the data for each part, a central directory, an end record (APPNOTE 6.3: no
//! zip64, no extra fields, no encryption), so every byte is ours to keep deterministic.
//!
//! Parts are deflated by libdeflate, which the PDF writer uses too. On the sample's OFD
//! (instructions for a DOCX + OFD render, OFD size): `miniz_oxide` at level 1 for fonts and 6 for
//! XML, as before, 92 M and 307,903 bytes; libdeflate at 1 and 6, 62 M and 297,592 bytes; at 6
//! and 8, 78 M and 293,428 bytes. We take 1 for fonts, as the PDF writer does (a CFF program is
//! dense already: on the sample's FandolFang subset, level 1 is 1 % larger than 6 at two thirds of
//! its time; see `write/pdf/save.rs`), and 8 for XML, which is small and repetitive.
//!
//! Parts are deflated unless that does not make them smaller (then stored). Every entry carries
//! the same date, no permissions and no extra fields, so the same parts give the same bytes.

use std::fmt;

/// The archive would pass a limit of the classic zip format (4 GB, 65,535 parts); no report
/// comes near it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooLarge;

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("压缩包超过 4 GB 或 65535 个部件")
    }
}

impl std::error::Error for TooLarge {}

/// A zip timestamp: MS-DOS date and time fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DosTime {
    /// `(year − 1980) << 9 | month << 5 | day`.
    pub date: u16,
    /// `hour << 11 | minute << 5 | second / 2`.
    pub time: u16,
}

impl DosTime {
    /// Midnight of a date; years outside the zip range 1980–2107 are clamped.
    pub fn midnight(year: i32, month: u32, day: u32) -> DosTime {
        let y = (year.clamp(1980, 2107) - 1980) as u16;
        DosTime {
            date: (y << 9) | ((month.clamp(1, 12) as u16) << 5) | day.clamp(1, 31) as u16,
            time: 0,
        }
    }
}

/// How hard to compress a part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effort {
    /// Fonts: the bulk of the bytes, dense already, at the fastest level (see the module comment).
    Fast,
    /// XML: a thorough level (small parts, repetitive text).
    Thorough,
}

/// Writes the parts, in order, as a zip archive.
pub fn zip(parts: &[(String, &[u8], Effort)], time: DosTime) -> Result<Vec<u8>, TooLarge> {
    let too_big = || TooLarge;
    if parts.len() > u16::MAX as usize {
        return Err(too_big());
    }
    let total: usize = parts.iter().map(|(_, b, _)| b.len()).sum();
    let mut out: Vec<u8> = Vec::with_capacity(total * 3 / 4 + 1024);
    let mut central: Vec<u8> = Vec::with_capacity(parts.len() * 80);
    for (name, bytes, effort) in parts {
        let level = match effort {
            Effort::Fast => 1,
            Effort::Thorough => 8,
        };
        let deflated = deflate(bytes, level);
        let (method, data): (u16, &[u8]) = if deflated.len() < bytes.len() {
            (8, &deflated)
        } else {
            (0, bytes)
        };
        let crc = crc32fast::hash(bytes);
        let offset = u32::try_from(out.len()).map_err(|_| too_big())?;
        let csize = u32::try_from(data.len()).map_err(|_| too_big())?;
        let usize_ = u32::try_from(bytes.len()).map_err(|_| too_big())?;
        let name_len = u16::try_from(name.len()).map_err(|_| too_big())?;
        let common = |buf: &mut Vec<u8>| {
            put16(buf, 20); // version needed: 2.0 (deflate)
            put16(buf, 0x0800); // flags: names are UTF-8
            put16(buf, method);
            put16(buf, time.time);
            put16(buf, time.date);
            put32(buf, crc);
            put32(buf, csize);
            put32(buf, usize_);
            put16(buf, name_len);
            put16(buf, 0); // extra field length
        };
        // Local file header, then the data.
        put32(&mut out, 0x0403_4b50);
        common(&mut out);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        // Central directory entry.
        put32(&mut central, 0x0201_4b50);
        put16(&mut central, 20); // made by: MS-DOS host, version 2.0 (no Unix permissions)
        common(&mut central);
        put16(&mut central, 0); // comment length
        put16(&mut central, 0); // disk number
        put16(&mut central, 0); // internal attributes
        put32(&mut central, 0); // external attributes
        put32(&mut central, offset);
        central.extend_from_slice(name.as_bytes());
    }
    let cd_offset = u32::try_from(out.len()).map_err(|_| too_big())?;
    let cd_size = u32::try_from(central.len()).map_err(|_| too_big())?;
    out.extend_from_slice(&central);
    put32(&mut out, 0x0605_4b50);
    put16(&mut out, 0); // this disk
    put16(&mut out, 0); // disk with the central directory
    put16(&mut out, parts.len() as u16);
    put16(&mut out, parts.len() as u16);
    put32(&mut out, cd_size);
    put32(&mut out, cd_offset);
    put16(&mut out, 0); // comment length
    Ok(out)
}

fn deflate(bytes: &[u8], level: i32) -> Vec<u8> {
    let Ok(level) = libdeflater::CompressionLvl::new(level) else {
        return Vec::new();
    };
    let mut c = libdeflater::Compressor::new(level);
    let mut out = vec![0; c.deflate_compress_bound(bytes.len())];
    let n = c.deflate_compress(bytes, &mut out).unwrap_or(0);
    out.truncate(n);
    out
}

fn put16(buf: &mut Vec<u8>, v: u16) {
    buf.extend_from_slice(&v.to_le_bytes());
}

fn put32(buf: &mut Vec<u8>, v: u32) {
    buf.extend_from_slice(&v.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn the_zip_crate_reads_back_every_part() {
        let xml = "<a>".repeat(200);
        // xorshift: bytes that do not compress.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let noise: Vec<u8> = (0..5000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 32) as u8
            })
            .collect();
        let parts = vec![
            ("OFD.xml".to_string(), xml.as_bytes(), Effort::Thorough),
            ("Doc_0/Res/font_1.otf".to_string(), &noise[..], Effort::Fast),
            ("empty".to_string(), &b""[..], Effort::Thorough),
        ];
        let bytes = zip(&parts, DosTime::midnight(2022, 3, 23)).unwrap();
        let mut z = ::zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
        assert_eq!(z.len(), 3);
        for (name, data, _) in &parts {
            let mut f = z.by_name(name).unwrap();
            let mut got = Vec::new();
            f.read_to_end(&mut got).unwrap();
            assert_eq!(&got[..], *data, "{name}");
            let dt = f.last_modified().unwrap();
            assert_eq!((dt.year(), dt.month(), dt.day()), (2022, 3, 23));
        }
        // Repetitive XML is deflated, noise stored.
        assert_eq!(
            z.by_name("OFD.xml").unwrap().compression(),
            ::zip::CompressionMethod::Deflated
        );
        assert_eq!(
            z.by_name("Doc_0/Res/font_1.otf").unwrap().compression(),
            ::zip::CompressionMethod::Stored
        );
    }

    #[test]
    fn dates_are_clamped_to_the_zip_range() {
        assert_eq!(DosTime::midnight(1970, 1, 1), DosTime::midnight(1980, 1, 1));
        assert_eq!(DosTime::midnight(1980, 1, 1).date, (1 << 5) | 1);
        assert_eq!(
            DosTime::midnight(2022, 3, 23).date,
            (42 << 9) | (3 << 5) | 23
        );
    }
}
