//! What makes the file archival (PDF/A-2, level A) and accessible (PDF/UA-1) beyond its tags:
//! the catalog's entries, the Info dictionary, the XMP packet that repeats it, and the sRGB
//! output intent.
//!
//! printpdf writes an Info dictionary with an empty `/GTS_PDFXVersion` (which makes `pdfinfo`
//! call the file PDF/X), `/Trapped` and non-standard keys, and only writes XMP together with a
//! CMYK FOGRA39 output intent for its PDF/X and PDF/A-1 presets; it has no structure tree,
//! `/Lang`, `/MarkInfo` or `/ViewerPreferences`. So these objects are (re)written here through
//! lopdf, after printpdf has made the pages and fonts.
//!
//! The Info dictionary holds exactly the keys the XMP packet repeats (Title ↔ `dc:title`,
//! Author ↔ `dc:creator`, Creator ↔ `xmp:CreatorTool`, Producer ↔ `pdf:Producer`, CreationDate
//! ↔ `xmp:CreateDate`, ModDate ↔ `xmp:ModifyDate`), as PDF/A requires them to agree.

use lopdf::{Dictionary, Object, ObjectId, Stream};

use super::icc::srgb_profile;
use super::outline::text_string;
use crate::document::Meta;

/// The document's language, for the catalog and the XMP.
pub(super) const LANG: &str = "zh-CN";

/// The metadata every part of the file repeats.
pub(super) struct Facts<'a> {
    pub meta: &'a Meta,
    /// Seconds since the Unix epoch (see [`super::creation_date`]).
    pub date: i64,
    /// `xmp:CreatorTool` and `/Creator`.
    pub creator: String,
    /// `pdf:Producer` and `/Producer`.
    pub producer: String,
    /// The PDF/A part claimed: 2, or 3 with an attached source file.
    pub pdfa_part: u8,
}

impl Facts<'_> {
    fn date_utc(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::from_timestamp(self.date, 0).unwrap_or_default()
    }

    /// The date as a PDF date string.
    pub(super) fn pdf_date(&self) -> String {
        self.date_utc().format("D:%Y%m%d%H%M%S+00'00'").to_string()
    }

    /// The Info dictionary.
    pub(super) fn info(&self) -> Dictionary {
        let date = self.pdf_date();
        let mut d = Dictionary::new();
        d.set("Title", text_string(&self.meta.title));
        d.set("Author", text_string(&self.meta.author));
        d.set("Creator", text_string(&self.creator));
        d.set("Producer", text_string(&self.producer));
        d.set("CreationDate", Object::string_literal(date.clone()));
        d.set("ModDate", Object::string_literal(date));
        d
    }

    /// The XMP packet (uncompressed, as PDF/A wants it readable without a PDF parser).
    pub(super) fn xmp(&self) -> String {
        let date = self
            .date_utc()
            .format("%Y-%m-%dT%H:%M:%S+00:00")
            .to_string();
        format!(
            concat!(
                "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n",
                "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n",
                "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\" xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\" xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\" xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\" xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n",
                "<dc:format>application/pdf</dc:format>\n",
                "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{title}</rdf:li></rdf:Alt></dc:title>\n",
                "<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>\n",
                "<dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>\n",
                "<xmp:CreatorTool>{creator}</xmp:CreatorTool>\n",
                "<xmp:CreateDate>{date}</xmp:CreateDate><xmp:ModifyDate>{date}</xmp:ModifyDate><xmp:MetadataDate>{date}</xmp:MetadataDate>\n",
                "<pdf:Producer>{producer}</pdf:Producer>\n",
                "<pdfaid:part>{part}</pdfaid:part><pdfaid:conformance>A</pdfaid:conformance>\n",
                "<pdfuaid:part>1</pdfuaid:part>\n",
                "<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">",
                "<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>",
                "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>",
                "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>",
                "<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">",
                "<pdfaProperty:name>part</pdfaProperty:name><pdfaProperty:valueType>Integer</pdfaProperty:valueType>",
                "<pdfaProperty:category>internal</pdfaProperty:category>",
                "<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>",
                "</rdf:li></rdf:Seq></pdfaSchema:property></rdf:li></rdf:Bag></pdfaExtension:schemas>\n",
                "</rdf:Description></rdf:RDF></x:xmpmeta>\n",
                "<?xpacket end=\"w\"?>"
            ),
            title = xml_escape(&self.meta.title),
            author = xml_escape(&self.meta.author),
            lang = LANG,
            creator = xml_escape(&self.creator),
            date = date,
            producer = xml_escape(&self.producer),
            part = self.pdfa_part,
        )
    }
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Characters XML 1.0 cannot hold at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// The `/Metadata` stream (never compressed: PDF/A forbids a filter on it).
pub(super) fn metadata_stream(xmp: String) -> Stream {
    let mut d = Dictionary::new();
    d.set("Type", Object::Name(b"Metadata".to_vec()));
    d.set("Subtype", Object::Name(b"XML".to_vec()));
    let mut s = Stream::new(d, xmp.into_bytes());
    s.allows_compression = false;
    s
}

/// The `/OutputIntents` array: sRGB for PDF/A (`/GTS_PDFA1`).
pub(super) fn output_intents(doc: &mut lopdf::Document) -> Object {
    let mut icc = Dictionary::new();
    icc.set("N", 3);
    let profile = doc.add_object(Stream::new(icc, srgb_profile()));
    let mut d = Dictionary::new();
    d.set("Type", Object::Name(b"OutputIntent".to_vec()));
    d.set("S", Object::Name(b"GTS_PDFA1".to_vec()));
    d.set("OutputConditionIdentifier", Object::string_literal("sRGB"));
    d.set("Info", Object::string_literal("sRGB IEC61966-2.1"));
    d.set(
        "RegistryName",
        Object::string_literal("http://www.color.org"),
    );
    d.set("DestOutputProfile", Object::Reference(profile));
    Object::Array(vec![Object::Dictionary(d)])
}

/// Puts the archival and accessibility entries into the catalog `catalog`.
pub(super) fn finish_catalog(
    doc: &mut lopdf::Document,
    catalog: ObjectId,
    facts: &Facts<'_>,
    struct_root: ObjectId,
    outlines: Option<ObjectId>,
) {
    let metadata = doc.add_object(metadata_stream(facts.xmp()));
    let intents = output_intents(doc);
    let Ok(Object::Dictionary(c)) = doc.get_object_mut(catalog) else {
        return;
    };
    let mut mark_info = Dictionary::new();
    mark_info.set("Marked", true);
    let mut prefs = Dictionary::new();
    prefs.set("DisplayDocTitle", true);
    c.set("MarkInfo", mark_info);
    c.set("Lang", Object::string_literal(LANG));
    c.set("ViewerPreferences", prefs);
    c.set("StructTreeRoot", Object::Reference(struct_root));
    c.set("Metadata", Object::Reference(metadata));
    c.set("OutputIntents", intents);
    match outlines {
        Some(o) => {
            c.set("Outlines", Object::Reference(o));
            c.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
        }
        None => {
            c.remove(b"PageMode");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xmp_escapes_and_repeats_the_info_values() {
        let meta = Meta {
            title: "A&B<报告>".to_string(),
            author: "某局".to_string(),
            ..Meta::default()
        };
        let f = Facts {
            meta: &meta,
            date: 1_647_993_600,
            creator: "jixiao".to_string(),
            producer: "jixiao (printpdf)".to_string(),
            pdfa_part: 2,
        };
        let x = f.xmp();
        assert!(x.contains("A&amp;B&lt;报告&gt;"));
        assert!(x.contains("<xmp:CreateDate>2022-03-23T00:00:00+00:00</xmp:CreateDate>"));
        assert!(x.contains("<pdfaid:part>2</pdfaid:part>"));
        let info = f.info();
        assert_eq!(
            info.get(b"CreationDate").unwrap(),
            &Object::string_literal("D:20220323000000+00'00'")
        );
    }
}
