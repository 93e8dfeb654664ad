//! A compact sRGB ICC profile (version 2, display class), built from the numbers of
//! IEC 61966-2-1 — for the PDF/A output intent.
//!
//! PDF/A wants the colour space of `DeviceRGB` (our table rules) pinned down by an output
//! intent with an RGB profile. The usual sRGB profiles are 3–60 KB; this one is about 660 bytes
//! (300 after deflate): the D50-adapted primaries, the D50 white point and one 128-point tone
//! curve shared by the three channels, which is all a colour-managed reader uses from an sRGB
//! profile for black rules and text. It is computed here rather than copied, so it carries
//! jixiao's own licence (MIT OR Apache-2.0; see `fonts/README.md` for the bundled files).

/// The profile's bytes.
pub(super) fn srgb_profile() -> Vec<u8> {
    let desc = text_description(b"sRGB IEC61966-2.1 (compact)");
    let cprt = text(b"No copyright, use freely (MIT OR Apache-2.0, jixiao)");
    let d50 = xyz(0.9642, 1.0, 0.8249);
    let red = xyz(0.4360, 0.2225, 0.0139);
    let green = xyz(0.3851, 0.7169, 0.0971);
    let blue = xyz(0.1431, 0.0606, 0.7139);
    let trc = curve(128);
    // (signature, data index); the three TRC tags share one curve.
    let datas: [&[u8]; 7] = [&desc, &cprt, &d50, &red, &green, &blue, &trc];
    let tags: [(&[u8; 4], usize); 9] = [
        (b"desc", 0),
        (b"cprt", 1),
        (b"wtpt", 2),
        (b"rXYZ", 3),
        (b"gXYZ", 4),
        (b"bXYZ", 5),
        (b"rTRC", 6),
        (b"gTRC", 6),
        (b"bTRC", 6),
    ];
    let mut offsets = Vec::with_capacity(datas.len());
    let mut at = 128 + 4 + 12 * tags.len();
    for d in &datas {
        offsets.push(at);
        at += d.len().div_ceil(4) * 4;
    }
    let mut out = header(at as u32);
    out.extend_from_slice(&(tags.len() as u32).to_be_bytes());
    for (sig, k) in tags {
        out.extend_from_slice(sig);
        out.extend_from_slice(&(offsets[k] as u32).to_be_bytes());
        out.extend_from_slice(&(datas[k].len() as u32).to_be_bytes());
    }
    for d in datas {
        out.extend_from_slice(d);
        out.resize(out.len().div_ceil(4) * 4, 0);
    }
    out
}

/// The 128-byte header: version 2.1, display device, RGB data, XYZ connection space.
fn header(size: u32) -> Vec<u8> {
    let mut h = Vec::with_capacity(128);
    h.extend_from_slice(&size.to_be_bytes());
    h.extend_from_slice(&[0; 4]); // preferred CMM
    h.extend_from_slice(&[2, 0x10, 0, 0]); // version 2.1.0
    h.extend_from_slice(b"mntrRGB XYZ ");
    for v in [2024u16, 1, 1, 0, 0, 0] {
        h.extend_from_slice(&v.to_be_bytes()); // creation date
    }
    h.extend_from_slice(b"acsp");
    h.extend_from_slice(&[0; 24]); // platform, flags, manufacturer, model, attributes
    h.extend_from_slice(&[0; 4]); // rendering intent: perceptual
    for v in [0.9642, 1.0, 0.8249] {
        h.extend_from_slice(&s15f16(v).to_be_bytes()); // PCS illuminant, D50
    }
    h.resize(128, 0);
    h
}

fn s15f16(v: f64) -> i32 {
    (v * 65536.0).round() as i32
}

fn xyz(x: f64, y: f64, z: f64) -> Vec<u8> {
    let mut d = b"XYZ \0\0\0\0".to_vec();
    for v in [x, y, z] {
        d.extend_from_slice(&s15f16(v).to_be_bytes());
    }
    d
}

/// The sRGB transfer function as a table of `n` points.
fn curve(n: usize) -> Vec<u8> {
    let mut d = b"curv\0\0\0\0".to_vec();
    d.extend_from_slice(&(n as u32).to_be_bytes());
    for k in 0..n {
        let v = k as f64 / (n - 1) as f64;
        let lin = if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        };
        d.extend_from_slice(&((lin * 65535.0).round() as u16).to_be_bytes());
    }
    d
}

/// A version-2 `textDescriptionType`: ASCII, with empty Unicode and ScriptCode parts.
fn text_description(ascii: &[u8]) -> Vec<u8> {
    let mut d = b"desc\0\0\0\0".to_vec();
    d.extend_from_slice(&(ascii.len() as u32 + 1).to_be_bytes());
    d.extend_from_slice(ascii);
    d.push(0);
    d.extend_from_slice(&[0; 8]); // Unicode language code and count
    d.extend_from_slice(&[0; 3]); // ScriptCode code and count
    d.extend_from_slice(&[0; 67]);
    d
}

fn text(ascii: &[u8]) -> Vec<u8> {
    let mut d = b"text\0\0\0\0".to_vec();
    d.extend_from_slice(ascii);
    d.push(0);
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_profile_is_a_well_formed_rgb_display_profile() {
        let p = srgb_profile();
        assert_eq!(
            u32::from_be_bytes(p[0..4].try_into().unwrap()) as usize,
            p.len()
        );
        assert_eq!(&p[12..24], b"mntrRGB XYZ ");
        assert_eq!(&p[36..40], b"acsp");
        let n = u32::from_be_bytes(p[128..132].try_into().unwrap()) as usize;
        assert_eq!(n, 9);
        for k in 0..n {
            let e = 132 + 12 * k;
            let off = u32::from_be_bytes(p[e + 4..e + 8].try_into().unwrap()) as usize;
            let len = u32::from_be_bytes(p[e + 8..e + 12].try_into().unwrap()) as usize;
            assert!(
                off.is_multiple_of(4) && off + len <= p.len(),
                "tag {k} out of bounds"
            );
        }
        assert!(p.len() < 1024);
    }
}
